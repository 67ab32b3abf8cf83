"""``ccgkg validate`` and ``ccgkg explain``: every option and format, exit codes 0, 1 and 2, exact output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from ccgkg.cli import cli
from ccgkg.namespaces import CCGKG

FIXTURES = Path(__file__).resolve().parents[1] / "rules" / "fixtures"
WIGAN = ["--as-of", "2016-10-17", "--org", "E08000010-HWB"]
DPH = "https://w3id.org/ccgkg/ont/acts/health-and-social-care-act-2012/s194-2-d"

WIGAN_TEXT = """\
As of 2016-10-17
HSCA 2012 s.194(2)(d): Establishment of Health and Wellbeing Boards [obligation] https://www.legislation.gov.uk/ukpga/2012/7/section/194/2/d
  VIOLATION E08000010-HWB Wigan Health and Wellbeing Board  on 2016-10-17
            No director of public health sits on the board: it must include the authority's director (HSCA 2012 s.194(2)(d))

1 violation, 0 warnings, 0 infos; 1 organisation; 1 provision
"""

WIGAN_JSON = {
    "conforms": False, "as_of": "2016-10-17", "summary": {"violations": 1, "warnings": 0, "infos": 0},
    "results": [{
        "severity": "violation", "organisation_code": "E08000010-HWB",
        "organisation": "Wigan Health and Wellbeing Board",
        "focus": "https://w3id.org/ccgkg/id/org/E08000010-HWB", "date": "2016-10-17",
        "provisions": [{"uri": "https://www.legislation.gov.uk/ukpga/2012/7/section/194/2/d",
                        "citation": "HSCA 2012 s.194(2)(d)", "title": "Establishment of Health and Wellbeing Boards",
                        "force": "obligation"}],
        "shape": "https://w3id.org/ccgkg/shapes/health-and-social-care-act-2012/BoardHasDirectorOfPublicHealth",
        "path": None, "value": "https://w3id.org/ccgkg/id/org/E08000010-HWB",
        "message": "No director of public health sits on the board: it must include the authority's director "
                   "(HSCA 2012 s.194(2)(d))", "sources": []}],
}


def run(*args: str):
    return CliRunner().invoke(cli, ["validate", *args])


def test_default_is_the_bundled_sample_with_its_breaches_exit_1(sample_result) -> None:
    result = run()
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == "9 violations, 1 warning, 1 info; 6 organisations; 11 provisions"
    assert lines[0].startswith("NHS Act 2006 s.14A(1): General duties of Board in relation to clinical")
    assert "  VIOLATION E08000010-HWB Wigan Health and Wellbeing Board  from 2016-10-01 to 2016-10-31" in lines
    assert "  WARNING   01F NHS Halton Clinical Commissioning Group  from 2019-04-01 to 2020-03-31" in lines
    assert sum(line.startswith(("  VIOLATION", "  WARNING", "  INFO")) for line in lines) == len(sample_result.findings)


def test_text_as_of_and_org() -> None:
    result = run(*WIGAN)
    assert (result.exit_code, result.stdout) == (1, WIGAN_TEXT)


def test_json_contract() -> None:
    result = run(*WIGAN, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    coverage = data.pop("coverage")  # additive (issue 10): the coverage section
    assert data == WIGAN_JSON
    assert (coverage["declared"], coverage["not_judged"]) == (False, 0)  # the sample declares none: all judged
    assert [(r["provisions"], r["judged"], r["passed"], r["breached"], r["not_judged"]) for r in coverage["rules"]] \
        == [(["HSCA 2012 s.194(2)(a)"], 1, 1, 0, 0), (["HSCA 2012 s.194(2)(b)"], 1, 1, 0, 0),
            (["HSCA 2012 s.194(2)(c)"], 1, 1, 0, 0), (["HSCA 2012 s.194(2)(d)"], 1, 0, 1, 0),
            (["HSCA 2012 s.194(2)(e)"], 1, 1, 0, 0), (["HSCA 2012 s.194(2)(f) as enacted"], 1, 1, 0, 0),
            (["NHS Act 2006 s.14Z13(5)"], 1, 1, 0, 0)]


def _report(text: str, fmt: str) -> Graph:
    return Graph().parse(data=text, format=fmt)


@pytest.mark.parametrize(("fmt", "parser"), [("turtle", "turtle"), ("jsonld", "json-ld")])
def test_turtle_and_jsonld_are_the_report_graph(fmt: str, parser: str) -> None:
    result = run(*WIGAN, "--format", fmt)
    assert result.exit_code == 1
    g = _report(result.stdout, parser)
    results = list(g.objects(None, SH.result))
    assert len(results) == 1
    node = results[0]
    assert g.value(node, CCGKG.provision) == URIRef(DPH)
    assert g.value(node, CCGKG.organisation) == URIRef("https://w3id.org/ccgkg/id/org/E08000010-HWB")
    assert str(g.value(node, CCGKG.onDate)) == "2016-10-17"
    assert g.value(node, SH.resultSeverity) == SH.Violation


def test_html_is_one_self_contained_page() -> None:
    result = run(*WIGAN, "--format", "html")
    assert result.exit_code == 1
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>")
    assert "<tr class=\"finding\"><td class=\"violation\">violation</td><td>E08000010-HWB Wigan Health and " \
           "Wellbeing Board</td><td>on 2016-10-17</td>" in page
    assert "<script" not in page and "<link" not in page and "src=" not in page


def test_output_file_is_written_atomically_and_equals_stdout(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = run(*WIGAN, "--format", "json", "--output", str(out))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"1 violation, 0 warnings, 0 infos; 1 organisation; 1 provision; report written to {out}\n"
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written.pop("coverage")["declared"] is False  # additive (issue 10)
    assert written == WIGAN_JSON
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left


def test_output_into_a_missing_folder_exits_2(tmp_path: Path) -> None:
    result = run(*WIGAN, "--output", str(tmp_path / "no" / "report.txt"))
    assert result.exit_code == 2
    assert f"Error: cannot write {tmp_path / 'no' / 'report.txt'}: folder {tmp_path / 'no'} does not exist" \
        in result.stderr


def test_provision_and_fail_on() -> None:
    """Only the s.14R rules: one warning, so exit 0 under --fail-on violation and 1 under warning or info."""
    args = ["--provision", "s.14R", "--org", "01F"]
    assert run(*args).exit_code == 0
    warned = run(*args, "--fail-on", "warning")
    assert warned.exit_code == 1
    assert warned.stdout.splitlines()[-1] == "0 violations, 1 warning, 0 infos; 1 organisation; 1 provision"
    assert run(*args, "--fail-on", "info").exit_code == 1


def test_provision_repeatable() -> None:
    result = run("--provision", "s.223H", "--provision", "s.223K", "--format", "json")
    assert result.exit_code == 1
    cited = [r["provisions"][0]["citation"] for r in json.loads(result.stdout)["results"]]
    assert cited == ["NHS Act 2006 s.223H(1)", "NHS Act 2006 s.223K(7) as enacted"]


def test_no_findings_exit_0() -> None:
    result = run(str(FIXTURES / "hwb-membership-valid.ttl"), "--as-of", "2016-10-17", "--provision", "s.194(2)")
    expected = "As of 2016-10-17\nNo findings.\n0 violations, 0 warnings, 0 infos; 0 organisations; 0 provisions\n"
    assert (result.exit_code, result.stdout) == (0, expected)


def test_inference_none_derives_no_relevance() -> None:
    args = [str(FIXTURES / "hwb-membership-invalid.ttl"), "--as-of", "2016-10-17", "--provision", "s.194(2)(f)"]
    assert run(*args).exit_code == 1
    none = run(*args, "--inference", "none")
    summary = "0 violations, 0 warnings, 0 infos; 0 organisations; 0 provisions"
    assert (none.exit_code, none.stdout.splitlines()[-1]) == (0, summary)
    assert run(*args, "--inference", "owlrl").exit_code == 1


def test_data_folder_and_engine(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "board.ttl").write_bytes((FIXTURES / "hwb-membership-invalid.ttl").read_bytes())
    fast = run(str(folder), "--as-of", "2016-10-17", "--provision", "s.194(2)")
    reference = run(str(folder), "--as-of", "2016-10-17", "--provision", "s.194(2)", "--engine", "pyshacl")
    assert fast.exit_code == reference.exit_code == 1
    assert fast.stdout == reference.stdout
    assert fast.stdout.splitlines()[-1] == "6 violations, 0 warnings, 0 infos; 1 organisation; 6 provisions"


def test_workbook_input(tmp_path: Path) -> None:
    from ccgkg.importers import write_template

    write_template(tmp_path)
    result = run(str(tmp_path), "--as-of", "2016-10-17", "--provision", "SI 2012/1631 reg 11(3)(c)")
    assert result.exit_code == 1
    assert "  VIOLATION 02H NHS Wigan Borough CCG  on 2016-10-17" in result.stdout.splitlines()


EXTRA = """@prefix ccgkg: <https://w3id.org/ccgkg/ont/core/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/shapes/> .
@prefix hsca12: <https://w3id.org/ccgkg/ont/acts/health-and-social-care-act-2012/> .
ex:BoardNamed a sh:NodeShape ; ccgkg:enforces hsca12:s194-2-g ; sh:targetClass ccgkg:HealthAndWellbeingBoard ;
    sh:property [ sh:path ccgkg:code ; sh:pattern "^X" ; sh:severity sh:Info ; sh:message "code does not start X" ] .
