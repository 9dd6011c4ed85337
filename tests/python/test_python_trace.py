"""copyeta.Trace and read_trace: trace CSVs and raw tool logs, read by the C++ parsers."""
import pickle
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import copyeta
from copyeta import _core
from copyeta._trace import TraceWarning, read_traces

DATA = Path(__file__).resolve().parents[1] / "data"
TRACES = DATA / "traces"
FORMATS = DATA / "formats"

# Raw logs whose every timed progress line is a row of the trace CSV next to them (the other
# CSVs keep a subset of the lines, or derive t from log timestamps).
RAW_EQUALS_CSV = [
    "curl_meter_11_5G_failed_at_642M_patchedsur50",
    "curl_meter_macos_installer_11_5G_eraseinstall181",
    "curl_meter_slow_11_5G_patchedsur19",
    "etcher_flash_pct_eta_etcher1689",
    "etcher_flash_pct_eta_etcher2894",
    "ghost_rowcopy_4_8M_rows_ghost597",
    "ghost_rowcopy_590k_rows_ghost482",
    "proxmox_clone_mirror_32GiB_moosefs46",
    "proxmox_qmrestore_vma_lzo_136GB_forum38703",
    "proxmox_vzdump_legacy_status_270GB_checkmk4",
    "proxmox_vzdump_vm1020_25GiB",
    "rclone_v138_stats1s_mkv_upload_rclone1782",
    "rclone_v14x_onedrive_upload_11_2G_3h25m_errors_unfinished_jsb0227",
    "zfs_send_Pv_39GB_zfs10215",
]


