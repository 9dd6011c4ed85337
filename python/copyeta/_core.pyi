"""Type stubs for copyeta._core, the pybind11 module (python/src/register_*.cpp)."""
from typing import Any, Dict, Iterable, List, Optional, Tuple, TypedDict, Union

import numpy as np
import numpy.typing as npt

__version__: str

_Amount = Union[int, float, np.integer, np.floating]
_Amounts = Union[npt.ArrayLike, Iterable[_Amount]]

# register_estimate.cpp

def state_names() -> List[str]:
    """The states of contracts.md, in order."""
def reject_reason_names() -> List[str]: ...

class _Shift(TypedDict):
    t: float
    fraction: float
    factor: float

class Estimate:
    """What copyeta says at one moment: the state, the median remaining seconds and the interval
    [lo, hi] at `level`."""
    @property
    def state(self) -> str: ...
    @property
    def t(self) -> float: ...
    @property
    def done(self) -> int: ...
    @property
    def total(self) -> Optional[int]: ...
    @property
    def remaining(self) -> Optional[float]: ...
    @property
    def lo(self) -> Optional[float]: ...
    @property
    def hi(self) -> Optional[float]: ...
    @property
    def level(self) -> float: ...
    @property
    def rate(self) -> Optional[float]: ...
    @property
    def stalled_for(self) -> float: ...
    @property
    def shift(self) -> Optional[_Shift]: ...
    def fraction(self) -> Optional[float]: ...
    def format_finish(self, wall: float, clock_24h: bool = False) -> str: ...
    def format_remaining(self) -> str: ...
    def format_status(self, wall: float, clock_24h: bool = False, bytes: bool = True) -> str: ...

# register_monitor.cpp

def model_names() -> List[str]:
    """Model names of contracts.md: copyeta's first, then the peers."""

class Monitor:
    """The lenient front end: samples that break the input policy are counted, never raised."""
    def __init__(self, model: str = "default", level: float = 0.8,
                 calibration: Optional[Calibration] = None) -> None: ...
    def add(self, t: float, done: _Amount, total: Optional[_Amount] = None) -> str: ...
    def estimate(self, now: Optional[float] = None) -> Estimate: ...
    @property
    def accepted(self) -> int: ...
    @property
    def rejected(self) -> int: ...
    @property
    def model(self) -> str: ...
    @property
    def level(self) -> float: ...
    def __len__(self) -> int: ...
    def __getstate__(self) -> tuple: ...
    def __setstate__(self, state: tuple) -> None: ...

# register_replay.cpp

class _ReplayColumns(TypedDict):
    t: npt.NDArray[np.float64]
    done: npt.NDArray[np.uint64]
    total: npt.NDArray[np.uint64]
    has_total: npt.NDArray[np.bool_]
    state: npt.NDArray[np.uint8]
    reason: npt.NDArray[np.uint8]
    remaining: npt.NDArray[np.float64]
    lo: npt.NDArray[np.float64]
    hi: npt.NDArray[np.float64]
    rate: npt.NDArray[np.float64]

def replay(t: npt.ArrayLike, done: _Amounts, total: Union[None, _Amount, _Amounts] = None,
           model: str = "default", level: float = 0.8,
           calibration: Optional[Calibration] = None) -> _ReplayColumns:
    """Replays samples through a model; returns columns as numpy arrays (state and reason as
    codes into state_names() and reject_reason_names())."""

# register_trace.cpp

class _Trace:
    @property
    def name(self) -> str: ...
    def __len__(self) -> int: ...

def _trace_from_columns(name: str, t: npt.ArrayLike, done: _Amounts,
                        total: Union[None, _Amount, _Amounts] = None,
                        has_total: Optional[npt.ArrayLike] = None) -> _Trace: ...

class _TraceColumns(TypedDict):
    line: npt.NDArray[np.uint64]
    t: npt.NDArray[np.float64]
    done: npt.NDArray[np.uint64]
    total: npt.NDArray[np.uint64]
    has_total: npt.NDArray[np.bool_]
    tool_eta: npt.NDArray[np.float64]

class _ToolLogColumns(_TraceColumns):
    percent_only: npt.NDArray[np.bool_]
    format: str
    lines: int
    skipped: int
    dropped_bytes: int

class _TraceCsvColumns(_TraceColumns):
    reason: npt.NDArray[np.uint8]
    error: List[str]
    name: str

def _parse_tool_log(text: Union[str, bytes], name: str,
                    format: Optional[str] = None) -> _ToolLogColumns: ...
def _read_trace_csv(path: str) -> _TraceCsvColumns: ...

# register_backtest.cpp

class _BacktestResult(TypedDict):
    level: float
    models: List[str]
    per_trace: List[Dict[str, Any]]
    summary: List[Dict[str, Any]]
    skipped: List[Tuple[str, str]]

def backtest(traces: Iterable[Any], level: float = 0.8,
             models: Optional[List[str]] = None) -> _BacktestResult:
    """Scores models on traces under docs/metrics.md; runs without the GIL."""

# register_calibration.cpp

class Calibration:
    """Ensemble weights and per-bucket error quantiles learned from finished jobs."""
    def __init__(self) -> None: ...
    @staticmethod
    def fit(traces: Iterable[Any]) -> Calibration: ...
    def update(self, trace: Any) -> None: ...
    @staticmethod
    def builtin() -> Calibration: ...
    def save(self, path: str) -> None: ...
    @staticmethod
    def load(path: str) -> Calibration: ...
    def to_json(self, exact: bool = False) -> str: ...
    @staticmethod
    def from_json(text: str) -> Calibration: ...
    @property
    def weights(self) -> Dict[str, float]: ...
    @property
    def jobs(self) -> int: ...
    def quantile(self, fraction: float, p: float) -> float: ...
    def __eq__(self, other: object) -> bool: ...
    def __getstate__(self) -> str: ...
    def __setstate__(self, state: str) -> None: ...
