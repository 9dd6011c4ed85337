"""`copyeta pipe`: a copy tool's progress output on stdin, copyeta's estimates out."""
import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

CLI = os.environ.get("COPYETA_CLI")
FORMATS = Path(__file__).resolve().parents[1] / "data" / "formats"

pytestmark = pytest.mark.skipif(not CLI, reason="COPYETA_CLI is not set (run under ctest)")


def pipe(stdin, *args):
    return subprocess.run([CLI, "pipe", *args], input=stdin, capture_output=True)


def rows(stdout):
    return [json.loads(line) for line in stdout.decode().splitlines()]


def test_dd_lines_become_estimates_on_dds_own_clock():
    text = (FORMATS / "dd_status_progress_1.txt").read_bytes()
    done = pipe(text, "--jsonl", "--total", "120036786176")
    out = rows(done.stdout)
    summary = out.pop()
    assert summary["event"] == "summary" and summary["format"] == "dd"
    assert [r["t"] for r in out] == [3058.0, 3059.0, 3060.0, 3061.0, 3062.0]
    assert out[0]["done"] == 117579644928 and out[0]["total"] == 120036786176
    assert all(r["format"] == "dd" and isinstance(r["wall"], float) for r in out)
    assert {"t", "done", "total", "state", "remaining", "lo", "hi", "level", "rate"} <= set(out[-1])
    # The excerpt stops before the end: the input ended first.
    assert done.returncode == 3 and summary["finished"] is False
    assert b"input ended, not finished" in done.stderr


def test_a_real_dd_through_the_pipe_ends_finished(tmp_path):
    target = tmp_path / "copy.bin"
    dd = subprocess.Popen(["dd", "if=/dev/zero", f"of={target}", "bs=1M", "count=64",
                           "status=progress"], stderr=subprocess.PIPE)
    done = subprocess.run([CLI, "pipe", "--jsonl", "--total", "64M"], stdin=dd.stderr,
                          capture_output=True)
    dd.wait()
    out = rows(done.stdout)
    summary = out.pop()
    assert done.returncode == 0, done.stderr
    assert summary["finished"] is True and summary["format"] == "dd"
    assert out[-1]["state"] == "finished" and out[-1]["done"] == 64 * 2**20


def test_tee_passes_every_byte_through(tmp_path):
    text = (FORMATS / "dd_status_progress_2.txt").read_bytes() + b"\x00\xff binary \r\n tail"
    done = pipe(text, "--tee")
    assert done.stdout == text
    assert b"copyeta:" in done.stderr


def test_garbage_and_an_endless_line_are_survived():
    garbage = bytes(range(256)) * 64 + b"x" * (10 * 2**20)
    done = pipe(garbage)
    assert done.returncode == 1
    assert b"no progress line recognised" in done.stderr
    assert b"bytes of over-long lines were skipped" in done.stderr


def test_bad_total_is_a_usage_error():
    done = pipe(b"", "--total", "lots")
    assert done.returncode == 2 and b"--total 'lots' is not a size" in done.stderr


