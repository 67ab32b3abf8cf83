"""The analyst workbook: a folder of UTF-8 CSV files with one header row, read by a declarative column spec.

``SPECS`` (built from the ontology's keywords by :func:`workbook_specs`) says, for each file, its columns, what each
holds and which are required; one generic loop (:func:`import_workbook`) checks every row against it and then
checks references between rows (a code used but never defined, a body that does not fit the organisation type,
a provision path the ontology does not know). Every problem names the file, row, column and value and says what
was expected. ``write_template`` writes a blank workbook whose example rows import cleanly.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ccgkg.errors import InputError, RowProblem, SourceNotFound, TableError
from ccgkg.fileio import atomic_write
from ccgkg.importers import evidence
from ccgkg.importers.result import ImportResult, finish
from ccgkg.importers.tables import (
    WORKBOOK_ENCODINGS,
    Column,
    FileTally,
    Kind,
    Table,
    check_period,
    check_row,
    count_records,
    read_table,
)
from ccgkg.importers.vocabulary import ORG_TYPES, Vocabulary, load_vocabulary
from ccgkg.namespaces import CCGKG, bind_prefixes, fact_iri, org_iri
from ccgkg.temporal import financial_year_bounds

WORKBOOK_FILES = ("organisations.csv", "areas.csv", "memberships.csv", "posts.csv", "finance.csv", "documents.csv",
                  "contracts.csv")

#: Post body -> the organisation type it belongs to.
BODY_OWNER = {"governing-body": "ccg", "board": "health-and-wellbeing-board", "council": "local-authority"}
#: Organisation types that commission services.
COMMISSIONER_TYPES = ("ccg", "nhs-commissioning-board", "icb", "pct", "local-authority")
FINANCE_AMOUNTS = ("allotment", "expenditure", "revenue_resource_limit", "revenue_resource_use",
                   "capital_resource_limit", "capital_resource_use", "quality_payment")
#: Added after issue 3's list (s.223J(3) administration limits, terms of the validate part).
FINANCE_EXTRA_AMOUNTS = ("administration_cost_limit", "administration_cost_use")
#: The one amount that may be below zero: capital resource use is net of disposals.
SIGNED_AMOUNTS = ("capital_resource_use",)


def _amount_kind(name: str) -> Kind:
    return Kind.DECIMAL if name in SIGNED_AMOUNTS else Kind.AMOUNT


def _c(name: str, kind: Kind = Kind.TEXT, required: bool = False, choices: Sequence[str] = (), doc: str = "") -> Column:
    return Column(name, kind, required, tuple(choices), doc)


def workbook_specs(vocab: Vocabulary) -> dict[str, tuple[Column, ...]]:
    """The columns of every workbook file; the choices of role, body, kind, service and form come from ``vocab``."""
    d, code = Kind.ISO_DATE, Kind.CODE
    return {
        "organisations.csv": (
            _c("code", code, True, doc="ODS or ONS code; HWB <LA>-HWB, Local Healthwatch <LA>-HW"),
            _c("name", doc="the organisation's name"),
            _c("type", Kind.CHOICE, True, tuple(ORG_TYPES), doc="kind of organisation"),
            _c("opened", d, doc="first day open (YYYY-MM-DD)"), _c("closed", d, doc="last day open"),
            _c("parent", code, doc="the local authority of an HWB or of a Local Healthwatch"),
            _c("successor", code, doc="the organisation that took over its functions when it closed")),
        "areas.csv": (
            _c("ccg_code", code, True), _c("local_authority_code", code, True), _c("from", d, True), _c("to", d),
            _c("share_of_ccg_area", Kind.SHARE, doc="optional fraction 0-1 of the CCG's area in the authority")),
        "memberships.csv": (_c("practice_code", code, True), _c("ccg_code", code, True), _c("from", d, True),
                            _c("to", d)),
        "posts.csv": (
            _c("organisation_code", code, True), _c("body", Kind.CHOICE, True, tuple(vocab.bodies)),
            _c("role", Kind.CHOICE, True, tuple(vocab.roles)),
            _c("holder", Kind.TEXT, True, doc="a key for the person; the same key is the same person"),
            _c("from", d), _c("to", d), _c("represents", Kind.LIST, doc="code(s) spoken for, ';'-separated"),
            _c("employer", code)),
        "finance.csv": (
            _c("ccg_code", code, True), _c("financial_year", Kind.FINANCIAL_YEAR, True),
            *(_c(name, _amount_kind(name), doc="pounds") for name in FINANCE_AMOUNTS[:-1]),
            _c("quality_payment", Kind.AMOUNT), _c("quality_payment_explanation", Kind.URL),
            *(_c(name, Kind.AMOUNT, doc="pounds") for name in FINANCE_EXTRA_AMOUNTS)),
        "documents.csv": (
            _c("publisher_code", code, True), _c("kind", Kind.CHOICE, True, tuple(vocab.documents)),
            _c("title"), _c("published", d), _c("financial_year", Kind.FINANCIAL_YEAR), _c("about_code", code),
            _c("under_provision", Kind.LIST, doc="legislation.gov.uk paths, ';'-separated"),
            _c("covers", Kind.LIST, doc="legislation.gov.uk paths, ';'-separated"),
            _c("consulted", Kind.LIST, doc="codes, ';'-separated"), _c("url", Kind.URL)),
        "contracts.csv": (
            _c("commissioner_code", code, True), _c("provider_code", code, True),
            _c("service", Kind.CHOICE, True, tuple(vocab.services)), _c("form", Kind.CHOICE, False, tuple(vocab.forms)),
            _c("from", d), _c("to", d), _c("delegated", Kind.YES_NO)),
    }


def is_workbook(path: Path) -> bool:
    """Whether ``path`` is a workbook folder (holds at least one workbook file) or a single workbook file."""
    if path.is_dir():
        return any((path / name).is_file() for name in WORKBOOK_FILES)
    return path.name in WORKBOOK_FILES


def _lit_date(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


@dataclass
class _Org:
    code: str
    type: str
    row: int


class _Workbook:
    """State of one workbook import: the organisations defined, problems, and the graph being built."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.specs = workbook_specs(vocab)
        self.orgs: dict[str, _Org] = {}
        self.rejected_orgs: dict[str, int] = {}
        self.problems: list[RowProblem] = []
        self.graph = bind_prefixes(Graph())
        self.path = ""
        self.row = 0

    # ---- helpers that add problems for the current row

    def problem(self, column: str | None, value: str | None, text: str) -> None:
        self.problems.append(RowProblem(self.path, self.row, column, value, text))

    def ref(self, code: str | None, column: str, types: Sequence[str] = ()) -> bool:
        """Check that ``code`` is defined in organisations.csv (and of one of ``types``)."""
        if code is None:
            return True
        org = self.orgs.get(code)
        if org is None:
            why = (f" (its row {self.rejected_orgs[code]} there was rejected)" if code in self.rejected_orgs
                   else "")
            self.problem(column, code, f"code {code!r} is used here but never defined in organisations.csv{why}; "
                                       "expected the code of an organisation listed there")
            return False
        if types and org.type not in types:
            self.problem(column, code, f"{code} has type {org.type} (organisations.csv row {org.row}); "
                                       f"expected type {' or '.join(types)}")
            return False
        return True

    def period(self, start: dt.date | None, end: dt.date | None, start_col: str, end_col: str) -> bool:
        return check_period(self.path, self.row, start, end, start_col=start_col, end_col=end_col,
                            problems=self.problems)

    # ---- the files

    def organisations(self, v: dict[str, Any]) -> None:
        """First pass: define the code (references are checked in ``organisation_links``)."""
        if not self.period(v["opened"], v["closed"], "opened", "closed"):
            self.rejected_orgs[v["code"]] = self.row
            return
        self.orgs[v["code"]] = _Org(v["code"], v["type"], self.row)

    def organisation_links(self, v: dict[str, Any]) -> list[tuple[Any, Any, Any]]:
        code, kind = v["code"], v["type"]
        ok = self.ref(v["parent"], "parent", ("local-authority",))
        ok = self.ref(v["successor"], "successor") and ok
        if kind in ("health-and-wellbeing-board", "local-healthwatch") and v["parent"] is None:
            self.problem("parent", "", f"type {kind} needs a parent: expected the code of its local authority")
            ok = False
        if not ok:
            return []
        node = org_iri(code)
        out: list[tuple[Any, Any, Any]] = [(node, RDF.type, ORG_TYPES[kind]), (node, CCGKG.code, Literal(code))]
        if v["name"]:
            out.append((node, RDFS.label, Literal(v["name"])))
        end = v["closed"]  # as written: a CCG recorded after 2022-06-30 is the abolition rule's to judge
        if v["opened"]:
            out.append((node, CCGKG.startDate, _lit_date(v["opened"])))
        if end:
            out.append((node, CCGKG.endDate, _lit_date(end)))
        if v["parent"]:
            out.append((node, CCGKG.parentAuthority, org_iri(v["parent"])))
        if v["successor"]:
            out.append((node, CCGKG.succeededBy, org_iri(v["successor"])))
        return out

    def areas(self, v: dict[str, Any]) -> list[tuple[Any, Any, Any]]:
        ok = self.ref(v["ccg_code"], "ccg_code", ("ccg",))
        ok = self.ref(v["local_authority_code"], "local_authority_code", ("local-authority",)) and ok
        if not (self.period(v["from"], v["to"], "from", "to") and ok):
            return []
        node = KEYS["areas.csv"].iri(v)
        out: list[tuple[Any, Any, Any]] = [(node, RDF.type, CCGKG.AreaOverlap), (node, CCGKG.areaOf, org_iri(v["ccg_code"])),
               (node, CCGKG.localAuthority, org_iri(v["local_authority_code"]))]
        if v["share_of_ccg_area"] is not None:
            out.append((node, CCGKG.shareOfGroupArea, Literal(v["share_of_ccg_area"], datatype=XSD.decimal)))
        return out + self._dated(node, v["from"], v["to"])

    def memberships(self, v: dict[str, Any]) -> list[tuple[Any, Any, Any]]:
        ok = self.ref(v["practice_code"], "practice_code", ("gp-practice",))
        ok = self.ref(v["ccg_code"], "ccg_code", ("ccg",)) and ok
        if not (self.period(v["from"], v["to"], "from", "to") and ok):
            return []
        node = KEYS["memberships.csv"].iri(v)
        return [(node, RDF.type, CCGKG.PracticeMembership), (node, CCGKG.practice, org_iri(v["practice_code"])),
                (node, CCGKG.group, org_iri(v["ccg_code"]))] + self._dated(node, v["from"], v["to"])

    def posts(self, v: dict[str, Any]) -> list[tuple[Any, Any, Any]]:
        owner = BODY_OWNER.get(v["body"])
        ok = self.ref(v["organisation_code"], "organisation_code", (owner,) if owner else ())
        for code in v["represents"] or ():
            ok = self.ref(code, "represents") and ok
        ok = self.ref(v["employer"], "employer") and ok
        if not (self.period(v["from"], v["to"], "from", "to") and ok):
            return []
        node = KEYS["posts.csv"].iri(v)
        person = fact_iri("person", v["holder"])
        out = [(node, RDF.type, CCGKG.Post), (node, CCGKG.postIn, org_iri(v["organisation_code"])),
               (node, CCGKG.onBody, self.vocab.bodies[v["body"]]), (node, CCGKG.role, self.vocab.roles[v["role"]]),
               (node, CCGKG.holder, person), (person, RDF.type, CCGKG.Person),
               (person, RDFS.label, Literal(v["holder"]))]
        out += [(node, CCGKG.represents, org_iri(c)) for c in v["represents"] or ()]
        if v["employer"]:
            out.append((node, CCGKG.employer, org_iri(v["employer"])))
        return out + self._dated(node, v["from"], v["to"])

    def finance(self, v: dict[str, Any]) -> list[tuple[Any, Any, Any]]:
        if not self.ref(v["ccg_code"], "ccg_code", ("ccg",)):
            return []
        fy = self._fy(v["financial_year"])
        node = KEYS["finance.csv"].iri(v)
        out: list[tuple[Any, Any, Any]] = [(node, RDF.type, CCGKG.FinancialReturn), (node, CCGKG.returnOf, org_iri(v["ccg_code"])),
               (node, CCGKG.financialYear, fy[0][0])] + fy
        for col in FINANCE_AMOUNTS + FINANCE_EXTRA_AMOUNTS:
            if v[col] is not None:
                prop = CCGKG["".join(w if i == 0 else w.capitalize() for i, w in enumerate(col.split("_")))]
                out.append((node, prop, Literal(v[col], datatype=XSD.decimal)))
        if v["quality_payment_explanation"]:
            out.append((node, CCGKG.qualityPaymentExplanation, URIRef(v["quality_payment_explanation"])))
        return out

    def documents(self, v: dict[str, Any]) -> list[tuple[Any, Any, Any]]:
        ok = self.ref(v["publisher_code"], "publisher_code")
        ok = self.ref(v["about_code"], "about_code") and ok
        for code in v["consulted"] or ():
            ok = self.ref(code, "consulted") and ok
        provisions: dict[str, list[URIRef]] = {"under_provision": [], "covers": []}
        for col, found in provisions.items():
            for path in v[col] or ():
                iri = self.vocab.provision(path)
                if iri is None:
                    near = self.vocab.nearest_provisions(path)
                    hint = ("; nearest known: " + ", ".join(near)) if near else (
                        "; no provision in the ontology has a similar address")
                    self.problem(col, path, "no provision in the ontology has this legislation.gov.uk path: "
                                            "expected a path such as ukpga/2006/41/section/14Z2" + hint)
                    ok = False
                else:
                    found.append(iri)
        if not ok:
            return []
        node = KEYS["documents.csv"].iri(v)
        out: list[tuple[Any, Any, Any]] = [(node, RDF.type, self.vocab.documents[v["kind"]]),
               (node, CCGKG.publisher, org_iri(v["publisher_code"]))]
        if v["title"]:
            out.append((node, DCTERMS.title, Literal(v["title"])))
        if v["published"]:
            out.append((node, CCGKG.published, _lit_date(v["published"])))
        if v["financial_year"]:
            fy = self._fy(v["financial_year"])
            out += [(node, CCGKG.financialYear, fy[0][0])] + fy
        if v["about_code"]:
            out.append((node, CCGKG.about, org_iri(v["about_code"])))
        out += [(node, CCGKG.publishedUnder, p) for p in provisions["under_provision"]]
        out += [(node, CCGKG.covers, p) for p in provisions["covers"]]
        out += [(node, CCGKG.consulted, org_iri(c)) for c in v["consulted"] or ()]
        if v["url"]:
            out.append((node, CCGKG.url, URIRef(v["url"])))
        return out

    def contracts(self, v: dict[str, Any]) -> list[tuple[Any, Any, Any]]:
        ok = self.ref(v["commissioner_code"], "commissioner_code", COMMISSIONER_TYPES)
        ok = self.ref(v["provider_code"], "provider_code") and ok
        if not (self.period(v["from"], v["to"], "from", "to") and ok):
            return []
        node = KEYS["contracts.csv"].iri(v)
        out: list[tuple[Any, Any, Any]] = [(node, RDF.type, CCGKG.CommissioningContract),
               (node, CCGKG.commissioner, org_iri(v["commissioner_code"])),
               (node, CCGKG.provider, org_iri(v["provider_code"])),
               (node, CCGKG.service, self.vocab.services[v["service"]])]
        if v["form"]:
            out.append((node, CCGKG.contractForm, self.vocab.forms[v["form"]]))
        if v["delegated"] is not None:
            out.append((node, CCGKG.delegated, Literal(v["delegated"])))
        return out + self._dated(node, v["from"], v["to"])

    @staticmethod
    def _dated(node: URIRef, start: dt.date | None, end: dt.date | None) -> list[tuple[Any, Any, Any]]:
        out: list[tuple[Any, Any, Any]] = []
        if start is not None:
            out.append((node, CCGKG.startDate, _lit_date(start)))
        if end is not None:
            out.append((node, CCGKG.endDate, _lit_date(end)))
        return out

    @staticmethod
    def _fy(label: str) -> list[tuple[Any, Any, Any]]:
        first, last = financial_year_bounds(label)
        node = fact_iri("fy", label)
        return [(node, RDF.type, CCGKG.FinancialYear), (node, RDFS.label, Literal(label)),
                (node, CCGKG.startDate, _lit_date(first)), (node, CCGKG.endDate, _lit_date(last))]


