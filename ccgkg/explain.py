"""Explain one organisation: the duties that bind it, every rule checked and its outcome, and for each finding the
facts and the inference steps behind it (for example why a group is relevant to a Health and Wellbeing Board).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH
from rdflib.term import Node

from ccgkg import coverage, law, store, temporal, validation
from ccgkg.errors import InputError
from ccgkg.namespaces import CCGKG, org_iri

#: organisation class -> the holder keyword of ``ccgkg law duties`` (classes the law knows as duty holders).
HOLDER_CLASSES = {
    CCGKG.ClinicalCommissioningGroup: "ccg", CCGKG.HealthAndWellbeingBoard: "hwb", CCGKG.LocalAuthority:
    "local-authority", CCGKG.NHSCommissioningBoard: "board", CCGKG.IntegratedCareBoard: "icb",
}
#: the derived relations whose steps are shown, with the steps of their property chain (core.ttl).
CHAINS: dict[URIRef, tuple[tuple[URIRef, bool], ...]] = {
    CCGKG.relevantGroup: ((CCGKG.parentAuthority, False), (CCGKG.localAuthority, True), (CCGKG.areaOf, False)),
    CCGKG.memberOf: ((CCGKG.practice, True), (CCGKG.group, False)),
    CCGKG.commissionsFrom: ((CCGKG.commissioner, True), (CCGKG.provider, False)),
}


@dataclass(frozen=True)
class RuleOutcome:
    """One rule that applies to the organisation: ``breached`` (with how many findings), ``passed``, ``not in
    force`` on the day asked, ``nothing to check`` (it checks records of a kind the organisation has none of) or
    ``not judged`` (its evidence is out of scope on every day); ``coverage`` says how many days were judged and
    why the others were not (ccgkg.coverage)."""

    shape: str
    label: str
    provisions: tuple[str, ...]
    outcome: str
    findings: int
    coverage: str = ""


@dataclass(frozen=True)
class Step:
    """One inference: ``subject predicate object`` derived from asserted ``facts`` (each a short triple text)."""

    derived: str
    facts: tuple[str, ...]


@dataclass(frozen=True)
class ExplainedFinding:
    """A finding with the facts recorded about its focus on its first day and the inferences it rests on."""

    finding: validation.Finding
    facts: tuple[str, ...]
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Explanation:
    """Everything ``ccgkg explain`` prints about one organisation."""

    iri: str
    code: str
    label: str
    kinds: tuple[str, ...]
    as_of: dt.date | None
    duties: tuple[law.Duty, ...]
    rules: tuple[RuleOutcome, ...]
    findings: tuple[ExplainedFinding, ...]
    reported: tuple[str, ...] = ()  # reported events about it (ccgkg:ReportedEvent), each with its source


def _short(graph: Graph, node: Node | None) -> str:
    if node is None:
        return "-"
    if isinstance(node, URIRef):
        code = graph.value(node, CCGKG.code)
        if code is not None:
            return str(code)
        try:
            return graph.namespace_manager.curie(str(node), generate=False)
        except (ValueError, KeyError):
            return str(node).split("/id/", 1)[1] if "/id/" in str(node) else str(node)
    return str(node)


def _triple(graph: Graph, s: Node, p: Node, o: Node) -> str:
    return f"{_short(graph, s)} {_short(graph, p)} {_short(graph, o)}"


def chain_steps(graph: Graph, subject: Node, prop: URIRef, obj: Node) -> Step | None:
    """The asserted links behind a derived ``subject prop obj`` (a property chain of :data:`CHAINS`)."""
    steps = CHAINS[prop]
    frontier: list[tuple[Node, list[tuple[Node, Node, Node]]]] = [(subject, [])]
    for p, inverted in steps:
        nxt = []
        for node, path in frontier:
            pairs = graph.subjects(p, node) if inverted else graph.objects(node, p)
            for other in pairs:
                triple = (other, p, node) if inverted else (node, p, other)
                nxt.append((other, [*path, triple]))
        frontier = nxt
    paths = [path for node, path in frontier if node == obj]
    if not paths:
        return None
    return Step(derived=_triple(graph, subject, prop, obj) + f"  ({_short(graph, prop)} is "
                + " o ".join(("^" if inv else "") + _short(graph, p) for p, inv in steps) + ")",
                facts=tuple(_triple(graph, *t) for t in paths[0]))


def explain(data: Graph, code: str, *, as_of: dt.date | None = None, inference: str = "rdfs",
            engine: str | None = None, progress: validation.Progress | None = None) -> Explanation:
    """Explain organisation ``code`` in ``data`` (``progress`` is told of the judging days, as in validate).

    Raises:
        InputError: no organisation has this code.
    """
    iri = org_iri(code)
    if (iri, None, None) not in data:
        raise InputError(f"no organisation with code {code!r} in the data",
                         hint="give an ODS, ONS or workbook code present in the data, e.g. 02H or E08000010-HWB")
    # the states validation reasoned once are read again (all the data for the duties and rules, each finding's
    # day for its facts): no second inference, and only the organisation's neighbourhood is judged (orgs=)
    result, graphs = validation._validate(data, as_of=as_of, orgs=[code], inference=inference, engine=engine,
                                          progress=progress)
    with graphs.on(None) as full:
        kinds = tuple(sorted({str(_short(full, k)) for k in full.objects(iri, RDF.type)
                              if str(k).startswith(str(CCGKG)) and k != CCGKG.Organisation}))
        label = str(full.value(iri, RDFS.label) or code)
        duties, rules = _duties(full, iri, as_of), _rules(full, iri, result, as_of)
    explained: dict[int, ExplainedFinding] = {}
    by_day: dict[dt.date, list[int]] = {}
    for i, f in enumerate(result.findings):
        by_day.setdefault(f.date or temporal.CCG_FIRST_DAY, []).append(i)
    for day, indexes in sorted(by_day.items()):
        if day in graphs.days:
            with graphs.on(day) as graph:
                explained |= {i: _explained(data, result.findings[i], graph) for i in indexes}
        else:  # a day no legal shape was judged on (an undated core finding): prepared as before
            graph = validation.prepare(validation.with_financial_years(data), day, inference)
            explained |= {i: _explained(data, result.findings[i], graph) for i in indexes}
    return Explanation(
        iri=str(iri), code=code, label=label, kinds=kinds, as_of=as_of, duties=duties, rules=rules,
        findings=tuple(explained[i] for i in range(len(result.findings))), reported=_reported(data, iri))


def _reported(data: Graph, iri: URIRef) -> tuple[str, ...]:
    """Facts reported about the organisation that no rule judges (finance extract), each with its source."""
    out = []
    for event in data.subjects(CCGKG.reportedAbout, iri):
        value = " ".join(str(v) for v in (data.value(event, CCGKG.metric), data.value(event, CCGKG.reportedValue))
                         if v is not None)
        source = data.value(event, DCTERMS.source)
        out.append(f"{data.value(event, RDFS.label)}" + (f": {value}" if value else "")
                   + (f"; {data.value(event, DCTERMS.description)}" if data.value(event, DCTERMS.description) else "")
                   + (f"  (source: {source})" if source is not None else ""))
    return tuple(sorted(out))


def _duties(graph: Graph, iri: URIRef, as_of: dt.date | None) -> tuple[law.Duty, ...]:
    found: dict[str, law.Duty] = {}
    for cls, keyword in HOLDER_CLASSES.items():
        if (iri, RDF.type, cls) in graph:
            for duty in law.duties(holder=keyword, as_of=as_of):
                found.setdefault(duty.curie, duty)
    return tuple(found.values())


def _rules(graph: Graph, iri: URIRef, result: validation.ValidationResult,
           as_of: dt.date | None) -> tuple[RuleOutcome, ...]:
    shapes = store.shapes_graph()
    covered = {rule.shape: org for rule, org in result.coverage.for_organisation(str(iri))} \
        if result.coverage is not None else {}
    out = []
    for rule in validation.shape_rules(shapes):
        if not rule.provisions or not (_applies(graph, shapes, rule.node, iri) or str(rule.node) in covered):
            continue
        hits = sum(f.shape == str(rule.node) for f in result.findings)
        scope = covered.get(str(rule.node))
        if hits:
            outcome = "breached"
        elif as_of is not None and not rule.applies_on(as_of):
            outcome = "not in force"
        elif scope is not None and not scope.days_judged:
            outcome = "not judged"
        elif scope is not None and scope.nothing_to_check:
            outcome = "nothing to check"
        else:
            outcome = "passed"
        label = shapes.value(rule.node, RDFS.label)
        out.append(RuleOutcome(shape=_short(shapes, rule.node), label=str(label or ""),
                               provisions=tuple(p.citation for p in validation.provision_refs(shapes, rule.node)),
                               outcome=outcome, findings=hits, coverage=_coverage_note(scope)))
    return tuple(sorted(out, key=lambda r: (r.outcome != "breached", r.provisions, r.shape)))


def _coverage_note(scope: coverage.OrganisationCoverage | None) -> str:
    """``judged 1 of 3,378 days; not judged: no posts of governing bodies in this data`` (empty when every day in
    the organisation's life and the rule's force was judged)."""
    if scope is None or not scope.days_not_judged:
        return ""
    total = scope.days_judged + scope.days_not_judged
    return f"judged {scope.days_judged:,} of {total:,} days; not judged: " + "; ".join(scope.reasons)


def _applies(graph: Graph, shapes: Graph, shape: Node, iri: URIRef) -> bool:
    """Whether any target of ``shape`` is the organisation or a record of it (its post, return, contract...)."""
    candidates = validation._focus_of(graph, {iri})  # the only nodes that can be it or a record of it
    for cls in shapes.objects(shape, SH.targetClass):
        for node in candidates:
            if (node, RDF.type, cls) in graph and (node == iri or validation._organisation_of(graph, node) == iri):
                return True
    return False


def _explained(data: Graph, finding: validation.Finding, graph: Graph) -> ExplainedFinding:
    """The facts and inferences behind ``finding`` in ``graph``, the state of its first day."""
    day = finding.date or temporal.CCG_FIRST_DAY
    focus = URIRef(finding.focus)
    facts = [_triple(graph, focus, p, o) for p, o in data.predicate_objects(focus) if p != RDF.type]
    if finding.value and finding.value != finding.focus:  # the record the finding names (a plan, a post...)
        value = URIRef(finding.value)
        facts += [_triple(graph, value, p, o) for p, o in data.predicate_objects(value)
                  if p != RDF.type and (value, p, o) in graph]
    text = _query_text(URIRef(finding.shape))
    if finding.organisation:
        facts += _records(data, graph, URIRef(finding.organisation), text, day)
    steps = []
    for subject in {focus, URIRef(finding.organisation) if finding.organisation else focus}:
        for prop in (p for p in CHAINS if _short(graph, p) in text):  # the derived relations the rule reads
            for obj in graph.objects(subject, prop):
                step = chain_steps(graph, subject, prop, obj)
                if step is not None:
                    steps.append(step)
            for other in graph.subjects(prop, subject):
                step = chain_steps(graph, other, prop, subject)
                if step is not None:
                    steps.append(step)
    return ExplainedFinding(finding=finding, facts=tuple(sorted(set(facts))),
                            steps=tuple(sorted(set(steps), key=lambda s: s.derived)))


def _query_text(shape: URIRef) -> str:
    """The SPARQL text of a shape's constraints (empty for Core constraints)."""
    shapes = store.shapes_graph()
    return " ".join(str(q) for c in shapes.objects(shape, SH.sparql) for q in shapes.objects(c, SH.select))


