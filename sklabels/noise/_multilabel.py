"""Label errors in multi-label data: one-vs-rest confident learning.

:func:`find_multilabel_issues` flags the examples whose set of labels looks
wrong and :func:`multilabel_quality_scores` scores every example, from the
given label sets and out-of-sample per-label probabilities (Thyagarajan et
al., 2023). Each label is a binary problem ("has label ``l``" against "has
not") solved by the single-label kernels of :mod:`sklabels.noise._filter`
and :mod:`sklabels.noise._rank` on the two-column probabilities
``[1 - p, p]``; the per-label results are then combined per example. The
masks and scores are those of cleanlab 2.9's
``multilabel_classification.filter.find_label_issues`` and
``multilabel_classification.rank.get_label_quality_scores``.
"""

from itertools import chain
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.utils.parallel import Parallel, delayed

from sklabels.noise._count import (
    _confident_thresholds,
    _first_pass,
    _second_pass,
    _work_dtype,
)
from sklabels.noise._filter import (
    _FLAGGERS,
    _METHODS,
    _blocked_classes,
    _issue_mask,
    _pass_options,
)
from sklabels.noise._rank import _SCORERS, _score_rows
from sklabels.utils._compat import Interval, StrOptions, validate_params
from sklabels.utils._progress import warn_once

__all__ = ["find_multilabel_issues", "multilabel_quality_scores"]

# cleanlab's softmax divides by max(temperature, this).
_SOFTMIN_FLOOR = 1e-6
# Methods that rank the examples by their aggregated score (cleanlab's
# multi-label versions count the issues with "confident_learning", then flag
# that many examples with the lowest default score).
_RANKERS = ("low_self_confidence", "low_normalized_margin")
_ML_METHODS = (*_METHODS, *_RANKERS)


# --------------------------------------------------------------------------
# Validation (once, at the boundary)
# --------------------------------------------------------------------------


def _check_pred_probs_ml(pred_probs):
    """(n, L) per-label probabilities in [0, 1]; float32 kept as float32."""
    dtype = _work_dtype(pred_probs)
    array = np.asarray(pred_probs)
    if array.dtype.kind not in "biuf":
        raise TypeError(
            "pred_probs must hold numeric per-label probabilities, got dtype "
            f"{array.dtype}."
        )
    if array.ndim != 2:
        raise ValueError(
            "pred_probs must be a 2d array of shape (n_samples, n_labels), got "
            f"shape {array.shape}."
        )
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(
            f"pred_probs is empty (shape {array.shape}): at least one row and one "
            "label column are required."
        )
    array = array.astype(dtype, copy=False)
    # one pass for NaN and the range: NaN fails both comparisons
    low, high = np.min(array), np.max(array)
    if not (low >= 0 and high <= 1):
        bad = ~((array >= 0) & (array <= 1))
        i, j = np.argwhere(bad)[0]
        value = array[i, j].item()
        what = "NaN or infinite" if not np.isfinite(value) else "outside [0, 1]"
        raise ValueError(
            "pred_probs must hold probabilities in [0, 1] (one independent "
            f"probability per label); pred_probs[{i}, {j}] = {value!r} is {what} "
            f"({int(bad.sum())} such entries)."
        )
    return array, dtype


def _raise_not_a_list(labels):
    """ValueError naming the first row that is not a list of labels."""
    i, row = next(
        (i, row)
        for i, row in enumerate(labels)
        if isinstance(row, (str, bytes)) or not hasattr(row, "__len__")
    )
    raise ValueError(
        "labels given as a list must be a list of label lists (one list "
        f"of label indices per example), got labels[{i}] = {row!r}. Give "
        "e.g. [[0, 2], [], [1]], or an (n_samples, n_labels) indicator "
        "array (a numpy array or sparse matrix)."
    )


