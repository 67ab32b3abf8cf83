"""Fixtures of the query tests: the fixture organisations and report, the graph queries run on, and a real
Oxigraph server started on 127.0.0.1 for the tests marked ``server``."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph

from ..processes import free_port, stop

FIXTURES = Path(__file__).parent / "fixtures"
DATA_FILES = tuple(str(FIXTURES / name) for name in ("orgs.ttl", "posts.ttl", "finance.ttl"))
REPORT_FILE = FIXTURES / "report.ttl"


@pytest.fixture(scope="session")
def fixture_data() -> Graph:
    """The fixture organisations, posts and financial returns."""
    from ccgkg import store

    return store.load(*DATA_FILES)


@pytest.fixture(scope="session")
def fixture_report() -> Graph:
    """The hand-written validation report graph."""
    return Graph().parse(REPORT_FILE)


@pytest.fixture(scope="session")
def fixture_graph(fixture_data: Graph, fixture_report: Graph) -> Graph:
    """What named queries run on: fixture data + ontology + RDFS entailments + shapes + catalogue + report."""
    from ccgkg import queries

    return queries.query_graph(fixture_data, inference="rdfs", report=fixture_report)


@pytest.fixture(scope="session")
def sample_with_report() -> tuple[Graph, Graph]:
    """The bundled sample and its validation report graph, made once for the session (validation takes seconds)."""
    from ccgkg import queries, store

    data = store.sample_graph()
    return data, queries.validation_report(data)


@dataclass(frozen=True)
class Server:
    """A running Oxigraph server: its base URL and SPARQL Protocol / Graph Store Protocol endpoints."""

    base: str

    @property
    def query(self) -> str:
        return self.base + "/query"

    @property
    def update(self) -> str:
        return self.base + "/update"

    @property
    def store(self) -> str:
        return self.base + "/store"


def _oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        pytest.skip("the oxigraph server (PyPI package `oxigraph`, in the test extra) is not installed")
    return found


@contextlib.contextmanager
def serving(location: Path, command: str = "serve") -> Iterator[Server]:
    """``oxigraph COMMAND`` (``serve`` or ``serve-read-only``) on a free port of 127.0.0.1 over the store in
    ``location``; stopped after."""
    port = free_port()
    with open(location.parent / f"{location.name}.log", "wb") as log:
        process = subprocess.Popen([_oxigraph_binary(), command, "--location", str(location), "--bind",
                                    f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
        server = Server(f"http://127.0.0.1:{port}")
        try:
            _wait_until_ready(server, process)
            yield server
        finally:
            stop(process)


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``oxigraph serve`` on a free port of 127.0.0.1 with its store in a temporary folder; stopped after."""
    with serving(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


def _wait_until_ready(server: Server, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(server.base + "/", timeout=2):
                return
        except (urllib.error.URLError, OSError):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"oxigraph did not start at {server.base}") from None
            time.sleep(0.2)