@dataclass(frozen=True)
class RecordKey:
    """What makes a row of a file one thing in the world: the columns whose values name it, and the IRI they give.

    Two rows with the same key are the same thing: a duplicate when every other column agrees too, a conflict when
    one differs. The IRI is ``<BASE>/id/<iri_kind>/<value>/<value>/...`` over the key columns in order, an absent
    optional value written ``-`` (no date, code, keyword or address can be ``-``; the one free-text key column,
    ``holder``, is required, so never absent) and trailing absent values left off; so two keys give the same IRI
    only when they are the same key.

    Attributes:
        thing: what one row is, for messages (``document``).
        iri_kind: the first segment of the IRI path (``document``); ``org`` gives :func:`org_iri`.
        columns: the key columns, in IRI order.
    """

    thing: str
    iri_kind: str
    columns: tuple[str, ...]

    def values(self, row: dict[str, Any]) -> tuple[str, ...]:
        """The key of a converted row: one text per key column (``-`` when absent)."""
        return tuple(ABSENT if row.get(c) is None else _key_text(row[c]) for c in self.columns)

    def iri(self, row: dict[str, Any]) -> URIRef:
        """The IRI of the thing a converted row describes."""
        parts = list(self.values(row))
        while parts and parts[-1] == ABSENT:
            parts.pop()
        return org_iri(parts[0]) if self.iri_kind == "org" else fact_iri(self.iri_kind, *parts)


