"""Expected calibration error (ECE) and the binned statistics behind it."""

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.utils import Bunch
from sklearn.utils.validation import check_array

from sklabels.utils._compat import Interval, StrOptions, validate_params
from sklabels.utils._docstrings import make_fill_doc
from sklabels.utils._validation import check_classes, check_labels, check_soft_targets

__all__ = ["calibration_bins", "expected_calibration_error"]

# Tolerance on the row sums of ``proba``.
_ROW_SUM_ATOL = 1e-6


# --------------------------------------------------------------------------
# Kernels: trust their input (validated once by ``_check_calibration_input``)


def _uniform_edges(confidence, n_bins):
    """``n_bins`` bins of equal width over [0, 1]."""
    return np.linspace(0.0, 1.0, n_bins + 1)


def _quantile_edges(confidence, n_bins):
    """``n_bins`` bins holding equal numbers of samples (ties may empty some)."""
    return np.quantile(confidence, np.linspace(0.0, 1.0, n_bins + 1))


_STRATEGIES = {"uniform": _uniform_edges, "quantile": _quantile_edges}


def _bin_statistics(confidence, correct, weight, edges):
    """Per-bin weight, mean confidence and accuracy over right-closed bins.

    Bin ``b`` is ``(edges[b], edges[b + 1]]``; the first bin also holds
    ``edges[0]``. Only bins of positive weight are returned.

    Returns
    -------
    ids : ndarray of shape (n_nonempty,)
        Index of each returned bin.
    count, mean_confidence, accuracy : ndarray of shape (n_nonempty,)
    """
    n_bins = edges.size - 1
    ids = np.digitize(confidence, edges[1:-1], right=True)
    count = np.bincount(ids, weights=weight, minlength=n_bins)
    conf_sum = np.bincount(ids, weights=weight * confidence, minlength=n_bins)
    hit_sum = np.bincount(ids, weights=weight * correct, minlength=n_bins)
    nonempty = np.flatnonzero(count > 0)
    count = count[nonempty]
    return nonempty, count, conf_sum[nonempty] / count, hit_sum[nonempty] / count


def _ece(count, mean_confidence, accuracy):
    """Weighted mean over bins of ``|accuracy - confidence|``."""
    return float(np.sum(count * np.abs(accuracy - mean_confidence)) / np.sum(count))


# --------------------------------------------------------------------------
# Validation at the boundary


def _as_float_array(values, input_name):
    """A dense float64 array of any dimension; non-finite values are kept."""
    try:
        return check_array(
            values,
            ensure_2d=False,
            allow_nd=True,
            dtype=np.float64,
            ensure_all_finite=False,
            ensure_min_samples=0,
            input_name=input_name,
        )
    except ValueError as exc:
        raise ValueError(f"{input_name} must hold real numbers: {exc}") from exc
    except TypeError as exc:
        raise TypeError(f"{input_name} must hold real numbers: {exc}") from exc


def _check_proba(proba):
    """Validate ``proba``; return it as an (n, K) float array with K >= 2."""
    proba = _as_float_array(proba, "proba")
    if proba.ndim == 1:
        proba = proba.reshape(-1, 1)
        binary = True
    elif proba.ndim == 2:
        binary = False
        if proba.shape[1] == 1:
            raise ValueError(
                f"proba has a single column (shape {proba.shape}); pass a 1-D "
                "array of positive-class probabilities for a binary problem, or "
                "one column per class."
            )
    else:
        raise ValueError(
            "proba must be a 1-D array of positive-class probabilities or a 2-D "
            f"array of shape (n_samples, n_classes); got shape {proba.shape}."
        )

    if not binary:
        return check_soft_targets(proba, input_name="proba", atol=_ROW_SUM_ATOL)
    proba = check_soft_targets(
        proba,
        input_name="proba",
        what="positive-class probabilities",
        require_sum_to_one=False,
    )
    bad = proba[:, 0] > 1
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"proba, a 1-D array of positive-class probabilities, must lie in "
            f"[0, 1]; row {i} is {proba[i, 0]:.6g}."
        )
    return np.column_stack([1.0 - proba[:, 0], proba[:, 0]])


