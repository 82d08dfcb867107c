"""Confident counting: thresholds, the confident joint and the noise matrices.

The function layer of confident learning (Northcutt, Jiang and Chuang, 2021)
that counts: :func:`confident_joint` and :func:`estimate_noise_matrices`.
The private helpers below are shared with :mod:`sklabels.noise._rank` and
:mod:`sklabels.noise._filter`: they validate ``labels`` / ``pred_probs``
once, then stream ``pred_probs`` in row chunks, so that the same code serves
in-memory arrays and ``np.memmap`` files too large for memory.

Every quantity here matches cleanlab 2.x bit for bit on the same input
(``cleanlab.count.get_confident_thresholds``, ``compute_confident_joint``,
``calibrate_confident_joint``, ``estimate_latent``), including the dtype in
which cleanlab compares: float32 inputs are compared in float32.
"""

from dataclasses import dataclass
from functools import partial
from numbers import Integral

import numpy as np
from sklearn.utils.parallel import Parallel, delayed

from sklabels.utils._compat import Interval, validate_params
from sklabels.utils._validation import (
    _check_class_indices,
    _fast_rows_ok,
    _row_sum_atol,
    check_soft_targets,
)

__all__ = ["confident_joint", "estimate_noise_matrices"]

# Slack used by confident learning when comparing probabilities.
_EPS = 1e-6
# Thresholds never go below this (twice the slack), as in cleanlab.
_THRESHOLD_FLOOR = 2 * _EPS
# Threshold of a class absent from ``labels``: no probability reaches it.
_ABSENT_THRESHOLD = 2.0
# Guard against division by zero in the latent estimates.
_TINY = 1e-100
# Lower clip of the estimated prior of the true labels.
_PRIOR_FLOOR = 1e-6
# Largest off-diagonal noise rate kept by the latent estimates.
_MAX_NOISE_RATE = 0.9999
# The dtypes used as they are (compared in that dtype, as cleanlab does).
_WORK_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))
# Size of the row sample kept for sklabels.noise._filter: about this many
# margins, and at least this many rows per class on average.
_SAMPLE_ELEMENTS = 2**20
_SAMPLE_PER_CLASS = 32
# Labels sorted per block when grouping rows by class.
_ORDER_BLOCK = 2**20
# Elements of pred_probs handled per chunk when the caller sets no batch size:
# small enough to stay in cache, large enough to amortise numpy's overhead.
_CHUNK_ELEMENTS = 2**17


# --------------------------------------------------------------------------
# Validation (once, at the boundary)
# --------------------------------------------------------------------------


def _work_dtype(pred_probs):
    """float32 and float64 arrays are used as they are, anything else as float64."""
    dtype = getattr(pred_probs, "dtype", None)
    # (np.dtype("float64") == None is True, hence the isinstance)
    if isinstance(dtype, np.dtype) and dtype in _WORK_DTYPES:
        return dtype
    return np.dtype(np.float64)


def _check_shape(pred_probs):
    """Check the shape and dtype of an array that is validated later."""
    shape = pred_probs.shape
    if len(shape) != 2:
        raise ValueError(
            "pred_probs must be a 2d array of shape (n_samples, n_classes), "
            f"got shape {shape}."
        )
    if shape[0] == 0:
        raise ValueError("pred_probs is empty: at least one row is required.")
    dtype = np.dtype(getattr(pred_probs, "dtype", object))
    if dtype.kind not in "biuf":
        raise TypeError(
            f"pred_probs must hold numeric class probabilities, got dtype {dtype}."
        )


def _check_pred_probs(pred_probs, *, batch_size, defer=False):
    """Validate ``pred_probs``, or only its shape when its values are streamed.

    Returns the array to read rows from, the working dtype and whether the
    values still have to be checked. They are when ``batch_size`` is given
    (chunk by chunk, so a memmap is never loaded whole) and, with ``defer``,
    for a float ndarray (during the counting pass, which reads every row
    anyway): see :func:`_check_chunk`.
    """
    dtype = _work_dtype(pred_probs)
    if batch_size is not None and hasattr(pred_probs, "shape"):
        _check_shape(pred_probs)
        return pred_probs, dtype, True
    is_float_array = (
        isinstance(pred_probs, np.ndarray)
        and pred_probs.dtype == dtype
        and pred_probs.ndim == 2
    )
    if is_float_array and defer:
        _check_shape(pred_probs)
        return pred_probs, dtype, True
    atol = _row_sum_atol(getattr(pred_probs, "dtype", dtype))
    if is_float_array and _fast_rows_ok(pred_probs, atol):
        return pred_probs, dtype, False
    checked = check_soft_targets(pred_probs, input_name="pred_probs", atol=atol)
    if is_float_array:
        return pred_probs, dtype, False  # keep float32 as float32, like cleanlab
    return checked, dtype, False