#: An absent optional key value in an IRI.
ABSENT = "-"


def _key_text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


#: The key of each file (docs/import.md states them): what makes a row one thing in the world.
KEYS: dict[str, RecordKey] = {
    "organisations.csv": RecordKey("organisation", "org", ("code",)),
    "areas.csv": RecordKey("area overlap", "area", ("ccg_code", "local_authority_code", "from")),
    "memberships.csv": RecordKey("membership", "membership", ("practice_code", "ccg_code", "from")),
    "posts.csv": RecordKey("post", "post", ("organisation_code", "body", "role", "holder", "from")),
    "finance.csv": RecordKey("financial return", "finance", ("ccg_code", "financial_year")),
    "documents.csv": RecordKey("document", "document", ("publisher_code", "kind", "published", "financial_year",
                                                        "about_code", "url")),
    "contracts.csv": RecordKey("contract", "contract", ("commissioner_code", "provider_code", "service", "form",
                                                        "from")),
}


@dataclass
class _Seen:
    """The first row of a key in a file: its number, converted and raw values, and whether it is withdrawn."""

    number: int
    values: dict[str, Any]
    raw: dict[str, str]
    queued: bool = False  # passed its row checks and waits for the reference checks
    withdrawn: bool = False  # refused after it was queued (a conflicting row, or organisations.csv unread)


