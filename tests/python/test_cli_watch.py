"""`copyeta watch`: attached by PID to real dd, cp, rsync and pv processes, and to processes
staged in a /proc tree of the test's own (--proc-root) for what root cannot meet for real."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CLI = os.environ.get("COPYETA_CLI")
MiB = 2**20

pytestmark = pytest.mark.skipif(not CLI, reason="COPYETA_CLI is not set (run under ctest)")


def rows(stdout):
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def random_file(path, size):
    path.write_bytes(os.urandom(size))
    return path


def watch(pid, *args, timeout=60):
    return subprocess.run([CLI, "watch", str(pid), "--jsonl", "--interval", "0.25", *args],
                          capture_output=True, text=True, timeout=timeout)


def wait_for_file(proc_pid, path, timeout=10.0):
    """Until the process has `path` open (it has started copying); no timing is asserted."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            fds = os.listdir(f"/proc/{proc_pid}/fd")
            if any(os.path.realpath(f"/proc/{proc_pid}/fd/{fd}") == str(path) for fd in fds):
                return
        except FileNotFoundError:
            pass
        time.sleep(0.01)
    raise AssertionError(f"process {proc_pid} never opened {path}")


def start_pipeline(command, tool, source):
    """Starts a shell pipeline and returns it with the PID of its `tool`, once that has `source`
    open."""
    pipeline = subprocess.Popen(command, shell=True, start_new_session=True)
    deadline = time.monotonic() + 10.0
    while True:  # the shell starts the tool a moment later
        found = subprocess.run(["pgrep", "-s", str(pipeline.pid), "-x", tool],
                               capture_output=True, text=True)
        if found.returncode == 0:
            break
        assert time.monotonic() < deadline, f"{tool} never started in: {command}"
        time.sleep(0.01)
    pid = int(found.stdout.split()[0])
    wait_for_file(pid, source)
    return pipeline, pid


def check_copy(done, pid, comm, source, size):
    """The amounts, the states, the summary and the exit code of a watched copy that finished."""
    assert done.returncode == 0, done.stderr
    out = rows(done.stdout)
    summary = out.pop()
    assert summary["event"] == "summary" and summary["pid"] == pid and summary["comm"] == comm
    assert summary["finished"] is True and summary["state"] == "finished"
    assert summary["file"] == str(source)
    assert all(r["pid"] == pid and r["comm"] == comm for r in out)
    assert [r["done"] for r in out] == sorted(r["done"] for r in out)
    assert all(r["total"] == size for r in out if r["total"] is not None)
    assert out[-1]["state"] == "finished" and out[-1]["done"] == size
    assert f"{comm} {pid} finished at" in done.stderr
    # A mid-copy estimate within a factor of 3 of the truth (the machine is shared and noisy).
    end = summary["wall"]
    mid = [r for r in out if r["state"] == "ok" and 0.3 <= r["done"] / size <= 0.7]
    assert mid, out
    for r in mid:
        truth = end - r["wall"]
        assert truth / 3 - 0.5 <= r["remaining"] <= truth * 3 + 0.5, (r, end)
    return out, summary


def test_dd_by_pid_reading_a_file_into_a_slow_pipe(tmp_path):
    source = random_file(tmp_path / "disk.img", 24 * MiB)
    dd, dd_pid = start_pipeline(f"dd if={source} bs=64K 2>/dev/null | pv -qL 8M > {tmp_path}/copy",
                                "dd", source)
    done = watch(dd_pid)
    dd.wait()
    out, summary = check_copy(done, dd_pid, "dd", source, 24 * MiB)
    assert out[0]["measure"] == "position" and out[0]["overall"] is False
    assert (tmp_path / "copy").read_bytes() == source.read_bytes()


def loop_device(backing):
    """A loop device over `backing`, or None where the machine does not allow one."""
    if os.geteuid() != 0 or not shutil.which("losetup"):
        return None
    made = subprocess.run(["losetup", "-f", "--show", str(backing)], capture_output=True,
                          text=True)
    return made.stdout.strip() if made.returncode == 0 else None


