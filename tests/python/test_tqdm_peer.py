"""The `tqdm` peer model against tqdm itself.

tqdm's remaining time is recomputed on a real trace with tqdm's own `tqdm.std.EMA` class, driven
the way `tqdm.update()` drives it: a sample that advanced `n` since the last screen update
(dn > 0) after some time (dt > 0) feeds dn and dt to the two EMAs and becomes the last screen
update; any other sample changes nothing. The rate is `ema_dn() / ema_dt()` (tqdm.format_dict)
and the remaining time `(total - n) / rate` (tqdm.format_meter). `copyeta replay --model tqdm`
must give the same numbers.
"""

import csv
import inspect
import json
import math
import os
import subprocess
from pathlib import Path

import pytest

tqdm_std = pytest.importorskip("tqdm.std", reason="tqdm is not installed (Debian: python3-tqdm)")

TRACE = (Path(__file__).parents[1] / "data" / "traces"
         / "curl_meter_gguf_13_26G_27min_complete_yargipro.csv")

# tqdm's default smoothing, read from tqdm rather than restated.
SMOOTHING = inspect.signature(tqdm_std.tqdm.__init__).parameters["smoothing"].default


def read_trace(path):
    """(t, done, total) per data row; total is None when the cell is empty."""
    with open(path, newline="") as f:
        rows = []
        for row in csv.DictReader(f):
            total = row["bytes_total"].strip()
            rows.append((float(row["t_seconds"]), int(row["bytes_done"]),
                         int(total) if total else None))
        return rows


def tqdm_remaining(rows):
    """tqdm's remaining seconds after each row, or None while tqdm has no EMA rate."""
    out = []
    ema_dn = ema_dt = None
    last_print_n = last_print_t = None
    for t, n, total in rows:
        if last_print_n is None or n < last_print_n:
            # The first row starts the bar; `done` going backwards starts a new one.
            ema_dn, ema_dt = tqdm_std.EMA(SMOOTHING), tqdm_std.EMA(SMOOTHING)
            last_print_n, last_print_t = n, t
        else:
            dn = n - last_print_n
            dt = t - last_print_t
            if dn > 0 and dt > 0:
                ema_dn(dn)
                ema_dt(dt)
                last_print_n, last_print_t = n, t
        if total is None or not ema_dt():
            out.append(None)
        else:
            rate = ema_dn() / ema_dt()
            out.append(max(0.0, (total - n) / rate))
    return out


def cli_replay(cli, trace, model):
    result = subprocess.run([cli, "replay", str(trace), "--jsonl", "--model", model],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_reference_is_not_trivial():
    """The reference itself changes with the data (so the comparison below can fail)."""
    rows = read_trace(TRACE)
    remaining = [r for r in tqdm_remaining(rows) if r is not None]
    assert len(remaining) > 1000
    assert len({round(r, 6) for r in remaining}) > 1000
    # After the first EMA update the rate is dn/dt of that single step.
    (t0, n0, total), (t1, n1, _) = rows[0], rows[1]
    assert tqdm_remaining(rows[:2])[1] == pytest.approx((total - n1) / ((n1 - n0) / (t1 - t0)))


def test_replay_tqdm_matches_tqdm_ema():
    cli = os.environ.get("COPYETA_CLI")
    if not cli:
        pytest.skip("COPYETA_CLI is not set (ctest sets it to the built `copyeta` executable)")
    rows = read_trace(TRACE)
    expected = tqdm_remaining(rows)
    got = cli_replay(cli, TRACE, "tqdm")
    assert len(got) == len(rows), "replay must print one object per CSV row"

    compared = 0
    for i, ((t, n, total), want, obj) in enumerate(zip(rows, expected, got)):
        assert obj["t"] == pytest.approx(t) and obj["done"] == n, f"row {i}: {obj}"
        have = obj["remaining"]
        if obj["state"] != "finished":
            # Both have an estimate on the same rows: none while tqdm has no EMA rate.
            assert (have is None) == (want is None), f"row {i}: copyeta {obj}, tqdm {want}"
        if have is None or want is None:
            continue
        assert obj["lo"] == have and obj["hi"] == have, f"row {i}: a peer gives no interval"
        assert math.isclose(have, want, rel_tol=1e-9, abs_tol=1e-9), (
            f"row {i} (t={t}): copyeta {have!r}, tqdm {want!r}")
        compared += 1
    assert compared > 1000
