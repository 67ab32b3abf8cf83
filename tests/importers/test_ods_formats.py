"""ODS files as published: encodings, quoting, and every malformed input with its exact problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.namespace import RDF, RDFS

from ccgkg.errors import RowProblem, TableError
from ccgkg.importers import import_ods, load_tabular
from ccgkg.namespaces import CCGKG, org_iri


def eccg_row(code: str, name: str, open_: str = "20130401", close: str = "", role: str = "", *,
             icb: str = "QOP", quoted: bool = False) -> str:
    values = [code, name, "Y62", icb, "ADDRESS 1", "", "", "WIGAN", "", "WN1 1NJ", open_, close, "", role,
              *[""] * 7, "1", *[""] * 5]
    assert len(values) == 27
    if quoted:
        return ",".join(f'"{v}"' for v in values) + "\n"
    return ",".join(f'"{v}"' if "," in v else v for v in values) + "\n"


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


GOOD = eccg_row("02H", "NHS WIGAN BOROUGH CCG", role="RO319") + eccg_row("00F", "NHS GATESHEAD CCG", close="20150331")


def test_latin1_file_is_read_as_windows_1252(tmp_path: Path) -> None:
    data = eccg_row("02H", "NHS WIGAN CAF\u00c9 CCG", role="RO319").encode("cp1252")
    assert b"\xc9" in data
    result = import_ods([write(tmp_path, "eccg.csv", data)])
    assert str(result.graph.value(org_iri("02H"), RDFS.label)) == "NHS WIGAN CAF\u00c9 CCG"


def test_utf8_with_bom_is_read(tmp_path: Path) -> None:
    data = "\ufeff" + eccg_row("02H", "NHS WIGAN CAF\u00c9 CCG", role="RO319")
    result = import_ods([write(tmp_path, "eccg.csv", data.encode("utf-8"))])
    assert str(result.graph.value(org_iri("02H"), RDFS.label)) == "NHS WIGAN CAF\u00c9 CCG"


def test_quoted_and_unquoted_rows_give_the_same_result(tmp_path: Path) -> None:
    quoted = import_ods([write(tmp_path, "q.csv", eccg_row("02H", "NHS WIGAN, BOROUGH CCG", role="RO319",
                                                             quoted=True))]).graph
    plain = import_ods([write(tmp_path, "p.csv", eccg_row("02H", "NHS WIGAN, BOROUGH CCG", role="RO319"))]).graph
    def facts(g):  # the coverage statement names its source file (issue 10), which differs here by design
        return {t for t in g if not str(t[2]).endswith(".csv")}

    assert facts(quoted) == facts(plain)
    assert str(plain.value(org_iri("02H"), RDFS.label)) == "NHS WIGAN, BOROUGH CCG"
    assert str(plain.value(org_iri("02H"), CCGKG.endDate)) == "2022-06-30"
    assert plain.value(org_iri("02H"), CCGKG.succeededBy) == org_iri("QOP")
    assert (org_iri("QOP"), RDF.type, CCGKG.IntegratedCareBoard) in plain


def _problems(tmp_path: Path, text: str | bytes) -> list[RowProblem]:
    path = write(tmp_path, "eccg.csv", text)
    with pytest.raises(TableError) as info:
        import_ods([path])
    return info.value.problems


@pytest.mark.parametrize("bad_row,expected", [
    (eccg_row("02E", "X", open_="2013-04-01"),
     ("open_date", "2013-04-01", "expected a date written YYYYMMDD, e.g. 20130401")),
    (eccg_row("02E", "X", open_="20130231"),
     ("open_date", "20130231", "expected a date written YYYYMMDD, e.g. 20130401")),
    (eccg_row("02E", "X", open_="20200401", close="20190331"),
     ("close_date", "2019-03-31", "'close_date' is before 'open_date' (2020-04-01); expected a date on or after it")),
    (eccg_row("02E", "X", role="RO999"),
     ("org_sub_type_or_role", "RO999", "unknown role code: expected C, H, RO218, RO319, RO326 or RO327")),
    (eccg_row("02H", "AGAIN"),
     ("org_code", "02H", "duplicate row: the same org_code as row 1")),
    (eccg_row("", "NO CODE"),
     ("org_code", "", "a value is required here: expected a code of letters, digits, '-', '.' or '_' (no spaces)")),
    (eccg_row("02E", "X").replace(",1,", ",", 1).rstrip("\n") + "\n",
     (None, "26 columns", "wrong column count: expected 27 (ODS files have 27 columns)")),
])
def test_each_bad_row_is_one_exact_problem(tmp_path: Path, bad_row: str, expected: tuple) -> None:
    problems = _problems(tmp_path, GOOD.splitlines(keepends=True)[0] + bad_row + GOOD.splitlines(keepends=True)[1])
    assert [(p.row, p.column, p.value, p.problem) for p in problems] == [(2, *expected)]
    assert problems[0].path.endswith("eccg.csv")


def test_every_problem_is_listed_not_just_the_first(tmp_path: Path) -> None:
    text = eccg_row("02E", "X", open_="bad") + eccg_row("01F", "Y", close="20100101") + GOOD
    problems = _problems(tmp_path, text)
    assert [(p.row, p.column) for p in problems] == [(1, "open_date"), (2, "close_date")]


def test_undecodable_bytes_name_the_row_and_offset(tmp_path: Path) -> None:
    data = GOOD.encode("utf-8") + b"03Q,NHS \x81 CCG" + eccg_row("", "")[1:].encode()
    problems = _problems(tmp_path, data)
    offset = len(GOOD.encode("utf-8")) + len(b"03Q,NHS ")
    assert [(p.row, p.value, p.problem) for p in problems] == [
        (3, "0x81", f"undecodable byte 0x81 at byte offset {offset}: the file is not valid UTF-8 or Windows-1252")]


def test_the_byte_named_is_the_one_no_encoding_reads(tmp_path: Path) -> None:
    """Issue 9 s.3: a Windows-1252 file whose first byte is not UTF-8 (0xd0, 'Ð') and which holds 0x81 (undefined
    in Windows-1252) is refused for the 0x81 at its offset, not for the 0xd0 at offset 0."""
    data = b"\xd0" + GOOD.encode("utf-8") + b"03Q,NHS \x81 CCG" + eccg_row("", "")[1:].encode()
    problems = _problems(tmp_path, data)
    offset = 1 + len(GOOD.encode("utf-8")) + len(b"03Q,NHS ")
    assert [(p.row, p.value, p.problem) for p in problems] == [
        (3, "0x81", f"undecodable byte 0x81 at byte offset {offset}: the file is not valid UTF-8 or Windows-1252")]


def test_a_named_file_that_is_not_ods_is_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "notes.csv", "a,b\n1,2\n")
    with pytest.raises(TableError) as info:
        import_ods([path])
    (problem,) = info.value.problems
    assert problem.problem.startswith("not an ODS or ONS file ccgkg knows: expected ODS eccg (CCGs and commissioning")
    assert load_tabular(path) is None


def test_lenient_imports_good_rows_and_counts_the_rest(tmp_path: Path) -> None:
    text = GOOD + eccg_row("02E", "X", open_="bad") + eccg_row("13N", "WESSEX HUB", role="RO218", close="20200331")
    result = import_ods([write(tmp_path, "eccg.csv", text)], lenient=True)
    (counts,) = result.files
    assert (counts.kind, counts.read, counts.imported, counts.skipped, counts.rejected) == ("ods-eccg", 4, 3, 0, 1)
    assert [(p.row, p.column, p.value) for p in result.problems] == [(3, "open_date", "bad")]
    g = result.graph
    assert (org_iri("13N"), RDF.type, CCGKG.CommissioningHub) in g
    assert (org_iri("02E"), None, None) not in g
    assert str(g.value(org_iri("00F"), CCGKG.endDate)) == "2015-03-31"


def test_epraccur_rows_are_recognised_by_content(tmp_path: Path) -> None:
    def prac(code: str, ccg: str, setting: str, status: str = "A", close: str = "") -> str:
        v = [code, "SURGERY", "Y62", "QOP", "", "", "", "", "", "WN1", "19740401", close, status, "B", ccg,
             "20130401", close, "01942", "", "", "", "0", "", ccg, "", setting, ""]
        return ",".join(v) + "\n"
    eccg = write(tmp_path, "a.csv", GOOD)
    practices = write(tmp_path, "b.csv", prac("P92001", "02H", "4") + prac("P92002", "02H", "4", "C", "20150630")
                      + prac("Y00001", "02H", "9") + prac("W00001", "7A1", "4"))
    result = import_ods([eccg, practices])
    prac_counts = result.files[1]
    assert (prac_counts.kind, prac_counts.read, prac_counts.imported, prac_counts.skipped) == (
        "ods-epraccur", 4, 3, 1)
    g = result.graph
    ends = sorted((str(g.value(m, CCGKG.practice)).rsplit("/", 1)[1], str(g.value(m, CCGKG.endDate)))
                  for m in g.subjects(RDF.type, CCGKG.PracticeMembership))
    assert ends == [("P92001", "2022-06-30"), ("P92002", "2015-06-30")]
    assert prac_counts.notes == (
        "1 row(s): practice imported without membership: its commissioner is not a CCG in the files given "
        "(Welsh LHB, blank, or no eccg/ONS file names it)",
        "1 row(s): skipped: not a GP practice (prescribing setting other than 4)",
        "1 value(s) changed or inferred: membership dates set to the latest of join, practice open and CCG start and "
        "the earliest of left, practice close and CCG end (e.g. P92001 in 02H: 2013-04-01..open -> "
        "2013-04-01..2022-06-30)")


def test_the_ccg_end_dates_the_ods_rule_sets_are_counted_with_examples(tmp_path: Path) -> None:
    """Issue 9 s.3: a value an importer changes is counted in the summary with its first examples."""
    rows = GOOD + "".join(eccg_row(f"0{i}X", "NHS X CCG", role="RO319") for i in range(4))
    rows += eccg_row("01F", "NHS HALTON CCG", close="20230331")
    result = import_ods([write(tmp_path, "eccg.csv", rows)])
    assert result.files[0].notes == (
        "6 value(s) changed: CCG end date set to 2022-06-30, the last day of CCGs (ODS keeps some codes open as "
        "sub-ICB locations) (e.g. row 1 02H: open -> 2022-06-30; row 3 00X: open -> 2022-06-30; row 4 01X: open -> "
        "2022-06-30, ...)",)
    assert str(result.graph.value(org_iri("01F"), CCGKG.endDate)) == "2022-06-30"
    assert "6 value(s) changed: CCG end date" in result.summary()


def test_icb_takes_its_name_from_the_rewritten_ods_name(tmp_path: Path) -> None:
    row = eccg_row("02H", "NHS GREATER MANCHESTER ICB - 02H", role="RO319")
    g = import_ods([write(tmp_path, "eccg.csv", row)]).graph
    assert str(g.value(org_iri("QOP"), RDFS.label)) == "NHS GREATER MANCHESTER ICB"
    assert str(g.value(org_iri("02H"), RDFS.label)) == "NHS GREATER MANCHESTER ICB - 02H"  # nothing better known


def test_crlf_line_endings_keep_row_numbers(tmp_path: Path) -> None:
    text = (GOOD + eccg_row("02E", "X", open_="bad")).replace("\n", "\r\n")
    problems = _problems(tmp_path, text)
    assert [(p.row, p.column, p.value) for p in problems] == [(3, "open_date", "bad")]


def test_an_unreadable_file_counts_its_rows_as_read_and_rejected(tmp_path: Path) -> None:
    """Issue 9 s.3: counts add up (read = imported + skipped + rejected) even for a file that cannot be decoded."""
    good = write(tmp_path, "a.csv", GOOD)
    bad = write(tmp_path, "b.csv", GOOD.encode() + b"03Q,NHS \x81 CCG" + eccg_row("", "")[1:].encode())
    result = import_ods([good, bad], lenient=True)
    assert [(f.kind, f.read, f.imported, f.skipped, f.rejected) for f in result.files] == [
        ("ods-eccg", 2, 2, 0, 0), ("unreadable", 3, 0, 0, 3)]
    assert [(p.row, p.value) for p in result.problems] == [(3, "0x81")]
