"""Issue 4: the findings equal those of plain pySHACL run with the same shapes on the same inferred data.

Compared on the standard report fields (focus, path, value, source shape and constraint, severity, messages):
(1) every day's graph of the sample, fast engine against ``pyshacl.validate`` itself; (2) the whole day-by-day
validation of the sample and of each invalid rule fixture with the fast engine against the pySHACL engine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyshacl
import pytest
from rdflib.namespace import SH

from ccgkg import store, validation
from ccgkg.engines import pyshacl_shapes, report_results

from .conftest import load_test_module

FIXTURES = Path(__file__).resolve().parents[1] / "rules" / "fixtures"


def _legal(shapes):
    return [r for r in validation.shape_rules(shapes) if r.provisions]


@pytest.mark.parametrize("day", [dt.date(2013, 6, 1), dt.date(2016, 10, 17)])
def test_fast_engine_equals_plain_pyshacl_on_a_day(sample, day: dt.date) -> None:
    shapes = store.shapes_graph()
    active = [r.node for r in _legal(shapes) if r.applies_on(day)]
    graph = validation.prepare(validation.with_financial_years(sample), day)
    _conforms, report, _text = pyshacl.validate(graph, shacl_graph=pyshacl_shapes(shapes),
                                                inference="none", advanced=True,
                                                allow_warnings=True, use_shapes=active)
    ours = validation.validate(sample, as_of=day, provisions=[])
    legal = {r.node for r in _legal(shapes)}
    mine = {r for r in report_results(ours.report_graph) if r[3] in legal}
    assert mine == report_results(report)
    assert len(mine) == len([f for f in ours.findings if f.provisions])
    assert any(True for _ in report.objects(None, SH.result))  # each of these days has findings


def _fixture_cases() -> list[tuple[str, dt.date, list[str]]]:
    out = []
    for rule, case in sorted(load_test_module("rules/test_rules.py").CASES.items()):
        days = [case["as_of"]["invalid"]] if isinstance(case["as_of"], dict) else (
            [case["as_of"]] if case["as_of"] else [dt.date(2022, 1, 1), dt.date(2022, 7, 1)])
        out += [(rule, day, case["provisions"]) for day in days]
    return out


@pytest.mark.parametrize(("rule", "day", "provisions"), _fixture_cases())
def test_fast_engine_equals_plain_pyshacl_on_each_invalid_fixture(rule: str, day: dt.date,
                                                                   provisions: list[str]) -> None:
    shapes = store.shapes_graph()
    data = store.load(FIXTURES / f"{rule}-invalid.ttl")
    selected = validation.select_rules(_legal(shapes), provisions)
    active = [r.node for r in selected if r.applies_on(day)]
    graph = validation.prepare(validation.with_financial_years(data), day)
    _conforms, report, _text = pyshacl.validate(graph, shacl_graph=pyshacl_shapes(shapes), inference="none", advanced=True,
                                                allow_warnings=True, use_shapes=active)
    ours = validation.validate(data, as_of=day, provisions=provisions)
    assert report_results(ours.report_graph) == report_results(report)
    assert ours.findings


@pytest.mark.slow
def test_fast_and_pyshacl_engines_give_the_same_findings_on_every_day_of_the_sample(sample, sample_result) -> None:
    """The whole day-by-day validation with the pySHACL engine (about a minute and a half)."""
    reference = validation.validate(sample, engine="pyshacl")
    assert sample_result.findings == reference.findings
    assert report_results(sample_result.report_graph) == report_results(reference.report_graph)
