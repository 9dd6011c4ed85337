"""The demo prints the library's own estimates on the embedded data, not canned text."""
import json
import os
import subprocess
from pathlib import Path

import pytest

CLI = os.environ.get("COPYETA_CLI")
DATA = Path(__file__).resolve().parents[1] / "data"
SRC = Path(__file__).resolve().parents[2] / "src" / "cli" / "data"
TRACES = {
    "email_outage_2009": SRC / "email_outage_2009.csv",
    "dd_progress_psbbn87_120GB_fsync_tail": DATA / "traces" / "dd_progress_psbbn87_120GB_fsync_tail.csv",
}

pytestmark = pytest.mark.skipif(not CLI, reason="COPYETA_CLI is not set (run under ctest)")


def run(*args):
    out = subprocess.run([CLI, *args], check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines()]


@pytest.mark.parametrize("level", ["0.8", "0.9"])
def test_demo_estimates_equal_replay_of_the_same_files(level):
    shown = run("demo", "--jsonl", "--level", level)
    assert {row["trace"] for row in shown} == set(TRACES)
    for name, path in TRACES.items():
        replayed = {row["t"]: row for row in run("replay", str(path), "--jsonl", "--level", level)}
        rows = [row for row in shown if row["trace"] == name]
        assert len(rows) >= 5
        for row in rows:
            assert {k: v for k, v in row.items() if k != "trace"} == replayed[row["t"]]


def test_demo_text_shows_the_same_figures_and_the_truth():
    text = subprocess.run([CLI, "demo"], check=True, capture_output=True, text=True).stdout
    for said in ("3:30pm +/- 1 hour", "3:20pm +/- 30 minutes", "complete by 3:25pm"):
        assert said in text
    assert "Truth: dd returned at 1:26:01 (5161.69 s)" in text
    # Every estimate line carries an interval computed from the JSON figures.
    rows = [r for r in run("demo", "--jsonl") if r["state"] in ("ok", "stalled")]
    assert all(r["lo"] <= r["remaining"] <= r["hi"] for r in rows)


def test_replay_jsonl_follows_the_contract(tmp_path):
    trace = tmp_path / "t.csv"
    trace.write_text("t_seconds,bytes_done,bytes_total\n0,0,1000\n10,100,1000\n5,1,1000\n"
                     "20,x,1000\n30,1000,1000\n")
    result = subprocess.run([CLI, "replay", str(trace), "--jsonl"], capture_output=True, text=True)
    assert result.returncode == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 5
    assert list(rows[1])[:8] == ["t", "done", "total", "state", "remaining", "lo", "hi", "level"]
    assert rows[0]["state"] == "warming_up" and rows[0]["remaining"] is None
    assert rows[1]["state"] == "ok" and 0 <= rows[1]["lo"] <= rows[1]["remaining"] <= rows[1]["hi"]
    assert rows[2] | {"error": None} == {
        "t": 5.0, "done": 1, "total": 1000, "state": "rejected", "remaining": None, "lo": None,
        "hi": None, "level": 0.8, "rate": None, "shift": None, "reason": "time_backwards",
        "error": None}
    assert rows[3]["reason"] == "malformed" and rows[3]["done"] is None and rows[3]["t"] == 20.0
    assert rows[4]["state"] == "finished" and rows[4]["remaining"] == 0
    assert f"{trace}:4: time_backwards" in result.stderr
    assert f"{trace}:5: column bytes_done: 'x'" in result.stderr


def test_replay_amounts_are_json_integers_up_to_two_to_the_64(tmp_path):
    trace = tmp_path / "big.csv"
    trace.write_text("t_seconds,bytes_done,bytes_total\n0,0,18446744073709551615\n"
                     "1,9000000000000000000,18446744073709551615\n")
    out = subprocess.run([CLI, "replay", str(trace), "--jsonl"], check=True, capture_output=True,
                         text=True).stdout
    assert '"total":18446744073709551615' in out
    assert '"done":9000000000000000000' in out


@pytest.mark.parametrize("args,code", [
    (["replay", "/nonexistent.csv", "--jsonl"], 1),
    (["replay", "x.csv", "--level", "1.5"], 2),
    (["replay", "x.csv", "--model", "nope"], 2),
    (["frobnicate"], 2),
])
def test_exit_codes(args, code):
    result = subprocess.run([CLI, *args], capture_output=True, text=True)
    assert result.returncode == code
    assert "copyeta" in result.stderr or "Error" in result.stderr or result.stderr
