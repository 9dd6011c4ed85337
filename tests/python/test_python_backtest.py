"""copyeta.backtest: the numbers of `copyeta backtest`, as DataFrames."""
import math
import os
import subprocess
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

import copyeta
from copyeta._trace import read_traces

CLI = os.environ.get("COPYETA_CLI")
TRACES = Path(__file__).resolve().parents[1] / "data" / "traces"
TITLES = {"all": "Real ends and milestones", "real_end": "Real ends", "milestone": "Milestones"}
METRICS = ["q_error", "coverage", "interval_score", "flip_flop", "availability",
           "coverage_early", "coverage_mid", "coverage_late"]
DECIMALS = [3, 2, 2, 3, 2, 2, 2, 2]

needs_cli = pytest.mark.skipif(not CLI, reason="COPYETA_CLI is not set (run under ctest)")


@pytest.fixture(scope="module")
def result():
    return copyeta.backtest(TRACES)


def cli(*args):
    done = subprocess.run([CLI, "backtest", str(TRACES), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def tables(text):
    """{title: (count, level, {model: cells})} of the CLI's markdown tables."""
    out = {}
    for block in text.split("\n### ")[1:]:
        heading, _, body = block.partition("\n\n")
        title, _, rest = heading.partition(" (")
        count, _, level = rest.rstrip(")").partition(" traces, level ")
        rows = {}
        for line in body.splitlines():
            if not line.startswith("|"):
                break
            cells = [c.strip() for c in line.strip("|").split("|")]
            if cells[0] in ("model", "---", "trace"):
                continue
            rows[cells[0]] = cells[1:]
        out[title] = (int(count) if count.isdigit() else None, level, rows)
    return out


def cell(value, decimals):
    return "-" if math.isnan(value) else f"{value:.{decimals}f}"


def not_scored(text):
    """[(name, why)] of the CLI's 'Not scored' list."""
    if "Not scored" not in text:
        return []
    lines = text.split("Not scored", 1)[1].splitlines()
    return [tuple(line[2:].split(": ", 1)) for line in lines if line.startswith("- ")]


@needs_cli
@pytest.mark.parametrize("args", [[], ["--level", "0.9", "--model", "default", "--model", "tqdm"]])
def test_every_figure_equals_the_command_lines(args):
    level = float(args[1]) if args else 0.8
    models = [a for i, a in enumerate(args) if i and args[i - 1] == "--model"] or None
    r = copyeta.backtest(TRACES, level=level, models=models)
    text = cli(*args)
    printed = tables(text)
    for subset, title in TITLES.items():
        count, level_text, rows = printed[title]
        kinds = r.per_trace.drop_duplicates("trace").kind
        assert count == r.count(subset) == (len(kinds) if subset == "all" else (kinds == subset).sum())
        assert level_text == repr(level)
        table = r.table(subset)
        assert [m.replace(" (peer)", "") for m in rows] == r.models == list(table.index)
        for name, cells in rows.items():
            model = name.replace(" (peer)", "")
            assert name.endswith(" (peer)") == bool(table.loc[model, "peer"])
            assert table.loc[model, "traces"] == count
            mine = [cell(float(table.loc[model, m]), d) for m, d in zip(METRICS, DECIMALS)]
            assert mine == cells, (title, model)
    # The printed text is the command line's, from its first table on.
    assert str(r) == text[text.index("\n### "):]


@needs_cli
def test_per_trace_figures_equal_the_command_lines(result):
    text = cli("--per-trace")
    printed = tables(text)
    for title, column in (("Median q-error", "q_error"), ("Coverage", "coverage"),
                          ("Flip-flop", "flip_flop")):
        rows = printed[f"{title} per trace"][2]
        assert list(rows) == list(result.per_trace.drop_duplicates("trace").trace)
        for name, cells in rows.items():
            mine = result.per_trace[result.per_trace.trace == name].set_index("model")
            kind, samples, *figures = cells
            assert (mine.kind == kind).all() and (mine.samples == int(samples)).all()
            assert [cell(float(mine.loc[m, column]), 3) for m in result.models] == figures


@needs_cli
def test_skipped_traces_are_listed_with_the_command_lines_reasons(result):
    assert result.skipped == not_scored(cli())
    reasons = dict(result.skipped)
    assert "8 rows and no real end" in reasons["ddrescue_1TB_failing_hdd_tail_niksko"]
    scored = set(result.per_trace.trace)
    assert not scored & set(reasons)
    assert len(scored) + len(reasons) == len(list(TRACES.glob("*.csv")))


def test_dataframes_are_tidy(result):
    per = result.per_trace
    assert list(per.columns[:7]) == ["trace", "kind", "samples", "model", "peer", "scored", "predicted"]
    assert list(per.columns[7:]) == METRICS
    assert len(per) == per.trace.nunique() * len(result.models)
    assert set(per.kind) == {"real_end", "milestone"}
    assert result.summary.index.names == ["subset", "model"]
    assert list(result.summary.index.get_level_values("subset").unique()) == ["all", "real_end", "milestone"]
    assert list(result.summary.columns) == ["peer", "traces", *METRICS]
    assert result.models == copyeta.model_names()
    assert result.level == 0.8
    # Real ends and milestones add up to all, and each mean is over the subset's traces.
    t = result.summary["traces"].unstack("subset")
    assert (t["all"] == t["real_end"] + t["milestone"]).all()
    for subset in ("real_end", "milestone", "all"):
        rows = per if subset == "all" else per[per.kind == subset]
        means = rows.groupby("model", sort=False)[METRICS].mean()
        pd.testing.assert_frame_equal(
            means.loc[result.models], result.table(subset)[METRICS], check_names=False, rtol=1e-12)
    assert (f"{len(result.models)} models, {result.count()} traces scored "
            f"({result.count('real_end')} real ends, {result.count('milestone')} milestones), "
            f"{len(result.skipped)} skipped") in repr(result)
    with pytest.raises(ValueError, match="subset"):
        result.table("finished")


def test_trace_objects_and_a_folder_give_the_same_result(result):
    traces = read_traces(TRACES)
    assert all(isinstance(t, copyeta.Trace) for t in traces)
    again = copyeta.backtest(traces)
    pd.testing.assert_frame_equal(again.per_trace, result.per_trace)
    pd.testing.assert_frame_equal(again.summary, result.summary)
    assert again.skipped == result.skipped
    assert str(again) == str(result)


def test_models_filter():
    r = copyeta.backtest(TRACES, models=["tqdm", "default"])
    assert r.models == ["tqdm", "default"]
    assert list(r.per_trace.model.unique()) == ["tqdm", "default"]
    assert list(r.table("real_end").index) == ["tqdm", "default"]
    assert r.table().loc["tqdm", "peer"] and not r.table().loc["default", "peer"]
    assert list(copyeta.backtest(TRACES, models="kalman").models) == ["kalman"]


@pytest.mark.parametrize("level", [0.0, 1.0, 1.5, -0.2, float("nan")])
def test_level_is_validated(level):
    with pytest.raises(ValueError):
        copyeta.backtest(TRACES, level=level)


def test_bad_models_and_items_are_refused():
    with pytest.raises(ValueError, match="no_such_model"):
        copyeta.backtest(TRACES, models=["no_such_model"])
    with pytest.raises(TypeError, match="copyeta.Trace"):
        copyeta.backtest([object()])


def test_no_traces_gives_empty_tables():
    r = copyeta.backtest([], models=["default"])
    assert r.per_trace.empty and r.skipped == []
    assert r.table().loc["default", "traces"] == 0
    assert math.isnan(r.table().loc["default", "q_error"])
    assert "| default | - | - |" in str(r)


def test_the_gil_is_released_while_scoring():
    traces = read_traces(TRACES)
    copyeta.backtest(traces[:2])  # warm up
    gaps, box = [], {}

    def work():
        begin = time.perf_counter()
        box["r"] = copyeta.backtest(traces)
        box["seconds"] = time.perf_counter() - begin

    thread = threading.Thread(target=work)
    last = time.perf_counter()
    thread.start()
    while thread.is_alive():
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    thread.join()
    # Holding the GIL would freeze this loop for the whole computation.
    assert box["seconds"] > 0.05
    assert max(gaps) < 0.5 * box["seconds"]