def _label_lists_to_indicator(labels, n_labels):
    """A list of label lists as an (n, L) boolean indicator matrix."""
    try:
        lengths = np.fromiter(map(len, labels), dtype=np.intp, count=len(labels))
    except TypeError:
        lengths = None
    if lengths is None:
        _raise_not_a_list(labels)
    flat = list(chain.from_iterable(labels))
    values = np.asarray(flat) if flat else np.zeros(0, dtype=np.intp)
    if values.ndim != 1 or values.dtype.kind not in "biuf":
        if any(isinstance(row, (str, bytes)) for row in labels):
            _raise_not_a_list(labels)
        rows = np.repeat(np.arange(len(labels)), lengths)
        k = next(
            (k for k, v in enumerate(flat) if not isinstance(v, (Integral, Real))), 0
        )
        raise TypeError(
            "labels must hold integer label indices (columns of pred_probs), got "
            f"{flat[k]!r} in labels[{rows[k]}]."
        )
    rows = np.repeat(np.arange(len(labels)), lengths)
    bad = (values != np.floor(values)) if values.dtype.kind == "f" else None
    if bad is not None and bad.any():
        k = int(np.argmax(bad))
        raise ValueError(
            "labels must hold integer label indices (columns of pred_probs), got "
            f"the non-integer value {flat[k]!r} in labels[{rows[k]}]. Continuous "
            "targets are not multi-label data."
        )
    outside = (values < 0) | (values >= n_labels)
    if outside.any():
        k = int(np.argmax(outside))
        raise ValueError(
            f"labels must hold label indices in 0..{n_labels - 1} (pred_probs has "
            f"{n_labels} columns), got {flat[k]!r} in labels[{rows[k]}] "
            f"({int(outside.sum())} such entries)."
        )
    indicator = np.zeros((len(labels), n_labels), dtype=bool)
    indicator[rows, values.astype(np.intp)] = True
    return indicator


def _check_indicator_values(values, where):
    """Values of an indicator matrix must be 0 or 1 (bool too)."""
    if values.dtype == bool:
        return
    if values.dtype.kind not in "iuf":
        raise TypeError(
            "labels must be a 0/1 indicator matrix or a list of label lists, got "
            f"an array of dtype {values.dtype}."
        )
    bad = (values != 0) & (values != 1)
    if bad.any():
        k = int(np.argmax(bad))
        value = values.flat[k].item()
        if values.dtype.kind == "f" and np.isnan(value):
            kind = "NaN"
        elif values.dtype.kind == "f" and value != np.floor(value):
            kind = "a continuous value (multi-label targets are 0/1)"
        else:
            kind = "a value other than 0 and 1"
        raise ValueError(
            f"labels given as an indicator matrix must hold only 0 and 1, got "
            f"{value!r} ({kind}) {where(k)} ({int(bad.sum())} such entries). Give "
            "1 where the example has the label, 0 elsewhere."
        )


def _check_multilabel_inputs(labels, pred_probs):
    """Validate both inputs; return the (n, L) bool indicator, pred_probs, dtype.

    A ``list`` / ``tuple`` (or a 1d object array / Series) is a list of label
    lists, as cleanlab takes them; an ndarray, DataFrame or sparse matrix is
    an indicator matrix.
    """
    pred_probs, dtype = _check_pred_probs_ml(pred_probs)
    n_samples, n_labels = pred_probs.shape
    if sp.issparse(labels):
        if labels.ndim != 2:
            raise ValueError(f"labels must be 2d, got shape {labels.shape}.")
        shape = labels.shape
        coo = labels.tocoo()

        def where(k):
            return f"at labels[{coo.row[k]}, {coo.col[k]}]"

        _check_indicator_values(np.asarray(coo.data), where)
        indicator = None
    else:
        is_lists = isinstance(labels, (list, tuple)) or (
            getattr(labels, "ndim", None) == 1
            and getattr(getattr(labels, "dtype", None), "kind", None) == "O"
        )
        if is_lists:
            indicator = _label_lists_to_indicator(list(labels), n_labels)
            if indicator.shape[0] != n_samples:
                raise ValueError(
                    f"labels has {indicator.shape[0]} label lists but pred_probs "
                    f"has {n_samples} rows; give one list of labels per example."
                )
            return indicator, pred_probs, dtype
        array = np.asarray(labels)
        if array.ndim != 2:
            raise ValueError(
                "labels must be an (n_samples, n_labels) 0/1 indicator matrix or a "
                f"list of label lists, got an array of shape {array.shape}. A 1d "
                "array of class indices is single-label data: use "
                "find_label_issues / label_quality_scores."
            )
        shape = array.shape

        def where(k):
            i, j = np.unravel_index(k, array.shape)
            return f"at labels[{i}, {j}]"

        _check_indicator_values(array, where)
        indicator = array
    if shape != (n_samples, n_labels):
        raise ValueError(
            f"labels has shape {shape} but pred_probs has shape "
            f"{(n_samples, n_labels)}; give one row per example and one column "
            "per label in both."
        )
    if indicator is None:
        indicator = labels.toarray()
    return indicator.astype(bool, copy=False), pred_probs, dtype


