"""The rule reasoner against the owlrl reference: equal on the triples that matter, a subset of owlrl overall,
and the exact entailments ccgkg relies on (memberOf, relevantGroup, boundBy, commissionsFrom, hasValue ...)."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import RDF, RDFS

from ccgkg.errors import UnknownProfileError
from ccgkg.namespaces import CCGKG, ORG, bind_prefixes
from ccgkg.reasoning import DEFAULT_REASONER, REASONERS, OwlrlReasoner, Profile, RulesReasoner, infer
from ccgkg.store import ontology_graph, sample_graph

from .conftest import held_norms, matters

EX = Namespace("http://example.org/")


def owlrl_artifact(triple, asserted: Graph) -> bool:
    """owlrl's RDFS literal proxies copy a value between a plain and a language-tagged literal of the same text
    on the same subject (e.g. ccgkg:keyword "chair" gains "chair"@en from rdfs:label): a documented omission."""
    s, p, o = triple
    return isinstance(o, Literal) and any(
        isinstance(x, Literal) and str(x) == str(o) and x != o for x in asserted.objects(s, None))


def assert_equal_to_owlrl(graph: Graph, profile: Profile) -> int:
    rules = set(RulesReasoner().entailments(graph, profile))
    reference = set(OwlrlReasoner().entailments(graph, profile))
    assert rules - reference == set()  # never more than owlrl
    missing = {t for t in reference - rules if matters(t) and not owlrl_artifact(t, graph)}
    assert missing == set()  # nothing owlrl derives on the ccgkg vocabulary is lost
    return len({t for t in rules if matters(t)})


@pytest.mark.parametrize("profile", [Profile.RDFS, Profile.OWLRL])
def test_rules_equal_owlrl_on_ontology_and_sample(profile):
    graph = sample_graph() + ontology_graph()
    assert_equal_to_owlrl(graph, profile)


@pytest.mark.parametrize("profile", [Profile.RDFS, Profile.OWLRL])
def test_rules_equal_owlrl_on_generated_england_slice(england_module, profile):
    graph = england_module.england(england_module.Size().scaled(0.02)) + ontology_graph()
    derived = assert_equal_to_owlrl(graph, profile)
    assert derived > 500  # the slice really exercises the rules


def tiny() -> Graph:
    g = bind_prefixes(Graph())
    g.parse(data="""
        @prefix ccgkg: <https://w3id.org/ccgkg/ont/core/> . @prefix org: <https://w3id.org/ccgkg/id/org/> .
        @prefix syn: <https://w3id.org/ccgkg/ont/acts/synthetic/> .
        org:02H a ccgkg:ClinicalCommissioningGroup .
        <https://w3id.org/ccgkg/id/membership/P1/02H/2013-04-01> ccgkg:practice org:P1 ; ccgkg:group org:02H .
        org:LA-HWB ccgkg:parentAuthority org:LA .
        <https://w3id.org/ccgkg/id/area/02H/LA/2013-04-01> ccgkg:areaOf org:02H ; ccgkg:localAuthority org:LA .
        <https://w3id.org/ccgkg/id/contract/02H/RRF/acute/2016-04-01> ccgkg:commissioner org:02H ; ccgkg:provider org:RRF .
        syn:s1 ccgkg:dutyHolder ccgkg:Commissioner .
        syn:s1-1-a ccgkg:partOf syn:s1-1 . syn:s1-1 ccgkg:partOf syn:s1 .
    """, format="turtle")
    return g


def test_rules_derive_the_relations_ccgkg_relies_on():
    result = infer(tiny(), Profile.OWLRL)
    syn = Namespace("https://w3id.org/ccgkg/ont/acts/synthetic/")
    inferred = result.inferred
    assert result.reasoner == "rules" and result.note is None
    assert set(inferred.objects(ORG.P1, CCGKG.memberOf)) == {ORG["02H"]}
    assert set(inferred.objects(ORG["LA-HWB"], CCGKG.relevantGroup)) == {ORG["02H"]}
    # the synthetic norm, and every norm of the bundled law held by a class 02H falls in
    bound = held_norms(CCGKG.ClinicalCommissioningGroup, CCGKG.Commissioner, CCGKG.StatutoryBody, CCGKG.Organisation)
    assert len(bound) > 100
    assert set(inferred.objects(ORG["02H"], CCGKG.boundBy)) == {syn.s1} | bound
    assert set(inferred.objects(ORG["02H"], CCGKG.commissionsFrom)) == {ORG.RRF}
    assert set(inferred.objects(syn["s1-1-a"], CCGKG.partOf)) == {syn.s1}  # transitive (s1-1 was asserted)
    assert set(inferred.objects(syn.s1, CCGKG.hasPart)) == {syn["s1-1"], syn["s1-1-a"]}  # inverse + transitive
    assert set(inferred.objects(ORG.P1, RDF.type)) == {
        CCGKG.GPPractice, CCGKG.PrimaryMedicalServicesProvider, CCGKG.Provider, CCGKG.Organisation}
    assert (ORG.P1, CCGKG.memberOf, ORG["02H"]) not in result.asserted


def test_rdfs_profile_has_no_owl_rules():
    inferred = infer(tiny(), Profile.RDFS).inferred
    assert set(inferred.objects(ORG.P1, CCGKG.memberOf)) == set()
    assert set(inferred.objects(ORG.P1, RDF.type)) == {
        CCGKG.GPPractice, CCGKG.PrimaryMedicalServicesProvider, CCGKG.Provider, CCGKG.Organisation}


OWN_ONTOLOGY = """
@prefix ex: <http://example.org/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Chaired owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:role ; owl:hasValue ex:Chair ] .
ex:ChairPost rdfs:subClassOf ex:Chaired .
ex:twin a owl:SymmetricProperty .
ex:same owl:equivalentProperty ex:alike .
ex:narrower rdfs:subPropertyOf ex:related ; rdfs:domain ex:Thing ; rdfs:range ex:Thing .
"""


def test_has_value_symmetric_and_equivalence_against_owlrl():
    ontology = Graph().parse(data=OWN_ONTOLOGY, format="turtle")
    data = Graph().parse(data="""@prefix ex: <http://example.org/> .
        ex:post1 ex:role ex:Chair . ex:post2 a ex:ChairPost . ex:a ex:twin ex:b . ex:c ex:same ex:d .
        ex:e ex:narrower ex:f .""", format="turtle")
    inferred = infer(data, Profile.OWLRL, ontology=ontology).inferred
    assert (EX.post1, RDF.type, EX.Chaired) in inferred  # x p v -> x a R -> equivalent class
    assert (EX.post2, EX.role, EX.Chair) in inferred  # x a C <= R -> x p v
    assert (EX.b, EX.twin, EX.a) in inferred
    assert (EX.c, EX.alike, EX.d) in inferred
    assert {(EX.e, EX.related, EX.f), (EX.e, RDF.type, EX.Thing), (EX.f, RDF.type, EX.Thing)} <= set(inferred)
    reference = OwlrlReasoner().entailments(data + ontology, Profile.OWLRL)

    def about_data(graph):  # owlrl adds owl:Thing types too: compare the example vocabulary only
        nodes = {EX.post1, EX.post2, EX.a, EX.b, EX.c, EX.d, EX.e, EX.f}
        return {t for t in graph if t[0] in nodes and str(t[2]).startswith(str(EX))}

    assert about_data(inferred) == about_data(reference)
    assert len(about_data(inferred)) == 8


def test_unsupported_construct_hands_over_to_owlrl():
    ontology = Graph().parse(data="""@prefix ex: <http://example.org/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
        ex:Body owl:unionOf ( ex:Group ex:Board ) .""", format="turtle")
    data = Graph().parse(data="@prefix ex: <http://example.org/> . ex:g a ex:Group .", format="turtle")
    result = infer(data, Profile.OWLRL, ontology=ontology)
    assert (EX.g, RDF.type, EX.Body) in result.inferred
    assert result.note == "owlrl used instead of rules: the graph uses owl:unionOf on <http://example.org/Body>"


def test_registry_default_and_bad_names():
    assert DEFAULT_REASONER == "rules" and set(REASONERS) == {"rules", "owlrl"}
    assert infer(Graph(), "none").inferred.__len__() == 0
    with pytest.raises(UnknownProfileError) as err:
        infer(Graph(), "owl-full")
    assert err.value.hint == "use one of: none, rdfs, owlrl"
    with pytest.raises(UnknownProfileError) as err:
        infer(Graph(), "rdfs", reasoner="hermit")
    assert err.value.hint == "use one of: rules, owlrl"


def test_rules_over_time_equal_the_rules_run_on_each_state() -> None:
    """Issue 11: one labelled run gives, for every state, exactly what run_rules finds on that state alone."""
    import datetime as dt

    from ccgkg import store, temporal, validation
    from ccgkg.reasoning import Profile, run_rules, run_rules_over_time

    rules = validation._ruleset(Profile.RDFS)
    assert rules is not None
    data = validation.with_financial_years(store.sample_graph())
    ontology = set(store.ontology_graph())
    days = [dt.date(2013, 4, 1), dt.date(2016, 10, 17), dt.date(2019, 4, 1), dt.date(2022, 7, 1)]
    states = [set(temporal.snapshot(data, day)) | ontology for day in days]
    labelled: dict[tuple, int] = {}
    for i, state in enumerate(states):
        for triple in state:
            labelled[triple] = labelled.get(triple, 0) | (1 << i)
    masks = run_rules_over_time(labelled.items(), rules)
    for i, state in enumerate(states):
        expected = run_rules(state, rules).seen
        assert {t for t, m in masks.items() if m >> i & 1} == expected, days[i]
    assert len({m for m in masks.values()}) > 2  # the states do differ
