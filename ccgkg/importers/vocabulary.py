"""The ontology terms importers need, looked up by the words workbooks use.

Roles, body kinds, service kinds and contract forms are the ``ccgkg:keyword`` individuals of
``ontology/concepts.ttl``; document classes carry ``ccgkg:documentKind``; provisions are found by the path of their
``ccgkg:legislationURI`` (``ukpga/2006/41/section/14Z2``). Organisation types map to the classes fixed in
docs/design.md.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ccgkg.namespaces import CCGKG

#: Workbook ``type`` -> organisation class (docs/design.md).
ORG_TYPES: dict[str, URIRef] = {
    "ccg": CCGKG.ClinicalCommissioningGroup,
    "nhs-commissioning-board": CCGKG.NHSCommissioningBoard,
    "local-authority": CCGKG.LocalAuthority,
    "health-and-wellbeing-board": CCGKG.HealthAndWellbeingBoard,
    "local-healthwatch": CCGKG.LocalHealthwatch,
    "gp-practice": CCGKG.GPPractice,
    "nhs-trust": CCGKG.NHSTrust,
    "independent-provider": CCGKG.IndependentProvider,
    "icb": CCGKG.IntegratedCareBoard,
    "pct": CCGKG.PrimaryCareTrust,
}

#: Document kinds docs/import.md lists that the ontology may not mark with ``ccgkg:documentKind``: guidance is a
#: legal source (ontology/core.ttl) that the Board also publishes as data (NHS Act 2006 s.14U(2), rule 7).
DOCUMENT_KINDS: dict[str, URIRef] = {"guidance": CCGKG.Guidance}

#: Classes of whole legal sources, which also carry a legislationURI but are not provisions.
SOURCE_CLASSES = (CCGKG.LegalSource, CCGKG.Act, CCGKG.StatutoryInstrument, CCGKG.Guidance, CCGKG.StandardContract)

_LEG_PREFIXES = ("https://www.legislation.gov.uk/", "http://www.legislation.gov.uk/", "https://legislation.gov.uk/",
                 "http://legislation.gov.uk/", "www.legislation.gov.uk/", "legislation.gov.uk/")


def legislation_path(value: str) -> str:
    """The path part of a legislation.gov.uk address, without the host or surrounding slashes."""
    text = value.strip()
    for prefix in _LEG_PREFIXES:
        if text.lower().startswith(prefix):
            text = text[len(prefix):]
            break
    return text.strip("/")


@dataclass(frozen=True)
class Vocabulary:
    """Keyword -> IRI tables read from one ontology graph."""

    roles: dict[str, URIRef]
    bodies: dict[str, URIRef]
    services: dict[str, URIRef]
    forms: dict[str, URIRef]
    documents: dict[str, URIRef]
    provisions: dict[str, URIRef]

    def provision(self, path: str) -> URIRef | None:
        """The provision whose legislation.gov.uk path is ``path`` (host optional), or None."""
        return self.provisions.get(legislation_path(path))

    def nearest_provisions(self, path: str, n: int = 3) -> list[str]:
        """Up to ``n`` known provision paths closest to ``path``."""
        return difflib.get_close_matches(legislation_path(path), sorted(self.provisions), n=n, cutoff=0.6)


def _keywords(graph: Graph, cls: URIRef) -> dict[str, URIRef]:
    out: dict[str, URIRef] = {}
    for node in sorted(graph.subjects(RDF.type, cls), key=str):
        for kw in graph.objects(node, CCGKG.keyword):
            out[str(kw)] = node  # type: ignore[assignment]
    return dict(sorted(out.items()))


def load_vocabulary(ontology: Graph) -> Vocabulary:
    """Build the keyword tables from ``ontology`` (the bundled one unless a test passes its own)."""
    documents = {str(kw): cls for cls, kw in ontology.subject_objects(CCGKG.documentKind)}
    for kw, cls in DOCUMENT_KINDS.items():
        if cls not in documents.values():
            documents.setdefault(kw, cls)
    provisions: dict[str, URIRef] = {}
    sources = {s for cls in SOURCE_CLASSES for s in ontology.subjects(RDF.type, cls)}
    for prov, uri in ontology.subject_objects(CCGKG.legislationURI):
        if prov in sources:  # an Act or instrument as a whole is not a provision
            continue
        path = legislation_path(str(uri))
        if path not in provisions or str(prov) < str(provisions[path]):
            provisions[path] = prov  # type: ignore[assignment]
    return Vocabulary(
        roles=_keywords(ontology, CCGKG.Role),
        bodies=_keywords(ontology, CCGKG.BodyKind),
        services=_keywords(ontology, CCGKG.ServiceKind),
        forms=_keywords(ontology, CCGKG.ContractForm),
        documents=dict(sorted(documents.items())),  # type: ignore[arg-type]
        provisions=provisions,
    )


__all__ = ["DOCUMENT_KINDS", "ORG_TYPES", "Vocabulary", "legislation_path", "load_vocabulary"]
