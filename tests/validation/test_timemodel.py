"""Issue 11: legal shapes compiled to SPARQL on Oxigraph (ccgkg.judging), --org narrowing, notices and progress.

The compiled path must give exactly the findings and report of the batched engine (pySHACL's shape model, itself
compared with plain pySHACL in test_equivalence.py) and of the pySHACL engine; narrowing to an organisation must
give exactly the findings that filtering the whole run gives."""

from __future__ import annotations

import datetime as dt
import io
import warnings

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import SH

from ccgkg import judging, store, validation
from ccgkg.cli import cli
from ccgkg.cli.validate import ProgressBar
from ccgkg.engines import report_results
from ccgkg.namespaces import org_iri

D = dt.date(2016, 10, 17)
#: organisations of the sample: CCGs, boards, a Healthwatch, a practice, a trust, an ICB.
ORGS = ["02H", "02E", "01F", "E08000010-HWB", "E06000006-HWB", "E08000010-HW", "QOP", "RRF"]


@pytest.fixture(scope="module")
def batched(sample):
    return validation.validate(sample, engine="batched")


def test_every_bundled_legal_shape_compiles() -> None:
    shapes = store.shapes_graph()
    legal = [r.node for r in validation.shape_rules(shapes) if r.provisions]
    compiled = judging.Compiled(shapes, legal)
    assert compiled.unsupported == {}
    assert set(compiled.plans) | compiled.skipped == set(legal)


def test_compiled_history_equals_the_batched_engine(sample, sample_result, batched) -> None:
    assert sample_result.findings == batched.findings
    assert report_results(sample_result.report_graph) == report_results(batched.report_graph)
    assert sample_result.findings  # the sample has breaches to compare


@pytest.mark.parametrize("day", [dt.date(2013, 6, 1), D, dt.date(2022, 7, 1)])
def test_compiled_day_equals_pyshacl(sample, day: dt.date) -> None:
    fast = validation.validate(sample, as_of=day)
    reference = validation.validate(sample, as_of=day, engine="pyshacl")
    assert fast.findings == reference.findings
    assert report_results(fast.report_graph) == report_results(reference.report_graph)


@pytest.mark.parametrize("code", ORGS)
def test_org_narrowing_equals_filtering_the_whole_run(sample, batched, code: str) -> None:
    narrowed = validation.validate(sample, orgs=[code])
    wanted = {str(org_iri(code))}
    expected = tuple(f for f in batched.findings if {f.organisation, f.focus} & wanted)
    assert narrowed.findings == expected
    day = validation.validate(sample, as_of=D, orgs=[code])
    assert day.findings == validation.validate(sample, as_of=D, orgs=[code], engine="batched").findings


def test_org_narrowing_keeps_findings_about_the_org(sample) -> None:
    found = validation.validate(sample, as_of=D, orgs=["E08000010-HWB"])
    assert [(f.organisation_code, f.shape.rsplit("/", 1)[1]) for f in found.findings] == [
        ("E08000010-HWB", "BoardHasDirectorOfPublicHealth")]


EXTRA = """@prefix ccgkg: <https://w3id.org/ccgkg/ont/core/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/shapes/> .
@prefix hsca12: <https://w3id.org/ccgkg/ont/acts/health-and-social-care-act-2012/> .
ex:BoardNamed a sh:NodeShape ; ccgkg:enforces hsca12:s194-2-g ; sh:targetClass ccgkg:HealthAndWellbeingBoard ;
    sh:property [ sh:path ccgkg:code ; sh:pattern "^X" ; sh:severity sh:Info ; sh:message "code does not start X" ] .
"""