def _check_chunk(chunk, start, stop, whole=None):
    """Validate rows ``start:stop`` of ``pred_probs`` (``chunk``, in the dtype
    the user gave, which sets the tolerance).

    On failure, :func:`check_soft_targets` raises the error: on ``whole``
    (the in-memory array, so the message gives the row number) or on the
    chunk.
    """
    atol = _row_sum_atol(chunk.dtype)
    if _fast_rows_ok(chunk, atol):
        return
    if whole is not None:
        check_soft_targets(whole, input_name="pred_probs", atol=atol)
    else:
        check_soft_targets(chunk, input_name=f"pred_probs[{start}:{stop}]", atol=atol)


def _check_inputs(labels, pred_probs, *, batch_size=None, defer=False):
    """Validate ``labels`` and ``pred_probs`` together (the public boundary).

    Returns
    -------
    labels : ndarray of shape (n_samples,), dtype=intp
    pred_probs : array of shape (n_samples, n_classes)
        The validated array (or the memmap itself, with ``batch_size``).
    dtype : numpy dtype
        float32 or float64: the dtype in which probabilities are compared.
    pending : bool
        Whether the values of ``pred_probs`` are still to be checked, chunk
        by chunk (see :func:`_check_pred_probs`).
    """
    pred_probs, dtype, pending = _check_pred_probs(
        pred_probs, batch_size=batch_size, defer=defer
    )
    n_samples, n_classes = pred_probs.shape
    if n_classes < 2:
        raise ValueError(
            f"pred_probs must have at least 2 columns (one per class), got {n_classes}."
        )
    labels = _check_class_indices(labels, n_classes, n_samples)
    return labels, pred_probs, dtype, pending


# --------------------------------------------------------------------------
# Streaming over row chunks
# --------------------------------------------------------------------------


