"""Options shared by several commands, defined once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ccgkg.temporal import real_date

F = TypeVar("F", bound=Callable[..., Any])


class DateType(click.ParamType):
    """An ISO 8601 date option value (YYYY-MM-DD or YYYYMMDD); a bad value is a usage error (exit 2) that says
    whether the text is no date at all or names a day that does not exist."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return real_date(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DATE = DateType()


def as_of_option(help_text: str = "Judge the state on this day only (YYYY-MM-DD or YYYYMMDD).") -> Callable[[F], F]:
    return click.option("--as-of", "as_of", type=DATE, default=None, help=help_text)


def output_option(help_text: str, *, required: bool = False, alias: str | None = None) -> Callable[[F], F]:
    """``-o/--output FILE``, the one name of the output file of every command that writes one (the value is a
    :class:`pathlib.Path`); ``alias`` keeps an older name working (``--out`` of ``import`` and ``infer``)."""
    names = ["-o", "--output", *([alias] if alias else []), "output"]
    return click.option(*names, required=required, metavar="FILE", help=help_text,
                        type=click.Path(path_type=Path, dir_okay=False))


def data_argument(f: F) -> F:
    """``DATA...``: RDF files, folders of them, workbooks or ODS files."""
    return click.argument("data", nargs=-1, type=click.Path(path_type=str))(f)


def inference_option(default: str = "rdfs") -> Callable[[F], F]:
    return click.option("--inference", "-i", type=click.Choice(["none", "rdfs", "owlrl"]), default=default,
                        show_default=True, help="Inference to run over data and ontology before answering.")


__all__ = ["DATE", "DateType", "as_of_option", "data_argument", "inference_option", "output_option", "real_date"]
