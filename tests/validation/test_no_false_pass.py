"""Issue 9 s.4: no data read (by any command that reads DATA), or a provision no rule checks, is an error (exit 2)
that says what was expected, never "No findings", "(0 rows)" or an empty site."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgkg.cli import cli

EXPECTED = ("Hint: expected RDF files (.ttl, .nt, .nq, .trig, .jsonld, .rdf, ...), an analyst workbook "
            "(organisations.csv, areas.csv, memberships.csv, posts.csv, finance.csv, documents.csv, contracts.csv) or "
            "NHS ODS/ONS CSV files (see docs/import.md)")


def run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("files,error", [
    ({}, "Error: no data read from {d}: the folder is empty"),
    ({"notes.txt": "hello\n", "sub/readme.md": "# x\n"},
     "Error: no data read from {d}: none of its files is one ccgkg reads (found notes.txt, sub/readme.md)"),
    ({"Organisations.csv": "code,type\n02H,ccg\n", "member.csv": "a\n"},
     "Error: no data read from {d}: none of its files is one ccgkg reads (found Organisations.csv, member.csv); "
     "misnamed workbook files: Organisations.csv (did you mean organisations.csv?), member.csv (did you mean "
     "memberships.csv?)"),
])
def test_a_folder_that_gives_no_data_is_an_error(tmp_path: Path, files: dict[str, str], error: str) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    query = tmp_path / "all.rq"
    query.write_text("SELECT * { ?s ?p ?o }\n", encoding="utf-8")
    outputs = tmp_path / "out"  # outputs are checked before the data is read: the folder must exist
    outputs.mkdir()
    for command in (["validate"], ["explain", "02H"], ["query", "list-duties"], ["sparql", str(query)],
                    ["infer", "-o", str(outputs / "c.nq")], ["infer", "-o", str(outputs / "c.ttl")],
                    ["publish", "--out", str(outputs / "site")], ["serve", "--get", "/id/org/02H"],
                    ["push", "--endpoint", "http://127.0.0.1:9/store"]):  # refused before any connection
        result = run(*command, str(folder))
        assert (result.exit_code, result.stdout) == (2, ""), command
        lines = [line for line in result.stderr.splitlines() if not line.startswith("[")]  # progress lines
        assert lines == [error.format(d=folder), EXPECTED], command
    assert list(outputs.iterdir()) == []  # nothing written


def test_an_empty_rdf_file_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "e.ttl"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    result = run("validate", str(empty))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"Error: no data read from {empty}: the file holds no triples", EXPECTED]


def test_a_source_with_data_beside_an_empty_one_is_still_refused(tmp_path: Path) -> None:
    good = tmp_path / "g.ttl"
    good.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    result = run("validate", str(good), str(tmp_path / "empty"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"Error: no data read from {tmp_path / 'empty'}: the folder is empty"


def test_a_provision_no_rule_checks_is_an_error() -> None:
    result = run("validate", "--provision", "s.14V")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "Error: no rule checks NHS Act 2006 s.14V or its parts: validating against it would find nothing and prove "
        "nothing",
        "Hint: `ccgkg law show 's.14V'` lists the rules that enforce a provision (under Shapes:); choose a provision "
        "that has some"]


def test_a_provision_with_rules_still_validates() -> None:
    result = run("validate", "--provision", "s.194(2)", "--as-of", "2016-10-17", "--org", "E08000010-HWB")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "1 violation, 0 warnings, 0 infos; 1 organisation; 1 provision"


@pytest.mark.parametrize("value,error", [
    ("2016-02-30", "'2016-02-30' is not a real date: February 2016 has 29 days"),
    ("20160230", "'20160230' is not a real date: February 2016 has 29 days"),
    ("2015-02-29", "'2015-02-29' is not a real date: February 2015 has 28 days"),
    ("2016-13-01", "'2016-13-01' is not a real date: there is no month 13"),
    ("17/10/2016", "'17/10/2016' is not a date; write YYYY-MM-DD (or YYYYMMDD), e.g. 2016-10-17"),
    ("yesterday", "'yesterday' is not a date; write YYYY-MM-DD (or YYYYMMDD), e.g. 2016-10-17"),
])
def test_a_bad_as_of_says_whether_it_is_no_date_or_no_real_day(value: str, error: str) -> None:
    result = run("law", "duties", "--as-of", value)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: Invalid value for '--as-of': {error}"


def test_as_of_accepts_iso_8601_basic_format() -> None:
    basic = run("validate", "--as-of", "20161017", "--org", "E08000010-HWB")
    extended = run("validate", "--as-of", "2016-10-17", "--org", "E08000010-HWB")
    assert basic.exit_code == extended.exit_code == 1
    assert basic.stdout == extended.stdout
    assert basic.stdout.startswith("As of 2016-10-17\n")


def test_a_provision_no_rule_checks_beside_one_that_has_rules_is_listed_as_not_checked() -> None:
    result = run("validate", "--provision", "s.194(2)", "--provision", "s.14V", "--as-of", "2016-10-17",
                 "--org", "E08000010-HWB")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["Note: no rule checks NHS Act 2006 s.14V or its parts: it was not checked"]
    assert result.stdout.splitlines()[-1] == "1 violation, 0 warnings, 0 infos; 1 organisation; 1 provision"
