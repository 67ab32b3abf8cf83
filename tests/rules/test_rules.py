"""Issue 4, part 1: each rule has a valid fixture (no finding) and an invalid one with exactly the findings listed
here: (severity, focus, shape, provisions, value, first day, last day), IRIs by their last segment. Each case
runs only the shapes enforcing its citations, on one day (``as_of``) or on every change day (``None``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ccgkg import store, validation

FIXTURES = Path(__file__).parent / "fixtures"
D = dt.date(2016, 10, 17)
ON = (D.isoformat(), D.isoformat())

CASES: dict[str, dict] = {
    "hwb-membership": {"as_of": D, "provisions": ["s.194(2)"], "invalid": [
        ('violation', 'L1-HWB', 'BoardHasCouncillor', ('hsca12:s194-2-a',), 'L1-HWB', *ON),
        ('violation', 'L1-HWB', 'BoardHasDirectorOfAdultSocialServices', ('hsca12:s194-2-b',), 'L1-HWB', *ON),
        ('violation', 'L1-HWB', 'BoardHasDirectorOfChildrensServices', ('hsca12:s194-2-c',), 'L1-HWB', *ON),
        ('violation', 'L1-HWB', 'BoardHasDirectorOfPublicHealth', ('hsca12:s194-2-d',), 'L1-HWB', *ON),
        ('violation', 'L1-HWB', 'BoardHasHealthwatchRepresentative', ('hsca12:s194-2-e',), 'L1-HWB', *ON),
        ('violation', 'L1-HWB', 'BoardRepresentsEachRelevantGroup', ('hsca12:s194-2-f_enacted',), '00B', *ON),
    ]},
    "governing-body": {"as_of": D, "provisions": ["SI 2012/1631 reg 11", "SI 2012/1631 reg 12"], "invalid": [
        ('violation', '00A', 'GoverningBodyHasChairAndDeputy', ('ccgregs12:reg11-1',), 'DeputyChair', *ON),
        ('violation', '00A', 'GoverningBodyHasSixMembers', ('ccgregs12:reg11-1_made',), '00A', *ON),
        ('violation', '00B', 'GoverningBodyHasSixMembers', ('ccgregs12:reg11-1_made',), '00B', *ON),
        ('violation', '00B', 'GoverningBodyHasAccountableOfficer', ('ccgregs12:reg11-2',), 'AccountableOfficer', *ON),
        ('violation', '00B', 'GoverningBodyHasChiefFinanceOfficer', ('ccgregs12:reg11-3-a',),
         'ChiefFinanceOfficer', *ON),
        ('violation', '00B', 'GoverningBodyHasRegisteredNurse', ('ccgregs12:reg11-3-b_made',), 'RegisteredNurse', *ON),
        ('violation', '00A', 'GoverningBodyHasSecondaryCareSpecialist', ('ccgregs12:reg11-3-c_made',),
         'SecondaryCareSpecialist', *ON),
        ('violation', '00B', 'GoverningBodyHasSecondaryCareSpecialist', ('ccgregs12:reg11-3-c_made',),
         'SecondaryCareSpecialist', *ON),
        ('violation', '00B', 'GoverningBodyHasAuditLayMember', ('ccgregs12:reg11-3-d', 'ccgregs12:reg12-3_made'),
         'LayMemberGovernance', *ON),
        ('violation', '00A', 'GoverningBodyHasAreaLayMember', ('ccgregs12:reg11-3-e', 'ccgregs12:reg12-4'),
         'LayMemberPPI', *ON),
        ('violation', '00B', 'GoverningBodyHasAreaLayMember', ('ccgregs12:reg11-3-e', 'ccgregs12:reg12-4'),
         'LayMemberPPI', *ON),
        ('violation', '00A', 'ClinicalMembersIndependentOfProviders', ('ccgregs12:reg12-1',), 'nurse', *ON),
        ('violation', '00A', 'LayMembersNotExcluded', ('ccgregs12:reg12-5', 'ccgregs12:sch4'), 'laygov', *ON),
        ('violation', '00A', 'NoCouncillorOnGoverningBody', ('ccgregs12:reg12-6', 'ccgregs12:sch5'), 'cfo', *ON),
    ]},
    "governing-body-2022": {"as_of": dt.date(2022, 5, 1), "provisions": ["SI 2012/1631 reg 11", "SI 2012/1631 reg 12"],
                            "invalid": [
        ('violation', '00A', 'GoverningBodyHasFourMembers', ('ccgregs12:reg11-1_2022-04-14',), '00A', '2022-05-01',
         '2022-05-01'),
        ('violation', '00A', 'GoverningBodyHasChiefFinanceOfficer', ('ccgregs12:reg11-3-a',), 'ChiefFinanceOfficer',
         '2022-05-01', '2022-05-01'),
        ('violation', '00A', 'GoverningBodyHasNurseOrSpecialist', ('ccgregs12:reg11-3-b_2022-04-14',),
         'RegisteredNurse', '2022-05-01', '2022-05-01'),
        ('violation', '00A', 'GoverningBodyHasLayMember', ('ccgregs12:reg11-3-c_2022-04-14',
                                                            'ccgregs12:reg12-3_2022-04-14'), 'LayMember',
         '2022-05-01', '2022-05-01'),
    ]},
    "membership": {"as_of": D, "provisions": ["s.14A"], "invalid": [
        ("info", "A1", "PracticeIsMemberOfOneGroup", ("nhsa06:s14A-1",), "A1", *ON),
        ("violation", "A4", "PracticeIsMemberOfAGroup", ("nhsa06:s14A-1",), "A4", *ON),
    ]},
    "names": {"as_of": D, "provisions": ["SI 2012/1631 reg 4", "SI 2012/1631 reg 6"], "invalid": [
        ("violation", "00A", "NameBeginsWithNHS", ("ccgregs12:reg4",), "Lone Clinical Commissioning Group", *ON),
        ("violation", "00B", "NameEndsWithClinicalCommissioningGroup", ("ccgregs12:reg6",), "NHS Ltwo Commissioners",
         *ON),
    ]},
    "finance": {"as_of": D, "provisions": ["s.223H", "s.223I", "s.223K"], "invalid": [
        ("violation", "r", "ExpenditureWithinAllotment", ("nhsa06:s223H-1",), "100.5", *ON),
        ("violation", "r", "CapitalUseWithinLimit", ("nhsa06:s223I-2",), "6.0", *ON),
        ("violation", "r", "RevenueUseWithinLimit", ("nhsa06:s223I-3",), "91.0", *ON),
        ("violation", "r", "QualityPaymentExplained", ("nhsa06:s223K-7_enacted",), "2.0", *ON),
    ]},
    "plans": {"as_of": D, "provisions": ["s.14Z11", "s.14Z13", "s.14Z15", "s.14Z16", "s.14R", "s.14T"], "invalid": [
        ('warning', '00B', 'QualityDutyEvidence', ('nhsa06:s14R-1',), '2016-17', *ON),
        ('warning', '00C', 'QualityDutyEvidence', ('nhsa06:s14R-1',), '2016-17', *ON),
        ('warning', '00A', 'InequalitiesDutyEvidence', ('nhsa06:s14T',), '2016-17', *ON),
        ('warning', '00B', 'InequalitiesDutyEvidence', ('nhsa06:s14T',), '2016-17', *ON),
        ('warning', '00C', 'InequalitiesDutyEvidence', ('nhsa06:s14T',), '2016-17', *ON),
        ('violation', '00C', 'PlanForEachYear', ('nhsa06:s14Z11-1',), '2016-17', *ON),
        ('violation', '00A', 'PlanConsultsEachRelevantBoard', ('nhsa06:s14Z13-4',), 'L1-HWB', *ON),
        ('violation', 'L1-HWB', 'BoardGivesOpinionOnPlan', ('nhsa06:s14Z13-5',), 'plan-b', *ON),
        ('violation', '00B', 'AnnualReportForEachYear', ('nhsa06:s14Z15-1',), '2016-17', *ON),
        ('violation', '00C', 'AnnualReportForEachYear', ('nhsa06:s14Z15-1',), '2016-17', *ON),
        ('violation', '00A', 'AnnualReportCoversDuties', ('nhsa06:s14Z15-2-a',), 's14T', *ON),
        ('violation', '00A', 'AnnualReportCoversDuties', ('nhsa06:s14Z15-2-a',), 's14Z2', *ON),
        ('violation', '00A', 'BoardAssessesEachGroup', ('nhsa06:s14Z16-6',), '2016-17', *ON),
        ('violation', '00B', 'BoardAssessesEachGroup', ('nhsa06:s14Z16-6',), '2016-17', *ON),
        ('violation', '00C', 'BoardAssessesEachGroup', ('nhsa06:s14Z16-6',), '2016-17', *ON),
    ]},
    "guidance": {"as_of": {"valid": dt.date(2014, 1, 1), "invalid": dt.date(2013, 6, 1)},
                 "provisions": ["s.14U", "s.14W", "s.14Z2"], "invalid": [
        ("info", "X24", "BoardPublishedInvolvementGuidance", ("nhsa06:s14U-2", "nhsa06:s14U-3"), "s14U-2",
         "2013-06-01", "2013-06-01"),
    ]},
    "contracts": {"as_of": D, "provisions": ["s.83", "s.99", "s.126", "SI 2012/2996 reg 11", "SI 2012/2996 reg 17"],
                  "invalid": [
        ("violation", "pm", "PrimaryMedicalCommissionedByBoard", ("nhsa06:s83",), "00A", *ON),
        ("violation", "dental", "DentalCommissionedByBoard", ("nhsa06:s99",), "00A", *ON),
        ("violation", "pharm", "PharmaceuticalCommissionedByBoard", ("nhsa06:s126",), "00A", *ON),
        ("violation", "spec", "SpecialisedCommissionedByBoard", ("standingrules12:reg11",), "00A", *ON),
        ("violation", "comm", "SecondaryCareUsesStandardContract", ("standingrules12:reg17-4", "standingrules12:reg17-5"),
         "OtherContractForm",
         *ON),
        ("violation", "mh", "SecondaryCareUsesStandardContract", ("standingrules12:reg17-4", "standingrules12:reg17-5"),
         "mh", *ON),
    ]},
    "time": {"as_of": None, "provisions": ["s.14Z27", "SI 2012/1631 reg 11(3)(b)"], "invalid": [
        ("violation", "00A", "NoGroupAfterAbolition", ("nhsa06:s14Z27", "hca22:sch4-para100"), "00A", "2022-07-01",
         "2023-03-31"),
        ("violation", "00A", "GoverningBodyHasRegisteredNurse", ("ccgregs12:reg11-3-b_made",), "RegisteredNurse",
         "2022-01-01", "2022-04-13"),
        ("violation", "00A", "GoverningBodyHasNurseOrSpecialist", ("ccgregs12:reg11-3-b_2022-04-14",),
         "RegisteredNurse", "2022-04-14", "2022-06-30"),
    ]},
}


def _last(iri: str | None) -> str | None:
    return None if iri is None else iri.rsplit("/", 1)[-1]


def findings(rule: str, kind: str) -> list[tuple]:
    case = CASES[rule]
    as_of = case["as_of"][kind] if isinstance(case["as_of"], dict) else case["as_of"]
    data = store.load(FIXTURES / f"{rule}-{kind}.ttl")
    result = validation.validate(data, as_of=as_of, provisions=case["provisions"])
    return [(f.severity, _last(f.focus), _last(f.shape), tuple(p.curie for p in f.provisions), _last(f.value),
             f.date.isoformat() if f.date else None, f.until.isoformat() if f.until else None)
            for f in result.findings]


@pytest.mark.parametrize("rule", sorted(CASES))
def test_valid_fixture_has_no_finding(rule: str) -> None:
    assert findings(rule, "valid") == []


@pytest.mark.parametrize("rule", sorted(CASES))
def test_invalid_fixture_has_exactly_the_expected_findings(rule: str) -> None:
    assert findings(rule, "invalid") == CASES[rule]["invalid"]


def test_every_legal_shape_has_an_invalid_case() -> None:
    """Every bundled legal shape fires in some invalid fixture (so none is untested)."""
    fired = {row[2] for case in CASES.values() for row in case["invalid"]}
    rules = validation.shape_rules(store.shapes_graph())
    legal = {_last(str(r.node)) for r in rules if r.provisions}
    assert legal - fired == set()
