"""Criteria profiles: a region's or a förbund's criteria for insatser, as data.

A profile (``criteria/*.yaml``) lists criteria. Each carries the words of its source (a
verbatim quote with its line and section), the kind of source it comes from (a law, a
recommendation, guidance) and the operative word of the quote ("ska", "bör", "viktigt").
The severity follows from those, so a recommendation's "bör" can never become an error:
"ska" in a law is an error, a recommendation is a warning, guidance is information. Where
the profile reads something into its source (which limit "en begränsad del" means), it says so in
``interpretation``, and every output shows that text next to the verdict.

Which profiles apply is the plan's choice (``criteria: [grund]``) or the command line's
(``--criteria``); none applies by default.
"""

from __future__ import annotations

import re
from pathlib import Path as FsPath
from typing import Literal

from pydantic import Field

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.findings import Finding, Path, Severity
from finsamplan.base.inputs import InputError, read_input
from finsamplan.plan.model import ActivityKind, Base, Identifier, Markdown, Share, Text

InsatsFact = Literal[
    "parties",
    "friction",
    "not_core",
    "scalability",
    "operations",
    "implementation",
    "successor",
    "timeline",
    "period",
    "budget",
    "indicators",
    "evaluation",
    "checkpoints",
    "exit_condition",
    "goal",
    "target_group",
    "owner",
    "text",
]
PlanFact = Literal["activities_share", "admin_share", "cooperation", "networks", "plan_text"]
PLAN_FACTS = {"activities_share", "admin_share", "cooperation", "networks", "plan_text"}
Basis = Literal["law", "recommendation", "guidance"]
SeverityName = Literal["error", "warning", "info"]
BASIS_LABELS = {"law": "lag", "recommendation": "rekommendation", "guidance": "vägledning"}

_DEFAULT_KINDS: tuple[ActivityKind, ...] = ("projekt", "utvecklingsinsats")
# The operative words of a law and the severity they carry. A recommendation is a warning
# whatever its words ("ska", "bör", "viktigt", "förordas"); guidance is information.
_LAW_FORCE = {"ska": "error", "skall": "error", "får inte": "error"}
_RANK = {"error": 0, "warning": 1, "info": 2}


class SourceText(Base):
    """Where a criterion comes from: the source's own words and where they stand."""

    quote: Text = Field(description="Källans egna ord, ordagrant.")
    line: int | None = Field(None, ge=1, description="Raden i källtexten där citatet börjar.")
    section: Text | None = Field(None, description="Rubriken i källan.")
    wording: Text | None = Field(
        None, description='Det ord i citatet som anger hur starkt det är: "ska", "bör", "viktigt".'
    )


class Criterion(Base):
    id: Identifier
    title: Text
    level: Literal["insats", "plan"] = "insats"
    requires: list[InsatsFact | PlanFact] = Field(min_length=1)
    severity: SeverityName | None = Field(
        None, description="Utelämnas normalt: följer av källans slag och ord."
    )
    basis: Basis | None = Field(None, description="Källans slag, om det skiljer från profilens.")
    source: SourceText | None = None
    interpretation: Text | None = Field(
        None, description="Profilens läsning av källan; visas vid varje bedömning."
    )
    explanation: Markdown | None = None
    question: Text | None = None
    keywords: list[Text] = Field(
        default_factory=list,
        description="Ord som söks i planens text när beslutsunderlaget inte säger något.",
    )
    applies_to: list[ActivityKind] = Field(
        default_factory=lambda: list(_DEFAULT_KINDS),
        description="Vilka slags insatser kriteriet gäller.",
    )
    min_share: Share | None = None
    max_share: Share | None = None
    override_policy: bool = Field(
        False,
        description=(
            "true: profilens min_share/max_share gäller i stället för planens "
            "policy.admin_share_max (utdata säger det)."
        ),
    )


class Note(Base):
    """A point of the source that a plan cannot show: shown to the reader, not judged."""

    id: Identifier
    title: Text
    source: SourceText
    reason: Text = Field(description="Varför punkten inte bedöms mot planen.")


