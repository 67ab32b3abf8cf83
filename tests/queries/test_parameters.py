"""Query headers, typed parameters and how values are bound: checked, turned into terms, placed in one VALUES block
at the start of the WHERE group, and never able to change what a query means."""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from ccgkg import queries
from ccgkg.errors import QueryNotFound, QueryParameterError, QuerySyntaxError
from ccgkg.namespaces import org_iri

ECHO = """# title: Echo
# description: Gives back its parameter.
# param: text string default plain -- any text
# provisions:
SELECT ?text ?n WHERE { BIND(STRLEN(?text) AS ?n) }
"""

NASTY = [
    '"} ; DROP ALL ; {',
    "> } UNION { ?s ?p ?o",
    '" || true || "',
    "'; DELETE WHERE { ?s ?p ?o } #",
    'a\\u0022) } UNION { BIND("x" AS ?text) } #',
    '"""\n} # newline and triple quotes',
    "tab\there\r\nand \\ backslash \\\\ \\n",
    "\x01\x7f control \x01abcdef12 \\u00e9 \\U0001F600 \\\\u0022",
    "é ü 😀 {{ }} ?text $text",
]


def test_header_is_read() -> None:
    q = queries.load_query("find-hwb-gaps")
    assert q.title == "Health and Wellbeing Board membership gaps"
    assert q.description.startswith("For each board existing on the day, every member HSCA 2012 s.194(2) requires")
    assert q.description.endswith("(its area overlaps the board's authority on the day).")
    assert q.parameters == (
        queries.Parameter("day", "date", "2016-10-17", False, "the day"),
        queries.Parameter("hwb", "code", None, True, "only this board (e.g. E06000006-HWB)"))
    assert q.provisions[:2] == ("hsca12:s194-2", "hsca12:s194-2-a") and q.form == "SELECT"
    assert q.signature() == "day:date=2016-10-17 hwb:code?"


def test_every_named_query_is_well_formed() -> None:
    """Names are verb-object; every header has a title, a description and a provisions line of known provisions;
    every query parses in Oxigraph too (stricter than rdflib)."""
    from ccgkg import law, resources

    store = ox.Store()
    for q in queries.list_queries():
        assert q.name.count("-") >= 1 and q.name == q.name.lower(), q.name
        assert q.title and q.description, q.name
        text = next(r for r in resources.query_files() if r.name == q.name + ".rq").read_text(encoding="utf-8")
        assert sum(line.startswith("# provisions:") for line in text.splitlines()) == 1, q.name
        header = [line for line in text.splitlines() if line.startswith("#")]
        assert all(line.split(":")[0] in ("# title", "# description", "# param", "# provisions", "# needs")
                   or line.startswith("#   ") for line in header), q.name
        for curie in q.provisions:
            assert law.resolve(curie).curie == curie
        list(store.query(queries.bind(q, {}).text))  # parses and runs on an empty store


def test_load_unknown_query_names_the_known_ones() -> None:
    with pytest.raises(QueryNotFound) as err:
        queries.load_query("list-everything")
    assert "list-duties" in (err.value.hint or "")


@pytest.mark.parametrize(("ptype", "value", "term"), [
    ("code", "02H", org_iri("02H")),
    ("code", "E06000006-HWB", URIRef("https://w3id.org/ccgkg/id/org/E06000006-HWB")),
    ("iri", "nhsa06:s14Z2", URIRef("https://w3id.org/ccgkg/ont/acts/nhs-act-2006/s14Z2")),
    ("iri", "https://example.org/x?y=1#z", URIRef("https://example.org/x?y=1#z")),
    ("date", "2016-10-17", Literal(dt.date(2016, 10, 17), datatype=XSD.date)),
    ("integer", "-42", Literal(-42, datatype=XSD.integer)),
    ("string", "Wigan", Literal("Wigan")),
])
def test_values_are_converted_to_their_type(ptype: str, value: str, term: object) -> None:
    q = queries.NamedQuery(name="t", text="SELECT ?x WHERE { }", parameters=(queries.Parameter("x", ptype),))
    assert queries.convert(q, q.parameters[0], value) == term


