"""Evidence scope (issue 10): in scope and absent is a breach, out of scope is not judged, partly in scope is cut
to the days covered; sources reach every output; the JSON contract's coverage section; explain's outcomes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from ccgkg import coverage, explain, report, validation
from ccgkg.cli import cli
from ccgkg.errors import TableError
from ccgkg.importers import governance

MINUTES = "https://example.org/minutes-2016-07-07"
PREFIXES = """@prefix ccgkg: <https://w3id.org/ccgkg/ont/core/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix org: <https://w3id.org/ccgkg/id/org/> . @prefix id: <https://w3id.org/ccgkg/id/> ."""
GROUP = """org:01F a ccgkg:ClinicalCommissioningGroup ; ccgkg:code "01F" ;
    rdfs:label "NHS Halton Clinical Commissioning Group" ;
    ccgkg:startDate "2013-04-01"^^xsd:date ; ccgkg:endDate "2022-06-30"^^xsd:date ."""


def meeting(*roles: str) -> str:
    """The governing body of 01F on 2016-07-07, its minutes listing every member: one post per role (a role
    ``A+B`` is one post with both roles)."""
    return f"""id:coverage-gb a ccgkg:CoverageStatement ; ccgkg:evidenceKind ccgkg:GoverningBodyPosts ;
    ccgkg:coversOrganisation org:01F ; ccgkg:startDate "2016-07-07"^^xsd:date ; ccgkg:endDate "2016-07-07"^^xsd:date ;
    dcterms:source "{MINUTES}" .
id:coverage-orgs a ccgkg:CoverageStatement ; ccgkg:evidenceKind ccgkg:OrganisationRecords ;
    dcterms:source "eccg.csv" .
""" + "\n".join(
        f"""id:post-{i} a ccgkg:Post ; ccgkg:postIn org:01F ; ccgkg:onBody ccgkg:GoverningBody ;
    ccgkg:role {", ".join("ccgkg:" + r for r in role.split("+"))} ;
    ccgkg:holder id:person-{i} ; ccgkg:startDate "2016-07-07"^^xsd:date ; ccgkg:endDate "2016-07-07"^^xsd:date ;
    dcterms:source "{MINUTES}" ."""
        for i, role in enumerate(roles))


OFFICERS = ("Chair", "DeputyChair", "AccountableOfficer", "ChiefFinanceOfficer", "SecondaryCareSpecialist", "GPMember")
#: the governing body met on 2016-07-07 with no registered nurse; the minutes list every member.
MEETING = meeting(*OFFICERS, "LayMemberGovernance", "LayMemberPPI")
NURSE = "https://w3id.org/ccgkg/shapes/ccg-regulations-2012/GoverningBodyHasRegisteredNurse"
PLAN = "https://w3id.org/ccgkg/shapes/nhs-act-2006/PlanForEachYear"
SHAPES = "https://w3id.org/ccgkg/shapes/ccg-regulations-2012/"
AUDIT, AREA = SHAPES + "GoverningBodyHasAuditLayMember", SHAPES + "GoverningBodyHasAreaLayMember"
UNSTATED = "lay members' qualifications not stated in the record (1 organisation-days)"


def graph(*parts: str) -> Graph:
    return Graph().parse(data="\n".join((PREFIXES, *parts)), format="turtle")


def test_intervals() -> None:
    d = dt.date
    assert coverage.merge([(d(2016, 1, 5), d(2016, 1, 9)), (d(2016, 1, 1), d(2016, 1, 4))]) == \
        [(d(2016, 1, 1), d(2016, 1, 9))]
    assert coverage.intersect([(d(2016, 1, 1), d(2016, 1, 9))], [(d(2016, 1, 5), d(2016, 2, 1))]) == \
        [(d(2016, 1, 5), d(2016, 1, 9))]
    assert coverage.subtract([(d(2016, 1, 1), d(2016, 1, 9))], [(d(2016, 1, 5), d(2016, 1, 5))]) == \
        [(d(2016, 1, 1), d(2016, 1, 4)), (d(2016, 1, 6), d(2016, 1, 9))]
    assert coverage.days([(d(2016, 1, 1), d(2016, 1, 9))]) == 9


