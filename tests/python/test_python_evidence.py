"""copyeta.CalibrationEvidence: mergeable calibration state, exact in any merge order."""
import json
import pickle
import random
from pathlib import Path

import pytest

import copyeta

TRACES = Path(__file__).resolve().parents[1] / "data" / "traces"


@pytest.fixture(scope="module")
def traces():
    return copyeta.read_traces(TRACES)


@pytest.fixture(scope="module")
def single_process(traces):
    return copyeta.Calibration.fit(traces)


@pytest.fixture(scope="module")
def everything(traces):
    return copyeta.CalibrationEvidence(traces)


def test_holds_every_trace_and_fits_what_one_process_fits(traces, single_process, everything):
    assert len(everything) + len(everything.skipped) == len(traces)
    assert everything.names == sorted(everything.names)
    assert everything.jobs == single_process.jobs > 20
    assert "ddrescue_1TB_failing_hdd_tail_niksko" in dict(everything.skipped)
    assert everything.fit() == single_process
    assert everything.fit().to_json(exact=True) == single_process.to_json(exact=True)
    # A folder reads as copyeta.read_traces does.
    assert copyeta.CalibrationEvidence(TRACES) == everything


def test_json_and_pickle_round_trip_exactly(everything, single_process):
    text = everything.to_json()
    head = json.loads(text)
    assert (head["format"], head["version"]) == ("copyeta.evidence", 1)
    assert [job["name"] for job in head["jobs"]] == everything.names
    back = copyeta.CalibrationEvidence.from_json(text)
    assert back == everything and back.to_json() == text
    assert back.fit() == single_process
    again = pickle.loads(pickle.dumps(everything))
    assert again == everything and again.fit() == single_process
    assert pickle.loads(pickle.dumps(everything._core)) == everything._core


@pytest.mark.parametrize("seed", range(6))
def test_any_partition_and_merge_order_fits_the_same_calibration(traces, everything,
                                                                 single_process, seed):
    rng = random.Random(seed)
    shuffled = list(traces)
    rng.shuffle(shuffled)
    workers = rng.randint(2, 9)
    parts = [shuffled[i::workers] for i in range(workers)]
    # Each worker's state crosses to the coordinator as JSON, then merges in a random tree.
    states = [copyeta.CalibrationEvidence.from_json(copyeta.CalibrationEvidence(p).to_json())
              for p in parts]
    while len(states) > 1:
        a, b = rng.sample(range(len(states)), 2)
        merged = states[a] | states[b] if rng.random() < 0.5 else states[b].merge(states[a])
        states = [s for i, s in enumerate(states) if i not in (a, b)] + [merged]
    (merged,) = states
    assert merged == everything
    assert merged.to_json() == everything.to_json()
    fitted = merged.fit()
    assert fitted == single_process
    assert fitted.to_json(exact=True) == single_process.to_json(exact=True)


def test_the_order_of_the_sums_would_matter(traces, single_process):
    # Why the evidence is kept per job: summing the same jobs in another order changes the last
    # bits, so states summed as they arrive would not merge exactly.
    shuffles = [random.Random(seed).sample(traces, len(traces)) for seed in range(3)]
    assert any(copyeta.Calibration.fit(s) != single_process for s in [traces[::-1], *shuffles])


def test_one_name_one_job(traces):
    first = next(t for t in traces if copyeta.CalibrationEvidence([t]).jobs == 1)
    state = copyeta.CalibrationEvidence([first])
    assert state.add(first)  # the same job again: kept once
    state.merge(state, copyeta.CalibrationEvidence([first]))
    assert len(state) == 1
    before = state.to_json()
    other = copyeta.Trace(traces[1].t, traces[1].done, traces[1].total, name=first.name)
    with pytest.raises(ValueError, match=f'two different jobs are named "{first.name}"'):
        state.add(other)
    with pytest.raises(ValueError, match="one name, one job"):
        state.merge(copyeta.CalibrationEvidence([traces[2], other]))
    assert state.to_json() == before
    with pytest.raises(ValueError):
        state.update([traces[2], other])  # all or nothing
    assert state.to_json() == before


def test_traces_that_cannot_be_scored_are_listed(traces):
    short = copyeta.Trace([0.0, 1.0], [0, 10], total=100, name="too short")
    state = copyeta.CalibrationEvidence()
    assert not state.add(short)
    assert len(state) == 0 and "too short" not in state
    ((name, why),) = state.skipped
    assert name == "too short" and why


def test_bad_json_is_refused_naming_the_source(everything):
    text = everything.to_json()
    cases = {
        text[: len(text) // 2]: "not valid JSON",
        text.replace('"version": 1', '"version": 2'): "version 2 is not supported",
        text.replace('"copyeta.evidence"', '"copyeta.calibration"'):
            "not copyeta calibration evidence",
        text.replace('"points": [[', '"points": [[5, ', 1): "points[0]: expected an array of 8",
    }
    for bad, what in cases.items():
        with pytest.raises(ValueError, match="worker-3.json: ") as error:
            copyeta.CalibrationEvidence.from_json(bad, "worker-3.json")
        assert what in str(error.value)


def test_save_and_load(tmp_path, everything):
    path = tmp_path / "evidence.json"
    everything.save(path)
    assert copyeta.CalibrationEvidence.load(path) == everything
    assert list(tmp_path.iterdir()) == [path]
    path.write_text("{")
    with pytest.raises(ValueError, match=str(path)):
        copyeta.CalibrationEvidence.load(path)


def test_leave_one_out_folds(everything):
    names = everything.names[:4]
    folds = everything.fit_without_each(names)
    for name, fold in zip(names, folds):
        kept = [j for j in json.loads(everything.to_json())["jobs"] if j["name"] != name]
        doc = json.loads(everything.to_json())
        doc["jobs"] = kept
        others = copyeta.CalibrationEvidence.from_json(json.dumps(doc))
        assert fold == others.fit() == everything.fit_without(name)
    with pytest.raises(ValueError, match="no job named"):
        everything.fit_without("nobody")


def test_calibration_merge_adds_tables_with_the_same_weights(traces):
    a, b, both = copyeta.Calibration(), copyeta.Calibration(), copyeta.Calibration()
    for i, t in enumerate(traces):
        try:
            (a if i % 2 else b).update(t)
            both.update(t)
        except ValueError:
            pass  # cannot be scored
    ab = pickle.loads(pickle.dumps(a)).merge(b)
    ba = pickle.loads(pickle.dumps(b)).merge(a)
    assert ab == ba and ab.jobs == both.jobs == a.jobs + b.jobs
    assert ab.weights == both.weights
    assert ab.quantile(0.5, 0.9) == pytest.approx(both.quantile(0.5, 0.9), abs=1e-9)
    builtin = copyeta.Calibration.builtin()
    with pytest.raises(ValueError, match="same weights"):
        builtin.merge(ab)
    assert builtin == copyeta.Calibration.builtin()
