"""Fixtures for the importer tests: a fixture ontology with one provision, and a workbook writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ccgkg.namespaces import ACT_NS, CCGKG, bind_prefixes
from ccgkg.resources import ontology_files

#: A provision added only in the test ontology (until the law modules are merged) with its legislation.gov.uk path.
TEST_PROVISION = ACT_NS["nhsa06"]["s14Z2"]
TEST_PATH = "ukpga/2006/41/section/14Z2"


@pytest.fixture(scope="session")
def fixture_ontology() -> Graph:
    """The bundled core and concepts only, plus provisions s.14Z2, s.14Z2(1) and s.14Z11 of the NHS Act 2006 with
    their addresses: a fixed set of provisions, whatever the law modules hold."""
    g = bind_prefixes(Graph())
    for res in ontology_files():
        if res.name in ("core.ttl", "concepts.ttl"):
            g.parse(data=res.read_bytes(), format="turtle")
    for local in ("s14Z2", "s14Z11", "s14Z2-1"):
        node = ACT_NS["nhsa06"][local]
        path = "ukpga/2006/41/section/" + local[1:].replace("-", "/")
        g.add((node, RDF.type, CCGKG.Section))
        g.add((node, CCGKG.legislationURI, URIRef("https://www.legislation.gov.uk/" + path)))
    return g


WriteWorkbook = Callable[..., Path]


@pytest.fixture
def write_workbook(tmp_path: Path) -> WriteWorkbook:
    """Write workbook files from {name: csv text} into a fresh folder and return the folder."""
    def write(files: dict[str, str], folder: str = "wb") -> Path:
        target = tmp_path / folder
        target.mkdir(exist_ok=True)
        for name, text in files.items():
            data = text if isinstance(text, bytes) else text.encode("utf-8")
            (target / name).write_bytes(data)
        return target
    return write
