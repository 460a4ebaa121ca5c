"""Score trends as inline SVG (site.trends): the picture, and its points as text."""

from __future__ import annotations

from okrdocs.core.history.checkins import Point
from okrdocs.site.trends import Window, sparkline, trend_chart

JAN_5, JAN_20, MAR_1 = 1767607200, 1768903200, 1772359200


def test_a_chart_draws_the_line_by_date_and_lists_every_point_as_text() -> None:
    chart = str(trend_chart([Point(JAN_5, "a", 0.4), Point(JAN_20, "b", 0.6), Point(MAR_1, None, 0.7)], "KR <1>"))
    assert chart.count("<circle") == 3 and 'class="okr-trend__dot okr-trend__dot--pending"' in chart
    assert '<svg class="okr-trend__chart" viewBox="0 0 240 56"' in chart and 'aria-hidden="true"' in chart
    assert (
        '<ol class="okr-sr-only" aria-label="KR &lt;1&gt;"><li>2026-01-05: 40%</li><li>2026-01-20: 60%</li><li>2026-03-01 (not committed yet): 70%</li></ol>'
        in chart
    )
    # x follows the dates: JAN_20 is 15 of the 55 days from the first point to the last.
    assert 'points="6,32.4 68.2,23.6 234,19.2"' in chart


def test_a_point_without_a_score_breaks_the_line() -> None:
    chart = str(
        trend_chart(
            [Point(JAN_5, "a", 0.4), Point(JAN_20, "b", None), Point(MAR_1, "c", 0.7), Point(MAR_1 + 86400, "d", 0.8)]
        )
    )
    assert chart.count("<polyline") == 1  # only the last two points are joined
    assert "<li>2026-01-20: no score</li>" in chart


def test_a_sparkline_is_one_line_with_its_summary_as_text() -> None:
    spark = str(sparkline([Point(JAN_5, "a", 0.4), Point(JAN_20, "b", 0.6)]))
    assert spark.count("<circle") == 1  # where it ends
    assert '<span class="okr-sr-only">Score history: 2026-01-05: 40% to 2026-01-20: 60%, 2 check-ins</span>' in spark
    assert "\n" not in spark


def test_no_points_draw_nothing() -> None:
    assert str(trend_chart([])) == "" and str(sparkline([])) == ""


Q1_START, Q2_START = 1767225600, 1775001600  # 2026-01-01 and 2026-04-01, 00:00 UTC
MAR_15 = 1773532800


def test_a_chart_over_its_period_labels_its_axes_marks_today_draws_the_pace_and_prints_its_ends() -> None:
    window = Window(Q1_START, Q2_START, MAR_15, pace=True)
    chart = str(trend_chart([Point(JAN_5, "a", 0.4), Point(MAR_1, "b", 0.7)], "KR", window))

    # The plot runs from x=30 to x=312 over the 90 days, y from 12 (100%) to 66 (0%).
    assert '<svg class="okr-trend__chart" viewBox="0 0 320 84" width="320" height="84"' in chart
    assert ">100%</text>" in chart and ">0%</text>" in chart
    assert ">2026-01-01</text>" in chart and ">2026-03-31</text>" in chart
    assert '<line class="okr-trend__pace" x1="30" y1="66" x2="312" y2="12"/>' in chart
    # 15 March is day 73 of 90: 30 + 73/90 * 282 = 258.7.
    assert '<line class="okr-trend__today" x1="258.7" y1="10" x2="258.7" y2="66"/>' in chart
    # 5 January 10:00 is 4.42 days in: x = 43.8; 40% is y = 12 + 0.6 * 54 = 44.4.
    assert 'points="43.8,44.4' in chart
    assert '<span class="okr-trend__ends" aria-hidden="true">2026-01-05: 40% → 2026-03-01: 70%</span>' in chart


def test_a_chart_of_a_past_period_has_no_today_and_no_pace() -> None:
    chart = str(trend_chart([Point(JAN_5, "a", 0.4)], "KR", Window(Q1_START, Q2_START, Q2_START + 86400, pace=False)))
    assert "okr-trend__today" not in chart and "okr-trend__pace" not in chart
    assert '<span class="okr-trend__ends" aria-hidden="true">2026-01-05: 40%</span>' in chart
