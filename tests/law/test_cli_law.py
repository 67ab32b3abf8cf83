"""``ccgkg law duties`` and ``ccgkg law show`` through click's CliRunner: output and exit code of every path."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner

from ccgkg.cli import cli

from .test_duties import GENERAL_DUTIES_2016


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def table_rows(stdout: str) -> list[list[str]]:
    return [re.split(r"\s{2,}", line) for line in stdout.splitlines()]


def test_duties_table_for_a_ccg_in_2016() -> None:
    result = run("law", "duties", "--holder", "ccg", "--as-of", "2016-10-17")
    assert result.exit_code == 0, result.stderr
    rows = table_rows(result.stdout)
    assert rows[0] == ["citation", "title", "force", "holder", "in force from", "until", "regard to guidance", "link"]
    assert set(rows[1][0]) == {"-"}
    body = rows[2:]
    assert len(body) == 114
    general = [(r[0].removeprefix("NHS Act 2006 "), r[2]) for r in body
               if re.match(r"NHS Act 2006 s\.14(P|Q|R|S|T|U|V|W|X|Y|Z|Z1|Z2)\b", r[0])]
    assert general == GENERAL_DUTIES_2016
    assert ["NHS Act 2006 s.14U(3)", "Promote involvement of each patient", "regard", "ccg", "2013-04-01",
            "2022-06-30", ("NHS Act 2006 s.14U(2) (board must publish): Transforming Participation in Health and "
            "Care (2013); Involving people in their own health and care (2017)"),
            "https://www.legislation.gov.uk/ukpga/2006/41/section/14U/3"] in body
    assert ["NHS Act 2006 s.14T", "Duties as to reducing inequalities", "regard", "ccg", "2013-04-01", "2022-06-30",
            "-", "https://www.legislation.gov.uk/ukpga/2006/41/section/14T"] in body
    assert ["NHS Act 2006 s.14U(1)", "Promote involvement of each patient", "obligation", "ccg", "2013-04-01",
            "2022-06-30", ("guidance on it: NHS Act 2006 s.14U(2) (board must publish): Transforming Participation in "
            "Health and Care (2013); Involving people in their own health and care (2017)"),
            "https://www.legislation.gov.uk/ukpga/2006/41/section/14U/1"] in body
    assert ["LGPIHA 2007 s.116B(1)(a) as enacted", "Duty to have regard to assessments and strategies", "regard",
            "ccg, local-authority", "2013-04-01", "2022-06-30", "LGPIHA 2007 s.116 (ccg, local-authority must publish)",
            "https://www.legislation.gov.uk/ukpga/2007/28/section/116B/1/a/2013-04-01"] in body
    assert all(not line.endswith(" ") for line in result.stdout.splitlines())


def test_duties_as_of_2023_lists_no_ccg_duty() -> None:
    result = run("law", "duties", "--holder", "ccg", "--as-of", "2023-01-01")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, "No duties match (holder ccg, as of 2023-01-01).\n", "")
    as_csv = run("law", "duties", "--holder", "ccg", "--as-of", "2023-01-01", "--format", "csv")
    assert as_csv.stdout_bytes == b"citation,title,force,holder,in_force_from,until,regard_to_guidance,link\r\n"
    as_json = run("law", "duties", "--holder", "ccg", "--as-of", "2023-01-01", "--format", "json")
    assert json.loads(as_json.stdout) == []


def test_duties_csv_is_rfc4180() -> None:
    result = run("law", "duties", "--holder", "icb", "--as-of", "2023-01-01", "--format", "csv")
    assert result.exit_code == 0
    raw = result.stdout_bytes.decode("utf-8")
    assert raw.count("\r\n") == 31 and "\n" not in raw.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    assert rows[0] == ["citation", "title", "force", "holder", "in_force_from", "until", "regard_to_guidance", "link"]
    assert rows[1] == ["NHS Act 2006 s.14Z34", "Improvement in quality of services", "unspecified", "icb",
                       "2022-07-01", "", "", "https://www.legislation.gov.uk/ukpga/2006/41/section/14Z34"]
    assert rows[14] == ["LGPIHA 2007 s.116 as amended 2022-07-01", "Joint strategic needs assessments", "obligation",
                        "icb, local-authority", "2022-07-01", "", "",
                        "https://www.legislation.gov.uk/ukpga/2007/28/section/116/2022-07-01"]


def test_duties_json_objects() -> None:
    result = run("law", "duties", "--holder", "board", "--as-of", "2016-10-17", "--force", "prohibition",
                 "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [{
        "citation": "NHS Act 2006 s.13P", "version_of": None, "version_label": None, "curie": "nhsa06:s13P",
        "title": "Variation in provision of health services", "force": "prohibition",
        "holders": ["board"], "in_force_from": "2013-04-01", "in_force_until": None, "guidance": [],
        "legislation_uri": "https://www.legislation.gov.uk/ukpga/2006/41/section/13P", "verification": "verified"}]


def test_duties_json_guidance_object() -> None:
    result = run("law", "duties", "--holder", "ccg", "--as-of", "2016-10-17", "--force", "regard", "--format", "json")
    s14z25 = next(d for d in json.loads(result.stdout) if d["citation"] == "NHS Act 2006 s.14Z2(5)")
    assert s14z25["guidance"] == [{
        "via": "regard", "provision": "nhsa06:s14Z2-4", "citation": "NHS Act 2006 s.14Z2(4)", "publisher": "board",
        "publishing": "may", "documents": [
            {"iri": "https://w3id.org/ccgkg/ont/acts/guidance/transforming-participation-2013",
             "label": "Transforming Participation in Health and Care (2013)", "published": "2013-09-25",
             "url": "https://www.england.nhs.uk/wp-content/uploads/2013/09/trans-part-hc-guid1.pdf",
             "verification": "verified"},
            {"iri": "https://w3id.org/ccgkg/ont/acts/guidance/patient-public-participation-2017",
             "label": "Patient and public participation in commissioning health and care (2017)",
             "published": "2017-04", "url": None, "verification": "verified"}]}]


@pytest.mark.parametrize(("args", "message"), [
    (["--holder", "ccgs"], "Error: Invalid value for '--holder': 'ccgs' is not one of"),
    (["--force", "must"], "Error: Invalid value for '--force': 'must' is not one of 'obligation', 'power'"),
    (["--as-of", "17/10/2016"], "Error: Invalid value for '--as-of': '17/10/2016' is not a date"),
    (["--format", "xml"], "Error: Invalid value for '--format': 'xml' is not one of 'table', 'csv', 'json'."),
])
def test_duties_bad_options_exit_2(args: list[str], message: str) -> None:
    result = run("law", "duties", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr


@pytest.mark.parametrize(("citation", "first_line"), [
    ("14Z2", "NHS Act 2006 s.14Z2  (nhsa06:s14Z2)"),
    ("s.14Z2", "NHS Act 2006 s.14Z2  (nhsa06:s14Z2)"),
    ("s 14Z2(2)(a)", "NHS Act 2006 s.14Z2(2)(a)  (nhsa06:s14Z2-2-a)"),
    ("s.194(2)", "HSCA 2012 s.194(2)  (hsca12:s194-2)"),
    ("HSCA 2012 s.194(2)", "HSCA 2012 s.194(2)  (hsca12:s194-2)"),
    ("SI 2012/1631 reg 11", "SI 2012/1631 reg 11  (ccgregs12:reg11)"),
    ("reg 11(3)", "SI 2012/1631 reg 11(3)  (ccgregs12:reg11-3)"),
    ("nhsa06:s14Z2", "NHS Act 2006 s.14Z2  (nhsa06:s14Z2)"),
    ("https://www.legislation.gov.uk/ukpga/2006/41/section/14Z2", "NHS Act 2006 s.14Z2  (nhsa06:s14Z2)"),
    ("http://legislation.gov.uk/id/ukpga/2012/7/section/194/2/data.xml", "HSCA 2012 s.194(2)  (hsca12:s194-2)"),
])
def test_show_accepts_every_citation_form(citation: str, first_line: str) -> None:
    result = run("law", "show", citation)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == first_line


def test_show_text() -> None:
    result = run("law", "show", "14W")
    lines = result.stdout.splitlines()
    assert lines[2:9] == [
        "Title:        Obtaining appropriate advice",
        "Source:       National Health Service Act 2006 (NHS Act 2006)",
        "Structure:    section",
        "Force:        -",
        "Holder:       -",
        "In force:     2013-04-01 to 2022-06-30",
        lines[8]]
    assert "Successor:    NHS Act 2006 s.14Z38" in lines
    start = lines.index("Parts:")
    assert [line.split("  [")[0] for line in lines[start + 1:start + 6]] == [
        "  s.14W(1)", "    s.14W(1)(a)", "    s.14W(1)(b)", "  s.14W(2)", "  s.14W(3)"]
    assert lines[start + 6] == "Guidance: -"
    assert lines[-2:] == ["Shapes: -", "Queries: -"]


def test_show_json() -> None:
    result = run("law", "show", "s.14W(3)", "--format", "json")
    data = json.loads(result.stdout)
    assert (data["citation"], data["force"], data["holders"], data["parent"]) == (
        "NHS Act 2006 s.14W(3)", "regard", ["ccg"], "NHS Act 2006 s.14W")
    assert [(g["provision"], g["publishing"]) for g in data["guidance"]] == [("nhsa06:s14W-2", "may")]


def test_show_unknown_citation_exits_2_with_suggestions() -> None:
    result = run("law", "show", "14Z99")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: unknown citation '14Z99': no provision in the ontology matches it\n"
        "Hint: nearest: NHS Act 2006 s.14Z59, NHS Act 2006 s.14Z19, NHS Act 2006 s.14Z, NHS Act 2006 s.14Z8, "
        "NHS Act 2006 s.14Z7\n")


def test_law_help_lists_both_commands() -> None:
    result = run("law", "--help")
    assert result.exit_code == 0
    assert re.search(r"^\s+duties\s", result.stdout, re.MULTILINE) and re.search(r"^\s+show\s", result.stdout, re.MULTILINE)
