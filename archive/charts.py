"""Geometry for the small server-rendered SVG charts (no JavaScript needed).

Pure functions from counts to coordinates; the markup lives in template
partials (``templates/charts/``). Coordinates are in the SVG's own units.

The timeline is drawn with ``preserveAspectRatio="none"`` so it fills any
width, which would stretch text: it carries no text, and its labels are
HTML around it. The bar chart keeps its proportions and holds its labels.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Bar:
    year: int
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class TimelineRow:
    """One series (testimonies, raids...) in its own band, with its own scale."""

    key: str
    bars: list[Bar]
    total: int
    tallest: int
    peak_year: int | None  # the (earliest) year of the tallest bar
    top: float  # y of the band's top edge
    baseline: float  # y of the band's bottom edge


@dataclass(frozen=True)
class Timeline:
    rows: list[TimelineRow]
    width: int
    height: int
    first: int
    last: int
    table: list[tuple[int, list[int]]]  # (year, count per row), every year in the span

    @property
    def is_empty(self) -> bool:
        return not self.table

    @property
    def span(self) -> int:
        return self.last - self.first + 1 if self.table else 0


# A bar per year: this many units wide, with a gap between bars.
YEAR_STEP = 10
BAR_GAP = 2


def timeline(
    series: Sequence[tuple[str, Sequence[tuple[int, int]]]],
    *,
    band: int = 48,
    gap: int = 8,
) -> Timeline:
    """Stacked bands, one per series, sharing one year axis from the first to the last year.

    Each band is scaled to its own tallest bar: raids are far fewer than
    testimonies, and on a shared scale their bars would vanish. Years with no
    count in any series inside the span still get a slot, so gaps show.
    """
    by_key = [(key, {year: count for year, count in counts if count}) for key, counts in series]
    years = {year for _key, counts in by_key for year in counts}
    if not years:
        return Timeline(rows=[], width=0, height=0, first=0, last=0, table=[])
    first, last = min(years), max(years)
    span = range(first, last + 1)
    rows = []
    for index, (key, counts) in enumerate(by_key):
        top = index * (band + gap)
        baseline = top + band
        tallest = max(counts.values(), default=0)
        bars = []
        for position, year in enumerate(span):
            count = counts.get(year, 0)
            height = round(band * count / tallest, 2) if tallest else 0.0
            bars.append(
                Bar(
                    year=year,
                    count=count,
                    x=position * YEAR_STEP + BAR_GAP / 2,
                    y=round(baseline - height, 2),
                    width=YEAR_STEP - BAR_GAP,
                    height=height,
                )
            )
        rows.append(
            TimelineRow(
                key=key,
                bars=bars,
                total=sum(counts.values()),
                tallest=tallest,
                peak_year=min((y for y, c in counts.items() if c == tallest), default=None),
                top=top,
                baseline=baseline,
            )
        )
    table = [(year, [counts.get(year, 0) for _key, counts in by_key]) for year in span]
    height = len(rows) * band + (len(rows) - 1) * gap
    return Timeline(
        rows=rows,
        width=len(span) * YEAR_STEP,
        height=height,
        first=first,
        last=last,
        table=table,
    )


@dataclass(frozen=True)
class HBar:
    key: str
    label: "StrOrPromise"
    count: int
    selected: bool
    y: float
    width: float
    label_y: float  # text baseline of the label and the count
    count_x: float  # where the count is written, just after the bar


@dataclass(frozen=True)
class BarChart:
    bars: list[HBar]
    items: list["ChartItem"]  # every item with a count, in the picture's order, for the table
    rest: int  # items left out of the picture (all are in the table)
    rest_total: int  # their summed count
    width: int
    height: int
    label_width: int
    bar_height: int
    tallest: int

    @property
    def is_empty(self) -> bool:
        return not self.bars

    @property
    def label_x(self) -> int:
        """Labels end here (text-anchor: end), just left of the bars."""
        return self.label_width - 6


@dataclass(frozen=True)
class ChartItem:
    key: str
    label: "StrOrPromise"
    count: int
    selected: bool = False


def bar_chart(
    items: Sequence[ChartItem],
    *,
    limit: int = 10,
    width: int = 480,
    label_width: int = 170,
    row: int = 22,
    bar_height: int = 16,
    sort: bool = True,
) -> BarChart:
    """Horizontal bars, largest first (unless ``sort`` is off), zero counts left out.

    Only the ``limit`` largest are drawn (selected items are always kept, so a
    reader sees what they picked); the rest are summed for a caption, and the
    full list goes in the table beside the picture.
    """
    present = [item for item in items if item.count or item.selected]
    largest = sorted(present, key=lambda i: (-i.count, i.label))
    keep = {id(item) for item in largest[:limit]} | {id(item) for item in present if item.selected}
    ordered = largest if sort else present
    shown = [item for item in ordered if id(item) in keep]
    left_out = [item for item in ordered if id(item) not in keep]
    tallest = max((item.count for item in shown), default=0)
    # Room after the longest bar for its count, written at the bar's end.
    track = width - label_width - 48
    bars = []
    for index, item in enumerate(shown):
        y = index * row + (row - bar_height) / 2
        bar_width = round(track * item.count / tallest, 2) if tallest else 0.0
        bars.append(
            HBar(
                key=item.key,
                label=item.label,
                count=item.count,
                selected=item.selected,
                y=y,
                width=bar_width,
                label_y=round(y + bar_height * 0.78, 2),
                count_x=round(label_width + bar_width + 4, 2),
            )
        )
    return BarChart(
        bars=bars,
        items=ordered,
        rest=len(left_out),
        rest_total=sum(item.count for item in left_out),
        width=width,
        height=len(bars) * row,
        label_width=label_width,
        bar_height=bar_height,
        tallest=tallest,
    )
