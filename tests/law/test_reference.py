"""Issue 8, part 5: the law modules checked row by row against the project's legal reference itself.

Reads the tables of ``../shared/reference/legal_facts.md`` and ``legal_verification.md`` (beside the checkout, or
``$CCGKG_SHARED_REFERENCE``; skipped with the reason when absent) and checks every provision row it can against
the ontology:

* address: a row that gives a full legislation.gov.uk address names the provision's ``ccgkg:legislationURI``;
* holder: each holder the row names (Board, CCG, SoS, HWB, LA, Local Healthwatch, providers) holds the provision,
  one of its parts or one of its versions;
* force: each deontic kind the row names (OBL, POW, REGARD, TARGET) is the force of the provision, a part or a
  version;
* in-force dates: the section's commencement and end codes (F-A2, F-26, F-23, F-27, END-CCG, "continues") bound
  the provision's dates; the verification file's corrections (ss.223G and 223K survive; SI 2022/316 removed
  paragraphs on 14.4.2022) override the table;
* status: one rule for every row. A verification finding (VERIFIED, CORRECTED, PARTLY, STILL UNVERIFIED) decides;
  else a row checked against the Bill only is ``bill-only``; a row marked unverified is ``partly-verified`` or
  ``unverified``; a row read on legislation.gov.uk (a source address there) is ``verified``; a row resting only on
  secondary sources is ``partly-verified``. A row given as a range (regs 8-9, reg 11(1)-(2)) is ``partly-verified``
  for each provision of the range unless a finding names that provision.

Rows that name no provision (code tables, dates, counts) or that cannot be mapped to one are listed in
:data:`UNCHECKED` with the reason, and the test fails when that list and the reference disagree.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ccgkg import law
from ccgkg.errors import UnknownCitation

REPO = Path(__file__).resolve().parents[2]
REFERENCE = Path(os.environ.get("CCGKG_SHARED_REFERENCE") or REPO.parent / "shared" / "reference")
FACTS, VERIFICATION = REFERENCE / "legal_facts.md", REFERENCE / "legal_verification.md"

pytestmark = pytest.mark.skipif(
    not (FACTS.is_file() and VERIFICATION.is_file()),
    reason=f"legal reference not found at {REFERENCE} (place shared/ beside the checkout or set CCGKG_SHARED_REFERENCE)")

#: Rows the test cannot check, by (file, section, first cell), with the reason. Compared with the reference.
UNCHECKED: dict[tuple[str, str, str], str] = {
    ("facts", "0", "F-A2"): "commencement code, used by the date checks",
    ("facts", "0", "F-26"): "commencement code, used by the date checks",
    ("facts", "0", "F-23"): "commencement code, used by the date checks",
    ("facts", "0", "F-27"): "commencement code, used by the date checks",
    ("facts", "0", "END-CCG"): "end code, used by the date checks",
    ("facts", "0", "ICB successors (verified)"): "list of ICB successor numbers, checked in tests/law/test_ontology.py",
    ("facts", "6", "SI 2012/2996 Pt 3 https://www.legislation.gov.uk/uksi/2012/2996"):
        "a Part of an instrument; its regulations are separate rows of the ontology",
    ("facts", "6a", "NHS Standard Contract"): "a contract, not a provision; SC1.3 and SC12.5 are checked by name",
    ("facts", "7", "chair/deputy"): "no regulation number in the row; legal_verification.md gives reg 13",
    ("facts", "7", "audit/remuneration committees"): "no regulation number in the row; the verification gives regs 14-15",
    ("verification", "2", "§7 (new, missing from the table)"): "the SI 2022/316 amendment, checked by the date rule",
    ("verification", "2", "§7 header"): "the instrument's commencement, checked by the date rule for §7 rows",
    ("verification", "2", "§7 other reg numbers"): "headings only",
    ("verification", "1", "§0 F-27 / END-CCG"): "an end-code correction, applied by the date rule",
    ("verification", "2", "§7 chair/deputy"): "no regulation number in the first cell; the finding gives reg 13",
    ("verification", "2", "§7 audit/remuneration committees"): "no regulation number in the first cell (regs 14-15)",
}

#: Points where the ontology knowingly differs from a table row, by (citation, check), with the reason. Compared
#: with what the checks find, so a new difference fails the test and a fixed one must be removed from here.
KNOWN_DIFFERENCES: dict[tuple[str, str], str] = {
    # Read against the primary text (HSCA 2012 s.27, legal_verification.md source P1): the reference's holder column
    # names the party the section is about, its force column gives every force to the Board. (s.14B's Board, the
    # other difference listed here before, was the reference being right: s.14B(3)(c), (4)(a) and (5) give the Board
    # powers, now modelled.)
    ("NHS Act 2006 s.223G", "holder ccg"): "legal_facts.md §5 lists the group (icb_facts.md §4 the ICB) as a holder, "
                                           "but in the primary text the group is only paid (1), notified (3), directed "
                                           "(6) and paid on conditions (7); every duty and power is the Board's, as "
                                           "both rows' force columns say (verificationNote on s.223G)",
}

SOURCES_OF_SECTION = {"4": {"LGPIHA": "LGPIHA 2007", "HSCA": "HSCA 2012"}}
HOLDERS = {"Board": "board", "CCG": "ccg", "CCGs": "ccg", "SoS": "secretary-of-state", "HWB": "hwb",
           "LA": "local-authority", "Healthwatch": "healthwatch", "Providers": "provider", "providers": "provider"}
FORCES = {"OBL": "obligation", "POW": "power", "REGARD": "regard", "TARGET": "target"}
STATUS = {"VERIFIED": {"verified"}, "CORRECTED": {"corrected"}, "PARTLY CORRECTED": {"corrected", "partly-verified"},
          "PARTLY": {"partly-verified"}, "STILL UNVERIFIED": {"unverified"}}
EARLIEST, FULL, LAST_CCG_DAY, AMENDED = (dt.date(2012, 3, 27), dt.date(2013, 4, 1), dt.date(2022, 6, 30),
                                         dt.date(2022, 4, 13))


#: The column map of the one table parser: for each reference file, the headers whose cells hold each role (the
#: headers differ from table to table), and how the first cell names the provision. legal_facts.md and icb_facts.md
#: name it directly, before any address; legal_verification.md names the legal_facts.md row it checks, as
#: "§<section> <citation> (<note>)", sometimes with a second name after " / ".
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "facts": {"holder": ("Holder",), "finding": (), "src": ("Src",),
              "kind": ("Kind and content (paraphrase)", "Kind and sub-parts (paraphrase)", "Kind and content",
                       "Kind and content (Board is holder unless stated)", "Content", "Kind")},
    "verification": {"holder": (), "kind": (), "finding": ("Finding",), "src": ("Source",)},
    "icb": {"holder": ("Holder",), "kind": ("Force",), "finding": (), "src": ("Src",)},
}


@dataclass
class Row:
    file: str
    section: str
    cells: dict[str, str]
    key: tuple[str, str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.key = (self.file, self.section, self.first)

    @property
    def first(self) -> str:
        return next(iter(self.cells.values()))

    @property
    def text(self) -> str:
        return " | ".join(self.cells.values())

    def cell(self, role: str) -> str:
        """The cells of the columns that hold ``role`` in this file, joined in column order ("" when none)."""
        return " ".join(v for k, v in self.cells.items() if k in COLUMNS[self.file][role])

    @property
    def named(self) -> tuple[str, str]:
        """The legal_facts.md section the row is about and the provision its first cell names (before any address,
        "(as made)" or "(new ...)"; for the verification file without its section and note)."""
        head = re.split(r"\s+(?:https?://|\.\.\./|…/)", self.first)[0].strip()
        head = re.sub(r"\s*\((as made|new.*)\)$", "", head.replace("§", "")).strip()
        if self.file != "verification":
            return self.section, head
        head = re.sub(r"\s+\(.*\)$", "", re.sub(r"^\d+a?\s+", "", head)).split(" / ")[0]
        return self.first.lstrip("§").split()[0], head


def tables(path: Path, file: str) -> list[Row]:
    """Every row of every markdown table of ``path``, with the number of the section (``## N.`` or ``## (N)``)."""
    rows: list[Row] = []
    section, header = "", None
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^##+\s*(?:\((\d+)\)|(\d+a?)\.)", line)
        if m:
            section, header = m.group(1) or m.group(2), None
            continue
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
        elif not set("".join(cells)) <= set("-: "):
            rows.append(Row(file, section, dict(zip(header, cells))))
    return rows


def source_urls() -> dict[str, str]:
    text = FACTS.read_text(encoding="utf-8").split("## Sources (page addresses)")[1]
    return dict(re.findall(r"\b(S\d+) (\S+)", text))


def _expand(numbers: str) -> list[str]:
    """``14Z17-14Z19`` -> 14Z17, 14Z18, 14Z19; ``13T, 13U`` -> both; ``3-6`` -> 3, 4, 5, 6."""
    out: list[str] = []
    for part in re.split(r",\s*", numbers):
        m = re.fullmatch(r"(\d+[A-Z]*?)(\d+)-(?:\1)?(\d+)", part) or re.fullmatch(r"()(\d+)-(\d+)", part)
        if m:
            out += [f"{m.group(1)}{n}" for n in range(int(m.group(2)), int(m.group(3)) + 1)]
        else:
            m2 = re.fullmatch(r"(\d+[A-Z]+)-(\d+[A-Z]+)", part)
            out += [m2.group(1), m2.group(2)] if m2 else [part]
    return out


def citations(row: Row) -> list[str]:
    """The full citations a provision row names ([] when it names none)."""
    sect, head = row.named
    m = re.fullmatch(r"(?:(LGPIHA|HSCA|Health Act 2009|SI 2012/2996)\s+)?(ss?|regs?|Sch)\.?\s*(.+)", head)
    if not m:
        return []
    source, kind, numbers = m.groups()
    if source is None and sect == "4" and numbers.startswith("116"):
        source = "LGPIHA"
    elif source is None and sect == "7":
        source = "SI 2012/1631"
    elif source is None and sect in ("6", "6a") and kind.startswith("reg"):
        source = "SI 2012/2996"
    name = {"LGPIHA": "LGPIHA 2007", "HSCA": "HSCA 2012"}.get(source or "", source or "NHS Act 2006")
    out = []
    if kind == "Sch":
        return [f"{name} Sch {numbers.split()[0]}"]
    plus = re.fullmatch(r"(\S+) \+ Sch (\S+)", numbers)
    if plus:
        return [f"{name} reg {plus.group(1)}", f"{name} Sch {plus.group(2)}"]
    sub = re.fullmatch(r"(\d+[A-Z]*)\((\d+)\)(?:-\((\d+)\)|,\((\d+)\)|/\((\d+)\))?(.*)", numbers)
    word = "reg" if kind.startswith("reg") else "s."
    sep = " " if word == "reg" else ""
    if sub and sub.group(6) == "":
        base, a = sub.group(1), int(sub.group(2))
        rest = [int(x) for x in sub.groups()[2:5] if x]
        nums = list(range(a, rest[0] + 1)) if sub.group(3) else [a, *rest]
        return [f"{name} {word}{sep}{base}({n})" for n in nums]
    for number in _expand(numbers):
        out.append(f"{name} {word}{sep}{number}")
    return out


def family(p: law.Provision) -> list[law.Provision]:
    idx = law.index()
    return [idx.provisions[c] for c in law.related(p.curie)]


def canonical(uri: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", uri.rstrip("/"))


@dataclass
class Checked:
    rows: int = 0
    problems: list[str] = field(default_factory=list)
    unchecked: dict[tuple[str, str, str], str] = field(default_factory=dict)


def overrides(rows: list[Row]) -> dict[str, set[str]]:
    """Provision curie -> allowed statuses, from the verification file's findings."""
    out: dict[str, set[str]] = {}
    for row in rows:
        finding = row.cell("finding")
        m = re.match(r"\*\*(PARTLY CORRECTED|STILL UNVERIFIED|VERIFIED|CORRECTED|PARTLY)", finding)
        if not m:
            continue
        allowed = set(STATUS[m.group(1)])
        if m.group(1) == "VERIFIED" and re.match(r"\*\*VERIFIED\*\* \((numbers|headings)", finding):
            allowed = {"partly-verified"}  # only numbers and headings were read; the content rests on secondary notes
        if m.group(1) == "VERIFIED" and "precision" in finding:
            allowed |= {"corrected"}
        for cit in citations(row):
            try:
                curie = law.resolve(cit).curie
            except UnknownCitation:
                continue
            out[curie] = allowed
            if "CORRECTED" in m.group(1) or "precision" in finding:
                found_text[curie] = finding
    return out


def expected_status(row: Row, p: law.Provision, ranged: bool, found: dict[str, set[str]],
                    urls: dict[str, str]) -> set[str]:
    if p.curie in found:
        return found[p.curie]
    text = row.text
    if "(bill)" in text:
        return {"bill-only"}
    if ranged:
        return {"partly-verified"}
    named = re.findall(r"\(s\.(\w+) \*\*unverified", text)
    number = re.sub(r"^.*?(?:s\.|reg )", "", p.citation)
    if named and number not in named:
        text = re.sub(r"\(s\.\w+ \*\*unverified\*\*\)", "", text)
    if "unverified" in text.lower():
        if any("verified" in found.get(c, ()) for c in law.related(p.curie)[1:]):
            return {"verified"}  # the open point is a part that legal_verification.md verified
        return {"partly-verified", "unverified"}
    cited = [urls.get(s, "") for s in re.findall(r"\[(S\d+)\]", row.cell("src"))]
    if any(re.search(r"legislation(\.data)?\.gov\.uk", u) for u in cited):
        return {"verified"}
    return {"partly-verified"}


def expected_until(row: Row, p: law.Provision) -> tuple[bool, dt.date | None] | None:
    """Whether the row fixes the end date and what it is (None: no claim)."""
    text, sect = row.text, row.section
    if any(c.startswith("ccgregs22:") for c in p.repealed_by):
        return True, AMENDED
    if sect in ("1", "2", "3") or sect == "7":
        return True, LAST_CCG_DAY
    if sect == "5":
        if p.curie in ("nhsa06:s223G", "nhsa06:s223K") or "F-23" in text:
            return True, None  # legal_verification.md (1): ss.223G and 223K survive, adapted for ICBs
        return True, LAST_CCG_DAY
    if sect in ("4", "6") or "continues" in text:
        return True, None
    return None


found_text: dict[str, str] = {}


def resolved(row: Row, result: Checked) -> list[tuple[str, law.Provision]]:
    """The provisions a row names, each with its citation; a row naming none is noted as unchecked, a citation the
    ontology lacks as a problem. Both files' rows are read this way."""
    cits = citations(row)
    if not cits:
        result.unchecked[row.key] = "names no provision"
        return []
    out = []
    for cit in cits:
        try:
            out.append((cit, law.resolve(cit)))
        except UnknownCitation:
            result.problems.append(f"{row.key}: {cit} is not in the ontology")
    if out:
        result.rows += 1
    return out


def check_finding(row: Row, result: Checked, found: dict[str, set[str]]) -> None:
    """A legal_verification.md row: the provision it names has the status its finding gives."""
    for cit, p in resolved(row, result):
        if p.curie in found and p.verification not in found[p.curie]:
            result.problems.append(f"verification §{row.section} {cit}: {p.citation} is {p.verification}; the "
                                   f"finding gives {sorted(found[p.curie])}")


def check_row(row: Row, result: Checked, found: dict[str, set[str]], urls: dict[str, str]) -> None:
    """A legal_facts.md row: address, holder, force, status and dates of the provisions it names."""
    named = resolved(row, result)
    if not named:
        return
    provisions = [p for _, p in named]
    where = f"{row.file} §{row.section} {named[0][0]}"
    first = row.first
    url = re.search(r"https://www\.legislation\.gov\.uk/\S+", first)
    if url and len(provisions) == 1 and provisions[0].legislation_uri:
        have, want = canonical(provisions[0].legislation_uri), canonical(url.group(0))
        if have != want and not have.startswith(want + "/"):
            result.problems.append(f"{where}: address {provisions[0].legislation_uri} != {url.group(0)}")
    members = [q for p in provisions for q in family(p)]
    holder_cell = re.sub(r"\([^)]*\)", "", row.cell("holder"))
    if not holder_cell and row.section == "6" and any(q.is_norm for q in members):
        holder_cell = "Board" if "(SoS" not in row.text else "SoS"
    corrected = any(found_text.get(p.curie, "") for p in provisions)
    if holder_cell and not corrected:
        held = {h for q in members for h in q.holders}
        for token, keyword in HOLDERS.items():
            if re.search(rf"(?<![\w-]){re.escape(token)}(?![\w-])", holder_cell) and keyword not in held:
                if keyword == "provider" and any("provider" in h for h in held):
                    continue
                result.problems.append(f"{where}: holder {keyword}")
    kind = row.cell("kind")
    kind = kind.split(" Also ")[0]  # "Also Health Act 2009 s.2: REGARD ..." is another Act's row
    forces = {q.force for q in members}
    for token, force in FORCES.items():
        if re.search(rf"\b{token}\b", kind) and force not in forces and not corrected:
            result.problems.append(f"{where}: force {force}")
    ranged = row.file == "facts" and bool(re.search(r"\d[A-Z]*\)?-\(?\d", first.split(" http")[0]))
    for p in provisions:
        allowed = expected_status(row, p, ranged, found, urls)
        if p.verification not in allowed:
            result.problems.append(f"{where}: {p.citation} is {p.verification}; the reference gives {sorted(allowed)}")
        until = expected_until(row, p)
        if until is not None and until[0] and p.in_force_until != until[1]:
            result.problems.append(f"{where}: {p.citation} in force until {p.in_force_until}; the reference gives "
                                   f"{until[1] or 'continuing'}")
        if row.section in ("1", "2", "3", "4", "5", "7") and p.in_force_from is not None and not (
                EARLIEST <= p.in_force_from <= FULL):
            result.problems.append(f"{where}: {p.citation} in force from {p.in_force_from}, outside the staged "
                                   f"commencement {EARLIEST}..{FULL}")


@pytest.fixture(scope="module")
def checked() -> Checked:
    facts = [r for r in tables(FACTS, "facts") if r.section not in ("8", "9")]
    verification = tables(VERIFICATION, "verification")
    found, urls, result = overrides(verification), source_urls(), Checked()
    for row in facts:
        check_row(row, result, found, urls)
    for row in verification:
        check_finding(row, result, found)
    return result


def test_reference_rows_agree_with_the_ontology(checked: Checked) -> None:
    assert checked.rows > 90
    known = [f"{cit}: {check}" for cit, check in KNOWN_DIFFERENCES]
    found = [p.split(" ", 2)[-1] for p in checked.problems]
    assert [p for p, short in zip(checked.problems, found) if short not in known] == []
    assert sorted(k for k in known if k not in found) == []


def test_rows_not_checked_are_the_known_list(checked: Checked) -> None:
    assert set(checked.unchecked) == set(UNCHECKED)


def test_dates_and_counts_tables_are_out_of_scope() -> None:
    """Sections 8 (key dates) and 9 (counts) describe no provision: their rows are read, counted, not checked."""
    rows = [r for r in tables(FACTS, "facts") if r.section in ("8", "9")]
    assert len(rows) == 22


# -- Issue 8 §2: every amendment the reference records for these provisions is a pair of versions --------------

ICB_FACTS = REFERENCE / "icb_facts.md"

A12 = '**LGPIHA s.116A(1)-(2A)** ("joint **local** health and wellbeing strategies")'

#: (work citation, reference file, first cell of the row recording the amendment, what that row must say,
#: the amending provisions the ontology names, the holder before and from 1.7.2022 when the row names the ICB)
AMENDMENTS: list[tuple[str, str, str, tuple[str, ...], tuple[str, ...], tuple[str, str] | None]] = [
    ("NHS Act 2006 s.13G", "facts", "s.13G", ("amended by HCA 2022 s.6",), ("HCA 2022 s.6",), None),
    ("NHS Act 2006 s.13L", "facts", "s.13L", ("HCA 2022 s.7 added reporting",), ("HCA 2022 s.7",), None),
    ("NHS Act 2006 s.13Q", "facts", "s.13Q", ("HCA 2022 s.10 added carers",), ("HCA 2022 s.10",), None),
    ("NHS Act 2006 s.3B", "facts", "s.3B https://www.legislation.gov.uk/ukpga/2006/41/section/3B",
     ("Amended by HCA 2022 s.2",), ("HCA 2022 s.2",), None),
    ("NHS Act 2006 s.223G", "icb", "s.223G", ("ICB wording from 1.7.2022 (HCA Sch 4 para 118)",),
     ("HCA 2022 Sch 4 para 118",), None),
    ("NHS Act 2006 s.223G(1)", "icb", "s.223G", ("ICB wording from 1.7.2022 (HCA Sch 4 para 118)", "OBL (1)"),
     ("HCA 2022 Sch 4 para 118",), None),
    *[(f"NHS Act 2006 s.223G({n})", "icb", "s.223G", ("ICB wording from 1.7.2022 (HCA Sch 4 para 118)", "(1)-(6) read"),
       ("HCA 2022 Sch 4 para 118",), None) for n in ("2", "3", "5", "6")],
    ("NHS Act 2006 s.223G(7)", "icb", "s.223G", ("ICB wording from 1.7.2022 (HCA Sch 4 para 118)", "(7) truncated"),
     ("HCA 2022 Sch 4 para 118",), None),
    # The row names s.16 and Sch 4 para 120 together; the primary text (HCA 2022, the row's source P1) shows that
    # para 120 amends (1) and (7) and s.16 only omits (4)-(5) (tests/law/test_icb_versions.py).
    ("NHS Act 2006 s.223K(1)", "icb", "s.223K", ("ICB wording 1.7.2022 (HCA s.16; Sch 4 para 120)",
                                                  "NHSE may make quality payments to an ICB"),
     ("HCA 2022 Sch 4 para 120",), None),
    ("NHS Act 2006 s.223K(7)", "icb", "s.223K", ("ICB wording 1.7.2022 (HCA s.16; Sch 4 para 120)", "s.223K(7)"),
     ("HCA 2022 Sch 4 para 120",), ("ccg", "icb")),
    ("HSCA 2012 s.194(2)(f)", "icb", "**s.194(2)(f)**", ("ICB wording **from 1.7.2022** (HCA **Sch 4 para 184**)",),
     ("HCA 2022 Sch 4 para 184",), None),
    # The row names no amending provision; the primary text (HCA 2022 Sch 4 para 184, the row's source P1) does.
    ("HSCA 2012 s.194(6)", "icb", "**s.194(6)**", ("| relevant ICB | OBL | 1.7.2022 |",), ("HCA 2022 Sch 4 para 184",),
     ("ccg", "icb")),
    ("HSCA 2012 s.194(7)", "icb", "s.194(7)", ("| HWB; ICBs | POW | 1.7.2022 |",), ("HCA 2022 Sch 4 para 184",),
     ("ccg", "icb")),
    ("HSCA 2012 s.194(10)", "icb", "**s.194(10)**", ("| relevant ICB | OBL | 1.7.2022 |",), ("HCA 2022 Sch 4 para 184",),
     ("ccg", "icb")),
    ("HSCA 2012 s.196(1)", "icb", "HSCA s.196(1)", ("ICB wording 1.7.2022 (Sch 4 para 185)",),
     ("HCA 2022 Sch 4 para 185",), None),
    ("LGPIHA 2007 s.116", "icb", "LGPIHA s.116(4), (6)-(9)", ("ICB wording 1.7.2022 (HCA s.26(3))",),
     ("HCA 2022 s.26(3)",), ("ccg", "icb")),
    ("LGPIHA 2007 s.116(7)", "icb", "LGPIHA s.116(4), (6)-(9)", ("ICB wording 1.7.2022 (HCA s.26(3))", "**or NHSE**"),
     ("HCA 2022 s.26(3)",), None),
    *[(f"LGPIHA 2007 s.116A{n}", "icb", A12, ("1.7.2022 (HCA s.26(5))",), ("HCA 2022 s.26(5)",), holders)
      for n, holders in (("", None), ("(1)", None), ("(2)", ("ccg", "icb")))],
    *[(f"LGPIHA 2007 s.116A({n})", "icb", "**s.116A(3)-(8)**", ("as modified 1.7.2022", "[P1] s.26(5)"),
       ("HCA 2022 s.26(5)",), ("ccg", "icb")) for n in ("3", "4", "5", "7")],
    *[(f"LGPIHA 2007 s.116B{n}", "icb", "**LGPIHA s.116B(1)** (substituted)", ("1.7.2022 (HCA s.26(6))",),
       ("HCA 2022 s.26(6)",), ("ccg", "icb")) for n in ("", "(1)", "(1)(a)", "(1)(b)")],
    ("LGPIHA 2007 s.116B(2)", "icb", "**s.116B(2)**", ("| NHSE | REGARD | 1.7.2022 |",), ("HCA 2022 s.26(6)",), None),
    ("Health Act 2009 s.2(2)(cb)", "icb", "Health Act 2009 s.2(2)(cb)", ("The HCA replaced the CCG entry",
                                                                        "Sch 4 para 170"),
     ("HCA 2022 Sch 4 para 170",), ("ccg", "icb")),
]


def commenced_1_july_2022() -> set[str]:
    """The HCA 2022 sections and Schedules that S.I. 2022/734 brought into force on 1.7.2022 (icb_facts.md §0)."""
    (row,) = [r for r in tables(ICB_FACTS, "icb") if r.key[1:] == ("0", "C-1Jul")]
    sections = re.search(r"HCA ss\.(.*?) and others", row.text)
    schedules = re.search(r"Schs (.*?) and others", row.text)
    assert sections and schedules, row.text
    out: set[str] = set()
    for kind, listed in (("s.", sections.group(1)), ("Sch ", schedules.group(1))):
        for item in re.findall(r"(\d+)(?:-(\d+))?", listed):
            out |= {f"{kind}{n}" for n in range(int(item[0]), int(item[1] or item[0]) + 1)}
    return out


@pytest.mark.parametrize(("work", "file", "first", "says", "amenders", "holders"), AMENDMENTS)
def test_recorded_amendment_is_a_pair_of_versions(work: str, file: str, first: str, says: tuple[str, ...],
                                                  amenders: tuple[str, ...], holders: tuple[str, str] | None) -> None:
    rows = [r for r in tables(FACTS if file == "facts" else ICB_FACTS, file) if r.key[2] == first]
    assert len(rows) == 1, f"{file}: no single row {first!r}"
    assert all(s in rows[0].text for s in says), (first, says)
    p = law.resolve(work)
    idx = law.index()
    before, after = (idx.provisions[c] for c in p.versions)
    assert (before.in_force_until, after.in_force_from) == (LAST_CCG_DAY, dt.date(2022, 7, 1))
    assert before.version_of == after.version_of == p.curie
    assert [idx.provisions[a].citation for a in after.amended_by] == list(amenders)
    assert (before.legislation_uri, after.legislation_uri) == (
        f"{p.legislation_uri}/2013-04-01", f"{p.legislation_uri}/2022-07-01")
    if holders:
        assert holders[0] in before.holders and holders[1] not in before.holders
        assert holders[1] in after.holders and holders[0] not in after.holders
    else:
        assert before.holders == after.holders and before.force == after.force
    live = commenced_1_july_2022()
    for a in amenders:
        number = re.match(r"HCA 2022 (s\.\d+|Sch \d+)", a)
        assert number and number.group(1) in live, f"{a} is not in the S.I. 2022/734 Schedule (icb_facts.md §0)"
    if not amenders:  # the reference gives the ICB wording and its date but no amending provision
        assert "amending provision" in (after.verification_note or "")
