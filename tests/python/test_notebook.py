"""examples/notebooks/outage_retrospective.ipynb runs headless and shows what it claims.

The notebook is executed with nbclient in a fresh kernel. Then one more cell, run in the same
kernel but never saved, reads the charts and tables the notebook itself made (its Axes and
DataFrames) and reports them as JSON; the test checks them against figures it computes itself.
"""
import datetime as dt
import json
import os
import re
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

nbformat = pytest.importorskip("nbformat", reason="needs python3-nbformat")
nbclient = pytest.importorskip("nbclient", reason="needs python3-nbclient")
pytest.importorskip("ipykernel", reason="needs python3-ipykernel")

import copyeta  # noqa: E402
from matplotlib import dates as mdates  # noqa: E402
from copyeta._trace import read_traces  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "examples" / "notebooks" / "outage_retrospective.ipynb"
TRACES = ROOT / "tests" / "data" / "traces"
CLI = os.environ.get("COPYETA_CLI")

INSPECT = r"""
import json as _json
import numpy as _np
from matplotlib.collections import PolyCollection as _Poly

def _facts(ax):
    bands = [c for c in ax.collections if isinstance(c, _Poly)]
    lines = {l.get_label(): l for l in ax.get_lines()}
    truth = [l for name, l in lines.items() if name.startswith("true end")]
    median = lines.get("predicted finish (median)")
    return {
        "band_labels": [b.get_label() for b in bands],
        "band_y": [float(_np.min(bands[0].get_paths()[0].vertices[:, 1])),
                   float(_np.max(bands[0].get_paths()[0].vertices[:, 1]))] if bands else None,
        "median_y": None if median is None else [float(y) for y in median.get_ydata()],
        "truth_labels": [l.get_label() for l in truth],
        "truth_y": [float(l.get_ydata()[0]) for l in truth],
        "x_formatter": type(ax.xaxis.get_major_formatter()).__name__,
        "x_label": ax.get_xlabel(),
    }

print(_json.dumps({
    "email": _facts(ax_email),
    "longest": _facts(ax_longest),
    "longest_name": longest.name,
    "email_table": email_table.to_dict("records"),
}))
"""


@pytest.fixture(scope="module")
def executed():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(INSPECT))
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # the kernel's inline backend shows the charts as images
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    started = time.perf_counter()
    client.execute(env=env)
    seconds = time.perf_counter() - started
    facts = json.loads("".join(o.get("text", "") for o in nb.cells[-1].outputs
                               if o.get("name") == "stdout"))
    return nb, facts, seconds


def stdout(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream"
                   and o.get("name") == "stdout")


def test_stored_notebook_has_no_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_runs_quickly_and_draws_every_chart(executed):
    nb, _, seconds = executed
    assert seconds < 60, f"the notebook took {seconds:.1f} s"
    charts = [c for c in nb.cells if c.cell_type == "code" and "plot_" in c.source]
    assert len(charts) == 3
    for cell in charts:
        assert any("image/png" in o.get("data", {}) for o in cell.outputs), cell.source


def test_email_fan_chart_has_band_median_and_true_end(executed):
    _, facts, _ = executed
    email = facts["email"]
    df = copyeta.read_trace(ROOT / "src" / "cli" / "data" / "email_outage_2009.csv").replay()
    assert email["band_labels"] == ["80% interval"]
    # Wall-clock axes (start given): date numbers, 15:25 on 25 Aug 2009 for the true end.
    assert email["x_formatter"] == "ConciseDateFormatter"
    assert email["x_label"] == "time of the estimate (wall clock)"
    assert email["truth_labels"] == ["true end (15:25)"]
    day = mdates.date2num(dt.datetime(2009, 8, 25))
    assert email["truth_y"] == [pytest.approx(day + 55500 / 86400)]
    np.testing.assert_allclose(email["median_y"], day + df.finish.to_numpy() / 86400)
    assert email["band_y"] == pytest.approx([day + df.finish_lo.min() / 86400,
                                             day + df.finish_hi.max() / 86400])


def test_longest_trace_is_the_longest_real_end_with_its_true_end(executed):
    _, facts, _ = executed
    real = [t for t in read_traces(TRACES) if t.end is not None]
    longest = max(real, key=lambda t: t.t.max() - t.t.min())
    assert facts["longest_name"] == longest.name
    chart = facts["longest"]
    assert chart["band_labels"] and chart["band_labels"][0].startswith("80% interval")
    assert chart["truth_y"] == [pytest.approx(longest.end)]
    assert chart["x_formatter"] == "FuncFormatter"  # the trace's own clock, as h:mm


def test_backtest_table_equals_a_fresh_backtest(executed):
    nb, _, _ = executed
    cells = [c for c in nb.cells if "backtest-table" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    printed = stdout(cells[0])
    assert printed == str(copyeta.backtest(TRACES, level=0.8)) + "\n"
    for title in ("Real ends and milestones", "Real ends", "Milestones"):
        assert f"### {title} (" in printed


@pytest.mark.skipif(not CLI, reason="COPYETA_CLI is not set (run under ctest)")
def test_email_table_says_what_copyeta_demo_says(executed):
    _, facts, _ = executed
    table = facts["email_table"]
    demo = subprocess.run([CLI, "demo"], check=True, capture_output=True, text=True).stdout
    section = demo.split("1. A 2009 e-mail outage", 1)[1].split("Truth:", 1)[0]
    rows = [re.split(r"\s{2,}", line.strip()) for line in section.splitlines()
            if re.match(r"\s+\d{1,2}:\d\d[ap]m\s+\d+%", line)]
    assert [r["time"] for r in table] == [r[0] for r in rows]
    assert [r["done"] for r in table] == [r[1] for r in rows]
    assert [r["the admins said"] for r in table] == [r[2] for r in rows]
    assert [r["copyeta said (80% interval)"] for r in table] == [r[3] for r in rows]
    holds = [r["holds 3:25pm?"] for r in table]
    assert holds[-1] == "" and set(holds[:-1]) <= {"yes", "no"}
