"""copyeta.plot_forecast and copyeta.plot_calibration, drawn with the Agg backend."""
import datetime as dt
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib import dates as mdates  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402

import copyeta  # noqa: E402
from copyeta._trace import read_traces  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EMAIL = ROOT / "src" / "cli" / "data" / "email_outage_2009.csv"
TRACES = ROOT / "tests" / "data" / "traces"
DAY = dt.datetime(2009, 8, 25)  # t is seconds since the admins' midnight


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def email():
    tr = copyeta.read_trace(EMAIL)
    return tr.replay()


def line(ax, prefix):
    found = [l for l in ax.get_lines() if l.get_label().startswith(prefix)]
    assert len(found) == 1, [l.get_label() for l in ax.get_lines()]
    return found[0]


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_fan_chart_has_band_median_and_true_end(email, tmp_path):
    ax = copyeta.plot_forecast(email)
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 1 and bands[0].get_label() == "80% interval"
    median = line(ax, "predicted finish (median)")
    np.testing.assert_allclose(median.get_xdata(), email.t)
    np.testing.assert_allclose(median.get_ydata(), email.finish)  # nothing clipped here
    # The band spans finish_lo..finish_hi of each estimate.
    vertices = bands[0].get_paths()[0].vertices
    known = email.finish_lo.notna()
    assert vertices[:, 1].min() == pytest.approx(email.finish_lo[known].min())
    assert vertices[:, 1].max() == pytest.approx(email.finish_hi[known].max())
    # The true end: the first finished row (15:25, 55500 s), as a horizontal line at that finish.
    truth = line(ax, "true end")
    assert list(truth.get_ydata()) == [55500.0, 55500.0]
    assert truth.get_label() == "true end (t = 15:25:00)"
    assert "true end (t = 15:25:00)" in legend_texts(ax)
    # The progress panel above shares the x axis and shows percent done.
    panel = [a for a in ax.figure.axes if a is not ax]
    assert len(panel) == 1 and panel[0].get_ylabel() == "done (%)"
    np.testing.assert_allclose(panel[0].get_lines()[0].get_ydata(), [0, 13, 42, 57, 86, 100])
    ax.figure.savefig(tmp_path / "fan.png")
    assert (tmp_path / "fan.png").stat().st_size > 10_000


def test_wall_clock_axis_with_start(email):
    ax = copyeta.plot_forecast(email, start=DAY, title="E-mail store copy")
    median = line(ax, "predicted finish (median)")
    expected = mdates.date2num(DAY) + email.t.to_numpy() / 86400
    np.testing.assert_allclose(median.get_xdata(), expected)
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
    assert isinstance(ax.yaxis.get_major_locator(), mdates.AutoDateLocator)
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert "10:00" in labels and "15:00" in labels
    assert mdates.num2date(ax.get_xlim()[0]).replace(tzinfo=None) < dt.datetime(2009, 8, 25, 9, 7)
    assert "true end (15:25)" in legend_texts(ax)
    assert ax.figure.axes[-1].get_title() == "E-mail store copy"
    assert ax.get_xlabel() == "time of the estimate (wall clock)"


def test_true_end_given_and_axes_given(email):
    fig, given = plt.subplots()
    ax = copyeta.plot_forecast(email.iloc[:4], ax=given, true_end=55500.0)
    assert ax is given
    assert list(line(ax, "true end").get_ydata()) == [55500.0, 55500.0]
    # Without a finished row and without true_end, there is no truth line.
    ax = copyeta.plot_forecast(email.iloc[:4])
    assert not [l for l in ax.get_lines() if l.get_label().startswith("true end")]


def test_absurd_interval_ends_are_clipped_and_said_so():
    t = np.arange(0.0, 100.0, 10.0)
    done = (t * 1e6).astype(np.uint64)
    df = copyeta.replay(t, done, total=100_000_000)
    df.loc[5, "finish_hi"] = 1e9  # a week-long upper end on a 100 s copy
    ax = copyeta.plot_forecast(df, true_end=100.0)
    top = ax.get_ylim()[1]
    assert 100 < top < 300
    assert any("clipped" in text for text in legend_texts(ax))
    ax = copyeta.plot_forecast(df, start=DAY)  # huge ends must not overflow the date axis
    assert ax.get_ylim()[1] < mdates.date2num(DAY + dt.timedelta(seconds=300))


def test_long_real_trace_on_the_trace_clock():
    df = copyeta.read_trace(TRACES / "dd_progress_psbbn87_120GB_fsync_tail.csv").replay()
    ax = copyeta.plot_forecast(df)
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert "0:15" in labels and "1:15" in labels  # h:mm throughout
    assert "h:mm" in ax.get_xlabel()
    assert line(ax, "true end").get_ydata()[0] == pytest.approx(5161.69)


@pytest.fixture(scope="module")
def backtests():
    traces = read_traces(TRACES)
    return [copyeta.backtest(traces, level=level, models=["default", "tqdm", "kalman"])
            for level in (0.5, 0.8, 0.9)]


def test_reliability_diagram_over_levels(backtests):
    ax = copyeta.plot_calibration(backtests)
    diagonal = line(ax, "perfect calibration")
    assert list(diagonal.get_xdata()) == [0, 1] and list(diagonal.get_ydata()) == [0, 1]
    default = line(ax, "default")
    assert list(default.get_xdata()) == [0.5, 0.8, 0.9]
    assert list(default.get_ydata()) == [r.table().loc["default", "coverage"] for r in backtests]
    assert line(ax, "tqdm (peer)").get_marker() not in ("", "None", None)
    assert ax.get_xlabel() == "nominal level of the interval"


def test_one_level_shows_coverage_by_progress_bucket(backtests):
    r = backtests[1]
    ax = copyeta.plot_calibration(r, subset="real_end")
    ideal = line(ax, "nominal level 80%")
    assert list(ideal.get_ydata()) == [0.8, 0.8]
    kalman = line(ax, "kalman")
    table = r.table("real_end")
    assert list(kalman.get_ydata()) == list(table.loc["kalman", ["coverage_early", "coverage_mid",
                                                                  "coverage_late"]])
    assert [t.get_text().split("\n")[0] for t in ax.get_xticklabels()] == ["early", "mid", "late", "all"]
    assert "real ends" in ax.get_title()


def test_calibration_refuses_other_things():
    with pytest.raises(TypeError):
        copyeta.plot_calibration([pd.DataFrame()])
