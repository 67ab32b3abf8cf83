"""Result formats, byte for byte: SPARQL 1.1 JSON, CSV and TSV as the W3C specifications define them, JSON lines,
the table, and RDF for CONSTRUCT/DESCRIBE."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph

from ccgkg import queries, results
from ccgkg.errors import InputError

XSD = "http://www.w3.org/2001/XMLSchema#"
ORG = "https://w3id.org/ccgkg/id/org/"
S194 = "https://w3id.org/ccgkg/ont/acts/health-and-social-care-act-2012/s194-2-"


def answer(graph: Graph, name: str, **params: str) -> queries.QueryResult:
    return queries.run(queries.bind(queries.load_query(name), params), graph)


@pytest.fixture(scope="module")
def finances(fixture_graph: Graph) -> queries.QueryResult:
    return answer(fixture_graph, "rank-finances", year="2016-17")


@pytest.fixture(scope="module")
def gaps(fixture_graph: Graph) -> queries.QueryResult:
    return answer(fixture_graph, "find-hwb-gaps", day="2021-01-01")


def test_csv_is_plain_values_with_crlf(finances: queries.QueryResult, gaps: queries.QueryResult) -> None:
    assert results.render(finances, "csv") == (
        b"financialYear,ccg,code,allotment,expenditure,difference,within\r\n"
        b"2016-17,https://w3id.org/ccgkg/id/org/01F,01F,200000000,201250000,1250000,false\r\n"
        b"2016-17,https://w3id.org/ccgkg/id/org/02E,02E,250000000,250000000,0,true\r\n"
        b"2016-17,https://w3id.org/ccgkg/id/org/02H,02H,400000000,398500000.5,-1499999.5,true\r\n")
    assert results.render(gaps, "csv") == (
        b"hwb,code,missing,group,provision\r\n"
        + f"{ORG}E06000006-HWB,E06000006-HWB,director-public-health,,{S194}d\r\n".encode()
        + f"{ORG}E06000006-HWB,E06000006-HWB,representative of 27D,{ORG}27D,{S194}f\r\n".encode())


def test_tsv_is_rdf_term_syntax_with_unbound_empty(gaps: queries.QueryResult, finances: queries.QueryResult) -> None:
    assert results.render(gaps, "tsv") == (
        b"?hwb\t?code\t?missing\t?group\t?provision\n"
        + f'<{ORG}E06000006-HWB>\t"E06000006-HWB"\t"director-public-health"\t\t<{S194}d>\n'.encode()
        + f'<{ORG}E06000006-HWB>\t"E06000006-HWB"\t"representative of 27D"\t<{ORG}27D>\t<{S194}f>\n'.encode())
    first = results.render(finances, "tsv").split(b"\n")[1].decode()
    assert first.split("\t") == [
        '"2016-17"', f"<{ORG}01F>", '"01F"', f'"200000000"^^<{XSD}decimal>', f'"201250000"^^<{XSD}decimal>',
        f'"1250000"^^<{XSD}decimal>', f'"false"^^<{XSD}boolean>']


def test_json_is_sparql_results_json(gaps: queries.QueryResult, finances: queries.QueryResult) -> None:
    expected = {
        "head": {"vars": ["hwb", "code", "missing", "group", "provision"]},
        "results": {"bindings": [
            {"hwb": {"type": "uri", "value": f"{ORG}E06000006-HWB"},
             "code": {"type": "literal", "value": "E06000006-HWB"},
             "missing": {"type": "literal", "value": "director-public-health"},
             "provision": {"type": "uri", "value": f"{S194}d"}},
            {"hwb": {"type": "uri", "value": f"{ORG}E06000006-HWB"},
             "code": {"type": "literal", "value": "E06000006-HWB"},
             "missing": {"type": "literal", "value": "representative of 27D"},
             "group": {"type": "uri", "value": f"{ORG}27D"},
             "provision": {"type": "uri", "value": f"{S194}f"}}]}}
    assert results.render(gaps, "json") == (json.dumps(expected, indent=2) + "\n").encode()
    row = json.loads(results.render(finances, "json"))["results"]["bindings"][2]
    assert row["difference"] == {"type": "literal", "value": "-1499999.5", "datatype": f"{XSD}decimal"}
    assert row["within"] == {"type": "literal", "value": "true", "datatype": f"{XSD}boolean"}


def test_jsonl_is_one_binding_object_per_line(gaps: queries.QueryResult) -> None:
    lines = results.render(gaps, "jsonl").decode().splitlines()
    assert [json.loads(line) for line in lines] == json.loads(results.render(gaps, "json"))["results"]["bindings"]
    assert lines[0] == (f'{{"hwb": {{"type": "uri", "value": "{ORG}E06000006-HWB"}}, "code": {{"type": "literal", '
                        f'"value": "E06000006-HWB"}}, "missing": {{"type": "literal", "value": '
                        f'"director-public-health"}}, "provision": {{"type": "uri", "value": "{S194}d"}}}}')


def test_table_shortens_iris_and_counts_rows(finances: queries.QueryResult) -> None:
    assert results.render(finances, "table").decode() == (
        "financialYear  ccg      code  allotment  expenditure  difference  within\n"
        "-------------  -------  ----  ---------  -----------  ----------  ------\n"
        "2016-17        org:01F  01F   200000000  201250000    1250000     false\n"
        "2016-17        org:02E  02E   250000000  250000000    0           true\n"
        "2016-17        org:02H  02H   400000000  398500000.5  -1499999.5  true\n"
        "(3 rows)\n")


def test_quoting_escaping_languages_and_blank_nodes() -> None:
    r = queries.run('SELECT ("a,b" AS ?x) ("say \\"hi\\"\\ttab" AS ?y) ("line\\nbreak"@en AS ?z) '
                    '(BNODE("b") AS ?b) WHERE {}', Graph())
    label = str(r.rows[0][3])
    assert results.render(r, "csv") == f'x,y,z,b\r\n"a,b","say ""hi""\ttab","line\nbreak",_:{label}\r\n'.encode()
    assert results.render(r, "tsv") == (
        f'?x\t?y\t?z\t?b\n"a,b"\t"say \\"hi\\"\\ttab"\t"line\\nbreak"@en\t_:{label}\n'.encode())
    bindings = json.loads(results.render(r, "json"))["results"]["bindings"][0]
    assert bindings["z"] == {"type": "literal", "value": "line\nbreak", "xml:lang": "en"}
    assert bindings["b"] == {"type": "bnode", "value": label}


def test_ask_results() -> None:
    yes = queries.run("ASK { }", Graph())
    assert results.render(yes, "json") == b'{\n  "head": {},\n  "boolean": true\n}\n'
    assert results.render(yes, "csv") == b"true\r\n" and results.render(yes, "table") == b"true\n"


def test_construct_gives_rdf_and_sorted_rows(fixture_graph: Graph) -> None:
    text = ("PREFIX ccgkg: <https://w3id.org/ccgkg/ont/core/>\n"
            "CONSTRUCT { ?g ccgkg:succeededBy ?s } WHERE { ?g ccgkg:succeededBy ?s ; ccgkg:code ?c }")
    r = queries.run(text, fixture_graph)
    assert r.form == "CONSTRUCT" and len(r.graph) == 4
    back = Graph().parse(data=results.render(r, "turtle"), format="turtle")
    assert set(back) == set(r.graph)
    assert set(Graph().parse(data=results.render(r, "jsonld"), format="json-ld")) == set(r.graph)
    lines = results.render(r, "csv").decode().split("\r\n")
    assert lines[0] == "subject,predicate,object" and lines[1] == (
        f"{ORG}01F,https://w3id.org/ccgkg/ont/core/succeededBy,{ORG}27D")
    assert len(results.render(r.limited(2), "csv").decode().split("\r\n")) == 4


def test_graph_formats_are_refused_for_select(finances: queries.QueryResult) -> None:
    with pytest.raises(InputError, match="--format turtle is for CONSTRUCT and DESCRIBE queries"):
        results.render(finances, "turtle")


def test_limit_keeps_the_first_rows(finances: queries.QueryResult) -> None:
    assert finances.limited(1).rows == finances.rows[:1] and finances.limited(None) is finances


def test_endpoint_json_is_read_back_the_same(finances: queries.QueryResult, gaps: queries.QueryResult) -> None:
    for result in (finances, gaps):
        assert results.parse_json_results(results.render(result, "json")) == result


@pytest.mark.parametrize("name", [q.name for q in queries.list_queries()])
def test_each_named_query_in_each_row_format(fixture_graph: Graph, name: str) -> None:
    """Every format carries exactly the rows of the result: JSON reads back equal, CSV cells are the plain values,
    TSV cells the RDF terms, JSON lines the bindings, the table one line per row."""
    import csv
    import io

    result = answer(fixture_graph, name)
    assert result.rows, name  # each query finds something on the fixture data
    assert results.parse_json_results(results.render(result, "json")) == result
    csv_rows = list(csv.reader(io.StringIO(results.render(result, "csv").decode(), newline="")))
    assert csv_rows == [list(result.variables)] + [
        ["" if t is None else str(t) for t in row] for row in result.rows]
    tsv_lines = results.render(result, "tsv").decode().split("\n")
    assert tsv_lines == ["\t".join("?" + v for v in result.variables)] + [
        "\t".join(results.term_syntax(t) for t in row) for row in result.rows] + [""]
    jsonl = [json.loads(line) for line in results.render(result, "jsonl").decode().splitlines()]
    assert jsonl == json.loads(results.render(result, "json"))["results"]["bindings"]
    table = results.render(result, "table").decode().splitlines()
    assert len(table) == len(result.rows) + 3 and table[-1] == f"({len(result.rows)} row{'s' * (len(result.rows) != 1)})"


def test_named_queries_give_the_same_rows_under_every_inference_profile(fixture_data: Graph,
                                                                       fixture_report: Graph) -> None:
    graphs = {p: queries.query_graph(fixture_data, inference=p, report=fixture_report)
              for p in ("none", "rdfs", "owlrl")}
    for q in queries.list_queries():
        bound = queries.bind(q, {})
        found = {p: queries.run(bound, g) for p, g in graphs.items()}
        assert found["none"] == found["rdfs"] == found["owlrl"], q.name
