"""Fixtures of the publishing tests: the bundled sample published once as a site, the WSGI app over it, and the
site written to a folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccgkg import store
from ccgkg.publish import Site
from ccgkg.server import App, make_app


@pytest.fixture(scope="session")
def site() -> Site:
    return Site(store.sample_graph())


@pytest.fixture(scope="session")
def app(site: Site) -> App:
    return make_app(site)


@pytest.fixture(scope="session")
def written(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    site.write(str(out))
    return out
