#!/usr/bin/env python3
"""Writes the fuzz targets' seed inputs into a folder (default: build-fuzz/seeds/<target>/).

The seeds come from the project's test data (tests/data/formats, tests/data/traces: copies of
../shared/formats and ../shared/traces), the shipped calibration
(src/calibration/default_calibration.json) and a few hand-made edge cases (calibration evidence
in its JSON format among them). scripts/fuzz runs the
targets on them together with the committed corpora (tests/fuzz/corpus/<target>/) and merges
what adds coverage back into the corpora, minimised; the seeds themselves are not committed.

Usage: tests/fuzz/make_seeds.py [OUT_DIR]
"""
import hashlib
import math
import re
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"


def progress_formats():
    """The formats in the order of progress_formats() (progress_line-inl.hpp's table)."""
    text = (ROOT / "include/copyeta/progress_line-inl.hpp").read_text()
    return re.findall(r'\{"(\w+)", parsers::make_\w+_parser\}', text)


def model_count():
    text = (ROOT / "include/copyeta/models-inl.hpp").read_text()
    body = re.search(r"model_names\(\) \{.*?names\{(.*?)\};", text, re.S).group(1)
    return len(re.findall(r'"\w+"', body))


def format_of(file_name, formats):
    """The parser for a tests/data/formats file: its name starts with the format's name."""
    for name in sorted(formats, key=len, reverse=True):
        if file_name.startswith(name):
            return name
    aliases = {"etcher_log": "etcher", "ghost_status": "ghost"}
    for prefix, name in aliases.items():
        if file_name.startswith(prefix):
            return name
    return None


def head(path, lines, max_bytes=4096):
    data = path.read_bytes()
    cut = b"".join(data.splitlines(keepends=True)[:lines])
    return cut[:max_bytes]


