"""`copyeta backtest DIR` and `copyeta calibrate DIR --output FILE`."""
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

CLI = os.environ.get("COPYETA_CLI")
TRACES = Path(__file__).resolve().parents[1] / "data" / "traces"
MODELS = ["default", "robust_window", "drift_diffusion", "kalman", "average", "pv", "rsync",
          "progress", "tqdm", "indicatif", "rich"]

pytestmark = pytest.mark.skipif(not CLI, reason="COPYETA_CLI is not set (run under ctest)")


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True)


def table(text, title):
    """The rows of the markdown table under a '### title (' heading, by model name."""
    section = text.split(f"### {title} (", 1)[1].split("\n\n", 2)[1]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] in ("model", "---"):
            continue
        rows[cells[0].replace(" (peer)", "")] = cells[1:]
    return rows


def test_backtest_prints_every_model_side_by_side_for_each_kind_of_end():
    done = run("backtest", str(TRACES))
    assert done.returncode == 0, done.stderr
    for title in ("Real ends and milestones", "Real ends", "Milestones"):
        rows = table(done.stdout, title)
        assert list(rows) == MODELS
        for cells in rows.values():
            q_error, coverage = float(cells[0]), float(cells[1])
            assert 0 <= q_error < 5 and 0 <= coverage <= 1
    counts = re.findall(r"### (.+) \((\d+) traces", done.stdout)
    total = dict(counts)
    assert int(total["Real ends and milestones"]) == int(total["Real ends"]) + int(total["Milestones"])
    assert "Not scored" in done.stdout  # the short traces are listed with the reason


def test_backtest_level_and_model_choice(tmp_path):
    done = run("backtest", str(TRACES), "--level", "0.9", "--model", "default", "--model", "tqdm",
               "--per-trace")
    assert done.returncode == 0, done.stderr
    assert "level 0.9" in done.stdout
    assert list(table(done.stdout, "Real ends")) == ["default", "tqdm"]
    assert "| dd_progress_psbbn87_120GB_fsync_tail | real_end | 348 |" in done.stdout
    for title in ("Median q-error", "Coverage", "Flip-flop"):
        assert f"### {title} per trace" in done.stdout


def test_backtest_reports_a_bad_file_and_goes_on(tmp_path):
    (tmp_path / "good.csv").write_text(
        "t_seconds,bytes_done,bytes_total\n" + "".join(f"{t},{10 * t},100\n" for t in range(11)))
    (tmp_path / "bad.csv").write_text("time,amount\n0,0\n")
    done = run("backtest", str(tmp_path))
    assert done.returncode == 0
    assert "bad.csv" in done.stderr and "file skipped" in done.stderr
    assert "(1 traces" in done.stdout


def test_backtest_errors_have_the_contract_exit_codes(tmp_path):
    missing = run("backtest", str(tmp_path / "missing"))
    assert missing.returncode == 1 and "cannot read the folder" in missing.stderr
    assert run("backtest", str(TRACES), "--model", "nope").returncode == 2
    assert run("backtest", str(TRACES), "--level", "2").returncode == 2


def test_calibrate_writes_versioned_json(tmp_path):
    out = tmp_path / "site.json"
    done = run("calibrate", str(TRACES), "--output", str(out))
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text())
    assert data["format"] == "copyeta.calibration" and data["version"] == 1
    assert data["components"] == ["robust_window", "drift_diffusion", "kalman"]
    assert abs(sum(data["weights"]) - 1) < 1e-6
    assert data["jobs"] >= 20


def test_replay_uses_a_site_calibration(tmp_path):
    site = tmp_path / "site.json"
    assert run("calibrate", str(TRACES), "--output", str(site)).returncode == 0
    trace = TRACES / "wget_dot_physionet_edf_40MiB_slow_rising_18m7s_tderived_complete_bfipipeline.csv"
    shipped = run("replay", str(trace), "--jsonl")
    own = run("replay", str(trace), "--jsonl", "--calibration", str(site))
    assert own.returncode == 0, own.stderr
    # Calibrated on the same traces with the same code, the site file is the shipped one.
    assert own.stdout == shipped.stdout
    # A calibration that saw only one job is a different one.
    one = tmp_path / "one"
    one.mkdir()
    (one / "t.csv").write_text(trace.read_text())
    assert run("calibrate", str(one), "--output", str(tmp_path / "one.json")).returncode == 0
    other = run("replay", str(trace), "--jsonl", "--calibration", str(tmp_path / "one.json"))
    assert other.returncode == 0 and other.stdout != shipped.stdout
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    refused = run("replay", str(trace), "--calibration", str(bad))
    assert refused.returncode == 1 and "not a copyeta calibration" in refused.stderr
    assert run("replay", str(trace), "--calibration", str(site), "--model", "tqdm").returncode == 2
