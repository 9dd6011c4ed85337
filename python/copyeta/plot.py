"""Charts: a forecast's fan as the copy went on, and how well intervals kept their promise.

``plot_forecast`` draws what ``copyeta.replay`` said at every sample: the predicted finish (the
median), its interval and, when known, the true end, above a small panel of the progress itself.
``plot_calibration`` draws the coverage a backtest measured against the nominal level.

matplotlib is imported when a chart is drawn, so ``import copyeta`` does not need it.
"""
from __future__ import annotations

import datetime as _dt
import math
from typing import List, Optional, Sequence, Union

import numpy as np
import pandas as pd

__all__ = ["plot_calibration", "plot_forecast"]

# Colours: the forecast in blue, the truth in black, progress in grey.
_MEDIAN = "#1f5fa8"
_BAND = "#8fb8e8"
_TRUTH = "black"
_PROGRESS = "#555555"

# The fan's top: at the 95th percentile of the interval's upper ends (and the 98th of the
# medians), never more than this many spans of the trace past its end; what is above is clipped.
_CLIP_SPANS = 1.0


# --- time axes ----------------------------------------------------------------------------------

_NICE_STEPS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
               10800, 21600, 43200, 86400, 172800, 432000, 864000]


def _duration_format(largest: float, step: float) -> str:
    """How an axis writes its ticks: "h:mm", "h:mm:ss", "m:ss" or "s" (seconds with a tenth)."""
    if step < 1 and largest < 60:
        return "s"
    if largest < 3600:
        return "m:ss"
    return "h:mm" if step >= 60 else "h:mm:ss"


def _duration_text(seconds: float, form: str) -> str:
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    if form == "s":
        return f"{sign}{seconds:.1f}"
    whole = int(round(seconds))
    h, m, s = whole // 3600, whole // 60 % 60, whole % 60
    if form == "m:ss":
        return f"{sign}{whole // 60}:{s:02d}"
    if form == "h:mm":
        return f"{sign}{h}:{m:02d}"
    return f"{sign}{h}:{m:02d}:{s:02d}"


def _duration_axis(axis) -> None:
    """Ticks at round durations (10 s, 5 min, 1 h, ...), all written alike: h:mm, m:ss or s."""
    from matplotlib.ticker import FuncFormatter, Locator

    state = {"form": "m:ss"}

    class DurationLocator(Locator):
        def __call__(self):
            vmin, vmax = self.axis.get_view_interval()
            return self.tick_values(vmin, vmax)

        def tick_values(self, vmin, vmax):
            vmin, vmax = min(vmin, vmax), max(vmin, vmax)
            span = max(vmax - vmin, 1e-9)
            step = next((s for s in _NICE_STEPS if span / s <= 7), _NICE_STEPS[-1])
            while span / step > 7:
                step *= 2
            state["form"] = _duration_format(max(abs(vmin), abs(vmax)), step)
            first = math.ceil(vmin / step) * step
            return np.arange(first, vmax + step * 1e-9, step)

    axis.set_major_locator(DurationLocator())
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: _duration_text(v, state["form"])))


def _clock_text(when: pd.Timestamp) -> str:
    """'15:25' (with seconds when there are any), as the axes write times."""
    return when.strftime("%H:%M:%S" if when.second else "%H:%M")


class _Clock:
    """Seconds on the trace's clock to what the axes plot: seconds, or matplotlib date numbers."""

    def __init__(self, start):
        self.start = None if start is None else pd.Timestamp(start)
        self.tz = None if self.start is None else self.start.tzinfo

    def __call__(self, seconds):
        seconds = np.asarray(seconds, dtype=float)
        if self.start is None:
            return seconds
        from matplotlib import dates as mdates

        # Date numbers are days; the timestamps stay in the start's time zone when it has one.
        start_num = mdates.date2num(self.start.to_pydatetime())
        return start_num + seconds / 86400.0

    def text(self, seconds: float) -> str:
        if self.start is None:
            return f"t = {_duration_text(seconds, _duration_format(abs(seconds), 1))}"
        return _clock_text(self.start + pd.Timedelta(seconds=float(seconds)))

    def format_axis(self, axis, *, show_date: bool = True) -> None:
        if self.start is None:
            _duration_axis(axis)
            return
        from matplotlib import dates as mdates

        locator = mdates.AutoDateLocator(tz=self.tz, minticks=4, maxticks=9)
        axis.set_major_locator(locator)
        axis.set_major_formatter(mdates.ConciseDateFormatter(locator, tz=self.tz, show_offset=show_date))


