"""Print how much CPU time `finsamplan validate plan-2023` takes against the typer floor.

    python benchmarks/startup.py              # 21 paired runs, about 15 seconds
    python benchmarks/startup.py --runs 41 --format text

The first run of an install builds the plan model's validators and keeps them
(plan/prebuilt.py); a run before the measured ones does that. The floor is
benchmarks/floor.py: a hello-world typer command that imports typer, pydantic, yaml and
rich and parses the same arguments. Runs are taken in pairs and the ratio is the median of
the pairs' ratios. The target (issue 12) is at most 1.2. By hand,
not in CI: a shared CI machine measures its neighbours as much as finsamplan.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from measure import ROOT, compile_sources, finsamplan, paired_ratio

TARGET = 1.2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--format", default="table", choices=["table", "text", "json"])
    args = parser.parse_args()
    compile_sources()
    floor = [sys.executable, str(ROOT / "benchmarks" / "floor.py"), "validate", "plan-2023"]
    command = [*finsamplan(), "validate", "plan-2023", "--format", args.format]
    subprocess.run(command, capture_output=True, check=False)  # keeps the model's validators
    base, cpu, ratio = paired_ratio(floor, command, args.runs)
    print(f"golvet (benchmarks/floor.py validate plan-2023): {base:.3f} s CPU")
    print(f"finsamplan validate plan-2023 --format {args.format}: {cpu:.3f} s CPU")
    verdict = "inom" if ratio <= TARGET else "över"
    print(f"kvot (median av {args.runs} par): {ratio:.2f} ({verdict} målet {TARGET})")


if __name__ == "__main__":
    main()