def test_partly_in_scope_breach_only_on_the_day_covered_with_its_source() -> None:
    result = validation.validate(graph(GROUP, MEETING), provisions=["reg 11(3)(b)"])
    nurse = [f for f in result.findings if f.shape == NURSE]
    assert [(f.date, f.until, f.organisation_code, f.sources) for f in nurse] == \
        [(dt.date(2016, 7, 7), dt.date(2016, 7, 7), "01F", (MINUTES,))]
    assert result.coverage is not None and result.coverage.declared
    (rule,) = [r for r in result.coverage.rules if r.shape == NURSE]
    life = (dt.date(2022, 4, 13) - dt.date(2013, 4, 1)).days + 1  # reg 11(3)(b) in force until SI 2022/316
    assert (rule.judged, rule.passed, rule.breached, rule.not_judged) == (1, 0, 1, life - 1)
    assert rule.reasons == (f"posts of governing bodies not held for these days ({life - 1:,} organisation-days)",)


def test_in_scope_and_present_passes_out_of_scope_says_nothing() -> None:
    result = validation.validate(graph(GROUP, MEETING), as_of=dt.date(2016, 7, 8))
    assert [f for f in result.findings if f.date] == []  # the day after the meeting: no record, no finding
    assert result.coverage is not None
    (plan,) = [r for r in result.coverage.rules if r.shape == PLAN]
    assert (plan.judged, plan.not_judged, plan.reasons) == \
        (0, 1, ("no commissioning plans in this data (1 organisation-days)",))


def test_no_coverage_statement_is_the_closed_world_of_before() -> None:
    result = validation.validate(graph(GROUP), as_of=dt.date(2016, 7, 7), provisions=["reg 11(3)(b)"])
    assert [(f.shape, f.date, f.sources) for f in result.findings] == [(NURSE, dt.date(2016, 7, 7), ())]
    assert result.coverage is not None and not result.coverage.declared and result.not_judged == 0


def test_outside_england_is_not_judged_under_s14a() -> None:
    practice = """org:W00001 a ccgkg:GPPractice ; ccgkg:code "W00001" ; ccgkg:nationalGrouping "W00" ;
        ccgkg:startDate "2010-01-01"^^xsd:date .
    id:m a ccgkg:CoverageStatement ; ccgkg:evidenceKind ccgkg:MembershipRecords , ccgkg:OrganisationRecords ."""
    result = validation.validate(graph(practice), as_of=dt.date(2016, 7, 7), provisions=["s.14A(1)"])
    assert [f for f in result.findings if f.date] == []
    assert result.coverage is not None
    assert {r.reasons for r in result.coverage.rules} == {(
        "outside England (ODS national grouping W00, Wales): English CCG law does not reach it (1 organisation-days)",)}


def test_text_json_html_and_report_graph_carry_sources_and_coverage() -> None:
    result = validation.validate(graph(GROUP, MEETING), as_of=dt.date(2016, 7, 7), provisions=["reg 11(3)(b)"])
    text = report.render_text(result)
    assert f"            source: {MINUTES}" in text
    assert "         1          0         1           0  SI 2012/1631 reg 11(3)(b) as made  governing body includes a " \
           "registered nurse" in text
    data = json.loads(report.render_json(result))
    assert data["results"][0]["sources"] == [MINUTES]
    assert data["coverage"]["declared"] is True
    assert [(r["provisions"], r["judged"], r["passed"], r["breached"], r["not_judged"], r["evidence"])
            for r in data["coverage"]["rules"]] == \
        [(["SI 2012/1631 reg 11(3)(b) as made"], 1, 0, 1, 0, ["posts of governing bodies"])]
    page = report.render_html(result)
    assert f'source: <a href="{MINUTES}">{MINUTES}</a>' in page and 'id="coverage"' in page
    rows = list(result.report_graph.query(
        "PREFIX ccgkg: <https://w3id.org/ccgkg/ont/core/> PREFIX dcterms: <http://purl.org/dc/terms/> "
        "SELECT ?src ?j ?b WHERE { ?r dcterms:source ?src . ?rep ccgkg:coverage ?c . "
        "?c ccgkg:daysJudged ?j ; ccgkg:daysBreached ?b }"))
    assert [(str(s), int(j), int(b)) for s, j, b in rows] == [(MINUTES, 1, 1)]


