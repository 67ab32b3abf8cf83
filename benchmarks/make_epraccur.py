"""Write a large epraccur file for the import benchmark: the real 2023 epraccur rows of ../shared/data repeated
with generated practice codes (``Y`` then five base-36 digits), every other column as published.

Run from the repository root: ``python benchmarks/make_epraccur.py OUT.csv [ROWS] [DATA_DIR]`` (default 200000 rows;
DATA_DIR default ../shared/data or $CCGKG_SHARED_DATA). The file is for benchmarks only: never commit it.
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

SOURCE = "practices/epraccur_2023-02_psychty.csv"
_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def code(number: int) -> str:
    """The generated practice code of row ``number``: ``Y`` and five base-36 digits (an ODS code shape)."""
    digits = ""
    for _ in range(5):
        number, rest = divmod(number, 36)
        digits = _DIGITS[rest] + digits
    return "Y" + digits


def shared_data() -> Path:
    env = os.environ.get("CCGKG_SHARED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"


def write(out: Path, rows: int, data: Path) -> int:
    """Write ``rows`` rows to ``out``; return how many were written."""
    with (data / SOURCE).open(encoding="utf-8", newline="") as handle:
        real = [r for r in csv.reader(handle) if r]
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for i in range(rows):
            row = list(real[i % len(real)])
            row[0] = code(i)
            writer.writerow(row)
    return rows


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    rows = int(argv[2]) if len(argv) > 2 else 200_000
    data = Path(argv[3]) if len(argv) > 3 else shared_data()
    print(f"wrote {write(Path(argv[1]), rows, data)} rows to {argv[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
