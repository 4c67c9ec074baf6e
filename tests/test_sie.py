"""SIE 4: files built here, in PC8 (code page 437), read line by line with every line placed.

The ledger below is a made-up förbund's year to October: grants, salaries on cost centre ADM,
JobbSam on cost centre JS, an evaluation on project UTV, a November salary after the period,
one verification with a corrupt amount and one that does not balance. Every bucket and sum
is worked out by hand in the comments.
"""

from __future__ import annotations

import json
import re
import zlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import SEED_PLAN
from typer.testing import CliRunner

from finsamplan.cli import app
from finsamplan.figures import sie
from finsamplan.figures.actuals import ImportError_, load_actuals, read_data, reconcile
from finsamplan.plan.loader import load_plan
from finsamplan.plan.model import Actuals, Plan
from finsamplan.year.followup import followup

D = Decimal
runner = CliRunner()

HEAD = [
    '#PROGRAM "Testbok" 1.0',
    "#FORMAT PC8",
    "#GEN 20231101",
    "#SIETYP 4",
    '#FNAMN "Samordningsförbundet Exempel på Gotland"',
    "#RAR 0 20230101 20231231",
    "#RAR -1 20220101 20221231",
    '#KONTO 1930 "Bank"',
    '#KONTO 2091 "Balanserat resultat"',
    '#KONTO 2099 "Årets resultat"',
    '#KONTO 7010 "Löner"',
    "#KTYP 1930 T",
    '#DIM 1 "Kostnadsställe"',
    '#DIM 6 "Projekt"',
    '#OBJEKT 1 "ADM" "Administration"',
    '#OBJEKT 6 "UTV" "Utvärdering"',
    "#IB 0 1930 1000000.00",
    "#IB 0 2091 -883509.00",
    "#IB 0 2099 -500000.00",
    "#UB 0 1930 777638.50",  # 1 000 000 + the verifications' −222 361,50 on 1930
    "#UB 0 2091 -883509.00",
    "#UB 0 2099 -500000.00",
    "#UB -1 2091 -383509.00",
    "#RES 0 7010 190000.00",  # 95 000 in January and 95 000 in November
    "#RES 0 5010 9999.00",  # wrong: the verifications give 3 500,00
]
VOUCHERS = [
    '#VER A 1 20230115 "Bidrag FK kvartal 1" 20230116',
    "{",
    "   #TRANS 1930 {} 539250.00",
    "   #TRANS 3010 {} -539250.00",
    "}",
    '#VER A 2 20230125 "Lön januari"',
    "{",
    '   #TRANS 7010 {1 "ADM"} 95000.00',
    '   #TRANS 7510 {1 "ADM"} 29849.00',
    "   #TRANS 1930 {} -124849.00",
    "}",
    '#VER A 3 20230320 "JobbSam kvartal 1"',
    "{",
    '   #TRANS 4010 {1 "JS" 6 "JS3"} 535000.00',
    "   #TRANS 1930 {} -535000.00",
    "}",
    '#VER B 4 20230918 "Utvärdering, faktura"',
    "{",
    '   #TRANS 6550 {1 "X" 6 "UTV"} 55000.00 20230918 "Extern utvärdering \\"del 1\\""',
    "   #TRANS 2440 {} -55000.00",
    "}",
    '#VER A 5 20231115 "Lön november"',
    "{",
    '   #TRANS 7010 {1 "ADM"} 95000.00',
    "   #TRANS 1930 {} -95000.00",
    "}",
    '#VER A 6 20230410 "Kontorsmaterial"',
    "{",
    '   #TRANS 6110 {1 "ADM"} 12,50',  # corrupt: a decimal comma
    "   #TRANS 1930 {} -12.50",
    "}",
    '#VER A 7 20230501 "Telefoni"',
    "{",
    '   #TRANS 6210 {1 "ADM"} 3100.00',
    "   #TRANS 1930 {} -3000.00",  # does not balance: 100,00 short
    "}",
    '#VER A 8 20230601 "Hyra, rättad"',
    "{",
    "   #BTRANS 5010 {} 3000.00",
    "   #RTRANS 5010 {} 3500.00",
    "   #TRANS 5010 {} 3500.00",
    "   #TRANS 1930 {} -3500.00",
    "}",
    '#VER A 9 20230201 "Okänt"',
    "{",
    '   #TRANS 9999 {} 250.00 20230201 "Ej planerat"',
    "   #TRANS 1930 {} -250.00",
    "}",
    "detta är ingen SIE-rad",
    "#FRAMTIDA 1 2 3",
]
_FIELD = re.compile(r'"((?:\\"|[^"])*)"|\{([^}]*)\}|(\S+)')