def test_a_block_device_is_sized_with_blkgetsize64(tmp_path):
    backing = random_file(tmp_path / "disk", 16 * MiB)
    device = loop_device(backing)
    if not device:
        pytest.skip("no loop device here")
    try:
        dd, dd_pid = start_pipeline(f"dd if={device} bs=64K 2>/dev/null | pv -qL 8M >/dev/null",
                                    "dd", Path(device))
        done = watch(dd_pid)
        dd.wait()
    finally:
        subprocess.run(["losetup", "-d", device])
    out = rows(done.stdout)
    # st_size of a block device is 0: the size came from the BLKGETSIZE64 ioctl.
    assert out[0]["file"] == device and out[0]["total"] == 16 * MiB
    assert done.returncode == 0 and out[-1]["finished"] is True


def test_cp_by_pid(tmp_path):
    source = random_file(tmp_path / "a.iso", 24 * MiB)
    cp, cp_pid = start_pipeline(f"cp {source} /dev/stdout | pv -qL 8M > {tmp_path}/b.iso", "cp",
                                source)
    done = watch(cp_pid)
    cp.wait()
    check_copy(done, cp_pid, "cp", source, 24 * MiB)


def test_pv_by_pid_rate_limited(tmp_path):
    source = random_file(tmp_path / "big.bin", 24 * MiB)
    pv = subprocess.Popen(["pv", "-qL", "8M", str(source)], stdout=subprocess.DEVNULL)
    wait_for_file(pv.pid, source)
    done = watch(pv.pid)
    pv.wait()
    check_copy(done, pv.pid, "pv", source, 24 * MiB)


