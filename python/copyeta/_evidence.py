"""Mergeable calibration state: what finished traces say about calibration, kept per job.

The C++ ``calibration_evidence`` (include/copyeta/calibration_evidence.hpp) does the work; this
is its Pythonic face. Workers gather evidence from their own traces, a coordinator merges the
states in any order and fits once, and the result is the calibration one process fits on every
trace, bit for bit.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable, List, Tuple, Union

from . import _core

__all__ = ["CalibrationEvidence"]

PathLike = Union[str, "os.PathLike[str]"]


class CalibrationEvidence:
    """What finished traces say about calibration, per job and keyed by name.

    Fitting a :class:`copyeta.Calibration` costs one replay of the default model's components
    per trace; this holds what those replays found (the components' forecasts at every scored
    sample, and the truth), so that the replays can run anywhere and the fit once, later:

    >>> a = CalibrationEvidence(traces[:20])  # doctest: +SKIP
    >>> b = CalibrationEvidence(traces[20:])  # doctest: +SKIP
    >>> (a | b).fit() == copyeta.Calibration.fit(traces)  # doctest: +SKIP
    True

    Merging is a union of jobs and :meth:`fit` adds them up in name order, so every partition
    and merge order gives the same calibration, bit for bit: ``Calibration.fit`` on the same
    traces sorted by name (:func:`copyeta.read_traces` reads a folder in that order).

    One name, one job: adding or merging a job already held, with the same evidence, keeps it
    once (a retried task, a state merged twice); a different job under a held name raises
    ValueError and changes nothing. Traces that cannot be scored are listed in :attr:`skipped`.

    The state pickles, and :meth:`to_json` writes it as versioned JSON
    (``{"format": "copyeta.evidence", "version": 1, ...}``) with every number exact.
    """

    __slots__ = ("_core",)

    def __init__(self, traces: Union[None, PathLike, Iterable[object]] = None):
        """Evidence of `traces` (``copyeta.Trace`` objects or a folder of trace CSVs), or none."""
        self._core = _core._CalibrationEvidence()
        if traces is not None:
            self.update(traces)

    @classmethod
    def _wrap(cls, core: _core._CalibrationEvidence) -> "CalibrationEvidence":
        out = cls.__new__(cls)
        out._core = core
        return out

    def add(self, trace) -> bool:
        """Scores a ``copyeta.Trace`` and adds its evidence under its name.

        Returns False when the trace cannot be scored (docs/metrics.md); it is then listed in
        :attr:`skipped`. The replay runs without the GIL.
        """
        return self._core.add(trace)

    def update(self, traces: Union[PathLike, Iterable[object]]) -> int:
        """Adds every trace (or every ``*.csv`` of a folder); all or nothing. Returns how many
        were scored."""
        if isinstance(traces, (str, os.PathLike)):
            from ._trace import read_traces

            traces = read_traces(traces)
        return self._core.add_all(list(traces))

    def merge(self, *others: "CalibrationEvidence") -> "CalibrationEvidence":
        """Adds every job of `others`, in place, and returns self. Exact in any order."""
        for other in others:
            self._core.merge(_core_of(other))
        return self

    def __or__(self, other: "CalibrationEvidence") -> "CalibrationEvidence":
        """A new state holding the jobs of both."""
        if not isinstance(other, CalibrationEvidence):
            return NotImplemented
        return self.copy().merge(other)

    def copy(self) -> "CalibrationEvidence":
        return CalibrationEvidence._wrap(_core._CalibrationEvidence().merge(self._core))

    def fit(self) -> "_core.Calibration":
        """``Calibration.fit`` over every job, in name order (without the GIL)."""
        return self._core.fit()

    def fit_without(self, name: str) -> "_core.Calibration":
        """The fit without one job, as a backtest scores the default model (leave-one-out)."""
        return self._core.fit_without_each([name])[0]

    def fit_without_each(self, names: Iterable[str]) -> List["_core.Calibration"]:
        """:meth:`fit_without` for each name, sharing the per-job work between the folds."""
        return self._core.fit_without_each(list(names))

    @property
    def names(self) -> List[str]:
        """The jobs held (scored traces), in name order."""
        return self._core.names

    @property
    def jobs(self) -> int:
        """How many jobs a fit learns from (those with at least one forecast sample)."""
        return self._core.jobs

    @property
    def skipped(self) -> List[Tuple[str, str]]:
        """``(name, why)`` of every trace that could not be scored, in name order."""
        return [tuple(s) for s in self._core.skipped]

    def __len__(self) -> int:
        return len(self._core)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._core

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CalibrationEvidence):
            return NotImplemented
        return self._core == other._core

    __hash__ = None  # mutable

    def __repr__(self) -> str:
        return (f"<copyeta.CalibrationEvidence {len(self)} traces scored ({self.jobs} with "
                f"forecasts), {len(self.skipped)} skipped>")

    def to_json(self) -> str:
        """Versioned JSON, jobs in name order, every number exact: equal states, equal text."""
        return self._core.to_json()

    @classmethod
    def from_json(cls, text: str, source: str = "from_json") -> "CalibrationEvidence":
        """Reads :meth:`to_json`'s text; ValueError naming `source` and the place when it is bad."""
        return cls._wrap(_core._CalibrationEvidence.from_json(text, source))

    def save(self, path: PathLike) -> None:
        """Writes the JSON to `path` through a temporary file renamed over it."""
        path = Path(path)
        fd, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(self.to_json())
                f.flush()
                os.fsync(f.fileno())
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise

    @classmethod
    def load(cls, path: PathLike) -> "CalibrationEvidence":
        return cls.from_json(Path(path).read_text(encoding="utf-8"), os.fspath(path))

    def __getstate__(self) -> str:
        return self.to_json()

    def __setstate__(self, state: str) -> None:
        self._core = _core._CalibrationEvidence.from_json(state, "pickle")


def _core_of(state) -> _core._CalibrationEvidence:
    if isinstance(state, CalibrationEvidence):
        return state._core
    if isinstance(state, _core._CalibrationEvidence):
        return state
    raise TypeError(f"expected a copyeta.CalibrationEvidence, got {state!r}")
