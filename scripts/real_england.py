"""Regenerate docs/real-england.md: one ``ccgkg validate`` run over the real files of ../shared/data, judging the whole
CCG era (2013-04-01 to 2022-06-30, every judging day), with the outcome of each SI 2012/1631 reg 11-12 rule for the
governing bodies the governance extract records in full (issue 10).

Usage: ``python scripts/real_england.py [DATA] [--check]`` (DATA defaults to ../shared/data beside the checkout).
``--check`` compares with the page instead of writing it (tests/coverage/test_real_england.py checks it).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ccgkg import report, store, validation
from ccgkg.coverage import Coverage, Span
from ccgkg.namespaces import CCGKG

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "real-england.md"
COMMAND = "ccgkg validate ../shared/data"
#: the governing bodies the extract records completely, and the meeting days (the data README, section 7, and the
#: attendance lists of Halton's minutes).
MEETINGS = (("99A", "2015-12-08"), ("01F", "2016-07-07"), ("01R", "2017-08-03"), ("02D", "2017-08-03"),
            ("01F", "2020-01-09"), ("15M", "2022-03-03"))
REGS = "SI 2012/1631 reg 1"  # regs 11 and 12 (and Schedules 4-5 cited with them)
#: a meeting's posts are covered on its day: this reason of the rest of a group's life says nothing about that day.
NOT_HELD = "posts of governing bodies not held for these days"
CAVEATS = [
    "What a reader should know when checking these findings against their records:", "",
    ("- The governing-body findings rest on the meeting records named as their source, read as complete lists of "
     "members on that day (`ccgkg.importers.governance`; roles mapped by the table in docs/validate.md). Each "
     "group is judged on the day of a meeting only: a meeting record says who sat on the body that day, not for "
     "how long."),
    ("- Halton's minutes of 2016-07-07 and 2020-01-09 and the minutes of 3 August 2017 name lay members as "
     "\"Lay Member\" without saying which is the member qualified in financial management and audit (reg 11(3)(d)) "
     "or the member with knowledge of the area (reg 11(3)(e)). The record does not show the qualification, so "
     "those two rules are not judged for those body-days (\"lay members' qualifications not stated in the "
     "record\" in the coverage table), not breached. The number of lay members is still judged: a body with fewer "
     "lay members than the rules have seats would breach whatever their qualifications."),
    ("- The 3 August 2017 meeting in common of 01R and 02D: the extract's rows say \"attendance table read from "
     "excerpt layout; excerpt is partial\". The data README (section 7) lists this meeting among the complete "
     "governing bodies for statutory-composition tests, and ccgkg follows the README: the attendance list is read "
     "as complete and judged. Its findings say what that excerpt lists; a fuller copy of the minutes may show the "
     "accountable officer, the chief finance officer or the nurse that the excerpt lacks. The note stays with the "
     "meeting's coverage statement in the graph (`rdfs:comment`)."),
    ("- The six SI 2012/1631 reg 6 findings name groups by their 2013 ONS names (`ons/ccg13_names_codes_apr2013.csv`, "
     "e.g. \"NHS Gateshead\"), the only name the data gives those groups (each closed or merged by 2017); the "
     "data README (\"Names\") says the 2013 ONS names omit the \"CCG\" suffix. Each finding shows what the file "
     "says; the group's "
     "constitution is the record to check it against."),
    ("- Rules that read plans, reports, assessments, opinions, returns or contracts judge nothing here: the data "
     "holds none of those records, and the coverage table says so."),
    ("- Practices in Wales (ODS national grouping W00) are not judged; a practice that an earlier ODS file gives "
     "another prescribing setting is judged only from the first file that gives it as a GP practice."),
    ("- The reported deficits, control totals and legal directions of the finance extract are kept as leads with "
     "their sources (`ccgkg explain CODE ../shared/data` lists them); no rule judges them."),
]


#: the decision on a meeting the extract calls partial (issue 10 item 4), printed beside its outcomes.
DECISION = ("Decision: the data README (section 7) lists this meeting among the complete governing bodies for "
            "statutory-composition tests, so ccgkg reads its attendance list as complete and judges it; each "
            "breach below is what the excerpt lists, and a fuller copy of the minutes may show the member it lacks.")


def _on(day: dt.date, spans: tuple[Span, ...]) -> bool:
    return any(a <= day <= b for a, b in spans)


def outcomes(cov: Coverage, code: str, day: dt.date) -> list[tuple[str, str, str, str]]:
    """(provisions, rule, outcome, why not judged) of each SI 2012/1631 reg 11-12 rule applied to ``code`` on
    ``day`` (the versions in force that day: a rule not in force is not applied, so it is not listed)."""
    out = []
    for rule, org in cov.for_organisation(f"https://w3id.org/ccgkg/id/org/{code}"):
        cites = "; ".join(p.citation for p in rule.provisions)
        if not cites.startswith(REGS) or not (_on(day, org.judged) or _on(day, org.not_judged)):
            continue
        if _on(day, org.breached):
            outcome, why = "breached", ""
        elif _on(day, org.judged):
            outcome, why = "passed", ""
        else:
            outcome, why = "not judged", "; ".join(r for r in org.reasons if r != NOT_HELD)
        out.append((cites, rule.label, outcome, why))
    return out


def meeting(graph: Graph, code: str, day: str) -> tuple[list[str], list[str]]:
    """The sources of the coverage statement of ``code``'s meeting on ``day`` and the extract's notes on how its
    attendance list was read."""
    org = URIRef(f"https://w3id.org/ccgkg/id/org/{code}")
    node = next((s for s in graph.subjects(CCGKG.coversOrganisation, org)
                 if (s, CCGKG.evidenceKind, CCGKG.GoverningBodyPosts) in graph
                 and str(graph.value(s, CCGKG.startDate)) == day), None)
    if node is None:
        return [], []
    return (sorted(str(s) for s in graph.objects(node, DCTERMS.source)),
            sorted(str(n) for n in graph.objects(node, RDFS.comment)))


def undated(graph: Graph) -> list[str]:
    """One table row per record without a day: body, date as stated, who, source."""
    rows = []
    for node in graph.subjects(RDF.type, CCGKG.UndatedRecord):
        body = str(graph.value(node, CCGKG.recordAbout)).rsplit("/", 1)[-1]
        stated = str(graph.value(node, CCGKG.dateAsStated) or "") or "(blank)"
        what = str(graph.value(node, DCTERMS.description)).replace("|", "/")
        rows.append(f"| {body} | {stated} | {what} | {graph.value(node, DCTERMS.source) or ''} |")
    return sorted(rows)


def build(data_dir: str) -> str:
    from ccgkg.importers import survey

    graph = store.load(data_dir)
    files = survey(Path(data_dir))
    skipped = [f for f in files if f.kind is None]
    result = validation.validate(graph)
    cov = result.coverage
    assert cov is not None
    by_provision: dict[str, int] = {}
    for f in result.findings:
        key = "; ".join(p.citation for p in f.provisions)
        by_provision[key] = by_provision.get(key, 0) + 1
    meetings = []
    for code, day in MEETINGS:
        org = URIRef(f"https://w3id.org/ccgkg/id/org/{code}")
        name = min((str(n) for n in graph.objects(org, RDFS.label)), default=code)
        sources, notes = meeting(graph, code, day)
        said = " ".join([*(f"Extract's note on the attendance list: \"{n}\"." for n in notes),
                         *([DECISION] if any("partial" in n for n in notes) else [])])
        meetings += [f"### {code} {name}, {day}", "", "Source: " + ", ".join(sources) + ".", "",
                     *([said, ""] if said else []),
                     "| provisions | rule | outcome | why not judged |", "|---|---|---|---|",
                     *(f"| {c} | {label} | {outcome} | {why} |"
                       for c, label, outcome, why in outcomes(cov, code, dt.date.fromisoformat(day))), ""]
    records = undated(graph)
    parts = [
        "# Real England: what the shared data lets ccgkg judge", "",
        ("Generated by `python scripts/real_england.py` from the real files of `../shared/data` (ODS, ONS, lookups, "
         "derived tables, the governance and finance extracts); `tests/coverage/test_real_england.py` checks that "
         "this page is what the script prints. It is one run of:"), "",
        "```", COMMAND, "```", "",
        ("over the whole CCG era, 2013-04-01 to 2022-06-30 (every judging day: each day on which some fact or some "
         "law changes; the ICB-era rules run past it to the last day the data names). Only findings a person can "
         "check against a record are reported: each names its source (the ODS/ONS files or the minutes' address); "
         "the coverage table says, per rule, how many organisation-days were judged and why the others were not."),
        "",
        "## Files read", "", f"Read {len(files) - len(skipped)} of {len(files)} files in {data_dir}; skipped:", "",
        *(f"- `{f.path}`: {f.reason}" for f in skipped), "",
        "## Counts", "",
        f"`{COMMAND}`: {report.summary_line(result)}; {cov.not_judged:,} organisation-days not judged.", "",
        "| provisions | findings |", "|---|---|", *(f"| {k} | {n} |" for k, n in sorted(by_provision.items())), "",
        *CAVEATS, "",
        "## The governing bodies recorded in full, against SI 2012/1631 regs 11-12", "",
        ("The outcome of each rule on the day of each meeting, from the coverage of the run above. Each rule is the "
         "version in force on that day (the ontology's in-force dates of each paragraph): the regulations as made "
         "to 2022-04-13, so on 2022-03-03 too; SI 2022/316's amended rules apply from 2022-04-14, after the last "
         "meeting of the extract."), "",
        *meetings,
        "## Records without a day", "",
        (f"The governance extract has {len(records)} member rows whose meeting has no ISO date (\"2016/17 municipal "
         "year\", \"2017 (meeting approving ...)\", blank). No day can be judged from a meeting whose date is not "
         "known, and ccgkg does not invent one: each row is imported as a `ccgkg:UndatedRecord` with its source "
         "(docs/import.md, \"Records without a day\"), holds no post and covers no day, and the coverage table "
         "names it as the reason its body was not judged (\"... recorded only without a day ...\")."), "",
        "| body | date as stated | record | source |", "|---|---|---|---|", *records, "",
        "## The report", "",
        f"`{COMMAND}` (text report: every finding with its sources, then the coverage table):", "",
        "```", report.render_text(result).rstrip(), "```", ""]
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    data_dir = args[0] if args else str(ROOT.parent / "shared" / "data")
    text = build(data_dir)
    if "--check" in argv:
        return 0 if PAGE.read_text(encoding="utf-8") == text else 1
    PAGE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
