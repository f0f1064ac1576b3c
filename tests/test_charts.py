"""Chart geometry: pure functions from counts to SVG coordinates."""

from archive.charts import ROW, TRACK, YEAR_STEP, ChartItem, bar_chart, timeline


class TimelineTests:
    def test_one_slot_per_year_from_first_to_last_gaps_included(self):
        chart = timeline([("testimonies", [(2008, 2), (2011, 4)]), ("raids", [(2009, 1)])])
        assert (chart.first, chart.last, chart.span) == (2008, 2011, 4)
        assert chart.width == 4 * YEAR_STEP
        assert [year for year, _counts in chart.table] == [2008, 2009, 2010, 2011]
        assert chart.table[1] == (2009, [0, 1])
        for row in chart.rows:
            assert [bar.year for bar in row.bars] == [2008, 2009, 2010, 2011]
            xs = [bar.x for bar in row.bars]
            assert xs == sorted(xs) and len(set(xs)) == 4

    def test_each_band_has_its_own_scale(self):
        chart = timeline([("testimonies", [(2010, 40), (2011, 10)]), ("raids", [(2010, 2)])])
        testimonies, raids = chart.rows
        # The tallest bar of each band fills its band, however small its count.
        assert testimonies.bars[0].height == raids.bars[0].height == 48
        assert testimonies.bars[1].height == 12
        assert (testimonies.tallest, raids.tallest) == (40, 2)
        assert (testimonies.total, raids.total) == (50, 2)
        assert testimonies.peak_year == raids.peak_year == 2010
        # Bars stand on their own band's baseline, and bands do not overlap.
        for row in chart.rows:
            for bar in row.bars:
                assert bar.y + bar.height == row.baseline
                assert bar.y >= row.top
        assert testimonies.baseline < raids.top
        assert chart.height == raids.baseline

    def test_empty_series_and_no_data(self):
        assert timeline([("testimonies", []), ("raids", [])]).is_empty
        chart = timeline([("testimonies", [(2010, 3)]), ("raids", [])])
        assert not chart.is_empty
        assert [bar.height for bar in chart.rows[1].bars] == [0.0]
        assert chart.rows[1].peak_year is None

    def test_a_shared_scale_keeps_equal_heights_for_equal_counts(self):
        series = [("invoked", [(2010, 4), (2011, 2)]), ("violated", [(2010, 2)])]
        own, shared = timeline(series), timeline(series, shared_scale=True)
        # On its own scale the smaller band's tallest bar fills it; shared, it is half as tall.
        assert own.rows[1].bars[0].height == 48
        assert shared.rows[1].bars[0].height == shared.rows[0].bars[1].height == 24
        assert shared.rows[0].bars[0].height == 48
        assert shared.table == own.table

    def test_rows_carry_their_labels(self):
        chart = timeline([("invoked", [(2010, 1)]), ("other", [])], labels={"invoked": "Invoked"})
        assert [row.label for row in chart.rows] == ["Invoked", "other"]

    def test_zero_counts_do_not_widen_the_span(self):
        chart = timeline([("testimonies", [(1990, 0), (2010, 3), (2030, 0)])])
        assert (chart.first, chart.last) == (2010, 2010)


def items(*pairs):
    return [ChartItem(key=label.lower(), label=label, count=count) for label, count in pairs]


class BarChartTests:
    def test_largest_first_zero_left_out_widths_proportional(self):
        chart = bar_chart(items(("Tak", 2), ("Bangkok", 8), ("Ranong", 0), ("Chiang Mai", 4)))
        assert [bar.label for bar in chart.bars] == ["Bangkok", "Chiang Mai", "Tak"]
        widths = [bar.width for bar in chart.bars]
        assert widths[0] == 2 * widths[1] == 4 * widths[2]
        # Percentages of the chart's width, leaving room after the longest bar for its count.
        assert widths[0] == TRACK < 100
        assert chart.height == 3 * ROW

    def test_each_label_sits_above_its_own_bar_without_overlap(self):
        chart = bar_chart(items(("Tak", 2), ("Bangkok", 8), ("Chiang Mai", 4)))
        previous_bottom = 0.0
        for bar in chart.bars:
            assert previous_bottom < bar.label_y < bar.y
            assert bar.y < bar.count_y <= bar.y + chart.bar_height
            previous_bottom = bar.y + chart.bar_height
        assert previous_bottom <= chart.height

    def test_limit_sums_the_rest_and_keeps_the_selected(self):
        rows = [ChartItem(f"p{n}", f"P{n:02}", 100 - n) for n in range(15)]
        rows.append(ChartItem("picked", "Picked", 1, selected=True))
        chart = bar_chart(rows, limit=5)
        labels = [bar.label for bar in chart.bars]
        assert labels == ["P00", "P01", "P02", "P03", "P04", "Picked"]
        assert chart.rest == 10
        assert chart.rest_total == sum(100 - n for n in range(5, 15))
        # The table still lists every item with a count.
        assert len(chart.items) == 16

    def test_unsorted_keeps_the_given_order(self):
        chart = bar_chart(items(("s. 4", 1), ("s. 6", 5), ("s. 9", 0), ("s. 29", 3)), sort=False)
        assert [bar.label for bar in chart.bars] == ["s. 4", "s. 6", "s. 29"]

    def test_nothing_to_draw(self):
        chart = bar_chart(items(("Tak", 0)))
        assert chart.is_empty and chart.height == 0
