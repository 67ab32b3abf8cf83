"""Fixtures of the validation tests: the bundled sample validated once per session (fast engine and pySHACL)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from ccgkg import store, validation


@pytest.fixture(scope="session")
def sample():
    return store.sample_graph()


@pytest.fixture(scope="session")
def sample_result(sample):
    return validation.validate(sample)


def rows(result) -> list[tuple]:
    """(severity, organisation code, provision CURIEs, first day, last day) of each finding, in order."""
    return [(f.severity, f.organisation_code, tuple(p.curie for p in f.provisions),
             f.date.isoformat() if f.date else None, f.until.isoformat() if f.until else None)
            for f in result.findings]


TESTS = Path(__file__).resolve().parents[1]


def load_test_module(relative: str) -> ModuleType:
    """Another test module, imported by path (test folders are not packages on sys.path)."""
    path = TESTS / relative
    name = "ccgkg_tests_" + relative.replace("/", "_").removesuffix(".py")
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
