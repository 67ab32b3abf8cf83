"""Dates and snapshots: which facts hold on a day.

A dated fact (organisation, post, practice membership, area overlap, contract) holds on day ``d`` when
``ccgkg:startDate <= d`` (or no start) and ``d <= ccgkg:endDate`` (or no end): both ends are inclusive.
A provision is in force on ``d`` when ``ccgkg:inForceFrom <= d <= ccgkg:inForceUntil`` in the same way.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ccgkg.errors import DateError, InputError
from ccgkg.namespaces import CCGKG

#: CCGs were abolished on 1 July 2022 (Health and Care Act 2022; SI 2022/734): their last day was 30 June 2022.
CCG_LAST_DAY = dt.date(2022, 6, 30)
#: CCGs took on their functions fully on 1 April 2013.
CCG_FIRST_DAY = dt.date(2013, 4, 1)
#: the judging window of the CCG era (first and last day, inclusive). The ICB era starts on 1 July 2022 (its window
#: is open-ended: ``(ICB_FIRST_DAY, <last day of the data>)``); see docs/design.md, "Time model".
CCG_ERA = (CCG_FIRST_DAY, CCG_LAST_DAY)
#: ICBs took over on 1 July 2022 (Health and Care Act 2022).
ICB_FIRST_DAY = dt.date(2022, 7, 1)


#: ISO 8601 calendar dates, extended (2016-10-17) or basic (20161017): the only forms ccgkg reads.
_ISO_8601_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$|^(\d{4})(\d{2})(\d{2})$")
#: what to write instead of a value that is not a date.
DATE_HINT = "write YYYY-MM-DD (or YYYYMMDD), e.g. 2016-10-17"


def real_date(value: str) -> dt.date:
    """The one reader of dates the user writes (workbook columns, ``--as-of``, query parameters): ISO 8601,
    extended (2016-10-17) or basic (20161017). ``datetime.date.fromisoformat`` is not used: since Python 3.11 it
    also reads week dates and ordinal days (``2016-W42-1``), which no file or option of ccgkg means.

    Raises:
        DateError: saying whether the text is not of that form (with what to write), or is of that form but names
            no real day (``2016-02-30``: February 2016 has 29 days). It is a ``ValueError`` too.
    """
    match = _ISO_8601_DATE.match(value.strip())
    if match is None:
        raise DateError(f"{value!r} is not a date", hint=DATE_HINT)
    year, month, day = (int(g) for g in match.groups() if g is not None)
    if not 1 <= month <= 12:
        raise DateError(f"{value!r} is not a real date: there is no month {month}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateError(f"{value!r} is not a real date: {calendar.month_name[month]} {year} has {last} days")
    return dt.date(year, month, day)


def parse_date(value: str | dt.date, *, what: str = "date") -> dt.date:
    """:func:`real_date`, with the error naming ``what`` the value is (an option, a column); a date is returned as
    it is.

    Raises:
        DateError: ``<what> '<value>' is not a date`` (hint: what to write) or ``... is not a real date: ...``.
    """
    if isinstance(value, dt.date):
        return value
    try:
        return real_date(str(value))
    except DateError as exc:
        raise DateError(f"{what} {exc.message}", hint=exc.hint) from None


def to_date(term: object) -> dt.date | None:
    """The Python date of an RDF literal (xsd:date or an ISO string), or None."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        term = str(term)
    try:
        return dt.date.fromisoformat(str(term)[:10])
    except ValueError:
        return None


def holds_on(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    """Whether a fact from ``start`` to ``end`` (both inclusive, None = open) holds on ``day``."""
    return (start is None or start <= day) and (end is None or day <= end)


def financial_year_of(day: dt.date) -> str:
    """The label of the financial year (1 April to 31 March) containing ``day``, e.g. ``2016-17``."""
    first = day.year if day >= dt.date(day.year, 4, 1) else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def financial_year_bounds(label: str) -> tuple[dt.date, dt.date]:
    """First and last day of a financial year labelled like ``2016-17``.

    Raises:
        InputError: when the label is not of that form.
    """
    text = label.strip()
    try:
        first, second = text.split("-")
        start = int(first)
        if len(first) != 4 or len(second) != 2 or (start + 1) % 100 != int(second):
            raise ValueError
    except ValueError:
        raise InputError(f"financial year {label!r} is not of the form 2016-17",
                         hint="give the year it starts and the last two digits of the next, e.g. 2016-17") from None
    return dt.date(start, 4, 1), dt.date(start + 1, 3, 31)


def snapshot(graph: Graph, day: dt.date) -> Graph:
    """A new graph with only the facts that hold on ``day``.

    Every node with a ``ccgkg:startDate`` after ``day`` or a ``ccgkg:endDate`` before it is dropped, with the
    triples that point to it. Nodes without dates (provisions, documents, financial returns) are kept.
    A ``ccgkg:Snapshot`` node records the date. The input graph is not changed.
    """
    start_p, end_p = CCGKG.startDate, CCGKG.endDate
    drop: set[object] = set()
    for s, o in graph.subject_objects(start_p):
        d = to_date(o)
        if d is not None and d > day:
            drop.add(s)
    for s, o in graph.subject_objects(end_p):
        d = to_date(o)
        if d is not None and d < day:
            drop.add(s)
    out = Graph()
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns, override=True)
    add = out.add
    for s, p, o in graph:
        if s in drop or o in drop:
            continue
        add((s, p, o))
    node = URIRef(f"https://w3id.org/ccgkg/id/snapshot/{day.isoformat()}")
    out.add((node, RDF.type, CCGKG.Snapshot))
    out.add((node, CCGKG.onDate, Literal(day, datatype=XSD.date)))
    return out


__all__ = ["CCG_ERA", "CCG_FIRST_DAY", "CCG_LAST_DAY", "DATE_HINT", "ICB_FIRST_DAY", "financial_year_bounds",
           "financial_year_of", "holds_on", "parse_date", "real_date", "snapshot", "to_date"]
