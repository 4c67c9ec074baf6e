"""``finsamplan serve`` over real sockets: the token, CSRF, paths, the editor's refusals.

The server is the real app on uvicorn (tests/serve_support.py); requests are sent by
``http.client`` exactly as written, so ``../`` reaches the server unnormalised.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from serve_support import Running, plans_copy, running

from finsamplan.web.editor import file_bytes

PLAN = "plan-2023.yaml"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Running]:
    with running(plans_copy(tmp_path), watching=False) as server:
        yield server


def form_values(html: str) -> dict[str, str]:
    """The hidden fields of the editor's form."""
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def test_every_page_and_asset_needs_the_token(app: Running) -> None:
    for path in ["/", f"/plan/{PLAN}", f"/redigera/{PLAN}", "/static/app.css", "/andringar"]:
        status, _, body = app.request("GET", path)
        assert status == 403, path
        assert "Ingen åtkomst" in body
    assert app.request("GET", "/?token=fel")[0] == 403
    assert app.request("GET", "/", cookie="gissad")[0] == 403


def test_the_token_gives_a_strict_httponly_cookie(app: Running) -> None:
    status, headers, body = app.request("GET", f"/plan/{PLAN}?token={app.token}")
    assert status == 200
    cookie = headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    assert app.token not in body  # the next page is the same address without the token
    assert f'url=/plan/{PLAN}"' in body
    session = app.login()
    status, headers, body = app.request("GET", f"/plan/{PLAN}", cookie=session)
    assert status == 200 and "317 729" in body
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "same-origin"


def test_a_foreign_host_header_is_refused(app: Running) -> None:
    session = app.login()
    status, _, _ = app.request("GET", "/", cookie=session, headers={"Host": "evil.example:80"})
    assert status == 403


def test_no_path_outside_the_served_folder(app: Running, tmp_path: Path) -> None:
    secret = tmp_path / "hemligt.yaml"
    secret.write_text("hemlig: text-som-inte-far-visas\n", "utf-8")
    (app.root / "ut.yaml").symlink_to(secret)
    (app.root / "utmapp").symlink_to(tmp_path)
    session = app.login()
    attempts = [
        "/plan/../hemligt.yaml",
        "/plan/../../../../etc/passwd",
        "/fil/%2e%2e/hemligt.yaml",
        "/fil/%2E%2E%2Fhemligt.yaml",
        "/redigera/..%2fhemligt.yaml",
        f"/plan/{quote(str(secret))}",
        f"/plan/{secret}",
        "/plan//etc/passwd",
        "/fil/ut.yaml",
        "/fil/utmapp/hemligt.yaml",
        "/redigera/ut.yaml",
        "/fil/finsamgotland-2023-10.csv",  # inside, but not a plan
        "/fil/.finsamplan-history/x.yaml",
        "/static/..%2f..%2fapp.py",
        "/static/../web/app.py",
    ]
    for path in attempts:
        status, _, body = app.request("GET", path, cookie=session)
        assert status == 404, path
        assert "text-som-inte-far-visas" not in body and "root:" not in body
    body = f"csrf=x&opened=x&action=spara&text={quote('hemlig: 1')}"
    for path in ["/redigera/../hemligt.yaml", "/redigera/ut.yaml"]:
        assert app.request("POST", path, cookie=session, body=body)[0] == 404
    assert secret.read_text("utf-8") == "hemlig: text-som-inte-far-visas\n"
    query = urlencode({"export": "../hemligt.yaml"})
    status, _, page = app.request("GET", f"/uppfoljning/{PLAN}?{query}", cookie=session)
    assert status == 200 and "finns inte i mappen" in page
    assert "text-som-inte-far-visas" not in page


def _editor(app: Running, session: str) -> tuple[str, dict[str, str]]:
    status, _, html = app.request("GET", f"/redigera/{PLAN}", cookie=session)
    assert status == 200
    return html, form_values(html)


def _post(app: Running, session: str, fields: dict[str, str], **headers: str) -> tuple[int, str]:
    """A POST as the browser sends it from the editor: with Origin unless told otherwise."""
    if "Referer" not in headers and "NoOrigin" not in headers:
        headers = {"Origin": app.base, **headers}
    headers.pop("NoOrigin", None)
    status, _, html = app.request(
        "POST", f"/redigera/{PLAN}", cookie=session, body=urlencode(fields), headers=headers
    )
    return status, html


