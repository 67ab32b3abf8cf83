"""Evidence scope: judge an organisation on a day only where the input holds the records a rule reads.

Closed-world checking of an open-world record is the wrong default for law: a register of organisations (ODS,
ONS) says nothing about who sat on a governing body, so "no registered nurse" is not a finding there. ccgkg
therefore separates three things (docs/validate.md, "Evidence scope"):

* what a rule reads: ``ccgkg:readsEvidence`` on a legal shape names :data:`evidence kinds <ccgkg:EvidenceKind>`
  (posts of governing bodies, commissioning plans, financial returns, ...); ``ccgkg:checksEachRecord`` names the
  records a rule checks one by one (none held: nothing to check, not a pass);
* what an input holds completely: ``ccgkg:CoverageStatement`` nodes in the data (kind, optional organisation, start
  and end dates, source), written by the importers or by hand. Data with no coverage statement at all is read as
  complete for every kind (the closed world of before, so hand-written RDF and the bundled sample keep their
  findings);
* the population: an organisation outside England (ODS national grouping ``W...``) is judged by no rule;
* records without a day (``ccgkg:UndatedRecord``: a board's members "in the 2016/17 municipal year") cover no day;
  they are named as the reason their organisation was not judged;
* details a record can leave unstated: a rule with ``ccgkg:needsStatedQualification ROLE`` (the lay members'
  qualifications of SI 2012/1631 reg 11(3)(d)-(e)) does not breach on a day when the body has a member recorded only
  as ROLE and no stated member meets it: that day is not judged, with the reason, and no finding is made.

A rule judges an organisation on the days in (organisation's life) ∩ (the rule's provisions in force) ∩ (the
judging window) ∩ (coverage of each kind it reads): intervals, never day by day. Findings outside are dropped or
cut (:meth:`Scope.clip`, the one hook :func:`ccgkg.validation.validate` calls); :meth:`Scope.table` counts, per
rule, the organisation-days judged, passed, breached and not judged, with the reasons.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD
from rdflib.term import Node

from ccgkg import store, temporal
from ccgkg.namespaces import CCGKG

if TYPE_CHECKING:
    from ccgkg.validation import Finding, ProvisionRef, ShapeRule

Span = tuple[dt.date, dt.date]  # first and last day, inclusive
EVER: Span = (dt.date.min, dt.date.max)
#: posts of governing bodies and of boards are both ccgkg:Post; their body tells them apart.
POST_BODIES: dict[Node, Node] = {CCGKG.GoverningBodyPosts: CCGKG.GoverningBody, CCGKG.BoardPosts: CCGKG.BoardOfHwb}
#: why a rule reading a role's qualifications did not judge a day when a member's qualification is not recorded.
UNSTATED = "{role}s' qualifications not stated in the record"
#: why a rule did not judge an organisation whose records of a kind have no known day.
UNDATED = ("{kind} recorded only without a day ({what}): no day can be judged from a meeting whose date is not "
           "known")
#: the ODS national grouping prefix of organisations outside England, and why they are not judged.
OUTSIDE_ENGLAND = ("W", "outside England (ODS national grouping {grouping}, Wales): English CCG law does not reach it")


# ------------------------------------------------------------------------------------------------ intervals

def merge(spans: Iterable[Span]) -> list[Span]:
    """``spans`` as sorted, disjoint, non-adjacent spans."""
    out: list[Span] = []
    for start, end in sorted(s for s in spans if s[0] <= s[1]):
        if out and start <= _next(out[-1][1]):
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def intersect(a: Sequence[Span], b: Sequence[Span]) -> list[Span]:
    """The days in both ``a`` and ``b`` (each merged)."""
    out: list[Span] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start <= end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(a: Sequence[Span], b: Sequence[Span]) -> list[Span]:
    """The days in ``a`` and not in ``b`` (each merged)."""
    out: list[Span] = []
    for start, end in a:
        cursor = start
        for b_start, b_end in b:
            if b_end < cursor or b_start > end:
                continue
            if b_start > cursor:
                out.append((cursor, _prev(b_start)))
            cursor = _next(b_end)
            if cursor > end:
                break
        if cursor <= end:
            out.append((cursor, end))
    return out


def days(spans: Iterable[Span]) -> int:
    """How many days ``spans`` hold (merged spans; open ends are not counted)."""
    return sum((end - start).days + 1 for start, end in spans if start > dt.date.min and end < dt.date.max)


def _next(day: dt.date) -> dt.date:
    return day if day == dt.date.max else day + dt.timedelta(days=1)


def _prev(day: dt.date) -> dt.date:
    return day if day == dt.date.min else day - dt.timedelta(days=1)


# ----------------------------------------------------------------------------------------------- the result

@dataclass(frozen=True)
class OrganisationCoverage:
    """One rule's coverage of one organisation: the days judged, breached and not judged, and why not."""

    organisation: str
    code: str | None
    judged: tuple[Span, ...]
    breached: tuple[Span, ...]
    not_judged: tuple[Span, ...]
    reasons: tuple[str, ...]
    nothing_to_check: bool = False
    reason_days: tuple[int, ...] = ()  # organisation-days of each reason (empty: every reason counts them all)

    @property
    def days_judged(self) -> int:
        return days(self.judged)

    @property
    def days_breached(self) -> int:
        return days(self.breached)

    @property
    def days_passed(self) -> int:
        return self.days_judged - self.days_breached

    @property
    def days_not_judged(self) -> int:
        return days(self.not_judged)


