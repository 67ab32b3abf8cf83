"""Fixtures shared by every test folder. Folder-specific fixtures live in that folder's conftest.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph

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
def real_england(shared_data: Path) -> Graph:
    """``ccgkg import ods ../shared/data``: the real England (every ODS and ONS file of the folder), imported once
    for the session. Tests must not mutate it."""
    from ccgkg.importers import import_ods

    return import_ods([shared_data]).graph


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that reads ../shared/data is marked ``realdata`` (deselect them with -m 'not realdata')."""
    for item in items:
        if "shared_data" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.realdata)
