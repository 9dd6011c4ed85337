"""Calibrating and backtesting folders of thousands of traces on a Dask cluster.

Needs dask and distributed (Debian: ``apt install python3-dask python3-distributed``)::

    from dask.distributed import Client
    import copyeta.dask

    client = Client("tcp://scheduler:8786")
    calibration = copyeta.dask.calibrate("/shared/traces", client=client)
    result = copyeta.dask.backtest("/shared/traces", client=client)

The traces are read on the workers, so paths must be readable there (shared storage), or pass
``copyeta.Trace`` objects. Each partition of traces is replayed on a worker into a
:class:`copyeta.CalibrationEvidence`; the states merge up a tree, and the fit happens once at
the end. Merging is exact, so the result equals what one process computes on the same traces:
:func:`calibrate` gives ``copyeta.Calibration.fit`` of them in name order, and
:func:`backtest` gives ``copyeta.backtest``'s tables, number for number. Trace names must be
unique (a folder's file names are).

Without a client, the default scheduler runs the graph: the distributed Client made last, if
any, else threads in this process.
"""
from __future__ import annotations

import math
import os
import warnings
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import dask
from dask import delayed

from . import _core
from ._backtest import METRICS, BacktestResult
from ._evidence import CalibrationEvidence
from ._trace import Trace, TraceWarning, read_trace

__all__ = ["backtest", "calibrate", "evidence"]

Traces = Union[str, "os.PathLike[str]", Iterable[object]]

# What a partition of the input is: trace CSV paths (a folder's files), other paths (a trace
# CSV or a tool log, detected as copyeta.read_trace does) and copyeta.Trace objects.
_Item = Union[Tuple[str, str], Trace]


def _items(traces: Traces) -> List[_Item]:
    if isinstance(traces, (str, os.PathLike)):
        path = Path(traces)
        if path.is_dir():
            # As copyeta.read_traces: every *.csv, sorted by file name.
            return [("csv", os.fspath(p)) for p in sorted(path.glob("*.csv"))]
        return [("auto", os.fspath(path))]
    out: List[_Item] = []
    for item in traces:
        if isinstance(item, Trace):
            out.append(item)
        elif isinstance(item, (str, os.PathLike)):
            out.append(("auto", os.fspath(item)))
        else:
            raise TypeError(f"expected a path or a copyeta.Trace, got {item!r}")
    return out


def _partitions(items: Sequence[_Item], size: int) -> List[List[_Item]]:
    if not (isinstance(size, int) and size >= 1):
        raise ValueError(f"partition_size must be a positive integer, not {size!r}")
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


# --- What runs on the workers. Each returns (result, warnings): the TraceWarnings of reading,
# replayed on the client in input order, as copyeta.read_traces would have shown them.

def _read(part: List[_Item]) -> Tuple[List[Trace], List[str]]:
    traces = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", TraceWarning)
        for item in part:
            if isinstance(item, Trace):
                traces.append(item)
            else:
                kind, path = item
                traces.append(read_trace(path, format="csv" if kind == "csv" else None))
    return traces, [str(w.message) for w in caught if issubclass(w.category, TraceWarning)]


def _gather(read: Tuple[List[Trace], List[str]]):
    traces, said = read
    state = _core._CalibrationEvidence()
    state.add_all(traces)
    return state, said


def _merge(states: List[Tuple[Any, List[str]]]):
    merged = _core._CalibrationEvidence()
    said: List[str] = []
    for state, more in states:
        merged.merge(state)
        said.extend(more)
    return merged, said


def _fit(state: Tuple[Any, List[str]]):
    evidence, said = state
    return evidence.fit(), said


def _score_default(read, state, level: float) -> Dict[str, Any]:
    traces, said = read
    evidence, _ = state
    out = _core._backtest_default(traces, evidence, level)
    out["warnings"] = said
    return out


def _score(reads, level: float, models: List[str]) -> Dict[str, Any]:
    traces: List[Trace] = []
    said: List[str] = []
    for part, more in reads:
        traces.extend(part)
        said.extend(more)
    out = _core.backtest(traces, level=level, models=models)
    out["warnings"] = said
    return out


# --- The graph and its running.

def _tree(nodes: list, split_every: int):
    """Merges delayed states up a tree, `split_every` at a time (the order does not matter)."""
    if not (isinstance(split_every, int) and split_every >= 2):
        raise ValueError(f"split_every must be an integer >= 2, not {split_every!r}")
    if not nodes:
        return delayed(_merge)([])
    while len(nodes) > 1:
        nodes = [delayed(_merge)(nodes[i:i + split_every])
                 for i in range(0, len(nodes), split_every)]
    return nodes[0]


def _compute(client, *graphs):
    if client is None:
        return dask.compute(*graphs)
    return tuple(client.gather(client.compute(list(graphs))))


def _warn(said: Iterable[str]) -> None:
    for message in said:
        warnings.warn(message, TraceWarning, stacklevel=3)


def _evidence_graph(traces: Traces, partition_size: int, split_every: int):
    parts = _partitions(_items(traces), partition_size)
    states = [delayed(_gather)(delayed(_read)(part)) for part in parts]
    return _tree(states, split_every)