def _shown(values, limit=10):
    values = pd.unique(values)
    try:
        values = np.sort(values)
    except TypeError:
        pass
    more = f" and {values.size - limit} more" if values.size > limit else ""
    return f"{values[:limit].tolist()!r}{more}"


def _label_codes(y_true, n_classes, classes):
    """Column index of each label of ``y_true`` in an (n, n_classes) ``proba``."""
    if classes is not None:
        classes = check_classes(classes, input_name="classes")
        if classes.size != n_classes:
            raise ValueError(
                f"classes has {classes.size} entries but proba has {n_classes} "
                f"columns; give the class of each column of proba, in order."
            )
        codes = pd.Index(classes).get_indexer(y_true)
        unknown = codes < 0
        if unknown.any():
            raise ValueError(
                f"y_true contains labels that are not in classes: "
                f"{_shown(y_true[unknown])} (in {int(unknown.sum())} row(s)); "
                f"classes={classes.tolist()!r}."
            )
        return codes

    if y_true.dtype.kind in "biuf":
        values = y_true.astype(np.float64)
        if (
            np.all(values == np.round(values))
            and values.min() >= 0
            and values.max() <= n_classes - 1
        ):
            return values.astype(np.intp)

    uniques, codes = np.unique(y_true, return_inverse=True)
    if uniques.size == n_classes:
        return codes.reshape(-1)
    raise ValueError(
        f"Cannot tell which column of proba belongs to which label of y_true: "
        f"y_true holds {uniques.size} distinct label(s) {_shown(uniques)}, which "
        f"are neither column indices 0..{n_classes - 1} nor one label per column "
        f"of proba ({n_classes} columns). Pass classes= with the class of each "
        "column (e.g. classes=estimator.classes_)."
    )


def _check_sample_weight(sample_weight, n_samples):
    if sample_weight is None:
        return np.ones(n_samples)
    weight = _as_float_array(sample_weight, "sample_weight")
    if weight.ndim != 1:
        raise ValueError(
            f"sample_weight must be 1-D of shape (n_samples,), got shape "
            f"{weight.shape}."
        )
    if weight.shape[0] != n_samples:
        raise ValueError(
            f"sample_weight has {weight.shape[0]} entries but y_true has "
            f"{n_samples} rows; they must have the same length."
        )
    bad = ~np.isfinite(weight) | (weight < 0)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"sample_weight must be finite and non-negative; row {i} is "
            f"{float(weight[i])!r}."
        )
    if not weight.sum() > 0:
        raise ValueError(
            "sample_weight sums to 0; at least one sample needs a positive weight."
        )
    return weight


def _check_calibration_input(y_true, proba, classes, sample_weight):
    """Validate the inputs; return (confidence, correct, weight)."""
    y_true, _ = check_labels(y_true, input_name="y_true")
    proba = _check_proba(proba)
    if proba.shape[0] != y_true.shape[0]:
        raise ValueError(
            f"y_true has {y_true.shape[0]} rows but proba has {proba.shape[0]}; "
            "they must have the same number of samples."
        )
    weight = _check_sample_weight(sample_weight, y_true.shape[0])
    codes = _label_codes(y_true, proba.shape[1], classes)
    predicted = proba.argmax(axis=1)
    confidence = proba[np.arange(proba.shape[0]), predicted]
    correct = (predicted == codes).astype(np.float64)
    return confidence, correct, weight