@dataclass(frozen=True)
class RuleCoverage:
    """One rule's organisation-days judged, passed, breached and not judged, over the organisations it targets."""

    shape: str
    label: str
    provisions: tuple[ProvisionRef, ...]
    evidence: tuple[str, ...]  # labels of the kinds it reads
    organisations: tuple[OrganisationCoverage, ...]

    @property
    def judged(self) -> int:
        return sum(o.days_judged for o in self.organisations)

    @property
    def breached(self) -> int:
        return sum(o.days_breached for o in self.organisations)

    @property
    def passed(self) -> int:
        return self.judged - self.breached

    @property
    def not_judged(self) -> int:
        return sum(o.days_not_judged for o in self.organisations)

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why days were not judged, most organisation-days first, each with its count."""
        counts: Counter[str] = Counter()
        for org in self.organisations:
            for reason, n in zip(org.reasons, org.reason_days or (org.days_not_judged,) * len(org.reasons)):
                counts[reason] += n
        return tuple(f"{reason} ({n:,} organisation-days)"
                     for reason, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass(frozen=True)
class Coverage:
    """The coverage section of a validation: one :class:`RuleCoverage` per legal rule that targets something.

    Attributes:
        rules: per rule, in citation order.
        declared: whether the data declared its coverage (False: no statement, read as complete for every kind).
    """

    rules: tuple[RuleCoverage, ...]
    declared: bool

    @property
    def not_judged(self) -> int:
        return sum(r.not_judged for r in self.rules)

    def for_organisation(self, iri: str) -> list[tuple[RuleCoverage, OrganisationCoverage]]:
        """Each rule's coverage of the organisation ``iri`` (rules that do not target it are left out)."""
        return [(rule, org) for rule in self.rules for org in rule.organisations if org.organisation == iri]


# --------------------------------------------------------------------------------------------------- scope

@dataclass(frozen=True)
class _Statement:
    kind: Node
    organisation: Node | None
    span: Span
    sources: tuple[str, ...]


