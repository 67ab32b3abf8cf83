"""ccgkg.law.duties: which norms bind a holder on a day, with which force, in natural citation order."""

from __future__ import annotations

import datetime as dt

import pytest

from ccgkg import law
from ccgkg.errors import InputError

DAY = dt.date(2016, 10, 17)

# NHS Act 2006 ss.14P-14Z2 binding a CCG on 17 October 2016 (legal_facts.md section 2, as corrected by
# legal_verification.md (4) and (6)): citation and force, in order.
GENERAL_DUTIES_2016 = [
    ("s.14P(1)(a)", "target"), ("s.14P(1)(b)", "obligation"), ("s.14Q", "obligation"),
    ("s.14R(1)", "target"), ("s.14R(2)", "target"), ("s.14R(4)", "regard"), ("s.14S", "obligation"),
    ("s.14T", "regard"), ("s.14T(a)", "regard"), ("s.14T(b)", "regard"),
    ("s.14U(1)", "obligation"), ("s.14U(3)", "regard"), ("s.14V", "target"),
    ("s.14W(1)", "obligation"), ("s.14W(1)(a)", "obligation"), ("s.14W(1)(b)", "obligation"), ("s.14W(3)", "regard"),
    ("s.14X", "obligation"), ("s.14Y", "obligation"), ("s.14Y(a)", "obligation"), ("s.14Y(b)", "obligation"),
    ("s.14Z", "regard"), ("s.14Z1", "target"), ("s.14Z1(1)", "target"), ("s.14Z1(2)", "target"),
    ("s.14Z2(2)", "obligation"), ("s.14Z2(2)(a)", "obligation"), ("s.14Z2(2)(b)", "obligation"),
    ("s.14Z2(2)(c)", "obligation"), ("s.14Z2(3)", "obligation"), ("s.14Z2(5)", "regard"),
]


def rows(found: list[law.Duty]) -> list[tuple[str, str]]:
    return [(d.citation.removeprefix("NHS Act 2006 "), d.force) for d in found]


def test_ccg_general_duties_on_2016_10_17_in_order() -> None:
    found = rows(law.duties("ccg", DAY))
    start, end = found.index(("s.14P(1)(a)", "target")), found.index(("s.14Z2(5)", "regard"))
    assert found[start:end + 1] == GENERAL_DUTIES_2016
    assert found[0] == ("s.14L(1)", "obligation")            # a group must have a governing body (issue 8)
    assert found[-1] == ("NHS Standard Contract 2016/17 SC1.3", "obligation")  # binds every commissioner
    assert ("s.14Z7(2)", "obligation") in found              # pay as the Board's payment document says
    assert ("LGPIHA 2007 s.116A(2) as enacted", "obligation") in found  # prepare the joint health and wellbeing strategy
    assert ("Health Act 2009 s.2(2)(cb) as in force 2013-04-01", "regard") in found  # regard to the NHS Constitution
    assert len(found) == 114


def test_regard_duty_carries_its_guidance() -> None:
    s14u3 = next(d for d in law.duties("ccg", DAY) if d.citation == "NHS Act 2006 s.14U(3)")
    (link,) = s14u3.guidance
    assert (link.via, link.provision, link.publisher, link.publishing) == ("regard", "nhsa06:s14U-2", "board", "must")
    assert [d.label for d in link.documents] == ["Transforming Participation in Health and Care (2013)",
                                                 "Involving people in their own health and care (2017)"]
    s14z25 = next(d for d in law.duties("ccg", DAY) if d.citation == "NHS Act 2006 s.14Z2(5)")
    assert [(g.provision, g.publishing) for g in s14z25.guidance] == [("nhsa06:s14Z2-4", "may")]
    assert s14z25.legislation_uri == "https://www.legislation.gov.uk/ukpga/2006/41/section/14Z2/5"
    assert s14z25.verification == "verified"
    assert law.resolve("s.14Z2(4)").verification == "corrected"  # a power, not a duty (legal_verification.md (4))


@pytest.mark.parametrize("day", [dt.date(2022, 7, 1), dt.date(2023, 1, 1)])
def test_no_ccg_duty_after_abolition(day: dt.date) -> None:
    assert law.duties("ccg", day) == []


