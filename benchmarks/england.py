"""A synthetic England of ccgkg data, deterministic for a seed, for benchmarks and for the engine tests.

Same size and shape as the real thing (see docs/design.md for the RDF of each entity): CCGs with governing-body
posts and financial returns, GP practices with memberships (some move group mid-way), local authorities with a
Health and Wellbeing Board (board posts, CCG representatives) and a Local Healthwatch, and area overlaps for each
of nine financial years, plus a small set of norms (``ccgkg:dutyHolder``) so that ``ccgkg:boundBy`` has work.
It is used until the importer's real England (``ccgkg.importers``) is merged.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ccgkg.namespaces import CCGKG, bind_prefixes, fact_iri, org_iri

#: norms of a synthetic Act, so boundBy has something to derive before the law modules land.
SYN = Namespace("https://w3id.org/ccgkg/ont/acts/synthetic/")

YEARS = [f"{y}-{str(y + 1)[2:]}" for y in range(2013, 2022)]  # nine financial years, 2013-14 .. 2021-22
CCG_ROLES = ["Chair", "AccountableOfficer", "ChiefFinanceOfficer", "RegisteredNurse", "SecondaryCareSpecialist",
             "LayMemberGovernance", "LayMemberPPI", "GPMember", "GPMember"]
HWB_ROLES = ["Councillor", "DirectorOfAdultSocialServices", "DirectorOfChildrensServices",
             "DirectorOfPublicHealth", "HealthwatchRepresentative", "CCGRepresentative"]


@dataclass(frozen=True)
class Size:
    """How many of each thing to make."""

    ccgs: int = 250
    practices: int = 8000
    authorities: int = 152

    @classmethod
    def england(cls) -> Size:
        return cls()

    def scaled(self, fraction: float) -> Size:
        """A fraction of England (at least 2 CCGs, 4 practices, 2 authorities)."""
        return Size(max(2, round(self.ccgs * fraction)), max(4, round(self.practices * fraction)),
                    max(2, round(self.authorities * fraction)))


def _d(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


def _fy_start(label: str) -> dt.date:
    return dt.date(int(label[:4]), 4, 1)


def _fy_end(label: str) -> dt.date:
    return dt.date(int(label[:4]) + 1, 3, 31)


def _post(g: Graph, org_code: str, body: URIRef, role: str, person: int, start: dt.date) -> URIRef:
    """Add a post held by person ``p<person>`` in ``role`` on ``body`` of organisation ``org_code``."""
    post = fact_iri("post", org_code, role, f"p{person}", start.isoformat())
    holder = fact_iri("person", f"p{person}")
    for triple in ((post, RDF.type, CCGKG.Post), (post, CCGKG.postIn, org_iri(org_code)), (post, CCGKG.onBody, body),
                   (post, CCGKG.role, CCGKG[role]), (post, CCGKG.holder, holder), (post, CCGKG.startDate, _d(start)),
                   (holder, RDF.type, CCGKG.Person), (holder, RDFS.label, Literal(f"p{person}"))):
        g.add(triple)
    return post


def norms() -> Graph:
    """A few norms with duty holders (the chain rdf:type o ccgkg:holdsNorm gives ccgkg:boundBy)."""
    g = bind_prefixes(Graph())
    g.bind("syn", SYN)
    holders = [CCGKG.ClinicalCommissioningGroup, CCGKG.HealthAndWellbeingBoard, CCGKG.Commissioner,
               CCGKG.LocalAuthority]
    for i in range(12):
        norm = SYN[f"s{i + 1}"]
        g.add((norm, RDF.type, CCGKG.Obligation if i % 3 else CCGKG.Power))
        g.add((norm, CCGKG.dutyHolder, holders[i % len(holders)]))
        g.add((norm, CCGKG.inForceFrom, _d(dt.date(2013, 4, 1))))
        g.add((norm, CCGKG.partOf, SYN[f"part{i % 3}"]))
        g.add((SYN[f"part{i % 3}"], CCGKG.partOf, SYN.act))
    return g


def england(size: Size | None = None, seed: int = 2013) -> Graph:
    """A synthetic England of ``size`` (default: the real size) as one graph, without the ontology."""
    size = size or Size.england()
    rnd = random.Random(seed)
    g = bind_prefixes(Graph())
    add = g.add
    start, end = dt.date(2013, 4, 1), dt.date(2022, 6, 30)
    for fy in YEARS:
        year = fact_iri("fy", fy)
        add((year, RDF.type, CCGKG.FinancialYear))
        add((year, RDFS.label, Literal(fy)))
        add((year, CCGKG.startDate, _d(_fy_start(fy))))
        add((year, CCGKG.endDate, _d(_fy_end(fy))))
    ccgs = [f"{i:02d}X"[:2] + chr(65 + i % 26) + str(i) for i in range(size.ccgs)]
    las = [f"E{6000000 + i:08d}" for i in range(size.authorities)]
    person = 0
    for n, code in enumerate(ccgs):
        ccg = org_iri(code)
        add((ccg, RDF.type, CCGKG.ClinicalCommissioningGroup))
        add((ccg, RDFS.label, Literal(f"NHS Synthetic {n} CCG")))
        add((ccg, CCGKG.code, Literal(code)))
        add((ccg, CCGKG.onsCode, Literal(f"E38{n:06d}")))
        add((ccg, CCGKG.startDate, _d(start)))
        add((ccg, CCGKG.endDate, _d(end)))
        for role in CCG_ROLES:
            if rnd.random() < 0.03:
                continue  # a vacancy, so that the shapes have something to find
            person += 1
            _post(g, code, CCGKG.GoverningBody, role, person, start)
        for k, service in enumerate(("AcuteServices", "CommunityServices")):
            provider = org_iri(f"R{n % 40:02d}{k}")
            contract = fact_iri("contract", code, str(provider).rsplit("/", 1)[1], service, "2016-04-01")
            add((provider, RDF.type, CCGKG.NHSTrust))
            add((provider, RDFS.label, Literal(f"Synthetic trust {n % 40}/{k}")))
            add((contract, RDF.type, CCGKG.CommissioningContract))
            add((contract, CCGKG.commissioner, ccg))
            add((contract, CCGKG.provider, provider))
            add((contract, CCGKG.service, CCGKG[service]))
            add((contract, CCGKG.contractForm, CCGKG.NHSStandardContractForm))
            add((contract, CCGKG.delegated, Literal(False)))
            add((contract, CCGKG.startDate, _d(dt.date(2016, 4, 1))))
        for fy in YEARS:
            ret = fact_iri("finance", code, fy)
            allot = rnd.randint(150, 900) * 1_000_000
            add((ret, RDF.type, CCGKG.FinancialReturn))
            add((ret, CCGKG.returnOf, ccg))
            add((ret, CCGKG.financialYear, fact_iri("fy", fy)))
            add((ret, CCGKG.allotment, Literal(f"{allot}.0", datatype=XSD.decimal)))
            add((ret, CCGKG.expenditure, Literal(f"{allot + rnd.randint(-5, 3) * 1_000_000}.0", datatype=XSD.decimal)))
    for i in range(size.practices):
        code = f"P{80000 + i}"
        practice = org_iri(code)
        add((practice, RDF.type, CCGKG.GPPractice))
        add((practice, RDFS.label, Literal(f"Synthetic practice {i}")))
        add((practice, CCGKG.code, Literal(code)))
        add((practice, CCGKG.startDate, _d(dt.date(1990 + i % 30, 1, 1))))
        first = ccgs[i % len(ccgs)]
        moves = rnd.random() < 0.1
        switch = dt.date(2017, 4, 1)
        spans = [(first, start, switch - dt.timedelta(days=1)), (ccgs[(i + 7) % len(ccgs)], switch, end)] \
            if moves else [(first, start, end)]
        for group, since, until in spans:
            m = fact_iri("membership", code, group, since.isoformat())
            add((m, RDF.type, CCGKG.PracticeMembership))
            add((m, CCGKG.practice, practice))
            add((m, CCGKG.group, org_iri(group)))
            add((m, CCGKG.startDate, _d(since)))
            add((m, CCGKG.endDate, _d(until)))
    for n, code in enumerate(las):
        la, hwb, hw = org_iri(code), org_iri(f"{code}-HWB"), org_iri(f"{code}-HW")
        add((la, RDF.type, CCGKG.LocalAuthority))
        add((la, RDFS.label, Literal(f"Synthetic borough {n}")))
        add((la, CCGKG.code, Literal(code)))
        for body, cls, label in ((hwb, CCGKG.HealthAndWellbeingBoard, "Health and Wellbeing Board"),
                                 (hw, CCGKG.LocalHealthwatch, "Healthwatch")):
            add((body, RDF.type, cls))
            add((body, RDFS.label, Literal(f"Synthetic borough {n} {label}")))
            add((body, CCGKG.code, Literal(str(body).rsplit("/", 1)[1])))
            add((body, CCGKG.parentAuthority, la))
            add((body, CCGKG.startDate, _d(start)))
        groups = sorted({ccgs[(n * 5 + k) % len(ccgs)] for k in range(1 + n % 3)})
        for fy in YEARS:
            for group in groups:
                area = fact_iri("area", group, code, _fy_start(fy).isoformat())
                add((area, RDF.type, CCGKG.AreaOverlap))
                add((area, CCGKG.areaOf, org_iri(group)))
                add((area, CCGKG.localAuthority, la))
                add((area, CCGKG.startDate, _d(_fy_start(fy))))
                add((area, CCGKG.endDate, _d(_fy_end(fy))))
                add((area, CCGKG.shareOfGroupArea, Literal(f"{1 / len(groups):.3f}", datatype=XSD.decimal)))
        for k, role in enumerate(HWB_ROLES + ["CCGRepresentative"] * (len(groups) - 1)):
            if rnd.random() < 0.03:
                continue
            person += 1
            post = _post(g, f"{code}-HWB", CCGKG.BoardOfHwb, role, person, start)
            if role == "CCGRepresentative":
                add((post, CCGKG.represents, org_iri(groups[min(k - len(HWB_ROLES) + 1, len(groups) - 1)])))
    g += norms()
    return g


__all__ = ["Size", "england", "norms", "SYN", "YEARS"]