def test_rsync_of_a_directory_is_followed_overall(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    random_file(src / "a", 12 * MiB)
    random_file(src / "b", 12 * MiB)
    rsync = subprocess.Popen(["rsync", "-a", "--bwlimit=8M", f"{src}/", f"{tmp_path}/dst/"])
    wait_for_file(rsync.pid, src / "a")
    done = watch(rsync.pid, "--no-flush")
    rsync.wait()
    out = rows(done.stdout)
    summary = out.pop()
    assert done.returncode == 0, done.stderr
    # The source directory's size is the total: one estimate for the whole copy, across files.
    assert all(r["overall"] is True and r["total"] == 24 * MiB for r in out)
    assert {r["file"] for r in out} >= {str(src / "a"), str(src / "b")}
    assert summary["finished"] is True
    assert (tmp_path / "dst" / "b").read_bytes() == (src / "b").read_bytes()


def test_auto_finds_a_running_copy(tmp_path):
    source = random_file(tmp_path / "disk.img", 16 * MiB)
    dd, dd_pid = start_pipeline(f"dd if={source} bs=64K 2>/dev/null | pv -qL 8M >/dev/null",
                                "dd", source)
    w = subprocess.Popen([CLI, "watch", "--auto", "--jsonl", "--interval", "0.25", "--no-flush"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Other copies on this machine may still run: stop watching once ours is seen finished.
    seen = []
    for line in w.stdout:
        seen.append(line)
        row = json.loads(line)
        if row.get("pid") == dd_pid and row["state"] == "finished":
            break
    dd.wait()
    w.send_signal(signal.SIGINT)
    # Read on through w.stdout: its buffer may already hold the summary, which communicate()
    # (reading the pipe itself) would skip.
    rest = w.stdout.read()
    w.stderr.read()
    w.wait(timeout=30)
    out = "".join(seen) + rest
    assert w.returncode in (0, 130)
    summaries = [r for r in rows(out) if r.get("event") == "summary"]
    ours = [s for s in summaries if s["pid"] == dd_pid]
    assert ours and ours[0]["finished"] is True and ours[0]["file"] == str(source)
    # pv reads a pipe, not a file: no copy of its own to follow.
    assert all(s["comm"] != "pv" or s["file"] for s in summaries)


def test_sigint_prints_the_summary_and_exits_130(tmp_path):
    source = random_file(tmp_path / "big.bin", 16 * MiB)
    pv = subprocess.Popen(["pv", "-qL", "1M", str(source)], stdout=subprocess.DEVNULL)
    wait_for_file(pv.pid, source)
    w = subprocess.Popen([CLI, "watch", str(pv.pid), "--jsonl", "--interval", "0.1"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = w.stdout.readline()  # watching has begun
    assert json.loads(first)["pid"] == pv.pid
    w.send_signal(signal.SIGINT)
    out, err = w.communicate(timeout=30)
    pv.kill()
    pv.wait()
    assert w.returncode == 130
    summary = rows(out)[-1]
    assert summary["event"] == "summary" and summary["finished"] is False
    assert "pv" in err and "still running" in err


def test_no_such_process():
    done = subprocess.run([CLI, "watch", "4194304"], capture_output=True, text=True)
    assert done.returncode == 1
    assert "no process 4194304" in done.stderr


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="needs root to run copyeta as another user")
def test_another_users_process_gets_a_clear_message():
    # copyeta as `nobody`, watching init (root's): the kernel refuses to show its files.
    done = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                           CLI, "watch", "1"], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert "process 1 belongs to root" in done.stderr
    assert "run copyeta as that user or as root" in done.stderr


def test_usage_errors():
    assert subprocess.run([CLI, "watch"], capture_output=True).returncode == 2
    assert subprocess.run([CLI, "watch", "1", "--auto"], capture_output=True).returncode == 2
    bad = subprocess.run([CLI, "watch", "1", "--interval", "0"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--interval" in bad.stderr
    bad = subprocess.run([CLI, "watch", "1", "--total", "lots"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--total 'lots'" in bad.stderr


def test_an_unreadable_proc_is_reported(tmp_path):
    done = subprocess.run([CLI, "watch", "--auto", "--proc-root", str(tmp_path / "nowhere")],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert "cannot list processes" in done.stderr and "nowhere" in done.stderr


class StagedProc:
    """A /proc tree with one process reading a file, as the kernel shows it."""

    def __init__(self, root, pid, size, pos, age=10.0, comm="dd", parent=1):
        self.root, self.pid, self.comm, self.parent = root, pid, comm, parent
        self.files = root / "files"
        self.files.mkdir(parents=True, exist_ok=True)
        (root / "uptime").write_text("1000.00 1234.00\n")
        (root / "meminfo").write_text("Dirty: 0 kB\nWriteback: 0 kB\n")
        self.dir = root / str(pid)
        (self.dir / "fd").mkdir(parents=True)
        (self.dir / "fdinfo").mkdir()
        (self.dir / "comm").write_text(f"{comm}\n")
        (self.dir / "cmdline").write_bytes(comm.encode() + b"\0in.img\0out.img\0")
        (self.dir / "status").write_text(f"Name:\t{comm}\nUid:\t0\t0\t0\t0\n")
        self.set_start(1000.0 - age)
        self.source = self.files / f"in-{pid}.img"
        with open(self.source, "wb") as f:
            f.truncate(size)
        (self.dir / "fd" / "0").symlink_to(self.source)
        self.set_pos(pos)

    def set_start(self, started):
        fields = " ".join(["0"] * 17)  # fields 5 to 21
        (self.dir / "stat").write_text(
            f"{self.pid} ({self.comm}) S {self.parent} {fields} {int(started * 100)} 0\n")

    def set_pos(self, pos):
        (self.dir / "fdinfo" / "0").write_text(f"pos:\t{pos}\nflags:\t0100000\n")
        (self.dir / "io").write_text(f"rchar: {pos}\nwchar: {pos}\n")


def test_a_process_that_exits_midway_ends_with_exit_3(tmp_path):
    staged = StagedProc(tmp_path / "proc", 4242, size=1000 * MiB, pos=300 * MiB, age=30.0)
    w = subprocess.Popen([CLI, "watch", "4242", "--jsonl", "--interval", "0.05",
                          "--proc-root", str(staged.root)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = json.loads(w.stdout.readline())
    assert first["done"] == 300 * MiB and first["total"] == 1000 * MiB
    assert first["file"] == str(staged.source) and first["state"] == "ok"
    shutil.rmtree(staged.dir)  # the process is gone
    out, err = w.communicate(timeout=30)
    assert w.returncode == 3
    summary = rows(out)[-1]
    assert summary["finished"] is False and summary["reason"] == "the process exited"
    assert "ended at" in err and "before it finished" in err


def test_a_reused_pid_is_not_followed(tmp_path):
    staged = StagedProc(tmp_path / "proc", 4242, size=1000 * MiB, pos=300 * MiB)
    w = subprocess.Popen([CLI, "watch", "4242", "--jsonl", "--interval", "0.05",
                          "--proc-root", str(staged.root)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    w.stdout.readline()
    staged.set_start(999.0)  # the same PID, a new process
    out, err = w.communicate(timeout=30)
    assert w.returncode == 3
    assert "another process" in rows(out)[-1]["reason"]


def test_a_finished_copy_waits_for_its_process_to_exit(tmp_path):
    staged = StagedProc(tmp_path / "proc", 4242, size=100 * MiB, pos=100 * MiB)
    w = subprocess.Popen([CLI, "watch", "4242", "--interval", "0.05", "--proc-root",
                          str(staged.root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env={**os.environ, "NO_COLOR": "1"})
    first = w.stdout.readline()
    assert first.startswith("dd 4242  ") and "100%  finished" in first
    assert "\033" not in first  # not a terminal: no escape sequences
    shutil.rmtree(staged.dir)
    out, err = w.communicate(timeout=30)
    assert w.returncode == 0
    assert "dd 4242 finished at" in err


def test_auto_watches_each_copy_once_not_its_helper_processes(tmp_path):
    # rsync forks a receiver and a generator of the same name: one copy, one line.
    root = tmp_path / "proc"
    main = StagedProc(root, 300, size=100 * MiB, pos=50 * MiB, comm="rsync")
    helper = StagedProc(root, 301, size=100 * MiB, pos=50 * MiB, comm="rsync", parent=300)
    other = StagedProc(root, 400, size=10 * MiB, pos=1 * MiB, comm="cat")
    idle = StagedProc(root, 500, size=10 * MiB, pos=0, comm="bash")  # not a copy program
    w = subprocess.Popen([CLI, "watch", "--auto", "--jsonl", "--interval", "0.05",
                          "--proc-root", str(root)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = [json.loads(w.stdout.readline()) for _ in range(2)]
    assert sorted(r["pid"] for r in first) == [300, 400]
    for staged in (main, helper, other, idle):
        shutil.rmtree(staged.dir)
    out, err = w.communicate(timeout=30)
    summaries = [r for r in rows(out) if r.get("event") == "summary"]
    assert sorted(s["pid"] for s in summaries) == [300, 400]
    assert w.returncode == 3  # both vanished midway


def test_auto_with_no_copy_running_says_so(tmp_path):
    root = tmp_path / "proc"
    StagedProc(root, 500, size=10 * MiB, pos=0, comm="bash")
    done = subprocess.run([CLI, "watch", "--auto", "--proc-root", str(root)],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    assert "no copy found" in done.stderr and "rsync" in done.stderr


def test_flushing_comes_before_finished(tmp_path):
    # dd read everything and sits in fsync while the kernel writes 400 MB back.
    staged = StagedProc(tmp_path / "proc", 4242, size=1000 * MiB, pos=1000 * MiB, age=100.0)
    target = staged.files / "out.img"
    target.write_bytes(b"")
    (staged.dir / "fd" / "1").symlink_to(target)
    (staged.dir / "fdinfo" / "1").write_text("pos:\t0\nflags:\t0100001\n")
    (staged.root / "meminfo").write_text("Dirty: 400000 kB\nWriteback: 9600 kB\n")
    w = subprocess.Popen([CLI, "watch", "4242", "--jsonl", "--interval", "0.05",
                          "--proc-root", str(staged.root)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = json.loads(w.stdout.readline())
    assert first["state"] == "flushing" and first["unflushed"] == 409600 * 1024
    assert first["done"] == first["total"] == 1000 * MiB
    assert 0 < first["lo"] <= first["remaining"] <= first["hi"]
    (staged.root / "meminfo").write_text("Dirty: 1000 kB\nWriteback: 0 kB\n")
    for line in w.stdout:
        if json.loads(line)["state"] == "finished":
            break
    shutil.rmtree(staged.dir)  # dd returns
    out, err = w.communicate(timeout=30)
    summary = rows(out)[-1]
    assert w.returncode == 0, err
    assert summary["finished"] is True and summary["flush_observed"] is True
    assert "its data flushed to disk" in err


# --- Faults (issue 7) ------------------------------------------------------------------------

def closed_pipe():
    read_end, write_end = os.pipe()
    os.close(read_end)
    return write_end


def test_a_closed_stdout_stops_the_watch_with_exit_141_and_the_summary_on_stderr(tmp_path):
    staged = StagedProc(tmp_path / "proc", 4242, size=1000 * MiB, pos=300 * MiB, age=30.0)
    out = closed_pipe()
    try:
        done = subprocess.run([CLI, "watch", "4242", "--jsonl", "--interval", "0.05",
                               "--proc-root", str(staged.root)],
                              stdout=out, stderr=subprocess.PIPE, text=True, timeout=30)
    finally:
        os.close(out)
    assert done.returncode == 141, done.stderr
    assert "standard output closed early (broken pipe); stopped watching" in done.stderr
    assert "dd 4242 still running; last: 30%" in done.stderr


def test_an_unreadable_process_entry_is_named_at_attach_and_ends_a_watch(tmp_path):
    staged = StagedProc(tmp_path / "proc", 4242, size=1000 * MiB, pos=300 * MiB)
    (staged.dir / "stat").write_text("4242 garbled\n")
    done = subprocess.run([CLI, "watch", "4242", "--proc-root", str(staged.root)],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    assert f"cannot read process 4242: {staged.dir}/stat: no ')'" in done.stderr

    staged.set_start(990.0)
    w = subprocess.Popen([CLI, "watch", "4242", "--jsonl", "--interval", "0.05",
                          "--proc-root", str(staged.root)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert json.loads(w.stdout.readline())["pid"] == 4242
    (staged.dir / "stat").write_text("4242 garbled\n")  # /proc/4242 turns unreadable midway
    out, err = w.communicate(timeout=30)
    assert w.returncode == 3
    summary = rows(out)[-1]
    assert summary["finished"] is False and summary["reason"].endswith("stat: no ')'")
    assert "before it finished" in err


def test_a_file_deleted_while_watched_is_still_followed(tmp_path):
    # A real process reads a quarter of a file, waits, then reads the rest: meanwhile the file
    # is deleted, which /proc shows as "PATH (deleted)" for the same open file.
    source = random_file(tmp_path / "doomed.bin", 4 * MiB)
    reader = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; f = open(sys.argv[1], 'rb'); f.read(2**20); print('read', flush=True);"
         "sys.stdin.readline(); f.read(); sys.stdin.readline()", str(source)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline() == "read\n"
        w = subprocess.Popen([CLI, "watch", str(reader.pid), "--jsonl", "--interval", "0.05",
                              "--no-flush"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        first = json.loads(w.stdout.readline())
        assert first["file"] == str(source) and first["done"] == MiB
        source.unlink()
        for line in w.stdout:
            if json.loads(line)["file"] == f"{source} (deleted)":
                break
        reader.stdin.write("\n")  # read the rest
        reader.stdin.flush()
        for line in w.stdout:
            if json.loads(line)["state"] == "finished":
                break
        reader.stdin.write("\n")  # and exit
        reader.stdin.flush()
        rest = w.stdout.read()
        err = w.stderr.read()
        w.wait(timeout=30)
    finally:
        reader.kill()
        reader.wait()
    assert w.returncode == 0, err
    assert f"{source} was deleted while open: still followed" in err
    summary = rows(rest)[-1]
    assert summary["finished"] is True
