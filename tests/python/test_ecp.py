"""examples/ecp, the copy tool built on copyeta: the data, the --json lines, the ETA text, the
flush, SIGINT and the error paths (exit codes of docs/CONTRACTS.md).

COPYETA_ECP is the executable's path (ctest sets it, tests/python/CMakeLists.txt).
"""
import hashlib
import json
import os
import random
import re
import signal
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

ECP = os.environ.get("COPYETA_ECP")
MIB = 1 << 20
SIZE = 256 * MIB
KEYS = ["t", "done", "total", "state", "remaining", "lo", "hi", "level", "rate", "shift", "wall",
        "written"]

pytestmark = pytest.mark.skipif(not ECP, reason="COPYETA_ECP is not set (run under ctest)")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(8 * MIB):
            h.update(block)
    return h.hexdigest()


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """256 MiB of seeded random bytes (no two blocks alike, so a misplaced block shows)."""
    path = tmp_path_factory.mktemp("ecp") / "source.bin"
    generator = random.Random(8)
    with open(path, "wb") as f:
        for _ in range(SIZE // (16 * MIB)):
            f.write(generator.randbytes(16 * MIB))
    return path, sha256(path)


def run(*args, env=None):
    return subprocess.run([ECP, *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "TZ": "UTC", **(env or {})}, timeout=600)


def test_json_copy(source, tmp_path):
    src, digest = source
    dst = tmp_path / "copy.bin"
    # The bandwidth limit makes the copy last about 2 s, long enough for estimates.
    result = run("--json", "--bwlimit", "128M", "--interval", "0.1", src, dst)
    assert result.returncode == 0, result.stderr
    assert sha256(dst) == digest

    lines = [json.loads(line) for line in result.stdout.splitlines()]
    rows, summary = lines[:-1], lines[-1]
    assert all(list(row) == KEYS for row in rows)
    states = [row["state"] for row in rows]
    # Copying, then flushing (everything written, not all on disk), then finished, once.
    copying = [s for s in states if s not in ("flushing", "finished")]
    assert set(copying) <= {"warming_up", "ok", "stalled"} and "ok" in copying
    assert states == copying + ["flushing"] * states.count("flushing") + ["finished"]
    assert states.count("flushing") >= 1

    for before, row in zip(rows, rows[1:]):
        assert row["t"] >= before["t"] and row["done"] >= before["done"]
    for row in rows:
        assert row["total"] == SIZE and row["done"] <= row["written"] <= SIZE
        assert row["level"] == 0.8
        if row["state"] in ("ok", "stalled", "flushing", "finished"):
            assert 0 <= row["lo"] <= row["remaining"] <= row["hi"]
        else:
            assert row["remaining"] is row["lo"] is row["hi"] is None
    # `done` is what is on disk: it trails what was written while copying (write-behind), and
    # the flush rows have everything written but not yet all on disk.
    assert any(row["done"] < row["written"] for row in rows if row["state"] == "ok")
    flushes = [row for row in rows if row["state"] == "flushing"]
    assert all(row["written"] == SIZE for row in flushes) and flushes[0]["done"] < SIZE
    end = rows[-1]
    assert end["done"] == end["written"] == SIZE
    assert (end["remaining"], end["lo"], end["hi"]) == (0, 0, 0)

    assert summary["event"] == "summary" and summary["finished"] is True
    assert summary["state"] == "finished" and summary["reason"] is None
    assert summary["done"] == summary["written"] == summary["total"] == SIZE
    assert summary["t"] == end["t"] and summary["flush_seconds"] >= 0
    for share, said in summary["estimates"].items():
        assert said["state"] == "ok" and said["done"] >= int(share) / 100 * SIZE
    # What it said at 50% is about when it ended (the copy's pace is set by --bwlimit; the bound
    # is loose so that a busy machine cannot fail it).
    half = summary["estimates"]["50"]
    assert abs(half["t"] + half["remaining"] - summary["t"]) < 0.5 * summary["t"]
    assert "ecp: copied 256 MiB" in result.stderr


def clock(text):
    """'6:26:20pm' or '6:26pm' as seconds after midnight."""
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?([ap]m)", text)
    hours = int(m.group(1)) % 12 + (12 if m.group(4) == "pm" else 0)
    return hours * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0)


