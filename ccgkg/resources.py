"""Find the bundled ontology, shapes, queries and sample data.

They ship inside the package (``ccgkg/bundled/``) and are found with :mod:`importlib.resources` only, so ccgkg
works installed from a wheel and from any working directory. In a source checkout ``ccgkg/bundled/*`` are
symlinks to the top-level ``ontology/``, ``shapes/``, ``queries/`` and ``data/sample/`` folders.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

KINDS = ("ontology", "shapes", "queries", "sample")


def bundled(kind: str) -> Traversable:
    """The bundled folder of ``kind`` (one of ``KINDS``)."""
    if kind not in KINDS:
        raise ValueError(f"unknown bundled kind {kind!r}; expected one of {', '.join(KINDS)}")
    return files("ccgkg").joinpath("bundled", kind)


def bundled_files(kind: str, suffixes: tuple[str, ...]) -> list[Traversable]:
    """Every bundled file of ``kind`` whose name ends with one of ``suffixes``, sorted by relative path."""
    found: list[tuple[str, Traversable]] = []

    def walk(node: Traversable, rel: str) -> None:
        for child in node.iterdir():
            child_rel = f"{rel}/{child.name}" if rel else child.name
            if child.is_dir():
                walk(child, child_rel)
            elif child.name.endswith(suffixes):
                found.append((child_rel, child))

    root = bundled(kind)
    if root.is_dir():
        walk(root, "")
    return [t for _, t in sorted(found, key=lambda pair: pair[0])]


def ontology_files() -> list[Traversable]:
    """The Turtle files of the bundled ontology (core, concepts and one module per Act or instrument)."""
    return bundled_files("ontology", (".ttl",))


def shapes_files() -> list[Traversable]:
    """The Turtle files of the bundled SHACL shapes."""
    return bundled_files("shapes", (".ttl",))


def query_files() -> list[Traversable]:
    """The bundled named queries (``*.rq``)."""
    return bundled_files("queries", (".rq",))


__all__ = ["KINDS", "bundled", "bundled_files", "ontology_files", "query_files", "shapes_files"]