def _header_positions(wb: _Workbook, table: Table, columns: Sequence[Column]) -> list[int] | None:
    """Map each spec column to its position in the header; report unknown and missing columns."""
    header = table.rows[0].values if table.rows else ()
    wb.row = table.rows[0].number if table.rows else 1
    names = [c.name for c in columns]
    ok = True
    for name in header:
        if name not in names:
            wb.problem(name, name, "unknown column: expected only " + ", ".join(names))
            ok = False
    seen: set[str] = set()
    for name in header:
        if name in seen:
            wb.problem(name, name, "the column appears twice in the header")
            ok = False
        seen.add(name)
    for col in columns:
        if col.required and col.name not in header:
            wb.problem(col.name, None, f"missing required column {col.name!r}: the header must include "
                                       + ", ".join(c.name for c in columns if c.required))
            ok = False
    return [header.index(c.name) if c.name in header else -1 for c in columns] if ok else None


def import_workbook(folder: Path | str, *, lenient: bool = False, ontology: Graph | None = None) -> ImportResult:
    """Import an analyst workbook (a folder of CSV files, or one workbook CSV file).

    Rows are keyed by :data:`KEYS`: a row whose key an earlier row of the file has is a duplicate (every other
    column the same: refused, naming the first row) or a conflict (a column differs: both rows refused, naming each
    other and the columns that differ). When organisations.csv is missing or cannot be read, the rows of the other
    files (which all use its codes) are refused with one problem per file, not one per code.

    Args:
        folder: the workbook folder, or a single file named like a workbook file.
        lenient: import the good rows and return the problems instead of raising.
        ontology: the ontology whose keywords and provisions rows may name (default: the bundled one).

    Returns:
        The graph, counts per file and (lenient) every problem.

    Raises:
        SourceNotFound: the folder does not exist.
        InputError: the folder holds no workbook file.
        TableError: strict mode, at least one problem; lenient mode, no row could be imported. Every problem is
            listed.
    """
    path = Path(folder)
    if not path.exists():
        raise SourceNotFound(f"no such workbook folder: {path}", hint="run `ccgkg import template DIR` to start one")
    if ontology is None:
        from ccgkg.store import ontology_graph

        ontology = ontology_graph()
    wb = _Workbook(load_vocabulary(ontology))
    files = [path] if path.is_file() else [path / n for n in WORKBOOK_FILES if (path / n).is_file()]
    if path.is_dir():
        for extra in sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv"
                            and p.name not in (*WORKBOOK_FILES, evidence.COVERAGE_FILE)):
            wb.problems.append(RowProblem(str(extra), None, None, extra.name,
                                          "not a workbook file: expected one of " + ", ".join(WORKBOOK_FILES)))
    if not files:
        raise InputError(f"{path} holds no workbook file", hint="expected one of " + ", ".join(WORKBOOK_FILES)
                         + "; run `ccgkg import template DIR` to start one")
    tallies: list[FileTally] = []
    pending: list[tuple[FileTally, str, _Seen]] = []
    unread = {"organisations.csv": "is missing from the workbook"}
    for file in files:
        tally = FileTally(str(file), "workbook-" + file.name.removesuffix(".csv"))
        tallies.append(tally)
        why = _read_file(wb, file, tally, pending)
        if why:
            unread[file.name] = why
        else:
            unread.pop(file.name, None)
    if "organisations.csv" in unread:
        _refuse_dependents(wb, pending, unread["organisations.csv"])
    handlers: dict[str, Callable[[dict[str, Any]], list[tuple[Any, Any, Any]]]] = {
        "organisations.csv": wb.organisation_links, "areas.csv": wb.areas, "memberships.csv": wb.memberships,
        "posts.csv": wb.posts, "finance.csv": wb.finance, "documents.csv": wb.documents,
        "contracts.csv": wb.contracts}
    for tally, name, entry in pending:
        if entry.withdrawn:
            continue
        wb.path, wb.row = tally.path, entry.number
        before = len(wb.problems)
        triples = handlers[name](entry.values)
        if len(wb.problems) > before:
            tally.rejected += 1
            continue
        for triple in triples:
            wb.graph.add(triple)
        tally.imported += 1
    covered, coverage_tally = evidence.workbook_coverage(wb.graph, path if path.is_dir() else path.parent,
                                                         [f.name for f in files], wb.problems)
    wb.graph.addN((s, p, o, wb.graph) for s, p, o in covered)  # what the workbook holds completely (issue 10)
    tallies += [coverage_tally] if coverage_tally is not None else []
    wb.problems.sort(key=lambda p: (_file_order(tallies, p.path), p.row or 0))
    return finish(wb.graph, tallies, wb.problems, lenient=lenient)


