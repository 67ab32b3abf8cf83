"""The validation benchmark at a small scale (issue 11): it runs end to end and the fast path's findings equal the
reference path's (``--engine batched``, day by day on snapshots); no timing is asserted."""

from __future__ import annotations

import pytest

from .conftest import load_test_module


@pytest.mark.slow
def test_benchmark_smoke_has_identical_findings(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load_test_module("../benchmarks/bench_validate_timemodel.py")
    assert bench.main(["--smoke"]) == 0
    out = capsys.readouterr().out
    assert "findings equal to --engine batched: True" in out
    rows = [line for line in out.splitlines() if line.startswith("| synthetic:0.02 |")]
    assert [row.split(" | ")[1] for row in rows] == ["parse", "reference batched"]
    assert rows[1].endswith("| identical findings | yes |")
