"""Table-driven check of the law modules against tests/law/provisions_reference.csv, a transcription of
shared/reference/legal_facts.md sections 1-7 as corrected by legal_verification.md: holder, force, in-force dates
and verification status of every provision, row by row, and no provision or norm missing from the table."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ccgkg import law

TABLE = Path(__file__).with_name("provisions_reference.csv")
ROWS = list(csv.DictReader(TABLE.open(encoding="utf-8", newline="")))


def test_table_header_and_size() -> None:
    assert list(ROWS[0]) == ["citation", "holder", "force", "in_force_from", "in_force_until", "verification"]
    assert len(ROWS) == len({r["citation"] for r in ROWS}) >= 300


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["citation"])
def test_ontology_agrees_with_reference_row(row: dict[str, str]) -> None:
    p = law.index().by_citation.get(row["citation"].lower())
    assert p is not None, f"{row['citation']} is in the reference table but not in the ontology"
    actual = {
        "holder": ";".join(sorted(p.holders)),
        "force": p.force or "",
        "in_force_from": p.in_force_from.isoformat() if p.in_force_from else "",
        "in_force_until": p.in_force_until.isoformat() if p.in_force_until else "",
        "verification": p.verification,
    }
    expected = {k: row[k] for k in actual}
    assert actual == expected


def test_every_provision_is_in_the_table() -> None:
    listed = {r["citation"] for r in ROWS}
    missing = [p.citation for p in law.provisions() if p.citation not in listed]
    assert missing == []


def test_every_norm_is_in_the_table_with_a_force() -> None:
    forces = {r["citation"]: r["force"] for r in ROWS}
    norms = [p for p in law.provisions() if p.is_norm]
    assert len(norms) > 200
    assert [p.citation for p in norms if forces.get(p.citation) in (None, "", "definition")] == []
