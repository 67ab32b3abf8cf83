"""``ccgkg law``: what the law required. ``duties`` lists norms by holder, date and force; ``show`` prints one
provision in full. Click only: the work is in :mod:`ccgkg.law`."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

import click

from ccgkg import law as lawlib
from ccgkg.cli.options import as_of_option


class LazyChoice(click.Choice):
    """A choice whose values are read from the ontology only when needed (keeps ``ccgkg --help`` fast)."""

    def __init__(self, loader: Callable[[], Sequence[str]]) -> None:
        self._loader = loader
        super().__init__([], case_sensitive=False)

    @property  # type: ignore[override]
    def choices(self) -> Sequence[str]:
        return tuple(self._loader())

    @choices.setter
    def choices(self, value: Any) -> None:  # click's __init__ assigns; the loader is the source of truth
        pass


@click.group()
def law() -> None:
    """Ask what the law required: duties by holder, date and force; one provision in full."""


@law.command()
@click.option("--holder", type=LazyChoice(lawlib.holder_keywords), default=None,
              help="Only norms binding this class of body (or a class it belongs to).")
@as_of_option("Only norms in force on this day (YYYY-MM-DD) whose holder existed in law then.")
@click.option("--force", type=LazyChoice(lawlib.force_keywords), default=None, help="Only norms of this force.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def duties(holder: str | None, as_of: dt.date | None, force: str | None, fmt: str) -> None:
    """List duties and powers with citation, title, force, holder, dates, guidance and legislation.gov.uk link."""
    found = lawlib.duties(holder=holder, as_of=as_of, force=force)
    if fmt == "json":
        click.echo(json.dumps([d.as_dict() for d in found], indent=2))
    elif fmt == "csv":
        click.echo(lawlib.render_csv(lawlib.DUTY_COLUMNS, [lawlib.duty_row(d) for d in found]), nl=False)
    elif not found:
        filters = [f"{k} {v}" for k, v in (("holder", holder), ("as of", as_of), ("force", force)) if v]
        click.echo("No duties match" + (f" ({', '.join(filters)})" if filters else "") + ".")
    else:
        click.echo(lawlib.render_table(lawlib.DUTY_COLUMNS, [lawlib.duty_row(d) for d in found]), nl=False)


@law.command()
@click.argument("citation")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show(citation: str, fmt: str) -> None:
    """Show one provision: parts, parent, guidance, dates, successor, shapes and queries that use it.

    CITATION may be 14Z2, s.194(2), "SI 2012/1631 reg 11", nhsa06:s14Z2 or a legislation.gov.uk address.
    """
    detail = lawlib.show(citation)
    if fmt == "json":
        click.echo(json.dumps(detail.as_dict(), indent=2))
    else:
        click.echo(lawlib.render_detail(detail), nl=False)


__all__ = ["law", "duties", "show", "LazyChoice"]
