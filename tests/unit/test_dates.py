"""One ISO 8601 date reader (ccgkg.temporal.real_date) serves workbooks, the governance extract, ``--as-of`` and
query parameters; its messages say what is wrong and what to write (issue 10, item 5)."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest

from ccgkg import queries, temporal
from ccgkg.cli import options
from ccgkg.errors import DateError, InputError
from ccgkg.importers import governance, tables


def test_every_reader_is_the_one_in_temporal() -> None:
    assert tables.real_date is temporal.real_date
    assert options.real_date is temporal.real_date
    assert governance.real_date is temporal.real_date
    assert "ccgkg.importers" not in inspect.getsource(queries)  # the dependency runs importers -> temporal only


@pytest.mark.parametrize(("text", "day"), [("2016-10-17", dt.date(2016, 10, 17)), ("20161017", dt.date(2016, 10, 17)),
                                          (" 2016-02-29 ", dt.date(2016, 2, 29))])
def test_extended_and_basic_forms(text: str, day: dt.date) -> None:
    assert temporal.real_date(text) == day


@pytest.mark.parametrize(("text", "message", "hint"), [
    ("17/10/2016", "'17/10/2016' is not a date", "write YYYY-MM-DD (or YYYYMMDD), e.g. 2016-10-17"),
    # a week date, which date.fromisoformat reads since Python 3.11
    ("2016-W42-1", "'2016-W42-1' is not a date", "write YYYY-MM-DD (or YYYYMMDD), e.g. 2016-10-17"),
    ("2016-02-30", "'2016-02-30' is not a real date: February 2016 has 29 days", None),
    ("2016-13-01", "'2016-13-01' is not a real date: there is no month 13", None),
])
def test_errors_say_what_is_wrong_and_what_to_write(text: str, message: str, hint: str | None) -> None:
    with pytest.raises(DateError) as info:
        temporal.real_date(text)
    assert (info.value.message, info.value.hint) == (message, hint)
    assert isinstance(info.value, InputError) and isinstance(info.value, ValueError)
    assert str(info.value) == (f"{message}; {hint}" if hint else message)


def test_parse_date_names_what_the_value_is() -> None:
    with pytest.raises(DateError) as info:
        temporal.parse_date("2015-02-29", what="--as-of")
    assert info.value.message == "--as-of '2015-02-29' is not a real date: February 2015 has 28 days"
    assert temporal.parse_date(dt.date(2016, 1, 1)) == dt.date(2016, 1, 1)
