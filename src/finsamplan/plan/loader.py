"""Load a plan file: text → YAML values → ``Plan``, with every problem as a placed finding.

Loading never raises for bad input. It returns a :class:`LoadedPlan` whose ``findings``
hold each problem of the file with ``file:line:col`` (all of them, not the first one), and
whose ``plan`` is ``None`` when the file could not be understood. Cross-references
(years that are not columns, unknown members or lines) are checked here too: a plan that
passes the loader is internally consistent, and the rules only judge its economy.
"""

from __future__ import annotations

import difflib
import math
import typing
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from finsamplan.base.findings import Finding, Path, Severity
from finsamplan.base.inputs import InputError, read_input
from finsamplan.base.money import format_number
from finsamplan.plan.model import MAX_KRONOR, Plan

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails
from finsamplan.plan.references import KEY_CODES, check_references
from finsamplan.plan.walk import cost_lines
from finsamplan.plan.yamlsource import SourceMap, compose, decode

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PLAN_KRONOR = 1000 * MAX_KRONOR
"""All amounts of a plan together: every total, difference and share computed from them then
stays below 2**53, where a spreadsheet's numbers (doubles) are still exact to the krona."""


@dataclass
class LoadedPlan:
    """A plan file as read: its id, the model (if it could be built) and what was found."""

    id: str
    path: FsPath
    source: SourceMap
    plan: Plan | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.plan is not None and not any(
            f.severity is Severity.ERROR for f in self.findings
        )


def load_plan(path: FsPath | str) -> LoadedPlan:
    path = FsPath(path)
    display = _display(path)
    src = SourceMap(display)
    loaded = LoadedPlan(id=path.stem, path=path, source=src)
    try:
        data = read_input(path, MAX_FILE_BYTES)
    except InputError as exc:
        loaded.findings.append(_io_error(display, exc.args[0]))
        return loaded
    return load_text(data, display, plan_id=path.stem, loaded=loaded)


def load_text(
    data: bytes, display: str, *, plan_id: str = "plan", loaded: LoadedPlan | None = None
) -> LoadedPlan:
    """Load a plan from bytes (used by ``load_plan`` and by tests)."""
    src = loaded.source if loaded else SourceMap(display)
    loaded = loaded or LoadedPlan(id=plan_id, path=FsPath(display), source=src)
    text, problems = decode(data, src)
    loaded.findings.extend(problems)
    if text is None:
        return loaded
    value, problems = compose(text, src)
    loaded.findings.extend(problems)
    if value is None or problems:  # the YAML itself is wrong: the schema would only add noise
        return loaded
    try:
        plan = Plan.model_validate(value)
    except ValidationError as exc:
        loaded.findings.extend(schema_findings(exc, src, Plan))
        return loaded
    refs = [src.place(f, key=f.code in KEY_CODES) for f in check_references(plan)]
    loaded.findings.extend(refs)
    loaded.findings.extend(src.place(f) for f in _amounts_too_large(plan))
    if not loaded.findings:
        loaded.plan = plan
    return loaded


def _amounts_too_large(plan: Plan) -> list[Finding]:
    """The amount at which the plan's amounts together pass MAX_PLAN_KRONOR, if they do."""
    places: list[tuple[Path, dict[str, int]]] = [
        (("income", i, "amounts"), line.amounts) for i, line in enumerate(plan.income)
    ]
    for group, i, cost in cost_lines(plan):
        places.append((("costs", group, i, "amounts"), cost.amounts))
        places += [
            (("costs", group, i, "parts", j, "amounts"), part.amounts)
            for j, part in enumerate(cost.parts)
        ]
    places.append((("reserve", "amounts"), plan.reserve.amounts))
    running = 0
    for path, amounts in places:
        for key, amount in amounts.items():
            running += amount
            if running > MAX_PLAN_KRONOR:
                message = (
                    "planens belopp är här tillsammans över 1 000 000 000 000 000 kr; så "
                    "stora summor kan inte visas exakt i alla format"
                )
                return [Finding("SCH004", Severity.ERROR, message, path=(*path, key))]
    return []


