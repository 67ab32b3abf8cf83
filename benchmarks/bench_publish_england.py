"""Time ``ccgkg publish`` on all of England against the one-day validation it contains, in the same run.

The data is what ``benchmarks/bench_validate_england.py`` loads (the real England from ``../shared/data`` when
there, else its synthetic England). Timed, in this order:

  (1) baseline  ``validation.validate(england, as_of=DAY)``: the one judging day publish validates
  (2) ccgkg     ``Site(england, as_of=DAY)`` then ``Site.write(tmp)``: the whole site (pages, RDF files, dumps,
                dataset description, sitemap)

and reports (2)/(1): how many one-day validations the whole publish costs. The issue's target is all England in
under a minute; with one day's validation about 25 s on an idle machine that is a ratio of about 2.4. Writes
``benchmarks/results/publish-england-<UTC time>.json``.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout without installing

from ccgkg import validation
from ccgkg.publish import Site

DAY = dt.date(2016, 10, 17)
TARGET_RATIO = 2.4


def main() -> None:
    spec = importlib.util.spec_from_file_location("ccgkg_bench_validate_england", HERE / "bench_validate_england.py")
    bench = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(bench)  # type: ignore[union-attr]
    data, source = bench.load_england("auto", 1.0)
    start = time.perf_counter()
    validation.validate(data, as_of=DAY)
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        site = Site(data, as_of=DAY)
        files = site.write(str(Path(tmp) / "site"))
    published = time.perf_counter() - start
    ratio = published / baseline
    result = {"source": source, "data_triples": len(data), "resources": len(site.pages), "files": files,
              "validate_one_day_s": round(baseline, 2), "publish_s": round(published, 2), "ratio": round(ratio, 2),
              "target_ratio": TARGET_RATIO, "meets_target": ratio <= TARGET_RATIO, "python": platform.python_version()}
    print(json.dumps(result, indent=1))
    out = HERE / "results" / f"publish-england-{dt.datetime.now(dt.UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
