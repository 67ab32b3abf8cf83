"""Time ``ccgkg.validation.validate`` on all of England, every judging day, against plain pySHACL in the same run.

The data is the real England imported from ``../shared/data`` (``ccgkg.importers.ods.import_ods`` on the ODS
CCG and practice files, the ONS lookups and the CCG successors: what ``ccgkg import ods`` makes) when those files
are there (``--source auto`` or ``shared``), else the synthetic England of ``benchmarks/england.py``.

Timed, in this order:

  (1) ccgkg     ``validate(england)``: the core shapes once and the legal shapes on every judging day
  (2) ccgkg     ``validate(england, as_of=DAY)``: one judging day
  (3) ccgkg     ``validate(slice, as_of=DAY)`` on a slice of England (every Nth CCG with its practices, memberships
                and area overlaps; ``--slice-step``)
  (4) baseline  plain ``pyshacl.validate(snapshot + ontology, shacl_graph=shapes, inference="owlrl", advanced=True)``
                on the slice's snapshot of DAY (the financial years added as ``validate`` does), capped by
                ``--baseline-timeout``

and reports the ratios (4)/(3) (the same day on the same slice) and, as an estimate, the baseline scaled to every
judging day of all England against (1): (4) x (England triples / slice triples) x judging days / (1), a LOWER bound
(pySHACL with owlrl grows at least linearly). Ratios against the baseline measured in the same run are the targets;
absolute times depend on the machine. Writes ``benchmarks/results/validate-england-<UTC time>.json``.
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
from rdflib.namespace import RDF  # noqa: E402

from ccgkg import store, temporal, validation  # noqa: E402
from ccgkg.namespaces import CCGKG  # noqa: E402
from ccgkg.engines import pyshacl_shapes  # noqa: E402

SHARED = HERE.parent.parent / "shared" / "data"
#: the files ``ccgkg import ods`` is given to make the real England (relative to ../shared/data).
REAL_ENGLAND = ("ods/eccg_2025-12_jhau_nhs-spend.csv", "practices/epraccur_2023-02_psychty.csv", "ons", "lookups",
                "derived/ccg_successors.csv")
DAY = dt.date(2016, 10, 17)


def load_england(source: str, fraction: float) -> tuple[Graph, str]:
    """All of England and where it came from."""
    files = [SHARED / f for f in REAL_ENGLAND]
    real = importlib.util.find_spec("ccgkg.importers.ods") is not None and all(f.exists() for f in files)
    if source == "shared" or (source == "auto" and real):
        from ccgkg.importers.ods import import_ods

        return import_ods(files).graph, f"real England: ccgkg import ods {' '.join(REAL_ENGLAND)} (in {SHARED})"
    spec = importlib.util.spec_from_file_location("ccgkg_bench_england", HERE / "england.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    size = module.Size().scaled(fraction)
    return module.england(size), f"synthetic England {size} (benchmarks/england.py, seed 2013)"


def england_slice(data: Graph, step: int) -> Graph:
    """Every ``step``-th CCG (by IRI) with its memberships, their practices and its area overlaps; every other node
    (local authorities, boards, ICBs, ...) kept; triples naming a dropped node dropped."""
    ccgs = sorted(data.subjects(RDF.type, CCGKG.ClinicalCommissioningGroup), key=str)
    keep = set(ccgs[::step])
    drop = set(ccgs) - keep
    memberships = set(data.subjects(RDF.type, CCGKG.PracticeMembership))
    drop |= {m for m in memberships if data.value(m, CCGKG.group) not in keep}
    practices = {data.value(m, CCGKG.practice) for m in memberships - drop}
    drop |= {p for p in data.subjects(RDF.type, CCGKG.GPPractice) if p not in practices}
    drop |= {a for a in data.subjects(RDF.type, CCGKG.AreaOverlap) if data.value(a, CCGKG.areaOf) not in keep}
    out = Graph()
    out.addN((s, p, o, out) for s, p, o in data if s not in drop and o not in drop)
    return out


def _baseline_child(snapshot: Graph, queue: mp.Queue) -> None:
    import pyshacl

    start = time.perf_counter()
    shapes = pyshacl_shapes(store.shapes_graph())  # a copy: pySHACL adds its system triples to what it gets
    conforms, report, _text = pyshacl.validate(snapshot + store.ontology_graph(), shacl_graph=shapes,
                                               inference="owlrl", advanced=True, allow_warnings=True)
    queue.put((time.perf_counter() - start, len(list(report.objects(None, None)))))


def baseline(snapshot: Graph, timeout: float) -> float | None:
    """Seconds plain pySHACL with owlrl takes on ``snapshot`` (in a child process; None when over ``timeout``)."""
    queue: mp.Queue = mp.Queue()
    proc = mp.get_context("fork").Process(target=_baseline_child, args=(snapshot, queue))
    proc.start()
    try:
        seconds, _size = queue.get(timeout=timeout)
    except Exception:  # noqa: BLE001 - queue.Empty: out of time
        proc.kill()
        proc.join()
        return None
    proc.join()
    return seconds


def timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=["auto", "synthetic", "shared"], default="auto")
    parser.add_argument("--fraction", type=float, default=1.0, help="synthetic England only: its size (default 1)")
    parser.add_argument("--slice-step", type=int, default=8, help="the baseline slice: every Nth CCG (default 8)")
    parser.add_argument("--day", type=dt.date.fromisoformat, default=DAY, help="the one day (default 2016-10-17)")
    parser.add_argument("--baseline-timeout", type=float, default=1800.0)
    args = parser.parse_args(argv)

    store.ontology_graph(), store.shapes_graph()  # parsed once, not timed
    england, text = load_england(args.source, args.fraction)
    part = england_slice(england, args.slice_step)
    days = validation.judging_days(validation.with_financial_years(england),
                                   [r for r in validation.shape_rules(store.shapes_graph()) if r.provisions])
    print(f"data: {text}; {len(england)} triples, {len(days)} judging days; slice (every {args.slice_step}th CCG) "
          f"{len(part)} triples")

    all_s, result = timed(validation.validate, england)
    print(f"(1) validate(England), all {len(days)} days:   {all_s:8.1f} s  {len(result.findings)} findings")
    day_s, day_result = timed(validation.validate, england, as_of=args.day)
    print(f"(2) validate(England, as_of={args.day}): {day_s:8.1f} s  {len(day_result.findings)} findings")
    slice_s, slice_result = timed(validation.validate, part, as_of=args.day)
    print(f"(3) validate(slice, as_of={args.day}):   {slice_s:8.1f} s  {len(slice_result.findings)} findings")
    snapshot = temporal.snapshot(validation.with_financial_years(part), args.day)
    base_s = baseline(snapshot, args.baseline_timeout)
    shown = f"{base_s:8.1f} s" if base_s is not None else f">= {args.baseline_timeout:.0f} s (timed out)"
    print(f"(4) pyshacl -i owlrl, slice snapshot {args.day}: {shown}")
    base = base_s if base_s is not None else args.baseline_timeout
    ratio_day = base / slice_s
    estimate = base * len(england) / len(part) * len(days)
    ratio_all = estimate / all_s
    print(f"ratio (4)/(3), same day, same slice: {ratio_day:.1f}x")
    print(f"ratio pySHACL estimate for England x {len(days)} days ({estimate:.0f} s, lower bound) / (1): "
          f"{ratio_all:.1f}x")

    record = {
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "data": text, "triples": len(england), "judging_days": len(days), "slice_step": args.slice_step,
        "slice_triples": len(part), "day": args.day.isoformat(),
        "validate_all_days_seconds": all_s, "validate_all_days_findings": len(result.findings),
        "validate_one_day_seconds": day_s, "validate_slice_day_seconds": slice_s,
        "pyshacl_owlrl_slice_day_seconds": base_s, "pyshacl_timeout": args.baseline_timeout,
        "ratio_same_day_slice": ratio_day, "pyshacl_england_all_days_estimate_seconds": estimate,
        "ratio_all_days_estimate": ratio_all,
    }
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = out_dir / f"validate-england-{stamp}.json"
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