def _display(path: FsPath) -> str:
    """The path as the user would write it: relative to the working directory if inside."""
    try:
        return str(path.resolve().relative_to(FsPath.cwd()))
    except (ValueError, OSError):
        return str(path)


def _io_error(file: str, message: str) -> Finding:
    return Finding("IO001", Severity.ERROR, message, file=file)


# --- pydantic errors in Swedish, at the right place --------------------------------------

_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "ett heltal",
    "bool_type": "ja/nej (true/false)",
    "date_type": "ett datum (ÅÅÅÅ-MM-DD)",
    "list_type": "en lista (rader som börjar med '- ')",
    "dict_type": "en mappning (nyckel: värde)",
    "model_type": "en mappning (nyckel: värde)",
    "model_attributes_type": "en mappning (nyckel: värde)",
    "decimal_type": "ett tal",
}
_YAML_READS = {
    "bool": "YAML läser '{text}' som ett sanningsvärde (ja/nej)",
    "int": "YAML läser '{text}' som ett tal",
    "float": "YAML läser '{text}' som ett decimaltal",
    "timestamp": "YAML läser '{text}' som ett datum",
    "null": "YAML läser '{text}' som inget värde",
}


M = typing.TypeVar("M", bound=BaseModel)


def load_model(
    data: bytes, display: str, model: type[M]
) -> tuple[M | None, SourceMap, list[Finding]]:
    """Any YAML file of ours (a criteria profile, say) into ``model``, with placed findings."""
    src = SourceMap(display)
    text, findings = decode(data, src)
    if text is None:
        return None, src, findings
    value, problems = compose(text, src)
    findings.extend(problems)
    if value is None or findings:
        return None, src, findings
    try:
        return model.model_validate(value), src, []
    except ValidationError as exc:
        return None, src, schema_findings(exc, src, model)


def schema_findings(
    exc: ValidationError, src: SourceMap, root: type[BaseModel] = Plan
) -> list[Finding]:
    """Every error pydantic found in a plan (or another model read from YAML) as a finding
    in Swedish, placed in the file: SCH001 unknown key, SCH002 missing key, SCH003 wrong type,
    SCH004 an amount, SCH005 a value outside what is allowed."""
    out = []
    for err in exc.errors(include_url=False):
        code, message, loc, at_key = _explained(err, src, root)
        out.append(src.place(Finding(code, Severity.ERROR, message, path=loc), key=at_key))
    return out


def _explained(
    err: ErrorDetails, src: SourceMap, root: type[BaseModel]
) -> tuple[str, str, Path, bool]:
    """One error's code, message, path and whether it points at the key (not the value)."""
    loc: Path = tuple(err["loc"])
    kind = err["type"]
    name = ".".join(str(p) for p in loc) or "planen"
    if kind == "extra_forbidden":
        return "SCH001", _unknown_key(loc, root), loc, True
    if kind == "missing":
        where = ".".join(str(p) for p in loc[:-1]) or "planens översta nivå"
        return "SCH002", f"nyckeln '{loc[-1]}' saknas i {where}", loc[:-1], False
    if kind.startswith("kronor_") or kind.startswith("share_"):
        return "SCH004", f"{name}: {err['msg']}", loc, False
    if kind == "greater_than_equal" and err.get("ctx", {}).get("ge") == 0:
        message = (
            f"{name}: {err['input']} är negativt; belopp anges som positiva "
            "kronor (kostnader och intäkter står i var sin tabell)"
        )
        return "SCH004", message, loc, False
    if kind in _TYPE_NAMES:
        return "SCH003", _wrong_type(err, name, loc, src), loc, False
    return "SCH005", _not_allowed(err, name), loc, False


