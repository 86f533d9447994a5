"""Month arithmetic: the arrears window, paying ahead, holes."""

import datetime as dt

from lindung.selfpay import months


def test_parse_month_takes_year_dash_month_only():
    assert months.parse_month("2026-11") == dt.date(2026, 11, 1)
    assert months.parse_month(" 2027-01 ") == dt.date(2027, 1, 1)
    for bad in ("2026-13", "11/2026", "2026-1", "", None, "2026-11-01", "1999-05"):
        assert months.parse_month(bad) is None


def test_window_is_three_months_back_and_twelve_ahead():
    today = dt.date(2026, 11, 25)
    assert months.oldest_payable(today) == dt.date(2026, 8, 1)
    assert months.latest_payable(today) == dt.date(2027, 11, 1)
    assert months.oldest_payable(dt.date(2027, 2, 1)) == dt.date(2026, 11, 1)


def test_first_unpaid_is_the_first_hole_after_the_cover():
    end = dt.date(2026, 9, 30)
    assert months.first_unpaid(end, set()) == dt.date(2026, 10, 1)
    paid = {dt.date(2026, 10, 1), dt.date(2026, 11, 1), dt.date(2027, 1, 1)}
    assert months.first_unpaid(end, paid) == dt.date(2026, 12, 1)


def test_lapsed_once_the_oldest_unpaid_month_leaves_the_window():
    hole = dt.date(2026, 10, 1)
    assert not months.is_lapsed(hole, dt.date(2027, 1, 31))  # Oct, Nov, Dec unpaid: payable
    assert months.is_lapsed(hole, dt.date(2027, 2, 1))  # October can no longer be paid
    assert not months.is_lapsed(None, dt.date(2027, 2, 1))
