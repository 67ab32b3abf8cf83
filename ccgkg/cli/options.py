"""Options shared by several commands, defined once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ccgkg.errors import InputError
from ccgkg.temporal import parse_date

F = TypeVar("F", bound=Callable[..., Any])


class DateType(click.ParamType):
    """An ISO date option value (YYYY-MM-DD); a bad value is a usage error (exit 2)."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(value)
        except InputError:
            self.fail(f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2016-10-17", param, ctx)


DATE = DateType()


def as_of_option(help_text: str = "Judge the state on this day only (YYYY-MM-DD).") -> Callable[[F], F]:
    return click.option("--as-of", "as_of", type=DATE, default=None, help=help_text)


def data_argument(f: F) -> F:
    """``DATA...``: RDF files, folders of them, workbooks or ODS files."""
    return click.argument("data", nargs=-1, type=click.Path(path_type=str))(f)


def inference_option(default: str = "rdfs") -> Callable[[F], F]:
    return click.option("--inference", "-i", type=click.Choice(["none", "rdfs", "owlrl"]), default=default,
                        show_default=True, help="Inference to run over data and ontology before answering.")


__all__ = ["DATE", "DateType", "as_of_option", "data_argument", "inference_option"]
