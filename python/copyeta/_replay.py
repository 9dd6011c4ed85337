"""copyeta.replay: numpy columns in, one estimate per sample out, as a DataFrame."""
from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd

from . import _core

__all__ = ["replay"]

_STATES = _core.state_names()
# "none" is left out: an accepted row has no reason (NaN).
_REASONS = _core.reject_reason_names()[1:]


def _amounts(values) -> np.ndarray:
    """Amounts as _core reads them: uint64 when every value is a non-negative integer (exact up
    to 2^64-1), else float64 with NaN for a missing value (exact up to 2^53)."""
    if isinstance(values, (pd.Series, pd.Index)):
        values = values.array
    if isinstance(values, pd.api.extensions.ExtensionArray):
        # Nullable integers: exact without missing values, else float with NaN for <NA>.
        if values.dtype.kind in "iu" and not values.isna().any():
            values = values.to_numpy(dtype=values.dtype.numpy_dtype)
        else:
            return values.to_numpy(dtype=np.float64, na_value=np.nan)
    if isinstance(values, np.ndarray) and values.dtype.kind in "uif":
        if values.dtype.kind == "u":
            return values.astype(np.uint64, copy=False)
        if values.dtype.kind == "i" and (values >= 0).all():
            return values.astype(np.uint64)
        return values.astype(np.float64, copy=False)
    # Lists and object arrays: numpy would read big ints as float64, so integers are tried as
    # uint64 first and kept when that is what they are.
    real = np.asarray(values, dtype=np.float64)
    if real.size and np.isfinite(real).all() and (real >= 0).all() and (real == np.floor(real)).all():
        try:
            exact = np.asarray(values, dtype=np.uint64)
        except OverflowError:  # above 2^64-1: the float says so, and the row is rejected
            return real
        if (exact.astype(np.float64) == real).all():
            return exact
    return real


def _total(total):
    """None, an exact scalar, or an array of amounts."""
    if total is None or total is pd.NA:
        return None
    if np.ndim(total) == 0:
        if isinstance(total, numbers.Integral):
            return int(total)
        total = float(total)
        return None if math.isnan(total) else total
    return _amounts(total)


def replay(t, done, total=None, *, model: str = "default", level: float = 0.8,
           calibration: _core.Calibration | None = None) -> pd.DataFrame:
    """Replays samples through a model: one row per input sample, in input order.

    Parameters
    ----------
    t : array-like of float
        Seconds, on any clock (only differences matter).
    done : array-like
        The amount done at each time. Non-negative integers (numpy unsigned or non-negative
        signed arrays, or lists of Python ints) are exact up to 2^64-1; floats are rounded.
    total : None, scalar or array-like like `t`
        None: unknown throughout. In an array, NaN, None or ``<NA>`` marks an unknown entry (the
        last known total is kept); arrays that mix unknown entries with totals above 2^53 go
        through float64 and are rounded there.
    model : str
        A name of ``copyeta.model_names()``.
    level : float
        The confidence level of ``[lo, hi]``, inside (0, 1).
    calibration : copyeta.Calibration, optional
        For the default model; None uses the shipped one.

    Returns
    -------
    pandas.DataFrame
        Columns, in this order:

        - ``t`` (float64), ``done`` (uint64), ``total`` (nullable ``UInt64``; ``<NA>`` while no
          total is known): the input as the model saw it. A rejected row whose ``t`` or ``done``
          was not a number shows NaN or 0 there.
        - ``state``: a Categorical with categories ``copyeta.state_names()``.
        - ``remaining``, ``lo``, ``hi`` (float64): seconds from ``t`` to the finish, the median
          and the interval at ``level``; NaN where the state has no numbers.
        - ``finish``, ``finish_lo``, ``finish_hi``: ``t + remaining`` (and the bounds), on the
          clock of ``t``.
        - ``rate`` (float64): amount per second, NaN while unknown.
        - ``reason``: a Categorical of why a row was rejected (``time_backwards``,
          ``amount_negative``, ...); NaN for accepted rows.

        ``df.attrs`` holds ``model`` and ``level``.

    Raises
    ------
    ValueError
        For an unknown model, a level outside (0, 1), columns of different lengths or a scalar
        total that is no amount.

    Examples
    --------
    >>> import numpy as np, copyeta
    >>> t = np.arange(0.0, 60.0, 1.0)
    >>> df = copyeta.replay(t, done=(t * 1e6).astype(np.uint64), total=100_000_000)
    >>> df.loc[59, ["state", "remaining", "finish"]].tolist()  # doctest: +SKIP
    ['ok', 40.2, 99.2]
    >>> df.state.value_counts()  # doctest: +SKIP
    """
    columns = _core.replay(np.asarray(t, dtype=np.float64), _amounts(done), _total(total),
                           model=model, level=level, calibration=calibration)
    t_out = columns["t"]
    remaining, lo, hi = columns["remaining"], columns["lo"], columns["hi"]
    frame = pd.DataFrame({
        "t": t_out,
        "done": columns["done"],
        "total": pd.arrays.IntegerArray(columns["total"], ~columns["has_total"]),
        "state": pd.Categorical.from_codes(columns["state"].astype(np.int8), categories=_STATES),
        "remaining": remaining,
        "lo": lo,
        "hi": hi,
        "finish": t_out + remaining,
        "finish_lo": t_out + lo,
        "finish_hi": t_out + hi,
        "rate": columns["rate"],
        "reason": pd.Categorical.from_codes(columns["reason"].astype(np.int8) - 1,
                                            categories=_REASONS),
    })
    frame.attrs.update(model=model, level=level)
    return frame
