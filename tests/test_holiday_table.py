"""Japan's generated holiday table answers exactly as the `holidays` package does."""

from __future__ import annotations

import datetime

import holidays
import pytest

from functions import holidays_jp
from functions.business_hours import holiday_calendar
from ivr import holiday_table
from models.customer import Language

PACKAGE_LANGUAGE = {Language.JA: "ja", Language.EN: "en_US"}


def test_the_committed_table_is_what_the_installed_package_generates() -> None:
    # Fails after a package upgrade that changes a holiday: run python -m ivr.holiday_table.
    assert holiday_table.main(["--check"]) == 0


@pytest.mark.parametrize("language", list(Language))
def test_every_day_of_the_table_and_beyond_matches_the_package(language: Language) -> None:
    package = holidays.country_holidays("JP", language=PACKAGE_LANGUAGE[language])
    ours = holiday_calendar("JP", language)
    day = datetime.date(holidays_jp.FIRST_YEAR - 1, 1, 1)  # a year each side: the fallback
    last = datetime.date(holidays_jp.LAST_YEAR + 1, 12, 31)
    mismatches = []
    while day <= last:
        if ours.get(day) != package.get(day):
            mismatches.append((day, ours.get(day), package.get(day)))
        day += datetime.timedelta(days=1)
    assert mismatches == []


def test_a_datetime_is_looked_up_by_its_day() -> None:
    moment = datetime.datetime(2026, 1, 1, 23, 59)
    assert holiday_calendar("JP").get(moment) == "元日"  # type: ignore[arg-type]


def test_another_country_still_comes_from_the_package() -> None:
    assert holiday_calendar("US", Language.EN).get(datetime.date(2026, 7, 4)) == (
        holidays.country_holidays("US", language="en_US").get(datetime.date(2026, 7, 4))
    )
