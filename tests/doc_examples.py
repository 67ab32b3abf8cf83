"""Run the ``$ ccgkg ...`` examples of a Markdown page and compare what they print with what the page shows.

An example is a line ``$ ccgkg ARGS`` inside a fenced block; the lines after it, up to the next ``$`` line or the
block's end, are its expected output. ``$ echo $?`` followed by a number gives its exit code (default 0). In the
expected output, a line ``...`` stands for any number of lines, and a shown line may be a wide line cut at
``width`` columns. Examples run in order, in one folder, so a page can write a file and then read it.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from ccgkg.cli import cli

ELISION = "..."


@dataclass(frozen=True)
class Example:
    """One ``$ ccgkg`` line of a page, with the output and exit code the page shows for it."""

    argv: tuple[str, ...]
    expected: tuple[str, ...]
    exit_code: int
    line: int  # 1-based line of the ``$ ccgkg`` line in the page

    def __str__(self) -> str:
        return f"line {self.line}: ccgkg {' '.join(self.argv)}"


def examples(page: Path, *, start: str | None = None, end: str | None = None) -> list[Example]:
    """The examples of ``page``; with ``start``/``end``, only those between the lines holding those markers."""
    lines = page.read_text(encoding="utf-8").splitlines()
    first = next(i for i, text in enumerate(lines) if start in text) if start else 0
    last = next(i for i, text in enumerate(lines) if end in text and i > first) if end else len(lines)
    found: list[Example] = []
    block: list[tuple[int, str]] | None = None
    for number, text in enumerate(lines[first:last], start=first + 1):
        if text.startswith("```"):
            if block is None:
                block = []
            else:
                found.extend(_block_examples(block))
                block = None
        elif block is not None:
            block.append((number, text))
    return found


def _block_examples(block: list[tuple[int, str]]) -> list[Example]:
    found = []
    i = 0
    while i < len(block):
        number, text = block[i]
        if not text.startswith("$ ccgkg"):
            i += 1
            continue
        j = i + 1
        while j < len(block) and not block[j][1].startswith("$ "):
            j += 1
        code, after = 0, j
        if j + 1 < len(block) and block[j][1] == "$ echo $?":
            code, after = int(block[j + 1][1]), j + 2
        found.append(Example(tuple(shlex.split(text[len("$ ccgkg"):])), tuple(t for _, t in block[i + 1:j]),
                             code, number))
        i = after
    return found


def matches(actual: list[str], expected: tuple[str, ...], *, width: int = 120) -> bool:
    """Whether ``actual`` lines are what ``expected`` shows (``...`` skips lines; wide lines may be cut)."""
    def same(got: str, shown: str) -> bool:
        return shown.rstrip() in (got.rstrip(), got[:width].rstrip())

    def walk(a: int, e: int) -> bool:
        if e == len(expected):
            return a == len(actual)
        if expected[e] == ELISION:
            return any(walk(k, e + 1) for k in range(a, len(actual) + 1))
        return a < len(actual) and same(actual[a], expected[e]) and walk(a + 1, e + 1)

    return walk(0, 0)


def run(example: Example) -> tuple[list[str], int]:
    """The lines ``example`` prints (stdout and stderr as a terminal shows them) and its exit code, run in the
    current folder."""
    result = CliRunner().invoke(cli, list(example.argv))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.output.splitlines(), result.exit_code