"""


def test_extra_shapes(tmp_path: Path) -> None:
    shapes = tmp_path / "extra.ttl"
    shapes.write_text(EXTRA, encoding="utf-8")
    result = run(*WIGAN, "--shapes", str(shapes), "--format", "json")
    assert result.exit_code == 1
    found = [(r["severity"], r["message"]) for r in json.loads(result.stdout)["results"]]
    assert found == [("violation", WIGAN_JSON["results"][0]["message"]), ("info", "code does not start X")]


@pytest.mark.parametrize(("args", "error"), [
    (["--as-of", "2016-13-01"], "Invalid value for '--as-of': '2016-13-01' is not a real date: there is no month 13"),
    (["--provision", "s.999"], "Error: unknown citation 's.999': no provision in the ontology matches it"),
    (["--org", "99Z"], "Error: --org 99Z: no organisation with this code in the data"),
    (["--format", "pdf"], "Invalid value for '--format'"),
    (["--inference", "magic"], "Invalid value for '--inference'"),
    (["/no/such/file.ttl"], "Error: no such file or folder: /no/such/file.ttl"),
    (["--shapes", "/no/such/shapes.ttl"], "Error: no such file or folder: /no/such/shapes.ttl"),
])
def test_bad_input_exits_2(args: list[str], error: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert error in result.stderr
    assert "Traceback" not in result.stderr


def test_unparsable_shapes_name_the_file_and_line(tmp_path: Path) -> None:
    shapes = tmp_path / "bad.ttl"
    shapes.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\nex:c ex:d ex:e\n", encoding="utf-8")
    result = run(*WIGAN, "--shapes", str(shapes))
    assert result.exit_code == 2
    assert f"Error: cannot parse {shapes} (line 2)" in result.stderr
    assert "Hint:" in result.stderr


def test_explain_shows_duties_rules_and_the_facts_of_a_finding() -> None:
    result = CliRunner().invoke(cli, ["explain", "E08000010-HWB", "--as-of", "2016-10-17"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:3] == ["Wigan Health and Wellbeing Board (E08000010-HWB)",
                         "Kinds: ccgkg:HealthAndWellbeingBoard, ccgkg:StatutoryBody", "As of: 2016-10-17"]
    assert "  NHS Act 2006 s.14Z13(5)  Consultation about commissioning plans  [obligation]" in lines
    assert "  BREACHED     HSCA 2012 s.194(2)(d)  Health and Wellbeing Board has the director of public health " \
           "(1 finding)" in lines
    assert "  PASSED       HSCA 2012 s.194(2)(f) as enacted  Health and Wellbeing Board has a representative of each relevant " \
           "group" in lines
    start = lines.index("Findings (1):")
    assert lines[start + 1] == ("  VIOLATION on 2016-10-17: No director of public health sits on the board: it must "
                                "include the authority's director (HSCA 2012 s.194(2)(d))")
    assert lines[start + 2:] == [
        "    fact: E08000010-HWB ccgkg:code E08000010-HWB",
        "    fact: E08000010-HWB ccgkg:parentAuthority E08000010",
        "    fact: E08000010-HWB ccgkg:startDate 2013-04-01",
        "    fact: E08000010-HWB rdfs:label Wigan Health and Wellbeing Board",
        "    fact: post on 2016-10-17: ccgkg:CCGRepresentative held by person/p16",
        "    fact: post on 2016-10-17: ccgkg:Councillor held by person/p11",
        "    fact: post on 2016-10-17: ccgkg:DirectorOfAdultSocialServices held by person/p12",
        "    fact: post on 2016-10-17: ccgkg:DirectorOfChildrensServices held by person/p13",
        "    fact: post on 2016-10-17: ccgkg:HealthwatchRepresentative held by person/p15"]


def test_explain_shows_why_a_group_is_relevant_to_a_board() -> None:
    result = CliRunner().invoke(cli, ["explain", "E08000010-HWB", "--as-of", "2017-06-01"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "    fact: document/02H/commissioning-plan/2017-03-31 ccgkg:consulted E08000010-HWB" in lines
    step = lines.index("    inferred: E08000010-HWB ccgkg:relevantGroup 02H  (ccgkg:relevantGroup is "
                       "ccgkg:parentAuthority o ^ccgkg:localAuthority o ccgkg:areaOf)")
    assert lines[step + 1:] == [
        "      from: E08000010-HWB ccgkg:parentAuthority E08000010",
        "      from: area/02H/E08000010/2013-04-01 ccgkg:localAuthority E08000010",
        "      from: area/02H/E08000010/2013-04-01 ccgkg:areaOf 02H"]


def test_explain_unknown_code_exits_2() -> None:
    result = CliRunner().invoke(cli, ["explain", "99Z"])
    assert result.exit_code == 2
    assert "Error: no organisation with code '99Z' in the data" in result.stderr
