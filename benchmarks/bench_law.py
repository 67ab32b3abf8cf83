"""Benchmark: the OWL 2 RL closure of the bundled law ontology, and `law duties` / `law resolve` lookups.

Run from the repository root: ``python benchmarks/bench_law.py [--check]``. The baseline, measured in the same
run, is parsing the bundled ontology (rdflib, every module); the numbers to watch are closure/parse and the time
of one lookup against the parse. ``--check`` fails (exit 1) when the closure takes more than 40 parses or a
``duties`` call more than one parse. Not part of the pytest run.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from rdflib import Graph

from ccgkg import law, resources
from ccgkg.store import ontology_graph


def seconds(fn: Callable[[], object], repeat: int = 1) -> float:
    """The best wall time of ``repeat`` calls."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def parse() -> Graph:
    g = Graph()
    for res in resources.ontology_files():
        g.parse(data=res.read_bytes(), format="turtle")
    return g


def main(argv: list[str]) -> int:
    base = seconds(parse, repeat=3)
    graph = ontology_graph()
    law.index()
    closure = seconds(lambda: law.owlrl_clashes(graph))
    duties = seconds(lambda: law.duties("ccg", dt.date(2016, 10, 17)), repeat=5)
    resolve = seconds(lambda: law.resolve("https://www.legislation.gov.uk/ukpga/2006/41/section/14Z2/5"), repeat=5)
    report = {"triples": len(graph), "parse_s": round(base, 3), "closure_s": round(closure, 3),
              "closure_over_parse": round(closure / base, 1), "duties_s": round(duties, 4),
              "resolve_s": round(resolve, 5)}
    print(json.dumps(report, indent=2))
    if "--check" in argv and (closure > 40 * base or duties > base):
        print("too slow against the parse baseline", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