class Scope:
    """Which organisation-days each legal rule may judge in ``data``, and the findings and counts that follow.

    Args:
        data: the data validated (with any ``ccgkg:CoverageStatement``).
        shapes: the shapes graph (``ccgkg:readsEvidence``, ``ccgkg:checksEachRecord``, ``sh:targetClass``).
        rules: the legal rules judged.
        as_of: the one day judged, if any.
    """

    def __init__(self, data: Graph, shapes: Graph, rules: Sequence[ShapeRule], as_of: dt.date | None) -> None:
        self.data = data
        self.shapes = shapes
        self.rules = {str(r.node): r for r in rules}
        self.as_of = as_of
        self.ontology = store.ontology_graph()
        self.statements: dict[Node, list[_Statement]] = defaultdict(list)
        for node in data.subjects(RDF.type, CCGKG.CoverageStatement):
            self._read_statement(node)
        self.gaps: dict[tuple[Node, Node], list[Span]] = defaultdict(list)  # (kind, organisation) -> days not held
        for node in data.subjects(RDF.type, CCGKG.CoverageGap):
            start = _date(data.value(node, CCGKG.coverageFrom)) or dt.date.min
            end = _date(data.value(node, CCGKG.coverageUntil)) or dt.date.max
            for kind in data.objects(node, CCGKG.evidenceKind):
                for org in data.objects(node, CCGKG.coversOrganisation):
                    self.gaps[(kind, org)].append((start, end))
        self.undated: dict[tuple[Node, Node], list[str]] = defaultdict(list)  # (kind, organisation) -> dates
        for node in data.subjects(RDF.type, CCGKG.UndatedRecord):
            stated = str(data.value(node, CCGKG.dateAsStated) or "")
            for kind in data.objects(node, CCGKG.recordKind):
                for org in data.objects(node, CCGKG.recordAbout):
                    self.undated[(kind, org)].append(stated)
        self.declared = bool(self.statements) or bool(self.undated)
        self._unstated: dict[tuple[str, str], list[Span]] = defaultdict(list)  # (shape, org) -> breaches not judged
        self._unstated_days: dict[tuple[str, str], tuple[list[Span], str | None]] = {}
        self._every_rule: list[ShapeRule] | None = None
        self._judged: dict[tuple[str, str], tuple[list[Span], tuple[str, ...]]] = {}
        self._lifetimes: dict[Node, Span] = {}
        last = max([temporal.CCG_LAST_DAY + dt.timedelta(days=1),
                    *(d for p in (CCGKG.startDate, CCGKG.endDate) for v in data.objects(None, p)
                      if (d := temporal.to_date(v)) is not None and d < dt.date.max)])
        self.horizon = last

    def _read_statement(self, node: Node) -> None:
        kinds = list(self.data.objects(node, CCGKG.evidenceKind))
        orgs: list[Node | None] = list(self.data.objects(node, CCGKG.coversOrganisation)) or [None]
        start = _date(self.data.value(node, CCGKG.startDate)) or dt.date.min
        end = _date(self.data.value(node, CCGKG.endDate)) or dt.date.max
        sources = tuple(sorted({str(s) for p in (DCTERMS.source, PROV.wasDerivedFrom)
                                for s in self.data.objects(node, p)}))
        for kind in kinds:
            self.statements[kind].extend(_Statement(kind, org, (start, end), sources) for org in orgs)

    # ---- the window of a rule

    def window(self, rule: ShapeRule) -> list[Span]:
        """The days ``rule`` is applied: its provisions in force within 2013-04-01 to 2022-06-30 (provisions that
        come into force after 2022-06-30, and rules judging after repeal, from then to the last day the data names),
        or the ``as_of`` day."""
        from ccgkg.validation import _in_force

        ranges = [_in_force(iri) for iri in rule.provisions]
        if rule.after_repeal:
            ends = [u for _f, u in ranges if u is not None]
            span = [(max(ends) + dt.timedelta(days=1), self.horizon)] if len(ends) == len(ranges) else []
        else:  # as validation.judging_days: a rule whose law starts after the CCG era (the abolition) runs on
            start = max([temporal.CCG_FIRST_DAY, *(f for f, _u in ranges if f is not None)])
            last = self.horizon if start > temporal.CCG_LAST_DAY else temporal.CCG_LAST_DAY
            end = min([last, *(u for _f, u in ranges if u is not None)])
            span = [(start, end)] if start <= end else []
        if self.as_of is not None:
            span = intersect(span, [(self.as_of, self.as_of)])
        return merge(span)

    def lifetime(self, org: Node) -> Span:
        """The days ``org`` exists: its latest start date to its earliest end date (open where none)."""
        if org not in self._lifetimes:
            starts = [d for v in self.data.objects(org, CCGKG.startDate) if (d := _date(v)) is not None]
            ends = [d for v in self.data.objects(org, CCGKG.endDate) if (d := _date(v)) is not None]
            self._lifetimes[org] = (max(starts) if starts else dt.date.min, min(ends) if ends else dt.date.max)
        return self._lifetimes[org]

    def kinds(self, shape: str) -> list[Node]:
        return sorted(self.shapes.objects(URIRef(shape), CCGKG.readsEvidence), key=str)

    def label(self, kind: Node) -> str:
        return str(self.ontology.value(kind, RDFS.label) or kind)

    def covered(self, kind: Node, org: Node) -> tuple[list[Span], tuple[str, ...]]:
        """The days the data holds every record of ``kind`` for ``org``, and the sources that say so."""
        if not self.declared or (kind, RDF.type, CCGKG.ShippedEvidenceKind) in self.ontology:
            return [EVER], ()
        found = [s for s in self.statements.get(kind, ()) if s.organisation is None or s.organisation == org]
        spans = subtract(merge(s.span for s in found), merge(self.gaps.get((kind, org), ())))
        return spans, tuple(sorted({src for s in found for src in s.sources}))

    def judged(self, shape: str, org: Node) -> tuple[list[Span], tuple[str, ...]]:
        """The days ``shape`` judges ``org`` (life ∩ window ∩ coverage of each kind read), and why others are not."""
        key = (shape, str(org))
        if key in self._judged:
            return self._judged[key]
        rule = self.rules.get(shape)
        window = self.window(rule) if rule is not None else [EVER]
        life = intersect(window, [self.lifetime(org)])
        reasons: list[str] = []
        grouping = self.data.value(org, CCGKG.nationalGrouping)
        if grouping is not None and str(grouping).startswith(OUTSIDE_ENGLAND[0]):
            spans: list[Span] = []
            reasons.append(OUTSIDE_ENGLAND[1].format(grouping=grouping))
        else:
            spans = life
            gp_from = _date(self.data.value(org, CCGKG.gpSettingFrom))
            if gp_from is not None and intersect(spans, [(dt.date.min, _prev(gp_from))]):
                spans = intersect(spans, [(gp_from, dt.date.max)])
                reasons.append(f"not a GP practice in ODS before {gp_from.isoformat()} (an earlier ODS file gives "
                               "another prescribing setting)")
            for kind in self.kinds(shape):
                covered, _sources = self.covered(kind, org)
                if subtract(spans, covered):
                    reasons.append(self._undated_reason(kind, org) or (
                        f"no {self.label(kind)} in this data" if not self.statements.get(kind)
                        else f"{self.label(kind)} not held for these days"))
                spans = intersect(spans, covered)
        self._judged[key] = (spans, tuple(reasons))
        return self._judged[key]

    def _undated_reason(self, kind: Node, org: Node) -> str | None:
        """Why ``org`` is not judged on ``kind`` when the data has records of it without a day (None: it has none)."""
        stated = self.undated.get((kind, org))
        if not stated:
            return None
        code = _text(self.data.value(org, CCGKG.code)) or str(org).rsplit("/", 1)[-1]
        dates = ", ".join(f"'{d}'" if d else "none" for d in sorted(set(stated)))
        return UNDATED.format(kind=self.label(kind), what=f"{code}: {len(stated)} row(s), date as stated: {dates}")

    # ---- details a record leaves unstated

    def qualified_roles(self, shape: str) -> list[Node]:
        """The roles whose qualifications ``shape`` reads (``ccgkg:needsStatedQualification``)."""
        return sorted(self.shapes.objects(URIRef(shape), CCGKG.needsStatedQualification), key=str)

    def unstated(self, shape: str, org: Node) -> tuple[list[Span], str | None]:
        """The days a breach of ``shape`` by ``org`` is not judged because a member's qualification is not recorded,
        and the reason to give for them (None: ``shape`` reads no qualification).

        Those are the days ``org``'s body (the body of the posts ``shape`` reads) has a member recorded only as a
        role whose qualifications ``shape`` reads, and at least as many members in that role (stated or not) as
        the rules reading its qualifications in force that day have seats (SI 2012/1631 as made: two lay members,
        one per qualification; as amended in 2022: one). With fewer, the record itself shows a seat empty: the
        count is judged and the breach stands.
        """
        key = (shape, str(org))
        if key not in self._unstated_days:
            self._unstated_days[key] = self._find_unstated(shape, org)
        return self._unstated_days[key]

    def _find_unstated(self, shape: str, org: Node) -> tuple[list[Span], str | None]:
        roles = self.qualified_roles(shape)
        if not roles:
            return [], None
        bodies = {POST_BODIES[k] for k in self.kinds(shape) if k in POST_BODIES}
        rules = [r for r in self._all_rules() if set(self.qualified_roles(str(r.node))) & set(roles)]
        posts: list[tuple[Span, Node, bool]] = []  # (days held, holder, qualification not stated)
        for role in roles:
            narrower = self._narrower(role)
            for post in set(self.data.subjects(CCGKG.postIn, org)):
                held = set(self.data.objects(post, CCGKG.role))
                if not held & (narrower | {role}) or (bodies and self.data.value(post, CCGKG.onBody) not in bodies):
                    continue
                span = (_date(self.data.value(post, CCGKG.startDate)) or dt.date.min,
                        _date(self.data.value(post, CCGKG.endDate)) or dt.date.max)
                posts.append((span, self.data.value(post, CCGKG.holder) or post, not held & narrower))
        if not any(unstated for _s, _h, unstated in posts):
            return [], UNSTATED.format(role="; ".join(self.label(r) for r in roles))
        from ccgkg.validation import _in_force

        cuts = {d for (a, b), _h, _u in posts for d in (a, _next(b))}
        cuts |= {d for r in rules for iri in r.provisions for a, b in [_in_force(iri)]
                 for d in (a, _next(b) if b else None) if d is not None}
        bounds = sorted(cuts | {dt.date.min})
        spans: list[Span] = []
        for i, first in enumerate(bounds):
            last = _prev(bounds[i + 1]) if i + 1 < len(bounds) else dt.date.max
            on = [(h, u) for (a, b), h, u in posts if a <= first and last <= b]
            seats = sum(1 for r in rules if r.applies_on(first))
            if any(u for _h, u in on) and len({h for h, _u in on}) >= seats:
                spans.append((first, last))
        return merge(spans), UNSTATED.format(role="; ".join(self.label(r) for r in roles))

    def _all_rules(self) -> list[ShapeRule]:
        """Every rule of the shapes graph (to count the seats of the rules in force on a day, judged or not)."""
        if self._every_rule is None:
            from ccgkg.validation import shape_rules

            self._every_rule = [r for r in shape_rules(self.shapes) if r.provisions]
        return self._every_rule

    def _narrower(self, role: Node) -> set[Node]:
        return self._below(role, CCGKG.broaderRole) - {role}

    # ---- findings

    def clip(self, finding: Finding) -> list[Finding]:
        """``finding`` cut to the days its rule judges its organisation (none: dropped), each piece with the
        sources of the coverage and of the records it rests on."""
        if finding.date is None or finding.organisation is None or finding.shape not in self.rules:
            return [finding]
        org = URIRef(finding.organisation)
        spans, _reasons = self.judged(finding.shape, org)
        rule = self.rules[finding.shape]
        window_end = max((e for _s, e in self.window(rule)), default=finding.date)
        end = finding.until or window_end
        unstated, _reason = self.unstated(finding.shape, org)
        if unstated:  # a breach that the unstated qualification of a member may explain: not judged
            cut = intersect(intersect([(finding.date, end)], spans), unstated)
            self._unstated[(finding.shape, str(org))].extend(cut)
            spans = subtract(spans, cut)
        out = []
        for start, stop in intersect([(finding.date, end)], spans):
            until = stop if (stop < end or finding.until is not None) else None
            out.append(dataclasses.replace(finding, date=start, until=until,
                                           sources=self.sources(finding, org, (start, stop))))
        return out

    def sources(self, finding: Finding, org: Node, span: Span) -> tuple[str, ...]:
        """Where the facts of ``finding`` come from: the coverage statements that put it in scope on ``span`` and
        the ``dcterms:source`` / ``prov:wasDerivedFrom`` of its focus and value."""
        found: set[str] = set()
        if self.declared:
            kinds = self.kinds(finding.shape)
            if len(kinds) > 1:  # the register of organisations is behind every rule: name it only when alone
                kinds = [k for k in kinds if k != CCGKG.OrganisationRecords]
            for kind in kinds:
                for s in self.statements.get(kind, ()):
                    if (s.organisation is None or s.organisation == org) and intersect([s.span], [span]):
                        found.update(s.sources)
        for node in (finding.focus, finding.value):
            if node and node.startswith("http"):
                found.update(str(s) for p in (DCTERMS.source, PROV.wasDerivedFrom)
                             for s in self.data.objects(URIRef(node), p))
        return tuple(sorted(found))

    # ---- the table

    def targets(self, shape: str) -> list[Node]:
        """The organisations ``shape`` judges: instances of its target classes (and their subclasses) when those
        are organisations, else the clinical commissioning groups (whose returns and contracts it checks)."""
        from rdflib.namespace import SH

        classes = set(self.shapes.objects(URIRef(shape), SH.targetClass))
        if not classes or not all(self._is_organisation_class(c) for c in classes):
            classes = {CCGKG.ClinicalCommissioningGroup}
        found: set[Node] = set()
        for cls in classes:
            for sub in self._subclasses(cls):
                found.update(self.data.subjects(RDF.type, sub))
        return sorted(found, key=str)

    def _subclasses(self, cls: Node) -> set[Node]:
        return self._below(cls, RDFS.subClassOf)

    def _below(self, node: Node, prop: Node) -> set[Node]:
        """``node`` and every term that reaches it by ``prop`` in the ontology (its subclasses, narrower roles)."""
        out, todo = {node}, [node]
        while todo:
            for sub in self.ontology.subjects(prop, todo.pop()):
                if sub not in out:
                    out.add(sub)
                    todo.append(sub)
        return out

    def _is_organisation_class(self, cls: Node) -> bool:
        seen, todo = {cls}, [cls]
        while todo:
            node = todo.pop()
            if node == CCGKG.Organisation:
                return True
            for sup in self.ontology.objects(node, RDFS.subClassOf):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        return False

    def has_records(self, shape: str, org: Node) -> bool:
        """Whether ``org`` has any record of the kinds ``shape`` checks one by one (True when it names none)."""
        kinds = list(self.shapes.objects(URIRef(shape), CCGKG.checksEachRecord))
        for kind in kinds:
            cls, link = self.ontology.value(kind, CCGKG.recordClass), self.ontology.value(kind, CCGKG.recordLink)
            if cls is not None and link is not None and \
                    any((record, RDF.type, cls) in self.data for record in self.data.subjects(link, org)):
                return True
        return not kinds

    def table(self, findings: Sequence[Finding], orgs: set[Node], refs: dict[str, tuple[ProvisionRef, ...]]) \
            -> Coverage:
        """Per rule, the organisation-days judged, passed, breached and not judged (only ``orgs`` when given)."""
        breached: dict[tuple[str, str], list[Span]] = defaultdict(list)
        for f in findings:
            if f.date is not None and f.organisation is not None and f.shape in self.rules:
                end = f.until or max((e for _s, e in self.window(self.rules[f.shape])), default=f.date)
                breached[(f.shape, f.organisation)].append((f.date, end))
        out = []
        for shape in self.rules:
            entries = []
            for org in self.targets(shape):
                if orgs and org not in orgs:
                    continue
                life = intersect(self.window(self.rules[shape]), [self.lifetime(org)])
                if not life:
                    continue
                spans, reasons = self.judged(shape, org)
                reason_days: tuple[int, ...] = ()
                cut = merge(self._unstated.get((shape, str(org)), ()))
                if cut:  # breaches not judged because a member's qualification is not recorded (see clip)
                    others = days(subtract(life, spans))
                    spans = subtract(spans, cut)
                    reasons = (*(reasons if others else ()), self.unstated(shape, org)[1] or "")
                    reason_days = (*((others,) * len(reasons[:-1])), days(cut))
                entries.append(OrganisationCoverage(
                    organisation=str(org), code=_text(self.data.value(org, CCGKG.code)), judged=tuple(spans),
                    breached=tuple(intersect(merge(breached.get((shape, str(org)), ())), spans)),
                    not_judged=tuple(subtract(life, spans)), reasons=reasons if subtract(life, spans) else (),
                    nothing_to_check=not self.has_records(shape, org), reason_days=reason_days))
            if entries:
                out.append(RuleCoverage(shape=shape, label=str(self.shapes.value(URIRef(shape), RDFS.label) or ""),
                                        provisions=refs.get(shape, ()),
                                        evidence=tuple(self.label(k) for k in self.kinds(shape)),
                                        organisations=tuple(entries)))
        out.sort(key=lambda r: (tuple(p.citation for p in r.provisions), r.shape))
        return Coverage(rules=tuple(out), declared=self.declared)


