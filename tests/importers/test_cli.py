"""``ccgkg import``: exit codes and output of ods, workbook and template (CliRunner, real files in tmp_path)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgkg.cli import cli

from .test_ods_formats import GOOD, eccg_row
from .test_workbook import ORGS


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_ods_writes_sorted_ntriples_and_counts_on_stderr(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "eccg.csv"
    src.write_text(GOOD)
    out = tmp_path / "orgs.nt"
    result = runner.invoke(cli, ["import", "ods", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    lines = out.read_text().splitlines()
    assert lines == sorted(lines)
    assert ('<https://w3id.org/ccgkg/id/org/02H> <https://w3id.org/ccgkg/ont/core/endDate> '
            '"2022-06-30"^^<http://www.w3.org/2001/XMLSchema#date> .') in lines
    assert result.stdout == ""
    assert f"{src}  ods-eccg                     2        2       0        0" in result.stderr
    assert result.stderr.rstrip().endswith(f"wrote {out}")


def test_ods_without_out_prints_turtle(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "eccg.csv"
    src.write_text(GOOD)
    result = runner.invoke(cli, ["import", "ods", str(src)])
    assert result.exit_code == 0
    assert "org:02H\n    a ccgkg:ClinicalCommissioningGroup ;" in result.stdout
    assert "ccgkg:succeededBy org:13T" not in result.stdout  # no successors file given
    assert "total" in result.stderr


def test_bad_input_exits_2_lists_problems_and_leaves_out_untouched(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "eccg.csv"
    src.write_text(GOOD + eccg_row("02E", "X", open_="2013-04-01") + eccg_row("01F", "Y", close="2020"))
    out = tmp_path / "orgs.ttl"
    out.write_text("previous content\n")
    result = runner.invoke(cli, ["import", "ods", str(src), "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: 2 problem(s) in the input; nothing was written:",
        f"  {src}, row 3, column 'open_date': value '2013-04-01': expected a date written YYYYMMDD, e.g. 20130401",
        f"  {src}, row 4, column 'close_date': value '2020': expected a date written YYYYMMDD, e.g. 20130401",
        "Hint: read 4 rows in 1 file(s), 2 with problems; fix them, or add --lenient to import the good rows and "
        "list the rest"]
    assert out.read_text() == "previous content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eccg.csv", "orgs.ttl"]  # no temporary file left


def test_lenient_exits_0_and_reports_every_rejected_row(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "eccg.csv"
    src.write_text(GOOD + eccg_row("02E", "X", open_="2013-04-01"))
    out = tmp_path / "orgs.ttl"
    result = runner.invoke(cli, ["import", "ods", str(src), "--out", str(out), "--lenient"])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        f"rejected: {src}, row 3, column 'open_date': value '2013-04-01': expected a date written YYYYMMDD, "
        "e.g. 20130401")
    assert f"{src}  ods-eccg                     3        2       0        1" in result.stderr
    assert "org:00F" in out.read_text() and "org:02E" not in out.read_text()


def test_missing_file_and_unknown_suffix_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["import", "ods", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: no such file or folder: {tmp_path / 'nope.csv'}")
    src = tmp_path / "eccg.csv"
    src.write_text(GOOD)
    result = runner.invoke(cli, ["import", "ods", str(src), "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"Error: cannot tell the output format of {tmp_path / 'x.xlsx'} from its suffix"


def test_template_then_workbook_round_trip(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "wb"
    result = runner.invoke(cli, ["import", "template", str(folder)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [str(folder / n) for n in (
        "organisations.csv", "areas.csv", "memberships.csv", "posts.csv", "finance.csv", "documents.csv",
        "contracts.csv")]
    out = tmp_path / "wb.nt"
    result = runner.invoke(cli, ["import", "workbook", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "<https://w3id.org/ccgkg/id/org/QOP>" in out.read_text()
    assert result.stderr.splitlines()[-3].split()[1:] == ["12", "12", "0", "0"]
    again = runner.invoke(cli, ["import", "template", str(folder)])
    assert again.exit_code == 2
    assert again.stderr.startswith(f"Error: {folder} already holds organisations.csv")


def test_workbook_bad_and_lenient(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "wb"
    folder.mkdir()
    (folder / "organisations.csv").write_text(ORGS + "X1,Thing,charity,,,,\n")
    bad = runner.invoke(cli, ["import", "workbook", str(folder)])
    assert bad.exit_code == 2
    assert bad.stdout == ""
    assert bad.stderr.splitlines()[1] == (
        f"  {folder / 'organisations.csv'}, row 8, column 'type': value 'charity': expected one of ccg, "
        "nhs-commissioning-board, local-authority, health-and-wellbeing-board, local-healthwatch, gp-practice, "
        "nhs-trust, independent-provider, icb, pct")
    ok = runner.invoke(cli, ["import", "workbook", str(folder), "--lenient", "--out", str(tmp_path / "o.ttl")])
    assert ok.exit_code == 0
    assert ok.stderr.splitlines()[0].startswith(f"rejected: {folder / 'organisations.csv'}, row 8, column 'type'")
    assert any(line.split()[-4:] == ["7", "6", "0", "1"] for line in ok.stderr.splitlines())


def test_workbook_folder_without_workbook_files_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["import", "workbook", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {tmp_path} holds no workbook file")


def test_help_lists_the_subcommands(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["import", "--help"])
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.stdout.split("Commands:")[1].strip().splitlines()] == [
        "ods", "template", "workbook"]


def test_ods_on_a_workbook_folder_points_to_the_workbook_command(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "organisations.csv").write_text(ORGS)
    result = runner.invoke(cli, ["import", "ods", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"Error: no ODS or ONS file ccgkg knows in {tmp_path}",
                                          "Hint: it looks like an analyst workbook: use `ccgkg import workbook`"]


def test_out_into_a_missing_folder_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "eccg.csv"
    src.write_text(GOOD)
    target = tmp_path / "no" / "such" / "out.ttl"
    result = runner.invoke(cli, ["import", "ods", str(src), "--out", str(target)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"Error: cannot write {target}: folder {target.parent} does not exist"
    assert not target.parent.exists()


def test_output_checked_before_the_import(runner: CliRunner, tmp_path: Path) -> None:
    """Issue 9 s.3: a bad output suffix or folder is reported before any row is read: here the input has a bad
    row too, and the only error is the output's."""
    src = tmp_path / "eccg.csv"
    src.write_text(GOOD + eccg_row("02E", "X", open_="2013-04-01"))
    bad_suffix = runner.invoke(cli, ["import", "ods", str(src), "-o", str(tmp_path / "x.xlsx")])
    assert bad_suffix.exit_code == 2
    assert bad_suffix.stderr.splitlines() == [
        f"Error: cannot tell the output format of {tmp_path / 'x.xlsx'} from its suffix",
        "Hint: use one of .json-ld, .jsonld, .n3, .nt, .rdf, .trig, .ttl, .turtle, .xml"]
    no_folder = runner.invoke(cli, ["import", "workbook", str(tmp_path / "nowb"), "--output",
                                    str(tmp_path / "no" / "o.ttl")])
    assert no_folder.stderr.splitlines()[0] == (f"Error: cannot write {tmp_path / 'no' / 'o.ttl'}: folder "
                                                f"{tmp_path / 'no'} does not exist")
    into_folder = runner.invoke(cli, ["import", "ods", str(src), "-o", str(tmp_path)])
    assert into_folder.exit_code == 2
    assert "is a directory" in into_folder.stderr or "it is a folder" in into_folder.stderr