def _chunk_rows(n_classes, batch_size):
    if batch_size is not None:
        return int(batch_size)
    return max(1, _CHUNK_ELEMENTS // n_classes)


def _iter_chunks(pred_probs, dtype, chunk_rows, *, validate=False):
    """Yield ``(start, stop, rows)`` with the rows as an array of ``dtype``."""
    n_samples = pred_probs.shape[0]
    for start in range(0, n_samples, chunk_rows):
        stop = min(start + chunk_rows, n_samples)
        chunk = np.asarray(pred_probs[start:stop])
        if validate:
            _check_chunk(chunk, start, stop)
        yield start, stop, chunk.astype(dtype, copy=False)


def _row_dtype(n_samples):
    """Integer dtype for row indices: int32 when it suffices (less memory)."""
    return np.dtype(np.int32 if n_samples < np.iinfo(np.int32).max else np.intp)


def _small_int_dtype(n_classes):
    """Smallest signed integer dtype holding ``0..n_classes-1``."""
    for dtype in (np.int8, np.int16, np.int32):
        if n_classes <= np.iinfo(dtype).max:
            return np.dtype(dtype)
    return np.dtype(np.int64)


# --------------------------------------------------------------------------
# The statistics every method needs, in two passes over pred_probs
# --------------------------------------------------------------------------


@dataclass
class _Stats:
    """Per-row and per-class statistics of one ``(labels, pred_probs)`` input.

    Attributes
    ----------
    labels : ndarray of shape (n_samples,), dtype=intp
    pred_probs : array of shape (n_samples, n_classes)
    dtype : float32 or float64, the dtype of every probability below
    chunk_rows : int, rows per streamed chunk
    pending : bool, whether the counting pass must validate the values
    streamed : bool, whether ``pred_probs`` is read in ``batch_size`` chunks
    counts : ndarray of shape (n_classes,), number of rows per given label
    order : ndarray of shape (n_samples,), rows sorted by label, ascending
        index within a class (so ``order[starts[k]:starts[k + 1]]`` are the
        rows of class ``k`` in their original order)
    starts : ndarray of shape (n_classes + 1,)
    self_confidence : ndarray of shape (n_samples,), ``pred_probs[i, labels[i]]``
    thresholds : ndarray of shape (n_classes,), per-class confident thresholds
    raw_joint : ndarray of shape (n_classes, n_classes), the uncalibrated
        confident joint (diagonal not yet clipped), Fortran-ordered like
        cleanlab's
    argmax, top : ndarray of shape (n_samples,), predicted class and its
        probability (first maximum, as ``np.argmax``)
    off_diagonal : ndarray of row indices counted off the diagonal, or None
    sample : tuple (rows, margins) of a strided row sample, or None
    """

    labels: np.ndarray
    pred_probs: object
    dtype: np.dtype
    chunk_rows: int
    pending: bool
    streamed: bool
    counts: np.ndarray
    order: np.ndarray
    starts: np.ndarray
    self_confidence: np.ndarray
    thresholds: np.ndarray = None
    raw_joint: np.ndarray = None
    argmax: np.ndarray = None
    top: np.ndarray = None
    off_diagonal: np.ndarray = None
    sample: tuple = None

    @property
    def n_classes(self):
        return self.counts.size

    def class_rows(self, k):
        """Rows with given label ``k``, in increasing order."""
        return self.order[self.starts[k] : self.starts[k + 1]]

    def chunks(self):
        """``(start, stop, rows)`` of ``pred_probs``, chunk after chunk."""
        return _iter_chunks(self.pred_probs, self.dtype, self.chunk_rows)


def _class_order(labels, starts):
    """Rows sorted by label, each class in increasing row order.

    A stable sort of block after block (a radix sort on small integers, fast
    while a block stays in cache), each block's rows then placed after those
    of the previous blocks of the same class.
    """
    n_samples = labels.size
    n_classes = starts.size - 1
    small = _small_int_dtype(n_classes)
    order = np.empty(n_samples, dtype=_row_dtype(n_samples))
    filled = starts[:-1].copy()
    for start in range(0, n_samples, _ORDER_BLOCK):
        block = labels[start : start + _ORDER_BLOCK].astype(small)
        local = np.argsort(block, kind="stable")
        counts = np.bincount(block, minlength=n_classes)
        first = np.concatenate(([0], np.cumsum(counts)[:-1]))
        where = np.repeat(filled - first, counts) + np.arange(block.size)
        order[where] = start + local
        filled += counts
    return order


def _first_pass(labels, pred_probs, dtype, *, batch_size, pending=False):
    """Class layout and self-confidence (and, when streaming, validation)."""
    n_samples, n_classes = pred_probs.shape
    chunk_rows = _chunk_rows(n_classes, batch_size)
    if batch_size is None:
        self_confidence = pred_probs[np.arange(n_samples), labels]
    else:
        self_confidence = np.empty(n_samples, dtype=dtype)
        for start, stop, chunk in _iter_chunks(
            pred_probs, dtype, chunk_rows, validate=pending
        ):
            self_confidence[start:stop] = chunk[
                np.arange(stop - start), labels[start:stop]
            ]
    counts = np.bincount(labels, minlength=n_classes)
    starts = np.concatenate(([0], np.cumsum(counts)))
    order = _class_order(labels, starts)
    return _Stats(
        labels=labels,
        pred_probs=pred_probs,
        dtype=dtype,
        chunk_rows=chunk_rows,
        pending=pending and batch_size is None,
        streamed=batch_size is not None,
        counts=counts,
        order=order,
        starts=starts,
        self_confidence=self_confidence,
    )


def _confident_thresholds(stats):
    """Mean self-confidence of each class (the per-class threshold).

    The mean of class ``k`` is ``np.mean`` over its rows in index order, in
    the dtype of ``pred_probs``, so the result is bitwise cleanlab's. A class
    absent from ``labels`` gets 2 (never reached), and like cleanlab the
    thresholds then become float64 even for float32 input.
    """
    present = stats.counts > 0
    dtype = stats.dtype if present.all() else np.dtype(np.float64)
    thresholds = np.full(stats.n_classes, _ABSENT_THRESHOLD, dtype=dtype)
    with np.errstate(all="ignore"):  # values not validated yet may be NaN
        for k in np.flatnonzero(present):
            thresholds[k] = np.mean(stats.self_confidence[stats.class_rows(k)])
    return np.maximum(thresholds, _THRESHOLD_FLOOR)


def _count_chunk(stats, start, stop, chunk, *, cut, want_off, sample_step):
    """Confident counting on one chunk (see :func:`_second_pass`).

    cleanlab's rule: among the classes with ``p[j] >= cut[j]``, the guess is
    the only one if there is one, else the argmax of ``p`` (even when the
    argmax itself is below its cut). So a row whose argmax passes its cut is
    guessed as the argmax; only the other rows need the full comparison.
    """
    if stats.pending:
        _check_chunk(chunk, start, stop, whole=stats.pred_probs)
    labels = stats.labels[start:stop]
    n_classes = stats.n_classes
    argmax = chunk.argmax(axis=1)
    top = chunk[np.arange(stop - start), argmax]
    counted = top >= cut[argmax]
    guess = argmax
    rest = np.flatnonzero(~counted)
    if rest.size:
        confident = chunk[rest] >= cut
        n_confident = np.count_nonzero(confident, axis=1)
        guess = argmax.copy()
        single = n_confident == 1
        guess[rest[single]] = confident[single].argmax(axis=1)
        counted[rest] = n_confident > 0
    # counted by (true, given): transposed at the end, see _second_pass
    joint = np.bincount(
        guess[counted] * n_classes + labels[counted], minlength=n_classes * n_classes
    )
    off = None
    if want_off:
        off = start + np.flatnonzero(counted & (guess != labels))
    sample = None
    if sample_step:
        local = np.arange((-start) % sample_step, stop - start, sample_step)
        margins = chunk[local] - stats.self_confidence[start + local][:, None]
        sample = (start + local, margins)
    return argmax, top, joint, off, sample


def _second_pass(stats, *, want_off=False, sample=False, n_jobs=None):
    """Thresholds, the raw confident joint, argmax / top probability per row.

    Optionally keeps the rows counted off the diagonal of the confident
    joint (``want_off``) and, with ``sample``, the margins ``pred_probs[i, j]
    - pred_probs[i, labels[i]]`` of evenly spaced rows (used by
    :mod:`sklabels.noise._filter` to bound its selections).
    """
    stats.thresholds = _confident_thresholds(stats)
    # the comparison cleanlab makes: pred_probs >= thresholds - 1e-6
    cut = stats.thresholds - _EPS
    n_samples = stats.labels.size
    n_classes = stats.n_classes
    sample_step = 0
    if sample:
        sample_rows = max(_SAMPLE_ELEMENTS // n_classes, _SAMPLE_PER_CLASS * n_classes)
        sample_step = max(1, n_samples // sample_rows)

    results = _map_chunks(
        partial(
            _count_chunk, stats, cut=cut, want_off=want_off, sample_step=sample_step
        ),
        stats.chunks(),
        n_jobs,
    )
    argmax = np.empty(n_samples, dtype=_small_int_dtype(n_classes))
    top = np.empty(n_samples, dtype=stats.dtype)
    joint = np.zeros(n_classes * n_classes, dtype=np.int64)
    offs, sample_rows, sample_margins = [], [], []
    start = 0
    for chunk_argmax, chunk_top, chunk_joint, off, sample in results:
        stop = start + chunk_argmax.size
        argmax[start:stop] = chunk_argmax
        top[start:stop] = chunk_top
        joint += chunk_joint
        if off is not None:
            offs.append(off)
        if sample is not None:
            sample_rows.append(sample[0])
            sample_margins.append(sample[1])
        start = stop
    stats.argmax = argmax
    stats.top = top
    # A Fortran-ordered (given, true) matrix, the layout of cleanlab's
    # ``confusion_matrix(...).T``: later sums run in memory order, so the
    # layout decides the last bits of the calibrated counts.
    stats.raw_joint = joint.reshape(n_classes, n_classes).T
    if want_off:
        stats.off_diagonal = np.concatenate(offs)
    if sample:
        stats.sample = (
            np.concatenate(sample_rows),
            np.concatenate(sample_margins),
        )
    return stats


def _map_chunks(func, chunks, n_jobs):
    """``func(start, stop, chunk)`` for each chunk, in order; threads when
    ``n_jobs`` > 1.

    Results are yielded as they come, so that they need not all be held.
    """
    if n_jobs is None or n_jobs == 1:
        return (func(*item) for item in chunks)
    return Parallel(n_jobs=n_jobs, prefer="threads", return_as="generator")(
        delayed(func)(*item) for item in chunks
    )


def _compute_stats(labels, pred_probs, *, batch_size=None, n_jobs=None, **kwargs):
    """Validate, then run both passes: the one entry point of the kernels."""
    labels, pred_probs, dtype, pending = _check_inputs(
        labels, pred_probs, batch_size=batch_size, defer=True
    )
    stats = _first_pass(
        labels, pred_probs, dtype, batch_size=batch_size, pending=pending
    )
    stats = _second_pass(stats, n_jobs=n_jobs, **kwargs)
    stats.pending = False
    return stats


# --------------------------------------------------------------------------
# Small (K, K) kernels
# --------------------------------------------------------------------------


def _round_rows(matrix):
    """Round every row of ``matrix`` to integers, keeping the row totals.

    As cleanlab's ``round_preserving_sum`` on each row: round half to even,
    then move the difference onto the entries with the largest (or
    smallest) rounding remainder, in the order of numpy's default argsort,
    until the total matches. All rows are done at once: the rows still off
    their total are adjusted together in each round (one argsort along the
    rows). The row totals are summed row by row, as cleanlab sums them, so
    that their last bits, hence their rounding, agree.
    """
    values = np.asarray(matrix, dtype=float)
    ints = values.round()
    target = np.array([np.sum(values[i]) for i in range(values.shape[0])]).round()
    total = ints.sum(axis=1).round()  # sums of whole numbers: exact
    rows = np.flatnonzero(np.abs(total - target) > _EPS)
    while rows.size:
        diff = np.round(target[rows] - total[rows])
        step = np.where(diff < 0.0, -1.0, 1.0)
        n_change = np.minimum(np.abs(diff), values.shape[1]).astype(np.intp)
        ranked = np.argsort(values[rows] - ints[rows], axis=1)
        ranked = np.where(step[:, None] == 1, ranked[:, ::-1], ranked)
        which, position = np.nonzero(np.arange(values.shape[1]) < n_change[:, None])
        ints[rows[which], ranked[which, position]] += step[which]
        total[rows] = ints[rows].sum(axis=1).round()
        rows = rows[np.abs(total[rows] - target[rows]) > _EPS]
    # C order, as cleanlab's rows stacked back: later sums run in memory order
    return ints.astype(int, order="C")


def _clip_diagonal(raw_joint):
    """At least one confident example of each class on the diagonal."""
    joint = raw_joint.copy(order="K")  # keep the layout
    np.fill_diagonal(joint, np.maximum(joint.diagonal(), 1))
    return joint


def _calibrate(joint, counts):
    """Rescale rows to the label counts, the total to ``n``, then round.

    Operation order and memory layout follow cleanlab's
    ``calibrate_confident_joint`` so the floats, hence the rounding, agree.
    """
    row_totals = np.maximum(joint.sum(axis=1), _TINY)
    scaled = (joint.T / row_totals * counts).T
    scaled = scaled / np.maximum(np.sum(scaled), _TINY) * counts.sum()
    return _round_rows(scaled)


def _joint_from_stats(stats, *, calibrate=True):
    joint = _clip_diagonal(stats.raw_joint)
    if calibrate:
        joint = _calibrate(joint, stats.counts)
    return joint


def _clip_noise_rates(matrix, empty):
    """Clip off-diagonal rates to [0, 0.9999] and renormalise the columns.

    The ``empty`` columns (conditioned on a class with no count) become
    columns of the identity matrix: see :func:`estimate_noise_matrices`.
    """
    diagonal = np.diagonal(matrix)
    clipped = np.clip(matrix, 0, _MAX_NOISE_RATE)
    np.fill_diagonal(clipped, diagonal)
    clipped = clipped / np.maximum(clipped.sum(axis=0), _TINY)
    clipped[:, empty] = np.eye(matrix.shape[0])[:, empty]
    return clipped


def _latent_estimates(joint, counts):
    """Noise matrix, inverse noise matrix and prior of the true labels.

    cleanlab's ``estimate_latent`` with its defaults (``py_method="cnt"``,
    no convergence step), except for the columns of classes without counts
    (identity columns where cleanlab leaves zeros).
    """
    given_prior = counts / float(counts.sum())
    given_totals = joint.sum(axis=1).astype(float)
    true_totals = joint.sum(axis=0).astype(float)
    noise_matrix = joint / np.maximum(true_totals, _TINY)
    inverse_noise_matrix = joint.T / np.maximum(given_totals, _TINY)
    prior = (
        inverse_noise_matrix.diagonal()
        / np.maximum(noise_matrix.diagonal(), _TINY)
        * given_prior
    )
    prior = np.clip(prior, _PRIOR_FLOOR, 1.0)
    prior = prior * 1.0 / np.maximum(np.sum(prior), _TINY)
    return (
        _clip_noise_rates(noise_matrix, true_totals == 0),
        _clip_noise_rates(inverse_noise_matrix, given_totals == 0),
        prior,
    )


# --------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------


@validate_params(
    {
        "labels": ["array-like"],
        "pred_probs": ["array-like"],
        "calibrate": ["boolean"],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
    },
    prefer_skip_nested_validation=True,
)
def confident_joint(labels, pred_probs, *, calibrate=True, batch_size=None):
    """Count confident examples of every (given label, true label) pair.

    The confident joint ``C`` is the ``(n_classes, n_classes)`` matrix whose
    entry ``C[i, j]`` counts the examples given label ``i`` that the model
    confidently puts in class ``j``: their predicted probability of ``j`` is at
    least the class threshold ``t_j``, the mean predicted probability of ``j``
    over the examples labelled ``j``. It estimates the joint distribution of
    given (noisy) and true labels, and is the first step of confident
    learning.

    Read more in the :ref:`User Guide <noise>`.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Given, possibly noisy, labels as integer class indices
        ``0..n_classes-1`` (column ``k`` of ``pred_probs`` is class ``k``).

    pred_probs : array-like of shape (n_samples, n_classes)
        Out-of-sample predicted class probabilities (for instance from
        ``cross_val_predict(..., method="predict_proba")``): non-negative,
        rows summing to 1 (within
        1e-6; 1e-4 for float32 and 4e-3 for float16 arrays, as close as
        their rounding allows; float16 is computed in float64). float32
        arrays are used as float32, like cleanlab does; ``np.memmap`` works
        too (see ``batch_size``).

    calibrate : bool, default=True
        Whether to calibrate the counts: rescale each row to the number of
        examples with that given label, then the whole matrix to
        ``n_samples``, and round to integers preserving the row totals.
        Uncalibrated, the diagonal is still at least 1.

    batch_size : int, default=None
        Read ``pred_probs`` in chunks of this many rows (validating each
        chunk), so that a memmap larger than memory can be used. None reads
        it as one array. The result does not depend on it.

    Returns
    -------
    confident_joint : ndarray of shape (n_classes, n_classes), dtype=int
        Rows are given labels, columns true labels. Calibrated, row ``i``
        sums to the number of examples labelled ``i``.

    See Also
    --------
    estimate_noise_matrices : Noise matrices derived from this count.
    find_label_issues : Flag the examples whose label looks wrong.

    Notes
    -----
    Confident learning [1]_ counts an example given label ``i`` into
    ``C[i, j]`` when ``pred_probs[x, j] >= t_j - 1e-6``; if several classes
    pass their threshold, ``j`` is the class of largest probability (even if
    that class itself misses its threshold), and an example passing no
    threshold is not counted. The result equals cleanlab's
    ``count.compute_confident_joint`` (whose quirks it keeps): thresholds are
    floored at ``2e-6``; a class absent from ``labels`` gets threshold 2, so
    it is never a confident true label; the diagonal is raised to at least
    1 before calibration; calibration rounds half to even then fixes each
    row total on the entries with the largest remainders, ties broken by
    numpy's default argsort.

    References
    ----------
    .. [1] C. G. Northcutt, L. Jiang and I. L. Chuang, "Confident Learning:
       Estimating Uncertainty in Dataset Labels", Journal of Artificial
       Intelligence Research, 70, 1373-1411, 2021.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.noise import confident_joint
    >>> labels = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> pred_probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.3], [0.1, 0.9],
    ...                        [0.2, 0.8], [0.1, 0.9], [0.3, 0.7], [0.9, 0.1]])
    >>> confident_joint(labels, pred_probs)
    array([[3, 1],
           [1, 3]])
    """
    stats = _compute_stats(labels, pred_probs, batch_size=batch_size)
    return _joint_from_stats(stats, calibrate=calibrate)


@validate_params(
    {
        "labels": ["array-like"],
        "pred_probs": ["array-like"],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
    },
    prefer_skip_nested_validation=True,
)
def estimate_noise_matrices(labels, pred_probs, *, batch_size=None):
    """Estimate the noise matrix, its inverse and the prior of true labels.

    From the calibrated :func:`confident_joint` ``C`` (rows given labels,
    columns true labels): the noise matrix ``P(given = i | true = j)``,
    the inverse noise matrix ``P(true = i | given = j)`` and the class
    prior ``P(true = k)``.

    Read more in the :ref:`User Guide <noise>`.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Given labels as integer class indices ``0..n_classes-1``.

    pred_probs : array-like of shape (n_samples, n_classes)
        Out-of-sample predicted class probabilities, as for
        :func:`confident_joint`.

    batch_size : int, default=None
        Read ``pred_probs`` in chunks of this many rows (for memmaps); the
        result does not depend on it.

    Returns
    -------
    noise_matrix : ndarray of shape (n_classes, n_classes)
        ``noise_matrix[i, j] = P(given label = i | true label = j)``; every
        column sums to 1 (see Notes for classes without examples). The
        convention of :func:`sklabels.datasets.make_noisy_labels`.

    inverse_noise_matrix : ndarray of shape (n_classes, n_classes)
        ``inverse_noise_matrix[i, j] = P(true label = i | given label = j)``;
        every column sums to 1.

    prior : ndarray of shape (n_classes,)
        Estimated ``P(true label = k)``, summing to 1.

    See Also
    --------
    confident_joint : The counts these estimates are computed from.
    sklabels.datasets.make_noise_matrix : Draw a noise matrix.

    Notes
    -----
    Equal to cleanlab's ``count.estimate_latent(confident_joint, labels)``
    with its defaults (``py_method="cnt"``, ``converge_latent_estimates=
    False``) on cleanlab's default (calibrated) confident joint, **but in a
    different order**: cleanlab returns ``(py, noise_matrix,
    inverse_noise_matrix)``; this function returns ``(noise_matrix,
    inverse_noise_matrix, prior)``.

    The columns of ``C`` normalised give the noise matrix, its rows
    normalised (and transposed) the inverse noise matrix. The prior is
    ``P(true = k) = P(given = k) * inverse[k, k] / noise[k, k]``, clipped to
    ``[1e-6, 1]`` and renormalised; off-diagonal rates are clipped to
    ``[0, 0.9999]`` and each column renormalised to sum to 1 (as cleanlab
    does, the diagonal is kept as it is before that renormalisation).

    *Classes without examples.* A class that is no example's given label
    (absent from ``labels``: with one row, or one class in ``labels``, every
    other class) has an empty row in ``C``, and, as it is never a confident
    true label, an empty column too. The data then say nothing about how
    its labels are corrupted: the conditional probabilities given that class
    are 0/0. Its column of the noise matrix and of the inverse noise matrix
    is the identity column (``1`` on the diagonal: no noise assumed), so
    both matrices stay column-stochastic and can be given to
    :func:`sklabels.datasets.make_noisy_labels`; its prior is the floor
    ``1e-6`` (renormalised), so these columns barely weigh on any joint
    estimate ``noise_matrix * prior``. The same holds for the noise matrix
    column of a class that has examples but no confident example after
    calibration. cleanlab leaves these columns at zero; this is the only
    place where the estimates differ from its.

    References
    ----------
    .. [1] C. G. Northcutt, L. Jiang and I. L. Chuang, "Confident Learning:
       Estimating Uncertainty in Dataset Labels", Journal of Artificial
       Intelligence Research, 70, 1373-1411, 2021.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.noise import estimate_noise_matrices
    >>> labels = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> pred_probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.3], [0.1, 0.9],
    ...                        [0.2, 0.8], [0.1, 0.9], [0.3, 0.7], [0.9, 0.1]])
    >>> noise, inverse, prior = estimate_noise_matrices(labels, pred_probs)
    >>> noise
    array([[0.75, 0.25],
           [0.25, 0.75]])
    >>> prior
    array([0.5, 0.5])
    """
    stats = _compute_stats(labels, pred_probs, batch_size=batch_size)
    joint = _joint_from_stats(stats, calibrate=True)
    return _latent_estimates(joint, stats.counts)