def test_last_day_of_ccgs_still_binds() -> None:
    assert ("s.14Q", "obligation") in rows(law.duties("ccg", dt.date(2022, 6, 30)))


def test_icb_successors_in_2023() -> None:
    assert [d.citation for d in law.duties("icb", dt.date(2023, 1, 1))] == [
        "NHS Act 2006 s.14Z34", "NHS Act 2006 s.14Z35", "NHS Act 2006 s.14Z38", "NHS Act 2006 s.14Z40",
        "NHS Act 2006 s.14Z43", "NHS Act 2006 s.14Z45", "NHS Act 2006 s.14Z52", "NHS Act 2006 s.14Z56",
        "NHS Act 2006 s.14Z58", "NHS Act 2006 s.223K(7) as amended 2022-07-01",
        "HSCA 2012 s.194(6) as amended 2022-07-01", "HSCA 2012 s.194(7) as amended 2022-07-01",
        "HSCA 2012 s.194(10) as amended 2022-07-01",
        "LGPIHA 2007 s.116 as amended 2022-07-01", "LGPIHA 2007 s.116A(2) as amended 2022-07-01",
        "LGPIHA 2007 s.116A(2A)", "LGPIHA 2007 s.116A(3) as amended 2022-07-01",
        "LGPIHA 2007 s.116A(4) as amended 2022-07-01", "LGPIHA 2007 s.116A(4)(za)", "LGPIHA 2007 s.116A(4)(a)",
        "LGPIHA 2007 s.116A(4)(b)", "LGPIHA 2007 s.116A(5) as amended 2022-07-01",
        "LGPIHA 2007 s.116A(7) as amended 2022-07-01", "LGPIHA 2007 s.116B as amended 2022-07-01",
        "LGPIHA 2007 s.116B(1) as amended 2022-07-01", "LGPIHA 2007 s.116B(1)(a) as amended 2022-07-01",
        "LGPIHA 2007 s.116B(1)(b) as amended 2022-07-01", "LGPIHA 2007 s.116B(1)(c)", "Health Act 2009 s.2",
        "Health Act 2009 s.2(2)(cb) as amended 2022-07-01"]
    assert law.duties("icb", DAY) == []


def test_holders_shown_are_those_existing_that_day() -> None:
    """s.194(6) binds groups until 30.6.2022 and integrated care boards from 1.7.2022, each in its own version."""
    (in_2016,) = [d for d in law.duties(None, DAY) if d.version_of == "HSCA 2012 s.194(6)"]
    (in_2023,) = [d for d in law.duties(None, dt.date(2023, 1, 1)) if d.version_of == "HSCA 2012 s.194(6)"]
    assert (in_2016.citation, in_2016.holders) == ("HSCA 2012 s.194(6) as enacted", ("ccg",))
    assert (in_2023.citation, in_2023.holders) == ("HSCA 2012 s.194(6) as amended 2022-07-01", ("icb",))


def test_governing_body_rules_change_on_14_april_2022() -> None:
    """Issue 8 part 2: SI 2022/316 changed the text of SI 2012/1631 regs 11-14; the amended versions bind, the
    amending instrument binds nobody, reg 11(2) (the accountable officer) is unchanged."""
    before = {d.citation for d in law.duties("ccg", dt.date(2022, 4, 13))}
    after = {d.citation for d in law.duties("ccg", dt.date(2022, 4, 14))}
    assert before - after == {
        "SI 2012/1631 reg 11(1) as made", "SI 2012/1631 reg 11(3) as made", "SI 2012/1631 reg 11(3)(b) as made",
        "SI 2012/1631 reg 11(3)(c) as made", "SI 2012/1631 reg 11(3)(d)", "SI 2012/1631 reg 11(3)(e)",
        "SI 2012/1631 reg 12(3) as made", "SI 2012/1631 reg 12(4)", "SI 2012/1631 reg 13 as made",
        "SI 2012/1631 reg 14 as made"}
    assert after - before == {
        "SI 2012/1631 reg 11(1) as amended 2022-04-14", "SI 2012/1631 reg 11(3) as amended 2022-04-14",
        "SI 2012/1631 reg 11(3)(b) as amended 2022-04-14", "SI 2012/1631 reg 11(3)(c) as amended 2022-04-14",
        "SI 2012/1631 reg 12(3) as amended 2022-04-14", "SI 2012/1631 reg 13 as amended 2022-04-14",
        "SI 2012/1631 reg 14 as amended 2022-04-14"}
    assert "SI 2012/1631 reg 11(2)" in before & after
    assert not any(d.citation.startswith("SI 2022/316") for d in law.duties(as_of=dt.date(2022, 5, 1)))


