"""Reading tabular input: bytes to rows, the declarative column specs, and the one generic row loop.

Every importer reads its files through :func:`read_table` (encoding detection, quoted or unquoted CSV, row numbers
that are the line number where the record starts) and checks each row against a tuple of :class:`Column` specs
with :func:`check_row`. A spec says what a column holds (its :class:`Kind`) and whether a value is required; the
loop turns every failed conversion into a :class:`ccgkg.errors.RowProblem` naming the file, row, column, value and
what was expected. Nothing here builds RDF.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any

from ccgkg.errors import RowProblem, TableError
from ccgkg.temporal import real_date

#: ODS and ONS files come as UTF-8 or as Windows-1252 (a superset of Latin-1's printable range).
ODS_ENCODINGS = ("utf-8-sig", "cp1252")
#: Workbooks are UTF-8 (with or without a byte-order mark), or Windows-1252 as Excel's plain "CSV" save writes them
#: on Western Windows; a file read as Windows-1252 is noted in the summary.
WORKBOOK_ENCODINGS = ("utf-8-sig", "cp1252")
#: How many examples of each changed or inferred value the summary shows.
EXAMPLES_SHOWN = 3

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ODS_DATE = re.compile(r"^\d{8}$")
_URL = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class Row:
    """One record of a file: its 1-based line number and its stripped values."""

    number: int
    values: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A decoded file: its display name, the encoding that worked and its non-blank records."""

    path: str
    encoding: str
    rows: tuple[Row, ...]


def encoding_name(encoding: str) -> str:
    """The name users know an encoding by (``utf-8-sig`` is UTF-8, ``cp1252`` is Windows-1252)."""
    return {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "cp1252": "Windows-1252"}.get(encoding, encoding)


def decode(path: str, data: bytes, encodings: Sequence[str]) -> tuple[str, str]:
    """Decode ``data`` with the first encoding that works.

    Returns:
        The text and the name of the encoding used.

    Raises:
        TableError: when no encoding decodes the bytes; the problem names the byte that fails in the last (most
            permissive) encoding tried, its byte offset and its row: the byte that keeps the file from being read.
    """
    last_error: UnicodeDecodeError | None = None
    for encoding in encodings:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            last_error = exc
    assert last_error is not None
    offset = last_error.start
    row = data.count(b"\n", 0, offset) + 1
    bad = data[offset:offset + 1]
    names = " or ".join(dict.fromkeys(encoding_name(e) for e in encodings))
    raise TableError([RowProblem(path, row, None, f"0x{bad.hex()}",
                                 f"undecodable byte 0x{bad.hex()} at byte offset {offset}: the file is not valid "
                                 f"{names}")],
                     hint="save the file as CSV UTF-8 (in Excel: 'CSV UTF-8 (Comma delimited)')")


def count_records(path: Path) -> int:
    """How many non-blank records ``path`` holds, header included, however it is encoded (for the counts of a file
    that cannot be read)."""
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
        return len(parse_csv(str(path), text).rows)
    except (OSError, TableError):
        return sum(1 for line in path.read_bytes().splitlines() if line.strip())


def read_table(path: Path, *, encodings: Sequence[str], name: str | None = None) -> Table:
    """Read a CSV file (quoted or unquoted fields) into a :class:`Table`; blank lines are skipped.

    Raises:
        TableError: the bytes cannot be decoded, or a quoted field is never closed.
    """
    label = name or str(path)
    text, encoding = decode(label, path.read_bytes(), encodings)
    return parse_csv(label, text, encoding)


def parse_csv(label: str, text: str, encoding: str = "utf-8") -> Table:
    """Split decoded CSV text into rows, numbering each row by the line on which it starts.

    Raises:
        TableError: a quoted field is never closed.
    """
    return Table(label, encoding, tuple(iter_csv(label, text)))