def test_sigint_prints_the_summary_and_exits_130():
    proc = subprocess.Popen([CLI, "pipe", "--jsonl", "--total", "1000"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdin.write(b"100/1000\n")
    proc.stdin.flush()
    # Wait until the line is read (its estimate is printed), then interrupt.
    first = proc.stdout.readline()
    assert json.loads(first)["done"] == 100
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=10)
    assert proc.returncode == 130
    assert json.loads(out.decode().splitlines()[-1])["event"] == "summary"


def test_the_summary_keeps_what_was_said_as_the_copy_crossed_each_quarter():
    # dd lines on dd's own clock: 10 MB a second of 100 MB, then the final line.
    lines = "".join(f"{10_000_000 * t} bytes ({10 * t} MB, {10 * t / 1.048576:.1f} MiB) copied, "
                    f"{t} s, 10.0 MB/s\n" for t in range(1, 11))
    done = pipe(lines.encode(), "--jsonl", "--total", "100MB")
    out = rows(done.stdout)
    summary = out[-1]
    assert done.returncode == 0 and summary["finished"] is True
    said = summary["estimates"]
    assert said["25"]["done"] == 30_000_000 and said["50"]["done"] == 50_000_000
    assert said["75"]["done"] == 80_000_000
    # A steady copy: what was said at 50% is close to the real end (t = 10 s).
    assert abs(said["50"]["t"] + said["50"]["remaining"] - 10.0) < 1.0


def test_attached_midway_the_passed_quarters_stay_empty():
    text = (FORMATS / "dd_status_progress_1.txt").read_bytes()
    summary = rows(pipe(text, "--jsonl", "--total", "120036786176").stdout)[-1]
    assert summary["estimates"] == {"25": None, "50": None, "75": None}


def test_a_rate_limited_pv_is_followed_to_its_end():
    # pv at 10 MiB/s for 30 MiB: about 3 s, one progress line a second on pv's own timer.
    pv = subprocess.Popen("pv -f -L 10M -s 30M -S /dev/zero 2>&1 >/dev/null", shell=True,
                          stdout=subprocess.PIPE)
    done = subprocess.run([CLI, "pipe", "--jsonl"], stdin=pv.stdout, capture_output=True)
    pv.wait()
    out = rows(done.stdout)
    summary = out.pop()
    assert done.returncode == 0, done.stderr
    assert summary["format"] == "pv" and summary["finished"] is True
    assert len(out) >= 2 and out[-1]["done"] == 30 * 2**20
    assert all(r["format"] == "pv" for r in out)
    # Loose: a mid-copy estimate within a factor of 3 of the truth (the machine is shared).
    end = out[-1]["t"]
    for r in out:
        if r["state"] == "ok" and end - r["t"] >= 0.5:
            assert (end - r["t"]) / 3 <= r["remaining"] <= 3 * (end - r["t"])


def test_rsync_progress2_is_followed_to_its_end(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.bin").write_bytes(os.urandom(20_000_000))
    rsync = subprocess.Popen(["rsync", "--info=progress2", "--bwlimit=10000", str(src / "a.bin"),
                              str(tmp_path / "dst.bin")], stdout=subprocess.PIPE)
    done = subprocess.run([CLI, "pipe", "--jsonl"], stdin=rsync.stdout, capture_output=True)
    rsync.wait()
    out = rows(done.stdout)
    summary = out.pop()
    assert rsync.returncode == 0 and done.returncode == 0, done.stderr
    assert summary["format"] == "rsync" and summary["finished"] is True
    assert out[-1]["done"] == 20_000_000 and out[-1]["state"] == "finished"
    assert (tmp_path / "dst.bin").read_bytes() == (src / "a.bin").read_bytes()


def test_verbose_lists_the_lines_that_are_not_progress_lines():
    text = (FORMATS / "dd_status_progress_1.txt").read_bytes()
    lines = text.splitlines()
    noisy = b"\n".join(lines[:2] + [b"dd: warning: partial read", b"\x00\x01garbage"] + lines[2:])
    quiet = pipe(noisy, "--jsonl", "--total", "120036786176")
    verbose = pipe(noisy, "--jsonl", "--total", "120036786176", "--verbose")
    skipped = [line for line in verbose.stderr.decode().splitlines() if "not a progress line" in line]
    # The two inserted lines, by number, and the format file's own comment line(s).
    assert any("dd: warning: partial read" in line for line in skipped)
    assert any(f"line {noisy.splitlines().index(b'dd: warning: partial read') + 1}:" in line
               for line in skipped)
    assert "not a progress line" not in quiet.stderr.decode()
    assert "--verbose lists them" in quiet.stderr.decode()
    # Listing them changes nothing else.
    assert [r.get("done") for r in rows(quiet.stdout)] == [r.get("done") for r in rows(verbose.stdout)]


def test_plain_lines_come_once_per_interval_and_the_last_is_never_lost():
    text = (FORMATS / "dd_status_progress_1.txt").read_bytes()
    every = pipe(text, "--total", "120036786176", "--interval", "0")
    sparse = pipe(text, "--total", "120036786176", "--interval", "3600")
    every_lines = every.stdout.decode().splitlines()
    sparse_lines = sparse.stdout.decode().splitlines()
    assert len(every_lines) == len(rows(pipe(text, "--jsonl", "--total", "120036786176").stdout)) - 1
    # Within one interval: the first update, then the latest one at the end.
    assert len(sparse_lines) == 2
    assert sparse_lines[0] == every_lines[0] and sparse_lines[-1] == every_lines[-1]
    assert "\033" not in every.stdout.decode()  # not a terminal: plain text


# --- Faults (issue 7): each with its message and exit code, the summary never lost -----------

def closed_pipe():
    """The write end of a pipe whose reader is gone: writing to it fails with EPIPE."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    return write_end


def progress_to_the_end(lines=10, total=1000):
    return "".join(f"{total * i // lines}/{total}\n" for i in range(1, lines + 1)).encode()


def test_a_closed_stdout_exits_141_after_reading_everything_with_the_summary_on_stderr():
    out = closed_pipe()
    try:
        done = subprocess.run([CLI, "pipe", "--jsonl"], input=progress_to_the_end(),
                              stdout=out, stderr=subprocess.PIPE, timeout=30)
    finally:
        os.close(out)
    assert done.returncode == 141, done.stderr
    err = done.stderr.decode()
    assert err.count("standard output closed early (broken pipe)") == 1
    # It read on to the end (the last line is 100%), and the summary is there.
    assert "copyeta: finished at" in err and "at 50%: copyeta said" in err


def test_tee_to_a_closed_stdout_keeps_reading_and_shows_its_status_on_stderr():
    out = closed_pipe()
    try:
        done = subprocess.run([CLI, "pipe", "--tee", "--interval", "0"],
                              input=progress_to_the_end(), stdout=out, stderr=subprocess.PIPE,
                              timeout=30)
    finally:
        os.close(out)
    assert done.returncode == 141, done.stderr
    err = done.stderr.decode()
    assert "standard output closed early (broken pipe)" in err
    assert "100%  finished" in err and "copyeta: finished at" in err


def test_a_pipeline_into_head_never_cuts_the_copy_tool_off():
    # 20000 progress lines make far more output than a pipe holds, so copyeta writes on after
    # head has gone. seq (the tool) must still end normally: copyeta drains its input.
    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; seq -f '%g/20000' 1 20000 | {CLI} pipe --jsonl "
                       "| head -c1 >/dev/null; echo \"${PIPESTATUS[@]}\""],
        capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["0", "141", "0"], done.stderr
    assert "broken pipe" in done.stderr and "copyeta: finished at" in done.stderr


def test_a_full_disk_on_stdout_is_an_error_exit_1():
    with open("/dev/full", "wb") as full:
        done = subprocess.run([CLI, "pipe", "--jsonl"], input=progress_to_the_end(),
                              stdout=full, stderr=subprocess.PIPE, timeout=30)
    assert done.returncode == 1
    assert b"cannot write to standard output: No space left on device" in done.stderr
    assert b"copyeta: finished at" in done.stderr


def peak_rss_mib(pid):
    """VmHWM: the process's peak resident set since it exec'd (wait4's ru_maxrss would count
    the pages of the Python process it was forked from)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def test_a_100_mb_line_without_a_newline_keeps_memory_bounded(tmp_path):
    out_path, err_path = tmp_path / "out", tmp_path / "err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen([CLI, "pipe", "--jsonl"], stdin=subprocess.PIPE, stdout=out,
                                stderr=err)
        proc.stdin.write(b"100/1000\n200/1000\n")
        chunk = b"x" * 2**20
        for _ in range(100):  # 100 MiB, and no newline ever
            proc.stdin.write(chunk)
        proc.stdin.flush()
        # All but what the pipe holds (64 KiB) has been read by now.
        peak = peak_rss_mib(proc.pid)
        proc.stdin.close()
        proc.wait(timeout=60)
    assert peak < 32, f"peak RSS {peak:.1f} MiB for a 100 MiB line"
    err = err_path.read_text()
    assert proc.returncode == 3, err  # the input ended before the copy finished
    # Reported, skipped, and the summary kept.
    skipped = int(err.split(" bytes of over-long lines were skipped")[0].split()[-1])
    assert 100 * 2**20 - 2**16 <= skipped <= 100 * 2**20
    assert "input ended, not finished" in err
    out = rows(out_path.read_bytes())
    assert [r.get("done") for r in out[:-1]] == [100, 200] and out[-1]["event"] == "summary"


def test_tee_passes_a_megabyte_of_random_bytes_untouched():
    garbage = os.urandom(2**20) + b"\x00\x00 no newline at the end"
    done = pipe(garbage, "--tee")
    assert done.stdout == garbage
    # Random bytes hold a "37%" here and there, which the generic format reads.
    assert done.returncode in (1, 3) and b"not progress lines" in done.stderr