def _unknown_key(loc: Path, root: type[BaseModel]) -> str:
    """SCH001: the key, the allowed key it is closest to (or all of them), and a hint when
    a comma in an unquoted text may have split it."""
    key = str(loc[-1]) if loc else "?"
    allowed = _allowed_keys(loc[:-1], root)
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = (
        f"; menade du '{close[0]}'?"
        if close
        else (f"; tillåtna nycklar här: {', '.join(allowed)}" if allowed else "")
    )
    message = f"okänd nyckel '{key}'{hint}"
    if " " in key.strip():
        message += "; kan ett kommatecken i en text ha delat den? Sätt texten inom citattecken"
    return message


def _split_by_comma(loc: Path, tag: tuple[str, str] | None) -> bool:
    """``{2027: 1,234}`` in YAML is the year 2027 with 1 and a "year" 234 with no value: a
    Swedish decimal comma or an English thousands comma, never a year below 1000."""
    if len(loc) < 2 or loc[-2] != "amounts" or not tag or tag[0] != "null":
        return False
    key = str(loc[-1])
    return key.isdigit() and int(key) < 1000


def _wrong_type(err: ErrorDetails, name: str, loc: Path, src: SourceMap) -> str:
    """SCH003: the type expected, and what YAML made of what was written (``no``, ``010``)."""
    message = f"{name}: {_TYPE_NAMES[err['type']]} förväntas"
    tag = src.written(loc, err.get("input"))
    if _split_by_comma(loc, tag):
        where = ".".join(str(p) for p in loc[:-1])
        return (
            f"{where}: ett kommatecken i ett belopp delade det, så att '{loc[-1]}' blev ett "
            f"eget år utan belopp. Skriv beloppet i hela kronor utan kommatecken (1234) "
            f'eller inom citattecken med mellanslag ("1 234")'
        )
    if tag and tag[0] in _YAML_READS:
        return (
            message
            + "; "
            + _YAML_READS[tag[0]].format(text=tag[1])
            + f". Skriv '{tag[1]}' inom citattecken om det är text"
        )
    if "input" in err:
        message += f", fick {_describe(err['input'])}"
    return message


_BOUNDS = {
    "greater_than_equal": "minst",
    "less_than_equal": "högst",
    "greater_than": "större än",
    "less_than": "mindre än",
}


def _not_allowed(err: ErrorDetails, name: str) -> str:
    """SCH005: a value outside what is allowed (a choice, an id, a length, a bound)."""
    kind, ctx = err["type"], err.get("ctx", {})
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        return f"{name}: '{err.get('input')}' är inte tillåtet; ett av {expected}"
    if kind == "string_pattern_mismatch":
        return (
            f"{name}: '{err.get('input')}' är inget giltigt id (små bokstäver "
            "a–z, siffror, - och _)"
        )
    if kind in ("too_short", "string_too_short"):
        least = ctx.get("min_length", 1)
        return (
            f"{name}: får inte vara tom" if least == 1 else f"{name}: behöver minst {least} värden"
        )
    if kind in ("string_too_long", "too_long"):
        unit = "tecken" if kind == "string_too_long" else "värden"
        return f"{name}: för lång; högst {ctx.get('max_length')} {unit}"
    if kind in _BOUNDS:
        bound = next(iter(ctx.values()), "")
        return f"{name}: {err.get('input')} är utanför det tillåtna; {_BOUNDS[kind]} {bound}"
    return f"{name}: " + str(err["msg"]).removeprefix("Value error, ")


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "en mappning"
    if isinstance(value, list):
        return "en lista"
    if value is None:
        return "inget värde"
    if isinstance(value, float) and math.isfinite(value):
        return format_number(value)  # 95 000,0 as a Swede writes it, never 95000.0
    return f"'{value}'"


def _allowed_keys(loc: Path, root: type[BaseModel] = Plan) -> list[str]:
    """The keys a mapping at ``loc`` may hold, walking the model by the error's path."""
    current: Any = root
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(str(part))
            if info is None:
                return []
            current = info.annotation
        else:
            args = typing.get_args(current)
            current = args[-1] if args else None
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if (
            origin in (typing.Union, getattr(__import__("types"), "UnionType", None))
            and len(args) == 1
        ):
            tp = args[0]
            continue
        return tp