def _calibration_bins(y_true, proba, n_bins, strategy, classes, sample_weight):
    confidence, correct, weight = _check_calibration_input(
        y_true, proba, classes, sample_weight
    )
    edges = _STRATEGIES[strategy](confidence, n_bins)
    ids, count, mean_confidence, accuracy = _bin_statistics(
        confidence, correct, weight, edges
    )
    return Bunch(
        bin_edges=np.column_stack([edges[ids], edges[ids + 1]]),
        confidence=mean_confidence,
        accuracy=accuracy,
        count=count,
        ece=_ece(count, mean_confidence, accuracy),
    )


_PARAMETER_CONSTRAINTS = {
    "y_true": ["array-like"],
    "proba": ["array-like"],
    "n_bins": [Interval(Integral, 1, None, closed="left")],
    "strategy": [StrOptions(set(_STRATEGIES))],
    "classes": ["array-like", None],
    "sample_weight": ["array-like", None],
}

# The parameters that calibration_bins and expected_calibration_error share,
# written once and indented into both docstrings by ``_fill_doc``.
_SHARED_PARAMETERS = """\
y_true : array-like of shape (n_samples,)
    True labels: integers, strings or any 1-D labels (list, ndarray,
    pandas Series or categorical). Missing labels are not allowed.

proba : array-like of shape (n_samples, n_classes) or (n_samples,)
    Predicted class probabilities, one column per class (for example
    ``estimator.predict_proba(X)``); each row must be finite,
    non-negative and sum to 1 (within 1e-6). A 1-D array is the
    probability of the positive class of a binary problem and stands for
    the two columns ``[1 - proba, proba]``.

n_bins : int, default=10
    Number of bins the confidences are grouped into; at least 1.

strategy : {"uniform", "quantile"}, default="uniform"
    How the bin edges are chosen.

    - ``"uniform"``: bins of equal width over [0, 1], right-closed
      (``(a, b]``) except the first, which also holds 0.
    - ``"quantile"``: edges at the quantiles of the confidences, so that
      bins hold (nearly) equal numbers of samples; ``sample_weight`` does
      not move the edges. Tied confidences can leave bins empty.

classes : array-like of shape (n_classes,), default=None
    The class of each column of ``proba``, in order (for example
    ``estimator.classes_``); no duplicates. When None, ``y_true`` must
    hold the column indices ``0..n_classes-1``, or exactly
    ``n_classes`` distinct labels, which are matched to the columns in
    sorted order.

sample_weight : array-like of shape (n_samples,), default=None
    Non-negative weight of each sample; None weighs all samples equally.
    Bin sizes, mean confidences and accuracies are weighted."""


_fill_doc = make_fill_doc({"parameters": _SHARED_PARAMETERS})


@validate_params(_PARAMETER_CONSTRAINTS, prefer_skip_nested_validation=True)
@_fill_doc
def calibration_bins(
    y_true,
    proba,
    n_bins=10,
    *,
    strategy="uniform",
    classes=None,
    sample_weight=None,
):
    """Bin the top-label confidences and compare them with the accuracy.

    Each sample contributes its confidence (its largest predicted
    probability) and whether the class of that probability is the true
    class. Samples are grouped into bins of confidence; for each non-empty
    bin, the mean confidence is compared with the fraction of correct
    predictions. These are the statistics behind
    :func:`expected_calibration_error` and
    :class:`ReliabilityDiagramDisplay`.

    Read more in the :ref:`User Guide <metrics_calibration>`.

    Parameters
    ----------
    %(parameters)s

    Returns
    -------
    bins : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with, for the non-empty bins only (bins of
        positive total weight), in increasing order of confidence:

        bin_edges : ndarray of shape (n_nonempty_bins, 2)
            Lower and upper edge of each bin.
        confidence : ndarray of shape (n_nonempty_bins,)
            Mean confidence of the samples in the bin.
        accuracy : ndarray of shape (n_nonempty_bins,)
            Fraction of those samples whose predicted class is correct.
        count : ndarray of shape (n_nonempty_bins,)
            Total weight of the bin (the number of samples without
            ``sample_weight``).
        ece : float
            The expected calibration error, as returned by
            :func:`expected_calibration_error`.

    See Also
    --------
    expected_calibration_error : The weighted mean gap of these bins.
    ReliabilityDiagramDisplay : Plot these bins.
    sklearn.calibration.calibration_curve : Binned fraction of positives of
        a binary classifier.

    Examples
    --------
    >>> from sklabels.metrics import calibration_bins
    >>> proba = [[0.9, 0.1], [0.75, 0.25], [0.35, 0.65], [0.45, 0.55]]
    >>> bins = calibration_bins([0, 1, 1, 1], proba, n_bins=4)
    >>> bins.bin_edges
    array([[0.5 , 0.75],
           [0.75, 1.  ]])
    >>> bins.confidence, bins.accuracy, bins.count
    (array([0.65, 0.9 ]), array([0.66666667, 1.        ]), array([3., 1.]))
    >>> round(bins.ece, 4)
    0.0375
    """
    return _calibration_bins(y_true, proba, n_bins, strategy, classes, sample_weight)