def test_a_post_without_the_csrf_token_is_refused(app: Running) -> None:
    session = app.login()
    _, values = _editor(app, session)
    plan = app.root / PLAN
    before = plan.read_bytes()
    text = before.decode("utf-8").replace("2023: 1500000", "2023: 1600000")
    fields = {"opened": values["opened"], "text": text, "action": "kontrollera"}
    assert _post(app, session, fields)[0] == 403
    assert _post(app, session, {**fields, "csrf": "0" * 64})[0] == 403
    other = app.login()  # another session's token is not this one's
    assert _post(app, other, {**fields, "csrf": values["csrf"]})[0] == 403
    good = {**fields, "csrf": values["csrf"]}
    origin = {"Origin": "http://evil.example"}
    assert _post(app, session, good, **origin)[0] == 403
    status, _, _ = app.request("POST", f"/redigera/{PLAN}", body=urlencode(good))
    assert status == 403  # no session cookie at all
    assert plan.read_bytes() == before
    assert _post(app, session, good, Origin=app.base)[0] == 200


def test_a_post_without_origin_or_referer_is_refused_even_with_the_token(app: Running) -> None:
    session = app.login()
    _, values = _editor(app, session)
    plan = app.root / PLAN
    before = plan.read_bytes()
    good = {"opened": values["opened"], "text": before.decode(), "action": "kontrollera"}
    good["csrf"] = values["csrf"]
    status, html = _post(app, session, good, NoOrigin="1")
    assert status == 403
    assert "Formuläret kom inte från den här sidan" in html
    assert _post(app, session, good, Referer="http://evil.example/redigera/x")[0] == 403
    assert _post(app, session, good, Origin="null")[0] == 403
    assert _post(app, session, good, Referer=f"{app.base}/redigera/{PLAN}")[0] == 200
    assert plan.read_bytes() == before


def test_save_checks_first_then_writes_and_keeps_the_old_version(app: Running) -> None:
    session = app.login()
    _, values = _editor(app, session)
    plan = app.root / PLAN
    before = plan.read_bytes()
    text = before.decode("utf-8").replace("2023: 1500000", "2023: 1600000")
    fields = {**values, "text": text.replace("\n", "\r\n"), "action": "spara"}
    status, html = _post(app, session, fields)
    assert status == 409 and "Kontrollera igen" in html  # not checked yet: nothing written
    assert plan.read_bytes() == before
    status, html = _post(app, session, {**fields, "action": "kontrollera"})
    assert status == 200 and "Inget är sparat ännu" in html
    checked = form_values(html)["checked"]
    status, headers, _ = app.request(
        "POST",
        f"/redigera/{PLAN}",
        cookie=session,
        body=urlencode({**fields, "checked": checked}),
        headers={"Origin": app.base},
    )
    assert status == 303
    assert plan.read_bytes() == text.encode("utf-8")  # LF kept, as the file had it
    backups = list((app.root / ".finsamplan-history").iterdir())
    assert [b.read_bytes() for b in backups] == [before]
    assert headers["location"] == f"/plan/{PLAN}?sparat={backups[0].name}"
    status, _, page = app.request("GET", headers["location"], cookie=session)
    assert "Ändringen är sparad" in page and backups[0].name in page
    assert "217 729" in page  # the room for 2023, 100 000 less


def test_a_yaml_error_is_refused_with_its_line_and_the_file_unchanged(app: Running) -> None:
    session = app.login()
    _, values = _editor(app, session)
    plan = app.root / PLAN
    before = plan.read_bytes()
    lines = before.decode("utf-8").split("\n")
    line = next(i for i, t in enumerate(lines, 1) if t.startswith("year:"))
    lines[line - 1] = "year: [2023"
    text = "\n".join(lines)
    status, html = _post(app, session, {**values, "text": text, "action": "kontrollera"})
    assert status == 200 and "Texten kan inte sparas" in html
    assert re.search(rf'data-line="{line}"|data-line="{line + 1}"', html)
    assert 'value="spara"' not in html
    checked_sha = hashlib.sha256(file_bytes(text, before)).hexdigest()  # as if checked
    status, html = _post(
        app, session, {**values, "text": text, "checked": checked_sha, "action": "spara"}
    )
    assert status == 422 and "Texten kan inte sparas" in html
    assert plan.read_bytes() == before
    assert not (app.root / ".finsamplan-history").exists()


def test_save_is_refused_when_the_file_changed_on_disk(app: Running) -> None:
    session = app.login()
    _, values = _editor(app, session)
    plan = app.root / PLAN
    text = plan.read_text("utf-8").replace("2023: 1500000", "2023: 1600000")
    status, html = _post(app, session, {**values, "text": text, "action": "kontrollera"})
    checked = form_values(html)["checked"]
    elsewhere = plan.read_text("utf-8") + "# ändrad i ett annat program\n"
    plan.write_text(elsewhere, "utf-8")
    fields = {**values, "text": text, "checked": checked, "action": "spara"}
    status, html = _post(app, session, fields)
    assert status == 409 and "har ändrats av någon annan" in html
    assert plan.read_text("utf-8") == elsewhere