# --------------------------------------------------------------------------
# One-vs-rest kernels
# --------------------------------------------------------------------------


def _binary(p, dtype):
    """``[1 - p, p]``: the probabilities of "without" and "with" one label."""
    out = np.empty((p.shape[0], 2), dtype=dtype)
    np.subtract(dtype.type(1), p, out=out[:, 0])
    out[:, 1] = p
    return out


def _label_stats(indicator, pred_probs, dtype, column, **options):
    """Counting-pass statistics of the binary problem of one label."""
    y = indicator[:, column].astype(np.intp)
    stats = _first_pass(
        y, _binary(pred_probs[:, column], dtype), dtype, batch_size=None
    )
    return _second_pass(stats, **options)


def _label_mask(indicator, pred_probs, dtype, column, method, frac_noise, mepc):
    stats = _label_stats(indicator, pred_probs, dtype, column, **_pass_options(method))
    mask = _issue_mask(stats, method, frac_noise, mepc, None, warn=False)
    return mask, bool(_blocked_classes(stats.counts, mepc).any())


def _map_labels(func, n_labels, n_jobs):
    if n_jobs is None or n_jobs == 1:
        return [func(column) for column in range(n_labels)]
    return Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(func)(column) for column in range(n_labels)
    )


def _per_label_masks(indicator, pred_probs, dtype, method, frac_noise, mepc, n_jobs):
    """OR of the one-vs-rest masks, and the labels too rare to prune."""
    results = _map_labels(
        lambda c: _label_mask(
            indicator, pred_probs, dtype, c, method, frac_noise, mepc
        ),
        indicator.shape[1],
        n_jobs,
    )
    mask = np.zeros(indicator.shape[0], dtype=bool)
    blocked = []
    for column, (label_mask, is_blocked) in enumerate(results):
        mask |= label_mask
        if is_blocked:
            blocked.append(column)
    return mask, blocked


def _class_scores(indicator, pred_probs, dtype, method, adjust_pred_probs):
    """(n, L) float64 one-vs-rest scores (cleanlab's per-class scores)."""
    n_samples, n_labels = pred_probs.shape
    scores = np.empty((n_samples, n_labels), dtype=np.float64)
    for column in range(n_labels):
        y = indicator[:, column].astype(np.intp)
        binary = _binary(pred_probs[:, column], dtype)
        thresholds = None
        if adjust_pred_probs:
            stats = _first_pass(y, binary, dtype, batch_size=None)
            thresholds = _confident_thresholds(stats)
        scores[:, column] = _score_rows(y, binary, method, thresholds)
    return scores


# --------------------------------------------------------------------------
# Aggregators: (n, L) scores -> (n,), as cleanlab's
# --------------------------------------------------------------------------


def _ema(scores, *, alpha, **_):
    """Exponential moving average of the scores sorted in descending order.

    Sorts ``scores`` in place (it is a temporary of the caller).
    """
    n_labels = scores.shape[1]
    if alpha is None:
        alpha = float(2 / (n_labels + 1))
    scores.sort(axis=1)
    ema = scores[:, -1].copy()
    for column in range(n_labels - 2, -1, -1):
        ema = alpha * scores[:, column] + (1 - alpha) * ema
    return ema


def _softmin(scores, *, temperature, **_):
    """Scores weighted by a softmax of ``(1 - score) / temperature``."""
    x = (1 - scores) / max(temperature, _SOFTMIN_FLOOR)
    x -= np.max(x, axis=1, keepdims=True)
    np.exp(x, out=x)
    x /= np.sum(x, axis=1, keepdims=True)
    return np.einsum("ij,ij->i", scores, x)


_AGGREGATORS = {
    "exponential_moving_average": _ema,
    "softmin": _softmin,
    "mean": lambda scores, **_: np.mean(scores, axis=1),
    "min": lambda scores, **_: np.min(scores, axis=1),
    "max": lambda scores, **_: np.max(scores, axis=1),
}


def _aggregate(scores, aggregator, alpha, temperature):
    if callable(aggregator):
        result = np.asarray(aggregator(scores, axis=1))
        if result.shape != (scores.shape[0],):
            raise ValueError(
                f"aggregator={aggregator!r} called as aggregator(scores, axis=1) on "
                f"scores of shape {scores.shape} must return one score per "
                f"example (shape {(scores.shape[0],)}), got shape {result.shape}."
            )
        return result
    return _AGGREGATORS[aggregator](scores, alpha=alpha, temperature=temperature)