def _read_file(wb: _Workbook, file: Path, tally: FileTally, pending: list[tuple[FileTally, str, _Seen]]) -> str:
    """Check every row of one workbook file, queue the good ones in ``pending`` and count them in ``tally``.

    Returns:
        Why the whole file was refused ("" when it was read): it cannot be decoded or parsed, or its header is wrong.
    """
    name = file.name
    wb.path = str(file)
    try:
        table = read_table(file, encodings=WORKBOOK_ENCODINGS)
    except TableError as exc:
        wb.problems.extend(exc.problems)
        tally.read = tally.rejected = max(count_records(file) - 1, 0)
        return "could not be read (see its problem above)"
    columns = wb.specs[name]
    positions = _header_positions(wb, table, columns)
    data = table.rows[1:]
    if positions is None:
        tally.read = tally.rejected = len(data)
        return "has a header ccgkg cannot read (see its problem above)"
    if table.encoding == "cp1252" and data:
        tally.note("read as Windows-1252 (Excel's plain CSV), not UTF-8: save as CSV UTF-8 to be sure of the "
                   "characters", len(data))
    width = len(table.rows[0].values)
    key = KEYS[name]
    seen: dict[tuple[str, ...], _Seen] = {}
    for row in data:
        tally.read += 1
        wb.row = row.number
        before = len(wb.problems)
        if len(row.values) != width:
            wb.problem(None, f"{len(row.values)} columns", f"wrong column count: expected {width} like the header")
        else:
            values = check_row(wb.path, row, columns, positions, wb.problems)
            if values is not None:
                raw = {c.name: (row.values[pos] if pos >= 0 else "") for c, pos in zip(columns, positions)}
                entry = _Seen(row.number, values, raw)
                first = seen.setdefault(key.values(values), entry)
                if first is not entry:
                    _repeated(wb, tally, key, first, entry)
                else:
                    if name == "organisations.csv":
                        wb.organisations(values)
                    if len(wb.problems) == before:
                        entry.queued = True
                        pending.append((tally, name, entry))
        if len(wb.problems) > before:
            tally.rejected += 1
            if name == "organisations.csv":
                code = row.values[positions[0]] if 0 <= positions[0] < len(row.values) else ""
                if code and code not in wb.orgs:
                    wb.rejected_orgs.setdefault(code, row.number)
    return ""


