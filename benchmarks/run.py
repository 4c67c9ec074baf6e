"""Run finsamplan's benchmarks by hand and write docs/performance.md.

    python benchmarks/run.py                 # everything, ~5 minutes on 2 idle cores
    python benchmarks/run.py --runs 5        # fewer repetitions

1. start-up: `finsamplan validate plan-2023` against the floor of a typer command line
   (benchmarks/floor.py: hello world importing typer, pydantic, yaml and rich and parsing the
   same arguments), CPU time, median of paired runs; also benchmarks/startup.py;
2. many plans: `validate DIR` in every format and `compare` over 10 to 3 000 generated
   förbund (benchmarks/make_plans.py): wall and CPU time and peak memory, to show the time
   grows linearly and the memory not at all;
3. one large plan: a 5.4 MB plan file loaded and checked;
4. render: plan-2023 to every format, time per format (in one process, after imports),
   the PDF in its default variant (PDF/A-3a, tagged) and as PDF/UA-1; with
   ``--baseline DIR`` (another checkout, e.g. ``git worktree add /tmp/base main``) also the
   default `render plan-2023` of both versions, run alternately, and their ratio;
5. serve: start-up to the first response, and plan-2023's page after a change (serve_bench);
6. forecast: `forecast plan-2023 --until 2033` (ten years ahead) against `validate plan-2023`,
   CPU time of paired runs (goal: under 1,3×).

finsamplan's bytecode is compiled first, as installing a wheel does.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_plans import make_big_plan, make_plans  # noqa: E402
from measure import compile_sources, finsamplan, median_run, paired_ratio  # noqa: E402
from serve_bench import serve  # noqa: E402

FLOOR = [sys.executable, str(ROOT / "benchmarks" / "floor.py"), "validate", "plan-2023"]
SIZES = (10, 76, 100, 1000, 3000)


def sv(text: str) -> str:
    """Decimal commas for the Swedish document: 0.235 s → 0,235 s, 2.25× → 2,25×."""
    return re.sub(r"(\d)\.(\d)", r"\1,\2", text)


def startup(runs: int) -> list[str]:
    """CPU time of each command and its ratio to the floor, from runs paired with it."""
    commands = [
        ('`python -c "import typer, pydantic, yaml, rich"`', _IMPORTS),
        ("`finsamplan validate plan-2023 --format text`", [*_VALIDATE, "--format", "text"]),
        ("`finsamplan validate plan-2023 --format json`", [*_VALIDATE, "--format", "json"]),
        ("`finsamplan validate plan-2023` (tabell)", _VALIDATE),
    ]
    floors, rows = [], []
    for label, cmd in commands:
        floor, cpu, ratio = paired_ratio(FLOOR, cmd, runs)
        floors.append(floor)
        rows.append(f"| {label} | {cpu:.3f} s | {ratio:.2f}× |")
    floor_row = "| golvet: `python benchmarks/floor.py validate plan-2023` |"
    return [
        "| Kommando | CPU-tid (median) | Mot golvet (median av par) |",
        "|:---|---:|---:|",
        f"{floor_row} {statistics.median(floors):.3f} s | 1,00× |",
        *rows,
    ]


def instructions() -> str:
    """The same commands counted in instructions by callgrind, which no neighbour disturbs."""
    if shutil.which("valgrind") is None:
        return "(valgrind saknas: inte mätt)"
    commands = {
        "golvet": FLOOR,
        "`validate --format text`": [*_VALIDATE, "--format", "text"],
        "`validate --format json`": [*_VALIDATE, "--format", "json"],
        "`validate` med tabell": _VALIDATE,
    }
    counts = {label: _callgrind(cmd) for label, cmd in commands.items()}
    floor = counts["golvet"]
    return ", ".join(
        f"{label} {n / 1e6:,.0f} miljoner ({n / floor:.2f}×)".replace(",", " ")
        for label, n in counts.items()
    )


def model_size() -> str:
    """How big the plan model is that every command builds: its classes and their fields."""
    from pydantic import BaseModel

    import finsamplan.plan.model as model

    classes = {
        c
        for c in vars(model).values()
        if isinstance(c, type) and issubclass(c, BaseModel) and c.__module__ == model.__name__
    }
    fields = sum(len(c.model_fields) for c in classes)
    return f"{len(classes)} pydantic-klasser med {fields} fält"


def _callgrind(cmd: list[str]) -> int:
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        capture_output=True,
        text=True,
        check=False,
    )
    match = re.search(r"Collected : (\d+)", result.stderr)
    return int(match.group(1)) if match else 0


_IMPORTS = [sys.executable, "-c", "import typer, pydantic, yaml, rich"]
_VALIDATE = [*finsamplan(), "validate", "plan-2023"]


def scale(runs: int) -> list[str]:
    rows = [
        "| Planer | Kommando | Vägg | CPU | per plan (CPU) | Minne (PSS, topp) "
        "| största process | Belastning |",
        "|---:|:---|---:|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            folder = Path(tmp) / str(n)
            make_plans(folder, n=n, seed=2026)
            reps = runs if n <= 100 else max(1, runs // 3)
            commands = {
                f"validate -f {fmt}": [*finsamplan(), "validate", str(folder), "-f", fmt]
                for fmt in ("json", "text", "table")
            }
            commands["compare -f json"] = [*finsamplan(), "compare", str(folder), "-f", "json"]
            for label, cmd in commands.items():
                r = median_run(cmd, reps, memory=True)
                rows.append(
                    f"| {n} | `{label}` | {r.wall:.2f} s | {r.cpu:.2f} s | "
                    f"{r.cpu / n * 1000:.1f} ms | {r.pss_mb:.0f} MB | {r.rss_mb:.0f} MB "
                    f"| {os.getloadavg()[0]:.1f} |"
                )
    return rows


def big(runs: int) -> list[str]:
    rows = ["| Plan | Storlek | Vägg | CPU | Minne (PSS, topp) |", "|:---|---:|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        path = make_big_plan(Path(tmp) / "stor.yaml", 5.4)
        r = median_run([*finsamplan(), "validate", str(path), "-f", "text"], runs, memory=True)
        size = path.stat().st_size / 1e6
        rows.append(
            f"| `validate` av en genererad plan | {size:.1f} MB | {r.wall:.2f} s | "
            f"{r.cpu:.2f} s | {r.pss_mb:.0f} MB |"
        )
    return rows


def render(runs: int, baseline: Path | None = None) -> list[str]:
    from finsamplan.figures.budget import compute
    from finsamplan.judge.rules import validate
    from finsamplan.plan.catalog import resolve
    from finsamplan.plan.loader import load_plan
    from finsamplan.render.document import render as render_documents

    loaded = load_plan(resolve("plan-2023"))
    assert loaded.plan is not None
    found = validate(loaded)
    budget = compute(loaded.plan)
    rows = ["| Format | Första gången | Därefter (median) | Storlek |", "|:---|---:|---:|---:|"]
    cases = [
        ("md", "md", None),
        ("html", "html", None),
        ("pdf (PDF/A-3a, taggad: standard)", "pdf", "pdf/a-3a"),
        ("pdf (PDF/UA-1, taggad)", "pdf", "pdf/ua-1"),
        ("docx", "docx", None),
        ("xlsx", "xlsx", None),
        ("csv", "csv", None),
        ("json", "json", None),
    ]
    for label, fmt, variant in cases:
        times, size = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            out = render_documents(
                "plan-2023", loaded.plan, budget, found, [fmt], pdf_variant=variant or "pdf/a-3a"
            )
            times.append(time.perf_counter() - start)
            size = len(next(iter(out.values())))
        rows.append(
            f"| {label} | {times[0]:.3f} s | {statistics.median(times[1:] or times):.3f} s"
            f" | {size // 1024} KiB |"
        )
    every = ["html", "pdf", "md", "xlsx", "csv", "json", "docx"]
    with tempfile.TemporaryDirectory() as tmp:
        args = ["render", "plan-2023", "-o", tmp, "--force"]
        whole = median_run(
            [*finsamplan(), *args, *(x for f in every for x in ("-f", f))], runs // 2 or 1
        ).wall
    rows.append(f"| alla sju, hela kommandot | {whole:.2f} s | | |")
    if baseline is not None:
        rows += ["", *side_by_side(baseline, max(3, runs // 2))]
    return rows


def side_by_side(baseline: Path, runs: int) -> list[str]:
    """The default `render plan-2023` (html, pdf, md, xlsx) of this checkout and of
    ``baseline``, alternately, so both see the same machine load."""
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(runs):
        for src, times in ((ROOT / "src", ours), (baseline / "src", theirs)):
            with tempfile.TemporaryDirectory() as tmp:
                env = {**os.environ, "PYTHONPATH": str(src)}
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "finsamplan", "render", "plan-2023", "-o", tmp],
                    cwd=tmp,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    check=True,
                )
                times.append(time.perf_counter() - start)
    a, b = statistics.median(ours), statistics.median(theirs)
    return [
        "| Standardrendering (html, pdf, md, xlsx) | Median |",
        "|:---|---:|",
        f"| den här versionen | {a:.2f} s |",
        f"| jämförelseversionen ({baseline.name}) | {b:.2f} s |",
        f"| kvot | {a / b:.2f}× |",
    ]


def cpu_time(cmd: list[str]) -> float:
    """CPU time (user + system) of one whole process: steadier than the wall clock on a
    machine shared with other work."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def forecast(runs: int) -> list[str]:
    """Ten years of forecast against validate on the same plan, in pairs run one after the
    other so that both see the same machine; the ratio is the median of the pairs'."""
    pairs = [
        ("tabell", [], []),
        ("json / text", ["-f", "json"], ["--format", "text"]),
    ]
    rows = [
        "| Utdata | `validate plan-2023` | `forecast plan-2023 --until 2033` | Kvot (median) |",
        "|:---|---:|---:|---:|",
    ]
    for name, forecast_args, validate_args in pairs:
        v_times, f_times, ratios = [], [], []
        for _ in range(runs):
            v = cpu_time([*finsamplan(), "validate", "plan-2023", *validate_args])
            f = cpu_time(
                [*finsamplan(), "forecast", "plan-2023", "--until", "2033", *forecast_args]
            )
            v_times.append(v)
            f_times.append(f)
            ratios.append(f / v)
        rows.append(
            f"| {name} | {statistics.median(v_times):.3f} s | {statistics.median(f_times):.3f} s"
            f" | {statistics.median(ratios):.2f}× |"
        )
    return rows


def machine() -> str:
    cpu = platform.processor() or "okänd"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} kärnor, {cpu}; Python {platform.python_version()}; "
        f"{platform.system()} {platform.release()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument(
        "--baseline", type=Path, help="another checkout whose default render to compare with"
    )
    args = parser.parse_args()
    compile_sources()
    subprocess.run(_VALIDATE, capture_output=True, check=False)  # keeps the model's validators
    sections = {
        "startup": [sv(r) for r in startup(args.runs * 2 + 1)],
        "instructions": [sv(instructions())],
        "model": [model_size()],
        "scale": [sv(r) for r in scale(args.runs)],
        "big": [sv(r) for r in big(max(1, args.runs // 3))],
        "render": [sv(r) for r in render(args.runs, args.baseline)],
        "serve": [sv(r) for r in serve(args.runs)],
        "forecast": [sv(r) for r in forecast(args.runs)],
    }
    template = (ROOT / "benchmarks" / "performance.md.in").read_text("utf-8")
    text = template.format(
        date=datetime.date.today().isoformat(),
        machine=machine(),
        **{k: "\n".join(v) for k, v in sections.items()},
    )
    args.out.write_text(text, "utf-8")
    print(text)


if __name__ == "__main__":
    main()
