"""SHACL validation engines behind one small interface, so a faster engine can replace a slow one.

``pyshacl`` is the reference engine: every other engine must return the same results on the same graphs.
An engine takes a data graph that already holds the ontology and any inferred triples (ccgkg reasons first,
see :mod:`ccgkg.reasoning`) and returns a standard ``sh:ValidationReport`` graph.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from rdflib import Graph

from ccgkg.errors import ShapesError, UnknownProfileError


class ValidationEngine(Protocol):
    """Validates a prepared data graph against a shapes graph."""

    name: str

    def validate(self, data: Graph, shapes: Graph) -> Graph:
        """The ``sh:ValidationReport`` graph for ``data`` against ``shapes`` (no inference is run here)."""
        ...


class PyShaclEngine:
    """The reference engine: pySHACL with SHACL-SPARQL (``advanced=True``) and no inference of its own."""

    name = "pyshacl"

    def validate(self, data: Graph, shapes: Graph) -> Graph:
        import pyshacl
        from pyshacl.errors import ReportableRuntimeError

        try:
            _conforms, report, _text = pyshacl.validate(
                data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True,
                abort_on_first=False, meta_shacl=False, debug=False,
            )
        except ReportableRuntimeError as exc:
            raise ShapesError(f"the shapes could not be loaded: {exc.message}",
                              hint="check the shapes files with `ccgkg validate --shapes FILE`") from None
        return report


#: engine name -> factory. The first entry is the default.
ENGINES: dict[str, Callable[[], ValidationEngine]] = {"pyshacl": PyShaclEngine}
DEFAULT_ENGINE = "pyshacl"


def get_engine(name: str | None = None) -> ValidationEngine:
    """The engine registered as ``name`` (default: ``DEFAULT_ENGINE``)."""
    key = name or DEFAULT_ENGINE
    try:
        return ENGINES[key]()
    except KeyError:
        raise UnknownProfileError(f"unknown validation engine {key!r}",
                                  hint="use one of: " + ", ".join(ENGINES)) from None


__all__ = ["ValidationEngine", "PyShaclEngine", "ENGINES", "DEFAULT_ENGINE", "get_engine"]
