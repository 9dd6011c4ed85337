"""copyeta.replay: numpy in, one DataFrame row per sample out (contracts.md, Python)."""
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import copyeta
from copyeta import _core

TRACES = Path(__file__).resolve().parents[1] / "data" / "traces"
CLI = os.environ.get("COPYETA_CLI")
COLUMNS = ["t", "done", "total", "state", "remaining", "lo", "hi", "finish", "finish_lo",
           "finish_hi", "rate", "reason"]
NO_NUMBERS = {"warming_up", "unknown_total", "rejected"}


def steady(n=60, rate=1e6, total=100_000_000):
    t = np.arange(float(n))
    return t, (t * rate).astype(np.uint64), total


def test_columns_and_dtypes_follow_the_contract():
    t, done, total = steady()
    df = copyeta.replay(t, done, total)
    assert list(df.columns) == COLUMNS
    assert len(df) == len(t)
    for name in ["t", "remaining", "lo", "hi", "finish", "finish_lo", "finish_hi", "rate"]:
        assert df[name].dtype == np.float64, name
    assert df["done"].dtype == np.uint64
    assert df["total"].dtype == pd.UInt64Dtype()
    assert isinstance(df["state"].dtype, pd.CategoricalDtype)
    assert list(df["state"].cat.categories) == copyeta.state_names()
    assert isinstance(df["reason"].dtype, pd.CategoricalDtype)
    assert list(df["reason"].cat.categories) == _core.reject_reason_names()[1:]
    assert df.attrs == {"model": "default", "level": 0.8}
    np.testing.assert_array_equal(df["t"], t)
    np.testing.assert_array_equal(df["done"], done)
    assert (df["total"] == total).all()


def test_numbers_exactly_where_the_state_has_them():
    t, done, total = steady()
    df = copyeta.replay(t, done, total)
    assert df["state"].iloc[0] == "warming_up" and df["state"].iloc[-1] == "ok"
    no_numbers = df["state"].isin(NO_NUMBERS)
    for name in ["remaining", "lo", "hi", "finish", "finish_lo", "finish_hi"]:
        assert df.loc[no_numbers, name].isna().all(), name
        assert df.loc[~no_numbers, name].notna().all(), name
    numbers = df[~no_numbers]
    assert ((0 <= numbers.lo) & (numbers.lo <= numbers.remaining) & (numbers.remaining <= numbers.hi)).all()
    assert df["reason"].isna().all()


def test_finish_is_t_plus_remaining():
    t, done, total = steady()
    df = copyeta.replay(t + 1000.0, done, total)
    np.testing.assert_array_equal(df["finish"], df["t"] + df["remaining"])
    np.testing.assert_array_equal(df["finish_lo"], df["t"] + df["lo"])
    np.testing.assert_array_equal(df["finish_hi"], df["t"] + df["hi"])
    # 1 MB/s with 41 MB to go: the finish is near t = 1100 on the input's clock.
    assert 1090 < df["finish"].iloc[-1] < 1110


def test_one_row_per_input_even_for_rejected_rows():
    t = [0.0, 1.0, 2.0, 1.5, 4.0, 5.0, np.nan]
    done = [0.0, 10.0, 20.0, 30.0, -5.0, np.nan, 60.0]
    df = copyeta.replay(t, done, total=100)
    assert len(df) == 7
    assert df["state"].tolist()[3:] == ["rejected"] * 4
    assert df["reason"].tolist()[3:] == ["time_backwards", "amount_negative", "amount_not_finite",
                                         "time_not_finite"]
    assert df["reason"].iloc[:3].isna().all()
    assert df.loc[3:, ["remaining", "lo", "hi", "finish"]].isna().all().all()
    assert df["t"].iloc[3] == 1.5 and df["done"].iloc[3] == 30


def test_amounts_near_2_to_the_64_stay_exact():
    top = 2**64 - 1
    done = np.array([top - 3000, top - 2000, top - 1000, top], dtype=np.uint64)
    t = np.arange(4.0)
    for d, total in [(done, top), (done.tolist(), top), (done, np.full(4, top, np.uint64)),
                     (done.tolist(), [top] * 4)]:
        df = copyeta.replay(t, d, total)
        assert df["done"].tolist() == [top - 3000, top - 2000, top - 1000, top]
        assert df["total"].tolist() == [top] * 4
        assert df["state"].iloc[-1] == "finished"
        assert df["state"].iloc[2] == "ok" and df["remaining"].iloc[2] == pytest.approx(1.0, rel=0.5)


def test_amounts_above_2_to_the_64_are_rejected_not_wrapped():
    df = copyeta.replay([0.0, 1.0], [0, 2**64], total=10)
    assert pd.isna(df["reason"].iloc[0]) and df["reason"].iloc[1] == "amount_too_large"
    assert df["state"].iloc[1] == "rejected"


def test_total_scalar_array_and_none():
    t, done, total = steady(30)
    scalar = copyeta.replay(t, done, total)
    array = copyeta.replay(t, done, np.full(len(t), total, dtype=np.uint64))
    floats = copyeta.replay(t, done, np.full(len(t), float(total)))
    pd.testing.assert_frame_equal(scalar, array)
    pd.testing.assert_frame_equal(scalar, floats)

    unknown = copyeta.replay(t, done)
    assert unknown["total"].isna().all()
    assert set(unknown["state"]) <= {"warming_up", "unknown_total"}
    assert unknown["state"].iloc[-1] == "unknown_total"
    assert unknown["remaining"].isna().all()
    assert unknown["rate"].iloc[-1] == pytest.approx(1e6)
    pd.testing.assert_frame_equal(unknown, copyeta.replay(t, done, float("nan")))


