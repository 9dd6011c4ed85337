"""Recorded progress traces: trace CSV files and raw copy-tool logs, as numpy columns."""
from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import List, Optional, Union

import numpy as np
import pandas as pd

from . import _core
from ._replay import _amounts, replay

__all__ = ["Trace", "TraceWarning", "read_trace", "read_traces"]

PathLike = Union[str, "os.PathLike[str]"]


class TraceWarning(UserWarning):
    """A row or line of a trace file that was left out (its message names the file and line)."""


def _exact(values, what: str) -> np.ndarray:
    """Amounts as uint64, or ValueError naming the first value that is not one."""
    array = _amounts(values)
    if array.dtype == np.uint64:
        return array
    bad = ~(np.isfinite(array) & (array >= 0) & (array == np.floor(array)) & (array < 2.0**64))
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"{what}[{i}] = {array[i]!r} is not an amount (an integer in 0..2^64-1)")
    return array.astype(np.uint64)


def _nullable_total(total, n: int) -> pd.arrays.IntegerArray:
    """`total` (None, a scalar or an array with NaN/None/<NA> for unknown) as UInt64."""
    if total is None or (np.ndim(total) == 0 and pd.isna(total)):
        return pd.arrays.IntegerArray(np.zeros(n, np.uint64), np.ones(n, bool))
    if np.ndim(total) == 0:
        return pd.arrays.IntegerArray(np.full(n, _exact([total], "total")[0], np.uint64),
                                      np.zeros(n, bool))
    if isinstance(total, (pd.Series, pd.Index)):
        total = total.array
    if isinstance(total, pd.api.extensions.ExtensionArray):
        unknown = np.asarray(total.isna())
        values = total.to_numpy(dtype=total.dtype.numpy_dtype if total.dtype.kind in "iu" else
                                np.float64, na_value=0)
    else:
        unknown = np.isnan(np.asarray(total, dtype=np.float64))  # None becomes NaN here
        # Zeros in place of the unknowns keep the others exact (Python ints stay ints).
        values = np.where(unknown, 0, np.asarray(total, dtype=object)) if unknown.any() else total
    if len(unknown) != n:
        raise ValueError(f"total has {len(unknown)} values, t has {n}")
    return pd.arrays.IntegerArray(_exact(values, "total"), unknown)


class Trace:
    """A progress trace: the amount done (and the total, where known) at each time.

    Build one from columns, or read one with :func:`read_trace`. The columns are numpy arrays:
    ``t`` (float64 seconds), ``done`` (uint64), ``total`` (a pandas ``UInt64`` array, ``<NA>``
    where unknown) and ``tool_eta`` (the tool's own remaining-time estimate in seconds, NaN where
    it printed none).

    ``unit`` says what the amounts count: ``"bytes"``, ``"rows"`` (gh-ost) or ``"percent"`` for
    a tool that prints only a percentage, in the traces' pct convention: ``done`` is the percent
    times 1e6 and ``total`` is 1e8 (57.25% is 57,250,000 of 100,000,000). ``format`` is the tool
    format a log was read as (``"dd"``, ``"curl"``, ...; see ``copyeta pipe --help``), ``"csv"``
    for a trace CSV, or None for columns; ``source`` is the file it came from.

    A Trace pickles (its C++ twin, ``_core``, is rebuilt from the columns).

    >>> tr = Trace([0.0, 1.0, 2.0], [0, 50, 100], total=100, name="demo")
    >>> tr.end
    2.0
    >>> tr.to_frame().dtypes.tolist()  # doctest: +SKIP
    [dtype('float64'), dtype('uint64'), UInt64Dtype()]
    """

    def __init__(self, t, done, total=None, *, name: str = "trace", unit: str = "bytes",
                 format: Optional[str] = None, source: Optional[str] = None, tool_eta=None):
        self.t = np.asarray(t, dtype=np.float64)
        self.done = _exact(done, "done")
        if self.t.ndim != 1 or len(self.done) != len(self.t):
            raise ValueError(f"t and done must be 1-d of one length, not {self.t.shape} and "
                             f"{self.done.shape}")
        self.total = _nullable_total(total, len(self.t))
        self.tool_eta = (np.full(len(self.t), np.nan) if tool_eta is None
                         else np.asarray(tool_eta, dtype=np.float64))
        if self.tool_eta.shape != self.t.shape:
            raise ValueError(f"tool_eta has {len(self.tool_eta)} values, t has {len(self.t)}")
        self.name = name
        self.unit = unit
        self.format = format
        self.source = source
        self._core = self._build_core()

    def _build_core(self) -> _core._Trace:
        return _core._trace_from_columns(self.name, self.t, self.done,
                                         self.total.to_numpy(dtype=np.uint64, na_value=0),
                                         has_total=~np.asarray(self.total.isna()))

    def __getstate__(self):
        state = self.__dict__.copy()
        del state["_core"]
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._core = self._build_core()

    def __len__(self) -> int:
        return len(self.t)

    def __repr__(self) -> str:
        span = f"{self.t[0]:g}..{self.t[-1]:g} s" if len(self) else "empty"
        source = f", source={self.source!r}" if self.source else ""
        return (f"Trace(name={self.name!r}, rows={len(self)}, t={span}, unit={self.unit!r}, "
                f"format={self.format!r}{source})")

    @property
    def end(self) -> Optional[float]:
        """The time of the first row with done >= total, or None when the trace never gets there."""
        known = ~np.asarray(self.total.isna())
        reached = known & (self.done >= self.total.to_numpy(dtype=np.uint64, na_value=0))
        return float(self.t[np.argmax(reached)]) if reached.any() else None

    def to_frame(self) -> pd.DataFrame:
        """The trace CSV's columns: ``t_seconds``, ``bytes_done`` and ``bytes_total``."""
        return pd.DataFrame({"t_seconds": self.t, "bytes_done": self.done,
                             "bytes_total": self.total.copy()})

    def replay(self, **kwargs) -> pd.DataFrame:
        """:func:`copyeta.replay` over this trace; keyword arguments go along (model, level, ...)."""
        return replay(self.t, self.done, self.total, **kwargs)


