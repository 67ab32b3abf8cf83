"""Governing-body and board members named at dated meetings (``governance/*.csv``), each post with its source.

The file (columns ``body_type, ods_or_la_code, body_name, date, person, role_as_stated, status, source_url, note``)
lists people named in minutes, agendas and articles. A meeting record is evidence of who sat on that body on that
day, not of a term of office, so each post holds from that day to that day. A meeting whose every row is an
attendance entry (present, apologies, listed, in attendance) is a complete record of the body's members on that day:
it covers the posts of that body on that day (:mod:`ccgkg.importers.evidence`). An agenda or an article names some
people only and covers nothing.

``role_as_stated`` is mapped to the ontology's roles by :data:`ROLE_TABLE` (reviewed; docs/validate.md, "Roles as
stated"): the first pattern that matches gives the roles; what matches none is kept as ``ccgkg:OtherMember`` and
listed by :func:`unmapped_roles`. People "in attendance" are not members; shadow boards before 1 April 2013 and
rows naming a person only as a report's author or presenter are skipped, each with its reason. A member's row whose
meeting has no known day ("2016/17 municipal year", blank) is kept as a ``ccgkg:UndatedRecord`` with its source: it
is no post and covers no day, and the coverage section names it as the reason its body was not judged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ccgkg.errors import DateError, RowProblem
from ccgkg.importers.evidence import KINDS, statement
from ccgkg.importers.result import ImportResult, finish
from ccgkg.importers.tables import FileTally, Table, extract_rows, read_table
from ccgkg.namespaces import CCGKG, bind_prefixes, fact_iri, org_iri
from ccgkg.temporal import CCG_FIRST_DAY, real_date

COLUMNS = ("body_type", "ods_or_la_code", "body_name", "date", "person", "role_as_stated", "status", "source_url",
           "note")
ENCODINGS = ("utf-8-sig", "cp1252")
C = CCGKG
#: role as stated (lower case, a regular expression searched in it) -> the ontology roles it gives; first match wins.
ROLE_TABLE: tuple[tuple[str, tuple[URIRef, ...]], ...] = (
    (r"^presents |report author|note taker|\(report\)$", ()),  # named for a paper, not as a member
    (r"healthwatch", (C.HealthwatchRepresentative,)),
    (r"federation representative|practice manager|lmc secretary", (C.OtherMember,)),
    (r"lay member.*(governance|audit|finance)", (C.LayMemberGovernance,)),
    (r"lay member.*(patient|public|engagement)", (C.LayMemberPPI,)),
    (r"(deputy|vice)[ -]chair", (C.DeputyChair,)),
    (r"lay member", (C.LayMember,)),
    (r"^(interim |clinical |gp )?chair(man)?\b|^chair of nhs|^chair/gp", (C.Chair,)),
    (r"chief finance officer|director of finance", (C.ChiefFinanceOfficer,)),
    (r"^(chief officer|chief executive officer|chief clinical officer|clinical chief officer|accountable officer)",
     (C.AccountableOfficer,)),
    (r"registered nurse|chief nurse|chief nursing officer|practice nurse", (C.RegisteredNurse,)),
    (r"secondary care (doctor|consultant|specialist)", (C.SecondaryCareSpecialist,)),
    (r"director of public health", (C.DirectorOfPublicHealth,)),
    (r"director (of )?adult social services", (C.DirectorOfAdultSocialServices,)),
    (r"councillor|^cllr", (C.Councillor,)),
    (r"\bgp\b|clinical lead", (C.GPMember,)),
)
#: extra roles a stated role gives beside its first match (a chair who is also a GP, a vice chair who is a lay member).
ALSO: tuple[tuple[str, URIRef], ...] = (
    (r"\bgp\b", C.GPMember), (r"lay member", C.LayMember), (r"(deputy|vice)[ -]chair", C.DeputyChair), (r"^(gp/)?clinical vice chair|^chair/gp", C.GPMember),
)
#: status as stated -> is the person a member of the body that day; is the row an attendance entry.
MEMBER_STATUSES = ("present", "apologies", "listed", "member")  # or exactly "named" (a signed report)
ATTENDANCE_STATUSES = ("present", "apologies", "listed", "in attendance")
#: the summary note of a member's row whose meeting has no known day (imported as a ccgkg:UndatedRecord).
UNDATED = "no day given (kept as an undated record with its source: no day is judged from it)"
BODIES = {"ccg governing body": (C.GoverningBody, "governing-body-posts"), "hwb": (C.BoardOfHwb, "board-posts")}


def is_governance_file(table: Table) -> bool:
    """Whether ``table`` has the header of the governance extract."""
    return bool(table.rows) and tuple(v.strip() for v in table.rows[0].values) == COLUMNS


def map_role(stated: str) -> tuple[URIRef, ...] | None:
    """The ontology roles of a role as stated (empty: not a member's role; None: no pattern matches)."""
    text = stated.strip().lower()
    for pattern, roles in ROLE_TABLE:
        if re.search(pattern, text):
            extra = tuple(dict.fromkeys(r for p, r in ALSO if re.search(p, text) and r not in roles)) \
                if roles != (C.OtherMember,) else ()
            return roles + extra if roles else ()
    return None


def unmapped_roles(paths: Sequence[Path]) -> list[str]:
    """Every role as stated in ``paths`` that no pattern of :data:`ROLE_TABLE` matches (kept as other members)."""
    out: set[str] = set()
    for path in paths:
        for row in read_table(path, encodings=ENCODINGS).rows[1:]:
            v = dict(zip(COLUMNS, row.values))
            if v.get("role_as_stated") and map_role(v["role_as_stated"]) is None:
                out.add(v["role_as_stated"])
    return sorted(out)


def _body(body_type: str) -> tuple[URIRef, str] | None:
    text = body_type.lower()
    for prefix, body in BODIES.items():
        if text.startswith(prefix):
            return body
    return None


def import_governance(paths: Sequence[Path | str], *, lenient: bool = False) -> ImportResult:
    """Import governance extracts: one ``ccgkg:Post`` per member named at a dated meeting, with its source, and a
    coverage statement for each meeting recorded in full.

    Raises:
        TableError: strict mode, a row is malformed (wrong column count, a date that is not YYYY-MM-DD).
    """
    graph = bind_prefixes(Graph())
    problems: list[RowProblem] = []
    tallies: list[FileTally] = []
    meetings: dict[tuple[str, str, dt.date], list[tuple[bool, str, str]]] = defaultdict(list)
    for path, tally, row, v in extract_rows(paths, "governance-members", COLUMNS, ENCODINGS, problems, tallies):
        _row(graph, tally, v, meetings, problems, path, row.number)
    for (kind, code, day), rows in sorted(meetings.items()):
        if all(attendance for attendance, _url, _note in rows):  # an attendance list: who sat on the body that day
            triples = statement(kind, code, day, day, {u for _a, u, _n in rows})
            # the extract's own notes on how the list was read (e.g. "excerpt is partial") stay with the statement
            triples += [(triples[0][0], RDFS.comment, Literal(n)) for n in sorted({n for _a, _u, n in rows if n})]
            graph.addN((s, p, o, graph) for s, p, o in triples)
    return finish(graph, tallies, problems, lenient=lenient)


def _row(graph: Graph, tally: FileTally, v: dict[str, str], meetings: dict[Any, list[tuple[bool, str, str]]],
         problems: list[RowProblem], path: str, number: int) -> None:
    body = _body(v["body_type"])
    status = v["status"].lower()
    if body is None:
        what = "shadow board before the group was established" if "shadow" in v["body_type"].lower() \
            else f"not a governing body or board meeting ({v['body_type']})"
        if "accountable officer" in v["body_type"].lower():
            body = (C.GoverningBody, "governing-body-posts")
        else:
            tally.skip(what)
            return
    try:
        day: dt.date | None = real_date(v["date"])
    except DateError as exc:
        if exc.hint is None:  # of the form YYYY-MM-DD, but no such day: a typing error to mend, not an undated row
            problems.append(RowProblem(path, number, "date", v["date"], "not a real date: "
                                       + exc.message.split(": ", 1)[1] + "; write the meeting's day as YYYY-MM-DD"))
            tally.rejected += 1
            return
        day = None  # "2016/17 municipal year", "2017 (meeting approving ...)", blank: no day is known
    if day is not None and day < CCG_FIRST_DAY:
        tally.skip("before groups were established on 2013-04-01")
        return
    codes = [c.strip() for c in v["ods_or_la_code"].split(";") if c.strip()]
    on_body, kind = body
    attendance = status.startswith(ATTENDANCE_STATUSES)
    for code in codes:
        owner = f"{code}-HWB" if on_body == C.BoardOfHwb else code
        if day is not None and "accountable officer" not in v["body_type"].lower():
            meetings[(kind, owner, day)].append((attendance, v["source_url"], v["note"]))
    if status.startswith("in attendance"):
        tally.skip("in attendance, not a member")
        return
    if not (status.startswith(MEMBER_STATUSES) or status == "named"):
        tally.skip(f"status {v['status']!r} does not say the person is a member")
        return
    roles = map_role(v["role_as_stated"])
    if roles == ():
        tally.skip("named for a paper or report, not as a member")
        return
    if day is None:
        _undated(graph, v, codes, on_body, kind)
        tally.note(UNDATED)
        tally.imported += 1
        return
    if roles is None:
        tally.note(f"role not mapped, kept as other member: {v['role_as_stated'] or '(none given)'}")
        roles = (C.OtherMember,)
    person = fact_iri("person", v["person"])
    for code in codes:
        owner = f"{code}-HWB" if on_body == C.BoardOfHwb else code
        node = fact_iri("post", owner, v["person"], day.isoformat())
        date = Literal(day, datatype=XSD.date)
        triples = [(node, RDF.type, C.Post), (node, C.postIn, org_iri(owner)), (node, C.onBody, on_body),
                   (node, C.holder, person), (node, C.startDate, date), (node, C.endDate, date),
                   (node, C.roleAsStated, Literal(v["role_as_stated"])), (node, C.attendanceAsStated,
                                                                         Literal(v["status"])),
                   (person, RDF.type, C.Person), (person, RDFS.label, Literal(v["person"]))]
        triples += [(node, C.role, role) for role in roles]
        if v["source_url"]:
            triples.append((node, DCTERMS.source, Literal(v["source_url"])))
        graph.addN((s, p, o, graph) for s, p, o in triples)
    tally.imported += 1


def _undated(graph: Graph, v: dict[str, str], codes: Sequence[str], on_body: URIRef, kind: str) -> None:
    """One ``ccgkg:UndatedRecord`` per body the row names: who the record says sat on it, with its source and the
    date as the record states it, and no day (no post, no coverage: docs/import.md, "Records without a day")."""
    what = f"{v['person']}: {v['role_as_stated'] or '(role not given)'} ({v['status']})"
    if v["note"]:
        what += f"; note: {v['note']}"
    for code in codes:
        owner = f"{code}-HWB" if on_body == C.BoardOfHwb else code
        node = fact_iri("undated", owner, v["person"], v["date"] or "no-date")
        triples = [(node, RDF.type, C.UndatedRecord), (node, C.recordKind, KINDS[kind]),
                   (node, C.recordAbout, org_iri(owner)), (node, C.dateAsStated, Literal(v["date"])),
                   (node, DCTERMS.description, Literal(what))]
        if v["source_url"]:
            triples.append((node, DCTERMS.source, Literal(v["source_url"])))
        graph.addN((s, p, o, graph) for s, p, o in triples)


__all__ = ["COLUMNS", "ROLE_TABLE", "UNDATED", "import_governance", "is_governance_file", "map_role", "unmapped_roles"]
