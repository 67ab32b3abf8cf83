"""The fast paths of ``infer`` and ``push``: ``store.read_triples`` (pyoxigraph reading Turtle and N-Triples into
the terms rdflib's parser makes) and ``oxstore.query_ntriples`` (the triples a store holds, written without one)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from ccgkg import oxstore, reasoning, store
from ccgkg.errors import ParseError

TURTLE = """@prefix ex: <http://e/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:p "x", "y"@en, 42, 1.5, "2020-01-31"^^xsd:date, "tab\\tnew\\nline" ; ex:q [ ex:r ex:b ] .
"""


def _without_bnodes(triples: set[tuple[object, ...]]) -> set[tuple[object, ...]]:
    return {t for t in triples if not any(isinstance(n, BNode) for n in t)}


@pytest.mark.parametrize("text", [TURTLE,
                                  # rdflib keeps an explicit xsd:string and a capital in a language tag: rdflib reads it
                                  TURTLE + 'ex:c ex:p "s"^^xsd:string, "t"@en-GB .\n'])
def test_read_triples_gives_the_triples_load_gives(tmp_path: Path, text: str) -> None:
    path = tmp_path / "d.ttl"
    path.write_text(text, encoding="utf-8")
    fast, loaded = store.read_triples(path), set(store.load(path))
    assert len(fast) == len(loaded) and _without_bnodes(fast) == _without_bnodes(loaded)
    assert (URIRef("http://e/a"), URIRef("http://e/p"), Literal("42", datatype=XSD.integer)) in fast


def test_read_triples_keeps_what_rdflib_alone_reads_exactly(tmp_path: Path) -> None:
    path = tmp_path / "d.ttl"
    path.write_text(TURTLE + 'ex:c ex:p "s"^^xsd:string, "t"@en-GB .\n', encoding="utf-8")
    fast = store.read_triples(path)
    assert (URIRef("http://e/c"), URIRef("http://e/p"), Literal("s", datatype=XSD.string)) in fast
    assert [o.language for _s, _p, o in fast if isinstance(o, Literal) and str(o) == "t"] == ["en-GB"]


def test_read_triples_refuses_an_ill_typed_literal_as_load_does(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text('@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\n<http://e/a> <http://e/d> '
                    '"2016-02-30"^^xsd:date .\n', encoding="utf-8")
    with pytest.raises(ParseError) as fast:
        store.read_triples(path)
    with pytest.raises(ParseError) as loaded:
        store.load(path)
    assert str(fast.value) == str(loaded.value) == f"{path} (line 3): '2016-02-30' is not a valid xsd:date"


def test_read_triples_reports_a_syntax_error_as_load_does(tmp_path: Path) -> None:
    path = tmp_path / "broken.nt"
    path.write_text("<http://e/a> <http://e/p> .\n", encoding="utf-8")
    with pytest.raises(ParseError) as fast:
        store.read_triples(path)
    with pytest.raises(ParseError) as loaded:
        store.load(path)
    assert str(fast.value) == str(loaded.value)


def test_entail_over_read_triples_equals_entail_over_the_graph(tmp_path: Path) -> None:
    path = tmp_path / "sample.ttl"
    path.write_bytes(store.sample_graph().serialize(format="turtle", encoding="utf-8"))
    fast = reasoning.entail(store.read_triples(path), "owlrl")
    graph = reasoning.entail(store.load(path), "owlrl")
    assert len(fast.triples) == len(graph.triples) > 1000
    assert _without_bnodes(set(fast.triples)) == _without_bnodes(set(graph.triples))
    assert len(fast.asserted) == len(graph.asserted)


def test_query_ntriples_writes_and_counts_what_a_store_holds() -> None:
    e = "http://e/"
    triples = {(URIRef(e + "a"), URIRef(e + "p"), Literal("x")),
               (URIRef(e + "a"), URIRef(e + "p"), Literal("x", datatype=XSD.string)),  # the same RDF 1.1 triple
               (URIRef(e + "a"), URIRef(e + "p"), Literal('say "hi"\n', lang="en-GB")),
               (URIRef(e + "a"), URIRef(e + "n"), Literal("7", datatype=XSD.integer))}
    body, count = oxstore.query_ntriples([triples, [(URIRef(e + "a"), URIRef(e + "n"),
                                                     Literal("7", datatype=XSD.integer))]])
    assert body.decode("utf-8").splitlines() == [
        '<http://e/a> <http://e/n> "7"^^<http://www.w3.org/2001/XMLSchema#integer> .',
        '<http://e/a> <http://e/p> "say \\"hi\\"\\n"@en-gb .',
        '<http://e/a> <http://e/p> "x" .']
    held = ox.Store()
    held.load(body, ox.RdfFormat.N_TRIPLES)
    assert count == 3 == len(held) == len(oxstore.build_store(triples))
