"""Working days in France: delays promised to requesters skip weekends and public holidays."""

from datetime import date, datetime, timedelta
from functools import cache

import holidays


@cache
def _french_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("FR", years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _french_holidays(day.year)


def add_working_days(start: datetime, days: int) -> datetime:
    """Return START moved forward by DAYS working days, at the same time of day."""
    moment = start
    while days > 0:
        moment += timedelta(days=1)
        if is_working_day(moment.date()):
            days -= 1
    return moment