def _scores(
    indicator, pred_probs, dtype, method, aggregator, alpha, temperature, adjust
):
    class_scores = _class_scores(indicator, pred_probs, dtype, method, adjust)
    return _aggregate(class_scores, aggregator, alpha, temperature)


# --------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------


@validate_params(
    {
        "labels": ["array-like", "sparse matrix"],
        "pred_probs": ["array-like"],
        "method": [StrOptions(set(_ML_METHODS))],
        "frac_noise": [Interval(Real, 0, 1, closed="both")],
        "return_indices_ranked_by": [StrOptions(set(_SCORERS)), None],
        "min_examples_per_class": [Interval(Integral, 0, None, closed="left")],
        "n_jobs": [Integral, None],
    },
    prefer_skip_nested_validation=True,
)
def find_multilabel_issues(
    labels,
    pred_probs,
    method="prune_by_noise_rate",
    frac_noise=1.0,
    return_indices_ranked_by=None,
    *,
    min_examples_per_class=1,
    n_jobs=None,
):
    """Flag the examples whose set of labels is likely wrong (multi-label).

    Each label is treated as its own binary problem (the example has it or
    not) and confident learning flags the examples whose annotation of that
    label looks wrong (one-vs-rest); an example is flagged when any of its
    labels is. For the same input and method the mask is that of cleanlab's
    ``multilabel_classification.filter.find_label_issues(labels, pred_probs,
    filter_by=method)``.

    Read more in the :ref:`User Guide <noise_multilabel>`.

    Parameters
    ----------
    labels : {array-like, sparse matrix} of shape (n_samples, n_labels), or \
            list of lists of int
        The given label sets: a 0/1 indicator matrix (numpy array, DataFrame
        or scipy sparse matrix; 1 where the example has the label), or a
        Python list with, for each example, the list of its label indices
        (``[[0, 2], [], [1]]``; empty lists allowed). A ``list`` is always
        read as label lists, an array as an indicator matrix.

    pred_probs : array-like of shape (n_samples, n_labels)
        Out-of-sample predicted probability of each label, independently
        (rows need not sum to 1), e.g. from a one-vs-rest classifier's
        ``predict_proba`` under cross-validation. Column ``l`` is label
        ``l``. float32 arrays are compared in float32, as cleanlab does.

    method : {"prune_by_noise_rate", "prune_by_class", "both", \
            "confident_learning", "predicted_neq_given", \
            "low_self_confidence", "low_normalized_margin"}, \
            default="prune_by_noise_rate"
        How each label's binary problem is filtered (as in
        :func:`find_label_issues`, on the probabilities ``[1 - p, p]``).
        The two ``"low_*"`` methods instead count the issues with
        ``"confident_learning"`` and flag that many examples with the
        lowest :func:`multilabel_quality_scores` (see Notes).

    frac_noise : float in [0, 1], default=1.0
        Flag only about this fraction of the estimated issues of each label
        (the most severe ones). Used by the three pruning methods only.

    return_indices_ranked_by : {"self_confidence", "normalized_margin", \
            "confidence_weighted_entropy"}, default=None
        None returns a boolean mask. Otherwise return the indices of the
        flagged examples sorted by :func:`multilabel_quality_scores` with
        this method (exponential moving average, ``alpha=0.8``), most
        likely mislabelled first.

    min_examples_per_class : int, default=1
        A label is not pruned when at most this many examples have it (or
        lack it), and pruning keeps at least this many of each. Used by the
        three pruning methods only.

    n_jobs : int, default=None
        Number of threads, one label at a time. None means 1; -1 means all
        processors. The result does not depend on it.

    Returns
    -------
    label_issues : ndarray of shape (n_samples,), dtype=bool, or ndarray of \
            shape (n_issues,), dtype=int
        A boolean mask, True for the flagged examples; or, with
        ``return_indices_ranked_by``, the indices of the flagged examples,
        lowest score first.

    See Also
    --------
    multilabel_quality_scores : Score every example's label set.
    find_label_issues : The single-label version, run here on each label.

    Notes
    -----
    The method of Thyagarajan et al. [1]_: label ``l`` of example ``i`` is
    the binary label ``y[i, l]`` with predicted probabilities ``[1 -
    p[i, l], p[i, l]]``; confident learning [2]_ estimates per label how
    many examples are wrongly given (or denied) the label and flags that
    many, and the example is flagged when any of its labels is. The
    assumptions are those of confident learning, per label: the errors of
    a label depend on whether the example truly has it, not on the example,
    and the probabilities are out-of-sample and roughly calibrated.

    As in cleanlab, ``"low_self_confidence"`` and ``"low_normalized_margin"``
    flag the ``m`` examples with the lowest self-confidence scores
    aggregated by an exponential moving average (``alpha=0.8``), ``m``
    being the number flagged by ``"confident_learning"``; both use the
    self-confidence score (cleanlab's behaviour), and ties are broken as
    numpy's default ``argsort``. With ``return_indices_ranked_by``, these
    examples are returned sorted by the requested score (cleanlab 2.9
    returns the same examples but in an order that does not follow the
    score). A label that at most ``min_examples_per_class`` examples have
    (or lack) is not pruned, and a ``UserWarning`` names such labels. A
    label that every example has, or none has, is accepted (cleanlab raises
    an error) and never flagged by the pruning methods.

    The labels are processed one at a time, so the extra memory is about
    that of one label's binary problem (a few arrays of ``n_samples``
    entries) plus the boolean indicator matrix; cleanlab's ``low_memory``
    option is therefore not needed. Per-label ``confident_joint`` and
    ``num_to_remove_per_class`` (cleanlab options) are not offered.

    References
    ----------
    .. [1] A. Thyagarajan, E. Snorrason, C. Northcutt and J. Mueller,
       "Identifying Incorrect Annotations in Multi-Label Classification
       Data", ICLR Workshop on Trustworthy ML, 2023.
    .. [2] C. G. Northcutt, L. Jiang and I. L. Chuang, "Confident Learning:
       Estimating Uncertainty in Dataset Labels", Journal of Artificial
       Intelligence Research, 70, 1373-1411, 2021.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.noise import find_multilabel_issues
    >>> labels = [[0], [0], [0, 1], [1], [1], [], [0, 1], [1]]
    >>> pred_probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.9, 0.8], [0.1, 0.9],
    ...                        [0.2, 0.7], [0.1, 0.2], [0.1, 0.9], [0.2, 0.8]])
    >>> find_multilabel_issues(labels, pred_probs)
    array([False, False, False, False, False, False,  True, False])
    >>> find_multilabel_issues(labels, pred_probs,
    ...                        return_indices_ranked_by="self_confidence")
    array([6])
    """
    indicator, pred_probs, dtype = _check_multilabel_inputs(labels, pred_probs)
    if method in (*_FLAGGERS, *_RANKERS) and (
        frac_noise != 1.0 or min_examples_per_class != 1
    ):
        warn_once(
            f"frac_noise={frac_noise!r} and min_examples_per_class="
            f"{min_examples_per_class!r} are ignored by method={method!r}; they "
            "apply to the methods ['prune_by_noise_rate', 'prune_by_class', "
            "'both'].",
            UserWarning,
            stacklevel=3,
        )
    if method in _RANKERS:
        flagged, _ = _per_label_masks(
            indicator, pred_probs, dtype, "confident_learning", 1.0, 1, n_jobs
        )
        scores = _scores(
            indicator,
            pred_probs,
            dtype,
            "self_confidence",
            "exponential_moving_average",
            0.8,
            None,
            False,
        )
        issues = np.argsort(scores)[: int(flagged.sum())]
        mask = np.zeros(indicator.shape[0], dtype=bool)
        mask[issues] = True
    else:
        mask, blocked = _per_label_masks(
            indicator,
            pred_probs,
            dtype,
            method,
            frac_noise,
            min_examples_per_class,
            n_jobs,
        )
        if blocked and method not in _FLAGGERS:
            warn_once(
                f"Labels {blocked} are given to (or withheld from) at most "
                f"max(min_examples_per_class, 1) = {max(min_examples_per_class, 1)} "
                "examples: those rare annotations are never flagged. Lower "
                "min_examples_per_class to prune them when they number more "
                "than one.",
                UserWarning,
                stacklevel=3,
            )
    if return_indices_ranked_by is None:
        return mask
    flagged = np.flatnonzero(mask)
    scores = _scores(
        indicator[flagged],
        pred_probs[flagged],
        dtype,
        return_indices_ranked_by,
        "exponential_moving_average",
        0.8,
        None,
        False,
    )
    return flagged[np.argsort(scores)]


