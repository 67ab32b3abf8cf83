"""Render a :class:`ccgkg.validation.ValidationResult`: text, JSON, Turtle, JSON-LD or one self-contained HTML page.

The JSON form is a stable contract for scripts (docs/validate.md, "JSON"); Turtle and JSON-LD are the standard
``sh:ValidationReport`` graph, each result also linked to its provisions (``ccgkg:provision``), its organisation
(``ccgkg:organisation``) and its first day (``ccgkg:onDate``).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any

from ccgkg.coverage import Coverage
from ccgkg.errors import InputError
from ccgkg.validation import Finding, ValidationResult

FORMATS = ("text", "json", "turtle", "jsonld", "html")
CORE_GROUP = "Data well-formedness (core shapes, no provision)"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def summary_line(result: ValidationResult) -> str:
    """``2 violations, 1 warning, 0 infos; 3 organisations; 2 provisions``."""
    orgs = {f.organisation for f in result.findings if f.organisation}
    provisions = {p.iri for f in result.findings for p in f.provisions}
    return (f"{_plural(result.count('violation'), 'violation')}, {_plural(result.count('warning'), 'warning')}, "
            f"{_plural(result.count('info'), 'info')}; {_plural(len(orgs), 'organisation')}; "
            f"{_plural(len(provisions), 'provision')}")


def when(f: Finding) -> str:
    """The days a finding holds: ``on 2016-10-17``, ``from 2016-10-01 to 2016-10-31``, ``from 2019-04-01``."""
    if f.date is None:
        return "undated"
    if f.until is None:
        return f"from {f.date.isoformat()}"
    if f.until == f.date:
        return f"on {f.date.isoformat()}"
    return f"from {f.date.isoformat()} to {f.until.isoformat()}"


def groups(result: ValidationResult) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by the provisions they cite (in the order of the findings), core findings last."""
    out: dict[str, list[Finding]] = {}
    for f in result.findings:
        key = "; ".join(p.citation for p in f.provisions) or CORE_GROUP
        out.setdefault(key, []).append(f)
    return sorted(out.items(), key=lambda kv: kv[0] == CORE_GROUP)


def _who(f: Finding) -> str:
    if f.organisation_code or f.organisation_label:
        return " ".join(x for x in (f.organisation_code, f.organisation_label) if x)
    return f.focus


def render_text(result: ValidationResult) -> str:
    """Findings grouped by provision (citation, title, force, legislation.gov.uk link), then a summary line."""
    lines: list[str] = []
    if result.as_of is not None:
        lines.append(f"As of {result.as_of.isoformat()}")
    for key, found in groups(result):
        if not found[0].provisions:
            lines.append(key)
        for p in found[0].provisions:
            lines.append(f"{p.citation}: {p.title} [{p.force}] {p.uri or ''}".rstrip())
        for f in found:
            lines.append(f"  {f.severity.upper():<9} {_who(f)}  {when(f)}")
            lines.append(f"            {f.message}")
            if not f.provisions or f.organisation is None:
                lines.append(f"            focus: {f.focus}" + (f"  path: {f.path}" if f.path else "")
                             + (f"  value: {f.value}" if f.value else ""))
            lines += [f"            source: {src}" for src in f.sources]
        lines.append("")
    if not result.findings:
        lines.append("No findings.")
    if result.coverage is not None and result.coverage.declared:
        lines += coverage_lines(result.coverage) + [""]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def coverage_lines(coverage: Coverage) -> list[str]:
    """The coverage table of the text report: per rule, organisation-days judged, passed, breached, not judged,
    and why not."""
    lines = ["Coverage (organisation-days each rule judged; outside its evidence a rule says nothing):",
             f"  {'judged':>10} {'passed':>10} {'breached':>9} {'not judged':>11}  rule"]
    for rule in coverage.rules:
        cites = "; ".join(p.citation for p in rule.provisions)
        lines.append(f"  {rule.judged:>10,} {rule.passed:>10,} {rule.breached:>9,} {rule.not_judged:>11,}  "
                     f"{cites}  {rule.label}")
        lines += [f"{'':>46}not judged: {reason}" for reason in rule.reasons]
    return lines


def coverage_dict(coverage: Coverage | None) -> dict[str, Any]:
    """The ``coverage`` member of the JSON contract (docs/validate.md, "JSON")."""
    if coverage is None:
        return {"declared": False, "not_judged": 0, "rules": []}
    return {"declared": coverage.declared, "not_judged": coverage.not_judged, "rules": [{
        "shape": r.shape, "label": r.label, "provisions": [p.citation for p in r.provisions],
        "evidence": list(r.evidence), "judged": r.judged, "passed": r.passed, "breached": r.breached,
        "not_judged": r.not_judged, "reasons": list(r.reasons)} for r in coverage.rules]}


