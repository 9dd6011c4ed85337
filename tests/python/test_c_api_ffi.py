"""The C API through FFI: Python's ctypes loads libcopyeta_c (include/copyeta/copyeta.h).

COPYETA_C_LIBRARY is the shared library's path (ctest sets it, tests/python/CMakeLists.txt).
"""
import ctypes
import csv
import json
import math
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

LIBRARY = os.environ.get("COPYETA_C_LIBRARY")
CLI = os.environ.get("COPYETA_CLI")
ROOT = Path(__file__).resolve().parents[2]
HEADER = ROOT / "include" / "copyeta" / "copyeta.h"
TRACE = ROOT / "tests" / "data" / "traces" / "dd_progress_usb_iso_3_1GB_115MBps_complete_lluv.csv"

pytestmark = pytest.mark.skipif(not LIBRARY, reason="COPYETA_C_LIBRARY is not set (run under ctest)")

OK, NULL_ARGUMENT, INVALID_ARGUMENT, SAMPLE_REJECTED, IO, BAD_INPUT, BUFFER_TOO_SMALL = range(7)
STATES = ["warming_up", "unknown_total", "ok", "stalled", "flushing", "finished", "rejected"]
FORMAT_STATUS, FORMAT_FINISH, FORMAT_REMAINING = range(3)


class Estimate(ctypes.Structure):
    """copyeta_estimate, field for field (copyeta.h gives the offsets)."""
    _fields_ = [
        ("struct_size", ctypes.c_uint32), ("state", ctypes.c_int32),
        ("t", ctypes.c_double), ("done", ctypes.c_uint64), ("total", ctypes.c_uint64),
        ("remaining", ctypes.c_double), ("lo", ctypes.c_double), ("hi", ctypes.c_double),
        ("level", ctypes.c_double), ("rate", ctypes.c_double), ("stalled_for", ctypes.c_double),
        ("shift_t", ctypes.c_double), ("shift_fraction", ctypes.c_double),
        ("shift_factor", ctypes.c_double),
        ("has_total", ctypes.c_int32), ("has_rate", ctypes.c_int32),
        ("has_shift", ctypes.c_int32), ("reserved", ctypes.c_int32),
    ]

    def __init__(self):
        super().__init__()
        self.struct_size = ctypes.sizeof(self)