def test_total_becomes_known_midway():
    t, done, total = steady(30)
    totals = [None] * 10 + [total] * 20
    df = copyeta.replay(t, done, totals)
    assert df["total"].iloc[:10].isna().all() and (df["total"].iloc[10:] == total).all()
    assert set(df["state"].iloc[:10]) <= {"warming_up", "unknown_total"}
    assert df["state"].iloc[-1] == "ok"
    as_nan = np.where(np.arange(30) < 10, np.nan, float(total))
    nullable = pd.array(totals, dtype="UInt64")
    pd.testing.assert_frame_equal(df, copyeta.replay(t, done, as_nan))
    pd.testing.assert_frame_equal(df, copyeta.replay(t, done, nullable))


def test_lists_series_and_arrays_agree():
    t, done, total = steady(20)
    expected = copyeta.replay(t, done, total)
    pd.testing.assert_frame_equal(expected, copyeta.replay(t.tolist(), done.tolist(), total))
    pd.testing.assert_frame_equal(expected, copyeta.replay(pd.Series(t), pd.Series(done), total))
    pd.testing.assert_frame_equal(expected, copyeta.replay(t, done.astype(np.int64), total))


@pytest.mark.parametrize("model", copyeta.model_names())
def test_every_model_replays(model):
    t, done, total = steady()
    df = copyeta.replay(t, done, total, model=model, level=0.9)
    assert df.attrs == {"model": model, "level": 0.9}
    assert df["state"].iloc[-1] == "ok"
    last = df.iloc[-1]
    assert last.lo <= last.remaining <= last.hi
    assert last.remaining == pytest.approx(41.0, rel=0.2)
    if model in {"average", "pv", "rsync", "progress", "tqdm", "indicatif", "rich"}:
        ok = df[df["state"] == "ok"]
        assert (ok.lo == ok.remaining).all() and (ok.hi == ok.remaining).all()


def test_bad_options_and_columns_raise_value_error():
    t, done, total = steady(10)
    for level in [0.0, 1.0, 1.5, -0.2, float("nan")]:
        with pytest.raises(ValueError, match="level"):
            copyeta.replay(t, done, total, level=level)
    with pytest.raises(ValueError, match="no_such_model"):
        copyeta.replay(t, done, total, model="no_such_model")
    with pytest.raises(ValueError, match="done has 9 values, t has 10"):
        copyeta.replay(t, done[:9], total)
    with pytest.raises(ValueError, match="total has 3 values"):
        copyeta.replay(t, done, [1, 2, 3])
    with pytest.raises(ValueError, match="total = -1"):
        copyeta.replay(t, done, -1)


def test_an_explicit_calibration_is_used():
    t, done, total = steady()
    builtin = copyeta.replay(t, done, total, calibration=copyeta.Calibration.builtin())
    pd.testing.assert_frame_equal(builtin, copyeta.replay(t, done, total))
    untrained = copyeta.replay(t, done, total, calibration=copyeta.Calibration())
    assert not np.allclose(untrained["hi"].iloc[-5:], builtin["hi"].iloc[-5:])


def test_the_c_core_releases_the_gil_while_it_replays():
    # The switch interval is made so long that the main thread never hands the GIL over on a
    # timer: the spinning thread can only count while _core.replay has released it. The C++
    # function is called directly because numpy may release the GIL in copyeta.replay's own
    # vectorised steps. 20,000 samples keep the default model busy for about half a second.
    n = 20_000
    t = np.arange(float(n))
    done = (t * 1000).astype(np.uint64)
    count = [0]
    started, stop = threading.Event(), threading.Event()

    def spin():
        started.set()
        while not stop.is_set():
            count[0] += 1
            time.sleep(0)  # hands the GIL back at once

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    spinner = threading.Thread(target=spin)
    try:
        spinner.start()
        started.wait()
        before = count[0]
        columns = _core.replay(t, done, n * 1000)
        during = count[0] - before
    finally:
        stop.set()
        spinner.join()
        sys.setswitchinterval(interval)
    assert len(columns["t"]) == n
    assert during > 0


def cli_replay(path, *args):
    out = subprocess.run([CLI, "replay", str(path), "--jsonl", *args], capture_output=True,
                         check=True, text=True)
    return [json.loads(line) for line in out.stdout.splitlines()]


@pytest.mark.skipif(not CLI, reason="COPYETA_CLI is not set (run under ctest)")
@pytest.mark.parametrize("name, model, level", [
    ("dd_progress_psbbn87_120GB_fsync_tail", "default", 0.8),
    ("curl_meter_gguf_13_26G_27min_complete_yargipro", "default", 0.9),
    ("rclone_v138_stats1s_mkv_upload_rclone1782", "kalman", 0.8),
    ("proxmox_vzdump_vm1020_25GiB", "pv", 0.8),
])
def test_replay_equals_the_cli_value_for_value(name, model, level):
    path = TRACES / f"{name}.csv"
    expected = cli_replay(path, "--model", model, "--level", str(level))
    csv = pd.read_csv(path)
    total = csv["bytes_total"] if "bytes_total" in csv else None
    df = copyeta.replay(csv["t_seconds"], csv["bytes_done"].astype(np.uint64),
                        None if total is None else total.astype("UInt64"), model=model, level=level)
    assert len(df) == len(expected)
    for row, want in zip(df.itertuples(index=False), expected):
        assert row.t == want["t"] and row.done == want["done"]
        assert (None if pd.isna(row.total) else row.total) == want["total"]
        assert row.state == want["state"]
        for key in ["remaining", "lo", "hi", "rate"]:
            got = getattr(row, key)
            assert (None if np.isnan(got) else got) == want[key], (row.t, key)