def evidence(traces: Traces, *, client=None, partition_size: int = 64,
             split_every: int = 8) -> CalibrationEvidence:
    """The merged :class:`copyeta.CalibrationEvidence` of `traces`, gathered on the cluster.

    Keep it to merge later traces in (``state.merge(copyeta.dask.evidence(new_folder))``) and
    fit again, without replaying the old ones. Arguments as :func:`calibrate`.
    """
    state, said = _compute(client, _evidence_graph(traces, partition_size, split_every))[0]
    _warn(said)
    return CalibrationEvidence._wrap(state)


def calibrate(traces: Traces, *, client=None, partition_size: int = 64,
              split_every: int = 8) -> "_core.Calibration":
    """Fits a :class:`copyeta.Calibration` on `traces` with a Dask cluster.

    Args:
        traces: a folder (every ``*.csv`` in it, as :func:`copyeta.read_traces`), or paths
            (trace CSVs or tool logs, as :func:`copyeta.read_trace`) and ``copyeta.Trace``
            objects. Paths are read on the workers.
        client: a ``dask.distributed.Client``; None runs on the default scheduler.
        partition_size: traces per task: each task reads its traces and replays them.
        split_every: how many states each merge task combines.

    Returns:
        The calibration one process fits on the same traces in name order
        (``copyeta.Calibration.fit(copyeta.read_traces(folder))``), bit for bit, whatever the
        partitions and the number of workers.

    Raises:
        ValueError: two different traces with one name, or bad arguments.
    """
    graph = delayed(_fit)(_evidence_graph(traces, partition_size, split_every))
    calibration, said = _compute(client, graph)[0]
    _warn(said)
    return calibration


def backtest(traces: Traces, *, client=None, level: float = 0.8,
             models: Optional[Sequence[str]] = None, partition_size: int = 64,
             split_every: int = 8) -> BacktestResult:
    """``copyeta.backtest`` on a Dask cluster: the same :class:`copyeta.BacktestResult`.

    copyeta's default model is scored leave-one-out: each partition's traces are replayed into
    evidence, the states merge up a tree, and each trace is then scored on a worker with the
    calibration fit on every other trace's evidence. Models that need no other trace
    (``robust_window``, ``drift_diffusion``, ``kalman``) are scored per partition. A peer's
    interval comes from the errors of every other trace, so each peer model is one task over
    all of them. The summary is computed from the per-trace rows as ``copyeta.backtest``
    computes it, so every figure is equal (the default model's folds add the other traces up
    in name order, which is the order of a folder's files).

    Args: `traces`, `client`, `partition_size` and `split_every` as :func:`calibrate`; `level`
    and `models` as :func:`copyeta.backtest`.
    """
    if isinstance(models, str):
        models = [models]
    # Checks the level and the model names, and says which models are peers.
    empty = _core.backtest([], level=float(level), models=None if models is None else list(models))
    names: List[str] = list(empty["models"])
    peer = {row["model"]: bool(row["peer"]) for row in empty["summary"]}
    parts = _partitions(_items(traces), partition_size)
    reads = [delayed(_read)(part) for part in parts]

    # One source per model (several local models share theirs); each gives the per-trace rows
    # of the scored traces in input order, the traces it skipped and the reading warnings.
    sources: Dict[str, Any] = {}
    graphs: List[Any] = []

    def source(tasks: list) -> int:
        graphs.append(delayed(tasks))  # one Delayed computing the list
        return len(graphs) - 1

    if "default" in names:
        state = _tree([delayed(_gather)(r) for r in reads], split_every)
        sources["default"] = source(
            [delayed(_score_default)(r, state, float(level)) for r in reads])
    local = [m for m in names if m != "default" and not peer[m]]
    if local:
        at = source([delayed(_score)([r], float(level), local) for r in reads])
        for m in local:
            sources[m] = at
    for m in names:
        if peer[m]:
            sources[m] = source([delayed(_score)(reads, float(level), [m])])
    results = _compute(client, *graphs)

    def rows_of(model: str) -> List[dict]:
        return [row for part in results[sources[model]] for row in part["per_trace"]
                if row["model"] == model]

    rows = {m: rows_of(m) for m in names}
    first = results[sources[names[0]]]
    order = [row["trace"] for row in rows[names[0]]]
    for m in names:
        if [row["trace"] for row in rows[m]] != order:
            raise RuntimeError(f"copyeta.dask.backtest: the {m} rows are not the traces' rows")
    _warn(message for part in first for message in part["warnings"])
    per_trace = [rows[m][k] for k in range(len(order)) for m in names]
    raw = {
        "level": empty["level"],
        "models": names,
        "per_trace": per_trace,
        "summary": _summary(per_trace, names, peer),
        "skipped": [tuple(s) for part in first for s in part["skipped"]],
    }
    return BacktestResult(raw)


def _mean(values: Iterable[float]) -> float:
    # As summarize() in scoring-inl.hpp: NaN left out, summed in trace order, divided once.
    total, n = 0.0, 0
    for v in values:
        if math.isnan(v):
            continue
        total += v
        n += 1
    return total / n if n else math.nan


def _summary(per_trace: List[dict], models: List[str], peer: Dict[str, bool]) -> List[dict]:
    out = []
    for subset in (None, "real_end", "milestone"):
        for m in models:
            chosen = [r for r in per_trace
                      if r["model"] == m and (subset is None or r["kind"] == subset)]
            row = {"model": m, "peer": peer[m], "subset": subset or "all", "traces": len(chosen)}
            for metric in METRICS:
                row[metric] = _mean(r[metric] for r in chosen)
            out.append(row)
    return out