def load():
    lib = ctypes.CDLL(LIBRARY)
    p, c_int, c_double, c_size, u64 = (ctypes.c_void_p, ctypes.c_int, ctypes.c_double,
                                       ctypes.c_size_t, ctypes.c_uint64)
    pp = ctypes.POINTER(ctypes.c_void_p)
    signatures = {
        "copyeta_last_error": (ctypes.c_char_p, []),
        "copyeta_error_string": (ctypes.c_char_p, [c_int]),
        "copyeta_version": (ctypes.c_char_p, []),
        "copyeta_abi_version": (c_int, []),
        "copyeta_state_name": (ctypes.c_char_p, [c_int]),
        "copyeta_model_name": (ctypes.c_char_p, [c_size]),
        "copyeta_estimate_size": (c_size, []),
        "copyeta_calibration_load": (c_int, [ctypes.c_char_p, pp]),
        "copyeta_calibration_from_json": (c_int, [ctypes.c_char_p, c_size, pp]),
        "copyeta_calibration_builtin": (c_int, [pp]),
        "copyeta_calibration_save": (c_int, [p, ctypes.c_char_p]),
        "copyeta_calibration_to_json": (c_int, [p, ctypes.c_char_p, c_size,
                                               ctypes.POINTER(c_size)]),
        "copyeta_calibration_jobs": (c_int, [p, ctypes.POINTER(u64)]),
        "copyeta_calibration_destroy": (None, [p]),
        "copyeta_monitor_create": (c_int, [ctypes.c_char_p, c_double, p, pp]),
        "copyeta_monitor_destroy": (None, [p]),
        "copyeta_monitor_add": (c_int, [p, c_double, u64, ctypes.POINTER(u64)]),
        "copyeta_monitor_counts": (c_int, [p, ctypes.POINTER(u64), ctypes.POINTER(u64)]),
        "copyeta_monitor_estimate": (c_int, [p, c_double, ctypes.POINTER(Estimate)]),
        "copyeta_format": (c_int, [ctypes.POINTER(Estimate), c_int, c_double, ctypes.c_uint,
                                   ctypes.c_char_p, c_size, ctypes.POINTER(c_size)]),
        "copyeta_format_duration": (c_int, [c_double, ctypes.c_char_p, c_size,
                                            ctypes.POINTER(c_size)]),
        "copyeta_format_amount": (c_int, [u64, ctypes.c_uint, ctypes.c_char_p, c_size,
                                          ctypes.POINTER(c_size)]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    return lib


@pytest.fixture(scope="module")
def lib():
    return load()


def last_error(lib):
    return lib.copyeta_last_error().decode()


def monitor(lib, model=b"default", level=0.8, calibration=None):
    handle = ctypes.c_void_p()
    code = lib.copyeta_monitor_create(model, level, calibration, ctypes.byref(handle))
    assert code == OK, last_error(lib)
    return handle


def estimate(lib, m, now):
    e = Estimate()
    assert lib.copyeta_monitor_estimate(m, now, ctypes.byref(e)) == OK, last_error(lib)
    return e


def add(lib, m, t, done, total=None):
    return lib.copyeta_monitor_add(m, t, done, ctypes.byref(ctypes.c_uint64(total))
                                   if total is not None else None)


def read_trace(path):
    with open(path, newline="") as f:
        return [(float(r["t_seconds"]), int(r["bytes_done"]),
                 int(r["bytes_total"]) if r["bytes_total"] else None) for r in csv.DictReader(f)]


def test_the_library_is_the_header_s(lib):
    header = HEADER.read_text()
    version = re.search(r'#define COPYETA_VERSION_STRING "([^"]+)"', header).group(1)
    abi = int(re.search(r"#define COPYETA_C_ABI_VERSION (\d+)", header).group(1))
    assert lib.copyeta_version().decode() == version
    assert lib.copyeta_abi_version() == abi
    assert ctypes.sizeof(Estimate) == lib.copyeta_estimate_size() == 120
    assert [lib.copyeta_state_name(s).decode() for s in range(7)] == STATES
    assert lib.copyeta_state_name(7) is None
    names = []
    while (name := lib.copyeta_model_name(len(names))) is not None:
        names.append(name.decode())
    assert names == ["default", "robust_window", "drift_diffusion", "kalman", "average", "pv",
                     "rsync", "progress", "tqdm", "indicatif", "rich"]


def test_a_package_would_ship_it(lib):
    """The soname carries the C ABI version, and only the C API is exported."""
    real = Path(LIBRARY).resolve()
    assert real.name.startswith(f"libcopyeta_c.so.{lib.copyeta_abi_version()}.")
    if not shutil.which("nm") or not shutil.which("readelf"):
        pytest.skip("binutils' nm and readelf are not installed")
    dynamic = subprocess.run(["readelf", "-d", str(real)], check=True, capture_output=True,
                             text=True).stdout
    assert f"[libcopyeta_c.so.{lib.copyeta_abi_version()}]" in dynamic
    symbols = subprocess.run(["nm", "-D", "--defined-only", str(real)], check=True,
                             capture_output=True, text=True).stdout.split("\n")
    exported = sorted(line.split()[-1] for line in symbols if line.strip())
    declared = sorted(set(re.findall(r"\b(copyeta_\w+)\(", HEADER.read_text())))
    assert [s.split("@")[0] for s in exported if s != "COPYETA_C_1"] == declared


@pytest.mark.skipif(not CLI, reason="COPYETA_CLI is not set (run under ctest)")
def test_estimates_equal_the_command_line_s(lib):
    """A real dd trace fed through FFI gives what `copyeta replay --jsonl` gives, number for number."""
    rows = [json.loads(line) for line in subprocess.run(
        [CLI, "replay", str(TRACE), "--jsonl"], check=True, capture_output=True,
        text=True).stdout.splitlines()]
    samples = read_trace(TRACE)
    assert len(rows) == len(samples) > 20
    m = monitor(lib)
    try:
        for (t, done, total), row in zip(samples, rows):
            assert add(lib, m, t, done, total) == OK
            e = estimate(lib, m, t)
            numbers = STATES[e.state] in ("ok", "stalled", "flushing", "finished")
            got = {"t": e.t, "done": e.done, "total": e.total if e.has_total else None,
                   "state": STATES[e.state], "remaining": e.remaining if numbers else None,
                   "lo": e.lo if numbers else None, "hi": e.hi if numbers else None,
                   "level": e.level, "rate": e.rate if e.has_rate else None}
            assert got == {k: row[k] for k in got}
        assert STATES[e.state] == "finished"
    finally:
        lib.copyeta_monitor_destroy(m)


def test_errors_come_back_as_codes_with_messages(lib, tmp_path):
    handle = ctypes.c_void_p(1)
    assert lib.copyeta_monitor_create(b"fast", 0.8, None, ctypes.byref(handle)) == INVALID_ARGUMENT
    assert handle.value is None
    assert "unknown model 'fast'" in last_error(lib)
    assert lib.copyeta_monitor_create(None, 1.0, None, ctypes.byref(handle)) == INVALID_ARGUMENT
    assert "level = 1" in last_error(lib)
    assert lib.copyeta_monitor_create(None, 0.8, None, None) == NULL_ARGUMENT

    m = monitor(lib)
    try:
        assert add(lib, m, 0.0, 0, 100) == OK
        assert add(lib, m, math.nan, 10, 100) == SAMPLE_REJECTED
        assert "[copyeta.sample.time_not_finite]" in last_error(lib)
        assert add(lib, m, -1.0, 10, 100) == SAMPLE_REJECTED
        assert "[copyeta.sample.time_backwards]" in last_error(lib)
        accepted, rejected = ctypes.c_uint64(), ctypes.c_uint64()
        assert lib.copyeta_monitor_counts(m, ctypes.byref(accepted), ctypes.byref(rejected)) == OK
        assert (accepted.value, rejected.value) == (1, 2)
        assert lib.copyeta_monitor_add(None, 1.0, 1, None) == NULL_ARGUMENT
        small = Estimate()
        small.struct_size = 100
        assert lib.copyeta_monitor_estimate(m, 0.0, ctypes.byref(small)) == INVALID_ARGUMENT
        assert "struct_size = 100 is below 120" in last_error(lib)
    finally:
        lib.copyeta_monitor_destroy(m)
    lib.copyeta_monitor_destroy(None)

    cal = ctypes.c_void_p()
    missing = tmp_path / "missing.json"
    assert lib.copyeta_calibration_load(str(missing).encode(), ctypes.byref(cal)) == IO
    assert f"{missing}: cannot open the calibration: No such file or directory" in last_error(lib)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "copyeta.calibration", "version": 1}')
    assert lib.copyeta_calibration_load(str(bad).encode(), ctypes.byref(cal)) == BAD_INPUT
    assert str(bad) in last_error(lib) and "bad field" in last_error(lib)
    assert cal.value is None


def test_the_last_error_belongs_to_its_thread(lib):
    handle = ctypes.c_void_p()
    assert lib.copyeta_monitor_create(b"slow", 0.8, None, ctypes.byref(handle)) == INVALID_ARGUMENT
    seen = {}

    def other():
        seen["before"] = last_error(lib)
        lib.copyeta_monitor_create(b"other", 0.8, None, ctypes.byref(ctypes.c_void_p()))
        seen["after"] = last_error(lib)

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert seen["before"] == ""
    assert "unknown model 'other'" in seen["after"]
    assert "unknown model 'slow'" in last_error(lib)


def test_a_calibration_passed_to_create_is_used(lib, tmp_path):
    builtin = ctypes.c_void_p()
    assert lib.copyeta_calibration_builtin(ctypes.byref(builtin)) == OK
    path = tmp_path / "site.json"
    assert lib.copyeta_calibration_save(builtin, str(path).encode()) == OK
    lib.copyeta_calibration_destroy(builtin)

    # Another calibration: everything on robust_window, which moves the forecast.
    doc = json.loads(path.read_text())
    assert doc["format"] == "copyeta.calibration" and doc["version"] == 1
    doc["weights"] = [1.0, 0.0, 0.0]
    other = tmp_path / "other.json"
    other.write_text(json.dumps(doc))

    def final_estimate(calibration):
        m = monitor(lib, calibration=calibration)
        try:
            for t, done, total in read_trace(TRACE)[:15]:
                add(lib, m, t, done, total)
            return estimate(lib, m, t)
        finally:
            lib.copyeta_monitor_destroy(m)

    loaded, changed = ctypes.c_void_p(), ctypes.c_void_p()
    assert lib.copyeta_calibration_load(str(path).encode(), ctypes.byref(loaded)) == OK
    assert lib.copyeta_calibration_load(str(other).encode(), ctypes.byref(changed)) == OK
    jobs = ctypes.c_uint64()
    assert lib.copyeta_calibration_jobs(changed, ctypes.byref(jobs)) == OK
    assert jobs.value == doc["jobs"]
    try:
        shipped, same, moved = final_estimate(None), final_estimate(loaded), final_estimate(changed)
        assert STATES[shipped.state] == "ok"
        assert bytes(same) == bytes(shipped)
        assert (moved.remaining, moved.lo, moved.hi) != (shipped.remaining, shipped.lo, shipped.hi)
        # JSON text round trip, through a buffer sized by a first call.
        needed = ctypes.c_size_t()
        assert lib.copyeta_calibration_to_json(changed, None, 0, ctypes.byref(needed)) == BUFFER_TOO_SMALL
        text = ctypes.create_string_buffer(needed.value + 1)
        assert lib.copyeta_calibration_to_json(changed, text, len(text), None) == OK
        assert json.loads(text.value.decode())["weights"] == [1, 0, 0]
        again = ctypes.c_void_p()
        assert lib.copyeta_calibration_from_json(text.value, needed.value, ctypes.byref(again)) == OK
        assert bytes(final_estimate(again)) == bytes(moved)
        lib.copyeta_calibration_destroy(again)
    finally:
        lib.copyeta_calibration_destroy(loaded)
        lib.copyeta_calibration_destroy(changed)


def test_formatting_into_a_buffer(lib):
    m = monitor(lib)
    try:
        for t, done, total in read_trace(TRACE)[:10]:
            add(lib, m, t, done, total)
        e = estimate(lib, m, read_trace(TRACE)[9][0])
    finally:
        lib.copyeta_monitor_destroy(m)
    length = ctypes.c_size_t()
    buffer = ctypes.create_string_buffer(200)
    assert lib.copyeta_format(ctypes.byref(e), FORMAT_STATUS, 1.7e9, 0, buffer, 200,
                              ctypes.byref(length)) == OK
    line = buffer.value.decode()
    assert re.fullmatch(r"\d+%  ETA .+", line) and len(buffer.value) == length.value
    assert "±" in line or "–" in line
    # Truncated: a valid UTF-8 prefix, NUL-terminated, and the full length reported.
    for size in range(1, length.value + 1):
        small = ctypes.create_string_buffer(size)
        assert lib.copyeta_format(ctypes.byref(e), FORMAT_STATUS, 1.7e9, 0, small, size,
                                  ctypes.byref(length)) == BUFFER_TOO_SMALL
        prefix = small.value.decode()  # raises on a split character
        assert line.startswith(prefix) and len(small.value) >= size - 3
    assert lib.copyeta_format_duration(90.0, buffer, 200, None) == OK
    assert buffer.value == b"1 minute 30 seconds"
    assert lib.copyeta_format_amount(12 << 30, 0, buffer, 200, None) == OK
    assert buffer.value == b"12 GiB"
    assert lib.copyeta_error_string(BUFFER_TOO_SMALL).decode().startswith("the text was truncated")
