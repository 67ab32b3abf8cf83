"""Rewrite the shown output of the ``$ ccgkg ...`` examples in Markdown pages that no longer print what the page
shows (the same examples tests/doc_examples.py checks). Run it after a change of output, then review the diff:

    .venv/bin/python scripts/update_doc_examples.py README.md docs/law.md ...

An example that still matches is left as written (its ``...`` elisions kept). One that does not gets the lines it
prints now, wide lines cut at 120 columns: all of them when there are at most 40, else the first 30, ``...``, and
the last 5. Its ``$ echo $?`` line is updated too. Examples run in order in one empty temporary folder, as the
tests run them (pages whose tests edit files between examples, such as docs/import.md, need a look by hand).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("doc_examples", REPO / "tests" / "doc_examples.py")
assert _spec is not None and _spec.loader is not None
doc_examples = importlib.util.module_from_spec(_spec)
sys.modules["doc_examples"] = doc_examples  # dataclasses look their module up there
_spec.loader.exec_module(doc_examples)

WIDTH, ALL, HEAD, TAIL = 120, 40, 30, 5


def shown(lines: list[str]) -> list[str]:
    cut = [line[:WIDTH].rstrip() for line in lines]
    return cut if len(cut) <= ALL else [*cut[:HEAD], doc_examples.ELISION, *cut[-TAIL:]]


def update(page: Path) -> int:
    text = page.read_text(encoding="utf-8").splitlines()
    start, end = ("<!-- tour -->", "<!-- /tour -->") if page.name == "README.md" else (None, None)
    changes: list[tuple[int, int, list[str]]] = []  # (first line index, last+1, new lines) of each example's output
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            for example in doc_examples.examples(page, start=start, end=end):
                lines, code = doc_examples.run(example)
                if code == example.exit_code and doc_examples.matches(lines, example.expected):
                    continue
                first = example.line  # 0-based index of the first output line
                last = first + len(example.expected)
                new = shown(lines)
                if last + 1 < len(text) and text[last] == "$ echo $?":
                    last += 2
                if code != 0 or (last <= len(text) and text[last - 2:last - 1] == ["$ echo $?"]):
                    new += ["$ echo $?", str(code)]
                changes.append((first, last, new))
        finally:
            os.chdir(cwd)
    for first, last, new in reversed(changes):
        text[first:last] = new
    if changes:
        page.write_text("\n".join(text) + "\n", encoding="utf-8")
    return len(changes)


def main(pages: list[str]) -> None:
    for name in pages:
        print(f"{name}: {update(Path(name).resolve())} example(s) rewritten")


if __name__ == "__main__":
    main(sys.argv[1:])
