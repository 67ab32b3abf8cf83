"""The provisions API: what the law required, of whom, when, and where it is written.

This module owns the reading of the law modules of the bundled ontology (``ontology/acts/*.ttl``): it parses the
ontology once per process (:func:`ccgkg.store.ontology_graph`), builds an index of every provision, and answers

* :func:`duties` -- the norms binding a class of holder, on a day, of a force;
* :func:`resolve` -- one provision from a citation in any common form (``14Z2``, ``s.194(2)``,
  ``SI 2012/1631 reg 11``, ``nhsa06:s14Z2``, a legislation.gov.uk address);
* :func:`show` -- one provision in full: parts, parent, guidance, dates, successor, the shapes that enforce it
  and the named queries that cite it.

Ambiguous short citations (no source named) resolve by :data:`SOURCE_ORDER`: the first source in that order that
has the provision wins, so a bare section number means the NHS Act 2006 first, then HSCA 2012, LGPIHA 2007,
Health Act 2009 and HCA 2022; a bare regulation number means SI 2012/1631 first, then SI 2012/2996, SI 2022/316
and SI 2013/218. Name the source (``HSCA 2012 s.2``) to pick another.

Results are frozen dataclasses; errors are :class:`ccgkg.errors.UnknownCitation` and
:class:`ccgkg.errors.InputError`. Nothing here prints or exits.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH
from rdflib.term import Node

from ccgkg.errors import InputError, UnknownCitation
from ccgkg.namespaces import ACT_NS, ACTS, CCGKG, PREFIXES, expand_curie
from ccgkg.temporal import holds_on, to_date

#: Order in which sources are tried when a citation names none (see the module docstring).
SOURCE_ORDER: tuple[str, ...] = tuple(p for p in ACTS if p not in ("guidance",))

STRUCTURES = ("Section", "Subsection", "Paragraph", "Regulation", "Schedule", "ContractTerm")
FORCES = ("Obligation", "Power", "DutyToHaveRegard", "TargetDuty", "Prohibition", "Definition")
#: Force keyword of a norm whose force is not modelled (typed only ccgkg:Norm).
UNSPECIFIED = "unspecified"
ERR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")


# --------------------------------------------------------------------------------------------- result types

@dataclass(frozen=True)
class GuidanceDocument:
    """A statutory guidance document (``ccgkg:Guidance``)."""

    iri: str
    label: str
    title: str
    publisher: str | None
    published: str | None
    published_under: tuple[str, ...]
    replaced_by: tuple[str, ...]
    verification: str
    url: str | None = None
    verification_note: str | None = None
    covers: tuple[str, ...] = ()


@dataclass(frozen=True)
class GuidanceLink:
    """Guidance a norm points to: the provision it is published under, who publishes it and with what force.

    ``via`` is ``"regard"`` for a duty to have regard (``ccgkg:regardTo``) and ``"guidance"`` for a norm whose
    discharge the guidance explains (``ccgkg:guidanceProvision``). ``publishing`` is ``"must"`` when the
    publishing provision is an obligation, ``"may"`` for a power, ``"unstated"`` otherwise.
    """

    via: str
    provision: str
    citation: str
    publisher: str | None
    publishing: str
    documents: tuple[GuidanceDocument, ...]

    def render(self) -> str:
        """One-line text: ``NHS Act 2006 s.14U(2) (board must publish): Title (2013); ...``."""
        who = f"{self.publisher} " if self.publisher else ""
        head = f"{self.citation} ({who}{self.publishing} publish)" if self.publishing != "unstated" else self.citation
        if self.documents:
            head += ": " + "; ".join(d.label for d in self.documents)
        return head


@dataclass(frozen=True)
class Provision:
    """One provision of an Act, instrument or contract, as the ontology models it."""

    iri: str
    curie: str
    citation: str
    short_citation: str
    title: str
    paraphrase: str
    structure: str
    force: str | None
    holders: tuple[str, ...]
    in_force_from: dt.date | None
    in_force_until: dt.date | None
    commencement_note: str | None
    legislation_uri: str | None
    source: str
    source_title: str
    parent: str | None
    parts: tuple[str, ...]
    successors: tuple[str, ...]
    predecessors: tuple[str, ...]
    regard_to: tuple[str, ...]
    guidance_provisions: tuple[str, ...]
    verification: str
    verification_note: str | None
    version_of: str | None = None  # the work a version belongs to (ccgkg:versionOf)
    version_label: str | None = None
    versions: tuple[str, ...] = ()  # a work's versions, oldest first
    amended_by: tuple[str, ...] = ()  # the amending provisions that produced a version
    repealed_by: tuple[str, ...] = ()  # the provisions that repealed, revoked or omitted it

    @property
    def is_norm(self) -> bool:
        """Whether the provision confers a duty or power (has a force other than definition)."""
        return self.force is not None and self.force != "definition"

    def in_force_on(self, day: dt.date) -> bool:
        """Whether the provision is in force on ``day`` (both ends inclusive)."""
        return self.in_force_from is not None and holds_on(self.in_force_from, self.in_force_until, day)


@dataclass(frozen=True)
class Duty:
    """A norm as ``ccgkg law duties`` lists it."""

    citation: str
    curie: str
    title: str
    force: str
    holders: tuple[str, ...]
    in_force_from: dt.date | None
    in_force_until: dt.date | None
    guidance: tuple[GuidanceLink, ...]
    legislation_uri: str | None
    verification: str
    version_of: str | None = None
    version_label: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The documented JSON object of a duty (see docs/law.md)."""
        return {
            "citation": self.citation,
            "version_of": self.version_of,
            "version_label": self.version_label,
            "curie": self.curie,
            "title": self.title,
            "force": self.force,
            "holders": list(self.holders),
            "in_force_from": _iso(self.in_force_from),
            "in_force_until": _iso(self.in_force_until),
            "guidance": [_link_dict(g) for g in self.guidance],
            "legislation_uri": self.legislation_uri,
            "verification": self.verification,
        }


