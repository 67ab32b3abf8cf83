"""Each named query, on the fixture data (tests/queries/fixtures), returns exactly the expected rows; the queries
over the law alone agree with ccgkg.law, which computes the same answers in Python."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from rdflib import Graph

from ccgkg import law, queries, results

H = "org:E06000006-HWB", "E06000006-HWB"


def rows(graph: Graph, name: str, **params: str) -> list[tuple[str, ...]]:
    """The rows of a named query, each term shortened as the table shows it."""
    result = queries.run(queries.bind(queries.load_query(name), params), graph)
    return [tuple(results.short(t) for t in row) for row in result.rows]


def test_every_named_query_is_here() -> None:
    assert [q.name for q in queries.list_queries()] == [
        "count-duties", "count-findings", "find-breaches", "find-crossing-groups", "find-hwb-gaps", "list-duties",
        "list-governing-body", "list-hwb-groups", "list-practices", "list-regard-duties", "rank-finances",
        "report-coverage", "trace-successors"]


def test_find_hwb_gaps(fixture_graph: Graph) -> None:
    dph = (*H, "director-public-health", "-", "hsca12:s194-2-d")
    assert rows(fixture_graph, "find-hwb-gaps") == [dph]
    # after the merger the relevant CCG of Halton is 27D, whose representative nobody is
    assert rows(fixture_graph, "find-hwb-gaps", day="2021-01-01") == [
        dph, (*H, "representative of 27D", "org:27D", "hsca12:s194-2-f")]
    assert rows(fixture_graph, "find-hwb-gaps", day="2021-01-01", hwb="E08000010-HWB") == []
    assert rows(fixture_graph, "find-hwb-gaps", day="2012-01-01") == []  # no board existed


def test_list_hwb_groups(fixture_graph: Graph) -> None:
    assert rows(fixture_graph, "list-hwb-groups") == [
        (*H, "org:E06000006", "org:01F", "01F", "1"),
        ("org:E08000010-HWB", "E08000010-HWB", "org:E08000010", "org:02H", "02H", "1")]
    assert rows(fixture_graph, "list-hwb-groups", day="2021-01-01", hwb="E06000006-HWB") == [
        (*H, "org:E06000006", "org:27D", "27D", "0.45")]


def test_find_crossing_groups(fixture_graph: Graph) -> None:
    assert rows(fixture_graph, "find-crossing-groups") == [("org:27D", "27D", "2")]
    assert rows(fixture_graph, "find-crossing-groups", day="2016-10-17") == []


def test_list_practices(fixture_graph: Graph) -> None:
    assert rows(fixture_graph, "list-practices") == [
        ("org:P92001", "P92001", "Alpha Surgery", "2013-04-01", "-", "A", "true"),
        ("org:P92003", "P92003", "Gamma Health Centre", "2013-04-01", "-", "D", "false")]
    assert rows(fixture_graph, "list-practices", day="2014-06-01")[1] == (
        "org:P92002", "P92002", "Beta Medical Centre", "2013-04-01", "2015-03-31", "A", "true")
    assert rows(fixture_graph, "list-practices", ccg="01F") == []


def test_trace_successors(fixture_graph: Graph) -> None:
    assert rows(fixture_graph, "trace-successors") == [
        ("org:01F", "01F", "org:27D", "27D", "ccg", "2020-04-01", "true", "2"),
        ("org:01F", "01F", "org:QYG", "QYG", "icb", "2022-07-01", "false", "1"),
        ("org:02E", "02E", "org:27D", "27D", "ccg", "2020-04-01", "true", "2"),
        ("org:02E", "02E", "org:QYG", "QYG", "icb", "2022-07-01", "false", "1"),
        ("org:02H", "02H", "org:QOP", "QOP", "icb", "2022-07-01", "true", "1"),
        ("org:27D", "27D", "org:QYG", "QYG", "icb", "2022-07-01", "true", "1")]
    assert [r[3] for r in rows(fixture_graph, "trace-successors", ccg="02E")] == ["27D", "QYG"]


def test_rank_finances(fixture_graph: Graph) -> None:
    assert rows(fixture_graph, "rank-finances") == [
        ("2016-17", "org:01F", "01F", "200000000", "201250000", "1250000", "false"),
        ("2016-17", "org:02E", "02E", "250000000", "250000000", "0", "true"),
        ("2016-17", "org:02H", "02H", "400000000", "398500000.5", "-1499999.5", "true"),
        ("2017-18", "org:02H", "02H", "410000000", "409000000", "-1000000", "true")]
    assert [r[2] for r in rows(fixture_graph, "rank-finances", year="2017-18")] == ["02H"]
    assert [r[0] for r in rows(fixture_graph, "rank-finances", ccg="02H")] == ["2016-17", "2017-18"]


def test_list_governing_body(fixture_graph: Graph) -> None:
    halton = rows(fixture_graph, "list-governing-body", ccg="01F")
    assert halton == [
        ("org:01F", "01F", "accountable-officer", "ccgregs12:reg11-2", "1"),
        ("org:01F", "01F", "chair", "ccgregs12:reg11-1_made", "1"),
        ("org:01F", "01F", "chief-finance-officer", "ccgregs12:reg11-3-a", "1"),
        ("org:01F", "01F", "deputy-chair", "ccgregs12:reg11-1_made", "1"),
        ("org:01F", "01F", "lay-member-governance", "ccgregs12:reg11-3-d", "1"),
        ("org:01F", "01F", "lay-member-ppi", "ccgregs12:reg11-3-e", "1"),
        ("org:01F", "01F", "registered-nurse", "ccgregs12:reg11-3-b_made", "0"),
        ("org:01F", "01F", "secondary-care-specialist", "ccgregs12:reg11-3-c_made", "0")]
    wigan = rows(fixture_graph, "list-governing-body", ccg="02H")
    assert ("org:02H", "02H", "gp-member", "-", "2") in wigan and len(wigan) == 9
    assert all(r[4] == "1" for r in wigan if r[2] != "gp-member")
    # every CCG of the day, a required role nobody holds counted 0 (Warrington has no governing-body data)
    everyone = rows(fixture_graph, "list-governing-body")
    assert Counter(r[1] for r in everyone) == {"01F": 8, "02E": 8, "02H": 9}
    assert rows(fixture_graph, "list-governing-body", day="2021-01-01", ccg="01F") == []  # merged away



#: The provision each role required by SI 2012/1631 reg 11 counts for, as made (to 13.4.2022) and as amended by
#: SI 2022/316 (from 14.4.2022), in the query's role order.
REG_11 = {"accountable-officer": ("reg11-2", "reg11-2"), "chair": ("reg11-1_made", "reg11-1_2022-04-14"),
          "chief-finance-officer": ("reg11-3-a", "reg11-3-a"), "deputy-chair": ("reg11-1_made", "reg11-1_2022-04-14"),
          "lay-member-governance": ("reg11-3-d", "reg11-3-c_2022-04-14"),
          "lay-member-ppi": ("reg11-3-e", "reg11-3-c_2022-04-14"),
          "registered-nurse": ("reg11-3-b_made", "reg11-3-b_2022-04-14"),
          "secondary-care-specialist": ("reg11-3-c_made", "reg11-3-b_2022-04-14")}


def test_list_governing_body_follows_the_text_in_force(fixture_graph: Graph) -> None:
    """Issue 8: SI 2022/316 amended reg 11 from 14.4.2022 (legal_verification.md (2)): the day before, the text as
    made (a nurse, a specialist and two lay members, each its own requirement); from that day one registered nurse
    or secondary care specialist (reg 11(3)(b) as amended) and one lay member of either kind (reg 11(3)(c) as
    amended). Wigan holds every role on both days; 27D (from 2020) records no post, so each required role shows 0."""
    def wigan(text: int) -> list[tuple[str, ...]]:
        required = [("org:02H", "02H", role, f"ccgregs12:{cites[text]}", "1") for role, cites in REG_11.items()]
        return sorted([*required, ("org:02H", "02H", "gp-member", "-", "2")], key=lambda r: r[2])

    assert rows(fixture_graph, "list-governing-body", day="2022-04-13", ccg="02H") == wigan(0)
    assert rows(fixture_graph, "list-governing-body", day="2022-04-14", ccg="02H") == wigan(1)
    assert rows(fixture_graph, "list-governing-body", day="2022-06-30", ccg="02H") == wigan(1)
    assert rows(fixture_graph, "list-governing-body", day="2022-07-01", ccg="02H") == []  # no CCG after abolition
    assert [(r[2], r[3], r[4]) for r in rows(fixture_graph, "list-governing-body", day="2022-04-14", ccg="27D")] == [
        (role, f"ccgregs12:{cites[1]}", "0") for role, cites in REG_11.items()]

def test_find_breaches(fixture_graph: Graph) -> None:
    nurse = ("org:01F", "01F", "NHS Halton CCG", "ccgregs12:reg11-3-b", "SI 2012/1631 reg 11(3)(b)",
             "sh:Violation", "The governing body has no registered nurse (SI 2012/1631 reg 11(3)(b)).",
             "ccgregs12-sh:GoverningBodyShape")
    specialist = ("org:01F", "01F", "NHS Halton CCG", "ccgregs12:reg11-3-c", "SI 2012/1631 reg 11(3)(c)",
                  "sh:Violation", "The governing body has no secondary care specialist (SI 2012/1631 reg 11(3)(c)).",
                  "ccgregs12-sh:GoverningBodyShape")
    # a provision's parts count: reg 11(3) is breached through its paragraphs (b) and (c)
    assert rows(fixture_graph, "find-breaches", provision="ccgregs12:reg11-3") == [nurse, specialist]
    # one row per cited provision; a blank source shape (a property shape) shows no shape
    assert rows(fixture_graph, "find-breaches", provision="nhsa06:s223H") == [
        ("org:01F", "01F", "NHS Halton CCG", "nhsa06:s223H", "NHS Act 2006 s.223H", "sh:Warning",
         "Expenditure exceeds the allotment (NHS Act 2006 s.223H).", "-")]
    every = rows(fixture_graph, "find-breaches")
    assert [(r[1], r[3]) for r in every] == [
        ("01F", "ccgregs12:reg11-3-b"), ("01F", "ccgregs12:reg11-3-c"), ("01F", "nhsa06:s223G-1"),
        ("01F", "nhsa06:s223H"), ("02H", "ccgregs12:reg11"), ("E06000006-HWB", "hsca12:s194-2-d")]
    assert rows(fixture_graph, "find-breaches", org="E06000006-HWB", provision="hsca12:s194") == [every[-1]]
    # -p day=D: the findings holding on D, from their first day (onDate) to their last (untilDate; none: to the end)
    assert [(r[1], r[3]) for r in rows(fixture_graph, "find-breaches", day="2017-01-01")] == [
        ("01F", "ccgregs12:reg11-3-b"), ("01F", "nhsa06:s223G-1"), ("01F", "nhsa06:s223H"),
        ("E06000006-HWB", "hsca12:s194-2-d")]
    assert [(r[1], r[3]) for r in rows(fixture_graph, "find-breaches", day="2022-06-30")] == [
        ("E06000006-HWB", "hsca12:s194-2-d")]
    assert len(rows(fixture_graph, "find-breaches", day="2016-10-17")) == len(every)
    assert rows(fixture_graph, "find-breaches", day="2016-10-16") == []


def test_count_findings(fixture_graph: Graph) -> None:
    assert rows(fixture_graph, "count-findings") == [
        ("org:01F", "01F", "NHS Halton CCG", "2", "1", "0", "3"),
        ("org:E06000006-HWB", "E06000006-HWB", "Halton Health and Wellbeing Board", "1", "0", "0", "1"),
        ("org:02H", "02H", "NHS Wigan Borough CCG", "0", "0", "1", "1")]
    assert rows(fixture_graph, "count-findings", day="2016-10-18") == [
        ("org:01F", "01F", "NHS Halton CCG", "2", "1", "0", "3"),
        ("org:E06000006-HWB", "E06000006-HWB", "Halton Health and Wellbeing Board", "1", "0", "0", "1")]
    assert rows(fixture_graph, "count-findings", day="2017-01-01")[0] == (
        "org:01F", "01F", "NHS Halton CCG", "1", "1", "0", "2")
    assert rows(fixture_graph, "count-findings", day="2016-10-16") == []


def test_report_queries_find_nothing_without_a_report(fixture_data: Graph) -> None:
    plain = queries.query_graph(fixture_data, inference="none")
    assert rows(plain, "find-breaches") == [] and rows(plain, "count-findings") == []


@pytest.mark.parametrize(("org", "holder", "day"), [
    ("02H", "ccg", "2016-10-17"), ("QOP", "icb", "2022-07-01"), ("E06000006-HWB", "hwb", "2016-10-17"),
    ("E08000010", "local-authority", "2020-01-01")])
def test_list_duties_agrees_with_law_duties(fixture_graph: Graph, org: str, holder: str, day: str) -> None:
    found = rows(fixture_graph, "list-duties", org=org, day=day)
    expected = law.duties(holder=holder, as_of=dt.date.fromisoformat(day))
    assert [r[0] for r in found] == sorted((d.curie for d in expected), key=lambda c: (law.resolve(c).citation, c))
    by_curie = {d.curie: d for d in expected}
    for curie, citation, title, force, start, until, link in found:
        d = by_curie[curie]
        assert (citation, title, force, start, until, link) == (
            d.citation, d.title, d.force, str(d.in_force_from), str(d.in_force_until or "-"), d.legislation_uri)


def test_list_duties_of_an_organisation_that_did_not_exist(fixture_graph: Graph) -> None:
    assert rows(fixture_graph, "list-duties", org="02H", day="2022-07-01") == []
    assert rows(fixture_graph, "list-duties", org="27D", day="2016-10-17") == []


@pytest.mark.parametrize("day", [None, "2016-10-17", "2022-07-01"])
def test_count_duties_agrees_with_law_duties(fixture_graph: Graph, day: str | None) -> None:
    params = {"day": day} if day else {}
    found = {(h, f): int(n) for h, f, n in rows(fixture_graph, "count-duties", **params)}
    expected: Counter[tuple[str, str]] = Counter()
    for d in law.duties(as_of=dt.date.fromisoformat(day) if day else None):
        for holder in d.holders:
            expected[(holder, d.force or "unspecified")] += 1
    assert found == dict(expected)
    regard = rows(fixture_graph, "count-duties", force="regard", **params)
    assert {r[0]: int(r[2]) for r in regard} == {h: n for (h, f), n in expected.items() if f == "regard"}


def test_report_coverage_counts_shapes_and_queries(fixture_graph: Graph) -> None:
    from ccgkg.namespaces import CCGKG
    from ccgkg.store import shapes_graph

    found = rows(fixture_graph, "report-coverage")
    assert [r[0] for r in found] == sorted((p.curie for p in law.provisions()),
                                           key=lambda c: (law.resolve(c).citation, c))
    shapes = shapes_graph()
    cited = Counter(c for q in queries.list_queries() for c in set(q.provisions))
    for curie, citation, n_shapes, n_queries in found:
        iri = law.resolve(curie).iri
        assert int(n_shapes) == len(set(shapes.subjects(CCGKG.enforces, law.URIRef(iri)))), curie
        assert int(n_queries) == cited[curie], curie
    assert ("hsca12:s194-2-f", "HSCA 2012 s.194(2)(f)", "0", "2") in [
        (r[0], r[1], "0", r[3]) for r in found]
    only = rows(fixture_graph, "report-coverage", source="hwbregs13:act")
    assert [r[0] for r in only] == ["hwbregs13:reg3"]


def test_list_regard_duties(fixture_graph: Graph) -> None:
    found = rows(fixture_graph, "list-regard-duties")
    participation = [r for r in found if r[0] == "nhsa06:s14U-3"]
    assert participation == [
        ("nhsa06:s14U-3", "NHS Act 2006 s.14U(3)", "nhsa06:s14U-2", "NHS Act 2006 s.14U(2)",
         "guidance:involving-people-2017", "2017-04", "false"),
        ("nhsa06:s14U-3", "NHS Act 2006 s.14U(3)", "nhsa06:s14U-2", "NHS Act 2006 s.14U(2)",
         "guidance:transforming-participation-2013", "2013-09-25", "true")]
    later = [r for r in rows(fixture_graph, "list-regard-duties", day="2018-01-01") if r[0] == "nhsa06:s14U-3"]
    assert [r[6] for r in later] == ["true", "true"]
    # every regard duty in force whose guidance provision the Board holds, as ccgkg.law links them
    expected = {(d.curie, g.provision) for d in law.duties(as_of=dt.date(2016, 10, 17), force="regard")
                for g in d.guidance if g.via == "regard"}
    assert {(r[0], r[2]) for r in found} <= expected