def test_the_served_folder_lists_new_plans_and_hides_history(app: Running) -> None:
    session = app.login()
    (app.root / ".finsamplan-history").mkdir()
    (app.root / ".finsamplan-history" / "plan-2023.20240101-000000-000000.yaml").write_text("x")
    (app.root / "trasig.yaml").write_text("title: [\n", "utf-8")
    status, _, page = app.request("GET", "/", cookie=session)
    assert status == 200
    assert "plan-2023.yaml" in page and "examples/nordana-2027.yaml" in page
    assert "trasig.yaml" in page and "Kan inte läsas" in page
    assert ".finsamplan-history" not in page
    status, _, page = app.request("GET", "/plan/trasig.yaml", cookie=session)
    assert status == 200 and "Planfilen kan inte läsas in" in page


def test_serve_prints_the_url_and_warns_for_other_interfaces(tmp_path: Path) -> None:
    root = plans_copy(tmp_path)
    env = {**os.environ, "COLUMNS": "200"}
    cmd = [sys.executable, "-m", "finsamplan", "serve", str(root), "--port", "0"]
    proc = subprocess.Popen(
        [*cmd, "--host", "127.0.0.2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline().decode() for _ in range(3)]
        url = re.search(r"http://127\.0\.0\.2:(\d+)/\?token=([\w-]+)", "".join(lines))
        assert url is not None, lines
        import http.client

        conn = http.client.HTTPConnection("127.0.0.2", int(url.group(1)), timeout=10)
        conn.request("GET", f"/?token={url.group(2)}")
        assert conn.getresponse().status == 200
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert "Varning" in err.decode() and "127.0.0.2" in err.decode()


def test_serve_refuses_a_missing_plan(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "finsamplan", "serve", str(tmp_path / "saknas.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "finns inte" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_web_stack_is_imported_only_by_serve() -> None:
    code = (
        "import sys; from finsamplan.cli import app; "
        "print(any(m.split('.')[0] in ('starlette', 'uvicorn', 'watchfiles') for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_document_can_be_downloaded(app: Running) -> None:
    session = app.login()
    status, headers, body = app.request("GET", f"/ladda-ner/pdf/{PLAN}", cookie=session)
    assert status == 200 and body.startswith("%PDF")
    assert headers["content-disposition"] == 'attachment; filename="plan-2023.pdf"'
    status, headers, body = app.request("GET", f"/ladda-ner/xlsx/{PLAN}", cookie=session)
    assert status == 200 and body.startswith("PK")
    for path in [f"/ladda-ner/exe/{PLAN}", "/ladda-ner/pdf/../hemligt.yaml", "/ladda-ner/pdf/"]:
        assert app.request("GET", path, cookie=session)[0] == 404, path


def test_the_shipped_plans_are_shown_but_not_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from finsamplan.plan import catalog
    from finsamplan.web.server import served

    monkeypatch.chdir(tmp_path)  # no plans/ here: the plans that come with finsamplan
    shipped = served(None)
    assert shipped.readonly and shipped.root == catalog.data_dir("plans").resolve()
    assert served("plan-2023").readonly
    assert not served(str(plans_copy(tmp_path))).readonly
    with running(shipped.root, shipped.files, watching=False, readonly=True) as app:
        session = app.login()
        _, values = _editor(app, session)
        plan = app.root / PLAN
        before = plan.read_bytes()
        fields = {**values, "text": before.decode() + "# x\n", "action": "kontrollera"}
        status, html = _post(app, session, fields)
        assert status == 403 and "kan inte ändras här" in html
        assert plan.read_bytes() == before


def test_charts_are_drawn_again_only_when_a_figure_changes(tmp_path: Path) -> None:
    from finsamplan.web import pages
    from finsamplan.web.state import analyse

    data = (plans_copy(tmp_path) / PLAN).read_bytes()
    path = tmp_path / PLAN
    first = pages.charts(analyse(path, PLAN, data))
    text = data.replace(b"Samverkan \xc3\xa4r inte", b"Samverkan \xc3\xa4r ju inte")
    assert pages.charts(analyse(path, PLAN, text)) is first  # only the motto changed
    amount = data.replace(b"2023: 1500000", b"2023: 1600000", 1)
    redrawn = pages.charts(analyse(path, PLAN, amount))
    assert redrawn is not first and redrawn != first


def test_a_busy_port_is_a_message(tmp_path: Path) -> None:
    from finsamplan.web.server import bind

    taken = bind("127.0.0.1", 0)
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "finsamplan",
                "serve",
                str(plans_copy(tmp_path)),
                "--port",
                str(taken.port),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        taken.sock.close()
    assert done.returncode == 2 and "--port" in done.stderr and "Traceback" not in done.stderr