# --- the fan chart ------------------------------------------------------------------------------


def _true_end(df: pd.DataFrame) -> Optional[float]:
    finished = df.index[df["state"].astype(str) == "finished"]
    if len(finished) == 0:
        return None
    return float(df.loc[finished[0], "t"])


def plot_forecast(df: pd.DataFrame, *, start: Union[_dt.datetime, pd.Timestamp, None] = None,
                  ax=None, true_end: Optional[float] = None, title: Optional[str] = None):
    """A fan chart of a replay: the predicted finish and its interval as the copy went on.

    Parameters
    ----------
    df : pandas.DataFrame
        What ``copyeta.replay`` returned (columns ``t``, ``done``, ``total``, ``state``,
        ``finish``, ``finish_lo``, ``finish_hi``; ``df.attrs["level"]`` names the interval).
    start : datetime, optional
        The wall-clock time of ``t = 0``. Both time axes then show wall-clock times (in
        ``start``'s time zone when it has one); without it they show ``t`` as h:mm:ss.
    ax : matplotlib Axes, optional
        Where to draw the fan; a progress panel is split off its top. A new figure by default.
    true_end : float, optional
        When the copy really finished, in seconds on the clock of ``t``. By default the first
        row whose state is ``finished``; no truth line when there is none.
    title : str, optional
        The chart's title (default: model and level).

    Returns
    -------
    matplotlib Axes
        The fan's Axes (x: time of the estimate; y: predicted finish, on the same clock). The
        progress panel above it shares its x axis. The fan's top follows the bulk of the interval
        (95th percentile of its upper ends, never more than the trace's span past its end);
        ends above it are clipped, and the legend says so.
    """
    import matplotlib.pyplot as plt
    from mpl_toolkits.axes_grid1 import make_axes_locatable

    clock = _Clock(start)
    level = df.attrs.get("level")
    model = df.attrs.get("model")
    t = df["t"].to_numpy(dtype=float)
    finish = df["finish"].to_numpy(dtype=float)
    finish_lo = df["finish_lo"].to_numpy(dtype=float)
    finish_hi = df["finish_hi"].to_numpy(dtype=float)
    if true_end is None:
        true_end = _true_end(df)

    # Sensible limits: x from the first sample to the end (or the last sample); y from there to
    # the bulk of the upper ends, never more than _CLIP_SPANS spans past the end.
    valid_t = t[np.isfinite(t)]
    if valid_t.size == 0:
        raise ValueError("plot_forecast: the DataFrame has no times to plot")
    t0 = float(valid_t.min())
    t_end = max(float(valid_t.max()), true_end if true_end is not None else -math.inf)
    span = max(t_end - t0, 1e-3)
    cap = t_end + _CLIP_SPANS * span
    # A few spikes must not squash the rest: the top follows the bulk of the upper ends.
    his = finish_hi[np.isfinite(finish_hi)]
    meds = finish[np.isfinite(finish)]
    top = max(t_end, float(np.percentile(his, 95)) if his.size else t_end,
              float(np.percentile(meds, 98)) if meds.size else t_end)
    top = min(top, cap)
    y_max = top + 0.05 * (top - t0)
    band_clipped = bool(np.nanmax(finish_hi, initial=-math.inf) > y_max)
    median_clipped = bool(np.nanmax(finish, initial=-math.inf) > y_max)
    hi_drawn = np.minimum(finish_hi, y_max + 0.5 * span)  # beyond the top: drawn to the edge
    lo_drawn = np.minimum(finish_lo, y_max + 0.5 * span)
    med_drawn = np.where(finish > y_max + 0.5 * span, y_max + 0.5 * span, finish)

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 6.5))
    fig = ax.figure
    top_ax = make_axes_locatable(ax).append_axes("top", size="28%", pad=0.12, sharex=ax)
    # The progress panel is drawn above; the fan keeps the Axes the caller gets back.
    fig.sca(ax)

    x = clock(t)
    x_lo, x_hi = clock(t0), clock(t_end)
    x_margin = 0.02 * (x_hi - x_lo if x_hi > x_lo else 1.0)

    # Progress, on top.
    # The total is a nullable integer column: <NA> (unknown) becomes NaN here.
    total = pd.to_numeric(df["total"], errors="coerce").astype("Float64").to_numpy(
        dtype=float, na_value=np.nan)
    done = pd.to_numeric(df["done"], errors="coerce").astype("Float64").to_numpy(
        dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = np.where(total > 0, 100.0 * done / total, np.nan)
    top_ax.plot(x, percent, color=_PROGRESS, marker="o" if len(df) <= 60 else None, ms=3.5, lw=1.5,
                label="done")
    top_ax.set_ylim(0, 105)
    top_ax.set_yticks([0, 50, 100])
    top_ax.set_ylabel("done (%)")
    top_ax.grid(True, alpha=0.3)
    top_ax.tick_params(labelbottom=False)
    if title is None:
        parts = ["copyeta forecast"]
        if model:
            parts.append(f"model {model}")
        if level is not None:
            parts.append(f"{level:.0%} interval")
        title = ", ".join(parts)
    top_ax.set_title(title)

    # The fan.
    level_text = f"{level:.0%} interval" if level is not None else "interval"
    band_label = level_text + (" (ends above the chart clipped)" if band_clipped else "")
    has_band = bool(np.isfinite(finish_lo).any())
    if has_band:
        ax.fill_between(x, clock(lo_drawn), clock(hi_drawn), step="post", color=_BAND, alpha=0.55,
                        lw=0, label=band_label)
    ax.plot(x, clock(med_drawn), drawstyle="steps-post", color=_MEDIAN, lw=2,
            marker="o" if len(df) <= 60 else None, ms=4,
            label="predicted finish (median)" + (" (some above the chart)" if median_clipped else ""))
    ax.plot([x_lo, x_hi], [x_lo, x_hi], color="0.6", lw=1, ls=":", label="now (finish = time of estimate)")
    if true_end is not None:
        x_true = float(clock(true_end))
        ax.axhline(x_true, color=_TRUTH, lw=1.3, ls="--", label=f"true end ({clock.text(true_end)})")
        ax.axvline(x_true, color=_TRUTH, lw=0.8, ls=":")
        top_ax.axvline(x_true, color=_TRUTH, lw=0.8, ls=":")

    ax.set_xlim(x_lo - x_margin, x_hi + x_margin)
    ax.set_ylim(float(clock(t0 - 0.02 * span)), float(clock(y_max)))
    clock.format_axis(ax.xaxis)
    clock.format_axis(ax.yaxis, show_date=False)
    if clock.start is None:
        form = _duration_format(max(abs(t0), abs(y_max)), 60 if span >= 600 else 1)
        ax.set_xlabel(f"time of the estimate ({form} on the trace's clock)")
        ax.set_ylabel(f"predicted finish ({form}, same clock)")
    else:
        ax.set_xlabel("time of the estimate (wall clock)")
        ax.set_ylabel("predicted finish (wall clock)")
    ax.grid(True, alpha=0.3)
    # Below the diagonal is mostly empty (a finish is never before its estimate): the legend
    # goes there.
    ax.legend(loc="lower right", fontsize="small", framealpha=0.9)
    return ax


# --- calibration --------------------------------------------------------------------------------


def _as_results(results) -> List[object]:
    if hasattr(results, "summary") and hasattr(results, "level"):
        return [results]
    items = list(results)
    if not items or not all(hasattr(r, "summary") and hasattr(r, "level") for r in items):
        raise TypeError("plot_calibration: expected a BacktestResult or a list of them")
    return items


def _model_style(index: int, model: str):
    import matplotlib as mpl

    colors = mpl.colormaps["tab10"].colors
    markers = "osD^vP*Xh<>p"
    if model == "default":
        return dict(color="black", marker="o", lw=2.4, ms=7, zorder=5)
    return dict(color=colors[index % len(colors)], marker=markers[index % len(markers)], lw=1.2,
                ms=5, alpha=0.85)


def plot_calibration(results, *, ax=None, models: Optional[Sequence[str]] = None,
                     subset: str = "all"):
    """A reliability diagram: the coverage a backtest measured against the level it promised.

    Parameters
    ----------
    results : BacktestResult or list of them
        From ``copyeta.backtest``. Several levels (e.g. 0.5, 0.8, 0.9): each model's observed
        coverage is drawn against the nominal level, with the diagonal of perfect calibration.
        One level: each model's coverage per progress bucket (early, mid, late, and all), with
        the nominal level as the line of perfect calibration.
    ax : matplotlib Axes, optional
    models : list of str, optional
        The models to draw (default: every model of the results; copyeta's ``default`` in black).
    subset : str
        ``"all"``, ``"real_end"`` or ``"milestone"`` (see ``BacktestResult.summary``).

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt

    items = sorted(_as_results(results), key=lambda r: r.level)
    if models is None:
        models = []
        for r in items:
            models.extend(m for m in r.models if m not in models)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 6))
    levels = sorted({r.level for r in items})
    n_traces = items[0].count(subset)
    subset_text = {"all": "real ends and milestones", "real_end": "real ends",
                   "milestone": "milestones"}.get(subset, subset)

    if len(levels) > 1:
        ax.plot([0, 1], [0, 1], color="0.4", ls="--", lw=1.2, label="perfect calibration", zorder=1)
        for i, model in enumerate(models):
            xs, ys = [], []
            for r in items:
                table = r.table(subset)
                if model in table.index:
                    xs.append(r.level)
                    ys.append(float(table.loc[model, "coverage"]))
            peer = " (peer)" if bool(items[0].table(subset).loc[model, "peer"]) else ""
            ax.plot(xs, ys, label=model + peer, **_model_style(i, model))
        observed = [y for line in ax.get_lines()[1:] for y in line.get_ydata()]
        low = max(0.0, float(np.nanmin([levels[0], *observed])) - 0.05)
        ax.set_xlim(low, 1.0)
        ax.set_ylim(low, 1.0)
        ax.set_aspect("equal", adjustable="box")
        ax.set_xlabel("nominal level of the interval")
        ax.set_ylabel("observed coverage (mean over traces)")
        ax.set_title(f"Calibration on {n_traces} traces ({subset_text})")
    else:
        level = levels[0]
        r = items[0]
        table = r.table(subset)
        buckets = ["coverage_early", "coverage_mid", "coverage_late", "coverage"]
        names = ["early\n5-35%", "mid\n35-65%", "late\n65-95%", "all"]
        positions = np.arange(len(buckets), dtype=float)
        ax.axhline(level, color="0.4", ls="--", lw=1.2,
                   label=f"nominal level {level:.0%} (perfect calibration)", zorder=1)
        width = 0.5
        for i, model in enumerate(models):
            if model not in table.index:
                continue
            offset = (i - (len(models) - 1) / 2) * width / max(len(models), 1)
            ys = [float(table.loc[model, b]) for b in buckets]
            peer = " (peer)" if bool(table.loc[model, "peer"]) else ""
            style = _model_style(i, model)
            ax.plot(positions[:3] + offset, ys[:3], label=model + peer, **style)
            ax.plot(positions[3:] + offset, ys[3:], ls="none", **{k: v for k, v in style.items() if k != "lw"})
        ax.axvline(2.5, color="0.8", lw=1)
        ax.set_xticks(positions)
        ax.set_xticklabels(names)
        ax.set_xlim(-0.5, len(buckets) - 0.5)
        values = table.loc[[m for m in models if m in table.index], buckets].to_numpy(dtype=float)
        low = np.nanmin(values, initial=level)
        ax.set_ylim(max(0.0, min(low, level) - 0.05), 1.02)
        ax.set_xlabel("progress bucket of the scored samples")
        ax.set_ylabel(f"observed coverage of the {level:.0%} interval")
        ax.set_title(f"Coverage by progress, {n_traces} traces ({subset_text}), level {level:.0%}")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize="small", frameon=False)
    return ax