def test_reg_11_in_its_amended_form_on_1_may_2022() -> None:
    (reg11_1,) = [d for d in law.duties("ccg", dt.date(2022, 5, 1)) if d.version_of == "SI 2012/1631 reg 11(1)"]
    assert (reg11_1.citation, reg11_1.version_label, reg11_1.force, reg11_1.in_force_from,
            reg11_1.in_force_until, reg11_1.legislation_uri) == (
        "SI 2012/1631 reg 11(1) as amended 2022-04-14", "as amended by SI 2022/316 reg 2(2)(a)", "obligation",
        dt.date(2022, 4, 14), dt.date(2022, 6, 30),
        "https://www.legislation.gov.uk/uksi/2012/1631/regulation/11/1/2022-04-14")
    assert law.resolve("SI 2012/1631 reg 11(1) as amended 2022-04-14").paraphrase == (
        "The governing body must have at least four members, including a chair and a deputy chair.")


def test_board_authorises_groups_before_april_2013() -> None:
    """The Board existed from 1.10.2012 and authorised groups from December 2012 (legal_facts.md sections 1, 8); it
    specified what an application must carry and agreed to changes to it (s.14B(3)(c), (4)(a), (5))."""
    assert [(d.citation, d.force) for d in law.duties("board", dt.date(2012, 12, 15))] == [
        ("NHS Act 2006 s.14B", "power"), ("NHS Act 2006 s.14C", "obligation"), ("SI 2012/1631 reg 7", "regard"),
        ("SI 2012/1631 reg 8", "power")]
    assert law.duties("board", dt.date(2012, 9, 30)) == []


def test_holder_matches_superclasses() -> None:
    assert [d.citation for d in law.duties("gp-practice", DAY)] == [
        "NHS Act 2006 s.14B", "Health Act 2009 s.2(4) as in force 2013-04-01", "NHS Standard Contract 2016/17 SC1.3",
        "NHS Standard Contract 2016/17 SC12.5"]


def test_hwb_duties_and_powers() -> None:
    assert rows(law.duties("hwb", DAY)) == [
        ("s.14Z13(5)", "obligation"), ("s.14Z13(6)", "power"), ("s.14Z14", "power"),
        ("HSCA 2012 s.194(8)", "power"), ("HSCA 2012 s.195(1)", "obligation"), ("HSCA 2012 s.195(2)", "obligation"),
        ("HSCA 2012 s.195(3)", "power"), ("HSCA 2012 s.195(4)", "power"), ("HSCA 2012 s.196(1) as enacted", "obligation"),
        ("HSCA 2012 s.196(3)", "power")]


def test_force_filter() -> None:
    assert [d.citation for d in law.duties(None, DAY, "prohibition")] == [
        "NHS Act 2006 s.13P", "HSCA 2012 s.196(4)"]
    assert {d.force for d in law.duties("ccg", DAY, "target")} == {"target"}


def test_no_filters_lists_every_norm() -> None:
    assert len(law.duties()) == sum(1 for p in law.provisions() if p.is_norm and not p.versions)


def test_bad_keywords_are_input_errors() -> None:
    with pytest.raises(InputError) as holder:
        law.duties("ccgs")
    assert holder.value.message == "unknown holder 'ccgs'"
    assert holder.value.hint.startswith("use one of: board, ccg, gp-practice")
    with pytest.raises(InputError) as force:
        law.duties(force="must")
    assert force.value.hint == "use one of: obligation, power, regard, target, prohibition"


def test_natural_citation_order() -> None:
    keys = ["s14P", "s14Q", "s14Z", "s14Z1", "s14Z2", "s14Z10", "s14Z16", "s14Z59", "s83", "s223G", "s223GB"]
    ps = [law.index().provisions[f"nhsa06:{k}"] for k in keys]
    assert sorted(ps, key=law.citation_key) == ps
