"""Typed errors of the ccgkg library. They never print and never exit: only ``ccgkg.cli`` turns them into messages
and exit codes (2 for every ``CcgkgError``; 70 for anything
else, which is a bug).

Each error carries ``message`` (what failed, where, why), an optional ``hint`` (what to do) and an optional ``see``
link. Where the fault is in a file, ``path`` and ``line`` (or ``row`` and ``column``) name it.
"""

from __future__ import annotations

from dataclasses import dataclass


class CcgkgError(Exception):
    """Base of every error ccgkg raises on purpose."""

    def __init__(self, message: str, *, hint: str | None = None, see: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.see = see

    def __str__(self) -> str:
        return self.message


class InputError(CcgkgError):
    """Bad input from the user: a file, an option or a value."""


class SourceNotFound(InputError):
    """A named file or folder does not exist."""


class ParseError(InputError):
    """A file could not be parsed; ``path`` and ``line`` say where."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 hint: str | None = None, see: str | None = None) -> None:
        super().__init__(message, hint=hint, see=see)
        self.path = path
        self.line = line


@dataclass(frozen=True)
class RowProblem:
    """One problem in one row of a tabular input file."""

    path: str
    row: int | None
    column: str | None
    value: str | None
    problem: str

    def render(self) -> str:
        where = self.path
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        value = "" if self.value is None else f": value {self.value!r}"
        return f"{where}{value}: {self.problem}"


class TableError(InputError):
    """One or more rows of tabular input are wrong; every problem is listed in ``problems``."""

    def __init__(self, problems: list[RowProblem], *, hint: str | None = None) -> None:
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in the input; nothing was written"
        body = "\n".join("  " + p.render() for p in self.problems[:200])
        more = "" if len(self.problems) <= 200 else f"\n  ... and {len(self.problems) - 200} more"
        super().__init__(f"{head}:\n{body}{more}", hint=hint)


class DateError(InputError, ValueError):
    """A value is not an ISO 8601 date, or is of that form but names no real day (``2016-02-30``). It is also a
    ``ValueError``, so column and parameter converters report it in their own words; ``str()`` gives the message
    followed by the hint (what to write instead)."""

    def __str__(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message


class UnknownCitation(InputError):
    """A citation names no provision in the ontology; ``suggestions`` lists the nearest ones."""

    def __init__(self, citation: str, suggestions: list[str]) -> None:
        self.citation = citation
        self.suggestions = suggestions
        hint = ("nearest: " + ", ".join(suggestions)) if suggestions else "try `ccgkg law duties` to list provisions"
        super().__init__(f"unknown citation {citation!r}: no provision in the ontology matches it", hint=hint)


class UnknownProfileError(InputError):
    """An inference profile name is not one of the known profiles."""


class ShapesError(CcgkgError):
    """A shapes graph is malformed or breaks a house rule (for example a legal shape that cites no provision)."""


class QueryNotFound(InputError):
    """A named query does not exist."""


class QueryParameterError(InputError):
    """A query parameter is unknown, missing or of the wrong type."""


class QuerySyntaxError(InputError):
    """A SPARQL query does not parse; ``line`` and ``column`` say where."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.line = line
        self.column = column


class QueryRefused(InputError):
    """A query asks for something in-process evaluation does not do: SERVICE (without ``--allow-service``), named
    graphs or ``FROM``, or an update."""


class QueryTimeout(CcgkgError):
    """A query did not finish within its time limit; ``seconds`` is the limit."""

    def __init__(self, message: str, *, seconds: float, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.seconds = seconds


class EndpointError(CcgkgError):
    """A remote SPARQL endpoint could not be reached or refused a request."""


class PublishError(CcgkgError):
    """A distribution could not be built or written."""


__all__ = [
    "CcgkgError", "DateError", "InputError", "SourceNotFound", "ParseError", "RowProblem", "TableError", "UnknownCitation",
    "UnknownProfileError", "ShapesError", "QueryNotFound", "QueryParameterError", "QuerySyntaxError",
    "QueryRefused", "QueryTimeout", "EndpointError", "PublishError",
]