@pytest.mark.parametrize(("ptype", "value", "why"), [
    ("code", '02H"} ; DROP ALL ; {', "letters, digits"),
    ("code", "02H 01F", "letters, digits"),
    ("code", "", "letters, digits"),
    ("iri", "> } UNION { ?s ?p ?o", "neither an IRI nor a CURIE"),
    ("iri", "https://example.org/a> } UNION { ?s ?p ?o . <x", "may not contain"),
    ("iri", "nhsa06:s14Z2> } #", "may not contain"),
    ("iri", "nope:x", "neither an IRI nor a CURIE"),
    ("date", "2016-13-01", "there is no month 13"),
    ("date", '2016-10-17"^^xsd:string } #', "is not a date; write YYYY-MM-DD"),
    ("integer", "1 } UNION {", "not a whole number"),
    ("integer", "1.5", "not a whole number"),
])
def test_ill_typed_values_fail_and_list_the_declared_parameters(ptype: str, value: str, why: str) -> None:
    q = queries.NamedQuery(name="t", text="SELECT ?x WHERE { }",
                           parameters=(queries.Parameter("x", ptype, description="a thing"),))
    with pytest.raises(QueryParameterError) as err:
        queries.bind(q, {"x": value})
    assert "parameter 'x' of t must be" in err.value.message and why in err.value.message
    assert err.value.hint == f"t declares: x:{ptype} (a thing)"


def test_unknown_and_missing_parameters() -> None:
    q = queries.load_query("list-practices")
    with pytest.raises(QueryParameterError) as err:
        queries.bind(q, {"practice": "P92001"})
    assert err.value.message == "list-practices has no parameter 'practice'"
    assert err.value.hint == "list-practices declares: ccg:code=02H (the CCG); day:date=2016-10-17 (the day)"
    required = queries.parse_query("# param: org code -- needed\nSELECT ?org WHERE { }", name="needs")
    with pytest.raises(QueryParameterError, match=r"needs needs parameter 'org' \(-p org=VALUE\)"):
        queries.bind(required, {})


def test_as_of_sets_every_date_parameter_not_given() -> None:
    q = queries.load_query("list-practices")
    bound = dict(queries.bind(q, {}, dates=dt.date(2014, 6, 1)).bindings)
    assert bound["day"] == Literal(dt.date(2014, 6, 1), datatype=XSD.date)
    given = dict(queries.bind(q, {"day": "2015-01-01"}, dates=dt.date(2014, 6, 1)).bindings)
    assert given["day"] == Literal(dt.date(2015, 1, 1), datatype=XSD.date)
    with pytest.raises(QueryParameterError, match="rank-finances has none"):
        queries.bind(queries.load_query("rank-finances"), {}, dates=dt.date(2014, 6, 1))


def test_values_block_is_the_only_change_to_the_text() -> None:
    q = queries.load_query("list-practices")
    bound = queries.bind(q, {"ccg": "01F", "day": "2014-06-01"})
    block = (' VALUES (?ccg ?day) { (<https://w3id.org/ccgkg/id/org/01F> '
             '"2014-06-01"^^<http://www.w3.org/2001/XMLSchema#date>) } ')
    assert bound.text.count(block) == 1
    assert bound.text.replace(block, "") == q.text
    where = bound.text.index("WHERE {") + len("WHERE {")
    assert bound.text[where:where + len(block)] == block
    optional = dict(queries.bind(queries.load_query("find-breaches"), {}).bindings)
    assert optional == {"provision": None, "org": None, "day": None}
    assert "VALUES (?provision ?org ?day) { (UNDEF UNDEF UNDEF) }" in queries.bind(
        queries.load_query("find-breaches"), {}).text


@pytest.mark.parametrize(("text", "expected"), [
    ("SELECT * { ?s ?p ?o }", "SELECT * { VALUES (?x) { (1) }  ?s ?p ?o }"),
    ("# a { comment\nSELECT ?s WHERE { ?s <urn:a> '}{' }", "# a { comment\nSELECT ?s WHERE { VALUES (?x) { (1) }  ?s <urn:a> '}{' }"),
    ("CONSTRUCT { ?s ?p ?x } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?x } WHERE { VALUES (?x) { (1) }  ?s ?p ?o }"),
    ("CONSTRUCT { ?s ?p ?x } { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?x } { VALUES (?x) { (1) }  ?s ?p ?o }"),
    ("SELECT ?s (EXISTS { ?s ?p 1 } AS ?e) WHERE { ?s ?p ?x }",
     "SELECT ?s (EXISTS { ?s ?p 1 } AS ?e) WHERE { VALUES (?x) { (1) }  ?s ?p ?x }"),
    ("SELECT ?s WHERE { SELECT ?s WHERE { ?s ?p ?x } }",
     "SELECT ?s WHERE { VALUES (?x) { (1) } { SELECT ?s WHERE { ?s ?p ?x } }}"),
])
def test_values_block_goes_at_the_start_of_the_where_group(text: str, expected: str) -> None:
    one = Literal(1, datatype=XSD.integer)
    assert queries.inject_values(text, [("x", one)]) == expected.replace("(1)", f'("1"^^<{XSD.integer}>)')
    queries.check_syntax(queries.inject_values(text, [("x", one)]))