def _lines(numbers) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    return f"{shown} and {len(numbers) - 10} more" if len(numbers) > 10 else shown


def _read_csv(path: str) -> Trace:
    columns = _core._read_trace_csv(path)
    rejected = np.flatnonzero(columns["reason"])
    for i in rejected:
        warnings.warn(f"{columns['error'][i]}; row left out", TraceWarning, stacklevel=3)
    keep = columns["reason"] == 0
    total = pd.arrays.IntegerArray(columns["total"][keep], ~columns["has_total"][keep])
    return Trace(columns["t"][keep], columns["done"][keep], total, name=Path(path).stem,
                 format="csv", source=path, tool_eta=columns["tool_eta"][keep])


def _read_log(path: str, format: Optional[str]) -> Trace:
    columns = _core._parse_tool_log(Path(path).read_bytes(), path, format)
    untimed = np.isnan(columns["t"])
    percent = columns["percent_only"]
    # Percent-only readings (per-file lines of rclone, say) do not mix with byte counts: in a log
    # that has both, the byte counts are the trace.
    stray_percent = percent & ~untimed & bool((~percent & ~untimed).any())
    for left_out, why in ((untimed, "progress lines without the tool's elapsed time"),
                          (stray_percent, "percent-only progress lines among byte counts")):
        if left_out.any():
            warnings.warn(f"{path}: lines {_lines(columns['line'][left_out])}: {why}; left out",
                          TraceWarning, stacklevel=3)
    if columns["dropped_bytes"]:
        warnings.warn(f"{path}: {columns['dropped_bytes']} bytes of over-long lines skipped",
                      TraceWarning, stacklevel=3)
    keep = ~untimed & ~stray_percent
    fmt = columns["format"]
    unit = "percent" if percent[keep].all() else "rows" if fmt == "ghost" else "bytes"
    total = pd.arrays.IntegerArray(columns["total"][keep], ~columns["has_total"][keep])
    return Trace(columns["t"][keep], columns["done"][keep], total, name=Path(path).stem,
                 unit=unit, format=fmt, source=path, tool_eta=columns["tool_eta"][keep])


def _is_trace_csv(path: str) -> bool:
    """True when the first non-blank line is a trace CSV header."""
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                fields = {field.strip() for field in line.decode("utf-8", "replace").split(",")}
                return bool(fields & {"t_seconds", "bytes_done"})
    return False


def read_trace(path: PathLike, *, format: Optional[str] = None) -> Trace:
    """Reads a trace CSV or a raw copy-tool log.

    A trace CSV has the header ``t_seconds,bytes_done,bytes_total`` (columns matched by name;
    ``tool_eta_seconds`` is kept when present). Anything else is read as a tool's own progress
    output (dd, rsync, curl, pv, rclone, Proxmox, ...) with the parsers of ``copyeta pipe``; the
    tool must print its elapsed time, since a saved log has no other clock.

    Nothing is dropped silently: every CSV row that does not parse, and every progress line
    left out of a log, is reported as a :class:`TraceWarning` naming the file and the line.

    Parameters
    ----------
    path : str or os.PathLike
    format : str, optional
        ``"csv"``, or a tool format to skip detection (``"dd"``, ``"curl"``, ...).

    Raises
    ------
    ValueError
        When a CSV lacks a required column, when a log has no progress line or its tool prints no
        times, or for an unknown format.
    OSError
        When the file cannot be read.

    >>> tr = read_trace("tests/data/formats/dd_status_progress_1.txt")  # doctest: +SKIP
    >>> tr.format, len(tr)  # doctest: +SKIP
    ('dd', 5)
    """
    path = os.fspath(path)
    is_csv = _is_trace_csv(path)  # also raises OSError for a file that cannot be read
    if format == "csv" or (format is None and is_csv):
        return _read_csv(path)
    return _read_log(path, format)


def read_traces(folder: PathLike) -> List[Trace]:
    """Every ``*.csv`` trace in `folder`, sorted by file name (as ``copyeta backtest`` reads them)."""
    return [read_trace(path, format="csv") for path in sorted(Path(folder).glob("*.csv"))]