@dataclass(frozen=True)
class PartTree:
    """A sub-part of a provision with its own sub-parts."""

    provision: Provision
    parts: tuple[PartTree, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ShapeRef:
    """A SHACL shape that enforces a provision or one of its parts."""

    shape: str
    label: str | None
    enforces: tuple[str, ...]


@dataclass(frozen=True)
class QueryRef:
    """A bundled named query whose ``# provisions:`` header cites a provision or one of its parts."""

    name: str
    provisions: tuple[str, ...]


@dataclass(frozen=True)
class ProvisionDetail:
    """Everything ``ccgkg law show`` prints about one provision."""

    provision: Provision
    parent: Provision | None
    parts: tuple[PartTree, ...]
    guidance: tuple[GuidanceLink, ...]
    documents: tuple[GuidanceDocument, ...]
    successors: tuple[Provision, ...]
    predecessors: tuple[Provision, ...]
    shapes: tuple[ShapeRef, ...]
    queries: tuple[QueryRef, ...]
    versions: tuple[Provision, ...] = ()
    version_of: Provision | None = None
    amended_by: tuple[Provision, ...] = ()
    repealed_by: tuple[Provision, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The documented JSON object of ``law show --format json`` (see docs/law.md)."""
        p = self.provision

        def tree(t: PartTree) -> dict[str, Any]:
            return {"curie": t.provision.curie, "citation": t.provision.citation, "force": t.provision.force,
                    "holders": list(t.provision.holders), "paraphrase": t.provision.paraphrase,
                    "parts": [tree(c) for c in t.parts]}

        out = _provision_dict(p)
        out.update({
            "parent": self.parent.citation if self.parent else None,
            "parts": [tree(t) for t in self.parts],
            "guidance": [_link_dict(g) for g in self.guidance],
            "documents_published_under": [asdict(d) | {"published_under": list(d.published_under),
                                                       "replaced_by": list(d.replaced_by)} for d in self.documents],
            "successors": [s.citation for s in self.successors],
            "predecessors": [s.citation for s in self.predecessors],
            "version_of": self.version_of.citation if self.version_of else None,
            "versions": [_provision_dict(v) | {"amended_by": [a.citation for a in _amenders(v)]}
                         for v in self.versions],
            "amended_by": [a.citation for a in self.amended_by],
            "repealed_by": [a.citation for a in self.repealed_by],
            "shapes": [{"shape": s.shape, "label": s.label, "enforces": list(s.enforces)} for s in self.shapes],
            "queries": [{"name": q.name, "provisions": list(q.provisions)} for q in self.queries],
        })
        return out


def _amenders(p: Provision) -> list[Provision]:
    idx = index()
    return [idx.provisions[c] for c in p.amended_by if c in idx.provisions]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _link_dict(g: GuidanceLink) -> dict[str, Any]:
    return {"via": g.via, "provision": g.provision, "citation": g.citation, "publisher": g.publisher,
            "publishing": g.publishing,
            "documents": [{"iri": d.iri, "label": d.label, "published": d.published, "url": d.url,
                           "verification": d.verification} for d in g.documents]}


def _provision_dict(p: Provision) -> dict[str, Any]:
    return {
        "iri": p.iri, "curie": p.curie, "citation": p.citation, "short_citation": p.short_citation,
        "title": p.title, "paraphrase": p.paraphrase, "structure": p.structure, "force": p.force,
        "holders": list(p.holders), "in_force_from": _iso(p.in_force_from), "in_force_until": _iso(p.in_force_until),
        "commencement_note": p.commencement_note, "legislation_uri": p.legislation_uri, "source": p.source,
        "verification": p.verification, "verification_note": p.verification_note,
        "version_label": p.version_label,
    }


# --------------------------------------------------------------------------------------------- the index

@dataclass(frozen=True)
class HolderClass:
    """A class of duty holder with its command-line keyword and the days bodies of it existed in law."""

    iri: str
    keyword: str
    label: str
    exists_from: dt.date | None
    exists_until: dt.date | None
    ancestors: frozenset[str]  # itself and every superclass


class LawIndex:
    """Every provision, guidance document, holder class and force of the bundled ontology, indexed once."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._curie_of_ns = sorted(((str(ns), p) for p, ns in ACT_NS.items()), key=lambda x: -len(x[0]))
        self.force_keywords = self._force_keywords()
        self.holders = self._holders()
        self.holder_by_iri = {h.iri: h for h in self.holders.values()}
        self.documents = self._documents()
        self.provisions = self._provisions()
        self.by_citation = {p.citation.lower(): p for p in self.provisions.values()}
        works = [p for p in self.provisions.values() if p.version_of is None]
        self.by_uri = {_canonical_leg(p.legislation_uri): p for p in works if p.legislation_uri}
        self.by_short: dict[tuple[str, str], Provision] = {}
        for p in works:
            self.by_short[(p.curie.split(":")[0], _norm_short(p.short_citation))] = p
        self.source_names = self._source_names()

    # -- building
    def curie(self, iri: str) -> str:
        for ns, prefix in self._curie_of_ns:
            if iri.startswith(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def _force_keywords(self) -> dict[str, str]:
        out = {str(s): str(o) for s, o in self.graph.subject_objects(CCGKG.forceKeyword)}
        out[str(CCGKG.Definition)] = "definition"
        out[str(CCGKG.Norm)] = UNSPECIFIED
        return out

    def _holders(self) -> dict[str, HolderClass]:
        g = self.graph
        out: dict[str, HolderClass] = {}
        for cls, kw in g.subject_objects(CCGKG.holderKeyword):
            ancestors = {str(c) for c in g.transitive_objects(cls, RDFS.subClassOf)}
            out[str(kw)] = HolderClass(
                iri=str(cls), keyword=str(kw), label=str(g.value(cls, RDFS.label) or kw),
                exists_from=to_date(g.value(cls, CCGKG.holderFrom)),
                exists_until=to_date(g.value(cls, CCGKG.holderUntil)), ancestors=frozenset(ancestors))
        return out

    def holder_name(self, iri: str) -> str:
        """The keyword of a holder class, or its label when it has none."""
        h = self.holder_by_iri.get(iri)
        if h:
            return h.keyword
        label = self.graph.value(URIRef(iri), RDFS.label)
        return str(label) if label else self.curie(iri)

    def _documents(self) -> dict[str, GuidanceDocument]:
        g = self.graph
        out = {}
        for doc in g.subjects(RDF.type, CCGKG.Guidance):
            published = g.value(doc, CCGKG.published) or g.value(doc, DCTERMS.issued)
            publisher = g.value(doc, CCGKG.publisherKind)
            out[str(doc)] = GuidanceDocument(
                iri=str(doc), label=str(g.value(doc, RDFS.label) or doc), title=str(g.value(doc, DCTERMS.title) or ""),
                publisher=self.holder_name(str(publisher)) if publisher else None,
                published=str(published) if published is not None else None,
                published_under=tuple(sorted(self.curie(str(o)) for o in g.objects(doc, CCGKG.publishedUnder))),
                covers=tuple(sorted(self.curie(str(o)) for o in g.objects(doc, CCGKG.covers))),
                replaced_by=tuple(sorted(str(g.value(o, RDFS.label) or o) for o in g.objects(doc, CCGKG.replacedBy))),
                verification=_status(g.value(doc, CCGKG.verificationStatus)),
                url=_opt(g.value(doc, CCGKG.url)), verification_note=_opt(g.value(doc, CCGKG.verificationNote)))
        return out

    def _provisions(self) -> dict[str, Provision]:
        g = self.graph
        out: dict[str, Provision] = {}
        subjects = set(g.subjects(CCGKG.citation, None))
        structure_iris = {str(CCGKG[s]): s for s in STRUCTURES}
        for s in subjects:
            types = {str(t) for t in g.objects(s, RDF.type)}
            structure = next((structure_iris[t] for t in types if t in structure_iris), "Provision")
            force = next((self.force_keywords[str(CCGKG[f])] for f in FORCES if str(CCGKG[f]) in types), None)
            if force is None and str(CCGKG.Norm) in types:
                force = UNSPECIFIED
            source = g.value(s, CCGKG.inSource)
            parent = g.value(s, CCGKG.partOf)
            out[str(s)] = Provision(
                iri=str(s), curie=self.curie(str(s)), citation=str(g.value(s, CCGKG.citation)),
                short_citation=str(g.value(s, CCGKG.shortCitation) or g.value(s, CCGKG.citation)),
                title=str(g.value(s, DCTERMS.title) or ""), paraphrase=str(g.value(s, CCGKG.paraphrase) or ""),
                structure=_kebab(structure), force=force,
                holders=tuple(sorted(self.holder_name(str(h)) for h in g.objects(s, CCGKG.dutyHolder))),
                in_force_from=to_date(g.value(s, CCGKG.inForceFrom)),
                in_force_until=to_date(g.value(s, CCGKG.inForceUntil)),
                commencement_note=_opt(g.value(s, CCGKG.commencementNote)),
                legislation_uri=_opt(g.value(s, CCGKG.legislationURI)),
                source=str(g.value(source, RDFS.label) or "") if source else "",
                source_title=str(g.value(source, DCTERMS.title) or "") if source else "",
                parent=self.curie(str(parent)) if parent else None,
                parts=(), successors=tuple(self.curie(str(o)) for o in g.objects(s, CCGKG.successorProvision)),
                predecessors=tuple(self.curie(str(o)) for o in g.subjects(CCGKG.successorProvision, s)),
                regard_to=tuple(self.curie(str(o)) for o in g.objects(s, CCGKG.regardTo)),
                guidance_provisions=tuple(self.curie(str(o)) for o in g.objects(s, CCGKG.guidanceProvision)),
                verification=_status(g.value(s, CCGKG.verificationStatus)),
                verification_note=_opt(g.value(s, CCGKG.verificationNote)),
                version_of=self.curie(str(work)) if (work := g.value(s, CCGKG.versionOf)) is not None else None,
                version_label=_opt(g.value(s, CCGKG.versionLabel)),
                amended_by=tuple(sorted(self.curie(str(o)) for o in g.objects(s, CCGKG.amendedBy))),
                repealed_by=tuple(sorted(self.curie(str(o)) for o in g.objects(s, CCGKG.repealedBy))))
        children: dict[str, list[str]] = defaultdict(list)
        versions: dict[str, list[str]] = defaultdict(list)
        for p in out.values():
            if p.parent:
                children[p.parent].append(p.curie)
            if p.version_of:
                versions[p.version_of].append(p.curie)
        by_curie = {p.curie: p for p in out.values()}
        result: dict[str, Provision] = {}
        for p in sorted(out.values(), key=citation_key):
            kids = sorted(children.get(p.curie, ()), key=lambda c: citation_key(by_curie[c]))
            vers = sorted(versions.get(p.curie, ()), key=lambda c: citation_key(by_curie[c]))
            result[p.curie] = _replace(p, parts=tuple(kids), versions=tuple(vers))
        return result

    def _source_names(self) -> dict[str, str]:
        """Lower-case names of each source (label, title, prefix) -> prefix."""
        g = self.graph
        names: dict[str, str] = {}
        for prefix in ACTS:
            src = ACT_NS[prefix]["act"]
            names[prefix] = prefix
            for value in (g.value(src, RDFS.label), g.value(src, DCTERMS.title)):
                if value:
                    names[_squash(str(value))] = prefix
        extra = {"nhs act": "nhsa06", "nhsa 2006": "nhsa06", "nhs act 06": "nhsa06", "hsca": "hsca12",
                 "lgpiha": "lgpiha07", "hca": "hca22", "ha 2009": "ha09", "standard contract": "contract",
                 "nhs standard contract": "contract"}
        names.update(extra)
        return names

    # -- lookups
    def holders_on(self, iri: str, day: dt.date | None) -> list[str]:
        """The holder names of a provision, keeping only classes that existed in law on ``day`` (if given)."""
        out = []
        for h in self.graph.objects(URIRef(iri), CCGKG.dutyHolder):
            cls = self.holder_by_iri.get(str(h))
            if day is not None and cls is not None and not holds_on(cls.exists_from, cls.exists_until, day):
                continue
            out.append(self.holder_name(str(h)))
        return sorted(out)

    def guidance_link(self, via: str, curie: str, day: dt.date | None = None) -> GuidanceLink:
        """The guidance published under provision ``curie``; its publishers are those existing on ``day``."""
        target = self.provisions.get(curie)
        if target is None:  # an IRI outside the index: keep it visible rather than dropping it
            return GuidanceLink(via, curie, curie, None, "unstated", ())
        forms = [target]
        if target.versions:  # a work with versions: the version in force that day, else all of them
            versions = [self.provisions[c] for c in target.versions]
            forms = [v for v in versions if day is not None and v.in_force_on(day)] or versions
        forces = {f.force for f in forms}
        force = forces.pop() if len(forces) == 1 else None
        publishing = {"obligation": "must", "power": "may"}.get(force or "", "unstated")
        docs = tuple(sorted((d for d in self.documents.values() if curie in d.published_under),
                            key=lambda d: (d.published or "", d.label)))
        publisher = ", ".join(sorted({h for f in forms for h in self.holders_on(f.iri, day)})) or None
        return GuidanceLink(via, curie, target.citation, publisher, publishing, docs)


def _replace(p: Provision, **changes: Any) -> Provision:
    from dataclasses import replace

    return replace(p, **changes)


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def _status(value: object) -> str:
    if value is None:
        return "unknown"
    name = str(value).rsplit("/", 1)[-1]
    return _kebab(name)


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "-", name).lower()


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().replace("s.i.", "si"))


_TOKEN = re.compile(r"\d+|[A-Za-z]+")


def _seg_key(segment: str) -> tuple[tuple[int, Any], ...]:
    if re.fullmatch(r"z[a-z]", segment):  # a paragraph inserted before (a): (za) < (zb) < (a)
        return ((1, "\x00" + segment[1]),)
    return tuple((0, int(t)) if t.isdigit() else (1, t) for t in _TOKEN.findall(segment))


def citation_key(p: Provision) -> tuple[Any, ...]:
    """Natural order: by source (:data:`SOURCE_ORDER`), then by number, 14P < 14Z < 14Z1 < 14Z2 < 14Z10."""
    prefix, local = p.curie.split(":", 1) if ":" in p.curie else ("", p.curie)
    local, _, version = local.partition("_")  # a version: <work>_made or <work>_<first day>
    rank = SOURCE_ORDER.index(prefix) if prefix in SOURCE_ORDER else len(SOURCE_ORDER)
    head = re.match(r"^(sch|sc|reg|s)", local)
    kind = {"s": 0, "reg": 1, "sch": 2, "sc": 3}.get(head.group(1) if head else "", 4)
    body = local[head.end():] if head else local
    when = "" if not version else "0000" if version in ("made", "enacted") else version
    return (rank, kind, tuple(_seg_key(seg) for seg in body.replace("-para", "-").split("-")), when)


def _canonical_leg(uri: str | None) -> str:
    """A legislation.gov.uk address reduced to ``type/year/number/part/...`` (lower-cased)."""
    if not uri:
        return ""
    text = uri.strip()
    text = re.sub(r"[?#].*$", "", text)
    text = re.sub(r"^(https?://)?(www\.)?legislation\.gov\.uk\.?/", "", text, flags=re.IGNORECASE)
    parts = [x for x in text.split("/") if x]
    while parts and parts[0].lower() in ("id", "en", "cy"):
        parts.pop(0)
    keep: list[str] = []
    for x in parts:
        low = x.lower()
        if low.startswith("data.") or low in ("made", "enacted", "contents", "notes") or re.fullmatch(
                r"\d{4}-\d{2}-\d{2}", low):
            break
        keep.append(low)
    return "/".join(keep)


def _norm_short(text: str) -> str:
    """A short citation in one spelling: ``s.14z2(2)(a)`` -> ``s 14Z2 2 a``; ``reg 11(3)`` -> ``reg 11 3``."""
    t = text.strip()
    m = re.match(r"^(sections?|schedule|sch\.?|sc(?=\d)|regulations?|regs?\.?|r\.|ss?\.?)\s*(.*)$", t,
                 flags=re.IGNORECASE)
    kind, rest = ("s", t) if not m else (m.group(1).lower().rstrip(".").rstrip("s") or "s", m.group(2))
    kind = {"": "s", "section": "s", "regulation": "reg", "r": "reg", "schedule": "sch"}.get(kind, kind)
    if kind == "sc":
        return "sc " + rest.replace(".", " ").upper().strip()
    rest = re.sub(r"\bpara(graph)?\.?\s*", " para ", rest, flags=re.IGNORECASE)
    tokens = re.findall(r"para|[0-9]+(?:[A-Za-z]+[0-9]*)?|[A-Za-z]+", rest)
    out = []
    for i, tok in enumerate(tokens):
        if tok == "para":
            out.append("para")
        elif i == 0 or tok[0].isdigit():
            out.append(tok.upper())
        else:
            out.append(tok.lower())
    return kind + " " + " ".join(out)


@functools.lru_cache(maxsize=1)
def index() -> LawIndex:
    """The index of the bundled ontology, built once per process."""
    from ccgkg.store import ontology_graph

    return LawIndex(ontology_graph())


# --------------------------------------------------------------------------------------------- public API

def holder_keywords() -> list[str]:
    """The ``--holder`` keywords (``ccgkg:holderKeyword`` in core.ttl), sorted."""
    return sorted(index().holders)


def force_keywords() -> list[str]:
    """The ``--force`` keywords of norms (``ccgkg:forceKeyword`` in core.ttl), in core order."""
    order = ["obligation", "power", "regard", "target", "prohibition"]
    kws = {v for k, v in index().force_keywords.items() if k != str(CCGKG.Definition) and v != UNSPECIFIED}
    return [k for k in order if k in kws] + sorted(kws - set(order))


def provisions() -> list[Provision]:
    """Every provision in the ontology, in natural citation order."""
    return list(index().provisions.values())


def duties(holder: str | None = None, as_of: dt.date | None = None, force: str | None = None) -> list[Duty]:
    """The norms (provisions with a force other than definition) matching the filters, in citation order.

    Args:
        holder: a holder keyword (``ccg``, ``board``, ...). A norm binds the holder when its duty holder is that
            class or one of its superclasses (a norm of every commissioner binds a CCG).
        as_of: keep the norms in force on that day whose holder class existed in law on it (no CCG after
            2022-06-30, no ICB before 2022-07-01); the holders shown are those that existed that day.
        force: a force keyword (``obligation``, ``power``, ``regard``, ``target``, ``prohibition``).

    Returns:
        The duties, one per norm.

    Raises:
        InputError: an unknown holder or force keyword, listing the known ones.
    """
    idx = index()
    wanted: HolderClass | None = None
    if holder is not None:
        wanted = idx.holders.get(holder.strip().lower())
        if wanted is None:
            raise InputError(f"unknown holder {holder!r}", hint="use one of: " + ", ".join(holder_keywords()))
        if as_of is not None and not holds_on(wanted.exists_from, wanted.exists_until, as_of):
            return []
    if force is not None and force not in force_keywords():
        raise InputError(f"unknown force {force!r}", hint="use one of: " + ", ".join(force_keywords()))
    out: list[Duty] = []
    for p in idx.provisions.values():
        if not p.is_norm or p.versions or (force is not None and p.force != force):
            continue  # a work with versions is listed by its versions
        if as_of is not None and not p.in_force_on(as_of):
            continue
        holder_iris = [str(h) for h in idx.graph.objects(URIRef(p.iri), CCGKG.dutyHolder)]
        if wanted is not None and not any(h in wanted.ancestors for h in holder_iris):
            continue
        shown = idx.holders_on(p.iri, as_of)
        if as_of is not None and not shown:
            continue
        links = tuple(idx.guidance_link("regard", c, as_of) for c in p.regard_to) + tuple(
            idx.guidance_link("guidance", c, as_of) for c in p.guidance_provisions)
        work = idx.provisions.get(p.version_of) if p.version_of else None
        out.append(Duty(citation=p.citation, curie=p.curie, title=p.title, force=p.force or "",
                        holders=tuple(sorted(shown)), in_force_from=p.in_force_from, in_force_until=p.in_force_until,
                        guidance=links, legislation_uri=p.legislation_uri, verification=p.verification,
                        version_of=work.citation if work else None, version_label=p.version_label))
    return out


_LEG_RE = re.compile(r"^(https?://)?(www\.)?legislation\.gov\.uk", re.IGNORECASE)


def resolve(citation: str) -> Provision:
    """The provision a citation names.

    Accepts ``14Z2``, ``s.14Z2``, ``s 14Z2(2)(a)``, ``section 14Z2``, ``s.194(2)``, ``HSCA 2012 s.194(2)``,
    ``SI 2012/1631 reg 11``, ``reg 11(3)``, ``Sch 1A para 2``, ``SC1.3``, a CURIE (``nhsa06:s14Z2``), a
    ccgkg IRI, and legislation.gov.uk addresses (http or https, with or without www, the /id/ form, with
    trailing /data.xml, a version date, /made or a query string). A citation that names no source is looked
    up in each source in :data:`SOURCE_ORDER` and the first match wins.

    Raises:
        UnknownCitation: nothing matches; ``suggestions`` holds the nearest citations.
    """
    idx = index()
    text = (citation or "").strip()
    if not text:
        raise UnknownCitation(citation, [])
    if _LEG_RE.match(text):
        found = idx.by_uri.get(_canonical_leg(text))
        if found:
            return _version_at(found, text)
        raise UnknownCitation(citation, _suggest(text))
    if text.lower() in idx.by_citation:
        return idx.by_citation[text.lower()]
    if "://" in text or re.match(r"^[a-z0-9-]+:[^\s]", text) and text.split(":")[0] in PREFIXES:
        try:
            iri = str(expand_curie(text))
        except ValueError:
            iri = ""
        curie = idx.curie(iri)
        if curie in idx.provisions:
            return idx.provisions[curie]
        raise UnknownCitation(citation, _suggest(text))
    source, rest = _split_source(text, idx)
    key = _norm_short(rest)
    prefixes = [source] if source else list(SOURCE_ORDER)
    for prefix in prefixes:
        found = idx.by_short.get((prefix, key))
        if found:
            return found
    raise UnknownCitation(citation, _suggest(text))


_POINT_IN_TIME = re.compile(r"/(made|enacted|\d{4}-\d{2}-\d{2})(?=[/?#]|$)", re.IGNORECASE)


def _version_at(work: Provision, address: str) -> Provision:
    """The version of ``work`` a legislation.gov.uk address names by its point in time (``/made``, ``/enacted``
    or ``/YYYY-MM-DD``: the version in force that day); the work itself when it has no versions or the address
    names no point in time (or one outside every version)."""
    m = _POINT_IN_TIME.search(address)
    if not m or not work.versions:
        return work
    idx = index()
    versions = [idx.provisions[c] for c in work.versions]
    point = m.group(1).lower()
    if point in ("made", "enacted"):
        return versions[0]
    day = dt.date.fromisoformat(point)
    return next((v for v in versions if v.in_force_on(day)), work)


def related(curie: str) -> list[str]:
    """``curie`` with its parts (recursively) and the versions of each: the provisions a shape or query may cite
    when it enforces or answers ``curie``."""
    idx = index()
    out: list[str] = []
    stack = [curie]
    while stack:
        c = stack.pop()
        out.append(c)
        p = idx.provisions[c]
        out.extend(p.versions)
        stack.extend(reversed(p.parts))
    return out


def _split_source(text: str, idx: LawIndex) -> tuple[str | None, str]:
    squashed = _squash(text)
    for name in sorted(idx.source_names, key=len, reverse=True):
        if squashed.startswith((name + " ", name + ",")):
            return idx.source_names[name], squashed[len(name):].lstrip(" ,")
    return None, text


def _nearest_ancestor(text: str) -> str | None:
    """The citation of the closest existing provision above ``text`` (drop trailing parts one by one)."""
    probe = text.strip()
    while True:
        shorter = re.sub(r"(\([^()]*\)|/[^/]*|-[^-:]*)$", "", probe)
        if shorter == probe or not shorter:
            return None
        probe = shorter
        try:
            return resolve(probe).citation
        except UnknownCitation:
            continue


def _suggest(text: str) -> list[str]:
    idx = index()
    ancestor = _nearest_ancestor(text)
    choices: dict[str, str] = {}
    for p in idx.provisions.values():
        choices.setdefault(p.citation.lower(), p.citation)
        choices.setdefault(p.short_citation.lower(), p.citation)
        choices.setdefault(p.curie.lower(), p.citation)
    probe = text.strip().lower()
    if _LEG_RE.match(probe):
        canon = _canonical_leg(probe)
        near = [idx.by_uri[n].citation for n in difflib.get_close_matches(canon, list(idx.by_uri), n=5, cutoff=0.6)]
        return _first(ancestor, near)
    if not re.match(r"^(s|reg|sch|sc|nhs|hsca|si|lgpiha|health|hca|http|www|[a-z0-9]+:)", probe):
        probe = "s." + probe
    out: list[str] = []
    for match in difflib.get_close_matches(probe, list(choices), n=12, cutoff=0.6):
        if choices[match] not in out:
            out.append(choices[match])
    return _first(ancestor, out)


def _first(ancestor: str | None, found: list[str]) -> list[str]:
    """``found`` with ``ancestor`` (if any) moved to the front, at most five."""
    if ancestor is None:
        return found[:5]
    return [ancestor, *[c for c in found if c != ancestor]][:5]


def _tree(curie: str) -> PartTree:
    idx = index()
    p = idx.provisions[curie]
    return PartTree(p, tuple(_tree(c) for c in p.parts))


def enforcing_shapes(curies: list[str], shapes: Graph | None = None) -> tuple[ShapeRef, ...]:
    """The shapes with ``ccgkg:enforces`` pointing at any of ``curies`` (default: the bundled shapes)."""
    from ccgkg.store import shapes_graph

    g = shapes if shapes is not None else shapes_graph()
    idx = index()
    wanted = {str(expand_curie(c)) for c in curies}
    found: dict[Node, set[str]] = defaultdict(set)
    for node, target in g.subject_objects(CCGKG.enforces):
        if str(target) in wanted:
            if isinstance(node, BNode):  # a blank property shape is named by the node shape that holds it
                node = next(iter(g.subjects(SH.property, node)), node)
            found[node].add(idx.curie(str(target)))
    out = []
    for node, targets in found.items():
        label = g.value(node, RDFS.label) or g.value(node, SH.name)
        out.append(ShapeRef(shape=_shape_curie(g, str(node)), label=str(label) if label else None,
                            enforces=tuple(sorted(targets))))
    return tuple(sorted(out, key=lambda r: r.shape))


def _shape_curie(g: Graph, iri: str) -> str:
    try:
        return g.namespace_manager.curie(iri, generate=False)
    except (ValueError, KeyError):
        return iri


_PROVISIONS_HEADER = re.compile(r"^#\s*provisions\s*:\s*(.*)$", re.IGNORECASE)


def citing_queries(curies: list[str]) -> tuple[QueryRef, ...]:
    """The bundled named queries whose ``# provisions:`` header line names any of ``curies``."""
    from ccgkg import resources

    wanted = set(curies)
    out = []
    for res in resources.query_files():
        for line in res.read_text(encoding="utf-8").splitlines():
            m = _PROVISIONS_HEADER.match(line.strip())
            if m:
                cited = tuple(m.group(1).split())
                if wanted.intersection(cited):
                    out.append(QueryRef(name=res.name.rsplit(".", 1)[0], provisions=cited))
                break
    return tuple(sorted(out, key=lambda q: q.name))


def show(citation: str) -> ProvisionDetail:
    """One provision in full (see :class:`ProvisionDetail`).

    Raises:
        UnknownCitation: as :func:`resolve`.
    """
    idx = index()
    p = resolve(citation)
    family = related(p.curie)
    links = tuple(idx.guidance_link("regard", c) for c in p.regard_to) + tuple(
        idx.guidance_link("guidance", c) for c in p.guidance_provisions)
    docs = tuple(sorted((d for d in idx.documents.values() if p.curie in d.published_under + d.covers),
                        key=lambda d: (d.published or "", d.label)))
    return ProvisionDetail(
        provision=p, parent=idx.provisions.get(p.parent) if p.parent else None,
        parts=tuple(_tree(c) for c in p.parts), guidance=links, documents=docs,
        successors=tuple(idx.provisions[c] for c in p.successors if c in idx.provisions),
        predecessors=tuple(idx.provisions[c] for c in p.predecessors if c in idx.provisions),
        shapes=enforcing_shapes(family), queries=citing_queries(family),
        versions=tuple(idx.provisions[c] for c in p.versions),
        version_of=idx.provisions.get(p.version_of) if p.version_of else None,
        amended_by=tuple(_amenders(p)),
        repealed_by=tuple(idx.provisions[c] for c in p.repealed_by if c in idx.provisions))


# --------------------------------------------------------------------------------------------- text forms

DUTY_COLUMNS = ("citation", "title", "force", "holder", "in force from", "until", "regard to guidance", "link")


def duty_row(d: Duty) -> tuple[str, ...]:
    """The table and CSV cells of a duty, in :data:`DUTY_COLUMNS` order (empty cells are empty strings)."""
    return (d.citation, d.title, d.force, ", ".join(d.holders), _iso(d.in_force_from) or "",
            _iso(d.in_force_until) or "", " | ".join(("" if g.via == "regard" else "guidance on it: ") + g.render()
                                                     for g in d.guidance), d.legislation_uri or "")


def render_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """Rows as aligned plain text: a header, a rule, one line per row; cells padded to the widest, no trailing
    spaces."""
    cells = [tuple(c or "-" for c in r) for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *cells)]
    lines = []
    for i, row in enumerate([header, tuple("-" * w for w in widths), *cells]):
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
    return "\n".join(lines) + "\n"


