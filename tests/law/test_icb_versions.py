"""Issue 8 §2: the amendments the reference records from 1.7.2022 are versions that ``law show`` lists and
``law duties --as-of`` picks by day (the reference itself is checked in tests/law/test_reference.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from ccgkg import law
from ccgkg.cli import cli

BEFORE, AFTER = dt.date(2022, 6, 30), dt.date(2022, 7, 1)

#: work, holder before, holder from 1.7.2022 (None: a version with no force, not a duty), the two version labels
VERSIONED = [
    ("NHS Act 2006 s.13G", "board", "board", "as inserted by HSCA 2012 s.23", "as amended by HCA 2022 s.6"),
    ("NHS Act 2006 s.13L", "board", "board", "as inserted by HSCA 2012 s.23", "as amended by HCA 2022 s.7"),
    ("NHS Act 2006 s.13Q", "board", "board", "as inserted by HSCA 2012 s.23", "as amended by HCA 2022 s.10"),
    ("NHS Act 2006 s.3B", None, None, "as inserted by HSCA 2012 s.23", "as amended by HCA 2022 s.2"),
    ("NHS Act 2006 s.223G", None, None, "as inserted by HSCA 2012 s.27", "as amended by HCA 2022 Sch 4 para 118"),
    ("NHS Act 2006 s.223G(1)", "board", "board", "as inserted by HSCA 2012 s.27",
     "as amended by HCA 2022 Sch 4 para 118"),
    ("NHS Act 2006 s.223G(2)", "board", "board", "as inserted by HSCA 2012 s.27", "as amended by HCA 2022 Sch 4 para 118"),
    ("NHS Act 2006 s.223G(3)", None, None, "as inserted by HSCA 2012 s.27", "as amended by HCA 2022 Sch 4 para 118"),
    ("NHS Act 2006 s.223G(5)", "board", "board", "as inserted by HSCA 2012 s.27", "as amended by HCA 2022 Sch 4 para 118"),
    ("NHS Act 2006 s.223G(6)", "board", "board", "as inserted by HSCA 2012 s.27", "as amended by HCA 2022 Sch 4 para 118"),
    ("NHS Act 2006 s.223G(7)", "board", "board", "as inserted by HSCA 2012 s.27", "as amended by HCA 2022 Sch 4 para 118"),
    ("NHS Act 2006 s.223K(1)", "board", "board", "as inserted by HSCA 2012 s.27", "as amended by HCA 2022 Sch 4 para 120"),
    ("NHS Act 2006 s.223K(6)", None, None, "as inserted by HSCA 2012 s.27", "as amended by HCA 2022 Sch 4 para 120"),
    ("NHS Act 2006 s.223K(7)", "ccg", "icb", "as inserted by HSCA 2012 s.27", "as amended by HCA 2022 Sch 4 para 120"),
    ("HSCA 2012 s.194(2)(f)", "local-authority", "local-authority", "as enacted",
     "as amended by HCA 2022 Sch 4 para 184"),
    *[(f"HSCA 2012 s.194({n})", "ccg", "icb", "as enacted", "as amended by HCA 2022 Sch 4 para 184") for n in (6, 7, 10)],
    ("HSCA 2012 s.196(1)", "hwb", "hwb", "as enacted", "as amended by HCA 2022 Sch 4 para 185"),
    ("LGPIHA 2007 s.116", "ccg", "icb", "as amended by HSCA 2012 s.192", "as amended by HCA 2022 s.26(3)"),
    ("LGPIHA 2007 s.116(7)", None, None, "as amended by HSCA 2012 s.192(4)", "as amended by HCA 2022 s.26(3)"),
    ("LGPIHA 2007 s.116A", None, None, "as inserted by HSCA 2012 s.193", "as amended by HCA 2022 s.26(5)"),
    ("LGPIHA 2007 s.116A(1)", None, None, "as inserted by HSCA 2012 s.193", "as amended by HCA 2022 s.26(5)"),
    *[(f"LGPIHA 2007 s.116A({n})", "ccg", "icb", "as inserted by HSCA 2012 s.193", "as amended by HCA 2022 s.26(5)")
      for n in ("2", "3", "4", "5", "7")],
    *[(f"LGPIHA 2007 s.116B{n}", "ccg", "icb", "as inserted by HSCA 2012 s.193", "as substituted by HCA 2022 s.26(6)")
      for n in ("", "(1)", "(1)(a)", "(1)(b)")],
    ("LGPIHA 2007 s.116B(2)", "board", "board", "as inserted by HSCA 2012 s.193", "as substituted by HCA 2022 s.26(6)"),
    ("Health Act 2009 s.2(2)(cb)", "ccg", "icb", "as in force from 1.4.2013", "as amended by HCA 2022 Sch 4 para 170"),
    ("Health Act 2009 s.2(4)", "provider", "provider", "as in force from 1.4.2013", "as amended by HCA 2022 Sch 4 para 170"),
]


@pytest.mark.parametrize(("work", "old_holder", "new_holder", "old_label", "new_label"), VERSIONED)
def test_law_show_lists_both_versions_oldest_first(work: str, old_holder: str | None, new_holder: str | None,
                                                   old_label: str, new_label: str) -> None:
    result = CliRunner().invoke(cli, ["law", "show", work])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    versions = [line for line in lines[lines.index("Versions:") + 1:] if line.startswith("  as ")]
    p = law.resolve(work)
    assert [v.split("  ")[1] for v in versions] == [old_label, new_label]
    assert versions[0].startswith(f"  {old_label}  {p.in_force_from} to 2022-06-30")
    assert versions[1].startswith(f"  {new_label}  2022-07-01 to date")
    assert versions[0].endswith(f"{p.legislation_uri}/2013-04-01")
    assert versions[1].endswith(f"{p.legislation_uri}/2022-07-01")
    if old_holder:
        assert f"[{p.force or law.index().provisions[p.versions[0]].force} " in versions[0]
        assert old_holder in versions[0].split("[", 1)[1].split("]", 1)[0]
        assert new_holder in versions[1].split("[", 1)[1].split("]", 1)[0]


@pytest.mark.parametrize(("work", "old_holder", "new_holder", "old_label", "new_label"),
                         [v for v in VERSIONED if v[1]])
def test_duties_as_of_pick_the_version_in_force(work: str, old_holder: str, new_holder: str, old_label: str,
                                                new_label: str) -> None:
    p = law.resolve(work)
    old, new = p.versions
    before = [d.curie for d in law.duties(old_holder, BEFORE) if d.curie in (p.curie, old, new)]
    after = [d.curie for d in law.duties(new_holder, AFTER) if d.curie in (p.curie, old, new)]
    assert (before, after) == ([old], [new])
    if old_holder != new_holder:  # the old holder is bound by neither version once the new one is in force
        assert [d.curie for d in law.duties(old_holder, AFTER) if d.curie in (old, new)] == []
        assert [d.curie for d in law.duties(new_holder, BEFORE) if d.curie in (old, new)] == []


def test_3b_regard_and_consultation_are_numbered_parts_binding_the_secretary_of_state() -> None:
    day = dt.date(2016, 10, 17)
    got = [(d.citation, d.force) for d in law.duties("secretary-of-state", day) if "s.3B" in d.citation]
    assert got == [("NHS Act 2006 s.3B(1)", "power"), ("NHS Act 2006 s.3B(3)", "regard"),
                   ("NHS Act 2006 s.3B(4)", "obligation")]


def test_223k_regulation_powers_omitted_from_1_july_2022() -> None:
    """HCA 2022 s.16 omits s.223K(4)-(5); Sch 4 para 120 amends (1), (6) and (7) (read in the reference's source)."""
    for sub in ("4", "5"):
        p = law.resolve(f"NHS Act 2006 s.223K({sub})")
        assert (p.in_force_until, p.repealed_by) == (BEFORE, ("hca22:s16",))
    assert [law.resolve(f"NHS Act 2006 s.223K({sub})").versions[1] for sub in ("1", "6", "7")] == [
        "nhsa06:s223K-1_2022-07-01", "nhsa06:s223K-6_2022-07-01", "nhsa06:s223K-7_2022-07-01"]
    assert not law.resolve("NHS Act 2006 s.223K(2)").versions  # not amended


def test_223g_subsection_8_omitted_and_4_unchanged_from_1_july_2022() -> None:
    p = law.resolve("NHS Act 2006 s.223G(8)")
    assert (p.in_force_until, p.repealed_by, p.verification) == (BEFORE, ("hca22:sch4-para118",), "partly-verified")
    assert not law.resolve("NHS Act 2006 s.223G(4)").versions
    titles = [law.index().provisions[c].title for c in law.resolve("NHS Act 2006 s.223G").versions]
    assert titles == ["Means of meeting expenditure of clinical commissioning groups out of public funds",
                      "Means of meeting expenditure of integrated care boards out of public funds"]


def test_provisions_inserted_on_1_july_2022_bind_from_that_day() -> None:
    """HCA 2022 s.26(5)-(6) insert s.116A(2A), s.116A(4)(za) and s.116B(1)(c): new provisions, not versions."""
    for citation, force in (("LGPIHA 2007 s.116A(2A)", "power"), ("LGPIHA 2007 s.116A(4)(za)", "regard"),
                            ("LGPIHA 2007 s.116B(1)(c)", "regard")):
        p = law.resolve(citation)
        assert (p.force, p.holders, p.in_force_from, p.version_of) == (force, ("icb", "local-authority"), AFTER, None)
        assert [d.citation for d in law.duties("icb", BEFORE) if d.curie == p.curie] == []
        assert [d.citation for d in law.duties("icb", AFTER) if d.curie == p.curie] == [citation]


def _enforced() -> dict[str, list[str]]:
    """Each provision a bundled shape enforces (CURIE) -> the shapes enforcing it (local names)."""
    from ccgkg import store
    from ccgkg.namespaces import CCGKG

    idx, out = law.index(), {}
    for shape, provision in store.shapes_graph().subject_objects(CCGKG.enforces):
        out.setdefault(idx.curie(str(provision)), []).append(str(shape).rsplit("/", 1)[1])
    return out


def test_the_group_rules_enforce_the_as_enacted_text_and_judge_its_days() -> None:
    """Issue 8: the s.194(2)(f) and s.223K(7) rules read clinical commissioning groups, so each cites the version
    whose text it enforces; its in-force days (to 30.6.2022) are that version's, not the work's (still in force)."""
    enforced = _enforced()
    idx = law.index()
    for work, shape in (("hsca12:s194-2-f", "BoardRepresentsEachRelevantGroup"),
                        ("nhsa06:s223K-7", "QualityPaymentExplained")):
        old = idx.provisions[work].versions[0]
        assert (work not in enforced, enforced[old]) == (True, [shape])
        v = idx.provisions[old]
        assert (v.in_force_from, v.in_force_until, idx.provisions[work].in_force_until) == (
            dt.date(2013, 4, 1), BEFORE, None)


def test_a_shape_cites_a_work_with_versions_only_where_every_version_says_the_same() -> None:
    """The rule of docs/law.md: a shape enforces a work that has versions only when all its versions share the
    work's force and holders (reg 11(1): a chair and a deputy chair in both texts)."""
    idx = law.index()
    for curie in _enforced():
        p = idx.provisions[curie]
        if p.versions:
            forms = {(idx.provisions[v].force, idx.provisions[v].holders) for v in p.versions}
            assert forms == {(p.force, p.holders)}, curie
