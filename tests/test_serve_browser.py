"""``finsamplan serve`` in Debian's Chromium, as a förbundschef uses it.

The real app on uvicorn (tests/serve_support.py) on a copy of the plans; playwright drives
/usr/bin/chromium headless. Each page is checked by axe-core (WCAG 2.1 A and AA, and the
best practices) with zero violations. These tests fail, never skip, without chromium or
axe-core (.ci/run installs both).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from serve_support import Running, axe_violations, chromium, plans_copy, running

from finsamplan.base.money import format_kronor
from finsamplan.judge.rules import validate
from finsamplan.plan.loader import load_text

PLAN = "plan-2023.yaml"
WAIT = 60_000  # ms: generous, for a machine under load; every wait is for an event
ROOM_ROW = "Utrymme för ny verksamhet"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture
def app(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Running]:
    """The server on a copy of the plans; with the parameter "trasig", also a broken plan,
    written before the server starts so no open page reloads for it during the test."""
    root = plans_copy(tmp_path)
    if getattr(request, "param", None) == "trasig":
        (root / "trasig.yaml").write_text("title: [\n", "utf-8")
    with running(root) as server:
        yield server


@pytest.fixture
def page(browser: Any, app: Running) -> Iterator[Any]:
    context = browser.new_context(base_url=app.base)
    context.set_default_timeout(WAIT)
    context.set_default_navigation_timeout(WAIT)
    expect.set_options(timeout=WAIT)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(f"/?token={app.token}")
    tab.wait_for_url(f"{app.base}/")  # the token page moves on to the address without it
    yield tab
    context.close()
    assert not errors, errors  # no script error on any page


def cell(page: Any, table: str, row_label: str, column: str) -> str:
    """The text of the cell in ``row_label``'s row and ``column``'s column, as shown."""
    return str(
        page.evaluate(
            """([table, rowLabel, column]) => {
                const t = document.querySelector(table);
                const heads = [...t.querySelectorAll('thead th')].map(th => th.innerText.trim());
                const col = heads.findIndex(h => h.toLowerCase() === column.toLowerCase());
                const row = [...t.querySelectorAll('tbody tr')].find(
                    tr => tr.querySelector('th').innerText.trim().startsWith(rowLabel));
                return row.children[col].firstChild.textContent.trim();  // the figure
            }""",
            [table, row_label, column],
        )
    ).replace("\xa0", " ")


def test_the_room_for_2023_is_read_from_the_page(page: Any, app: Running) -> None:
    page.get_by_role("link", name=PLAN).click()
    page.wait_for_url(re.compile(rf"/plan/{PLAN}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Verksamhets- och budgetplan 2023")
    assert cell(page, "#nyckeltal", ROOM_ROW, "Budgetplan 2023") == "317 729"
    page.get_by_role("navigation", name="Planens sidor").get_by_role("link", name="Budget").click()
    page.wait_for_url(re.compile(rf"/budget/{PLAN}$"))
    assert cell(page, "#tabell-summary", ROOM_ROW, "Budgetplan 2023") == "317 729"


def type_over(page: Any, old: str, new: str) -> None:
    """As a person edits: select ``old`` in the editor's text and type ``new`` over it."""
    found = page.evaluate(
        """(old) => {
            const t = document.getElementById('text');
            const at = t.value.indexOf(old);
            if (at < 0) return false;
            t.focus();
            t.setSelectionRange(at, at + old.length);
            return true;
        }""",
        old,
    )
    assert found, old
    page.keyboard.type(new)


def codes(text: str) -> set[str]:
    loaded = load_text(text.encode("utf-8"), PLAN, plan_id="plan-2023")
    return {f.code for f in validate(loaded)}


def test_edit_an_amount_save_and_see_the_new_total_and_finding(page: Any, app: Running) -> None:
    plan = app.root / PLAN
    before = plan.read_text("utf-8")
    after = before.replace(
        "amounts: {2022: 900000, 2023: 1500000", "amounts: {2022: 900000, 2023: 1900000", 1
    )
    assert after != before
    new_codes = codes(after) - codes(before)
    assert new_codes  # the personnel cost 400 000 higher leaves no room: a new finding
    page.goto(f"/redigera/{PLAN}")
    type_over(page, "2023: 1500000", "2023: 1900000")
    page.get_by_role("button", name="Kontrollera").click()
    result = page.locator("#kontroll-resultat")
    expect(result).to_contain_text("Inget är sparat ännu")
    for code in new_codes:
        assert code in result.inner_text()
    assert plan.read_text("utf-8") == before  # checked, not saved
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(re.compile(rf"/plan/{PLAN}\?sparat="))
    expect(page.get_by_role("status").first).to_contain_text("Ändringen är sparad")
    assert plan.read_text("utf-8") == after
    room = format_kronor(317_729 - 400_000).replace("\xa0", " ")
    assert cell(page, "#nyckeltal", ROOM_ROW, "Budgetplan 2023") == room
    page.get_by_role("link", name=re.compile("^Anmärkningar")).click()
    page.wait_for_url(re.compile(rf"/anmarkningar/{PLAN}$"))
    shown = page.locator("main").inner_text()
    for code in new_codes:
        assert code in shown
    backups = list((app.root / ".finsamplan-history").iterdir())
    assert [b.read_text("utf-8") for b in backups] == [before]
    page.go_back()  # the overview with the note that the change is saved
    assert not axe_violations(page)