def _contents(text: str) -> list[str]:
    out: list[str] = []
    for quoted, braces, bare in _FIELD.findall(text):
        if braces:
            out += _contents(braces)
        else:
            out.append(bare or quoted.replace('\\"', '"'))
    return out


def spec_checksum(lines: list[str]) -> int:
    """#KSUMMA as the SIE 4B text describes it, written independently of the reader: CRC-32
    over every label and field content, without separators, quotes and braces."""
    crc = 0
    for line in lines:
        if line.strip() in ("{", "}"):
            continue  # braces are no field content
        crc = zlib.crc32("".join(_contents(line.strip())).encode("cp437"), crc)
    return crc


def at(line: str) -> int:
    """The line number of a line of VOUCHERS in the file :func:`build` writes."""
    return 3 + len(HEAD) + VOUCHERS.index(line)


def build(lines: list[str], checksum: bool = True, encoding: str = "cp437") -> bytes:
    body = ["#FLAGGA 0"]
    if checksum:
        body += ["#KSUMMA", *lines, f"#KSUMMA {spec_checksum(lines)}"]
    else:
        body += lines
    return ("\r\n".join(body) + "\r\n").encode(encoding)


@pytest.fixture(scope="module")
def plan() -> Plan:
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    return loaded.plan


def with_project_rule(plan: Plan) -> Actuals:
    """The seed plan's mapping, with the evaluation found by its project."""
    data = plan.actuals.model_dump()
    data["mapping"] = [{"project": "UTV", "line": "jobbsam-utvardering"}, *data["mapping"]]
    return Actuals.model_validate(data)


def test_checksum_is_the_spec_rule() -> None:
    assert spec_checksum(['#KONTO 1930 "Bank och kassa"']) == zlib.crc32(
        b"#KONTO1930Bank och kassa"
    )
    assert spec_checksum(['   #TRANS 7010 {1 "ADM"} 95000.00', "{", "}"]) == zlib.crc32(
        b"#TRANS70101ADM95000.00"
    )
    assert spec_checksum(['#VER A 1 20230101 "Hyra \\"lokal\\""']) == zlib.crc32(
        b'#VERA120230101Hyra "lokal"'
    )


def test_every_line_is_placed_and_checked(tmp_path: Path) -> None:
    data = build(HEAD + VOUCHERS)
    assert "ö".encode("cp437") in data and b"\xc3" not in data  # PC8, not UTF-8
    parsed = sie.parse(data, "bok.se")
    assert parsed.company == "Samordningsförbundet Exempel på Gotland"
    assert parsed.encoding == "cp437" and parsed.checksum == "ok"
    assert parsed.line_count == len(HEAD) + len(VOUCHERS) + 3
    assert set(parsed.lines) <= set(sie.LINE_KINDS)
    assert dict(parsed.lines) == {
        "header": 1 + 7,  # #FLAGGA and the seven header records
        "ksumma": 2,
        "chart": 9,
        "balances": 9,
        "ver": 9,
        "brace": 18,
        "trans": 18,
        "btrans": 1,
        "rtrans": 1,
        "bad": 2,  # the decimal comma and the line that is no record
        "unknown": 1,
    }
    found = [(f.code, f.line, f.severity.value) for f in parsed.findings]
    assert found == [
        ("SIE003", at('#VER A 6 20230410 "Kontorsmaterial"'), "error"),  # 12,50 unread
        ("SIE003", at('#VER A 7 20230501 "Telefoni"'), "error"),  # +100,00
        ("SIE001", at("detta är ingen SIE-rad"), "error"),
        ("SIE007", at("#FRAMTIDA 1 2 3"), "info"),
        ("SIE006", 3 + HEAD.index("#RES 0 5010 9999.00"), "warning"),
    ]
    messages = [f.message for f in parsed.findings]
    assert (
        "verifikation A 7 balanserar inte: summan av dess 2 #TRANS är 100,00, inte 0"
        in (messages[1])
    )
    assert (
        "#RES för konto 5010 är 9\u00a0999,00 men verifikationerna ger 3\u00a0500,00"
        in (messages[4])
    )
    assert [b.row for b in parsed.bad_trans] == [at('   #TRANS 6110 {1 "ADM"} 12,50')]
    assert "'12,50' är inget SIE-belopp" in parsed.bad_trans[0].finding.message
    evaluation = parsed.vouchers[3].transactions[0]
    assert evaluation.objects == (("1", "X"), ("6", "UTV"))
    assert evaluation.text == 'Extern utvärdering "del 1"'