@pytest.mark.parametrize("value", NASTY)
def test_a_string_value_is_bound_as_one_harmless_literal(value: str) -> None:
    """Whatever a string holds, rdflib and Oxigraph give it back whole as the one value of ?text."""
    q = queries.parse_query(ECHO, name="echo")
    bound = queries.bind(q, {"text": value})
    result = queries.run(bound, Graph())
    assert result.variables == ("text", "n")
    assert result.rows == ((Literal(value), Literal(len(value), datatype=XSD.integer)),)
    solutions = list(ox.Store().query(bound.text))
    assert [(s["text"].value, int(s["n"].value)) for s in solutions] == [(value, len(value))]


@pytest.mark.parametrize("value", ["02H", "02H\"} ; DROP ALL ; {"])
def test_no_value_changes_the_data_or_the_rows_of_a_query(fixture_graph: Graph, value: str) -> None:
    before = len(fixture_graph)
    q = queries.load_query("rank-finances")
    result = queries.run(queries.bind(q, {"year": f'2016-17" || true || "{value}'}), fixture_graph)
    assert result.rows == ()  # the whole value is one year label that matches nothing
    assert len(fixture_graph) == before


def test_syntax_errors_give_line_and_column() -> None:
    with pytest.raises(QuerySyntaxError) as err:
        queries.parse_query("PREFIX x: <urn:x>\nSELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?s = )\n}\n", name="bad.rq")
    assert (err.value.line, err.value.column) == (4, 3)
    assert err.value.message.startswith("bad.rq: syntax error at line 4, column 3: ")


@pytest.mark.parametrize(("header", "message"), [
    ("# param: x float -- no such type", "bad parameter declaration"),
    ("# param: x-y string", "bad parameter declaration"),
    ("# param: y string -- not in the query", r"parameter 'y' is declared but \?y is not in the query"),
    ("# param: x date default yesterday", "parameter 'x' of h must be a real date"),
    ("# provisions: nope:s1", "provisions line"),
    ("# param: x string\n# param: x string", "parameter 'x' is declared twice"),
])
def test_malformed_headers_are_errors(header: str, message: str) -> None:
    with pytest.raises((QuerySyntaxError, QueryParameterError), match=message.replace("(", r"\(")):
        queries.parse_query(header + "\nSELECT ?x WHERE { }\n", name="h")


def test_numbers_are_written_in_canonical_form() -> None:
    dec = lambda text: Literal(text, datatype=XSD.decimal, normalize=False)
    assert [str(queries.canonical(dec(t))) for t in ("1.0", "0.50", "231588000.00", "-1499999.50", "-0.0")] == [
        "1", "0.5", "231588000", "-1499999.5", "0"]
    assert str(queries.canonical(Literal("007", datatype=XSD.integer, normalize=False))) == "7"
    assert queries.canonical(Literal("x")) == Literal("x")


def test_law_show_lists_the_queries_citing_a_provision() -> None:
    from ccgkg import law

    assert [q.name for q in law.citing_queries(["hsca12:s194-2-f"])] == ["find-hwb-gaps", "list-hwb-groups"]
    assert [q.name for q in law.show("s.194(6)").queries] == ["find-hwb-gaps", "list-hwb-groups"]
    assert law.show("14W").queries == ()


def test_with_report_needs_ccgkg_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    import ccgkg
    from ccgkg.errors import CcgkgError

    monkeypatch.setitem(sys.modules, "ccgkg.validation", None)  # as in an installation without it
    monkeypatch.delattr(ccgkg, "validation", raising=False)
    with pytest.raises(CcgkgError, match="--with-report and push need ccgkg.validation"):
        queries.validation_report(Graph())