def read_quietly(path, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return copyeta.read_trace(path, **kwargs)


def test_read_trace_csv_matches_the_file():
    path = TRACES / "curl_meter_catalina_7379M_eraseinstall76.csv"
    tr = read_quietly(path)
    csv = pd.read_csv(path)
    assert tr.name == path.stem and tr.format == "csv" and tr.unit == "bytes"
    assert tr.source == str(path)
    assert len(tr) == len(csv)
    np.testing.assert_array_equal(tr.t, csv["t_seconds"])
    assert tr.done.dtype == np.uint64
    np.testing.assert_array_equal(tr.done, csv["bytes_done"])
    assert tr.total.dtype == pd.UInt64Dtype()
    assert (tr.total == csv["bytes_total"]).all()
    np.testing.assert_array_equal(tr.tool_eta, csv["tool_eta_seconds"])
    assert repr(tr).startswith(f"Trace(name='{path.stem}', rows=16, t=0..15 s")
    assert len(tr._core) == len(tr) and tr._core.name == path.stem


def test_to_frame_has_the_csv_columns():
    tr = read_quietly(TRACES / "proxmox_vzdump_vm1020_25GiB.csv")
    frame = tr.to_frame()
    assert list(frame.columns) == ["t_seconds", "bytes_done", "bytes_total"]
    assert frame.dtypes.tolist() == [np.float64, np.uint64, pd.UInt64Dtype()]
    pd.testing.assert_frame_equal(
        frame, pd.read_csv(TRACES / "proxmox_vzdump_vm1020_25GiB.csv",
                           usecols=["t_seconds", "bytes_done", "bytes_total"],
                           dtype={"t_seconds": np.float64, "bytes_done": np.uint64,
                                  "bytes_total": "UInt64"}))


def test_end_is_the_first_row_that_reaches_the_total():
    assert read_quietly(TRACES / "proxmox_vzdump_vm1020_25GiB.csv").end == 42.0
    assert read_quietly(TRACES / "curl_meter_11_5G_failed_at_642M_patchedsur50.csv").end is None
    assert copyeta.Trace([0, 1, 2, 3], [0, 5, 10, 10], total=10).end == 2.0
    assert copyeta.Trace([0, 1], [0, 5]).end is None


def test_rejected_csv_rows_are_reported_and_kept_out(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("t_seconds,bytes_done,bytes_total\n"
                    "0,0,100\n"
                    "1,ten,100\n"
                    "2,20,100\n"
                    "3,-5,100\n"
                    "4,40,\n")
    with pytest.warns(TraceWarning) as caught:
        tr = copyeta.read_trace(path)
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2
    assert messages[0].startswith(f"{path}:3: column bytes_done: 'ten'")
    assert messages[1].startswith(f"{path}:5: column bytes_done: '-5'")
    assert all(m.endswith("row left out") for m in messages)
    assert caught[0].filename == __file__  # the warning points at the caller
    np.testing.assert_array_equal(tr.t, [0.0, 2.0, 4.0])
    np.testing.assert_array_equal(tr.done, [0, 20, 40])
    assert tr.total.tolist() == [100, 100, pd.NA]


def test_a_csv_without_its_columns_raises(tmp_path):
    path = tmp_path / "nocolumn.csv"
    path.write_text("t_seconds,bytes\n0,1\n")
    with pytest.raises(ValueError, match="missing column 'bytes_done'"):
        copyeta.read_trace(path)
    with pytest.raises(OSError):
        copyeta.read_trace(tmp_path / "absent.csv")


def test_read_trace_on_a_dd_log():
    tr = read_quietly(FORMATS / "dd_status_progress_1.txt")
    assert tr.format == "dd" and tr.unit == "bytes" and tr.name == "dd_status_progress_1"
    np.testing.assert_array_equal(tr.t, [3058.0, 3059.0, 3060.0, 3061.0, 3062.0])
    assert tr.done[0] == 117579644928
    assert tr.total.isna().all()
    forced = read_quietly(FORMATS / "dd_status_progress_1.txt", format="dd")
    np.testing.assert_array_equal(forced.done, tr.done)


def test_carriage_returns_separate_lines_like_newlines(tmp_path):
    text = (FORMATS / "dd_status_progress_1.txt").read_bytes()
    redrawn = tmp_path / "redrawn.log"
    redrawn.write_bytes(text.replace(b"\n", b"\r"))
    tr = read_quietly(redrawn)
    expected = read_quietly(FORMATS / "dd_status_progress_1.txt")
    np.testing.assert_array_equal(tr.t, expected.t)
    np.testing.assert_array_equal(tr.done, expected.done)


@pytest.mark.parametrize("name", RAW_EQUALS_CSV)
def test_a_raw_log_reads_as_its_trace_csv(name):
    raw = read_quietly(TRACES / f"{name}.raw")
    csv = read_quietly(TRACES / f"{name}.csv")
    assert raw.format != "csv" and len(raw) == len(csv)
    np.testing.assert_array_equal(raw.t, csv.t)
    np.testing.assert_array_equal(raw.done, csv.done)
    assert raw.total.equals(csv.total)
    # Etcher prints its ETA with many decimals; the CSV keeps two.
    np.testing.assert_allclose(raw.tool_eta, csv.tool_eta, rtol=1e-3)


def test_untimed_progress_lines_are_reported_and_left_out():
    name = "curl_meter_11_5G_failed_at_1GiB_patchedsur45"
    path = TRACES / f"{name}.raw"
    with pytest.warns(TraceWarning, match=rf"{name}\.raw: lines 1, 2: progress lines without the "
                                          "tool's elapsed time; left out"):
        raw = copyeta.read_trace(path)
    csv = read_quietly(TRACES / f"{name}.csv")
    np.testing.assert_array_equal(raw.t, csv.t)
    np.testing.assert_array_equal(raw.done, csv.done)


def test_percent_only_logs_use_the_pct_convention():
    tr = read_quietly(TRACES / "etcher_flash_pct_eta_etcher1689.raw")
    assert tr.unit == "percent" and tr.format == "etcher"
    assert (tr.total == 100_000_000).all()
    assert tr.done.max() <= 100_000_000


def test_gh_ost_counts_rows():
    assert read_quietly(TRACES / "ghost_rowcopy_4_8M_rows_ghost597.raw").unit == "rows"


@pytest.mark.parametrize("name, fmt", [("aws_s3_cp_1.txt", "aws_s3"),
                                       ("rsync_progress_1.txt", "rsync"),
                                       ("qemu_img_convert_p_1.txt", "qemu_img")])
def test_a_log_without_times_raises_naming_file_and_format(name, fmt):
    with pytest.raises(ValueError, match=rf"{name}: the tool prints no times: its {fmt} progress"):
        copyeta.read_trace(FORMATS / name)


def test_a_log_without_progress_lines_raises(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello\nworld\n")
    with pytest.raises(ValueError, match=r"notes\.txt: no progress line recognised in 2 lines"):
        copyeta.read_trace(path)
    with pytest.raises(ValueError, match="nonsense"):
        copyeta.read_trace(FORMATS / "dd_status_progress_1.txt", format="nonsense")


def test_parse_tool_log_takes_str_or_bytes_and_counts_other_lines():
    text = (FORMATS / "dd_status_progress_1.txt").read_bytes()
    from_bytes = _core._parse_tool_log(text, "dd1")
    from_str = _core._parse_tool_log(text.decode(), "dd1")
    assert from_bytes["format"] == from_str["format"] == "dd"
    np.testing.assert_array_equal(from_bytes["done"], from_str["done"])
    assert from_bytes["lines"] == 6 and from_bytes["skipped"] == 1
    assert from_bytes["line"].tolist() == [2, 3, 4, 5, 6]
    with pytest.raises(TypeError, match="str or bytes"):
        _core._parse_tool_log(FORMATS / "dd_status_progress_1.txt", "dd1")


def test_trace_from_columns_is_exact_and_pickles():
    top = 2**64 - 1
    tr = copyeta.Trace([0.0, 1.0, 2.0], [top - 2, top - 1, top], total=[None, top, top],
                       name="big")
    assert tr.done.tolist() == [top - 2, top - 1, top]
    assert tr.total.tolist() == [pd.NA, top, top]
    assert tr.end == 2.0 and tr.format is None and tr.unit == "bytes"
    back = pickle.loads(pickle.dumps(tr))
    assert back.total.equals(tr.total) and back.done.tolist() == tr.done.tolist()
    assert len(back._core) == 3 and back._core.name == "big"
    with pytest.raises(ValueError, match=r"done\[1\] = -1.0 is not an amount"):
        copyeta.Trace([0, 1], [0, -1])
    with pytest.raises(ValueError, match="total has 1 values, t has 2"):
        copyeta.Trace([0, 1], [0, 1], total=[5])


def test_trace_replay_is_copyeta_replay():
    tr = read_quietly(TRACES / "proxmox_vzdump_vm1020_25GiB.csv")
    pd.testing.assert_frame_equal(tr.replay(level=0.9),
                                  copyeta.replay(tr.t, tr.done, tr.total, level=0.9))
    assert tr.replay()["state"].iloc[-1] == "finished"


def test_read_traces_reads_every_csv_in_order():
    traces = read_traces(TRACES)
    names = sorted(p.stem for p in TRACES.glob("*.csv"))
    assert [tr.name for tr in traces] == names
    assert all(tr.format == "csv" and len(tr) > 0 for tr in traces)