def add_to_report(report: Graph, root: Node, coverage: Coverage) -> None:
    """Add the coverage section to a ``sh:ValidationReport`` graph (docs/validate.md, "Report graph")."""
    triples: list[tuple[Node, Node, Node]] = []
    for rule in coverage.rules:
        node = BNode()
        triples += [(root, CCGKG.coverage, node), (node, RDF.type, CCGKG.RuleCoverage),
                    (node, CCGKG.rule, URIRef(rule.shape))]
        triples += [(node, CCGKG.provision, URIRef(p.iri)) for p in rule.provisions]
        for prop, value in ((CCGKG.daysJudged, rule.judged), (CCGKG.daysPassed, rule.passed),
                            (CCGKG.daysBreached, rule.breached), (CCGKG.daysNotJudged, rule.not_judged)):
            triples.append((node, prop, Literal(value, datatype=XSD.integer)))
        triples += [(node, CCGKG.notJudgedBecause, Literal(reason)) for reason in rule.reasons]
    report.addN((s, p, o, report) for s, p, o in triples)


def _date(node: Node | None) -> dt.date | None:
    return None if node is None else temporal.to_date(node)


def _text(node: Node | None) -> str | None:
    return None if node is None else str(node)


__all__ = [
    "Coverage",
    "OrganisationCoverage",
    "RuleCoverage",
    "Scope",
    "add_to_report",
    "days",
    "intersect",
    "merge",
    "subtract",
]
