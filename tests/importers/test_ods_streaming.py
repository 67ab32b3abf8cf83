"""``import ods --out X.nt`` streams: the same bytes, counts, notes and problems as building the graph and writing
it, nothing written when strict mode finds a problem; on the real folder too (skipped when it is absent)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rdflib import Graph

from ccgkg.errors import TableError
from ccgkg.importers import import_ods, serialize
from ccgkg.importers.ods import import_ods_ntriples

from .test_ods_formats import GOOD, eccg_row, write


def prac(code: str, ccg: str, setting: str = "4", status: str = "A", close: str = "") -> str:
    """An epraccur row whose name needs quoting (a comma and a double quote)."""
    values = [code, 'SURGERY, "THE" GREEN', "Y62", "QOP", "", "", "", "", "", "WN1", "19740401", close, status,
              "B", ccg, "20130401", close, "01942", "", "", "", "0", "", ccg, "", setting, ""]
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerow(values)
    return text.getvalue()


@pytest.fixture
def inputs(tmp_path: Path) -> list[Path]:
    # P9200 is a prefix of P92001: their lines interleave differently from their codes when sorted
    practices = (prac("P92001", "02H") + prac("P9200", "02H", close="20150630") + prac("Y00001", "02H", "9")
                 + prac("W00001", "7A1"))
    return [write(tmp_path, "eccg.csv", GOOD), write(tmp_path, "epraccur.csv", practices)]


def test_streamed_ntriples_are_the_bytes_of_the_graph(inputs: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "out.nt"
    streamed = import_ods_ntriples(inputs, out)
    built = import_ods(inputs)
    assert out.read_bytes() == serialize(built.graph, "nt")
    assert streamed.written == len(built.graph) == 60  # 40 of organisations and memberships, 20 of coverage statements
    assert streamed.files == built.files and streamed.problems == built.problems == ()
    assert streamed.summary() == built.summary()
    assert len(streamed.graph) == 0


def test_lenient_streaming_keeps_the_problems_and_counts(inputs: list[Path], tmp_path: Path) -> None:
    bad = write(tmp_path, "eccg2.csv", GOOD + eccg_row("02E", "X", open_="bad"))
    out = tmp_path / "out.nt"
    streamed = import_ods_ntriples([bad, inputs[1]], out, lenient=True)
    built = import_ods([bad, inputs[1]], lenient=True)
    assert [(p.path, p.row, p.column, p.value) for p in streamed.problems] == [(str(bad), 3, "open_date", "bad")]
    assert streamed.problems == built.problems and streamed.files == built.files
    assert out.read_bytes() == serialize(built.graph, "nt")


def test_strict_streaming_writes_nothing_when_a_row_is_bad(inputs: list[Path], tmp_path: Path) -> None:
    bad = write(tmp_path, "eccg2.csv", GOOD + eccg_row("02E", "X", open_="bad"))
    out = tmp_path / "out.nt"
    out.write_bytes(b"kept\n")
    with pytest.raises(TableError) as streamed:
        import_ods_ntriples([bad, inputs[1]], out)
    with pytest.raises(TableError) as built:
        import_ods([bad, inputs[1]])
    assert streamed.value.problems == built.value.problems
    assert str(streamed.value) == str(built.value) and streamed.value.hint == built.value.hint
    assert out.read_bytes() == b"kept\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.nt")] == []


@pytest.mark.slow
def test_the_real_folder_streams_the_bytes_of_its_graph(shared_data: Path, real_england: Graph,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "england.nt"
    streamed = import_ods_ntriples([shared_data], out)
    assert streamed.written == len(real_england)
    assert out.read_bytes() == serialize(real_england, "nt")
