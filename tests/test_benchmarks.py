"""CI's smoke run of benchmarks/bench_fastpaths.py: the bundled sample and 2,000 generated practice rows, every
equality check (pyoxigraph against rdflib on each named query, the streamed import against the graph path, infer's
file against the graph-building writer, the pushed store against the query graph); no timing is asserted."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.mark.slow
@pytest.mark.server
def test_the_benchmark_smoke_run_finds_every_path_equal(capsys: pytest.CaptureFixture[str]) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location("bench_fastpaths", BENCHMARKS / "bench_fastpaths.py")
        assert spec is not None and spec.loader is not None
        bench = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(bench)
        code = bench.main(["--smoke"])
    finally:
        sys.path.remove(str(BENCHMARKS))
    out = capsys.readouterr().out
    assert code == 0, out
    equal = [line for line in out.splitlines() if line.strip().startswith("equal: ")]
    assert equal and all(line.endswith(": yes") for line in equal), out
    assert sum("pyoxigraph = rdflib" in line for line in equal) == 13
    assert "| infer (owlrl, .nq) |" in out and "| named queries in-process (median) |" in out
