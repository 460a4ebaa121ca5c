"""The build date, the current period, and current / next / earlier (core.timeline)."""

from __future__ import annotations

import pytest

from okrdocs.core.domain.model import Period
from okrdocs.core.history.timeline import (
    TimeSettingError,
    build_time,
    current_period,
    iso_date,
    iso_datetime,
    phase_of,
    quarter_of,
)

Q1 = Period.parse("2026-Q1")


def test_the_build_date_is_source_date_epoch_when_set() -> None:
    assert build_time({"SOURCE_DATE_EPOCH": "1773532800"}) == 1773532800
    assert iso_datetime(1773532800) == "2026-03-15T00:00:00Z" and iso_date(1773532800) == "2026-03-15"
    with pytest.raises(TimeSettingError, match="SOURCE_DATE_EPOCH is 'soon': set it to whole seconds since 1970"):
        build_time({"SOURCE_DATE_EPOCH": "soon"})


def test_auto_is_the_quarter_of_the_build_date() -> None:
    assert str(quarter_of(1773532800)) == "2026-Q1"
    assert str(current_period("auto", 1782864000)) == "2026-Q3"  # 2026-07-01T00:00:00Z
    assert str(current_period(2026, 0)) == "2026"
    with pytest.raises(TimeSettingError, match="--period is 'Q1': write auto, a year"):
        current_period("Q1", 0, "--period")


@pytest.mark.parametrize(
    ("period", "phase"),
    [("2026", "current"), ("2026-H1", "current"), ("2026-Q1", "current"), ("2026-Q2", "next"), ("2026-H2", "next"),
     ("2027", "next"), ("2025-Q4", "earlier"), ("2025", "earlier"), (None, "none")],
)  # fmt: skip
def test_a_period_that_overlaps_the_current_one_is_current(period: str | None, phase: str) -> None:
    assert Q1 is not None
    assert phase_of(Period.parse(period) if period else None, Q1) == phase
