"""Nothing lost, nothing injected: inputs unchanged by every command, no template escape."""

from __future__ import annotations

import hashlib
import http.server
import re
import struct
import subprocess
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import MINIMAL, PLANS, ROOT, SEED_PLAN, need_tool, where
from typer.testing import CliRunner

from finsamplan.cli import app

runner = CliRunner()
EXPORT = ROOT / "tests" / "data" / "finsamgotland-2023-10.csv"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_no_command_modifies_its_inputs(tmp_path: Path) -> None:
    inputs = [
        SEED_PLAN,
        PLANS / "examples" / "exempel-2027.yaml",
        EXPORT,
        ROOT / "criteria" / "skane.yaml",
    ]
    before = {p: digest(p) for p in inputs}
    out = str(tmp_path / "ut")
    commands = [
        ["validate", str(SEED_PLAN)],
        ["render", str(SEED_PLAN), "-o", out, "-f", "md", "-f", "xlsx", "-f", "csv"],
        ["render", str(SEED_PLAN), "--insats", "jobbsam", "-o", out, "-f", "md"],
        ["forecast", str(SEED_PLAN), "-f", "json"],
        ["check", str(SEED_PLAN), "--criteria", str(ROOT / "criteria" / "skane.yaml")],
        ["followup", str(SEED_PLAN), "-a", str(EXPORT), "-f", "json", "-o", out],
        ["compare", str(SEED_PLAN), str(PLANS / "examples" / "exempel-2027.yaml")],
        ["new", str(tmp_path / "plan-2024.yaml"), "--from", str(SEED_PLAN)],
    ]
    for args in commands:
        result = runner.invoke(app, args)
        assert result.exit_code in (0, 1), (args, result.output)
    assert {p: digest(p) for p in inputs} == before


def test_plan_text_is_not_a_template(tmp_path: Path) -> None:
    plan = tmp_path / "mall.yaml"
    plan.write_text(
        MINIMAL + 'sections:\n  - id: s\n    title: "{{ 7*7 }}"\n'
        "    text: \"{% include '/etc/passwd' %} {{ config }} {{ reserve 2027 }}\"\n",
        "utf-8",
    )
    result = runner.invoke(
        app, ["render", str(plan), "-f", "md", "-f", "html", "-o", str(tmp_path / "o")]
    )
    assert result.exit_code == 0, result.output
    md = (tmp_path / "o" / "plan.md").read_text("utf-8")
    assert "{{ 7*7 }}" in md and "{% include '/etc/passwd' %}" in md and "{{ config }}" in md
    assert "100\u00a0000" in md  # only the budget placeholder is filled
    assert "root:" not in md


