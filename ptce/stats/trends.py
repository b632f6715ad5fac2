"""Trends over the years up to the period's: members at the end of each year, tonnes diverted by the matches
implemented by then, and jobs of each year's figures. The same buckets as the summary, one period per year,
so one query per series (two for the tonnes, whose members come from the matches' participants)."""

from .filters import Period, StatsFilters
from .masking import masking_info, shown_total
from .matches import impact_buckets
from .registry import job_buckets, member_buckets

TREND_YEARS = 5


def trends(*, user, filters: StatsFilters, years: int = TREND_YEARS) -> dict:
    periods = trend_periods(filters, years)
    members = member_buckets(filters=filters, periods=periods, by="kind")
    impact = impact_buckets(user=user, filters=filters, periods=periods)
    jobs = job_buckets(filters=filters, periods=periods)
    return trends_from(user=user, filters=filters, periods=periods, members=members, impact=impact, jobs=jobs)


def trend_periods(filters: StatsFilters, years: int = TREND_YEARS) -> list[Period]:
    last = filters.period.figures_year
    return [Period.of_year(year) for year in range(last - years + 1, last + 1)]


def trends_from(*, user, filters: StatsFilters, periods, members, impact, jobs) -> dict:
    """The trend points from buckets computed over `periods` (one per year)."""
    points = []
    for index, period in enumerate(periods):
        series = {
            "members": shown_total(members, "members", index, user=user),
            "tonnes_diverted": shown_total(impact, "tonnes", index, user=user),
            "permanent_fte": shown_total(jobs, "permanent_fte", index, user=user),
            "insertion_fte": shown_total(jobs, "insertion_fte", index, user=user),
        }
        point = {"year": period.year}
        for name, (value, _left_out) in series.items():
            point[name] = None if value is None else (int(value) if name == "members" else round(float(value), 1))
        point["masked"] = any(left_out for _value, left_out in series.values())
        points.append(point)
    return {**filters.as_dict(), "masking": masking_info(user), "years": points}
