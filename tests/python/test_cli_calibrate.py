"""`copyeta calibrate` and `--calibration FILE`: nothing lost. A calibration is written atomically
(a temporary file in the same directory, renamed over the target), and a truncated or corrupted
one is refused with a message naming the file, never half-loaded."""
import json
import os
import re
import resource
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

CLI = os.environ.get("COPYETA_CLI")
ROOT = Path(__file__).resolve().parents[2]
TRACES = ROOT / "tests" / "data" / "traces"
TRACE = TRACES / "dd_progress_psbbn87_120GB_fsync_tail.csv"
STRACE = shutil.which("strace")
# strace needs ptrace, which some containers forbid: then these tests are skipped, not failed.
if STRACE and subprocess.run([STRACE, "-o", os.devnull, "true"], capture_output=True).returncode:
    STRACE = None

pytestmark = pytest.mark.skipif(not CLI, reason="COPYETA_CLI is not set (run under ctest)")


@pytest.fixture(scope="module")
def calibration(tmp_path_factory):
    """A calibration learned from the shipped traces, and its text."""
    path = tmp_path_factory.mktemp("calibration") / "site.json"
    done = subprocess.run([CLI, "calibrate", str(TRACES), "-o", str(path)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return path.read_text()


def test_calibrate_writes_the_whole_file_and_leaves_nothing_beside_it(tmp_path, calibration):
    target = tmp_path / "site.json"
    target.write_text(calibration)
    before = set(os.listdir(tmp_path))
    done = subprocess.run([CLI, "calibrate", str(TRACES), "-o", str(target)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert set(os.listdir(tmp_path)) == before  # no temporary file left
    assert json.loads(target.read_text())["format"] == "copyeta.calibration"
    assert target.read_text() == calibration  # the same jobs: byte-stable


@pytest.mark.skipif(not STRACE, reason="strace is not installed")
def test_calibrate_renames_a_temporary_file_in_the_same_directory(tmp_path):
    target = tmp_path / "site.json"
    log = tmp_path / "strace.log"
    done = subprocess.run([STRACE, "-f", "-qq", "-o", str(log), "-e",
                           "trace=openat,open,creat,rename,renameat,renameat2",
                           CLI, "calibrate", str(TRACES), "-o", str(target)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines()
    written = [c for c in calls if ("O_WRONLY" in c or "O_RDWR" in c or "creat(" in c)
               and str(tmp_path) in c]
    renames = [c for c in calls if re.search(r"\brename(at2?)?\(", c)]
    # The target itself is never opened for writing; a new file beside it is, then renamed.
    assert written and all(f'"{target}"' not in c for c in written), written
    assert all("O_EXCL" in c for c in written), written
    assert len(renames) == 1 and renames[0].endswith("= 0"), renames
    temporary = renames[0].split('"')[1]
    assert Path(temporary).parent == tmp_path and f'"{target}"' in renames[0]


def test_a_failed_write_leaves_the_old_calibration_whole(tmp_path, calibration):
    target = tmp_path / "site.json"
    target.write_text('{"old": "calibration"}')

    def tiny_files():
        # Files may not grow past 1 KiB: the write fails half-way (EFBIG), like a full disk.
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    done = subprocess.run([CLI, "calibrate", str(TRACES), "-o", str(target)],
                          capture_output=True, text=True, timeout=300, preexec_fn=tiny_files)
    assert len(calibration) > 1024
    assert done.returncode == 1
    assert f"{target}: cannot write the calibration (File too large)" in done.stderr
    assert target.read_text() == '{"old": "calibration"}'
    assert os.listdir(tmp_path) == ["site.json"]


def test_an_unwritable_place_is_a_clear_error(tmp_path):
    target = tmp_path / "no" / "such" / "dir" / "site.json"
    done = subprocess.run([CLI, "calibrate", str(TRACES), "-o", str(target)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert f"{target}: cannot write the calibration next to it (No such file or directory)" \
        in done.stderr


def refused(tmp_path, text):
    path = tmp_path / "broken.json"
    path.write_text(text)
    done = subprocess.run([CLI, "replay", str(TRACE), "--jsonl", "--calibration", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""  # nothing replayed with half a calibration
    assert str(path) in done.stderr
    return done.stderr


def test_a_truncated_calibration_is_refused_at_every_length(tmp_path, calibration):
    # Cut anywhere (as a crash mid-write without the rename would leave it): never loaded.
    for cut in list(range(0, 200, 7)) + list(range(200, len(calibration) - 1, 997)) + \
            [len(calibration) - 2]:
        message = refused(tmp_path, calibration[:cut])
        assert "not valid JSON" in message, (cut, message)


def test_a_corrupted_calibration_is_refused_with_what_is_wrong(tmp_path, calibration):
    j = json.loads(calibration)
    j["weights"] = [0.5, 0.5, 0.5]
    assert "sum to 1.5, not 1" in refused(tmp_path, json.dumps(j))
    j = json.loads(calibration)
    j["version"] = 99
    assert "version 99 is not supported" in refused(tmp_path, json.dumps(j))
    j = json.loads(calibration)
    del j["buckets"]
    assert "bad field" in refused(tmp_path, json.dumps(j))
    assert "not valid JSON" in refused(tmp_path, calibration.replace(",", ";", 1))
    garbage = bytes(range(256)).decode("latin-1")
    assert "not valid JSON" in refused(tmp_path, garbage)


def test_the_calibration_that_loads_is_the_one_written(tmp_path, calibration):
    path = tmp_path / "site.json"
    path.write_text(calibration)
    done = subprocess.run([CLI, "replay", str(TRACE), "--jsonl", "--calibration", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) > 10