@validate_params(_PARAMETER_CONSTRAINTS, prefer_skip_nested_validation=True)
@_fill_doc
def expected_calibration_error(
    y_true,
    proba,
    n_bins=10,
    *,
    strategy="uniform",
    classes=None,
    sample_weight=None,
):
    """Top-label expected calibration error (ECE) of predicted probabilities.

    A classifier is calibrated when, among the samples it predicts with
    confidence ``c``, a fraction ``c`` is classified correctly. The ECE
    measures the departure from this: samples are grouped into bins by
    confidence (their largest predicted probability), and the ECE is the
    mean over bins, weighted by bin size, of the gap between the bin's
    accuracy and its mean confidence (Naeini et al., 2015; Guo et al., 2017)::

        ECE = sum_b (n_b / n) * |accuracy_b - confidence_b|

    It lies in [0, 1]; 0 is perfect calibration of the top label.

    Read more in the :ref:`User Guide <metrics_calibration>`.

    Parameters
    ----------
    %(parameters)s

    Returns
    -------
    ece : float
        The expected calibration error, in [0, 1].

    See Also
    --------
    calibration_bins : The per-bin confidence and accuracy behind the ECE.
    ReliabilityDiagramDisplay : Plot the bins as a reliability diagram.
    sklearn.metrics.log_loss : A proper scoring rule that rewards both
        calibration and sharpness.

    Notes
    -----
    Only the top label is assessed: the probabilities of the other classes
    do not enter the ECE. The binned estimate depends on ``n_bins`` and is
    biased upwards when bins hold few samples: with equal-sized bins, a
    perfectly calibrated classifier scores up to about
    ``0.4 * sqrt(n_bins / n_samples)`` rather than 0. Compare ECEs computed
    with the same bins on the same number of samples.

    References
    ----------
    .. [1] M. P. Naeini, G. F. Cooper and M. Hauskrecht, "Obtaining Well
       Calibrated Probabilities Using Bayesian Binning", AAAI 2015.
    .. [2] C. Guo, G. Pleiss, Y. Sun and K. Q. Weinberger, "On Calibration of
       Modern Neural Networks", ICML 2017.

    Examples
    --------
    >>> from sklabels.metrics import expected_calibration_error
    >>> proba = [[0.9, 0.1], [0.75, 0.25], [0.35, 0.65], [0.45, 0.55]]
    >>> round(expected_calibration_error([0, 1, 1, 1], proba, n_bins=2), 4)
    0.0375
    >>> round(expected_calibration_error([0, 1, 1, 1], proba, n_bins=5), 4)
    0.2375

    A 1-D ``proba`` is the probability of the positive (second) class:

    >>> y_true = ["no", "yes", "yes"]
    >>> round(expected_calibration_error(y_true, [0.25, 0.9, 0.45]), 4)
    0.3
    """
    return _calibration_bins(
        y_true, proba, n_bins, strategy, classes, sample_weight
    ).ece