def test_a_yaml_error_is_refused_with_its_line(page: Any, app: Running) -> None:
    plan = app.root / PLAN
    before = plan.read_bytes()
    lines = before.decode("utf-8").split("\n")
    line = next(i for i, t in enumerate(lines, 1) if t.startswith("year: "))
    page.goto(f"/redigera/{PLAN}")
    type_over(page, "\nyear: 2023", "\nyear: [2023")
    page.get_by_role("button", name="Kontrollera").click()
    result = page.locator("#kontroll-resultat")
    expect(result).to_contain_text("Texten kan inte sparas")
    where = result.locator("a[data-line]").first
    assert int(where.get_attribute("data-line")) in (line, line + 1)
    assert page.get_by_role("button", name="Spara").count() == 0
    where.click()  # jumps to the line in the text
    selected = page.evaluate(
        "() => { const t = document.getElementById('text');"
        " return t.value.slice(0, t.selectionStart).split('\\n').length; }"
    )
    assert selected == int(where.get_attribute("data-line"))
    assert plan.read_bytes() == before


def test_a_file_changed_on_disk_reloads_the_open_page(page: Any, app: Running) -> None:
    page.goto(f"/plan/{PLAN}")
    assert cell(page, "#nyckeltal", ROOM_ROW, "Budgetplan 2023") == "317 729"
    # No wait for the page to listen: it asks for the changes since the generation it was
    # made at, so a change that lands before it listens still reloads it.
    plan = app.root / PLAN
    plan.write_text(plan.read_text("utf-8").replace("2023: 1500000", "2023: 1510000", 1), "utf-8")
    expect(page.locator("#nyckeltal")).to_contain_text("307\u00a0729")  # after the reload
    assert cell(page, "#nyckeltal", ROOM_ROW, "Budgetplan 2023") == "307 729"


PAGES = [
    "/",
    f"/plan/{PLAN}",
    f"/dokument/{PLAN}",
    f"/anmarkningar/{PLAN}",
    f"/budget/{PLAN}",
    f"/prognos/{PLAN}",
    f"/prognos/{PLAN}?scenario=jobbsam-forlangd",
    f"/uppfoljning/{PLAN}",
    f"/uppfoljning/{PLAN}?export=finsamgotland-2023-10.csv&till=2023-10-31",
    f"/uppfoljning/{PLAN}?export=saknas.csv",
    f"/kriterier/{PLAN}",
    f"/redigera/{PLAN}?rad=27",
    f"/fil/{PLAN}?rad=57",
    "/plan/examples/nordana-2027.yaml",
    "/kriterier/examples/nordana-2027.yaml",
    "/uppfoljning/examples/nordana-2027.yaml",
    "/plan/trasig.yaml",
    "/dokument/trasig.yaml",
    "/finns-inte",
]


@pytest.mark.parametrize("app", ["trasig"], indirect=True)
def test_every_page_passes_axe(page: Any, app: Running, browser: Any) -> None:
    failures = {}
    for url in PAGES:
        page.goto(url)
        found = axe_violations(page)
        if found:
            failures[url] = found
    page.goto(f"/redigera/{PLAN}")  # the editor after a check, with findings
    type_over(page, "\nyear: 2023", "\nyear: [2023")
    page.get_by_role("button", name="Kontrollera").click()
    page.locator("#kontroll-resultat").wait_for()
    if found := axe_violations(page):
        failures["editor, checked"] = found
    stranger = browser.new_page()  # no token: the refusal page
    stranger.goto(app.base + "/")
    if found := axe_violations(stranger):
        failures["403"] = found
    stranger.close()
    assert not failures, failures


def test_criteria_matrix_when_the_plan_names_a_profile(page: Any, app: Running) -> None:
    plan = app.root / PLAN
    text = plan.read_text("utf-8").replace("year: 2023\n", "year: 2023\ncriteria: [grund]\n", 1)
    seen = app.generation
    plan.write_text(text, "utf-8")
    app.settle(seen)
    # a tab of its own: the open one may still be reloading for the change (the watch)
    tab = page.context.new_page()
    tab.goto(f"/kriterier/{PLAN}")
    matrix = tab.locator("#kriteriematris")
    assert matrix.count() == 1
    assert "JobbSam" in matrix.inner_text()
    assert not axe_violations(tab)
    tab.goto(f"/dokument/{PLAN}")  # the document has the criteria appendix too
    assert tab.locator("#kriteriematris").count() == 1
    assert not axe_violations(tab)
    tab.goto("/kriterier/examples/nordana-2027.yaml")
    assert "criteria: [grund]" in tab.locator("main").inner_text()


def test_followup_from_an_export_in_the_folder(page: Any, app: Running) -> None:
    page.goto(f"/uppfoljning/{PLAN}")
    page.get_by_label("Export från ekonomisystemet").select_option("finsamgotland-2023-10.csv")
    page.get_by_label(re.compile("^Till och med datum")).fill("2023-10-31")
    page.get_by_role("button", name="Följ upp").click()
    heading = page.get_by_role("heading", name="Utfall till och med 2023-10-31")
    expect(heading).to_have_count(1)
    expect(page.locator("#resultat")).to_have_count(1)


def test_the_editor_keeps_the_text_when_the_file_changes_on_disk(page: Any, app: Running) -> None:
    page.goto(f"/redigera/{PLAN}")
    type_over(page, "2023: 1500000", "2023: 1600000")
    page.get_by_role("button", name="Kontrollera").click()
    expect(page.locator("#kontroll-resultat")).to_contain_text("Inget är sparat ännu")
    plan = app.root / PLAN
    elsewhere = plan.read_text("utf-8") + "# ändrad i ett annat program\n"
    plan.write_text(elsewhere, "utf-8")
    notice = page.locator("#andrat")
    expect(notice).to_contain_text("inte sparad")  # told, not reloaded: the text is still here
    assert "2023: 1600000" in page.locator("#text").input_value()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert").first).to_contain_text("har ändrats av någon annan")
    assert plan.read_text("utf-8") == elsewhere
