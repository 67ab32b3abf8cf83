"""Benchmark: import the full 2023 epraccur and 2025 eccg ODS files; report wall time and peak memory.

Run from the repository root: ``python benchmarks/bench_import.py [DATA_DIR]`` (default ../shared/data, or
$CCGKG_SHARED_DATA). The baseline, measured in the same run, is reading the same files with the csv module only;
the ratio importer/baseline is the number to watch. Not part of the pytest run.
"""

from __future__ import annotations

import csv
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from ccgkg.importers import import_ods, serialize

FILES = ("practices/epraccur_2023-02_psychty.csv", "ods/eccg_2025-12_jhau_nhs-spend.csv")


def measure(fn: Callable[[], object]) -> tuple[float, float, object]:
    """Wall seconds of one untraced call, and peak traced memory (MiB) of a second, traced call.

    tracemalloc slows Python down several times, so time and memory come from separate runs.
    """
    start = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20, value


def baseline(paths: list[Path]) -> int:
    rows = 0
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            rows += sum(1 for _ in csv.reader(handle))
    return rows


def main(argv: list[str]) -> int:
    data = Path(argv[1] if len(argv) > 1 else os.environ.get("CCGKG_SHARED_DATA", Path(__file__).resolve().parents[2]
                                                               / "shared" / "data"))
    paths = [data / f for f in FILES]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"real data not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    base_s, base_mb, rows = measure(lambda: baseline(paths))
    imp_s, imp_mb, result = measure(lambda: import_ods(paths))
    ser_s, ser_mb, _ = measure(lambda: serialize(result.graph, "nt"))  # type: ignore[attr-defined]
    print(f"input: {', '.join(FILES)} ({rows} rows, {len(result.graph)} triples out)")  # type: ignore[attr-defined]
    print(f"{'step':<28} {'seconds':>8} {'peak MiB':>9} {'x baseline':>11}")
    for name, s, mb in (("csv.reader only (baseline)", base_s, base_mb), ("import_ods", imp_s, imp_mb),
                        ("serialise sorted N-Triples", ser_s, ser_mb)):
        print(f"{name:<28} {s:>8.2f} {mb:>9.1f} {s / base_s:>11.1f}")
    try:
        import resource

        print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    except ImportError:  # not on Windows
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
