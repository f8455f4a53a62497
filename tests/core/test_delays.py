from datetime import date, datetime

from maillage.core.delays import add_working_days, is_working_day


def test_weekends_and_french_public_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 11, 28))  # a Saturday
    assert not is_working_day(date(2026, 12, 25))  # Noël
    assert not is_working_day(date(2026, 5, 1))  # fête du Travail
    assert is_working_day(date(2026, 11, 27))


def test_two_working_days_from_a_thursday_before_christmas_land_after_it():
    # Thursday 24 December 2026: Friday 25 is Noël, then the weekend.
    assert add_working_days(datetime(2026, 12, 24, 10), 2) == datetime(2026, 12, 29, 10)
    assert add_working_days(datetime(2026, 11, 27, 9), 2) == datetime(2026, 12, 1, 9)