@pytest.mark.parametrize("option", ["-o", "--output", "--out"])
def test_one_output_option_name_and_the_old_one(runner: CliRunner, tmp_path: Path, option: str) -> None:
    src = tmp_path / "eccg.csv"
    src.write_text(GOOD)
    out = tmp_path / "o.nt"
    result = runner.invoke(cli, ["import", "ods", str(src), option, str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == f"wrote {out}"
    assert "<https://w3id.org/ccgkg/id/org/02H>" in out.read_text()


def test_written_files_keep_the_umask_mode(runner: CliRunner, tmp_path: Path) -> None:
    """Issue 9 s.3: a new file gets 0666 less the umask (not the temporary file's 0600); an existing file keeps
    its mode."""
    import os
    import stat

    src = tmp_path / "eccg.csv"
    src.write_text(GOOD)
    old = os.umask(0o022)
    try:
        new = tmp_path / "new.ttl"
        assert runner.invoke(cli, ["import", "ods", str(src), "-o", str(new)]).exit_code == 0
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        existing = tmp_path / "existing.ttl"
        existing.write_text("x")
        existing.chmod(0o640)
        assert runner.invoke(cli, ["import", "ods", str(src), "-o", str(existing)]).exit_code == 0
        assert stat.S_IMODE(existing.stat().st_mode) == 0o640
        report = tmp_path / "report.json"
        runner.invoke(cli, ["validate", "--format", "json", "-o", str(report)])
        assert stat.S_IMODE(report.stat().st_mode) == 0o644
    finally:
        os.umask(old)


def test_lenient_with_nothing_imported_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "wb"
    folder.mkdir()
    (folder / "organisations.csv").write_bytes(ORGS.encode() + b"X1,Caf\x81,nhs-trust,,,,\n")
    (folder / "memberships.csv").write_text("practice_code,ccg_code,from\nP92001,02H,2013-04-01\n")
    out = tmp_path / "o.ttl"
    result = runner.invoke(cli, ["import", "workbook", str(folder), "--lenient", "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: 2 problem(s) in the input; nothing was written:",
        f"  {folder / 'organisations.csv'}, row 8: value '0x81': undecodable byte 0x81 at byte offset {len(ORGS) + 6}: "
        "the file is not valid UTF-8 or Windows-1252",
        f"  {folder / 'memberships.csv'}: 1 row(s) not imported: they use organisation codes, which organisations.csv "
        "defines, and organisations.csv could not be read (see its problem above)",
        "Hint: read 8 rows in 2 file(s) and none could be imported, so there is nothing to write, even with "
        "--lenient; fix the problems above"]
    assert not out.exists()