def as_dict(result: ValidationResult) -> dict[str, Any]:
    """The JSON contract (docs/validate.md)."""
    return {
        "conforms": result.conforms,
        "as_of": result.as_of.isoformat() if result.as_of else None,
        "summary": {"violations": result.count("violation"), "warnings": result.count("warning"),
                    "infos": result.count("info")},
        "results": [{
            "severity": f.severity,
            "organisation_code": f.organisation_code,
            "organisation": f.organisation_label,
            "focus": f.focus,
            "date": f.date.isoformat() if f.date else None,
            "provisions": [{"uri": p.uri, "citation": p.citation, "title": p.title, "force": p.force}
                           for p in f.provisions],
            "shape": f.shape,
            "path": f.path,
            "value": f.value,
            "message": f.message,
            "sources": list(f.sources),
        } for f in result.findings],
        "coverage": coverage_dict(result.coverage),
    }


def render_json(result: ValidationResult) -> str:
    return json.dumps(as_dict(result), indent=2, ensure_ascii=False) + "\n"


def render_turtle(result: ValidationResult) -> str:
    return result.report_graph.serialize(format="turtle")


def render_jsonld(result: ValidationResult) -> str:
    return result.report_graph.serialize(format="json-ld", indent=2)


_CSS = """body{font-family:system-ui,sans-serif;margin:2rem;color:#222}h1{font-size:1.4rem}
h2{font-size:1.1rem;margin-top:1.6rem;border-bottom:1px solid #ccc}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
.violation{color:#a00;font-weight:bold}.warning{color:#a60;font-weight:bold}.info{color:#036}
.summary{font-weight:bold;margin-top:1.5rem}.law{font-size:.85rem;color:#444}"""


def render_html(result: ValidationResult) -> str:
    """One self-contained page (inline style, no scripts, no external assets)."""
    e = html.escape
    title = "ccgkg validation report" + (f" as of {result.as_of.isoformat()}" if result.as_of else "")
    head = (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{e(title)}</title>"
            f"<style>{_CSS}</style></head><body>")
    parts = [head, f"<h1>{e(title)}</h1>"]
    if not result.findings:
        parts.append("<p id=\"no-findings\">No findings.</p>")
    for key, found in groups(result):
        parts.append(f"<section class=\"provision\"><h2>{e(key)}</h2>")
        for p in found[0].provisions:
            link = f" <a href=\"{e(p.uri)}\">{e(p.uri)}</a>" if p.uri else ""
            parts.append(f"<p class=\"law\">{e(p.citation)}: {e(p.title)} [{e(p.force)}]{link}</p>")
        parts.append("<table><thead><tr><th>Severity</th><th>Organisation</th><th>When</th><th>Finding</th>"
                     "</tr></thead><tbody>")
        for f in found:
            sources = "".join(f"<br><span class=\"source\">source: <a href=\"{e(src)}\">{e(src)}</a></span>"
                              if src.startswith("http") else f"<br><span class=\"source\">source: {e(src)}</span>"
                              for src in f.sources)
            parts.append(f"<tr class=\"finding\"><td class=\"{f.severity}\">{f.severity}</td><td>{e(_who(f))}</td>"
                         f"<td>{e(when(f))}</td><td>{e(f.message)}{sources}</td></tr>")
        parts.append("</tbody></table></section>")
    if result.coverage is not None and result.coverage.declared:
        parts.append("<section id=\"coverage\"><h2>Coverage (organisation-days)</h2><table><thead><tr><th>Rule</th>"
                     "<th>Judged</th><th>Passed</th><th>Breached</th><th>Not judged</th><th>Why not</th></tr>"
                     "</thead><tbody>")
        for r in result.coverage.rules:
            cites = "; ".join(p.citation for p in r.provisions)
            parts.append(f"<tr class=\"rule-coverage\"><td>{e(cites)} {e(r.label)}</td><td>{r.judged:,}</td>"
                         f"<td>{r.passed:,}</td><td>{r.breached:,}</td><td>{r.not_judged:,}</td>"
                         f"<td>{'<br>'.join(e(x) for x in r.reasons)}</td></tr>")
        parts.append("</tbody></table></section>")
    parts.append(f"<p class=\"summary\">{e(summary_line(result))}</p></body></html>\n")
    return "\n".join(parts)


RENDERERS: dict[str, Callable[[ValidationResult], str]] = {
    "text": render_text, "json": render_json, "turtle": render_turtle, "jsonld": render_jsonld, "html": render_html}


def render(result: ValidationResult, fmt: str) -> str:
    """``result`` in format ``fmt`` (one of :data:`FORMATS`).

    Raises:
        InputError: an unknown format.
    """
    try:
        return RENDERERS[fmt](result)
    except KeyError:
        raise InputError(f"unknown report format {fmt!r}", hint="use one of: " + ", ".join(FORMATS)) from None


__all__ = [
    "FORMATS",
    "RENDERERS",
    "as_dict",
    "coverage_dict",
    "coverage_lines",
    "groups",
    "render",
    "render_html",
    "render_json",
    "render_jsonld",
    "render_text",
    "render_turtle",
    "summary_line",
    "when",
]
