"""The WSGI app answers like a linked-data server: 303 from identifiers to documents, content negotiation with
q-values, suffixes, 404 and 406, and the SPARQL 1.1 Protocol, read-only and within its limits."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from ccgkg import queries, results
from ccgkg.namespaces import CCGKG, ORG, RDFS
from ccgkg.publish import Site
from ccgkg.server import App, call, make_app, negotiate
from ccgkg.service import Limits

WIGAN = "https://w3id.org/ccgkg/id/org/02H"


def description(site: Site, iri: str) -> Graph:
    g = Graph()
    for t in site.description(iri):
        g.add(t)
    return g


def test_identifier_answers_303_to_its_document(app: App) -> None:
    r = call(app, "/id/org/02H", accept="text/turtle")
    assert (r.status, r.header("Location")) == (303, "/doc/org/02H")
    assert call(app, "/id/org/02H.ttl").header("Location") == "/doc/org/02H.ttl"


@pytest.mark.parametrize(("accept", "media", "parse"), [
    ("text/turtle", "text/turtle; charset=utf-8", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
])
def test_rdf_formats_carry_the_resource_description(app: App, site: Site, accept: str, media: str,
                                                    parse: str) -> None:
    r = call(app, "/doc/org/02H", accept=accept)
    assert (r.status, r.header("Content-Type"), r.header("Vary")) == (200, media, "Accept")
    got = Graph().parse(data=r.body, format=parse)
    assert isomorphic(got, description(site, WIGAN))
    assert (ORG["02H"], CCGKG.succeededBy, ORG["QOP"]) in got
    assert (ORG["02H"], RDFS.label, Literal("NHS Wigan Borough Clinical Commissioning Group")) in got


def test_html_json_and_csv(app: App) -> None:
    page = call(app, "/doc/org/02H", accept="text/html")
    assert page.header("Content-Type") == "text/html; charset=utf-8"
    text = page.body.decode()
    assert "<h1>NHS Wigan Borough Clinical Commissioning Group</h1>" in text
    embedded = text.split('<script type="application/ld+json">\n', 1)[1].split("\n</script>", 1)[0]
    assert json.loads(embedded)["@graph"][0]["@id"] == "org:02H"
    data = json.loads(call(app, "/doc/org/02H", accept="application/json").body)
    assert (data["iri"], data["label"]) == (WIGAN, "NHS Wigan Borough Clinical Commissioning Group")
    assert {"predicate": str(CCGKG.code), "object": "02H", "type": "literal",
            "datatype": "http://www.w3.org/2001/XMLSchema#string"} in data["statements"] or \
        {"predicate": str(CCGKG.code), "object": "02H", "type": "literal"} in data["statements"]
    rows = list(csv.reader(io.StringIO(call(app, "/doc/org/02H", accept="text/csv").body.decode())))
    assert rows[0] == ["predicate", "object"]
    assert [str(CCGKG.succeededBy), "https://w3id.org/ccgkg/id/org/QOP"] in rows


@pytest.mark.parametrize(("suffix", "media"), [("ttl", "text/turtle; charset=utf-8"), ("jsonld", "application/ld+json"),
                                               ("nt", "application/n-triples"), ("json", "application/json"),
                                               ("csv", "text/csv; charset=utf-8"),
                                               ("html", "text/html; charset=utf-8")])
def test_suffix_selects_the_format_whatever_the_accept_header(app: App, suffix: str, media: str) -> None:
    r = call(app, f"/doc/org/02H.{suffix}", accept="image/png")
    assert (r.status, r.header("Content-Type")) == (200, media)
    assert r.body == call(app, "/doc/org/02H", accept=media.split(";")[0]).body


@pytest.mark.parametrize(("accept", "chosen"), [
    ("text/turtle;q=0.5, application/ld+json;q=0.9", "application/ld+json"),
    ("application/n-triples;q=0.2, */*;q=0.1", "application/n-triples"),
    ("text/*;q=0.3, application/ld+json;q=0.2", "text/html"),
    ("text/html;q=0, text/turtle;q=0.1", "text/turtle"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    (None, "text/html"),
])
def test_q_values_are_weighed(app: App, accept: str | None, chosen: str) -> None:
    from ccgkg.server import DOCUMENT_TYPES

    assert negotiate(accept, DOCUMENT_TYPES) == chosen
    r = call(app, "/ont/core/ClinicalCommissioningGroup", accept=accept)
    assert (r.status, r.header("Content-Type").split(";")[0]) == (200, chosen)


def test_unknown_resource_is_404_and_unsupported_type_406(app: App) -> None:
    assert call(app, "/id/org/NOPE").status == 404  # no 303 to a document that is not there
    assert call(app, "/ont/acts/nhs-act-2006/", accept="text/turtle").status == 200  # a module's IRI
    r = call(app, "/doc/org/NOPE", accept="text/turtle")
    assert (r.status, r.body.decode()) == (404, ("Error: no resource at /doc/org/NOPE\nHint: see /index.html, "
                                                "/acts.html and /organisations.html\n"))
    r = call(app, "/doc/org/02H", accept="image/png, application/pdf;q=0.5")
    assert r.status == 406
    assert r.body.decode().startswith("Error: none of the types in Accept: image/png, application/pdf;q=0.5 is "
                                      "offered here\nHint: ask for one of text/html, application/xhtml+xml, "
                                      "text/turtle, application/ld+json")
    assert call(app, "/doc/org/02H", method="DELETE").status == 405


def test_terms_provisions_shapes_and_queries_are_their_own_documents(app: App) -> None:
    for path, needle in [("/ont/core/ClinicalCommissioningGroup", "ccgkg:ClinicalCommissioningGroup a owl:Class"),
                         ("/ont/acts/health-and-social-care-act-2012/s194-2-d",
                          'ccgkg:citation "HSCA 2012 s.194(2)(d)"'),
                         ("/shapes/health-and-social-care-act-2012/BoardHasDirectorOfPublicHealth",
                          "ccgkg:enforces hsca12:s194-2-d"),
                         ("/queries/list-practices", 'rdfs:label "list-practices"')]:
        r = call(app, path, accept="text/turtle")
        assert r.status == 200, path
        assert needle in r.body.decode(), path


def test_dataset_description_and_dumps(app: App) -> None:
    r = call(app, "/dataset", accept="text/turtle")
    assert r.status == 200
    g = Graph().parse(data=r.body, format="turtle")
    dcat = "http://www.w3.org/ns/dcat#"
    assert (URIRef("https://w3id.org/ccgkg/sparql-service"), URIRef(dcat + "endpointURL"),
            URIRef("https://w3id.org/ccgkg/sparql")) in g
    assert call(app, "/.well-known/void").body == r.body
    dump = call(app, "/dumps/ccgkg.ttl")
    assert (dump.status, dump.header("Content-Type")) == (200, "text/turtle; charset=utf-8")


# ------------------------------------------------------------------------------------------------ SPARQL protocol

COUNT_ORGS = ("PREFIX ccgkg: <https://w3id.org/ccgkg/ont/core/> SELECT ?code WHERE { ?o ccgkg:code ?code ; "
              "a ccgkg:ClinicalCommissioningGroup } ORDER BY ?code")


def sparql(app: App, text: str, accept: str | None = None, method: str = "GET") -> tuple[int, str, str]:
    if method == "GET":
        r = call(app, "/sparql?query=" + quote(text), accept=accept)
    elif method == "POST":
        r = call(app, "/sparql", method="POST", accept=accept, body=f"query={quote(text)}".encode(),
                 content_type="application/x-www-form-urlencoded")
    else:
        r = call(app, "/sparql", method="POST", accept=accept, body=text.encode(),
                 content_type="application/sparql-query")
    return r.status, r.header("Content-Type") or "", r.body.decode()


@pytest.mark.parametrize("method", ["GET", "POST", "DIRECT"])
def test_select_in_every_results_format(app: App, method: str) -> None:
    status, media, body = sparql(app, COUNT_ORGS, "application/sparql-results+json", method)
    assert (status, media) == (200, "application/sparql-results+json")
    assert [b["code"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["01F", "02E", "02H"]
    assert sparql(app, COUNT_ORGS, "text/csv", method)[1:] == ("text/csv; charset=utf-8", "code\r\n01F\r\n02E\r\n02H\r\n")
    assert sparql(app, COUNT_ORGS, "text/tab-separated-values", method)[2] == '?code\n"01F"\n"02E"\n"02H"\n'
    status, media, xml = sparql(app, COUNT_ORGS, "application/sparql-results+xml", method)
    assert media == "application/sparql-results+xml"
    assert '<result>\n      <binding name="code"><literal>02H</literal></binding>\n    </result>' in xml


def test_ask_construct_and_describe(app: App) -> None:
    assert json.loads(sparql(app, "ASK { ?s ?p ?o }")[2]) == {"head": {}, "boolean": True}
    status, media, body = sparql(app, "CONSTRUCT { ?o <http://example.org/named> ?l } WHERE { "
                                      "<https://w3id.org/ccgkg/id/org/02H> <http://www.w3.org/2000/01/rdf-schema#label> "
                                      "?l . BIND(<https://w3id.org/ccgkg/id/org/02H> AS ?o) }", "text/turtle")
    assert (status, media) == (200, "text/turtle; charset=utf-8")
    assert body.endswith('org:02H <http://example.org/named> "NHS Wigan Borough Clinical Commissioning Group" .\n')
    status, media, body = sparql(app, "DESCRIBE <https://w3id.org/ccgkg/id/org/02H>", "application/n-triples")
    assert media == "application/n-triples"
    assert ('<https://w3id.org/ccgkg/id/org/02H> <https://w3id.org/ccgkg/ont/core/code> "02H" .\n') in body


@pytest.mark.parametrize("text", ["INSERT DATA { <http://a/s> <http://a/p> <http://a/o> }",
                                  "PREFIX a: <http://a/> DELETE WHERE { ?s ?p ?o }", "LOAD <http://example.org/x>",
                                  "CLEAR ALL"])
def test_updates_are_refused(app: App, text: str) -> None:
    assert sparql(app, text) == (400, "text/plain; charset=utf-8", ("Error: updates are refused: this SPARQL service "
                                 "is read-only\nHint: send SELECT, ASK, CONSTRUCT or DESCRIBE queries; load data with "
                                 "`ccgkg push` into a store you run yourself\n"))
    r = call(app, "/sparql", method="POST", body=text.encode(), content_type="application/sparql-update")
    assert (r.status, r.body.decode().splitlines()[0]) == (400, ("Error: updates are refused: this SPARQL service is "
                                                                "read-only"))
    r = call(app, "/sparql", method="POST", body=f"update={quote(text)}".encode(),
             content_type="application/x-www-form-urlencoded")
    assert r.status == 400
    assert call(app, "/sparql", method="PUT", body=b"x").status == 405
    assert json.loads(sparql(app, "ASK { <http://a/s> <http://a/p> <http://a/o> }")[2]) == {"head": {},
                                                                                          "boolean": False}


def test_service_is_refused(app: App) -> None:
    status, _, body = sparql(app, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert (status, body) == (400, ("Error: SERVICE is refused: this SPARQL service never fetches other addresses\n"
                                   "Hint: query each endpoint yourself and join the answers\n"))
    # a word SERVICE in a string or a variable ?service is no SERVICE clause
    assert sparql(app, 'SELECT ?service WHERE { BIND("SERVICE" AS ?service) }', "text/csv")[2] == \
        "service\r\nSERVICE\r\n"


def test_graph_and_from_are_refused_by_the_shared_guard(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    """The service's checks are ccgkg.guards.guard_query's (one place for every engine), in its own words."""
    from ccgkg import guards

    status, _, body = sparql(app, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert (status, body) == (400, ("Error: GRAPH is refused: this SPARQL service holds one default graph and no "
                                   "named graphs\nHint: drop the GRAPH clause: every query runs on the whole "
                                   "published graph\n"))
    status, _, body = sparql(app, "SELECT * FROM <http://127.0.0.1:9/g> WHERE { ?s ?p ?o }")
    assert (status, body) == (400, ("Error: FROM and FROM NAMED are refused: this SPARQL service holds one default "
                                   "graph\nHint: drop the FROM clause: every query runs on the whole published "
                                   "graph\n"))
    status, _, body = sparql(app, "INSERT { <http://a/s> <http://a/p> ?x }")  # a malformed update: still an update
    assert (status, body.splitlines()[0]) == (400, "Error: updates are refused: this SPARQL service is read-only")
    seen: list[str] = []
    real = guards.guard_query

    def spy(text: str, **kwargs: object) -> str:
        seen.append(text)
        return real(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(guards, "guard_query", spy)
    assert sparql(app, COUNT_ORGS, "text/csv")[0] == 200
    assert seen == [COUNT_ORGS]


def test_time_limit_stops_a_query(site: Site) -> None:
    slow = make_app(site, limits=Limits(time_limit=0.5))
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    status, _, body = sparql(slow, text)
    assert (status, body) == (503, ("Error: the query was stopped after 0.5 s (the time limit)\nHint: make it more "
                                   "selective (a LIMIT does not help a sort or a count over everything), or start "
                                   "`ccgkg serve` with a larger --time-limit\n"))
    assert sparql(slow, COUNT_ORGS, "text/csv")[0] == 200  # the service goes on answering


def test_row_limit_and_request_limit(site: Site) -> None:
    small = make_app(site, limits=Limits(row_limit=2, request_limit=1024))
    status, _, body = sparql(small, COUNT_ORGS)
    assert (status, body) == (400, ("Error: the query gave more than 2 rows (the row limit)\nHint: add a LIMIT (and "
                                   "OFFSET to page), or start `ccgkg serve` with a larger --row-limit\n"))
    assert sparql(small, COUNT_ORGS + " LIMIT 2", "text/csv")[2] == "code\r\n01F\r\n02E\r\n"
    big = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 2000
    status, _, body = sparql(small, big, method="DIRECT")
    assert (status, body) == (413, ("Error: the request body is 2030 bytes, more than 1024 (the request limit)\n"
                                   "Hint: send a shorter query\n"))
    assert sparql(small, big)[0] == 414


def test_bad_query_is_400_with_the_parser_message(app: App) -> None:
    status, _, body = sparql(app, "SELECT * WHERE { ?s ?p }")
    assert (status, body) == (400, ("Error: the query does not parse: syntax error at line 1, column 18: Expected "
                                   "SelectQuery\nHint: fix the query at that line and column\n"))
    assert call(app, "/sparql", accept="application/sparql-results+json").status == 400
    page = call(app, "/sparql", accept="text/html").body.decode()
    assert '<form class="query" method="get" action="queries/list-practices">' in page


# ---------------------------------------------------------------------------------------------- named queries

def test_named_query_form_runs_with_typed_parameters(app: App, site: Site) -> None:
    page = call(app, "/queries/list-practices", accept="text/html").body.decode()
    assert '<input name="day" type="date" value="2016-10-17">' in page
    r = call(app, "/queries/list-practices?run=1&ccg=02E&day=2014-06-01", accept="text/html")
    assert r.status == 200
    text = r.body.decode()
    bound = queries.bind(queries.load_query("list-practices"), {"ccg": "02E", "day": "2014-06-01"})
    expected = queries.run(bound, queries.query_graph(site_data(), inference="rdfs"))
    assert f"<h2>Rows ({len(expected.rows)})</h2>" in text
    assert '<a href="list-practices.csv?ccg=02E&amp;day=2014-06-01">CSV</a>' in text
    csv_body = call(app, "/queries/list-practices.csv?ccg=02E&day=2014-06-01").body
    assert csv_body == results.render(expected, "csv")
    assert json.loads(call(app, "/queries/list-practices.json?ccg=02E&day=2014-06-01").body) == \
        json.loads(results.render(expected, "json"))


def test_named_query_with_a_bad_value_shows_the_error(app: App) -> None:
    r = call(app, "/queries/list-practices?run=1&day=17/10/2016", accept="text/html")
    assert r.status == 400
    assert "Error: " in r.body.decode() and "day" in r.body.decode()
    r = call(app, "/queries/list-practices.csv?day=17/10/2016")
    assert r.status == 400
    assert r.body.decode().startswith("Error: ")


def site_data() -> Graph:
    from ccgkg import store

    return store.sample_graph()