def _repeated(wb: _Workbook, tally: FileTally, key: RecordKey, first: _Seen, again: _Seen) -> None:
    """A row whose key an earlier row has: a duplicate (refused) or a conflict (both rows refused)."""
    columns = key.columns
    differ = [c for c in first.values if c not in columns and first.values[c] != again.values[c]]
    if not differ:
        wb.problem(columns[0], "/".join(key.values(again.values)),
                   f"duplicate row: the same {', '.join(columns)} as row {first.number}")
        return
    wb.problem(differ[0], again.raw[differ[0]], _conflict(key, first, again, differ))
    if first.queued and not first.withdrawn:
        first.withdrawn = True
        tally.rejected += 1
        wb.problems.append(RowProblem(wb.path, first.number, differ[0], first.raw[differ[0]],
                                      _conflict(key, again, first, differ)))
        if key.iri_kind == "org":
            code = first.values["code"]
            wb.orgs.pop(code, None)
            wb.rejected_orgs[code] = first.number


def _conflict(key: RecordKey, other: _Seen, this: _Seen, differ: Sequence[str]) -> str:
    """The message for ``this`` row, which has the key of ``other`` but differs from it in ``differ``."""
    diffs = ", ".join(f"{c!r} is {other.raw[c]!r} there and {this.raw[c]!r} here" for c in differ)
    return (f"conflicting rows: the same {', '.join(key.columns)} as row {other.number}, so the same {key.thing}, "
            f"but {diffs}; neither row is imported: make them agree, or, if they are two {key.thing}s, tell them "
            f"apart in {', '.join(key.columns)}")


