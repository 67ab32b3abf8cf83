"""Fixtures of the validation tests: the bundled sample validated once per session (fast engine and pySHACL)."""

from __future__ import annotations

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