class Seeds:
    def __init__(self, out):
        self.out = out

    def add(self, target, data):
        folder = self.out / target
        folder.mkdir(parents=True, exist_ok=True)
        (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def progress_line(seeds):
    formats = progress_formats()
    detect = len(formats)  # the first byte past the formats means detection
    for path in sorted((DATA / "formats").glob("*.txt")):
        name = format_of(path.name, formats)
        text = head(path, 15)
        if name is not None:
            seeds.add("progress_line", bytes([formats.index(name)]) + text)
        seeds.add("progress_line", bytes([detect]) + text)
    # Raw tool output of the traces, detected.
    for path in sorted((DATA / "traces").glob("*.raw")):
        seeds.add("progress_line", bytes([detect]) + head(path, 20))
    hand_made = [
        b"12/100\n50%\n  7 / 9 \r99.5%\r\n",
        b"\r\r\n\n\r",
        b"100%\n" * 3,
        b"18446744073709551615/18446744073709551615\n18446744073709551616/1\n",
        b"-5/10\n1e999%\nnan%\ninf/inf\n",
        b"x" * 300 + b"\n",
    ]
    for text in hand_made:
        seeds.add("progress_line", bytes([formats.index("generic")]) + text)
        seeds.add("progress_line", bytes([detect]) + text)


def trace_csv(seeds):
    for path in sorted((DATA / "traces").glob("*.csv")):
        seeds.add("trace_csv", head(path, 25))
    hand_made = [
        b"t_seconds,bytes_done,bytes_total\n",
        b"bytes_done,t_seconds\n1,0\n2,1\n",
        b"t_seconds,bytes_done,bytes_total,tool_eta_seconds\n0,0,,\n1,10,100,9\n1,10,100,9\n",
        b"t_seconds,bytes_done\n nan, 1\ninf,2\n-inf,3\n1e308,4\n",
        b"t_seconds,bytes_done,bytes_total\n0,18446744073709551615,18446744073709551615\n"
        b"1,18446744073709551616,1\n2,-1,1.5e19\n3,+7,1e400\n",
        b"\n\n  \nt_seconds , bytes_done\r\n0 , 1\r\n,\n\n1\n",
        b"x,y\n1,2\n",
        b"t_seconds,bytes_done\n0,1,2,3,4\n0.5e1,2.5\n0x10,1\n",
    ]
    for text in hand_made:
        seeds.add("trace_csv", text)


def calibration(seeds):
    shipped = (ROOT / "src/calibration/default_calibration.json").read_bytes()
    seeds.add("calibration", shipped)
    seeds.add("calibration", shipped[: len(shipped) // 2])  # truncated
    seeds.add("calibration", shipped.replace(b'"version": 1', b'"version": 2'))
    seeds.add("calibration", shipped.replace(b'"jobs": ', b'"jobs": -'))
    hand_made = [
        b"",
        b"{}",
        b"[]",
        b'{"format": "copyeta.calibration", "version": 1}',
        b'{"format": "copyeta.calibration", "version": 1.5e300, "weights": [1, 0, 0]}',
        b'{"format": 7}',
        b"1e999",
        b'"\\ud800"',
    ]
    for text in hand_made:
        seeds.add("calibration", text)


def evidence(seeds):
    head = b'{"format": "copyeta.evidence", "version": 1, ' \
           b'"components": ["robust_window", "drift_diffusion", "kalman"], '
    point = b"[0, 3.29, 3.30, 0.31, 3.29, 0.83, 3.30, 0.83]"
    late = b"[2, 1.1, 1.0, 0.2, null, null, 1.2, 0.4]"
    jobs = [
        b'"jobs": [], "skipped": []}',
        b'"jobs": [{"name": "a", "points": [' + point + b", " + late + b']}], "skipped": []}',
        b'"jobs": [{"name": "a", "points": [' + point + b']}, {"name": "b", "points": [' + late +
        b']}], "skipped": [{"name": "c", "why": "5 rows and no real end"}]}',
        b'"jobs": [{"name": "a", "points": [[1, 2e6, 0, 0, 0, 0, 0, 0]]}], "skipped": []}',
        b'"jobs": [{"name": "a", "points": [[7, 1, 1, 1, 1, 1, 1, 1]]}], "skipped": []}',
        b'"jobs": [{"name": "a", "points": []}, {"name": "a", "points": []}], "skipped": []}',
    ]
    for text in jobs:
        seeds.add("evidence", head + text)
        seeds.add("evidence", (head + text)[: len(head + text) // 2])  # truncated
    for text in [b"", b"{}", b"[]", b'{"format": "copyeta.evidence", "version": 2}', b"1e999"]:
        seeds.add("evidence", text)


def units(seeds):
    # The first byte picks: 0-2 parse_size in each convention, 3 parse_duration, 4 parse_amount.
    sizes = ["32G", "1.5 GiB", "105.45M", "4077k", "118 GB", "512", "74.996 MBytes", "32.183Mi",
             "136.232 GiByte", "16E", "18446744073709551615", "18446744073709551616", "0.5B",
             "1.5 bytes", " 7 KiB ", "1..2K", ".5M", "5.M"]
    durations = ["0:02:50", "2:50", "1:02:03:04", "11m49s", "1h2m3s", "19.8s", "3058 s",
                 "5d 03h", "42", "--:--:--", "??:??:??", "N/A", "1s 6ms", "0.012 secs", "5 min",
                 "99999999999999999999:00", "1w 2d", "1:60"]
    amounts = ["0", "+7", "1e19", "-1", "nan", "inf", "1.5", "18446744073709551615",
               "18446744073709551616", "1e-400", "0x10", ""]
    for text in sizes:
        for convention in range(3):
            seeds.add("units", bytes([convention]) + text.encode())
    for text in durations:
        seeds.add("units", bytes([3]) + text.encode())
    for text in amounts:
        seeds.add("units", bytes([4]) + text.encode())


def monitor_ops(model, rows, knobs=0):
    """Encodes samples (t, done, total) as fuzz_monitor operations: raw values, and an estimate
    after each sample (operation bytes as fuzz_monitor.cpp decodes them)."""
    out = bytearray([model, knobs])
    for t, done, total in rows:
        out += bytes([1, 3]) + struct.pack("<d", t)          # add; t: any double
        out += bytes([3]) + struct.pack("<Q", done)          # done: any amount
        if total is None:
            out += bytes([0])                                # total unknown
        else:
            out += bytes([2]) + struct.pack("<Q", total)     # total: any amount
        out += bytes([0, 1, 4])                              # estimate at t + 1s
    return bytes(out)


def trace_rows(path, limit):
    rows = []
    lines = path.read_text().splitlines()
    header = [h.strip() for h in lines[0].split(",")]
    t_col, done_col = header.index("t_seconds"), header.index("bytes_done")
    total_col = header.index("bytes_total") if "bytes_total" in header else None
    step = max(1, (len(lines) - 1) // limit)
    for line in lines[1::step][:limit]:
        fields = [f.strip() for f in line.split(",")]
        try:
            t, done = float(fields[t_col]), int(float(fields[done_col]))
        except (ValueError, IndexError):
            continue
        total = None
        if total_col is not None and total_col < len(fields) and fields[total_col]:
            total = int(float(fields[total_col]))
        rows.append((t, done, total))
    return rows


def monitor(seeds):
    traces = sorted((DATA / "traces").glob("*.csv"))[::8]  # a handful, spread over the tools
    for model in range(model_count()):
        for path in traces[:3]:
            seeds.add("monitor", monitor_ops(model, trace_rows(path, 24)))
        # Edge cases: equal times, a restart, values near 2^64, NaN and infinite times.
        big = 2**64 - 1
        seeds.add("monitor", monitor_ops(model, [
            (0.0, 0, 100), (0.0, 10, 100), (1.0, 5, 100), (2.0, 50, None), (2.0, 100, None)]))
        seeds.add("monitor", monitor_ops(model, [
            (0.0, big - 1000, big), (1.0, big - 500, big), (2.0, big, big)], knobs=0x21))
        seeds.add("monitor", monitor_ops(model, [
            (math.nan, 1, 10), (math.inf, 2, 10), (-1e308, 3, 10), (1e308, 4, 10),
            (1e308, 10, 10)], knobs=0x0a))


def main():
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build-fuzz" / "seeds"
    seeds = Seeds(out)
    for make in (progress_line, trace_csv, calibration, evidence, units, monitor):
        make(seeds)
    for folder in sorted(out.iterdir()):
        files = list(folder.iterdir())
        print(f"seeds: {folder.name}: {len(files)} inputs, "
              f"{sum(f.stat().st_size for f in files) // 1024} KiB")


if __name__ == "__main__":
    main()
