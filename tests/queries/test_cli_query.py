"""``ccgkg query``, ``ccgkg sparql`` and ``ccgkg push`` from the command line: output bytes, exit codes and messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ccgkg.cli import cli

from .conftest import DATA_FILES

ORG = "https://w3id.org/ccgkg/id/org/"


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin)


def test_list_shows_name_title_parameters_and_provisions() -> None:
    result = run("query", "--list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["name", "title", "parameters", "provisions"]
    practices = next(line for line in lines if line.startswith("list-practices "))
    assert practices.split("  ")[0] == "list-practices"
    assert " ".join(practices.split()) == (
        "list-practices Member practices of a CCG on a date ccg:code=02H day:date=2016-10-17 nhsa06:s14A")
    assert len(lines) == 2 + 13


def test_named_query_with_parameters_in_csv() -> None:
    result = run("query", "list-practices", "-p", "ccg=02H", "-p", "day=2014-06-01", "--format", "csv", *DATA_FILES)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == (
        b"practice,code,label,from,until,status,active\r\n"
        + f"{ORG}P92001,P92001,Alpha Surgery,2013-04-01,,A,true\r\n".encode()
        + f"{ORG}P92002,P92002,Beta Medical Centre,2013-04-01,2015-03-31,A,true\r\n".encode()
        + f"{ORG}P92003,P92003,Gamma Health Centre,2013-04-01,,D,false\r\n".encode())


def test_as_of_sets_the_date_parameters() -> None:
    dated = run("query", "list-practices", "--as-of", "2014-06-01", "--format", "tsv", *DATA_FILES)
    given = run("query", "list-practices", "-p", "day=2014-06-01", "--format", "tsv", *DATA_FILES)
    assert dated.exit_code == given.exit_code == 0 and dated.stdout_bytes == given.stdout_bytes
    assert dated.stdout.count("\n") == 4
    none = run("query", "rank-finances", "--as-of", "2014-06-01", *DATA_FILES)
    assert none.exit_code == 2
    assert "Error: --as-of sets the date parameters of a named query, and rank-finances has none" in none.stderr


def test_unknown_missing_and_ill_typed_parameters_exit_2_listing_the_declared_ones() -> None:
    unknown = run("query", "list-practices", "-p", "practice=P92001", *DATA_FILES)
    assert unknown.exit_code == 2
    assert unknown.stderr == ("Error: list-practices has no parameter 'practice'\n"
                              "Hint: list-practices declares: ccg:code=02H (the CCG); day:date=2016-10-17 (the day)\n")
    bad_date = run("query", "list-practices", "-p", "day=17/10/2016", *DATA_FILES)
    assert bad_date.exit_code == 2
    assert bad_date.stderr.startswith("Error: parameter 'day' of list-practices must be a real date YYYY-MM-DD; "
                                      "got '17/10/2016'")
    no_such_day = run("query", "list-practices", "-p", "day=2016-02-30", *DATA_FILES)  # issue 9: not a real date
    assert no_such_day.exit_code == 2
    assert no_such_day.stderr.splitlines()[0] == (
        "Error: parameter 'day' of list-practices must be a real date YYYY-MM-DD; got '2016-02-30' ('2016-02-30' is "
        "not a real date: February 2016 has 29 days)")
    not_kv = run("query", "list-practices", "-p", "02H", *DATA_FILES)
    assert not_kv.exit_code == 2 and "Error: -p '02H' is not KEY=VALUE" in not_kv.stderr


def test_injection_through_a_code_fails_and_through_a_string_binds_harmlessly() -> None:
    code = run("query", "list-practices", "-p", 'ccg=02H"} ; DROP ALL ; {', *DATA_FILES)
    assert code.exit_code == 2 and "must be an organisation code" in code.stderr
    iri = run("query", "find-breaches", "-p", "provision=nhsa06:s14Z2> } UNION { ?s ?p ?o", *DATA_FILES)
    assert iri.exit_code == 2 and "may not contain" in iri.stderr
    text = run("query", "rank-finances", "-p", 'year=2016-17" || true || "', "--format", "csv", *DATA_FILES)
    assert text.exit_code == 0 and text.stdout_bytes == (
        b"financialYear,ccg,code,allotment,expenditure,difference,within\r\n")


def test_sparql_syntax_error_exits_2_with_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("PREFIX ccgkg: <https://w3id.org/ccgkg/ont/core/>\nSELECT ?x WHERE {\n  ?x ccgkg:code ?c .\n"
                   "  FILTER(?c = )\n}\n", encoding="utf-8")
    result = run("sparql", str(bad), *DATA_FILES)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {bad}: syntax error at line 4, column 3: ")
    assert result.stderr.endswith("Hint: fix the query at that line and column\n")
    unknown_prefix = run("sparql", "-", DATA_FILES[0], stdin="SELECT ?x WHERE { ?x nope:code ?c }")
    assert unknown_prefix.exit_code == 2 and "<stdin>: the query does not parse: Unknown namespace prefix : nope" \
        in unknown_prefix.stderr


def test_sparql_from_stdin_with_inference_and_limit() -> None:
    text = ("PREFIX ccgkg: <https://w3id.org/ccgkg/ont/core/>\n"
            "SELECT ?code WHERE { ?o a ccgkg:Commissioner ; ccgkg:code ?code } ORDER BY ?code")
    rdfs = run("sparql", "-", "--format", "csv", *DATA_FILES, stdin=text)
    assert rdfs.stdout_bytes == b"code\r\n01F\r\n02E\r\n02H\r\n27D\r\nQOP\r\nQYG\r\n"
    none = run("sparql", "-", "--format", "csv", "--inference", "none", *DATA_FILES, stdin=text)
    assert none.stdout_bytes == b"code\r\n"
    limited = run("sparql", "-", "--format", "csv", "--limit", "2", *DATA_FILES, stdin=text)
    assert limited.stdout_bytes == b"code\r\n01F\r\n02E\r\n"


def test_sparql_as_of_queries_a_snapshot() -> None:
    text = ("PREFIX ccgkg: <https://w3id.org/ccgkg/ont/core/>\n"
            "SELECT ?code WHERE { ?o a ccgkg:ClinicalCommissioningGroup ; ccgkg:code ?code } ORDER BY ?code")
    result = run("sparql", "-", "--format", "csv", "--as-of", "2021-01-01", *DATA_FILES, stdin=text)
    assert result.stdout_bytes == b"code\r\n02H\r\n27D\r\n"


def test_sparql_file_with_a_header_takes_parameters(tmp_path: Path) -> None:
    query = tmp_path / "codes.rq"
    query.write_text("# title: Codes of a class\n# param: cls iri default ccgkg:IntegratedCareBoard -- the class\n"
                     "PREFIX ccgkg: <https://w3id.org/ccgkg/ont/core/>\n"
                     "SELECT ?code WHERE { ?o a ?cls ; ccgkg:code ?code } ORDER BY ?code\n", encoding="utf-8")
    icb = run("sparql", str(query), "--format", "csv", *DATA_FILES)
    assert icb.stdout_bytes == b"code\r\nQOP\r\nQYG\r\n"
    la = run("sparql", str(query), "-p", "cls=ccgkg:LocalAuthority", "--format", "csv", *DATA_FILES)
    assert la.stdout_bytes == b"code\r\nE06000006\r\nE06000007\r\nE08000010\r\n"


def test_output_is_written_atomically(tmp_path: Path) -> None:
    target = tmp_path / "gaps.json"
    result = run("query", "find-hwb-gaps", "--format", "json", "--output", str(target), *DATA_FILES)
    assert result.exit_code == 0 and result.stdout == ""
    shown = run("query", "find-hwb-gaps", "--format", "json", *DATA_FILES)
    assert target.read_bytes() == shown.stdout_bytes and b'"director-public-health"' in shown.stdout_bytes
    assert [p.name for p in tmp_path.iterdir()] == ["gaps.json"]
    missing = run("query", "find-hwb-gaps", "--output", str(tmp_path / "no" / "x.csv"), *DATA_FILES)
    assert missing.exit_code == 2 and "folder" in missing.stderr and "does not exist" in missing.stderr


def test_usage_errors_exit_2() -> None:
    assert run("query").exit_code == 2
    assert "Error: give the name of a query, or --list to see them" in run("query").stderr
    unknown = run("query", "list-everything")
    assert unknown.exit_code == 2 and unknown.stderr.startswith("Error: no named query 'list-everything'\nHint: ")
    turtle = run("query", "rank-finances", "--format", "turtle", *DATA_FILES)
    assert turtle.exit_code == 2 and "--format turtle is for CONSTRUCT and DESCRIBE queries" in turtle.stderr
    graph = run("query", "rank-finances", "--graph", "https://example.org/g", *DATA_FILES)
    assert graph.exit_code == 2 and "--graph is for --endpoint" in graph.stderr
    both = run("query", "rank-finances", "--endpoint", "http://127.0.0.1:9/query", DATA_FILES[0])
    assert both.exit_code == 2 and "with --endpoint the query reads the store" in both.stderr
    missing = run("query", "rank-finances", "no-such-file.ttl")
    assert missing.exit_code == 2 and "no such file or folder: no-such-file.ttl" in missing.stderr


def test_list_in_a_results_format() -> None:
    import csv
    import io

    from ccgkg import queries

    result = run("query", "--list", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode(), newline="")))
    assert rows[0] == ["name", "title", "parameters", "provisions"]
    assert rows[1:] == [[q.name, q.title, q.signature(), " ".join(q.provisions) or "-"]
                        for q in queries.list_queries()]


def test_show_query_prints_the_text_the_engine_receives() -> None:
    from ccgkg import queries

    result = run("query", "list-practices", "-p", "ccg=01F", "--show-query")
    assert result.exit_code == 0
    assert result.stdout == queries.bind(queries.load_query("list-practices"), {"ccg": "01F"}).text
    assert ' VALUES (?ccg ?day) { (<https://w3id.org/ccgkg/id/org/01F> "2016-10-17"^^' in result.stdout


def test_an_output_path_that_cannot_be_written_is_refused_before_the_query_runs(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 9: the output folder is checked before the work, not after it."""
    from ccgkg import queries

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the query ran")

    monkeypatch.setattr(queries, "answer", never)
    result = run("query", "list-duties", "-o", str(tmp_path / "missing" / "out.csv"), *DATA_FILES)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (f"Error: cannot write {tmp_path / 'missing' / 'out.csv'}: folder "
                                             f"{tmp_path / 'missing'} does not exist")