def iter_csv(label: str, text: str) -> Iterator[Row]:
    """The rows of :func:`parse_csv`, one at a time (for large files: never all held).

    Raises:
        TableError: a quoted field is never closed (when the iteration reaches it).
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 0
    try:
        for record in reader:
            start = line + 1
            line = reader.line_num
            if not record or all(not v.strip() for v in record):
                continue
            yield Row(start, tuple(v.strip() for v in record))
    except csv.Error as exc:
        raise TableError([RowProblem(label, line + 1, None, None, f"malformed CSV: {exc}")],
                         hint="check the quotes on that row: a field that starts with \" must end with \"") from None


class Kind(Enum):
    """What a column holds; each kind has one converter and one description of what is expected."""

    TEXT = "text"
    CODE = "code"
    ISO_DATE = "date"
    ODS_DATE = "ods-date"
    DECIMAL = "decimal"
    AMOUNT = "amount"
    SHARE = "share"
    INTEGER = "integer"
    YEAR = "year"
    FINANCIAL_YEAR = "financial-year"
    YES_NO = "yes-no"
    URL = "url"
    LIST = "list"
    CHOICE = "choice"


_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _to_text(value: str, col: Column) -> str:
    return value


def _to_code(value: str, col: Column) -> str:
    if not _CODE.match(value):
        raise ValueError("a code of letters, digits, '-', '.' or '_' (no spaces)")
    return value


def _to_iso_date(value: str, col: Column) -> dt.date:
    if not _ISO_DATE.match(value):
        raise ValueError("a date written YYYY-MM-DD, e.g. 2016-04-01")
    try:
        return real_date(value)
    except ValueError as exc:  # of the form, but no such day
        raise ValueError("a real date: " + str(exc).split(": ", 1)[1]) from None


def _to_ods_date(value: str, col: Column) -> dt.date:
    try:
        if not _ODS_DATE.match(value):
            raise ValueError
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise ValueError("a date written YYYYMMDD, e.g. 20130401") from None


def _to_decimal(value: str, col: Column) -> Decimal:
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise ValueError("a number of pounds, e.g. 231588000 or 231588000.50") from None
    if not number.is_finite():
        raise ValueError("a finite number")
    return number


def _to_amount(value: str, col: Column) -> Decimal:
    number = _to_decimal(value, col)
    if number < 0:
        raise ValueError("a number of pounds, not negative, e.g. 231588000 or 231588000.50")
    return number


def _to_share(value: str, col: Column) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError("a fraction from 0 to 1, e.g. 0.25") from None
    if not number.is_finite() or number < 0 or number > 1:
        raise ValueError("a fraction from 0 to 1, e.g. 0.25")
    return number


def _to_integer(value: str, col: Column) -> int:
    if not re.fullmatch(r"\d+", value):
        raise ValueError("a whole number")
    return int(value)


def _to_year(value: str, col: Column) -> int:
    if not re.fullmatch(r"(19|20)\d\d", value):
        raise ValueError("a four-digit year, e.g. 2015")
    return int(value)


def _to_financial_year(value: str, col: Column) -> str:
    match = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError("a financial year like 2016-17 (the year it starts, then the last two digits of the next)")
    return value


def _to_yes_no(value: str, col: Column) -> bool:
    low = value.lower()
    if low not in ("yes", "no"):
        raise ValueError("yes or no")
    return low == "yes"


def _to_url(value: str, col: Column) -> str:
    if not _URL.match(value):
        raise ValueError("a web address starting with http:// or https://")
    return value


def _to_list(value: str, col: Column) -> tuple[str, ...]:
    items = tuple(v.strip() for v in value.split(";"))
    if any(not v for v in items):
        raise ValueError("values separated by ';' with none empty, e.g. 02H;E08000010-HWB")
    return items


def _to_choice(value: str, col: Column) -> str:
    if value not in col.choices:
        raise ValueError("one of " + ", ".join(col.choices))
    return value


_CONVERTERS: dict[Kind, Callable[[str, Column], Any]] = {
    Kind.TEXT: _to_text, Kind.CODE: _to_code, Kind.ISO_DATE: _to_iso_date, Kind.ODS_DATE: _to_ods_date,
    Kind.DECIMAL: _to_decimal, Kind.AMOUNT: _to_amount, Kind.SHARE: _to_share, Kind.INTEGER: _to_integer, Kind.YEAR: _to_year,
    Kind.FINANCIAL_YEAR: _to_financial_year, Kind.YES_NO: _to_yes_no, Kind.URL: _to_url, Kind.LIST: _to_list,
    Kind.CHOICE: _to_choice,
}


@dataclass(frozen=True)
class Column:
    """One column of a file spec.

    Attributes:
        name: the header name (workbooks) or the documented name (headerless ODS files).
        kind: what the column holds.
        required: a value must be given (empty means unknown otherwise).
        choices: the allowed values of a CHOICE column.
        doc: one line for the README and the template.
    """

    name: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    doc: str = ""


def check_row(path: str, row: Row, columns: Sequence[Column], positions: Sequence[int],
              problems: list[RowProblem]) -> dict[str, Any] | None:
    """Convert one row by its column specs.

    Args:
        path: the file name to put in problems.
        row: the row.
        columns: the specs of the columns to read.
        positions: for each spec, the index of its value in ``row.values`` (-1 when the column is absent).
        problems: every problem found is appended here.

    Returns:
        The converted values by column name (None for empty values), or None when the row has a problem.
    """
    out: dict[str, Any] = {}
    ok = True
    for col, pos in zip(columns, positions):
        raw = row.values[pos] if 0 <= pos < len(row.values) else ""
        if raw == "":
            if col.required:
                problems.append(RowProblem(path, row.number, col.name, "",
                                           f"a value is required here: expected {_expected(col)}"))
                ok = False
            out[col.name] = None
            continue
        try:
            out[col.name] = _CONVERTERS[col.kind](raw, col)
        except ValueError as exc:
            problems.append(RowProblem(path, row.number, col.name, raw, f"expected {exc}"))
            ok = False
    return out if ok else None


def _expected(col: Column) -> str:
    try:
        _CONVERTERS[col.kind]("\x00", col)
    except ValueError as exc:
        return str(exc)
    return "a value"


def check_period(path: str, row: int, start: dt.date | None, end: dt.date | None, *, start_col: str,
                 end_col: str, problems: list[RowProblem]) -> bool:
    """Check that ``end`` is not before ``start``; append a problem naming ``end_col`` when it is."""
    if start is not None and end is not None and end < start:
        problems.append(RowProblem(path, row, end_col, end.isoformat(),
                                   f"{end_col!r} is before {start_col!r} ({start.isoformat()}); "
                                   "expected a date on or after it"))
        return False
    return True


@dataclass
class FileTally:
    """Running counts for one input file (mutable while importing; frozen into FileCounts at the end)."""

    path: str
    kind: str
    read: int = 0
    imported: int = 0
    skipped: int = 0
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    changes: dict[str, tuple[int, list[str]]] = field(default_factory=dict)

    def skip(self, reason: str, n: int = 1) -> None:
        """Count ``n`` good rows as skipped for ``reason`` (listed in the summary, never silent)."""
        self.skipped += n
        self.note("skipped: " + reason, n)

    def note(self, text: str, n: int = 1) -> None:
        """Record something about ``n`` rows that were imported only in part (listed in the summary)."""
        self.reasons[text] = self.reasons.get(text, 0) + n

    def change(self, what: str, example: str) -> None:
        """Count one value the importer changed or inferred (``what``: how, e.g. ``"changed: end date cut to ..."``)
        and keep the first distinct examples (``example``: which row and value) for the summary."""
        count, examples = self.changes.get(what, (0, []))
        if len(examples) < EXAMPLES_SHOWN and example not in examples:
            examples.append(example)
        self.changes[what] = (count + 1, examples)

    def notes(self) -> tuple[str, ...]:
        """One line per reason, most frequent first, then one per kind of change with its first examples."""
        lines = [f"{n} row(s): {r}" for r, n in sorted(self.reasons.items(), key=lambda kv: (-kv[1], kv[0]))]
        for what, (n, examples) in sorted(self.changes.items(), key=lambda kv: (-kv[1][0], kv[0])):
            more = ", ..." if n > len(examples) else ""
            lines.append(f"{n} value(s) {what} (e.g. {'; '.join(examples)}{more})")
        return tuple(lines)


def extract_rows(paths: Sequence[Path | str], kind: str, columns: Sequence[str], encodings: Sequence[str],
                 problems: list[RowProblem], tallies: list[FileTally]) -> Iterator[tuple[str, FileTally, Row,
                                                                                     dict[str, str]]]:
    """The data rows of the sourced extracts ``paths`` (header row first, ``columns`` wide): ``(path, tally, row,
    values by column)``. Each file gets a tally of ``kind`` appended to ``tallies``; a row of the wrong width is
    refused into ``problems`` and counted as rejected, never yielded."""
    for path in map(str, paths):
        table = read_table(Path(path), encodings=encodings)
        tally = FileTally(path, kind)
        tallies.append(tally)
        for row in table.rows[1:]:
            tally.read += 1
            if len(row.values) != len(columns):
                problems.append(RowProblem(path, row.number, None, f"{len(row.values)} columns",
                                           f"wrong column count: expected {len(columns)} like the header"))
                tally.rejected += 1
                continue
            yield path, tally, row, dict(zip(columns, row.values))


__all__ = [
    "EXAMPLES_SHOWN",
    "ODS_ENCODINGS",
    "WORKBOOK_ENCODINGS",
    "Column",
    "FileTally",
    "Kind",
    "Row",
    "Table",
    "check_period",
    "check_row",
    "count_records",
    "decode",
    "encoding_name",
    "extract_rows",
    "parse_csv",
    "read_table",
    "real_date",
]
