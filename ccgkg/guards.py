"""Guards on what reaches a query engine, for any engine (rdflib today, pyoxigraph or a SPARQL server tomorrow).

- :func:`check_iri`: a value that goes into query or update text must be an IRI (RFC 3987: a scheme, then no
  space, control character or any of ``<>"{}|^`\\``, and ``%`` only as a ``%XX`` escape), or it is refused.
- :func:`guard_query`: parse a query and refuse, before anything runs, what in-process evaluation must not do:
  ``SERVICE`` (it makes the engine open URLs and files: refused unless ``allow_service``, and even then only
  ``http(s)`` IRIs), ``GRAPH``, ``FROM`` and ``FROM NAMED`` (in-process data is one merged graph, and rdflib would
  fetch a ``FROM`` IRI from the network or disk), and updates. The check runs on the parsed algebra, not on text.
- :func:`time_limit`: a context manager that stops the code inside it after ``seconds`` with
  :class:`ccgkg.errors.QueryTimeout` (SIGALRM in the main thread, an asynchronous exception in other threads).
- :func:`with_limit`: the query text with its top-level ``LIMIT`` set to at most ``n``, so that a limit is applied
  by the engine or the server and not after reading every row.

See docs/hostile-input.md for what is refused and why.
"""

from __future__ import annotations

import contextlib
import ctypes
import re
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from ccgkg.errors import InputError, QueryRefused, QuerySyntaxError, QueryTimeout

T = TypeVar("T")

#: Seconds a local query may run unless ``--timeout`` says otherwise (0: no limit).
DEFAULT_TIMEOUT_S = 120.0

_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20\x7f-\x9f]')
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def check_iri(value: str, *, what: str = "IRI") -> str:
    """``value`` when it is an absolute IRI that is safe to write between ``<`` and ``>``.

    Raises:
        InputError: naming ``what`` (e.g. ``--graph``), the value and what is wrong with it.
    """
    problem = None
    if not _SCHEME_RE.match(value) or len(value) <= len(_SCHEME_RE.match(value).group()):  # type: ignore[union-attr]
        problem = "it does not start with a scheme such as https: or urn:"
    elif (bad := _IRI_FORBIDDEN.search(value)) is not None:
        problem = f"it contains {bad.group()!r}, which an IRI may not contain (no spaces or any of <>\"{{}}|^`\\)"
    elif _BAD_PERCENT.search(value):
        problem = "'%' must start a %XX escape"
    if problem:
        raise InputError(f"{what} {value!r} is not an IRI: {problem}",
                         hint="give an absolute IRI, e.g. https://w3id.org/ccgkg/graph/kg (RFC 3987)")
    return value


# ------------------------------------------------------------------------------------------------ query checks


@dataclass(frozen=True)
class QueryShape:
    """What a parsed query asks for: its form, the SERVICE targets (IRIs, or ``?var``), whether it reads named
    graphs (``GRAPH``), and its ``FROM`` / ``FROM NAMED`` IRIs."""

    form: str
    services: tuple[str, ...] = ()
    graph_patterns: bool = False
    datasets: tuple[str, ...] = ()


def parse(text: str, *, name: str = "query") -> Any:
    """The query parsed and translated to its algebra by rdflib's parser (nothing is evaluated).

    Raises:
        QueryRefused: the text is a SPARQL Update.
        QuerySyntaxError: with the line and column where parsing stopped.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(text)
    except ParseException as exc:
        if _is_update(text):
            raise QueryRefused(f"{name} is a SPARQL Update (INSERT, DELETE, LOAD, DROP, ...): ccgkg only runs "
                               "queries (SELECT, ASK, CONSTRUCT, DESCRIBE)",
                               hint="to change a store, use `ccgkg push` or the store's own tools") from None
        raise QuerySyntaxError(f"{name}: syntax error at line {exc.lineno}, column {exc.col}: "
                               f"{' '.join(exc.msg.split())}", line=exc.lineno, column=exc.col,
                               hint="fix the query at that line and column") from None
    except Exception as exc:  # noqa: BLE001 - rdflib raises plain Exceptions (unknown prefixes and similar)
        raise QuerySyntaxError(f"{name}: the query does not parse: {' '.join(str(exc).split())}",
                               hint="check the prefixes and the SPARQL 1.1 grammar") from None


def _is_update(text: str) -> bool:
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:  # noqa: BLE001 - not an update either: the query's own syntax error is reported
        return False
    return True


def inspect(text: str, *, name: str = "query") -> QueryShape:
    """The :class:`QueryShape` of ``text`` (parsed, not run)."""
    prepared = parse(text, name=name)
    algebra = prepared.algebra
    services: list[str] = []
    graphs = False
    for node in _walk(algebra):
        kind = getattr(node, "name", None)
        if kind == "ServiceGraphPattern":
            term = dict.get(node, "term")
            services.append(f"?{term}" if type(term).__name__ == "Variable" else str(term))
        elif kind in ("Graph", "GraphGraphPattern"):
            graphs = True
    clauses = dict.get(algebra, "datasetClause") or ()
    datasets = tuple(str(dict.get(c, "default") or dict.get(c, "named")) for c in clauses)
    return QueryShape(form=algebra.name.replace("Query", "").upper(), services=tuple(services),
                      graph_patterns=graphs, datasets=datasets)


def _walk(node: Any) -> Iterator[Any]:
    """Every node of an rdflib algebra tree (CompValue is a dict; lists and ParseResults hold parts)."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, dict):
            yield item
            stack.extend(v for k, v in item.items() if k != "_vars")
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(item)


