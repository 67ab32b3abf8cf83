"""What the issue-11 benchmarks share: whole-process measurement (wall time and peak memory of one child process:
/usr/bin/time's report where it is installed, else os.wait4's, which also counts memory the fork copied from this
process) and one table format.

A row is one target: the measured seconds, the baseline seconds measured in the same run (rdflib parsing the same
Turtle, unless the row says otherwise), their ratio against the allowed ratio, the peak memory against its limit,
and whether both are met. ``table(rows)`` prints them; ``write_json(rows, name)`` keeps them in benchmarks/results/.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TIME = "/usr/bin/time"


@dataclass(frozen=True)
class Run:
    """One measured process: wall seconds, peak resident memory (MB) and exit code."""

    what: str
    seconds: float
    peak_mb: float
    exit_code: int


def measure(what: str, argv: list[str], *, ok: tuple[int, ...] = (0,), quiet: bool = False) -> Run:
    """Run ``argv`` in a child process (standard output dropped); its wall time and its own peak memory.

    Raises:
        SystemExit: the process exits with a code not in ``ok`` (its standard error is shown).
    """
    timed = Path(TIME).exists()  # its report is the command's own peak; wait4's counts the memory a fork copied
    start = time.perf_counter()
    proc = subprocess.Popen([TIME, "-f", "ccgkg-peak-kb=%M", *argv] if timed else argv,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read().decode("utf-8", "replace")
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in ok:
        raise SystemExit(f"{what}: exit code {proc.returncode}:\n{err[-2000:]}")
    peak = re.findall(r"ccgkg-peak-kb=(\d+)", err)
    run = Run(what, seconds, (int(peak[-1]) if peak else usage.ru_maxrss) / 1024, proc.returncode)
    if not quiet:
        print(f"  {what}: {run.seconds:.2f} s, {run.peak_mb:.0f} MB", flush=True)
    return run


def python(*code_or_args: str) -> list[str]:
    """A command line running this interpreter."""
    return [sys.executable, *code_or_args]


def ccgkg(*args: str) -> list[str]:
    """A command line running ``ccgkg`` from this checkout with this interpreter."""
    return [sys.executable, "-m", "ccgkg", *args]


def parse_baseline(turtle: Path) -> Run:
    """The baseline of every ratio: a process that parses ``turtle`` with rdflib and stops."""
    return measure(f"rdflib parse {turtle.name} (baseline)",
                   python("-c", f"from rdflib import Graph; Graph().parse({str(turtle)!r})"))


@dataclass(frozen=True)
class Row:
    """One target of the table.

    ``limit_ratio``: the most ``seconds / baseline_s`` may be (None: reported, no target); ``limit_s``: the most
    the seconds may be (a target in seconds, e.g. a query's median); ``limit_mb``: the most the peak memory may be.
    """

    target: str
    seconds: float
    baseline_s: float
    limit_ratio: float | None = None
    peak_mb: float | None = None
    limit_mb: float | None = None
    note: str = ""
    limit_s: float | None = None

    @property
    def ratio(self) -> float:
        return self.seconds / self.baseline_s if self.baseline_s else float("inf")

    @property
    def met(self) -> bool | None:
        if self.limit_ratio is None and self.limit_mb is None and self.limit_s is None:
            return None
        time_ok = ((self.limit_ratio is None or self.ratio <= self.limit_ratio)
                   and (self.limit_s is None or self.seconds <= self.limit_s))
        memory_ok = self.limit_mb is None or (self.peak_mb is not None and self.peak_mb <= self.limit_mb)
        return time_ok and memory_ok


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table (README shows it as it is printed)."""
    lines = ["| target | seconds | baseline s | ratio | allowed | peak MB | MB limit | met | note |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for r in rows:
        met = {True: "yes", False: "NO", None: "-"}[r.met]
        lines.append(f"| {r.target} | {r.seconds:.2f} | {r.baseline_s:.2f} | {r.ratio:.2f} | "
                     f"{_allowed(r)} | "
                     f"{'-' if r.peak_mb is None else f'{r.peak_mb:.0f}'} | "
                     f"{'-' if r.limit_mb is None else f'{r.limit_mb:.0f}'} | {met} | {r.note} |")
    return "\n".join(lines)


def _allowed(row: Row) -> str:
    parts = ([f"{row.limit_ratio:.3g}x"] if row.limit_ratio is not None else []) + (
        [f"{row.limit_s:g} s"] if row.limit_s is not None else [])
    return ", ".join(parts) or "-"


def write_json(rows: list[Row], name: str, extra: dict[str, object] | None = None) -> Path:
    """Keep the rows in benchmarks/results/NAME-<UTC time>.json (with the machine's description)."""
    folder = HERE / "results"
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"{name}-{stamp}.json"
    record = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                          "load_average": os.getloadavg()},
              "rows": [asdict(r) | {"ratio": r.ratio, "met": r.met} for r in rows], **(extra or {})}
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return path
