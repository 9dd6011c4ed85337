"""copyeta.Tracker: a running job's finish time, with its interval, in the spirit of tqdm."""
from __future__ import annotations

import datetime as _dt
import math
import numbers
import pickle
import time
from typing import Callable, Optional, Tuple

from . import _core

__all__ = ["Forecast", "Tracker"]


def _local(unix: float) -> _dt.datetime:
    return _dt.datetime.fromtimestamp(unix).astimezone()


class Forecast:
    """An estimate and the wall-clock time at which it was made.

    ``str()`` is the finish in local time the way copyeta prints it, with a precision that
    follows the uncertainty: ``"3:30pm ± 1 hour"``, or ``"3:30pm (2:50pm – 4:40pm)"`` when the
    interval is skewed; without a finish it is the state in words (``"warming up"``).

    ``finish``, ``finish_lo`` and ``finish_hi`` are aware datetimes in the local time zone, None
    where the state has no numbers (like ``remaining``, ``lo`` and ``hi``, in seconds from
    ``wall``). ``estimate`` is the underlying :class:`copyeta.Estimate`.
    """

    def __init__(self, estimate: _core.Estimate, wall: float):
        self.estimate = estimate
        self._wall = wall

    @property
    def wall(self) -> _dt.datetime:
        """When the estimate was made (local time zone)."""
        return _local(self._wall)

    @property
    def state(self) -> str:
        return self.estimate.state

    @property
    def done(self) -> int:
        return self.estimate.done

    @property
    def total(self) -> Optional[int]:
        return self.estimate.total

    @property
    def remaining(self) -> Optional[float]:
        return self.estimate.remaining

    @property
    def lo(self) -> Optional[float]:
        return self.estimate.lo

    @property
    def hi(self) -> Optional[float]:
        return self.estimate.hi

    @property
    def level(self) -> float:
        return self.estimate.level

    @property
    def rate(self) -> Optional[float]:
        """Amount per second, or None while unknown."""
        return self.estimate.rate

    def _at(self, seconds: Optional[float]) -> Optional[_dt.datetime]:
        return None if seconds is None else _local(self._wall + seconds)

    @property
    def finish(self) -> Optional[_dt.datetime]:
        return self._at(self.remaining)

    @property
    def finish_lo(self) -> Optional[_dt.datetime]:
        return self._at(self.lo)

    @property
    def finish_hi(self) -> Optional[_dt.datetime]:
        return self._at(self.hi)

    def __str__(self) -> str:
        return self.estimate.format_finish(self._wall)

    def __repr__(self) -> str:
        if self.remaining is None:
            return f"Forecast(state={self.state!r}, wall={self.wall.isoformat(timespec='seconds')!r})"
        return (f"Forecast(state={self.state!r}, finish={str(self)!r}, "
                f"remaining={self.remaining:.6g}, lo={self.lo:.6g}, hi={self.hi:.6g}, "
                f"level={self.level})")


def _amount(value, what: str):
    """`value` if it is an amount (a number in 0..2^64-1), else ValueError or TypeError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a number, not {value!r}")
    if not (0 <= value < 2**64) or (isinstance(value, float) and math.isnan(value)):
        raise ValueError(f"{what} = {value!r} is not an amount (a number in 0..2^64-1)")
    return value


class Tracker:
    """Tracks a running job and says when it will finish, with an interval.

    >>> with Tracker(total=len(files)) as tracker:  # doctest: +SKIP
    ...     for f in files:
    ...         copy(f)
    ...         tracker.update()
    ...         print(tracker.estimate)  # "3:30pm ± 10 minutes"

    The job starts when the Tracker is made: position 0 (or :meth:`set_position`) at that time.
    Each :meth:`update`, :meth:`set_position` or :meth:`set_total` feeds a sample at ``clock()``
    to a :class:`copyeta.Monitor`; :attr:`estimate` asks it at the current ``clock()``, so a job
    that stops making progress shows as stalled. Amounts are any unit (bytes, files, rows).

    Parameters
    ----------
    total : int, optional
        The amount at which the job is done; None while unknown.
    clock : callable
        Seconds on a monotonic clock; inject a fake one in tests.
    model, level, calibration
        As for :class:`copyeta.Monitor`.

    Leaving the ``with`` block closes the tracker (exceptions propagate): later updates raise
    ValueError, and :attr:`estimate` stays the one made at closing.

    A Tracker pickles with its samples. The clock goes along when it pickles (``time.monotonic``
    does); one that does not (a lambda) is replaced by ``time.monotonic``. Either way the time
    axis continues from where it was when pickled: time spent pickled does not count.
    """

    def __init__(self, total=None, *, clock: Callable[[], float] = time.monotonic,
                 model: str = "default", level: float = 0.8,
                 calibration: Optional[_core.Calibration] = None):
        self._monitor = _core.Monitor(model=model, level=level, calibration=calibration)
        self._clock = clock
        self._origin = clock()
        self._position = 0
        self._total = None if total is None else _amount(total, "total")
        self._closed_at: Optional[Tuple[float, float]] = None  # (t, wall) of close()
        self._feed()

    @property
    def position(self):
        """The amount done so far."""
        return self._position

    @property
    def total(self):
        """The amount at which the job is done, or None."""
        return self._total

    @property
    def rejected(self) -> int:
        """Samples the input policy refused (a clock that went backwards)."""
        return self._monitor.rejected

    def _now(self) -> float:
        return self._clock() - self._origin

    def _feed(self) -> None:
        if self._closed_at is not None:
            raise ValueError("the Tracker is closed")
        self._monitor.add(self._now(), self._position, self._total)

    def update(self, n=1) -> None:
        """Adds `n` to the position (negative `n` goes back) and records it now."""
        self._position = _amount(self._position + n, "position")
        self._feed()

    def set_position(self, done) -> None:
        """Sets the position to `done` and records it now (a lower position is a restart)."""
        self._position = _amount(done, "position")
        self._feed()

    def set_total(self, total) -> None:
        """Sets (or, with None, forgets) the total and records it now."""
        self._total = None if total is None else _amount(total, "total")
        self._feed()

    @property
    def estimate(self) -> Forecast:
        """The estimate now (after :meth:`close`, the one made at closing)."""
        # The wall time is read next to the clock: it places the finish on the local clock.
        now, wall = self._closed_at or (self._now(), time.time())
        return Forecast(self._monitor.estimate(now), wall)

    def close(self) -> None:
        """Stops tracking; the estimate stays the one made now."""
        if self._closed_at is None:
            self._closed_at = (self._now(), time.time())

    def __enter__(self) -> "Tracker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_elapsed"] = self._now()
        del state["_origin"]
        try:
            pickle.dumps(self._clock)
        except (pickle.PicklingError, TypeError, AttributeError):
            state["_clock"] = time.monotonic
        return state

    def __setstate__(self, state):
        elapsed = state.pop("_elapsed")
        self.__dict__.update(state)
        self._origin = self._clock() - elapsed

    def __repr__(self) -> str:
        closed = ", closed" if self._closed_at is not None else ""
        return (f"Tracker(position={self._position!r}, total={self._total!r}, "
                f"state={self.estimate.state!r}, model={self._monitor.model!r}, "
                f"level={self._monitor.level}{closed})")
