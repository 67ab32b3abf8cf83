"""Imported graphs are well formed by the bundled core shapes (shapes/core.shapes.ttl), checked with pyshacl."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SH

from ccgkg.importers import import_ods, import_workbook, write_template
from ccgkg.resources import shapes_files
from ccgkg.store import ontology_graph


@pytest.fixture(scope="module")
def core_shapes() -> Graph:
    files = [f for f in shapes_files() if f.name == "core.shapes.ttl"]
    if not files:
        pytest.skip("shapes/core.shapes.ttl is not bundled yet (the validate part adds it)")
    return Graph().parse(data=files[0].read_bytes(), format="turtle")


def findings(data: Graph, shapes: Graph) -> list[tuple[str, str]]:
    import pyshacl

    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology_graph(), inference="rdfs",
                                    allow_warnings=True)
    return sorted((str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultMessage)))
                  for r in report.subjects(SH.focusNode, None))


def test_template_workbook_is_well_formed(tmp_path: Path, core_shapes: Graph) -> None:
    write_template(tmp_path)
    assert findings(import_workbook(tmp_path).graph, core_shapes) == []


def test_ods_ccgs_areas_and_successors_are_well_formed(shared_data: Path, core_shapes: Graph) -> None:
    graph = import_ods([shared_data / "ods/eccg_2025-12_jhau_nhs-spend.csv", shared_data / "ons",
                        shared_data / "lookups/ccg21_to_lad21_apr2021.csv",
                        shared_data / "lookups/ltla19_to_utla19_apr2019.csv",
                        shared_data / "derived/ccg_successors.csv"]).graph
    assert findings(graph, core_shapes) == []
