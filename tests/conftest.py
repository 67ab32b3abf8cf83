"""Fixtures shared by every test folder. Folder-specific fixtures live in that folder's conftest.py."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rdflib import Graph

if TYPE_CHECKING:
    from ccgkg.importers import ImportResult

REPO = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    """The real NHS data folder: $CCGKG_SHARED_DATA, else ../shared/data beside the checkout."""
    env = os.environ.get("CCGKG_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path to ../shared/data; tests that need it skip, saying why, when it is absent."""
    path = shared_data_dir()
    if not (path / "README.md").is_file():
        pytest.skip(f"real NHS data not found at {path} (set CCGKG_SHARED_DATA or place shared/ beside the checkout)")
    return path


@pytest.fixture(scope="session")
def ontology() -> Graph:
    """The bundled ontology, parsed once for the session. Tests must not mutate it (copy it first)."""
    from ccgkg.store import ontology_graph

    return ontology_graph()


@pytest.fixture(scope="session")
def real_england_import(shared_data: Path) -> ImportResult:
    """``ccgkg import ods ../shared/data``: the real England (every ODS and ONS file of the folder), imported once
    for the session with its counts. Tests must not mutate its graph."""
    from ccgkg.importers import import_ods

    return import_ods([shared_data])


@pytest.fixture(scope="session")
def real_england(real_england_import: ImportResult) -> Graph:
    """The graph of :func:`real_england_import`. Tests must not mutate it."""
    return real_england_import.graph


@pytest.fixture(scope="session")
def ods_import() -> Callable[..., ImportResult]:
    """``import_ods`` with its results kept for the session: tests that import the same real files share one
    import (each takes seconds). Tests must not mutate the graphs."""
    from ccgkg.importers import import_ods

    cache: dict[tuple[Path, ...], ImportResult] = {}

    def imported(*paths: Path) -> ImportResult:
        if paths not in cache:
            cache[paths] = import_ods(list(paths))
        return cache[paths]

    return imported


#: Tests that take seconds each (measured with --durations on this 2-core machine), marked ``slow`` here so that
#: the fast part (-m 'not slow and not realdata and not server') stays short; the whole suite still runs them.
SLOW_TESTS = (
    "tests/validation/test_day_graphs.py::test_each_state_equals_its_definition",
    "tests/queries/test_formats.py::test_named_queries_give_the_same_rows_under_every_inference_profile",
    "tests/engines/test_engines.py::test_generated_england_slice_same_results_as_pyshacl",
    "tests/test_readme.py::test_tour_examples_print_what_the_readme_shows",
    "tests/unit/test_core_modules.py::test_infer_keeps_inferred_apart_and_merges_the_ontology",
    "tests/engines/test_reasoning.py::test_rules_equal_owlrl_on_ontology_and_sample",
    "tests/engines/test_reasoning.py::test_rules_equal_owlrl_on_generated_england_slice",
    "tests/law/test_ontology.py::test_bundled_ontology_is_owl_rl_consistent",
    "tests/validation/test_equivalence.py::test_fast_engine_equals_plain_pyshacl_on_a_day",
    "tests/validation/test_docs_validate.py::test_every_example_prints_what_the_doc_shows",
)


#: Fixtures that take seconds to build or start (real England, the wheel's venv, the Oxigraph server, the OWL-RL
#: closure). pytest-xdist (``-n auto --dist loadgroup`` in pyproject.toml) runs the tests that use one of them on
#: one worker, so each is built once per session and not once per worker.
ONCE_PER_SESSION = ("real_england_import", "installed", "oxigraph", "closure")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that reads ../shared/data is marked ``realdata`` (deselect them with -m 'not realdata'), the
    tests of ``SLOW_TESTS`` ``slow``, and the tests that use a fixture of ``ONCE_PER_SESSION`` are grouped by it."""
    root = Path(str(config.rootpath))
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "shared_data" in fixtures:
            item.add_marker(pytest.mark.realdata)
        for name in ONCE_PER_SESSION:
            if name in fixtures:
                item.add_marker(pytest.mark.xdist_group(name))
                break
        where = f"{item.path.relative_to(root).as_posix()}::{item.name.split('[')[0]}"
        if where in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