def test_a_shape_that_does_not_compile_falls_back_with_a_notice(sample) -> None:
    extra = Graph().parse(data=EXTRA, format="turtle")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fast = validation.validate(sample, as_of=D, extra_shapes=extra)
    notices = [str(w.message) for w in caught if issubclass(w.category, judging.FallbackNotice)]
    assert notices == [("judged by the fast engine, not compiled to SPARQL: http://example.org/shapes/BoardNamed "
                        f"(uses {SH.property})")]
    reference = validation.validate(sample, as_of=D, extra_shapes=extra, engine="pyshacl")
    assert fast.findings == reference.findings
    assert sum(f.message == "code does not start X" for f in fast.findings) == 3  # the sample's three boards


def test_cli_prints_the_notice_on_stderr(tmp_path) -> None:
    shapes = tmp_path / "extra.ttl"
    shapes.write_text(EXTRA, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--as-of", "2016-10-17", "--org", "E08000010-HWB",
                                      "--shapes", str(shapes), "--format", "json"])
    assert result.exit_code == 1
    assert result.stderr == ("Notice: judged by the fast engine, not compiled to SPARQL: "
                             f"http://example.org/shapes/BoardNamed (uses {SH.property})\n")


def test_cli_engines_agree() -> None:
    outputs = {engine: CliRunner().invoke(cli, ["validate", "--as-of", "2016-10-17", "--engine", engine])
               for engine in ("fast", "batched", "pyshacl")}
    assert {r.exit_code for r in outputs.values()} == {1}
    assert outputs["fast"].stdout == outputs["batched"].stdout == outputs["pyshacl"].stdout
    assert all(r.stderr == "" for r in outputs.values())  # not a terminal: no progress bar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_after_a_second() -> None:
    tty = _Terminal()
    with ProgressBar(stream=tty) as bar:
        bar("judging days", 1, 108)  # under a second: nothing yet
        assert tty.getvalue() == ""
        bar.start -= 2
        bar("judging days", 54, 108)
        assert tty.getvalue() == "\rjudging days [" + "#" * 15 + "." * 15 + "] 54/108"
    assert tty.getvalue().endswith("\r" + " " * 70 + "\r")  # the line is cleared at the end
    for quiet, stream in ((True, _Terminal()), (False, io.StringIO())):
        with ProgressBar(quiet, stream=stream) as bar:
            bar.start -= 2
            bar("judging days", 54, 108)
        assert stream.getvalue() == ""


def test_progress_is_told_each_judging_day(sample) -> None:
    seen: list[tuple[str, int, int]] = []
    validation.validate(sample, progress=lambda what, done, total: seen.append((what, done, total)))
    total = seen[-1][2]
    assert seen == [("judging days", n, total) for n in range(1, total + 1)] and total > 10


@pytest.mark.parametrize("as_of", [None, "2017-06-01"])
def test_explain_reads_the_states_validate_reasoned(monkeypatch, as_of) -> None:
    """explain makes no second inference (over the full graph, or per finding day): it reads validate's states,
    views over the masks for the full history, and shows the same facts and inference steps."""
    def refused(*_args, **_kwargs):
        raise AssertionError("explain reasoned a second time")

    monkeypatch.setattr(validation, "infer", refused)
    monkeypatch.setattr(validation, "prepare", refused)
    result = CliRunner().invoke(cli, ["explain", "E08000010-HWB", *(["--as-of", as_of] if as_of else [])])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == "Kinds: ccgkg:HealthAndWellbeingBoard, ccgkg:StatutoryBody"
    assert "  NHS Act 2006 s.14Z13(5)  Consultation about commissioning plans  [obligation]" in lines
    step = lines.index("    inferred: E08000010-HWB ccgkg:relevantGroup 02H  (ccgkg:relevantGroup is "
                       "ccgkg:parentAuthority o ^ccgkg:localAuthority o ccgkg:areaOf)")
    assert lines[step + 1:step + 4] == [
        "      from: E08000010-HWB ccgkg:parentAuthority E08000010",
        "      from: area/02H/E08000010/2013-04-01 ccgkg:localAuthority E08000010",
        "      from: area/02H/E08000010/2013-04-01 ccgkg:areaOf 02H"]