def test_explain_shows_nothing_to_check_and_not_judged(tmp_path: Path) -> None:
    x = explain.explain(graph(GROUP, MEETING), "01F", as_of=dt.date(2016, 7, 8))
    outcomes = {r.shape.rsplit(":", 1)[-1]: r.outcome for r in x.rules}
    assert outcomes["PlanForEachYear"] == "not judged"
    assert outcomes["GoverningBodyHasRegisteredNurse"] == "not judged"
    bare = explain.explain(graph(GROUP), "01F", as_of=dt.date(2016, 7, 8))
    outcomes = {r.shape.rsplit(":", 1)[-1]: r.outcome for r in bare.rules}
    assert outcomes["PlanConsultsEachRelevantBoard"] == "nothing to check"  # no plan: nothing to check, not a pass
    assert outcomes["PlanForEachYear"] == "breached"
    text = explain.render_explanation(x)
    assert "  NOT JUDGED   NHS Act 2006 s.14Z11(1)  commissioning plan for each financial year" in text
    assert "no commissioning plans in this data" in text


def test_require_coverage_exits_4(tmp_path: Path) -> None:
    data = tmp_path / "d.ttl"
    data.write_text(graph(GROUP, MEETING).serialize(format="turtle"), encoding="utf-8")
    base = ["validate", str(data), "--as-of", "2016-07-08", "--provision", "s.14Z11(1)"]
    assert CliRunner().invoke(cli, base).exit_code == 0
    result = CliRunner().invoke(cli, [*base, "--require-coverage"])
    assert result.exit_code == 4
    assert "Error: --require-coverage: 1 organisation-days were not judged" in result.stderr


@pytest.mark.parametrize(("stated", "roles"), [
    ("Lay Member - Governance/Deputy Chair", ["LayMemberGovernance", "LayMember", "DeputyChair"]),
    ("Chair/GP", ["Chair", "GPMember"]),
    ("Chief Officer", ["AccountableOfficer"]),
    ("Head of Quality/Chief Nurse", ["RegisteredNurse"]),
    ("Secondary Care Doctor", ["SecondaryCareSpecialist"]),
    ("Chair, Halton Healthwatch", ["HealthwatchRepresentative"]),
    ("Lay Member for Patient and Public Involvement / Vice Chair", ["LayMemberPPI", "LayMember", "DeputyChair"]),
    ("presents Finance Report", []),
])
def test_role_table(stated: str, roles: list[str]) -> None:
    found = governance.map_role(stated)
    assert found is not None and [str(r).rsplit("/", 1)[-1] for r in found] == roles


def test_role_not_in_table() -> None:
    assert governance.map_role("Interim Exec Director of Quality & Safeguarding") is None


