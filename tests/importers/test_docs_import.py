"""docs/import.md documents every workbook file and column, and every ODS/ONS kind ccgkg recognises."""

from __future__ import annotations

from pathlib import Path

from ccgkg.importers.ods import KINDS
from ccgkg.importers.vocabulary import load_vocabulary
from ccgkg.importers.workbook import workbook_specs

DOC = Path(__file__).resolve().parents[2] / "docs" / "import.md"


def test_every_workbook_column_and_ods_kind_is_documented(ontology) -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [f"{name}: {col.name}" for name, cols in workbook_specs(load_vocabulary(ontology)).items()
               for col in cols if col.name not in text]
    missing += [f"kind {kind}" for kind in KINDS if f"`{kind}`" not in text]
    assert missing == []
