"""`copyeta replay`: nothing lost. Exactly one JSON line per input row, in order, rejected rows
included (state `rejected` and the reason), whatever the rows hold."""
import json
import os
import random
import subprocess

import pytest

CLI = os.environ.get("COPYETA_CLI")

pytestmark = pytest.mark.skipif(not CLI, reason="COPYETA_CLI is not set (run under ctest)")

REASONS = {"time_not_finite", "time_backwards", "amount_negative", "amount_not_finite",
           "amount_too_large", "malformed", "time_too_large"}


def replay(path, *args):
    return subprocess.run([CLI, "replay", str(path), "--jsonl", *args], capture_output=True,
                          timeout=60)


def data_rows(text):
    """The rows after the header that are not blank, as the trace reader counts them."""
    lines = text.replace(b"\r\n", b"\n").split(b"\n")[1:]
    return [line for line in lines if line.strip(b" \t\r")]


def test_one_line_per_row_rejected_rows_included(tmp_path):
    trace = tmp_path / "trace.csv"
    text = (b"t_seconds,bytes_done,bytes_total\n"
            b"0,0,1000\n"
            b"1,100,1000\n"
            b"nan,150,1000\n"          # time_not_finite
            b"2,abc,1000\n"            # malformed
            b"0.5,200,1000\n"          # time_backwards
            b"\n"                      # blank: not a row
            b"3,-5,1000\n"             # amount_negative
            b"4,1e30,1000\n"           # amount_too_large
            b"1e300,300,1000\n"        # beyond 2^53 s
            b"5,300,\n"                # no total on this row: the last one holds
            b"inf,1,2\n"               # time_not_finite
            b"\"7\",500,1000\n"        # quoted: not a number
            b"8,1000,1000")            # finished, and no newline at the end
    trace.write_bytes(text)
    done = replay(trace)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(out) == len(data_rows(text)) == 12
    states = [r["state"] for r in out]
    assert states == ["warming_up", "ok", "rejected", "rejected", "rejected", "rejected",
                      "rejected", "rejected", "ok", "rejected", "rejected", "finished"]
    rejected = [r for r in out if r["state"] == "rejected"]
    assert [r["reason"] for r in rejected] == [
        "time_not_finite", "malformed", "time_backwards", "amount_negative", "amount_too_large",
        "time_too_large", "time_not_finite", "malformed"]
    # What parsed is kept (null where it did not), and the error names the line.
    assert out[4]["t"] == 0.5 and out[4]["done"] == 200 and "trace.csv:6" in out[4]["error"]
    assert out[3]["done"] is None and out[3]["t"] == 2.0
    assert all(r["remaining"] is None and r["lo"] is None and r["hi"] is None for r in rejected)
    assert b"8 of 12 rows rejected" in done.stderr


def test_any_bytes_give_one_line_per_row(tmp_path):
    # Random bytes (NUL, invalid UTF-8, quotes, commas) in every row: each row is still one
    # line of valid JSON, its bad bytes quoted as U+FFFD.
    rng = random.Random(7)
    rows = [bytes(rng.randrange(1, 256) for _ in range(rng.randrange(1, 40)))
            .replace(b"\n", b" ").replace(b"\r", b" ") for _ in range(3000)]
    rows = [row if row.strip(b" \t") else b"x" for row in rows]
    text = b"t_seconds,bytes_done,bytes_total\n" + b"\n".join(rows)
    trace = tmp_path / "garbage.csv"
    trace.write_bytes(text)
    done = replay(trace)
    assert done.returncode == 0, done.stderr[-500:]
    lines = done.stdout.decode("utf-8").splitlines()
    assert len(lines) == len(data_rows(text))
    out = [json.loads(line) for line in lines]
    assert all(r["state"] == "rejected" and r["reason"] in REASONS for r in out
               if r["state"] == "rejected")
    assert sum(r["state"] == "rejected" for r in out) > 2900


def test_crlf_rows_and_many_of_them(tmp_path):
    lines = [f"{t},{t * 10},{100000}" for t in range(10000)]
    text = ("t_seconds,bytes_done,bytes_total\r\n" + "\r\n".join(lines) + "\r\n").encode()
    trace = tmp_path / "crlf.csv"
    trace.write_bytes(text)
    done = replay(trace)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [r["t"] for r in out] == [float(t) for t in range(10000)]
    assert "rejected" not in {r["state"] for r in out}


def test_a_closed_stdout_or_a_full_disk_is_said_and_never_passes_for_success():
    trace = os.path.join(os.path.dirname(__file__), "..", "data", "traces",
                         "dd_progress_psbbn87_120GB_fsync_tail.csv")
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([CLI, "replay", trace, "--jsonl"], stdout=write_end,
                              stderr=subprocess.PIPE, timeout=60)
    finally:
        os.close(write_end)
    assert done.returncode == 141  # not killed by SIGPIPE: it says so and exits
    assert b"closed early (broken pipe)" in done.stderr
    with open("/dev/full", "wb") as full:
        done = subprocess.run([CLI, "replay", trace, "--jsonl"], stdout=full,
                              stderr=subprocess.PIPE, timeout=60)
    assert done.returncode == 1
    assert b"No space left on device" in done.stderr
