"""Percentile bootstrap over items, vectorised over the replicates.

A bootstrap replicate draws ``n_items`` items with replacement. It is encoded
here as a row of *weights*: how many times each item was drawn. Every
agreement coefficient of :mod:`sklabels.metrics` is a function of sums over
items of per-item quantities, so a block of replicates is evaluated at once as
``weights @ per_item`` (a matrix product), with no Python loop over items or
replicates.
"""

import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.utils import check_random_state

__all__ = ["bootstrap_interval", "bootstrap_weights"]

# Largest number of entries of one (n_replicates, n_items) block of weights.
_MAX_BLOCK_ENTRIES = 2**22


def bootstrap_weights(n_items, n_bootstrap, random_state, *, max_entries=None):
    """Yield blocks of bootstrap weights, one row per replicate.

    Item indices are drawn as a ``(block_size, n_items)`` integer array and
    counted per row with one ``bincount``; the blocks together hold
    ``n_bootstrap`` rows. The block size depends only on ``n_items`` and
    ``max_entries``, so a seed gives the same replicates every time.

    Parameters
    ----------
    n_items : int
        Number of items to resample (at least 1).
    n_bootstrap : int
        Total number of replicates.
    random_state : int, RandomState instance or None
        Seed of the draws.
    max_entries : int, default=None
        Bound on ``block_size * n_items`` (default ``2**22``).

    Yields
    ------
    weights : ndarray of shape (block_size, n_items), dtype=float64
        ``weights[b, i]`` is the number of times item ``i`` was drawn in
        replicate ``b``; every row sums to ``n_items``.
    """
    rng = check_random_state(random_state)
    max_entries = _MAX_BLOCK_ENTRIES if max_entries is None else max_entries
    block = int(max(1, min(n_bootstrap, max_entries // n_items)))
    for start in range(0, n_bootstrap, block):
        size = min(block, n_bootstrap - start)
        idx = rng.randint(n_items, size=(size, n_items))
        idx += np.arange(0, size * n_items, n_items)[:, np.newaxis]
        counts = np.bincount(idx.ravel(), minlength=size * n_items)
        yield counts.reshape(size, n_items).astype(np.float64)


def _nanquantiles(values, probabilities):
    """Quantiles along axis 0 ignoring NaN, as ``np.nanquantile`` (linear).

    Vectorised over the other axes: one sort, NaN sorted last.
    """
    ordered = np.sort(values, axis=0)
    count = np.count_nonzero(~np.isnan(values), axis=0)
    last = np.maximum(count - 1, 0)
    out = []
    for p in probabilities:
        position = p * last
        below = np.floor(position).astype(np.intp)
        above = np.minimum(below + 1, last)
        fraction = position - below
        lo = np.take_along_axis(ordered, below[np.newaxis], axis=0)[0]
        hi = np.take_along_axis(ordered, above[np.newaxis], axis=0)[0]
        quantile = lo + fraction * (hi - lo)
        out.append(np.where(count > 0, quantile, np.nan))
    return out


def bootstrap_interval(
    replicate,
    n_items,
    *,
    n_bootstrap,
    confidence_level,
    random_state,
    defined=True,
    name="the coefficient",
    max_entries=None,
    stacklevel=2,
):
    """Percentile bootstrap interval of a statistic computed from item weights.

    Parameters
    ----------
    replicate : callable
        ``replicate(weights)`` maps a ``(b, n_items)`` block of weights to the
        statistic of each replicate, an array of shape ``(b,)`` or
        ``(b, *shape)``, NaN where the statistic is undefined.
    n_items : int
        Number of items resampled.
    n_bootstrap : int
        Number of replicates.
    confidence_level : float
        In (0, 1); the interval holds the central ``confidence_level``
        fraction of the replicates.
    random_state : int, RandomState instance or None
        Seed of the resampling.
    defined : bool or ndarray of bool, default=True
        Where the point estimate is defined (``shape``); the interval is
        NaN elsewhere, and only replicates undefined where the point
        estimate is defined are reported in the warning.
    name : str
        Name of the statistic, for the warning.
    max_entries : int, default=None
        Passed to :func:`bootstrap_weights`.
    stacklevel : int, default=2
        Stack level of the warning, counted from this function.

    Returns
    -------
    low, high : float or ndarray of shape ``shape``
        Bounds of the percentile interval. Replicates where the statistic
        is undefined are left out (with an ``UndefinedMetricWarning``); a
        bound is NaN when every replicate is undefined.
    """
    values = np.concatenate(
        [
            replicate(weights)
            for weights in bootstrap_weights(
                n_items, n_bootstrap, random_state, max_entries=max_entries
            )
        ],
        axis=0,
    )
    defined = np.broadcast_to(np.asarray(defined, dtype=bool), values.shape[1:])
    undefined = np.isnan(values) & defined
    if undefined.any():
        n_undefined = int(undefined.reshape(n_bootstrap, -1).any(axis=1).sum())
        warnings.warn(
            f"{name} is undefined in {n_undefined} of the {n_bootstrap} bootstrap "
            "replicates (for example, all the resampled labels are of one class); "
            "those replicates are left out of the confidence interval.",
            UndefinedMetricWarning,
            stacklevel=stacklevel,
        )
    tail = 0.5 * (1.0 - confidence_level)
    low, high = _nanquantiles(values, (tail, 1.0 - tail))
    low = np.where(defined, low, np.nan)
    high = np.where(defined, high, np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high