@validate_params(
    {
        "labels": ["array-like", "sparse matrix"],
        "pred_probs": ["array-like"],
        "method": [StrOptions(set(_SCORERS))],
        "aggregator": [StrOptions(set(_AGGREGATORS)), callable],
        "alpha": [Interval(Real, 0, 1, closed="both"), None],
        "temperature": [Interval(Real, 0, None, closed="neither")],
        "adjust_pred_probs": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def multilabel_quality_scores(
    labels,
    pred_probs,
    method="self_confidence",
    aggregator="exponential_moving_average",
    *,
    alpha=0.8,
    temperature=0.1,
    adjust_pred_probs=False,
):
    """Score how likely each example's set of labels is to be correct.

    Each label gets a binary label quality score (as
    :func:`label_quality_scores` on ``[1 - p, p]``: does the example have
    the label or not), and the per-label scores of an example are combined
    into one score in [0, 1] that the worst-annotated labels dominate. Low
    scores point at label sets to review. The scores are those of
    cleanlab's ``multilabel_classification.rank.get_label_quality_scores``.

    Read more in the :ref:`User Guide <noise_multilabel>`.

    Parameters
    ----------
    labels : {array-like, sparse matrix} of shape (n_samples, n_labels), or \
            list of lists of int
        The given label sets: a 0/1 indicator matrix (dense or scipy
        sparse), or a Python list of the label indices of each example.

    pred_probs : array-like of shape (n_samples, n_labels)
        Out-of-sample predicted probability of each label, independently.

    method : {"self_confidence", "normalized_margin", \
            "confidence_weighted_entropy"}, default="self_confidence"
        The per-label score (see :func:`label_quality_scores`).

    aggregator : {"exponential_moving_average", "softmin", "mean", "min", \
            "max"} or callable, default="exponential_moving_average"
        How an example's per-label scores are combined:

        - ``"exponential_moving_average"``: sort the scores in descending
          order, ``ema = s_1``, then ``ema = alpha * s_t + (1 - alpha) *
          ema`` for each next score: the lowest scores weigh most.
        - ``"softmin"``: ``sum_l s_l * softmax((1 - s) / temperature)_l``.
        - ``"mean"``, ``"min"``, ``"max"``: as the numpy functions.
        - a callable, called as ``aggregator(scores, axis=1)`` on the
          ``(n_samples, n_labels)`` scores (``np.median`` for instance); it
          must return one value per example.

    alpha : float in [0, 1] or None, default=0.8
        Weight of each new score in the exponential moving average; None
        means ``2 / (n_labels + 1)``. Used by that aggregator only.

    temperature : float > 0, default=0.1
        Temperature of ``"softmin"``: smaller values approach the minimum.
        Used by that aggregator only.

    adjust_pred_probs : bool, default=False
        Subtract each label's class thresholds before scoring (see
        :func:`label_quality_scores`). Not available for
        ``method="confidence_weighted_entropy"``.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        One score per example, lower meaning more likely mislabelled.

    See Also
    --------
    find_multilabel_issues : Flag the examples whose label set looks wrong.
    label_quality_scores : The single-label scores, used here per label.

    Notes
    -----
    The one-vs-rest scores and their aggregation follow Thyagarajan et al.
    [1]_, who found the exponential moving average of self-confidences
    (``alpha=0.8``) the best at ranking label sets with errors. Scores are
    float64 (cleanlab's per-label score matrix is float64, also for float32
    ``pred_probs``).

    References
    ----------
    .. [1] A. Thyagarajan, E. Snorrason, C. Northcutt and J. Mueller,
       "Identifying Incorrect Annotations in Multi-Label Classification
       Data", ICLR Workshop on Trustworthy ML, 2023.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.noise import multilabel_quality_scores
    >>> labels = [[1], [0, 2]]
    >>> pred_probs = np.array([[0.1, 0.9, 0.1], [0.4, 0.1, 0.9]])
    >>> multilabel_quality_scores(labels, pred_probs)
    array([0.9, 0.5])
    >>> multilabel_quality_scores(labels, pred_probs, aggregator="min")
    array([0.9, 0.4])
    """
    if adjust_pred_probs and method == "confidence_weighted_entropy":
        raise ValueError(
            "adjust_pred_probs=True is not supported with "
            "method='confidence_weighted_entropy' (nor is it by cleanlab); use "
            "method='self_confidence' or 'normalized_margin', or "
            "adjust_pred_probs=False."
        )
    indicator, pred_probs, dtype = _check_multilabel_inputs(labels, pred_probs)
    return _scores(
        indicator,
        pred_probs,
        dtype,
        method,
        aggregator,
        alpha,
        temperature,
        adjust_pred_probs,
    )
