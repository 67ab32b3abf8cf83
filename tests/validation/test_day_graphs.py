"""The optimised day graphs of ``validate`` hold exactly the triples of their definition: ``prepare`` (snapshot,
ontology, inference) of the data with its financial years on each day, and ``infer`` of all of it for the core
shapes, whichever state the shared graph moves from; ``reasoning.extend_rules`` adds exactly what reasoning over
everything at once finds."""

from __future__ import annotations

import datetime as dt

import pytest

from ccgkg import reasoning, store, validation


def _legal_days(data):
    legal = [r for r in validation.shape_rules(store.shapes_graph()) if r.provisions]
    return validation.judging_days(validation.with_financial_years(data), legal)


@pytest.mark.parametrize("inference", ["none", "rdfs", "owlrl"])
def test_each_state_equals_its_definition(sample, inference):
    days = _legal_days(sample)
    whole = validation.with_financial_years(sample)
    graphs = validation._DayGraphs(sample, validation._financial_years(sample), days, inference, mirrored=True)
    order = [None, *days, *reversed(days[:5]), None, days[len(days) // 2]]  # forwards, backwards, jumps
    for day in order:
        expected = validation.infer(whole, inference) if day is None else validation.prepare(whole, day, inference)
        with graphs.on(day) as graph:
            assert set(graph) == set(expected), day
            assert len(graphs.mirror.store) == len(graph), day  # the Oxigraph mirror holds the same triples


def test_light_states_are_views_equal_to_their_definition(sample):
    """Light mode (the compiled path): each state is a view over the masks, no rdflib graph kept; the view, its
    reads and the Oxigraph mirror hold exactly the state's triples, whichever state it moves from."""
    days = _legal_days(sample)
    whole = validation.with_financial_years(sample)
    graphs = validation._DayGraphs(sample, validation._financial_years(sample), days, "rdfs", mirrored=True,
                                   light=True)
    for day in [None, *days[:6], days[-1], days[2], None]:
        expected = validation.infer(whole) if day is None else validation.prepare(whole, day)
        with graphs.on(day) as view:
            assert isinstance(view, validation._DayView)
            assert set(view) == set(expected), day
            assert len(graphs.mirror.store) == len(expected), day
            for s, p, o in list(expected)[::50]:
                assert (s, p, o) in view and (s, p, None) in view
                assert set(view.objects(s, p)) == set(expected.objects(s, p))
                assert set(view.subjects(p, o)) == set(expected.subjects(p, o))
                assert set(view.predicate_objects(s)) == set(expected.predicate_objects(s))
    with graphs.on(days[3], graph=True) as graph:
        assert set(graph) == set(validation.prepare(whole, days[3]))


def test_extend_rules_adds_what_one_run_over_everything_finds(sample):
    rules = validation._ruleset(reasoning.Profile.RDFS)
    triples = sorted(set(sample) | set(store.ontology_graph()), key=str)
    first, rest = triples[::2], triples[1::2]
    base = reasoning.run_rules(first, rules)
    before = set(base.seen)
    added = reasoning.extend_rules(base, rest, rules)
    assert base.seen == before  # the base index is left as it was
    assert before | added == reasoning.run_rules(triples, rules).seen
    assert not (before & added)


def test_one_day_judged_alone_equals_its_definition(sample):
    day = dt.date(2016, 10, 17)
    graphs = validation._DayGraphs(sample, validation._financial_years(sample), [day], "rdfs", mirrored=False)
    with graphs.on(day) as graph:
        assert set(graph) == set(validation.prepare(validation.with_financial_years(sample), day))
