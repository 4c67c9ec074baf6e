"""Run finsamplan's benchmarks by hand and write docs/performance.md.

    python benchmarks/run.py                 # all three, ~2 minutes on 2 cores
    python benchmarks/run.py --runs 5        # fewer repetitions

1. start-up: `finsamplan validate plan-2023` against Python importing typer, pydantic, yaml
   and rich (and against the same with pydantic's BaseModel actually loaded);
2. scale: `validate` and `compare` over 10, 76, 100, 1 000 generated förbund
   (benchmarks/make_plans.py), whole commands, to show the growth is linear;
3. render: plan-2023 to every format, time per format (in one process, after imports),
   the PDF in its default variant (PDF/A-3a, tagged) and as PDF/UA-1; with
   ``--baseline DIR`` (another checkout, e.g. ``git worktree add /tmp/base main``) also the
   default `render plan-2023` of both versions, run alternately, and their ratio.
4. serve: start-up to the first response, and plan-2023's page after a change (serve_bench).
5. forecast: `forecast plan-2023 --until 2033` (ten years ahead) against `validate plan-2023`,
   CPU time of paired runs (goal: under 1,3×).

Times are medians of repeated runs of whole processes (wall clock), as a user sees them.
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

from make_plans import make_plans  # noqa: E402
from serve_bench import serve  # noqa: E402


def timed(cmd: list[str], runs: int, cwd: Path | None = None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def sv(text: str) -> str:
    """Decimal commas for the Swedish document: 0.235 s → 0,235 s, 2.25× → 2,25×."""
    return re.sub(r"(\d)\.(\d)", r"\1,\2", text)


def finsamplan() -> list[str]:
    exe = shutil.which("finsamplan")
    return [exe] if exe else [sys.executable, "-m", "finsamplan"]


def startup(runs: int) -> list[str]:
    base = timed([sys.executable, "-c", "import typer, pydantic, yaml, rich"], runs)
    loaded = timed(
        [
            sys.executable,
            "-c",
            "import typer, pydantic, yaml, rich; from pydantic import BaseModel",
        ],
        runs,
    )
    text = timed([*finsamplan(), "validate", "plan-2023", "--format", "text"], runs)
    table = timed([*finsamplan(), "validate", "plan-2023"], runs)
    return [
        "| Kommando | Tid (median) | Mot importen | Mot importen med BaseModel |",
        "|:---|---:|---:|---:|",
        f'| `python -c "import typer, pydantic, yaml, rich"` | {base:.3f} s | 1,00× | |',
        f"| `… ; from pydantic import BaseModel` | {loaded:.3f} s | {loaded / base:.2f}× | 1,00× |",
        f"| `finsamplan validate plan-2023 --format text` | {text:.3f} s | {text / base:.2f}× | "
        f"{text / loaded:.2f}× |",
        f"| `finsamplan validate plan-2023` (tabell) | {table:.3f} s | {table / base:.2f}× | "
        f"{table / loaded:.2f}× |",
    ]


def scale(runs: int) -> list[str]:
    rows = ["| Planer | validate | per plan | compare | per plan |", "|---:|---:|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        for n in (10, 76, 100, 1000):
            folder = Path(tmp) / str(n)
            make_plans(folder, n=n, seed=2026)
            reps = runs if n <= 100 else max(1, runs // 3)
            v = timed([*finsamplan(), "validate", str(folder), "--format", "json"], reps)
            c = timed([*finsamplan(), "compare", str(folder), "--format", "json"], reps)
            rows.append(
                f"| {n} | {v:.2f} s | {v / n * 1000:.1f} ms | {c:.2f} s | {c / n * 1000:.1f} ms |"
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
        whole = timed(
            [*finsamplan(), *args, *(x for f in every for x in ("-f", f))], runs // 2 or 1
        )
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
    sections = {
        "startup": [sv(r) for r in startup(args.runs)],
        "scale": [sv(r) for r in scale(args.runs)],
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
