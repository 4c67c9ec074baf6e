"""The README's Quickstart: two commands, the second installs the clients the tests need."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _quickstart_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_quickstart_is_two_commands_and_the_second_installs_the_clients() -> None:
    commands = _quickstart_commands()
    assert commands == [
        "python3 -m venv .venv && . .venv/bin/activate && pip install . && "
        "finsamplan validate plan-2023 && finsamplan render plan-2023",
        "python3 -m venv .venv && . .venv/bin/activate && bash tests/install-clients.sh && "
        'pip install ".[test]" && pytest',
    ]


def test_ci_calls_the_same_script_and_the_script_parses() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash tests/install-clients.sh" in ci
    assert "python3 -m venv .venv && . .venv/bin/activate" in ci  # as the README says
    assert "apt-get" not in ci  # one list of packages, in the script
    script = ROOT / "tests" / "install-clients.sh"
    text = script.read_text(encoding="utf-8")
    for package in (
        "libreoffice-calc-nogui",
        "libreoffice-writer-nogui",
        "chromium",
        "poppler-utils",
        "libpango-1.0-0",
        "fonts-crosextra-carlito",
    ):
        assert package in text
    assert "npm ci --prefix tests" in text
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
