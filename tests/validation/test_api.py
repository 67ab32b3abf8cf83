"""``ccgkg.validation.validate``: options, filters, errors, time behaviour."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Graph

from ccgkg import validation
from ccgkg.errors import InputError, ShapesError, UnknownCitation, UnknownProfileError

from .conftest import rows

D = dt.date(2016, 10, 17)


def test_as_of_judges_one_day(sample) -> None:
    result = validation.validate(sample, as_of=D)
    assert result.as_of == D
    assert rows(result) == [
        ("violation", "01F", ("nhsa06:s83",), "2016-10-17", "2016-10-17"),
        ("violation", "01F", ("nhsa06:s223H-1",), "2016-10-17", "2016-10-17"),
        ("violation", "E08000010-HWB", ("hsca12:s194-2-d",), "2016-10-17", "2016-10-17"),
    ]


def test_a_day_before_the_law_has_no_legal_finding(sample) -> None:
    """On 2012-06-01 no provision the shapes cite was in force: no rule fires."""
    assert validation.validate(sample, as_of=dt.date(2012, 6, 1)).findings == ()


def test_org_filter_keeps_that_organisation_only(sample) -> None:
    result = validation.validate(sample, as_of=D, orgs=["01F"])
    assert {f.organisation_code for f in result.findings} == {"01F"}
    assert len(result.findings) == 2


def test_org_filter_repeatable(sample) -> None:
    result = validation.validate(sample, as_of=D, orgs=["01F", "E08000010-HWB"])
    assert len(result.findings) == 3


def test_unknown_org_is_an_input_error(sample) -> None:
    with pytest.raises(InputError, match="--org 99Z: no organisation with this code"):
        validation.validate(sample, orgs=["99Z"])


def test_provision_filter_runs_only_the_rules_enforcing_it_or_its_parts(sample) -> None:
    result = validation.validate(sample, provisions=["s.194(2)"])
    assert rows(result) == [("violation", "E08000010-HWB", ("hsca12:s194-2-d",), "2016-10-01", "2016-10-31")]
    with pytest.raises(InputError, match=r"^no rule checks HSCA 2012 s\.195 or its parts: validating against it "):
        validation.validate(sample, provisions=["HSCA 2012 s.195"])  # issue 9: a check of nothing is no pass


def test_unknown_provision_is_an_unknown_citation(sample) -> None:
    with pytest.raises(UnknownCitation):
        validation.validate(sample, provisions=["s.999"])


def test_unknown_inference_and_engine(sample) -> None:
    with pytest.raises(UnknownProfileError, match="unknown inference profile 'magic'"):
        validation.validate(sample, as_of=D, inference="magic")
    with pytest.raises(UnknownProfileError, match="unknown validation engine 'turbo'"):
        validation.validate(sample, as_of=D, engine="turbo")


def test_without_inference_relevance_is_not_derived() -> None:
    """``none`` infers nothing, so a board's relevant groups (derived, never entered) are unknown: the s.194(2)(f)
    rule finds nothing to check; ``rdfs`` and ``owlrl`` derive them."""
    from pathlib import Path

    from ccgkg import store

    data = store.load(Path(__file__).parents[1] / "rules" / "fixtures" / "hwb-membership-invalid.ttl")
    counts = {}
    for inference in ("none", "rdfs", "owlrl"):
        result = validation.validate(data, as_of=D, provisions=["s.194(2)(f)"], inference=inference)
        counts[inference] = [f.value for f in result.findings]
    org = "https://w3id.org/ccgkg/id/org/00B"
    assert counts == {"none": [], "rdfs": [org], "owlrl": [org]}


EXTRA = """
@prefix ccgkg: <https://w3id.org/ccgkg/ont/core/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/shapes/> . @prefix hsca12: <https://w3id.org/ccgkg/ont/acts/health-and-social-care-act-2012/> .
ex:BoardHasThreeOrMorePosts a sh:NodeShape ; ccgkg:enforces hsca12:s194-2-g ;
    sh:targetClass ccgkg:HealthAndWellbeingBoard ;
    sh:property [ sh:path [ sh:inversePath ccgkg:postIn ] ; sh:minCount 9 ; sh:severity sh:Info ;
                  sh:message "fewer than nine posts" ] .
"""


def test_extra_shapes_citing_a_provision_are_judged_by_day(sample) -> None:
    extra = Graph().parse(data=EXTRA, format="turtle")
    result = validation.validate(sample, as_of=D, extra_shapes=extra, orgs=["E06000007-HWB"])
    assert [(f.severity, f.shape, f.message, tuple(p.curie for p in f.provisions)) for f in result.findings] == [
        ("info", "http://example.org/shapes/BoardHasThreeOrMorePosts", "fewer than nine posts", ("hsca12:s194-2-g",))]
    assert not result.fails("violation") and result.fails("info")


def test_broken_extra_shapes_are_a_shapes_error(sample) -> None:
    extra = Graph().parse(data=EXTRA.replace("sh:minCount 9", 'sh:minCount "nine"'), format="turtle")
    with pytest.raises(ShapesError):
        validation.validate(sample, as_of=D, extra_shapes=extra)


CORE_BROKEN = """
@prefix ccgkg: <https://w3id.org/ccgkg/ont/core/> . @prefix org: <https://w3id.org/ccgkg/id/org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
org:00A a ccgkg:ClinicalCommissioningGroup ; rdfs:label "NHS Lone Clinical Commissioning Group" ; ccgkg:code "00A" ;
    ccgkg:startDate "2016-04-01"^^xsd:date ; ccgkg:endDate "2015-03-31"^^xsd:date .
<https://w3id.org/ccgkg/id/post/x> a ccgkg:Post ; ccgkg:role ccgkg:Chair .
"""


def test_core_shapes_judge_the_whole_data_once_undated() -> None:
    """A record ending before it starts never appears in a day's snapshot: core shapes see all the data."""
    result = validation.validate(Graph().parse(data=CORE_BROKEN, format="turtle"), provisions=())
    core = [(f.focus.rsplit("/", 1)[-1], f.message, f.date) for f in result.findings if not f.provisions]
    assert core == [
        ("x", "A post is held in exactly one organisation", None),
        ("00A", "A record's start date is on or before its end date (both are inclusive)", None),
    ]
