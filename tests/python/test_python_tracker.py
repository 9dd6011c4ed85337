"""copyeta.Tracker: a running job's finish, with an injected clock so that tests are exact."""
import pickle
import re
import time

import pytest

import copyeta
from copyeta._tracker import Forecast

# "3:30pm ± 1 hour", "3:30:17pm ± 8 seconds", "Tue 9:30am ± 12 hours", or the skewed form
# "3:30pm (2:50pm – 4:40pm)" (format.hpp).
CLOCK = r"(?:\w{3} )?(?:\d{1,2} \w{3} (?:\d{4} )?)?\d{1,2}(?::\d\d){0,2}[ap]m"
FINISH = re.compile(rf"^{CLOCK}(?: ± .+| \({CLOCK} – {CLOCK}\))$")


class FakeClock:
    """Seconds that move only when a test says so; picklable, with its time."""

    def __init__(self, now=1000.0):
        self.now = now

    def __call__(self):
        return self.now


def run(clock, steps=20, step=1.0, amount=50, total=10_000, **kwargs):
    tracker = copyeta.Tracker(total=total, clock=clock, **kwargs)
    for _ in range(steps):
        clock.now += step
        tracker.update(amount)
    return tracker


def numbers(forecast):
    e = forecast.estimate
    return (e.state, e.t, e.done, e.total, e.remaining, e.lo, e.hi, e.rate)


def test_an_injected_clock_gives_deterministic_estimates():
    a, b = run(FakeClock()), run(FakeClock(5.0))
    assert a.position == 1000 and a.total == 10_000
    assert numbers(a.estimate) == numbers(b.estimate)
    f = a.estimate
    assert f.state == "ok" and f.estimate.t == 20.0
    # 50 per second with 9,000 to go.
    assert f.rate == pytest.approx(50.0, rel=0.01)
    assert f.lo <= f.remaining <= f.hi and f.remaining == pytest.approx(180.0, rel=0.2)


def test_the_estimate_reads_as_a_finish_time():
    f = run(FakeClock()).estimate
    assert FINISH.match(str(f)), str(f)
    assert str(f) == f.estimate.format_finish(f.wall.timestamp())
    assert f.finish.tzinfo is not None and f.finish.utcoffset() is not None
    assert f.finish_lo <= f.finish <= f.finish_hi
    # datetimes hold microseconds.
    assert (f.finish - f.wall).total_seconds() == pytest.approx(f.remaining, abs=2e-6)
    assert abs(f.wall.timestamp() - time.time()) < 60
    assert repr(f).startswith(f"Forecast(state='ok', finish={str(f)!r}, remaining=")


def test_the_estimate_is_taken_at_the_current_clock():
    clock = FakeClock()
    tracker = run(clock)
    clock.now += 7.0
    assert tracker.estimate.estimate.t == 27.0


def test_without_numbers_it_says_the_state():
    f = copyeta.Tracker(total=100, clock=FakeClock()).estimate
    assert f.state == "warming_up" and str(f) == "warming up"
    assert f.remaining is None and f.finish is None and f.finish_hi is None
    clock = FakeClock()
    tracker = copyeta.Tracker(clock=clock)
    assert str(tracker.estimate) == "unknown total"
    for _ in range(10):
        clock.now += 1
        tracker.update(100)
    assert tracker.estimate.state == "unknown_total" and tracker.estimate.rate == pytest.approx(100)
    tracker.set_total(5000)
    assert tracker.estimate.state == "ok"
    tracker.set_total(None)  # the last known total is kept
    assert tracker.total is None and tracker.estimate.estimate.total == 5000


def test_reaching_the_total_finishes():
    clock = FakeClock()
    tracker = run(clock, steps=5)
    clock.now += 1
    tracker.set_position(10_000)
    f = tracker.estimate
    assert f.state == "finished" and str(f) == "finished"
    assert f.remaining == f.lo == f.hi == 0.0
    assert f.finish == f.wall


def test_context_manager_closes_and_lets_exceptions_through():
    clock = FakeClock()
    with pytest.raises(KeyError):
        with copyeta.Tracker(total=100, clock=clock) as tracker:
            clock.now += 1
            tracker.update(10)
            raise KeyError("boom")
    closed = numbers(tracker.estimate)
    clock.now += 100  # the estimate stays the one made at closing
    assert numbers(tracker.estimate) == closed
    assert repr(tracker).endswith(", closed)")
    with pytest.raises(ValueError, match="closed"):
        tracker.update()


def test_bad_amounts_raise_and_change_nothing():
    tracker = copyeta.Tracker(total=100, clock=FakeClock())
    tracker.update(5)
    with pytest.raises(ValueError, match="position = -1"):
        tracker.update(-6)
    with pytest.raises(ValueError, match="total"):
        copyeta.Tracker(total=-1)
    with pytest.raises(TypeError):
        tracker.set_position(True)
    with pytest.raises(TypeError):
        tracker.set_position("12")
    assert tracker.position == 5 and tracker.rejected == 0
    with pytest.raises(ValueError, match="level"):
        copyeta.Tracker(level=2.0)


def test_a_clock_that_goes_back_is_counted_not_raised():
    clock = FakeClock()
    tracker = run(clock, steps=3)
    clock.now -= 10
    tracker.update()
    assert tracker.rejected == 1


def test_pickle_round_trip_gives_the_same_estimate():
    clock = FakeClock()
    tracker = run(clock)
    back = pickle.loads(pickle.dumps(tracker))
    assert numbers(back.estimate) == numbers(tracker.estimate)
    assert back.position == tracker.position and back.total == tracker.total
    # The restored tracker carries on with its own copy of the clock.
    back._clock.now += 1
    back.update(50)
    assert back.estimate.estimate.t == 21.0 and back.estimate.done == 1050


def test_an_unpicklable_clock_is_replaced_by_time_monotonic():
    clock = FakeClock()
    tracker = run(clock, steps=5)
    tracker._clock = lambda: clock.now  # a lambda does not pickle
    back = pickle.loads(pickle.dumps(tracker))
    assert back._clock is time.monotonic
    # The time axis continues where it was: time spent pickled does not count.
    assert back.estimate.estimate.t == pytest.approx(5.0, abs=1.0)
    back.update(50)
    assert back.position == 300 and back.rejected == 0


def test_repr():
    tracker = run(FakeClock(), steps=3, model="kalman", level=0.9)
    assert repr(tracker) == ("Tracker(position=150, total=10000, state='ok', model='kalman', "
                             "level=0.9)")
    assert isinstance(tracker.estimate, Forecast)
