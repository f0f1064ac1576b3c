"""Geometry for the small server-rendered SVG charts (no JavaScript needed)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    year: int
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Histogram:
    bars: list[Bar]
    width: int
    first: int
    last: int


def year_histogram(counts: list[tuple[int, int]], *, height: int = 48, bar: int = 10) -> Histogram:
    """One bar per year from the first to the last year present, gaps included."""
    if not counts:
        return Histogram(bars=[], width=0, first=0, last=0)
    by_year = dict(counts)
    first, last = min(by_year), max(by_year)
    tallest = max(by_year.values()) or 1
    bars = []
    for position, year in enumerate(range(first, last + 1)):
        count = by_year.get(year, 0)
        bar_height = round(height * count / tallest, 2)
        bars.append(
            Bar(
                year=year,
                count=count,
                x=position * bar,
                y=height - bar_height,
                width=bar - 2,
                height=bar_height,
            )
        )
    return Histogram(bars=bars, width=len(bars) * bar, first=first, last=last)
