"""Every legal shape cites existing provisions, and ``ccgkg law show`` lists the shapes enforcing a provision."""

from __future__ import annotations

from click.testing import CliRunner

from ccgkg import law, store, validation
from ccgkg.cli import cli


def test_law_show_lists_the_board_membership_shapes() -> None:
    result = CliRunner().invoke(cli, ["law", "show", "194(2)"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    start = lines.index("Shapes:")
    board = "Health and Wellbeing Board"
    assert lines[start + 1:start + 8] == [
        f"  hsca12-sh:BoardHasCouncillor  {board} has a councillor  (enforces hsca12:s194-2-a)",
        f"  hsca12-sh:BoardHasDirectorOfAdultSocialServices  {board} has the director of adult social services  "
        + "(enforces hsca12:s194-2-b)",
        f"  hsca12-sh:BoardHasDirectorOfChildrensServices  {board} has the director of children's services  "
        + "(enforces hsca12:s194-2-c)",
        f"  hsca12-sh:BoardHasDirectorOfPublicHealth  {board} has the director of public health  "
        + "(enforces hsca12:s194-2-d)",
        f"  hsca12-sh:BoardHasHealthwatchRepresentative  {board} has a Local Healthwatch representative  "
        + "(enforces hsca12:s194-2-e)",
        f"  hsca12-sh:BoardRepresentsEachRelevantGroup  {board} has a representative of each relevant group  "
        + "(enforces hsca12:s194-2-f_enacted)",
        "Queries:"]
    queries = [line.split()[0] for line in lines[start + 8:] if line.startswith("  ")]
    assert queries == ["find-hwb-gaps", "list-hwb-groups"]  # the named queries whose header cites s.194(2) or a part


def test_severity_follows_the_force_of_the_cited_provisions() -> None:
    """Obligations give violations; a shape citing only a target or regard duty gives a warning; none cites only
    a power. Issue 8 exceptions, each for a stated reason: s.14U(2) sets no deadline, so a day before the guidance
    existed is an info; s.14A(1) does not forbid two memberships, so they are an info for checking; the abolition
    rule cites the provisions that abolished groups (NHS Act 2006 s.14Z27, HCA 2022 Sch 4 para 100), which have
    no deontic force, and flags a record the law made impossible."""
    from rdflib.namespace import SH

    exceptions = {"BoardPublishedInvolvementGuidance": (SH.Info, {"obligation", "regard"}),
                  "PracticeIsMemberOfOneGroup": (SH.Info, {"obligation"}),
                  "NoGroupAfterAbolition": (SH.Violation, {"definition"})}
    shapes = store.shapes_graph()

    seen = {}
    for rule in validation.shape_rules(shapes):
        if not rule.provisions:
            continue
        forces = {p.force for p in validation.provision_refs(shapes, rule.node)}
        severity = shapes.value(rule.node, SH.severity)
        seen[str(rule.node).rsplit("/", 1)[-1]] = (severity, forces)
        assert forces != {"power"}
        name = str(rule.node).rsplit("/", 1)[-1]
        if name in exceptions:
            assert (severity, forces) == exceptions[name]
        elif forces <= {"target", "regard"}:
            assert severity == SH.Warning
        else:
            assert "obligation" in forces and severity == SH.Violation
    assert seen["QualityDutyEvidence"] == (SH.Warning, {"target"})
    assert seen["InequalitiesDutyEvidence"] == (SH.Warning, {"regard"})
    assert len(seen) == 43
    assert all(law.resolve(p).curie for r in validation.shape_rules(shapes) for p in r.provisions)