def test_buckets_of_the_follow_up(plan: Plan, tmp_path: Path) -> None:
    path = tmp_path / "bok.se"
    path.write_bytes(build(HEAD + VOUCHERS))
    config = with_project_rule(plan)
    imp = load_actuals(path, config)
    rec = reconcile(imp, date(2023, 1, 1), date(2023, 10, 31))
    # no header row: the rows an SIE file accounts for are its transactions, 18 read and the
    # one whose amount cannot be read (its other lines are counted by kind in imp.lines)
    assert (imp.header_row, len(imp.rows), len(imp.bad), imp.accounted_rows) == (None, 18, 1, 19)
    named = read_data(path.read_bytes(), "bok.txt", config)  # known by its #FLAGGA line
    assert (named.kind, len(named.rows)) == ("sie", 18)
    buckets = {b.key: (b.rows, b.amount, b.unknown) for b in rec.buckets}
    assert buckets == {
        # 3010 −539 250 + 7010 95 000 + 7510 29 849 + 4010 535 000 + 6550 55 000
        # + 6210 3 100 + 5010 3 500
        "mapped": (7, D("182199.00"), 0),
        "unmapped": (1, D("250.00"), 0),  # 9999
        # 1930: 539 250 − 124 849 − 535 000 − 12,50 − 3 000 − 3 500 − 250; 2440: −55 000
        "balance": (8, D("-182361.50"), 0),
        "before": (0, D(0), 0),
        "after": (2, D("0.00"), 0),  # the November salary and its payment
        "malformed": (1, D(0), 1),  # the 12,50 that cannot be read
    }
    assert rec.declared == 0 and rec.counted == D("87.50")
    assert rec.in_period == 7 + 1 + 8  # mapped, unmapped and balance rows in the period
    assert rec.difference == D("-87.50")  # the two verifications that do not balance
    by_line = {r.line: r for r in rec.mapped}
    assert by_line["jobbsam-utvardering"].project == "UTV"
    assert by_line["jobbsam"].cost_centre == "JS"
    loaded = plan.model_copy(update={"actuals": config})
    result = followup(loaded, imp, "plan-2023", date(2023, 10, 31))
    lines = {ln.id: ln.actual for ln in result.lines}
    assert lines["personal"] == 124_849 and lines["jobbsam-utvardering"] == 55_000
    assert lines["avgift-fk"] == 539_250  # income, credit in SIE
    assert result.unmapped_actual == 250  # balance rows are not costs
    recon = next(w for w in result.warnings if w.code == "UPP040")
    assert recon.message == (
        "verifikationernas summa (ska vara 0) 0,00 kr stämmer inte med inlästa rader 87,50 kr: "
        "differens \u221287,50 kr, 1 rad vars belopp inte kunde läsas och 2 verifikationer "
        "som inte balanserar"
    )


