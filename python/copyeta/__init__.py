"""copyeta: when will this copy finish, and how sure are we?

Replay recorded progress traces fast (numpy in, pandas out), score estimators on them, track a
running job, and plot forecast fans. The numbers come from the same C++ library the copyeta
command line and copy tools use.
"""
from ._core import Calibration, Estimate, Monitor, __version__, model_names, state_names
from ._backtest import BacktestResult, backtest
from ._evidence import CalibrationEvidence
from ._replay import replay
from ._trace import Trace, TraceWarning, read_trace, read_traces
from ._tracker import Forecast, Tracker
from .plot import plot_calibration, plot_forecast

__all__ = [
    "BacktestResult",
    "Calibration",
    "CalibrationEvidence",
    "Estimate",
    "Forecast",
    "Monitor",
    "Trace",
    "TraceWarning",
    "Tracker",
    "backtest",
    "model_names",
    "plot_calibration",
    "plot_forecast",
    "read_trace",
    "read_traces",
    "replay",
    "state_names",
    "__version__",
]