class Profile(Base):
    format: Literal[1]
    name: Text
    source: Text | None = Field(None, description="Källdokumentets namn.")
    basis: Basis = Field("recommendation", description="Källans slag: law, recommendation, …")
    criteria: list[Criterion] = Field(min_length=1)
    notes: list[Note] = Field(default_factory=list)


class ProfileError(FinsamplanError, ValueError):
    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(findings=findings)


def severity_from_source(basis: str, wording: str | None) -> SeverityName:
    """ "ska" in a law is an error, a recommendation a warning, guidance information."""
    if basis == "law":
        return "error" if _LAW_FORCE.get((wording or "").strip().lower()) else "warning"
    return "warning" if basis == "recommendation" else "info"


def severity(c: Criterion, profile: Profile) -> SeverityName:
    """The criterion's severity: as stated, else from its source."""
    if c.severity is not None:
        return c.severity
    return severity_from_source(c.basis or profile.basis, c.source.wording if c.source else None)


def basis(c: Criterion, profile: Profile) -> str:
    return c.basis or profile.basis


def _consistency(profile: Profile) -> list[tuple[Path, str]]:
    """What a profile says that its own sources contradict."""
    out: list[tuple[Path, str]] = []
    for i, c in enumerate(profile.criteria):
        path: Path = ("criteria", i)
        src = c.source
        if src and src.wording and not _has_word(src.quote, src.wording):
            out.append(
                ((*path, "source", "wording"), f"ordet '{src.wording}' finns inte i citatet")
            )
        if src and c.severity is not None:
            derived = severity_from_source(basis(c, profile), src.wording)
            if _RANK[c.severity] < _RANK[derived]:
                out.append(
                    (
                        (*path, "severity"),
                        f"severity {c.severity} är strängare än källan ('{src.wording or '–'}' "
                        f"i en {BASIS_LABELS[basis(c, profile)]}) medger: högst {derived}",
                    )
                )
        shares = c.min_share is not None or c.max_share is not None
        if shares and not c.override_policy:
            out.append(
                (
                    (*path, "min_share" if c.min_share is not None else "max_share"),
                    "en andel i profilen ersätter planens policy.admin_share_max bara med "
                    "override_policy: true; utan den gäller planens policy",
                )
            )
    return out


def _has_word(text: str, word: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(word), text, re.IGNORECASE) is not None


def builtin_profiles() -> list[str]:
    from finsamplan.plan.catalog import data_dir

    return sorted(p.stem for p in data_dir("criteria").glob("*.yaml"))


def profile_path(name: str, base: FsPath | None = None) -> FsPath | None:
    """The file a profile name means: a path (relative to ``base``), or a name looked up in
    ``criteria/`` of the working directory, then among the profiles shipped."""
    from finsamplan.plan.catalog import data_dir

    if name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name:
        path = FsPath(name)
        return path if path.is_absolute() or base is None else base / path
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", name):
        return None
    for folder in (FsPath.cwd() / "criteria", data_dir("criteria")):
        if (folder / f"{name}.yaml").is_file():
            return folder / f"{name}.yaml"
    return None


def load_profile(name: str, base: FsPath | None = None) -> Profile:
    """A profile by name (one in criteria/, ``grund``) or by path; a ProfileError says
    what is wrong."""
    from finsamplan.plan.loader import load_model

    path = profile_path(name, base)
    if path is None:
        raise ProfileError(
            [
                Finding(
                    "IO001",
                    Severity.ERROR,
                    f"kriterieprofilen '{name}' finns inte (inbyggda: "
                    f"{', '.join(builtin_profiles())}); ange en fil med --criteria FIL",
                )
            ]
        )
    try:
        data = read_input(path, 1024 * 1024, "en kriterieprofil")
    except InputError as exc:
        raise ProfileError([Finding("IO001", Severity.ERROR, str(exc), file=str(path))]) from None
    profile, src, findings = load_model(data, str(path), Profile)
    if profile is None:
        raise ProfileError(findings)
    problems = [
        src.place(Finding("SCH005", Severity.ERROR, message, path=p))
        for p, message in _consistency(profile)
    ]
    if problems:
        raise ProfileError(problems)
    return profile
