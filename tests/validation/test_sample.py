"""The bundled sample gives exactly the breaches documented in data/sample/README.md, and its report graph keeps
the contract other parts rely on (standard sh:ValidationReport plus ccgkg:provision, ccgkg:organisation and
ccgkg:onDate on every result)."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from ccgkg.namespaces import CCGKG

from .conftest import rows

README = Path(__file__).resolve().parents[2] / "data" / "sample" / "README.md"

EXPECTED = [  # in citation order (law.citation_key: NHS Act 2006, then HSCA 2012, then SI 2012/1631)
    ("violation", "P92007", ("nhsa06:s14A-1",), "2013-04-01", "2014-03-31"),
    ("warning", "01F", ("nhsa06:s14R-1",), "2019-04-01", "2020-03-31"),
    ("info", "X24", ("nhsa06:s14U-2", "nhsa06:s14U-3"), "2013-04-01", "2013-09-24"),  # no deadline (issue 8)
    ("violation", "E08000010-HWB", ("nhsa06:s14Z13-5",), "2017-04-01", "2018-03-31"),
    ("violation", "02H", ("nhsa06:s14Z15-2-a",), "2018-04-01", "2019-03-31"),
    ("violation", "01F", ("nhsa06:s14Z15-2-a",), "2019-04-01", "2020-03-31"),
    ("violation", "01F", ("nhsa06:s83",), "2016-04-01", "2017-03-31"),
    ("violation", "01F", ("nhsa06:s223H-1",), "2016-04-01", "2017-03-31"),
    ("violation", "02E", ("nhsa06:s223K-7_enacted",), "2015-04-01", "2016-03-31"),
    ("violation", "E08000010-HWB", ("hsca12:s194-2-d",), "2016-10-01", "2016-10-31"),
    ("violation", "02E", ("ccgregs12:reg11-3-b_made",), "2017-04-01", "2017-09-30"),
]


def test_sample_gives_exactly_the_documented_breaches(sample_result) -> None:
    assert rows(sample_result) == EXPECTED
    assert not sample_result.conforms
    assert (sample_result.count("violation"), sample_result.count("warning"), sample_result.count("info")) == (9, 1, 1)


def test_readme_documents_each_breach(sample_result) -> None:
    """Every finding's organisation and first citation appear in one row of the README's breach table."""
    table = [line for line in README.read_text(encoding="utf-8").splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(table) == len(EXPECTED)
    for f in sample_result.findings:
        cite = f.provisions[0].citation
        assert any(f.organisation_code in line and cite in line for line in table), (f.organisation_code, cite)


def test_report_graph_contract(sample_result) -> None:
    g = sample_result.report_graph
    report = next(g.subjects(RDF.type, SH.ValidationReport))
    assert g.value(report, SH.conforms) == Literal(False)
    results = list(g.objects(report, SH.result))
    assert len(results) == len(sample_result.findings)
    for node in results:
        for prop in (SH.focusNode, SH.resultSeverity, SH.sourceShape, SH.resultMessage, CCGKG.provision,
                     CCGKG.organisation, CCGKG.onDate):
            assert g.value(node, prop) is not None, prop
    dph = [n for n in results if g.value(n, CCGKG.provision) == URIRef(
        "https://w3id.org/ccgkg/ont/acts/health-and-social-care-act-2012/s194-2-d")]
    assert len(dph) == 1
    node = dph[0]
    assert g.value(node, CCGKG.organisation) == URIRef("https://w3id.org/ccgkg/id/org/E08000010-HWB")
    assert g.value(node, CCGKG.onDate) == Literal("2016-10-01", datatype=XSD.date)
    assert g.value(node, SH.resultSeverity) == SH.Violation
    assert g.value(node, SH.sourceShape) == URIRef(
        "https://w3id.org/ccgkg/shapes/health-and-social-care-act-2012/BoardHasDirectorOfPublicHealth")
    two = [n for n in results if len(list(g.objects(n, CCGKG.provision))) == 2]
    assert len(two) == 1  # s.14U(2) and (3): one ccgkg:provision per cited provision
