"""copyeta.dask on a LocalCluster: the merged results equal the single-process ones, exactly."""
import shutil
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("dask", reason="copyeta.dask needs dask (Debian: python3-dask)")
pytest.importorskip("distributed",
                    reason="copyeta.dask needs distributed (Debian: python3-distributed)")

import dask  # noqa: E402
from dask.distributed import Client, LocalCluster  # noqa: E402

import copyeta  # noqa: E402
import copyeta.dask  # noqa: E402

TRACES = Path(__file__).resolve().parents[1] / "data" / "traces"

# distributed 2022.12 on Debian 12 starts its event loop the way tornado 6.2 deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:make_current is deprecated:DeprecationWarning")


@pytest.fixture(scope="module")
def client():
    # Two worker processes: states and traces really cross process boundaries as pickles.
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def traces():
    return copyeta.read_traces(TRACES)


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """The corpus ten times over under other names: 480 files, like a migration's folder."""
    folder = tmp_path_factory.mktemp("many")
    for k in range(10):
        for path in sorted(TRACES.glob("*.csv")):
            shutil.copyfile(path, folder / f"r{k:02d}_{path.name}")
    return folder


def assert_same_backtest(got, expected):
    pd.testing.assert_frame_equal(got.per_trace, expected.per_trace, check_exact=True)
    pd.testing.assert_frame_equal(got.summary, expected.summary, check_exact=True)
    assert got.skipped == expected.skipped
    assert got.models == expected.models and got.level == expected.level
    assert got.to_text() == expected.to_text()


@pytest.mark.parametrize("partition_size", [1, 7, 64])
def test_calibrate_equals_the_single_process_fit(client, traces, partition_size):
    expected = copyeta.Calibration.fit(traces)
    got = copyeta.dask.calibrate(TRACES, client=client, partition_size=partition_size,
                                 split_every=3)
    assert got == expected
    assert got.to_json(exact=True) == expected.to_json(exact=True)


def test_calibrate_a_folder_of_hundreds_of_traces(client, many):
    files = sorted(many.glob("*.csv"))
    assert len(files) == 480
    local = copyeta.CalibrationEvidence(many)
    expected = copyeta.Calibration.fit(copyeta.read_traces(many))
    assert local.fit() == expected
    got = copyeta.dask.calibrate(many, client=client, partition_size=25)
    assert got == expected and got.jobs == expected.jobs >= 200
    # The merged state itself, and from an explicit list of paths in another order.
    assert copyeta.dask.evidence(many, client=client, partition_size=60) == local
    shuffled = files[1::2] + files[::2]
    assert copyeta.dask.calibrate(shuffled, client=client, partition_size=40) == expected


def test_backtest_equals_copyeta_backtest(client, traces):
    expected = copyeta.backtest(traces)
    got = copyeta.dask.backtest(TRACES, client=client, partition_size=7)
    assert_same_backtest(got, expected)
    assert got.count("all") == expected.count("all") > 20


def test_backtest_of_some_models_at_another_level(client, traces):
    models = ["kalman", "pv", "default", "robust_window"]
    expected = copyeta.backtest(traces, level=0.9, models=models)
    # Trace objects as well as paths: they travel to the workers pickled.
    got = copyeta.dask.backtest(traces, client=client, level=0.9, models=models,
                                partition_size=10)
    assert_same_backtest(got, expected)
    with pytest.raises(ValueError, match="level"):
        copyeta.dask.backtest(traces, client=client, level=1.5)
    with pytest.raises(ValueError, match="nope"):
        copyeta.dask.backtest(traces, client=client, models=["nope"])


def test_without_a_client_the_default_scheduler_runs_it(traces):
    with dask.config.set(scheduler="sync"):
        assert copyeta.dask.calibrate(TRACES, partition_size=5) == copyeta.Calibration.fit(traces)


def test_two_traces_with_one_name_are_refused(client, traces, tmp_path):
    twin = copyeta.Trace(traces[1].t, traces[1].done, traces[1].total, name=traces[0].name)
    with pytest.raises(ValueError, match="one name, one job"):
        copyeta.dask.calibrate([traces[0], twin], client=client, partition_size=1)


def test_rows_left_out_on_workers_are_reported_here(client, tmp_path):
    shutil.copyfile(TRACES / "proxmox_vzdump_vm1020_25GiB.csv", tmp_path / "good.csv")
    (tmp_path / "bad.csv").write_text("t_seconds,bytes_done,bytes_total\n0,0,100\nx,5,100\n"
                                      + "".join(f"{t},{t * 2},100\n" for t in range(1, 40)))
    with pytest.warns(copyeta.TraceWarning, match=r"bad\.csv:3"):
        copyeta.dask.calibrate(tmp_path, client=client)