def _refuse_dependents(wb: _Workbook, pending: list[tuple[FileTally, str, _Seen]], why: str) -> None:
    """Refuse the queued rows of every file but organisations.csv, with one problem per file saying why."""
    refused: dict[str, tuple[FileTally, int]] = {}
    for tally, name, entry in pending:
        if name != "organisations.csv" and not entry.withdrawn:
            entry.withdrawn = True
            tally.rejected += 1
            refused[tally.path] = (tally, refused.get(tally.path, (tally, 0))[1] + 1)
    for path, (_tally, n) in refused.items():
        wb.problems.append(RowProblem(path, None, None, None,
                                      f"{n} row(s) not imported: they use organisation codes, which organisations.csv "
                                      f"defines, and organisations.csv {why}"))


def _file_order(tallies: Sequence[FileTally], path: str) -> int:
    for i, t in enumerate(tallies):
        if t.path == path:
            return i
    return -1


# ----------------------------------------------------------------------------------------------------- template

#: Example rows of the template; they refer to each other and import cleanly.
EXAMPLES: dict[str, list[dict[str, str]]] = {
    "organisations.csv": [
        {"code": "02H", "name": "NHS Wigan Borough CCG", "type": "ccg", "opened": "2013-04-01",
         "closed": "2022-06-30", "successor": "QOP"},
        {"code": "QOP", "name": "NHS Greater Manchester Integrated Care Board", "type": "icb", "opened": "2022-07-01"},
        {"code": "E08000010", "name": "Wigan", "type": "local-authority"},
        {"code": "E08000010-HWB", "name": "Wigan Health and Wellbeing Board", "type": "health-and-wellbeing-board",
         "opened": "2013-04-01", "parent": "E08000010"},
        {"code": "P92001", "name": "Example Surgery", "type": "gp-practice", "opened": "1974-04-01"},
        {"code": "RRF", "name": "Wrightington, Wigan and Leigh NHS Foundation Trust", "type": "nhs-trust"},
    ],
    "areas.csv": [{"ccg_code": "02H", "local_authority_code": "E08000010", "from": "2013-04-01", "to": "2022-06-30",
                   "share_of_ccg_area": "1.0"}],
    "memberships.csv": [{"practice_code": "P92001", "ccg_code": "02H", "from": "2013-04-01", "to": "2022-06-30"}],
    "posts.csv": [{"organisation_code": "E08000010-HWB", "body": "board", "role": "ccg-representative",
                   "holder": "p1", "from": "2013-04-01", "represents": "02H", "employer": "02H"}],
    "finance.csv": [{"ccg_code": "02H", "financial_year": "2016-17", "allotment": "400000000",
                     "expenditure": "399000000", "revenue_resource_limit": "400000000",
                     "revenue_resource_use": "399000000", "capital_resource_limit": "500000",
                     "capital_resource_use": "450000"}],
    "documents.csv": [{"publisher_code": "02H", "kind": "commissioning-plan",
                       "title": "Commissioning plan 2016-17", "published": "2016-03-31", "financial_year": "2016-17",
                       "about_code": "02H", "under_provision": "ukpga/2006/41/section/14Z11",
                       "consulted": "E08000010-HWB", "url": "https://www.example.org/plan-2016-17.pdf"}],
    "contracts.csv": [{"commissioner_code": "02H", "provider_code": "RRF", "service": "acute",
                       "form": "nhs-standard-contract", "from": "2016-04-01", "to": "2017-03-31",
                       "delegated": "no"}],
}


