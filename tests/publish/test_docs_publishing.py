"""docs/publishing.md keeps its promises: every ``$ ccgkg`` example prints what the page shows (run in an empty
folder, in order)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .. import doc_examples

PAGE = Path(__file__).resolve().parents[2] / "docs" / "publishing.md"


def test_examples_print_what_the_page_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = doc_examples.examples(PAGE)
    assert [e.argv[:2] for e in found] == [("publish", "--out"), ("serve", "--get"), ("serve", "--get"),
                                           ("serve", "--get"), ("serve", "--get")]
    monkeypatch.chdir(tmp_path)
    for example in found:
        lines, code = doc_examples.run(example)
        assert code == example.exit_code, f"{example}\n" + "\n".join(lines)
        assert doc_examples.matches(lines, example.expected), f"{example}\n" + "\n".join(lines)
