"""Backtests in Python: docs/metrics.md over finished traces, for copyeta and its peers.

The scoring is the C++ library's (``copyeta backtest`` runs the same code), so the numbers here
are the command line's. Every figure follows docs/metrics.md: each trace counts once, real ends
and milestones are reported separately and together, copyeta's default model is calibrated
leave-one-out and peers get intervals from fixed factors learned on the other traces.
"""
from __future__ import annotations

import math
import os
from typing import Iterable, List, Optional, Sequence, Tuple, Union

import pandas as pd

from . import _core

__all__ = ["BacktestResult", "backtest"]

#: The subsets of traces a summary reports, in the command line's order.
SUBSETS = ("all", "real_end", "milestone")
_SUBSET_TITLES = {
    "all": "Real ends and milestones",
    "real_end": "Real ends",
    "milestone": "Milestones",
}
#: The metric columns of both tables, in the command line's order.
METRICS = (
    "q_error",
    "coverage",
    "interval_score",
    "flip_flop",
    "availability",
    "coverage_early",
    "coverage_mid",
    "coverage_late",
)
# Decimals the command line prints for each metric (q-error and flip-flop 3, the rest 2).
_DECIMALS = {
    "q_error": 3,
    "coverage": 2,
    "interval_score": 2,
    "flip_flop": 3,
    "availability": 2,
    "coverage_early": 2,
    "coverage_mid": 2,
    "coverage_late": 2,
}
_HEADER = (
    "| model | q-error | coverage | interval score | flip-flop | availability | "
    "coverage early | coverage mid | coverage late |"
)


def _cell(value: float, decimals: int) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:.{decimals}f}"


class BacktestResult:
    """What :func:`backtest` found.

    Attributes:
        level: the nominal level of the intervals (e.g. 0.8).
        models: the model names scored, in order (copyeta's first).
        per_trace: one row per scored trace and model. Columns ``trace``, ``kind``
            (``"real_end"`` or ``"milestone"``), ``samples`` (rows fed to the model), ``model``,
            ``peer``, ``scored`` and ``predicted`` (sample counts), then the figures of
            docs/metrics.md: ``q_error`` (median), ``coverage`` (mean), ``interval_score``
            (median), ``flip_flop``, ``availability`` and ``coverage_early/mid/late``. NaN where
            a model predicted nothing.
        summary: means over traces. Rows are a MultiIndex ``(subset, model)`` with subset
            ``"all"``, ``"real_end"`` or ``"milestone"``; columns ``peer``, ``traces`` (how many
            traces the subset holds) and the metrics above. ``summary.loc["real_end"]`` is the
            table of real ends, indexed by model; :meth:`table` says the same.
        skipped: ``(trace name, why)`` for every trace that could not be scored.
    """

    def __init__(self, raw: dict):
        self.level: float = float(raw["level"])
        self.models: List[str] = list(raw["models"])
        per_trace = pd.DataFrame(raw["per_trace"])
        if per_trace.empty:
            per_trace = pd.DataFrame(
                columns=["trace", "kind", "samples", "model", "peer", "scored", "predicted", *METRICS]
            )
        self.per_trace: pd.DataFrame = per_trace
        summary = pd.DataFrame(raw["summary"])
        summary = summary.set_index(["subset", "model"])
        self.summary: pd.DataFrame = summary[["peer", "traces", *METRICS]]
        self.skipped: List[Tuple[str, str]] = [tuple(s) for s in raw["skipped"]]

    def table(self, subset: str = "all") -> pd.DataFrame:
        """The summary of one subset (``"all"``, ``"real_end"`` or ``"milestone"``), by model."""
        if subset not in SUBSETS:
            raise ValueError(f"subset must be one of {', '.join(SUBSETS)}; got {subset!r}")
        return self.summary.loc[subset]

    def count(self, subset: str = "all") -> int:
        """How many scored traces the subset holds."""
        if subset not in SUBSETS:
            raise ValueError(f"subset must be one of {', '.join(SUBSETS)}; got {subset!r}")
        kinds = self.per_trace.drop_duplicates("trace")["kind"]
        return int(len(kinds) if subset == "all" else (kinds == subset).sum())

    def to_text(self, *, skipped: bool = True) -> str:
        """The three summary tables (and the traces not scored) as ``copyeta backtest`` prints them.

        Markdown tables, without tabulate: the same text, number for number, as the command
        line's output after its introduction.
        """
        out: List[str] = []
        for subset in SUBSETS:
            out.append("")
            out.append(f"### {_SUBSET_TITLES[subset]} ({self.count(subset)} traces, level {self.level!r})")
            out.append("")
            out.append(_HEADER)
            out.append("|---|---|---|---|---|---|---|---|---|")
            table = self.table(subset)
            for model in self.models:
                row = table.loc[model]
                name = model + (" (peer)" if row["peer"] else "")
                cells = [_cell(row[m], _DECIMALS[m]) for m in METRICS]
                out.append(f"| {name} | " + " | ".join(cells) + " |")
        if skipped and self.skipped:
            out.append("")
            out.append(f"Not scored ({len(self.skipped)}):")
            out.append("")
            out.extend(f"- {name}: {why}" for name, why in self.skipped)
        return "\n".join(out) + "\n"

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return (
            f"<copyeta.BacktestResult level={self.level!r}, {len(self.models)} models, "
            f"{self.count('all')} traces scored ({self.count('real_end')} real ends, "
            f"{self.count('milestone')} milestones), {len(self.skipped)} skipped>"
        )


TraceSource = Union[str, "os.PathLike[str]", Iterable[object]]


def backtest(
    traces: TraceSource, *, level: float = 0.8, models: Optional[Sequence[str]] = None
) -> BacktestResult:
    """Score copyeta and its peers on finished traces, as ``copyeta backtest`` does.

    Args:
        traces: ``copyeta.Trace`` objects, or a folder of trace CSV files (every ``*.csv``, read
            with :func:`copyeta.read_traces`, named by file stem like the command line).
        level: the nominal level of the intervals, in (0, 1).
        models: model names to score (see ``copyeta.model_names()``); ``None`` scores all,
            copyeta's first.

    Returns:
        A :class:`BacktestResult`. ``print(result)`` shows the command line's tables.

    Raises:
        ValueError: level outside (0, 1) or an unknown model name.
        TypeError: an item that is not a ``copyeta.Trace``.

    The computation runs without the GIL; other Python threads go on meanwhile.
    """
    if isinstance(models, str):
        models = [models]
    if isinstance(traces, (str, os.PathLike)):
        from ._trace import read_traces

        traces = read_traces(traces)
    raw = _core.backtest(list(traces), level=float(level), models=None if models is None else list(models))
    return BacktestResult(raw)
