"""Benchmark: every named query with its default parameters on a synthetic England (benchmarks/england.py),
in-process with rdflib (what ``ccgkg query`` runs) and with Oxigraph (what a pushed store runs).

Run from the repository root: ``python benchmarks/bench_queries.py [--fraction F] [--check]``. The baseline,
measured in the same run, is building the query graph (data + ontology + RDFS inference + shapes + catalogue);
each query is reported as seconds and as a ratio to that build, with its row count (both engines must agree:
the run fails otherwise). ``--check`` also fails (exit 1) when an rdflib query takes more than three builds.
Not part of the pytest run. Measured on a quarter of England (2 cores): the build 5 s; every query under 1 build in
rdflib except list-governing-body (about 2 builds: one OPTIONAL per CCG and role) and find-hwb-gaps (0.7); every
query under 0.1 s in Oxigraph except find-hwb-gaps (about 2 s). For all of England, push to a store and query it
with --endpoint.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

import pyoxigraph as ox

from ccgkg import queries
from ccgkg.results import parse_json_results


def _england_module():
    spec = importlib.util.spec_from_file_location("ccgkg_bench_england", Path(__file__).with_name("england.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fraction", type=float, default=1.0, help="size of the synthetic England (1 = full)")
    parser.add_argument("--check", action="store_true", help="fail when a query takes more than three builds")
    args = parser.parse_args(argv)
    england = _england_module()
    data = england.england(england.Size.england().scaled(args.fraction))
    start = time.perf_counter()
    graph = queries.query_graph(data, inference="rdfs")
    build = time.perf_counter() - start
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    report: dict[str, object] = {"triples": len(graph), "build_s": round(build, 2), "queries": {}}
    failed = []
    for q in queries.list_queries():
        bound = queries.bind(q, {})
        start = time.perf_counter()
        here = queries.run(bound, graph)
        rdflib_s = time.perf_counter() - start
        start = time.perf_counter()
        there = parse_json_results(store.query(bound.text).serialize(format=ox.QueryResultsFormat.JSON))
        oxigraph_s = time.perf_counter() - start
        if here != there:
            failed.append(f"{q.name}: rdflib and Oxigraph disagree")
        if args.check and rdflib_s > 3 * build:
            failed.append(f"{q.name}: {rdflib_s:.2f} s in rdflib, more than three builds ({build:.2f} s each)")
        report["queries"][q.name] = {"rows": len(here.rows), "rdflib_s": round(rdflib_s, 3),  # type: ignore[index]
                                     "oxigraph_s": round(oxigraph_s, 3), "rdflib_per_build": round(rdflib_s / build, 3)}
    print(json.dumps(report, indent=2))
    for line in failed:
        print(f"FAIL {line}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
