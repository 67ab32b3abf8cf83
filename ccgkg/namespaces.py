"""Every namespace ccgkg uses, declared once, and ``bind_prefixes`` to bind them on a graph.

IRI scheme (see README, design notes): ``https://w3id.org/ccgkg/`` is the persistent base.
``ont/core/`` holds the core terms; ``ont/acts/<slug>/`` one module per Act or instrument;
``shapes/<slug>/`` the shapes of that module; ``id/<kind>/<key>`` the organisations and dated facts of the data.
"""

from __future__ import annotations

from urllib.parse import quote

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD

BASE = "https://w3id.org/ccgkg/"

CCGKG = Namespace(BASE + "ont/core/")
ID = Namespace(BASE + "id/")
ORG = Namespace(BASE + "id/org/")

# One namespace per Act or instrument: (prefix, slug).
ACTS: dict[str, str] = {
    "nhsa06": "nhs-act-2006",
    "hsca12": "health-and-social-care-act-2012",
    "lgpiha07": "local-government-and-public-involvement-in-health-act-2007",
    "ha09": "health-act-2009",
    "hca22": "health-and-care-act-2022",
    "ccgregs12": "ccg-regulations-2012",
    "standingrules12": "standing-rules-regulations-2012",
    "qualitypayments13": "quality-payments-regulations-2013",
    "ccgregs22": "ccg-amendment-regulations-2022",
    "hwbregs13": "hwb-regulations-2013",
    "guidance": "guidance",
    "contract": "nhs-standard-contract",
}
ACT_NS: dict[str, Namespace] = {p: Namespace(f"{BASE}ont/acts/{slug}/") for p, slug in ACTS.items()}
SHAPES_NS: dict[str, Namespace] = {f"{p}-sh": Namespace(f"{BASE}shapes/{slug}/") for p, slug in ACTS.items()}
CORE_SH = Namespace(BASE + "shapes/core/")

VANN = Namespace("http://purl.org/vocab/vann/")
LEG = "https://www.legislation.gov.uk/"

PREFIXES: dict[str, str] = {
    "ccgkg": str(CCGKG),
    "org": str(ORG),
    "id": str(ID),
    "core-sh": str(CORE_SH),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "sh": str(SH),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "vann": str(VANN),
    **{p: str(ns) for p, ns in ACT_NS.items()},
    **{p: str(ns) for p, ns in SHAPES_NS.items()},
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind every ccgkg prefix on ``graph`` (replacing clashing bindings) and return it."""
    for prefix, uri in PREFIXES.items():
        graph.bind(prefix, uri, override=True, replace=True)
    return graph


def org_iri(code: str) -> URIRef:
    """The IRI of the organisation with this code (ODS code, ONS code, or a workbook code)."""
    return ORG[quote(code.strip(), safe="-._~")]


def fact_iri(kind: str, *parts: str) -> URIRef:
    """A deterministic IRI for a dated fact, built from the values that identify it."""
    return ID[kind + "/" + "/".join(quote(str(p).strip(), safe="-._~") for p in parts)]


def expand_curie(value: str) -> URIRef:
    """Expand ``prefix:local`` with ccgkg's prefixes; a full IRI (with ``://``) is returned as it is.

    Raises:
        ValueError: when the prefix is unknown or the value is neither a CURIE nor an IRI.
    """
    if "://" in value or value.startswith("urn:"):
        return URIRef(value)
    prefix, sep, local = value.partition(":")
    if not sep or prefix not in PREFIXES:
        known = ", ".join(sorted(PREFIXES))
        raise ValueError(f"{value!r} is neither an IRI nor a CURIE with a known prefix ({known})")
    return URIRef(PREFIXES[prefix] + local)


__all__ = [
    "ACTS",
    "ACT_NS",
    "BASE",
    "CCGKG",
    "CORE_SH",
    "DCTERMS",
    "ID",
    "LEG",
    "ORG",
    "OWL",
    "PREFIXES",
    "RDF",
    "RDFS",
    "SH",
    "SHAPES_NS",
    "SKOS",
    "VANN",
    "XSD",
    "bind_prefixes",
    "expand_curie",
    "fact_iri",
    "org_iri",
]