def template_files(vocab: Vocabulary) -> dict[str, str]:
    """The CSV text of every template file: the header and the example rows.

    A provision path in an example that the ontology does not know is left empty, so the template always imports.
    """
    out: dict[str, str] = {}
    for name, columns in workbook_specs(vocab).items():
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([c.name for c in columns])
        for example in EXAMPLES[name]:
            row = dict(example)
            for col in ("under_provision", "covers"):
                if row.get(col) and vocab.provision(row[col]) is None:
                    row[col] = ""
            writer.writerow([row.get(c.name, "") for c in columns])
        out[name] = buf.getvalue()
    return out


def write_template(folder: Path | str, *, ontology: Graph | None = None) -> list[Path]:
    """Write a blank workbook (header and example rows per file) into ``folder``, creating it if needed.

    Returns:
        The files written.

    Raises:
        InputError: a workbook file already exists there (nothing is overwritten), or the folder cannot be made.
    """
    target = Path(folder)
    existing = [n for n in WORKBOOK_FILES if (target / n).exists()]
    if existing:
        raise InputError(f"{target} already holds {', '.join(existing)}; nothing was written",
                         hint="choose an empty folder for the template")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {target}: {exc.strerror}") from None
    if ontology is None:
        from ccgkg.store import ontology_graph

        ontology = ontology_graph()
    return [atomic_write(target / name, text) for name, text in template_files(load_vocabulary(ontology)).items()]


__all__ = [
    "EXAMPLES",
    "KEYS",
    "WORKBOOK_FILES",
    "RecordKey",
    "import_workbook",
    "is_workbook",
    "template_files",
    "workbook_specs",
    "write_template",
]