def render_csv(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """Rows as RFC 4180 CSV (CRLF line ends, quoting where needed) with a header row."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([h.replace(" ", "_") for h in header])
    writer.writerows(rows)
    return buf.getvalue()


def render_detail(detail: ProvisionDetail) -> str:
    """``ccgkg law show`` as text: one labelled line per fact, then the parts tree, guidance, shapes and queries."""
    p = detail.provision
    dates = f"{_iso(p.in_force_from) or '?'} to {_iso(p.in_force_until) or 'date (still in force)'}"
    if p.in_force_from is None and p.in_force_until is None:
        dates = "unknown: no commencement date recorded"
    lines = [f"{p.citation}  ({p.curie})", ""]

    def field_(name: str, value: str | None) -> None:
        lines.append(f"{name + ':':<14}{value if value else '-'}")

    field_("Title", p.title)
    field_("Source", f"{p.source_title} ({p.source})")
    field_("Structure", p.structure)
    field_("Force", p.force)
    field_("Holder", ", ".join(p.holders))
    field_("In force", dates)
    field_("Commencement", p.commencement_note)
    field_("Link", p.legislation_uri)
    field_("Verification", p.verification + (f": {p.verification_note}" if p.verification_note else ""))
    field_("Paraphrase", p.paraphrase)
    field_("Part of", f"{detail.parent.citation} ({detail.parent.curie})" if detail.parent else None)
    if detail.version_of:
        field_("Version of", f"{detail.version_of.citation} ({detail.version_of.curie})")
        field_("Version", p.version_label)
        field_("Amended by", ", ".join(a.citation for a in detail.amended_by))
    if detail.repealed_by:
        field_("Repealed by", ", ".join(a.citation for a in detail.repealed_by))
    field_("Successor", ", ".join(s.citation for s in detail.successors))
    field_("Predecessor", ", ".join(s.citation for s in detail.predecessors))
    lines.append("")
    lines.append("Parts:" if detail.parts else "Parts: -")

    def walk(trees: tuple[PartTree, ...], depth: int) -> None:
        for t in trees:
            q = t.provision
            what = " ".join(x for x in (q.force or "", ", ".join(q.holders)) if x)
            lines.append(f"{'  ' * depth}{q.short_citation}" + (f"  [{what}]" if what else "") + f"  {q.paraphrase}")
            walk(t.parts, depth + 1)

    walk(detail.parts, 1)
    if detail.versions:
        lines.append("Versions:")
    for n, v in enumerate(detail.versions, 1):
        what = " ".join(x for x in (v.force or "", ", ".join(v.holders)) if x)
        until = _iso(v.in_force_until) or ("date" if n == len(detail.versions) and v.in_force_from else "?")
        lines.append(f"  {v.version_label or v.citation}  {_iso(v.in_force_from) or '?'} to {until}"
                     + (f"  [{what}]" if what else "") + f"  {v.legislation_uri or '-'}")
        lines.append(f"    {v.paraphrase}")
    lines.append("Guidance:" if detail.guidance or detail.documents else "Guidance: -")
    for g in detail.guidance:
        lines.append(f"  {'regard to' if g.via == 'regard' else 'guidance under'} {g.render()}")
    for d in detail.documents:
        when = f", {d.published}" if d.published else ""
        repl = f"; replaced by {', '.join(d.replaced_by)}" if d.replaced_by else ""
        how = "published under it" if p.curie in d.published_under else "about it (published under: unknown)"
        where = f"; {d.url}" if d.url else ""
        lines.append(f"  {how}: {d.title} ({d.publisher or '?'}{when}; {d.verification}{repl}{where})")
    lines.append("Shapes:" if detail.shapes else "Shapes: -")
    for s in detail.shapes:
        lines.append(f"  {s.shape}" + (f"  {s.label}" if s.label else "") + f"  (enforces {', '.join(s.enforces)})")
    lines.append("Queries:" if detail.queries else "Queries: -")
    for q in detail.queries:
        lines.append(f"  {q.name}  (cites {', '.join(q.provisions)})")
    return "\n".join(lines) + "\n"


def owlrl_clashes(graph: Graph) -> list[str]:
    """The inconsistencies owlrl finds in the OWL 2 RL closure of ``graph`` (empty when consistent).

    owlrl does not raise on a clash: it adds ``[] a err:ErrorMessage ; err:error "..."`` to the closure
    (``owlrl.Closure.Core.add_error``); this returns those messages, sorted. ``graph`` is not changed.
    """
    import owlrl

    work = Graph()
    work += graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(work)
    return sorted(str(o) for o in work.objects(None, ERR.error) if isinstance(o, Literal))


__all__ = [
    "DUTY_COLUMNS",
    "SOURCE_ORDER",
    "Duty",
    "GuidanceDocument",
    "GuidanceLink",
    "LawIndex",
    "PartTree",
    "Provision",
    "ProvisionDetail",
    "QueryRef",
    "ShapeRef",
    "citation_key",
    "citing_queries",
    "duties",
    "duty_row",
    "enforcing_shapes",
    "force_keywords",
    "holder_keywords",
    "index",
    "owlrl_clashes",
    "provisions",
    "related",
    "render_csv",
    "render_detail",
    "render_table",
    "resolve",
    "show",
]