def test_text_output_shows_the_eta(source, tmp_path):
    src, digest = source
    dst = tmp_path / "copy.bin"
    result = run("--bwlimit", "128M", "--interval", "0.2", src, dst)
    ended = datetime.now(timezone.utc)
    assert result.returncode == 0, result.stderr
    assert sha256(dst) == digest
    assert result.stdout == ""

    lines = result.stderr.splitlines()
    # "57%  ETA 6:26:20pm ± 1 second  128 MiB/s": the library's words, then the rate.
    eta = re.compile(r"(\d+)%  ETA (\d{1,2}:\d{2}(?::\d{2})?[ap]m)"
                     r"( ± \d+ seconds?| \(\S+ – \S+\))?  [\d.]+ [KMG]?i?B/s")
    shown = [m for m in map(eta.fullmatch, lines) if m]
    assert len(shown) >= 3, result.stderr
    assert [int(m.group(1)) for m in shown] == sorted(int(m.group(1)) for m in shown)
    # The time shown is a time of day (UTC here) near the real end.
    now = ended.hour * 3600 + ended.minute * 60 + ended.second
    for m in shown:
        apart = abs(clock(m.group(2)) - now) % 86400
        assert min(apart, 86400 - apart) < 120, m.group(0)  # (around midnight too)
    assert any(re.fullmatch(r"\d+%  flushing  ETA .+", line) for line in lines)
    assert lines.index("100%  finished") > max(lines.index(m.group(0)) for m in shown)
    assert re.search(r"^ecp: copied 256 MiB to '.+copy\.bin' in \d+ seconds? \(.+/s\), the "
                     r"final flush took .+; finished at \d{1,2}:\d{2}:\d{2}[ap]m$",
                     result.stderr, re.M)
    assert re.search(r"^  at 50%: ecp said \d", result.stderr, re.M)


def test_24_hour_clock_and_a_directory_destination(tmp_path):
    src = tmp_path / "small.txt"
    src.write_bytes(b"x" * 1000)
    (tmp_path / "into").mkdir()
    result = run("--24h", src, tmp_path / "into")  # a directory: the same name inside it
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "into" / "small.txt").read_bytes() == b"x" * 1000
    assert re.search(r"finished at \d{2}:\d{2}:\d{2}$", result.stderr, re.M)
    assert not re.search(r"\d[ap]m", result.stderr)


def test_sigint_stops_cleanly_with_a_summary(source, tmp_path):
    src, _ = source
    dst = tmp_path / "copy.bin"
    process = subprocess.Popen([ECP, "--json", "--bwlimit", "16M", "--interval", "0.1", str(src),
                                str(dst)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        # Wait for the copy to be under way, by its own output, then Ctrl-C.
        for line in process.stdout:
            if json.loads(line)["done"] > 0:
                break
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, err
    summary = json.loads(out.splitlines()[-1])
    assert summary["event"] == "summary" and summary["finished"] is False
    assert summary["reason"] == "interrupted"
    assert 0 < summary["done"] <= summary["written"] < SIZE
    assert re.search(r"^ecp: interrupted; .+ of 256 MiB on disk, '.+' is incomplete$", err, re.M)
    assert dst.stat().st_size == summary["written"]


def test_errors_say_what_and_exit_with_the_contract_codes(source, tmp_path):
    src, digest = source
    missing = tmp_path / "missing.bin"
    result = run(missing, tmp_path / "out.bin")
    assert result.returncode == 1
    assert f"ecp: cannot open the source '{missing}': No such file or directory" in result.stderr

    result = run(tmp_path, tmp_path / "out.bin")
    assert result.returncode == 1 and "is a directory" in result.stderr

    nowhere = tmp_path / "no" / "such" / "dir" / "out.bin"
    result = run(src, nowhere)
    assert result.returncode == 1
    assert (f"ecp: cannot open the destination '{nowhere}' for writing: No such file or directory"
            in result.stderr)

    # A write that fails midway: /dev/full says ENOSPC. The JSON summary says why.
    result = run("--json", src, "/dev/full")
    assert result.returncode == 1
    assert "cannot write the destination '/dev/full' after 0 bytes: No space left on device" in result.stderr
    summary = json.loads(result.stdout.splitlines()[-1])
    assert summary["finished"] is False and "No space left on device" in summary["reason"]

    # Never onto itself: that would truncate the source.
    result = run(src, src)
    assert result.returncode == 1 and "are the same file" in result.stderr
    assert sha256(src) == digest

    for usage in ([src], ["--bwlimit", "12Q", src, tmp_path / "o"], ["--model", "fast", src, tmp_path / "o"],
                  ["--level", "1.5", src, tmp_path / "o"], ["--block-size", "1", src, tmp_path / "o"]):
        result = run(*usage)
        assert result.returncode == 2, usage
        assert result.stderr.strip(), usage
    assert not (tmp_path / "o").exists()