def test_cli_reads_sie_and_exits_one_for_unbalanced_verifications(tmp_path: Path) -> None:
    path = tmp_path / "bok.SE"
    path.write_bytes(build(HEAD + VOUCHERS))
    result = runner.invoke(app, ["followup", "plan-2023", "-a", str(path), "-f", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["reconciliation"]["kind"] == "sie"
    assert data["reconciliation"]["sie_lines"]["trans"] == 18
    assert data["until"] == "2023-11-15"  # the last verification of the plan year
    assert [n["code"] for n in data["notes"]] == ["SIE003", "SIE003", "SIE001", "SIE007", "SIE006"]
    table = runner.invoke(app, ["followup", "plan-2023", "-a", str(path), "--until", "2023-10-31"])
    assert "Balanskonton (ingår inte i resultatet) 2023-01-01–2023-10-31: 8 rader" in table.stdout
    telefoni = at('#VER A 7 20230501 "Telefoni"')
    assert f"{path}:{telefoni}: fel SIE003" in table.stdout


def test_checksum_mismatch_and_a_cut_file() -> None:
    small = HEAD[:8] + VOUCHERS[:5]  # no balances to check
    data = build(small)
    assert sie.parse(data, "x.se").findings == []
    tampered = sie.parse(data.replace(b'"Bank"', b'"Bonk"', 1), "x.se")
    assert tampered.checksum == "mismatch"
    assert [f.code for f in tampered.findings] == ["SIE004"]
    cut = sie.parse(data[: data.rindex(b"#KSUMMA ")], "x.se")
    assert cut.checksum == "open" and [f.code for f in cut.findings] == ["SIE005"]
    plain = sie.parse(build(small, checksum=False), "x.se")
    assert plain.checksum == "absent" and plain.findings == []
    signed = small
    crc = spec_checksum(signed)
    as_signed = crc - 2**32 if crc >= 2**31 else crc
    text = "\r\n".join(["#FLAGGA 0", "#KSUMMA", *signed, f"#KSUMMA {as_signed}"])
    assert sie.parse(text.encode("cp437"), "x.se").checksum == "ok"


@pytest.mark.parametrize(
    "lines, code, line",
    [
        (['#VER A 1 20230101 "x"', "{", "#TRANS 1930 {} 1.00", "#TRANS 3010 {} -1"], "SIE002", 2),
        (["#TRANS 1930 {} 1.00"], "SIE001", 2),
        (['#VER A 1 20231301 "x"', "{", "}"], "SIE001", 2),
        (['#VER A 1 20230101 "x"', "{", "#TRANS 1930 1.00", "}"], "SIE001", 4),
        (['#VER A 1 20230101 "x"', "{", '#TRANS 1930 {1 "A} 1.00', "}"], "SIE001", 4),
        (['#VER A 1 20230101 "x"', "{", "#TRANS 1930 {1} 1.00", "}"], "SIE001", 4),
        (['#VER A 1 20230101 "x"', "{", "#TRANS 1930 {} 1e3", "}"], "SIE001", 4),
        (['#VER A 1 20230101 "x"', "{", "#TRANS 1930 {} 1" + "0" * 40, "}"], "SIE001", 4),
        (['#VER A 1 20230101 "x"', "{", "#TRANS 1930 {} 1.005", "}"], "SIE001", 4),
        (['#VER A 1 20230101 "x"', "{", "#IB 0 1930 1.00", "}"], "SIE001", 4),
        (["}"], "SIE001", 2),
        (['#KONTO 1930 "Bank' ], "SIE001", 2),
        (["#KTYP 1930 X"], "SIE001", 2),
        (["#RAR 0 2023 20231231"], "SIE001", 2),
        (["#IB x 1930 1.00"], "SIE001", 2),
        (['#KONTO 1930 "' + "x" * 10_001 + '"'], "SIE001", 2),
    ],
)  # fmt: skip
def test_a_bad_line_is_reported_at_its_line_and_reading_goes_on(
    lines: list[str], code: str, line: int
) -> None:
    tail = ['#VER Z 9 20230102 "efter"', "{", "#TRANS 1930 {} 5.00", "#TRANS 3010 {} -5.00", "}"]
    parsed = sie.parse(build(lines + tail, checksum=False), "x.se")
    problems = [(f.code, f.line) for f in parsed.findings if f.severity.value == "error"]
    problems += [(b.finding.code, b.row) for b in parsed.bad_trans]
    assert (code, line) in problems
    last = parsed.vouchers[-1]
    assert (last.number, [t.amount for t in last.transactions]) == ("9", [D("5.00"), D("-5.00")])
    assert parsed.line_count == len(lines) + len(tail) + 1


def test_utf8_is_read_with_a_warning_and_no_verifications_is_exit_two(tmp_path: Path) -> None:
    parsed = sie.parse(build(HEAD, checksum=False, encoding="utf-8"), "x.se")
    assert parsed.company == "Samordningsförbundet Exempel på Gotland"
    assert [f.code for f in parsed.findings] == ["SIE008"]
    path = tmp_path / "saldon.si"
    path.write_bytes(build(HEAD, checksum=False))
    with pytest.raises(ImportError_) as caught:
        load_actuals(path, Actuals())
    assert caught.value.finding.code == "SIE009"
    result = runner.invoke(app, ["followup", "plan-2023", "-a", str(path)])
    assert result.exit_code == 2 and "SIE009" in result.stderr


def test_closing_balances_of_the_equity_accounts(tmp_path: Path) -> None:
    path = tmp_path / "bok.se"
    path.write_bytes(build(HEAD + VOUCHERS))
    book = sie.read_sie(path)
    equity = sie.closing_balances(book, ["2010-2099"])
    assert equity.accounts == {"2091": D("-883509.00"), "2099": D("-500000.00")}
    assert equity.total == D("-1383509.00") and equity.equity == D("1383509.00")
    assert equity.lines == {"2091": 23, "2099": 24}
    assert sie.closing_balances(book, ["20*"], year=-1).accounts == {
        "2091": D("-383509.00"),
        "2099": D(0),  # in the chart, no #UB for the year before: zero
    }
    assert sie.closing_balances(book, ["2081"]).accounts == {}
    no_ub = sie.parse(build([h for h in HEAD if not h.startswith("#UB")]), "x.se")
    with pytest.raises(ImportError_) as caught:
        sie.closing_balances(no_ub, ["2010-2099"])
    assert caught.value.finding.code == "SIE010"