def guard_query(text: str, *, name: str = "query", allow_service: bool = False) -> str:
    """Refuse what a query run in-process must not do; return its form (SELECT, ASK, CONSTRUCT, DESCRIBE).

    Raises:
        QueryRefused: SERVICE without ``allow_service`` (or to a non-http(s) IRI or a variable), GRAPH, FROM or
            FROM NAMED, or an update.
        QuerySyntaxError: the text does not parse.
    """
    shape = inspect(text, name=name)
    if shape.services and not allow_service:
        raise QueryRefused(f"{name} uses SERVICE {shape.services[0]}: a federated query makes ccgkg open that URL "
                           "(or file), so in-process queries refuse it",
                           hint="give --allow-service to let the query call http(s) SPARQL services")
    for target in shape.services:
        if not re.match(r"^https?://", target, re.IGNORECASE):
            raise QueryRefused(f"{name} uses SERVICE {target}: only http(s) IRIs can be services",
                               hint="name the service by its http(s) endpoint IRI")
    if shape.datasets:
        raise QueryRefused(f"{name} has FROM / FROM NAMED <{shape.datasets[0]}>: in-process queries run on the "
                           "loaded DATA only and never fetch graphs",
                           hint="give the files as DATA instead, or push them to a store and use --endpoint")
    if shape.graph_patterns:
        raise QueryRefused(f"{name} uses GRAPH: in-process, DATA is one merged graph with no named graphs",
                           hint="drop the GRAPH clause, or push the data to a store and query it with --endpoint")
    return shape.form


# ------------------------------------------------------------------------------------------------- time limits


class _Deadline(BaseException):
    """Raised inside the guarded code when its time is up (a BaseException, so ``except Exception`` in an engine
    does not swallow it)."""


@contextlib.contextmanager
def time_limit(seconds: float | None, *, what: str = "the query") -> Iterator[None]:
    """Stop the code inside after ``seconds`` (None or 0: no limit) with :class:`QueryTimeout`.

    In the main thread this uses SIGALRM (which also interrupts a blocking call); in another thread an
    asynchronous exception, raised when the thread next runs Python code.
    """
    if not seconds or seconds <= 0:
        yield
        return
    main = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    try:
        with _alarm(seconds) if main else _async_alarm(seconds):
            yield
    except _Deadline:
        raise QueryTimeout(f"{what} did not finish within {seconds:g} s (--timeout)", seconds=seconds,
                           hint="narrow it (a LIMIT, fewer cross products, more selective patterns) or give a "
                                "larger --timeout (0: no limit)") from None


def call_within(seconds: float | None, call: Callable[[], T], *, what: str = "the query") -> T:
    """``call()``, stopped after ``seconds`` (None or 0: no limit) with :class:`QueryTimeout`, for engines that
    evaluate in native code with the GIL released (pyoxigraph), where a signal handler would wait until the engine
    returns. The call runs in a daemon thread that is left to finish on its own when the time is up (the command
    then exits, which ends it).
    """
    if not seconds or seconds <= 0:
        return call()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread below
            outcome["error"] = exc

    worker = threading.Thread(target=work, name=f"ccgkg query: {what}", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise QueryTimeout(f"{what} did not finish within {seconds:g} s (--timeout)", seconds=seconds,
                           hint="narrow it (a LIMIT, fewer cross products, more selective patterns) or give a "
                                "larger --timeout (0: no limit)")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def ring(_signum: int, _frame: Any) -> None:
        raise _Deadline

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _async_alarm(seconds: float) -> Iterator[None]:
    ident = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def ring() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(_Deadline))

    timer = threading.Timer(seconds, ring)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
            timer.cancel()
            if state["fired"]:  # clear a pending exception that has not been raised yet
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), None)


# ------------------------------------------------------------------------------------------------------ limits


def with_limit(text: str, limit: int | None) -> str:
    """``text`` with its outer ``LIMIT`` at most ``limit`` (added when it has none; None: unchanged).

    The outer LIMIT is the one after the outer WHERE group (any before a final ``VALUES`` block); a sub-select's
    LIMIT is inside the group and is left alone.
    """
    if limit is None:
        return text
    from ccgkg.queries import _tokens, _where_group

    _start, end = _where_group(text)
    end += 1  # past the group's closing brace
    depth, pos = 0, end
    values_at = None
    for kind, tok in _tokens(text[end:]):
        if kind in ("open", "close"):
            depth += 1 if kind == "open" else -1
        elif kind == "word" and depth == 0 and tok.upper() == "LIMIT":
            number_at = pos + len(tok)
            digits = re.match(r"\s*([0-9]+)", text[number_at:])
            if digits is None:
                raise QuerySyntaxError("LIMIT without a number")
            keep = min(int(digits.group(1)), limit)
            return f"{text[:number_at]} {keep}{text[number_at + digits.end():]}"
        elif kind == "word" and depth == 0 and tok.upper() == "VALUES" and values_at is None:
            values_at = pos
        pos += len(tok)
    cut = values_at if values_at is not None else len(text)
    return f"{text[:cut].rstrip()}\nLIMIT {limit}\n{text[cut:]}"


__all__ = ["DEFAULT_TIMEOUT_S", "QueryShape", "call_within", "check_iri", "guard_query", "inspect", "parse", "time_limit",
           "with_limit"]
