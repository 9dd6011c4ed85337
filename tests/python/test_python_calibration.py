"""copyeta.Calibration from Python: fit on traces, update, save and load, pickle."""
import json
import pickle
from pathlib import Path

import pytest

import copyeta
from copyeta._trace import read_traces

TRACES = Path(__file__).resolve().parents[1] / "data" / "traces"


@pytest.fixture(scope="module")
def traces():
    return read_traces(TRACES)


def test_fit_on_the_repo_traces_is_the_shipped_calibration(traces):
    # scripts/calibrate makes src/calibration/default_calibration.json from these traces. The
    # file keeps 9 significant digits, so the fit equals it once written as JSON.
    fitted = copyeta.Calibration.fit(traces)
    builtin = copyeta.Calibration.builtin()
    assert fitted.to_json() == builtin.to_json()
    assert copyeta.Calibration.from_json(fitted.to_json()) == builtin
    assert fitted.jobs == builtin.jobs > 0
    assert fitted.weights == builtin.weights
    assert sum(fitted.weights.values()) == pytest.approx(1.0)


def test_update_learns_one_more_job(traces):
    calibration = copyeta.Calibration.builtin()
    finished = next(tr for tr in traces if tr.end is not None and len(tr) >= 10)
    calibration.update(finished)
    assert calibration.jobs == copyeta.Calibration.builtin().jobs + 1
    assert calibration.weights == copyeta.Calibration.builtin().weights
    assert calibration != copyeta.Calibration.builtin()


def test_update_refuses_a_trace_it_cannot_score():
    short = copyeta.Trace([0.0, 1.0], [0, 1], total=100, name="short")
    with pytest.raises(ValueError, match="short cannot be scored"):
        copyeta.Calibration().update(short)


def test_save_and_load_round_trip(tmp_path, traces):
    calibration = copyeta.Calibration.fit(traces[:20])
    path = tmp_path / "site.json"
    calibration.save(str(path))
    loaded = copyeta.Calibration.load(str(path))
    assert loaded.to_json() == calibration.to_json() == path.read_text()
    assert loaded == copyeta.Calibration.from_json(calibration.to_json())
    header = json.loads(path.read_text())
    assert header["format"] == "copyeta.calibration" and header["version"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["site.json"]  # no temporary left behind


def test_pickle_round_trip(traces):
    builtin = copyeta.Calibration.builtin()
    assert pickle.loads(pickle.dumps(builtin)) == builtin
    fitted = copyeta.Calibration.fit(traces[:20])
    back = pickle.loads(pickle.dumps(fitted))
    assert back.to_json() == fitted.to_json()
    assert back == fitted  # every bit: pickling writes exact numbers


def test_pickle_is_lossless():
    # Untrained, its weights are thirds, which 9 digits would not keep.
    assert pickle.loads(pickle.dumps(copyeta.Calibration())) == copyeta.Calibration()


def test_files_keep_nine_digits_and_exact_json_keeps_every_bit(traces):
    fitted = copyeta.Calibration.fit(traces[:5])
    assert copyeta.Calibration.from_json(fitted.to_json(exact=True)) == fitted
    # 9 significant digits at most in the file format (the same file on every platform).
    import re
    digits = [len(m.replace(".", "").lstrip("0")) for m in re.findall(r"\d+\.\d+", fitted.to_json())]
    assert max(digits) <= 9


def test_fitting_something_that_is_no_trace_raises_type_error(traces):
    with pytest.raises(TypeError, match="expected a copyeta.Trace, got 'trace.csv'"):
        copyeta.Calibration.fit(["trace.csv"])
    with pytest.raises(TypeError, match="expected a copyeta.Trace"):
        copyeta.Calibration.fit([traces[0], 42])
    with pytest.raises(TypeError):
        copyeta.Calibration().update(traces[0].to_frame())


@pytest.mark.parametrize("text, message", [
    ('{"format": "copyeta.calibration", "version": 1, "weights": [1', "not valid JSON"),
    ("", "not valid JSON"),
    ('{"format": "something.else", "version": 1}', "format"),
    ('{"format": "copyeta.calibration", "version": 99}', "version"),
])
def test_a_corrupt_file_raises_value_error_naming_it(tmp_path, text, message):
    path = tmp_path / "broken.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=rf"\[copyeta\.input\] {path}: .*{message}"):
        copyeta.Calibration.load(str(path))
    with pytest.raises(ValueError, match="cannot open"):
        copyeta.Calibration.load(str(tmp_path / "absent.json"))
