"""docs/import.md documents every workbook file and column, and every ODS/ONS kind ccgkg recognises; and its
``$ ccgkg`` examples print what the page shows (run with tests/doc_examples.py, as for the other docs).

The page's examples run in order in one folder. Its ``$ printf 'TEXT' >> FILE`` lines, which show how the workbook
was edited between two examples, are applied here (in Python, not by a shell) before the next example. The ODS
example runs in a folder that links the real ``../shared/data`` folders it names, and is skipped without them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ccgkg.importers.ods import KINDS
from ccgkg.importers.vocabulary import load_vocabulary
from ccgkg.importers.workbook import workbook_specs

from .. import doc_examples

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "import.md"
SHARED = REPO.parent / "shared" / "data"
_EDIT = re.compile(r"^\$ printf '([^']*)' >> (\S+)$")


def test_every_workbook_column_and_ods_kind_is_documented(ontology) -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [f"{name}: {col.name}" for name, cols in workbook_specs(load_vocabulary(ontology)).items()
               for col in cols if col.name not in text]
    missing += [f"kind {kind}" for kind in KINDS if f"`{kind}`" not in text]
    assert missing == []


def edits() -> list[tuple[int, str, str]]:
    """(line, text, file) of every ``$ printf 'TEXT' >> FILE`` line of the page."""
    found = []
    for number, line in enumerate(DOC.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EDIT.match(line)
        if match:
            found.append((number, match.group(1).encode().decode("unicode_escape"), match.group(2)))
    return found


def test_the_page_has_its_examples() -> None:
    commands = [e.argv[:2] for e in doc_examples.examples(DOC)]
    assert commands == [("import", "ods"), ("import", "template"), ("import", "workbook"), ("import", "workbook"),
                        ("import", "workbook")]
    assert [(Path(f).name, text.count("\n")) for _, text, f in edits()] == [
        ("organisations.csv", 2), ("memberships.csv", 1)]


def run_examples(examples: list[doc_examples.Example]) -> None:
    pending = edits()
    for example in examples:
        while pending and pending[0][0] < example.line:
            _, text, name = pending.pop(0)
            with open(name, "a", encoding="utf-8") as handle:
                handle.write(text)
        lines, code = doc_examples.run(example)
        assert code == example.exit_code, f"{example}\n" + "\n".join(lines)
        assert doc_examples.matches(lines, example.expected), f"{example}\n" + "\n".join(lines)


def test_workbook_examples_print_what_the_page_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run_examples([e for e in doc_examples.examples(DOC) if e.argv[:2] != ("import", "ods")])
    assert Path("wb.ttl").is_file()


@pytest.mark.skipif(not SHARED.is_dir(), reason="the real NHS files in ../shared/data are not here")
def test_ods_example_prints_what_the_page_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first example of the page, as written (ccg_successors.csv is in derived/)."""
    for name in ("ods", "ons", "lookups", "derived"):
        (tmp_path / name).symlink_to(SHARED / name)
    monkeypatch.chdir(tmp_path)
    (example,) = [e for e in doc_examples.examples(DOC) if e.argv[:2] == ("import", "ods")]
    run_examples([example])
    assert Path("ccgs.ttl").stat().st_size > 0