def _records(data: Graph, graph: Graph, org: URIRef, text: str, day: dt.date) -> list[str]:
    """The organisation's records on ``day`` that the rule's query reads: posts when it reads ``ccgkg:postIn``,
    documents for ``ccgkg:publisher``, returns for ``ccgkg:returnOf``, contracts for ``ccgkg:commissioner``; a
    record for a financial year only in its year."""
    out = []
    for link in validation.ORGANISATION_LINKS:
        if _short(graph, link) not in text:
            continue
        for record in graph.subjects(link, org):
            if (record, CCGKG.financialYear, None) in data and (record, CCGKG.financialYear, None) not in graph:
                continue
            if link == CCGKG.postIn:
                holder = graph.value(record, CCGKG.holder)
                out.append(f"post on {day.isoformat()}: {_short(graph, graph.value(record, CCGKG.role))}"
                           + (f" held by {_short(graph, holder)}" if holder is not None else ""))
                continue
            details = "; ".join(sorted(
                f"{_short(graph, p)} {_short(graph, o)}" for p, o in data.predicate_objects(record)
                if p != link and (p != RDF.type or str(o).startswith(str(CCGKG))) and (record, p, o) in graph))
            out.append(f"{_short(graph, record)}: {details}")
    return out


def render_explanation(x: Explanation) -> str:
    """The text ``ccgkg explain`` prints."""
    from ccgkg.report import when

    lines = [f"{x.label} ({x.code})", f"Kinds: {', '.join(x.kinds)}",
             f"As of: {x.as_of.isoformat() if x.as_of else 'every day judged (2013-04-01 to 2022-06-30)'}", "",
             f"Duties binding it ({len(x.duties)}):"]
    lines += [f"  {d.citation}  {d.title}  [{d.force}]" for d in x.duties] or ["  -"]
    lines += ["", f"Rules checked ({len(x.rules)}):"]
    for r in x.rules:
        count = f" ({r.findings} finding{'s' if r.findings != 1 else ''})" if r.findings else ""
        lines.append(f"  {r.outcome.upper():<12} {'; '.join(r.provisions)}  {r.label}{count}")
        if r.coverage:
            lines.append(f"  {'':<12} {r.coverage}")
    lines += ["", f"Findings ({len(x.findings)}):"]
    for item in x.findings:
        f = item.finding
        lines.append(f"  {f.severity.upper()} {when(f)}: {f.message}")
        lines += [f"    source: {src}" for src in f.sources]
        lines += [f"    fact: {fact}" for fact in item.facts]
        for step in item.steps:
            lines.append(f"    inferred: {step.derived}")
            lines += [f"      from: {fact}" for fact in step.facts]
    if not x.findings:
        lines.append("  -")
    if x.reported:
        lines += ["", f"Reported, not judged ({len(x.reported)}):"] + [f"  {item}" for item in x.reported]
    return "\n".join(lines) + "\n"


__all__ = [
    "CHAINS",
    "HOLDER_CLASSES",
    "ExplainedFinding",
    "Explanation",
    "RuleOutcome",
    "Step",
    "chain_steps",
    "explain",
    "render_explanation",
]