def test_templates_cannot_escape_their_folder(tmp_path: Path) -> None:
    mine = tmp_path / "mallar"
    mine.mkdir()
    (tmp_path / "hemlig.j2").write_text("HEMLIGT", "utf-8")
    (mine / "plan.md.j2").write_text("{% include '../hemlig.j2' %}", "utf-8")
    result = runner.invoke(
        app,
        ["render", str(SEED_PLAN), "-f", "md", "-o", str(tmp_path / "o"), "--templates", str(mine)],
    )
    assert result.exit_code == 2
    assert "mallfel" in result.stderr
    assert not (tmp_path / "o" / "plan.md").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        # a name with a slash is a path as written: no ".yaml" is added, so the plan one
        # folder up is not found by climbing out of plans/
        ("../plan-2023", "finsamplan: ../plan-2023: filen finns inte"),
        ("plans/../../plan-2023", "finsamplan: plans/../../plan-2023: filen finns inte"),
        # ".." is a folder (searched like any folder); the one above holds no plans
        ("..", "finsamplan: ..: mappen innehåller inga planfiler"),
        # an id is letters, digits, "_", "." and "-", starting with a letter or digit
        ("..plan-2023", "finsamplan: '..plan-2023' är inget giltigt plan-id"),
        (".plan-2023", "finsamplan: '.plan-2023' är inget giltigt plan-id"),
        ("-x", "finsamplan: '-x' är inget giltigt plan-id"),
    ],
)
def test_plan_ids_stay_inside_plans(
    name: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each name is refused for its own reason, and none reaches a plan around it: the
    working folder (tmp/a/b), one folder up and two up each hold a plan-2023 that would
    validate (for "..", only two up: one up holds the working folder)."""
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    for folder in [tmp_path] if name == ".." else [tmp_path, work.parent, work]:
        (folder / "plan-2023.yaml").write_bytes(SEED_PLAN.read_bytes())
    monkeypatch.chdir(work)
    result = runner.invoke(app, ["validate", "--", name])
    assert result.exit_code == 2, (name, result.output)
    last = " ".join(result.stderr.split()).split("finsamplan: ")[-1]
    assert ("finsamplan: " + last).startswith(message), result.stderr
    assert "FIN0" not in result.output  # no plan was validated


# --- rendering reaches neither the network nor files outside the plan's assets ------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A web server that answers every request with an image, and remembers it."""

    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'
        self.send_response(200)
        self.send_header("Content-Type", "image/svg+xml")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def web() -> Iterator[str]:
    """The address of a server on 127.0.0.1 that records every request made to it."""
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def one_pixel_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def plan_with_images(folder: Path, web: str) -> Path:
    (folder / "assets").mkdir(parents=True)
    (folder / "assets" / "logga.png").write_bytes(one_pixel_png())
    (folder / "hemlig.png").write_bytes(one_pixel_png())
    text = (
        f"![fjärran]({web}/bild.svg) ![logga](assets/logga.png) "
        "![utanför](assets/../hemlig.png) ![spårning][r]\\n\\n"
        f"[r]: {web}/spara.gif"
    )
    plan = folder / "plan.yaml"
    plan.write_text(
        MINIMAL + f'sections:\n  - id: bilder\n    title: Bilder\n    text: "{text}"\n', "utf-8"
    )
    return plan


def test_render_makes_no_request_and_reads_no_file_outside_assets(tmp_path: Path, web: str) -> None:
    plan = plan_with_images(tmp_path / "plan", web)
    templates = tmp_path / "mallar"
    templates.mkdir()
    own = (ROOT / "templates" / "plan.html.j2").read_text("utf-8")
    hostile = (
        f'<link rel="stylesheet" href="{web}/stil.css">'
        f"<style>@import url({web}/import.css); body {{ background: url({web}/bg.png) }}</style>"
        f'<img src="{web}/mall.png"><img src="file:///etc/hostname">'
        f'<img src="{(tmp_path / "plan" / "hemlig.png").as_uri()}">'
        '<img src="assets/logga.png" alt="mallens logga">'
    )
    (templates / "plan.html.j2").write_text(own.replace("<body>", "<body>" + hostile, 1), "utf-8")
    out = tmp_path / "ut"
    result = runner.invoke(
        app,
        [
            "render",
            str(plan),
            "-f",
            "html",
            "-f",
            "pdf",
            "-o",
            str(out),
            "--templates",
            str(templates),
        ],
    )
    assert result.exit_code == 0, result.output
    assert _Recorder.requests == []
    page = (out / "plan.html").read_text("utf-8")
    assert "[bild: fjärran]" in page and "[bild: utanför]" in page and "[bild: spårning]" in page
    assert f'<img src="{web}/bild.svg' not in page
    assert '<img src="data:image/png;base64,' in page  # the plan's own asset, embedded
    images = subprocess.run(
        [need_tool("pdfimages"), "-list", str(out / "plan.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[2:]
    # The asset from the text and the template's assets/logga.png; neither hemlig.png nor
    # anything from the server.
    assert len(images) == 2, images
    assert [line.split()[3:5] for line in images] == [["1", "1"]] * 2, images


def test_images_that_are_left_out_are_findings_with_their_place(tmp_path: Path) -> None:
    plan = plan_with_images(tmp_path, "http://127.0.0.1:9")
    result = runner.invoke(app, ["validate", str(plan), "--format", "text"])
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stdout.splitlines() if "IMG001" in ln]
    assert len(lines) == 3, result.stdout
    assert all(ln.startswith(f"{plan}:") and ":varning IMG001" not in ln for ln in lines)
    assert "http://127.0.0.1:9/bild.svg' tas inte med" in lines[0]
    assert "leder ut ur mappen assets/" in lines[1]
    line, column = where(plan.read_text("utf-8"), '"![fjärran]')
    assert all(ln.startswith(f"{plan}:{line}:{column}: varning IMG001") for ln in lines)


def test_chart_labels_are_drawn_as_written(tmp_path: Path) -> None:
    plan = tmp_path / "pengar.yaml"
    plan.write_text(
        MINIMAL.replace(
            "{year: 2028, kind: prognos}", '{year: 2028, kind: prognos, label: "Kostar $5 och $6"}'
        ).replace(
            "{year: 2029, kind: prognos}", '{year: 2029, kind: prognos, label: "$\\\\frac{1}{0}$"}'
        ),
        "utf-8",
    )
    result = runner.invoke(app, ["render", str(plan), "-f", "html", "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "o" / "plan.html").read_text("utf-8")
    svg_texts = re.findall(r"<text[^>]*>([^<]*)</text>", page)
    assert "Kostar $5 och $6" in svg_texts and "$\\frac{1}{0}$" in svg_texts


# --- every numeric and date option is bounded ---------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["forecast", "plan-2023", "--until", "999999999"], "--until 999999999: ange ett år"),
        (["forecast", "plan-2023", "--until", "2101"], "ange ett år mellan 2000 och 2100"),
        (["forecast", "plan-2023", "--until", "2034"], "högst 10 år efter planåret 2023"),
        (["forecast", "plan-2023", "--until", "tjugo"], "--until tjugo: ange ett år"),
        (["forecast", "plan-2023", "--years", "2024", "--years", "2200"], "--years 2200"),
        (["forecast", "plan-2023", "--years", "２０２４"], "--years ２０２４: ange ett år"),
        (["check", "plan-2023", "--within", "99999999999d"], "högst 3\u00a0650 dagar"),
        (["check", "plan-2023", "--within", "522w"], "högst 3\u00a0650 dagar"),
        (["check", "plan-2023", "--within", "٩٠d"], "skriv t.ex. 90d"),
        (["check", "plan-2023", "--within", "-5d"], "skriv t.ex. 90d"),
        (["check", "plan-2023", "--today", "9999-12-31"], "mellan 2000 och 2100"),
        (["check", "plan-2023", "--today", "2023-02-29"], "finns inte i kalendern"),
        (["check", "plan-2023", "--today", "2023-W01-1"], "skriv datumet som ÅÅÅÅ-MM-DD"),
        (["followup", "plan-2023", "-a", "x.csv", "--until", "3000-01-01"], "mellan 2000"),
        (["followup", "plan-2023", "-a", "x.csv", "--until", "2023-13-01"], "kalendern"),
    ],
)
def test_out_of_range_options_are_usage_errors(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_largest_options_within_bounds_work() -> None:
    """Ten years of forecast and a ten-year window of checkpoints give what they ask for."""
    import json
    from datetime import date, timedelta

    result = runner.invoke(app, ["forecast", "plan-2023", "--until", "2033", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["years"] == [str(y) for y in range(2024, 2034)]
    assert data["totals"]["room"]["2033"] == 1_489_000
    for year, eq in data["equity"].items():  # every year brings in what the one before left
        assert eq["closing_before"] - eq["room_spent"] == eq["brought"], year
    result = runner.invoke(
        app, ["check", "plan-2023", "--within", "3650d", "--today", "2100-12-31"]
    )
    assert result.exit_code == 0, result.output
    end = date(2100, 12, 31) + timedelta(days=3650)
    assert f"Kontrollpunkter 2100-12-31 – {end}:" in " ".join(result.stdout.split())


def test_new_writes_only_a_yaml_file_in_an_existing_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    for name, message in (
        ("../../x", "ska sluta på .yaml"),
        ("../../ny/x.yaml", "finns inte; finsamplan new skapar inga mappar"),
        ("plans/../../x", "ska sluta på .yaml"),
        ("..", "inget giltigt plan-id"),
    ):
        result = runner.invoke(app, ["new", name, "--from", str(SEED_PLAN)])
        assert result.exit_code == 2 and message in result.stderr, (name, result.output)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b"]
    # from a shipped plan (by id) the new plan goes to plans/ here, the one folder new makes
    assert runner.invoke(app, ["new", "plan-2024", "--from", "plan-2023"]).exit_code == 0
    assert (work / "plans" / "plan-2024.yaml").is_file()
