"""``render``'s decisions, made in the core (render/job.py) and testable without a terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from finsamplan.base.errors import EXIT_INPUT, EXIT_RULES, FinsamplanError
from finsamplan.base.findings import Finding, Severity
from finsamplan.render.job import RenderJob, RenderRefused, RuleErrors, notes

ERROR = Finding("FIN010", Severity.ERROR, "staten bidrar inte med hälften", file="p.yaml", line=3)
WARNING = Finding("FIN040", Severity.WARNING, "administrationen över 30 %", file="p.yaml", line=9)
INFO = Finding("FIN071", Severity.INFO, "datum saknas")


def test_a_plan_with_rule_errors_is_refused_without_force() -> None:
    job = RenderJob(())
    assert job.blocking([ERROR, WARNING, INFO]) == [ERROR]
    refused = job.refuse("plan-x", [ERROR])
    assert isinstance(refused, RuleErrors) and isinstance(refused, FinsamplanError)
    assert refused.exit_code == EXIT_RULES and refused.findings == (ERROR,)
    assert str(refused) == "plan-x har 1 regelfel; rätta dem eller använd --force"
    assert RenderJob((), force=True).blocking([ERROR, WARNING]) == []
    assert notes([ERROR, WARNING, INFO]) == [ERROR, WARNING]


def test_samrad_and_insats_exclude_each_other() -> None:
    with pytest.raises(RenderRefused, match="ange ett av dem") as exc:
        RenderJob((), insats="jobbsam", samrad=True)
    assert exc.value.exit_code == EXIT_INPUT


def test_formats_folders_and_stdout() -> None:
    assert RenderJob(()).formats == ["html", "pdf", "md", "xlsx"]
    assert RenderJob(()).folder("plan-2023") == Path("out") / "plan-2023"
    assert RenderJob((), output=Path("x")).folder("plan-2023") == Path("x")
    assert RenderJob(("json",)).to_stdout and RenderJob(("table", "json")).to_stdout
    assert not RenderJob(("json",), output=Path("x")).to_stdout
    assert not RenderJob(("json", "md")).to_stdout
    assert RenderJob(("table", "md", "json")).file_formats() == ["md", "json"]


def test_memo_and_samrad_formats() -> None:
    assert RenderJob(()).memo_formats() == ["html", "pdf", "md"]
    assert RenderJob(("xlsx", "docx", "pdf")).memo_formats() == ["docx", "pdf"]
    assert RenderJob((), samrad=True).samrad_formats() == ["md", "html", "pdf"]
    assert RenderJob(("pdf",), samrad=True).samrad_formats() == ["pdf"]
    with pytest.raises(RenderRefused, match="inte xlsx, docx"):
        RenderJob(("pdf", "xlsx", "docx"), samrad=True).samrad_formats()