def test_governance_import_posts_and_meeting_coverage(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text(",".join(governance.COLUMNS) + "\n"
                    f"CCG governing body,01F,Halton CCG,2016-07-07,Gill Frame,Registered Nurse,present,{MINUTES},\n"
                    f"CCG governing body,01F,Halton CCG,2016-07-07,A B,Note Taker,in attendance,{MINUTES},\n"
                    "CCG governing body,02H,Wigan,2018-06-26,C D,\"Chair, Audit\",named on agenda,https://x.org/a,\n"
                    "HWB,E06000007,Warrington HWB,,E F,Councillor,member,https://x.org/b,\n", encoding="utf-8")
    result = governance.import_governance([path])
    g = result.graph
    q = ("PREFIX ccgkg: <https://w3id.org/ccgkg/ont/core/> PREFIX dcterms: <http://purl.org/dc/terms/> "
         "SELECT ?org ?role ?src WHERE { ?p a ccgkg:Post ; ccgkg:postIn ?org ; ccgkg:role ?role ; dcterms:source ?src }")
    assert [(str(o).rsplit("/", 1)[-1], str(r).rsplit("/", 1)[-1], str(s)) for o, r, s in g.query(q)] == \
        [("01F", "RegisteredNurse", MINUTES)]
    q = ("PREFIX ccgkg: <https://w3id.org/ccgkg/ont/core/> SELECT ?org ?from ?to WHERE { ?c a ccgkg:CoverageStatement ;"
         " ccgkg:coversOrganisation ?org ; ccgkg:startDate ?from ; ccgkg:endDate ?to }")
    assert [(str(o).rsplit("/", 1)[-1], str(f), str(t)) for o, f, t in g.query(q)] == \
        [("01F", "2016-07-07", "2016-07-07")]  # the agenda of 02H covers nothing
    (counts,) = result.files
    assert (counts.read, counts.imported, counts.skipped) == (4, 2, 2)
    assert set(counts.notes) == {"1 row(s): skipped: in attendance, not a member",
                                 "1 row(s): skipped: status 'named on agenda' does not say the person is a member",
                                 ("1 row(s): no day given (kept as an undated record with its source: no day is "
                                 "judged from it)")}
    q = ("PREFIX ccgkg: <https://w3id.org/ccgkg/ont/core/> PREFIX dcterms: <http://purl.org/dc/terms/> "
         "SELECT ?org ?stated ?what ?src WHERE { ?r a ccgkg:UndatedRecord ; ccgkg:recordKind ccgkg:BoardPosts ; "
         "ccgkg:recordAbout ?org ; ccgkg:dateAsStated ?stated ; dcterms:description ?what ; dcterms:source ?src }")
    assert [(str(o).rsplit("/", 1)[-1], str(d), str(w), str(s)) for o, d, w, s in g.query(q)] == \
        [("E06000007-HWB", "", "E F: Councillor (member)", "https://x.org/b")]  # no post, no coverage


BOARD = """org:E08000009-HWB a ccgkg:HealthAndWellbeingBoard ; ccgkg:code "E08000009-HWB" ;
    rdfs:label "Trafford Health and Wellbeing Board" ; ccgkg:startDate "2013-04-01"^^xsd:date ."""


def test_undated_board_rows_are_evidence_and_the_reason_their_board_is_not_judged(tmp_path: Path) -> None:
    """A board's members named for "2016/17 municipal year" (the Trafford rows of the shared extract): no day can be
    judged from them, and the coverage section says so for that board, with no finding."""
    path = tmp_path / "members.csv"
    path.write_text(",".join(governance.COLUMNS) + "\n"
                    "HWB,E08000009,Trafford HWB,2016/17 municipal year,A W,Chairman (Trafford Council),member,"
                    "https://x.org/t,\n"
                    "HWB,E08000009,Trafford HWB,2016/17 municipal year,M C,Vice-Chairman; Chair of Trafford CCG,"
                    "member,https://x.org/t,\n", encoding="utf-8")
    data = governance.import_governance([path]).graph + graph(BOARD)
    assert not list(data.subjects(None, governance.C.Post))
    result = validation.validate(data, as_of=dt.date(2016, 7, 7), provisions=["s.194(2)(a)"])
    assert result.findings == ()
    assert result.coverage is not None
    assert [(r.judged, r.not_judged, r.reasons) for r in result.coverage.rules] == [(0, 1, (
        ("posts of Health and Wellbeing Boards recorded only without a day (E08000009-HWB: 2 row(s), date as stated: "
        "'2016/17 municipal year'): no day can be judged from a meeting whose date is not known "
        "(1 organisation-days)"),))]


def test_a_meeting_day_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text(",".join(governance.COLUMNS) + "\n"
                    "CCG governing body,01F,Halton CCG,2016-02-30,A B,Lay Member,present,https://x.org/m,\n",
                    encoding="utf-8")
    with pytest.raises(TableError) as info:
        governance.import_governance([path])
    assert [p.render() for p in info.value.problems] == [
        (f"{path}, row 2, column 'date': value '2016-02-30': not a real date: February 2016 has 29 days; write the "
        "meeting's day as YYYY-MM-DD")]


Outcomes = dict[str, tuple[int, int, int, tuple[str, ...]]]


def _lay_rules(*roles: str) -> tuple[list[tuple[str, dt.date | None]], Outcomes]:
    """The reg 11(3)(d)-(e) findings (shape, day) and coverage (judged, breached, not judged, reasons) of 01F on the
    day of a meeting whose members hold the officers' roles and ``roles``."""
    result = validation.validate(graph(GROUP, meeting(*OFFICERS, "RegisteredNurse", *roles)),
                                 as_of=dt.date(2016, 7, 7), provisions=["reg 11(3)(d)", "reg 11(3)(e)"])
    assert result.coverage is not None
    return ([(f.shape.rsplit("/", 1)[-1], f.date) for f in result.findings],
            {r.shape.rsplit("/", 1)[-1]: (r.judged, r.breached, r.not_judged, r.reasons)
             for r in result.coverage.rules if r.shape in (AUDIT, AREA)})


def test_lay_qualifications_stated_and_met_pass_beside_an_unstated_one() -> None:
    findings, rules = _lay_rules("LayMemberGovernance+LayMember", "LayMemberPPI+LayMember", "LayMember")
    assert findings == []
    assert rules == {"GoverningBodyHasAuditLayMember": (1, 0, 0, ()), "GoverningBodyHasAreaLayMember": (1, 0, 0, ())}


def test_lay_qualifications_stated_and_breached() -> None:
    """Two lay members, both with knowledge of the area stated: none qualified in audit is a breach."""
    findings, rules = _lay_rules("LayMemberPPI+LayMember", "LayMemberPPI+LayMember")
    assert findings == [("GoverningBodyHasAuditLayMember", dt.date(2016, 7, 7))]
    assert rules == {"GoverningBodyHasAuditLayMember": (1, 1, 0, ()), "GoverningBodyHasAreaLayMember": (1, 0, 0, ())}


def test_lay_qualifications_unstated_are_not_judged_with_the_reason() -> None:
    """Minutes naming three members as "Lay Member" only (Halton, 2016-07-07): no finding, not judged."""
    findings, rules = _lay_rules("LayMember", "LayMember", "LayMember")
    assert findings == []
    assert rules == {"GoverningBodyHasAuditLayMember": (0, 0, 1, (UNSTATED,)),
                     "GoverningBodyHasAreaLayMember": (0, 0, 1, (UNSTATED,))}


def test_unstated_qualification_where_a_stated_one_meets_the_other_rule() -> None:
    """A lay member for audit and one plain lay member: reg 11(3)(d) is met, reg 11(3)(e) cannot be told."""
    findings, rules = _lay_rules("LayMemberGovernance+LayMember", "LayMember")
    assert findings == []
    assert rules == {"GoverningBodyHasAuditLayMember": (1, 0, 0, ()),
                     "GoverningBodyHasAreaLayMember": (0, 0, 1, (UNSTATED,))}


def test_the_count_of_lay_members_is_still_judged() -> None:
    """One lay member where SI 2012/1631 as made wants two (reg 11(3)(d) and (e)): whatever their qualification, a
    seat is empty, so the breaches stand; with no lay member at all too."""
    for roles in (("LayMember",), ()):
        findings, rules = _lay_rules(*roles)
        assert findings == [("GoverningBodyHasAuditLayMember", dt.date(2016, 7, 7)),
                            ("GoverningBodyHasAreaLayMember", dt.date(2016, 7, 7))]
        assert rules == {"GoverningBodyHasAuditLayMember": (1, 1, 0, ()),
                         "GoverningBodyHasAreaLayMember": (1, 1, 0, ())}


def test_amended_lay_rule_unstated_is_not_judged() -> None:
    """From 2022-04-14 one lay member with either qualification (SI 2022/316): a plain "Lay Member" cannot show it."""
    day = '"2022-05-05"^^xsd:date'
    data = graph(GROUP, meeting("Chair", "LayMember").replace('"2016-07-07"^^xsd:date', day))
    result = validation.validate(data, as_of=dt.date(2022, 5, 5), provisions=["reg 11(3)(c)"])
    assert result.coverage is not None
    (rule,) = [r for r in result.coverage.rules if r.shape == SHAPES + "GoverningBodyHasLayMember"]
    assert ([f.shape for f in result.findings if f.shape == rule.shape], rule.judged, rule.not_judged,
            rule.reasons) == ([], 0, 1, (UNSTATED,))
