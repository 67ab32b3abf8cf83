"""Validate England: the fast path (rules reasoner + fast engine) against plain ``pyshacl -i owlrl``, same run.

Three pipelines, each from the same data (organisations and dated facts, without the ontology) to a report:

  (a) baseline  ``pyshacl.validate(data + ontology, shacl_graph=shapes, inference="owlrl", advanced=True)``
  (b) reference ``reasoning.closure(data, reasoner="owlrl")`` then the ``pyshacl`` engine
  (c) fast      ``reasoning.closure(data, reasoner="rules")`` then the ``fast`` engine

The data is the real England through the importers when they are merged and ``--source shared`` (or ``auto``
finds them), else the synthetic England of ``benchmarks/england.py`` (250 CCGs, 8,000 practices, 152 HWBs, nine
years). The baselines take minutes on all of England, so by default (a) and (b) run on a slice
(``--baseline-fraction``, 10%) where (c) runs too, and on all of England only (c) runs; their England times are
estimated by scaling the slice linearly, a LOWER bound (both grow at least linearly). ``--full-baseline`` times
(a) on all of England as well, capped by ``--baseline-timeout`` (reported as ">= N s" when hit).

Prints the times and ratios and writes ``benchmarks/results/validate-<UTC time>.json``. With ``--check`` the exit
code asserts the target: (c) at least 10x faster than (a) on the same slice and on the England estimate, (c)'s
results equal to (b)'s, and (c) on all of England within ``--seconds`` (default 60).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import multiprocessing as mp
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout without installing

from rdflib import Graph  # noqa: E402

from ccgkg import engines, reasoning, store  # noqa: E402

STAND_IN_SHAPES = HERE.parent / "tests" / "engines" / "cases" / "england.shapes.ttl"


def _england_module():
    spec = importlib.util.spec_from_file_location("ccgkg_bench_england", HERE / "england.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def load_data(source: str, fraction: float) -> tuple[Graph, str]:
    """The data to validate and a description of where it came from."""
    shared = HERE.parent.parent / "shared" / "data"
    importers = importlib.util.find_spec("ccgkg.importers") is not None
    if source == "shared" or (source == "auto" and importers and shared.is_dir()):
        if fraction != 1.0:
            raise SystemExit("--source shared takes no fraction: use --baseline-fraction 1 with --full-baseline")
        return store.load(shared), f"real data from {shared} through ccgkg.importers"
    england = _england_module()
    size = england.Size().scaled(fraction)
    return england.england(size), f"synthetic England {size} (benchmarks/england.py, seed 2013)"


def load_shapes() -> tuple[Graph, str]:
    bundled = store.shapes_graph()
    if len(bundled):
        return bundled, "bundled shapes (ccgkg.store.shapes_graph())"
    return Graph().parse(STAND_IN_SHAPES), f"stand-in shapes {STAND_IN_SHAPES.relative_to(HERE.parent)}"


def baseline(data: Graph, shapes: Graph) -> tuple[float, set]:
    import pyshacl

    start = time.perf_counter()
    merged = data + store.ontology_graph()
    _c, report, _t = pyshacl.validate(merged, shacl_graph=shapes, inference="owlrl", advanced=True,
                                      allow_warnings=True)
    return time.perf_counter() - start, engines.report_results(report)


def pipeline(data: Graph, shapes: Graph, reasoner: str, engine: str) -> tuple[float, float, set]:
    start = time.perf_counter()
    graph = reasoning.closure(data, "owlrl", reasoner=reasoner)
    middle = time.perf_counter()
    report = engines.get_engine(engine).validate(graph, shapes)
    end = time.perf_counter()
    return middle - start, end - middle, engines.report_results(report)


def _child(kind: str, source: str, fraction: float, queue: mp.Queue) -> None:
    data, _ = load_data(source, fraction)
    shapes, _ = load_shapes()
    if kind == "a":
        seconds, results = baseline(data, shapes)
        queue.put((seconds, None, sorted(map(repr, results))))
    else:
        infer_s, validate_s, results = pipeline(data, shapes, "owlrl", "pyshacl")
        queue.put((infer_s + validate_s, infer_s, sorted(map(repr, results))))


def timed_in_child(kind: str, source: str, fraction: float, timeout: float) -> dict:
    """Run pipeline ``kind`` in a child process, killed after ``timeout`` seconds."""
    queue: mp.Queue = mp.Queue()
    proc = mp.get_context("fork").Process(target=_child, args=(kind, source, fraction, queue))
    proc.start()
    try:
        seconds, infer_s, results = queue.get(timeout=timeout + 120)  # data generation is not timed
    except Exception:  # noqa: BLE001 - queue.Empty: the child ran out of time
        proc.kill()
        proc.join()
        return {"seconds": None, "at_least": timeout, "results": None}
    proc.join()
    return {"seconds": seconds, "infer_seconds": infer_s, "results": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=["auto", "synthetic", "shared"], default="auto")
    parser.add_argument("--baseline-fraction", type=float, default=0.1,
                        help="slice of England on which (a) and (b) are timed (default 0.1)")
    parser.add_argument("--full-baseline", action="store_true", help="also time (a) on all of England")
    parser.add_argument("--baseline-timeout", type=float, default=900.0)
    parser.add_argument("--seconds", type=float, default=60.0, help="--check: (c) on England within this")
    parser.add_argument("--check", action="store_true", help="exit 1 unless the targets are met")
    args = parser.parse_args(argv)

    shapes, shapes_text = load_shapes()
    frac = args.baseline_fraction
    slice_data, slice_text = load_data(args.source, frac) if frac != 1.0 else load_data(args.source, 1.0)
    full_data, full_text = load_data(args.source, 1.0)
    print(f"data: {full_text}; {len(full_data)} triples (slice {frac}: {len(slice_data)} triples)")
    print(f"shapes: {shapes_text}")

    a = timed_in_child("a", args.source, frac, args.baseline_timeout)
    b = timed_in_child("b", args.source, frac, args.baseline_timeout)
    c_infer, c_validate, c_results = pipeline(slice_data, shapes, "rules", "fast")
    c_slice = c_infer + c_validate
    f_infer, f_validate, f_results = pipeline(full_data, shapes, "rules", "fast")
    c_full = f_infer + f_validate
    full_a = timed_in_child("a", args.source, 1.0, args.baseline_timeout) if args.full_baseline else None

    c_repr = sorted(map(repr, c_results))
    same_as_b = b["results"] is not None and c_repr == b["results"]
    same_as_a = a["results"] is not None and c_repr == a["results"]
    a_slice = a["seconds"]
    ratio_slice = (a_slice / c_slice) if a_slice else None
    a_england_estimate = (a_slice / frac) if a_slice else None
    if full_a and full_a["seconds"]:
        a_england_estimate = full_a["seconds"]
    ratio_england = (a_england_estimate / c_full) if a_england_estimate else None

    def show(value: float | None, at_least: float | None = None) -> str:
        return f"{value:8.2f} s" if value is not None else f">= {at_least:.0f} s"

    print(f"slice {frac}: (a) pyshacl -i owlrl      {show(a_slice, a.get('at_least'))}")
    print(f"slice {frac}: (b) owlrl + pyshacl       {show(b['seconds'], b.get('at_least'))}"
          + (f"  (owlrl {b['infer_seconds']:.2f} s)" if b["seconds"] else ""))
    print(f"slice {frac}: (c) rules + fast          {show(c_slice)}  (rules {c_infer:.2f} s, fast {c_validate:.2f} s)")
    print(f"England:    (c) rules + fast          {show(c_full)}  (rules {f_infer:.2f} s, fast {f_validate:.2f} s),"
          f" {len(f_results)} results")
    if full_a:
        print(f"England:    (a) pyshacl -i owlrl      {show(full_a['seconds'], full_a.get('at_least'))}")
    if ratio_slice:
        print(f"ratio (a)/(c) on the slice: {ratio_slice:.1f}x; England (a) "
              f"{'measured' if full_a and full_a['seconds'] else 'estimated, lower bound'} "
              f"{a_england_estimate:.0f} s -> ratio {ratio_england:.1f}x")
    print(f"results: (c) == (b) {same_as_b}; (c) == (a) {same_as_a}; {len(c_results)} on the slice")

    record = {
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "data": full_text, "triples": len(full_data), "slice_fraction": frac, "slice_triples": len(slice_data),
        "shapes": shapes_text,
        "slice": {"a_seconds": a_slice, "a_at_least": a.get("at_least"), "b_seconds": b["seconds"],
                  "b_owlrl_seconds": b.get("infer_seconds"), "c_seconds": c_slice, "c_rules_seconds": c_infer,
                  "c_fast_seconds": c_validate, "results": len(c_results)},
        "england": {"c_seconds": c_full, "c_rules_seconds": f_infer, "c_fast_seconds": f_validate,
                    "results": len(f_results), "a_seconds": full_a["seconds"] if full_a else None,
                    "a_estimate_seconds": a_england_estimate},
        "ratio_slice": ratio_slice, "ratio_england": ratio_england,
        "c_equals_b": same_as_b, "c_equals_a": same_as_a,
    }
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    (out_dir / f"validate-{stamp}.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out_dir / f'validate-{stamp}.json'}")

    if args.check:
        failures = []
        if not same_as_b:
            failures.append("(c) results differ from (b)")
        if ratio_slice is None or ratio_slice < 10:
            failures.append(f"(c) is not 10x faster than (a) on the slice ({ratio_slice})")
        if ratio_england is None or ratio_england < 10:
            failures.append(f"(c) is not 10x faster than (a) on England ({ratio_england})")
        if c_full > args.seconds:
            failures.append(f"(c) took {c_full:.1f} s on England, more than {args.seconds:.0f} s")
        for failure in failures:
            print(f"CHECK FAILED: {failure}")
        return 1 if failures else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
