"""Geometry for the small server-rendered SVG charts (no JavaScript needed).

Pure functions from counts to coordinates; the markup lives in template
partials (``templates/charts/``). Coordinates are in the SVG's own units.

The timeline is drawn with ``preserveAspectRatio="none"`` so it fills any
width, which would stretch text: it carries no text, and its labels are
HTML around it. The bar chart has no viewBox at all: its units are CSS
pixels, so its labels keep the stylesheet's size at any width (scaled into a
phone's width they were 7 to 9 px), and its bars are percentages of whatever
width it is given. Each label sits on its own line above its bar, so a long
name never has to share the width with the bars.
"""

from collections.abc import Mapping, Sequence
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
    label: "StrOrPromise" = ""  # what the series is, for a legend and a table heading


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
    labels: "Mapping[str, StrOrPromise] | None" = None,
    shared_scale: bool = False,
) -> Timeline:
    """Stacked bands, one per series, sharing one year axis from the first to the last year.

    Each band is scaled to its own tallest bar: raids are far fewer than
    testimonies, and on a shared scale their bars would vanish. Series that
    count the same thing (testimonies per relation to a law) take
    ``shared_scale``, so equal heights mean equal counts across bands. Years
    with no count in any series inside the span still get a slot, so gaps show.
    """
    by_key = [(key, {year: count for year, count in counts if count}) for key, counts in series]
    years = {year for _key, counts in by_key for year in counts}
    if not years:
        return Timeline(rows=[], width=0, height=0, first=0, last=0, table=[])
    first, last = min(years), max(years)
    span = range(first, last + 1)
    overall = max(count for _key, counts in by_key for count in counts.values())
    rows = []
    for index, (key, counts) in enumerate(by_key):
        top = index * (band + gap)
        baseline = top + band
        tallest = max(counts.values(), default=0)
        scale = overall if shared_scale else tallest
        bars = []
        for position, year in enumerate(span):
            count = counts.get(year, 0)
            height = round(band * count / scale, 2) if scale else 0.0
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
                label=(labels or {}).get(key, key),
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
    y: float  # top of the bar, in pixels
    width: float  # percent of the chart's width
    label_y: float  # text baseline of the label, above the bar
    count_y: float  # text baseline of the count, written just after the bar's end


@dataclass(frozen=True)
class BarChart:
    bars: list[HBar]
    items: list["ChartItem"]  # every item with a count, in the picture's order, for the table
    rest: int  # items left out of the picture (all are in the table)
    rest_total: int  # their summed count
    height: int  # pixels
    bar_height: int
    tallest: int

    @property
    def is_empty(self) -> bool:
        return not self.bars


@dataclass(frozen=True)
class ChartItem:
    key: str
    label: "StrOrPromise"
    count: int
    selected: bool = False


# A row is a label line (14 px type) and, under it, a bar. The longest bar takes
# TRACK percent of the width; the rest is room for its count (four digits at 13 px
# need about 32 px, 15% of a 280 px phone column is 42).
ROW = 34
LABEL_BASELINE = 14
BAR_TOP = 18
BAR_HEIGHT = 12
TRACK = 85.0


def bar_chart(
    items: Sequence[ChartItem],
    *,
    limit: int = 10,
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
    bars = []
    for index, item in enumerate(shown):
        top = index * ROW
        y = top + BAR_TOP
        bars.append(
            HBar(
                key=item.key,
                label=item.label,
                count=item.count,
                selected=item.selected,
                y=y,
                width=round(TRACK * item.count / tallest, 2) if tallest else 0.0,
                label_y=top + LABEL_BASELINE,
                count_y=y + BAR_HEIGHT - 1,
            )
        )
    return BarChart(
        bars=bars,
        items=ordered,
        rest=len(left_out),
        rest_total=sum(item.count for item in left_out),
        height=len(bars) * ROW,
        bar_height=BAR_HEIGHT,
        tallest=tallest,
    )
