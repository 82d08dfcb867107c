"""Class- and data-set-level label health.

Summaries of a whole labelled data set, from the same inputs as the rest of
:mod:`sklabels.noise` (given labels and out-of-sample predicted
probabilities): which classes carry the most label noise
(:func:`rank_classes_by_label_quality`), which pairs of classes are
confused with each other (:func:`find_overlapping_classes`), how many
labels are wrong (:func:`num_label_issues`) and one score for the whole
data set (:func:`overall_label_health_score`), all four at once in
:func:`health_summary`.

Every number equals that of cleanlab 2.9's functions of the same names
(``cleanlab.dataset`` and ``cleanlab.count.num_label_issues``) on the same
input. They all start from the estimated joint distribution of given and
true labels: the calibrated confident joint divided by its total, computed
once by the kernels of :mod:`sklabels.noise._count`.
"""

import sys
from numbers import Integral

import numpy as np
import pandas as pd

from sklabels.noise._count import (
    _TINY,
    _calibrate,
    _check_shape,
    _compute_stats,
    _joint_from_stats,
)
from sklabels.noise._filter import _n_off_diagonal_issues
from sklabels.utils._compat import Interval, StrOptions, validate_params
from sklabels.utils._docstrings import make_fill_doc
from sklabels.utils._progress import warn_once
from sklabels.utils._validation import _check_class_indices

__all__ = [
    "find_overlapping_classes",
    "health_summary",
    "num_label_issues",
    "overall_label_health_score",
    "rank_classes_by_label_quality",
]

# Lower clip of the class totals the noise rates are divided by (cleanlab's
# EPSILON).
_EPSILON = 1e-6
# How far the entries of a given ``joint`` may sum from 1.
_JOINT_ATOL = 1e-6

# Parameter text of the functions that also take a joint instead.
_fill_doc = make_fill_doc(
    {
        "labels_pred_probs": """\
labels : array-like of shape (n_samples,), default=None
    Given labels as integer class indices ``0..n_classes-1``.

pred_probs : array-like of shape (n_samples, n_classes), default=None
    Out-of-sample predicted class probabilities."""
    }
)

_ESTIMATION_METHODS = ("off_diagonal", "off_diagonal_calibrated", "off_diagonal_custom")


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


def _check_square(matrix, name, *, n_classes=None):
    """A finite, non-negative ``(K, K)`` float matrix (K >= 2)."""
    values = np.asarray(matrix)
    if values.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must hold numbers, got dtype {values.dtype} "
            f"({values.ravel()[:3].tolist()!r}...)."
        )
    if values.ndim != 2 or values.shape[0] != values.shape[1] or values.shape[0] < 2:
        raise ValueError(
            f"{name} must be a square (n_classes, n_classes) array with "
            f"n_classes >= 2, got shape {values.shape}."
        )
    if n_classes is not None and values.shape[0] != n_classes:
        raise ValueError(
            f"{name} has shape {values.shape} but pred_probs has {n_classes} "
            f"columns: give a ({n_classes}, {n_classes}) matrix, one row and "
            "column per class."
        )
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise ValueError(
            f"{name} must hold finite, non-negative values, got "
            f"{name}[{i}, {j}] = {values[i, j]!r}."
        )
    return values


def _check_joint(joint, n_classes):
    joint = _check_square(joint, "joint", n_classes=n_classes).astype(float)
    total = float(joint.sum())
    if abs(total - 1.0) > _JOINT_ATOL:
        raise ValueError(
            f"joint must be a probability distribution summing to 1, got a "
            f"total of {total!r}. Pass counts (such as those of "
            "sklabels.noise.confident_joint) as confident_joint= instead."
        )
    return joint


def _check_pred_probs_shape(pred_probs):
    """The number of columns of ``pred_probs`` (values are not read)."""
    if not (hasattr(pred_probs, "shape") and hasattr(pred_probs, "dtype")):
        pred_probs = np.asarray(pred_probs)  # lists, DataFrames
    _check_shape(pred_probs)
    return pred_probs.shape[1]


def _check_classes(classes, n_classes):
    """Class names as a list, one per class."""
    if classes is None:
        return None
    names = np.asarray(classes, dtype=object)
    if names.ndim != 1 or names.size != n_classes:
        raise ValueError(
            f"classes must hold one name per class ({n_classes}), got "
            f"{names.size if names.ndim == 1 else names.shape} in {classes!r}."
        )
    return names


def _resolve(
    labels, pred_probs, *, joint, confident_joint, num_examples, caller, want_off=False
):
    """The estimated joint, the number of examples and the kernels' statistics.

    ``joint`` wins, then ``confident_joint`` (calibrated to ``labels`` when
    given), then ``labels`` with ``pred_probs``, as in cleanlab. The
    statistics are those of ``labels`` and ``pred_probs`` when they were
    computed (else None), with the off-diagonal rows if ``want_off``.
    """
    stats = None
    n_classes = None
    if pred_probs is not None:
        n_classes = _check_pred_probs_shape(pred_probs)
    if confident_joint is not None:
        confident_joint = _check_square(
            confident_joint, "confident_joint", n_classes=n_classes
        )
        n_classes = confident_joint.shape[0]
    if joint is not None:
        joint = _check_joint(joint, n_classes)
        n_classes = joint.shape[0]

    counts = None
    if labels is not None and (joint is None or num_examples is None):
        if n_classes is None:
            raise ValueError(
                f"{caller} needs pred_probs (or confident_joint, or joint) "
                "with labels, to know the classes; got labels only."
            )
        n_rows = len(labels) if pred_probs is None else None
        labels = _labels_for(labels, n_classes, pred_probs, n_rows)
        counts = np.bincount(labels, minlength=n_classes)

    if joint is None:
        if confident_joint is not None:
            calibrated = confident_joint
            if counts is not None:
                calibrated = _calibrate(confident_joint, counts)
        elif labels is not None and pred_probs is not None:
            stats = _compute_stats(labels, pred_probs, want_off=want_off)
            calibrated = _joint_from_stats(stats, calibrate=True)
        else:
            raise ValueError(
                f"{caller} needs labels and pred_probs, or confident_joint, or "
                "joint (with num_examples); got none of them."
            )
        joint = calibrated / max(float(np.sum(calibrated)), _TINY)

    if num_examples is None:
        if counts is not None:
            num_examples = int(counts.sum())
        elif confident_joint is not None:
            num_examples = int(np.sum(confident_joint))
        else:
            raise ValueError(
                f"{caller} cannot tell the number of examples from joint "
                "alone: pass num_examples=, or labels."
            )
    return joint, num_examples, stats


def _labels_for(labels, n_classes, pred_probs, n_rows):
    """``labels`` as class indices, one per row of ``pred_probs`` if given."""
    if pred_probs is not None:
        n_rows = len(pred_probs)
        rows_of = "pred_probs"
    else:
        rows_of = "confident_joint"
    return _check_class_indices(labels, n_classes, n_rows, rows_of=rows_of)


# --------------------------------------------------------------------------
# Tables (from the joint, no validation)
# --------------------------------------------------------------------------


def _class_table(joint, num_examples, names):
    """cleanlab's ``rank_classes_by_label_quality`` on a validated joint."""
    diagonal = joint.diagonal()
    given = joint.sum(axis=1)
    true = joint.sum(axis=0)
    given_noise = given - diagonal  # P(true != k, given = k)
    true_noise = true - diagonal  # P(given != k, true = k)
    given_rate = given_noise / np.clip(given, _EPSILON, None)
    true_rate = true_noise / np.clip(true, _EPSILON, None)
    table = pd.DataFrame(
        {
            "Class Index": np.arange(len(joint)),
            "Label Issues": (given_noise * num_examples).round().astype(int),
            "Inverse Label Issues": (true_noise * num_examples).round().astype(int),
            "Label Noise": given_rate,
            "Inverse Label Noise": true_rate,
            "Label Quality Score": 1 - given_rate,
        }
    )
    if names is not None:
        table.insert(loc=0, column="Class Name", value=names.tolist())
    # the sort cleanlab makes (pandas' default kind), so that ties agree
    return table.sort_values(by="Label Quality Score", ascending=True).reset_index(
        drop=True
    )


def _overlap_table(joint, num_examples, names, asymmetric):
    """cleanlab's ``find_overlapping_classes`` on a validated joint."""
    n_classes = joint.shape[0]
    rows, columns = np.indices((n_classes, n_classes))
    if asymmetric:
        keep = rows != columns
        values = joint
    else:
        keep = rows < columns
        values = np.triu(joint) + np.tril(joint).T
    table = pd.DataFrame(
        {
            "Class Index A": rows[keep],
            "Class Index B": columns[keep],
            "Joint Probability": values[keep],
        }
    )
    overlapping = (table["Joint Probability"] * num_examples).round().astype(int)
    table.insert(loc=2, column="Num Overlapping Examples", value=overlapping)
    if names is not None:
        table.insert(loc=0, column="Class Name A", value=names[rows[keep]].tolist())
        table.insert(loc=1, column="Class Name B", value=names[columns[keep]].tolist())
    return table.sort_values(by="Joint Probability", ascending=False).reset_index(
        drop=True
    )


# Rows of a table printed by health_summary(verbose=True).
_SHOWN_ROWS = 20


def _say(text, verbose):
    if verbose:
        print(text, file=sys.stderr)


def _shown(table):
    """The first rows of ``table`` as text, saying how many were left out."""
    text = table.head(_SHOWN_ROWS).to_string()
    if len(table) > _SHOWN_ROWS:
        text += f"\n... ({len(table) - _SHOWN_ROWS} more rows in the returned table)"
    return text


# --------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------

_JOINT_PARAMS = {
    "labels": ["array-like", None],
    "pred_probs": ["array-like", None],
    "classes": ["array-like", None],
    "num_examples": [Interval(Integral, 1, None, closed="left"), None],
    "joint": ["array-like", None],
    "confident_joint": ["array-like", None],
}


@validate_params(_JOINT_PARAMS, prefer_skip_nested_validation=True)
def rank_classes_by_label_quality(
    labels=None,
    pred_probs=None,
    *,
    classes=None,
    num_examples=None,
    joint=None,
    confident_joint=None,
):
    """Rank the classes by the quality of their labels, worst first.

    For every class ``k``, from the estimated joint distribution ``J`` of
    given and true labels: how many examples labelled ``k`` truly belong
    elsewhere (label issues), how many examples truly of ``k`` carry another
    label (inverse label issues), the same as rates, and a label quality
    score, the estimated fraction of correct labels among the examples
    labelled ``k``.

    Read more in the :ref:`User Guide <noise>`.

    Parameters
    ----------
    labels : array-like of shape (n_samples,), default=None
        Given labels as integer class indices ``0..n_classes-1``. Needed
        unless ``joint`` (with ``num_examples``) or ``confident_joint`` is
        given.

    pred_probs : array-like of shape (n_samples, n_classes), default=None
        Out-of-sample predicted class probabilities, as for
        :func:`confident_joint`. Needed unless ``joint`` or
        ``confident_joint`` is given.

    classes : array-like of shape (n_classes,), default=None
        Names of the classes, in the order of the columns of
        ``pred_probs``; when given, a first column ``"Class Name"`` holds
        them.

    num_examples : int, default=None
        Number of examples the counts are scaled to; None means
        ``len(labels)`` (or, without ``labels``, the total of
        ``confident_joint``).

    joint : array-like of shape (n_classes, n_classes), default=None
        An estimate of the joint distribution ``P(given = i, true = j)``,
        summing to 1, used as it is. None estimates it from the other
        inputs.

    confident_joint : array-like of shape (n_classes, n_classes), default=None
        Confident joint counts (e.g. from :func:`confident_joint`) to
        estimate the joint from: calibrated to ``labels`` when given, then
        divided by their total.

    Returns
    -------
    table : pandas.DataFrame of shape (n_classes, 6) or (n_classes, 7)
        One row per class sorted by ``"Label Quality Score"``, lowest
        first, with cleanlab's columns: ``"Class Name"`` (with ``classes``
        only), ``"Class Index"``, ``"Label Issues"`` (``round(n *
        P(given = k, true != k))``), ``"Inverse Label Issues"`` (``round(n
        * P(true = k, given != k))``), ``"Label Noise"`` (``P(true != k |
        given = k)``), ``"Inverse Label Noise"`` (``P(given != k | true =
        k)``) and ``"Label Quality Score"`` (``1 - Label Noise``).

    See Also
    --------
    find_overlapping_classes : Pairs of classes confused with each other.
    health_summary : This table and the other health figures at once.

    Notes
    -----
    The numbers of cleanlab 2.9's ``dataset.rank_classes_by_label_quality``
    with ``class_names=classes``. The joint is cleanlab's
    ``count.estimate_joint``: the calibrated confident joint divided by its
    total. Rates divide by class totals clipped at 1e-6.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.noise import rank_classes_by_label_quality
    >>> labels = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
    >>> pred_probs = np.array([[0.9, 0.1]] * 3 + [[0.1, 0.9]]
    ...                       + [[0.2, 0.8]] * 6)
    >>> table = rank_classes_by_label_quality(labels, pred_probs,
    ...                                       classes=["cat", "dog"])
    >>> table[["Class Name", "Label Issues", "Label Noise", "Label Quality Score"]]
      Class Name  Label Issues  Label Noise  Label Quality Score
    0        cat             1         0.25                 0.75
    1        dog             0         0.00                 1.00
    """
    joint, num_examples, _ = _resolve(
        labels,
        pred_probs,
        joint=joint,
        confident_joint=confident_joint,
        num_examples=num_examples,
        caller="rank_classes_by_label_quality",
    )
    return _class_table(joint, num_examples, _check_classes(classes, joint.shape[0]))


@validate_params(
    {**_JOINT_PARAMS, "asymmetric": ["boolean"]}, prefer_skip_nested_validation=True
)
@_fill_doc
def find_overlapping_classes(
    labels=None,
    pred_probs=None,
    *,
    asymmetric=False,
    classes=None,
    num_examples=None,
    joint=None,
    confident_joint=None,
):
    """Find the pairs of classes most often confused with each other.

    For every pair of classes ``(a, b)``, the estimated fraction of the data
    set whose label is one of them while the true class is the other: the
    joint mass ``P(given = a, true = b) + P(given = b, true = a)``. Pairs
    at the top are candidates to merge, or to clarify in the labelling
    instructions.

    Read more in the :ref:`User Guide <noise>`.

    Parameters
    ----------
    %(labels_pred_probs)s

    asymmetric : bool, default=False
        False gives one row per unordered pair ``a < b`` with the mass of
        both directions summed; True one row per ordered pair (given ``a``,
        true ``b``), ``a != b``.

    classes : array-like of shape (n_classes,), default=None
        Names of the classes; when given, ``"Class Name A"`` and
        ``"Class Name B"`` come first.

    num_examples : int, default=None
        Number of examples the counts are scaled to; None means
        ``len(labels)`` (or the total of ``confident_joint``).

    joint : array-like of shape (n_classes, n_classes), default=None
        An estimate of ``P(given = i, true = j)`` summing to 1, used as is.

    confident_joint : array-like of shape (n_classes, n_classes), default=None
        Confident joint counts to estimate the joint from (see
        :func:`rank_classes_by_label_quality`).

    Returns
    -------
    table : pandas.DataFrame
        One row per pair, sorted by ``"Joint Probability"``, highest first,
        with cleanlab's columns: ``"Class Name A"`` and ``"Class Name B"``
        (with ``classes`` only), ``"Class Index A"``, ``"Class Index B"``,
        ``"Num Overlapping Examples"`` (the mass times ``num_examples``,
        rounded) and ``"Joint Probability"``.

    See Also
    --------
    rank_classes_by_label_quality : The noise of each class.
    estimate_noise_matrices : The same joint, as conditional rates.

    Notes
    -----
    The numbers of cleanlab 2.9's ``dataset.find_overlapping_classes`` with
    ``class_names=classes``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.noise import find_overlapping_classes
    >>> labels = np.array([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
    >>> pred_probs = np.array([[0.8, 0.1, 0.1]] * 3 + [[0.1, 0.8, 0.1]]
    ...                       + [[0.1, 0.8, 0.1]] * 3 + [[0.8, 0.1, 0.1]]
    ...                       + [[0.1, 0.1, 0.8]] * 4)
    >>> table = find_overlapping_classes(labels, pred_probs,
    ...                                  classes=["cat", "dog", "fox"])
    >>> table[["Class Name A", "Class Name B", "Num Overlapping Examples"]]
      Class Name A Class Name B  Num Overlapping Examples
    0          cat          dog                         2
    1          cat          fox                         0
    2          dog          fox                         0
    """
    joint, num_examples, _ = _resolve(
        labels,
        pred_probs,
        joint=joint,
        confident_joint=confident_joint,
        num_examples=num_examples,
        caller="find_overlapping_classes",
    )
    names = _check_classes(classes, joint.shape[0])
    return _overlap_table(joint, num_examples, names, asymmetric)


@validate_params(
    {
        "labels": ["array-like"],
        "pred_probs": ["array-like"],
        "confident_joint": ["array-like", None],
        "estimation_method": [StrOptions(set(_ESTIMATION_METHODS))],
        "n_jobs": [Integral, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
    },
    prefer_skip_nested_validation=True,
)
def num_label_issues(
    labels,
    pred_probs,
    *,
    confident_joint=None,
    estimation_method="off_diagonal",
    n_jobs=None,
    batch_size=None,
):
    """Estimate how many examples have a wrong label.

    When the number is all you need: it is cheaper than flagging the
    examples, and the ``"off_diagonal_calibrated"`` estimate is often the
    more accurate one.

    Read more in the :ref:`User Guide <noise>`.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Given labels as integer class indices ``0..n_classes-1``.

    pred_probs : array-like of shape (n_samples, n_classes)
        Out-of-sample predicted class probabilities, as for
        :func:`confident_joint`.

    confident_joint : array-like of shape (n_classes, n_classes), default=None
        Confident joint counts used by ``"off_diagonal_custom"`` (and only
        there: the other methods count from ``labels`` and ``pred_probs``,
        and warn that they ignore it).

    estimation_method : {"off_diagonal", "off_diagonal_calibrated", \
            "off_diagonal_custom"}, default="off_diagonal"
        - ``"off_diagonal"``: the examples counted off the diagonal of the
          (uncalibrated) confident joint, less those whose given label is
          within 1e-6 of the top probability: the number
          ``find_label_issues(method="confident_learning")`` flags.
        - ``"off_diagonal_calibrated"``: ``n_samples`` times the
          off-diagonal mass of the estimated joint (the calibrated confident
          joint, normalised), rounded. At least as large as
          ``"off_diagonal"`` in practice, and less of an underestimate with
          few classes.
        - ``"off_diagonal_custom"``: the same from the given
          ``confident_joint``, calibrated to ``labels``.

    n_jobs : int, default=None
        Threads for the pass over ``pred_probs``; None means 1. The result
        does not depend on it.

    batch_size : int, default=None
        Read ``pred_probs`` in chunks of this many rows (for memmaps); the
        result does not depend on it.

    Returns
    -------
    n_issues : int
        The estimated number of examples with a label issue.

    See Also
    --------
    find_label_issues : Which examples; its ``"low_self_confidence"`` and
        ``"low_normalized_margin"`` methods flag this many.
    overall_label_health_score : The same number as a fraction.

    Notes
    -----
    The number of cleanlab 2.9's ``count.num_label_issues`` with the same
    ``estimation_method``. As there, the calibrated methods calibrate a
    confident joint that is already calibrated a second time (which rarely
    changes it).

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.noise import num_label_issues
    >>> labels = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> pred_probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.3], [0.1, 0.9],
    ...                        [0.2, 0.8], [0.1, 0.9], [0.3, 0.7], [0.9, 0.1]])
    >>> num_label_issues(labels, pred_probs)
    2
    """
    if confident_joint is not None and estimation_method != "off_diagonal_custom":
        warn_once(
            f"confident_joint is ignored with estimation_method="
            f"{estimation_method!r}, which counts from labels and pred_probs. "
            "Pass estimation_method='off_diagonal_custom' to use it.",
            UserWarning,
            stacklevel=3,  # the caller of the validate_params wrapper
        )
    if estimation_method == "off_diagonal_custom" and confident_joint is None:
        raise ValueError(
            "estimation_method='off_diagonal_custom' counts from the given "
            "confident_joint, got confident_joint=None. Pass confident_joint= "
            "(e.g. sklabels.noise.confident_joint(labels, pred_probs)), or use "
            "estimation_method='off_diagonal' or 'off_diagonal_calibrated'."
        )
    return _num_issues(
        labels,
        pred_probs,
        estimation_method,
        confident_joint=confident_joint,
        n_jobs=n_jobs,
        batch_size=batch_size,
    )


def _num_issues(
    labels, pred_probs, method, *, confident_joint=None, n_jobs=None, batch_size=None
):
    if method == "off_diagonal_custom":
        n_classes = _check_pred_probs_shape(pred_probs)
        counted = _check_square(confident_joint, "confident_joint", n_classes=n_classes)
        labels = _labels_for(labels, n_classes, pred_probs, None)
        counts = np.bincount(labels, minlength=n_classes)
    else:
        stats = _compute_stats(
            labels,
            pred_probs,
            batch_size=batch_size,
            n_jobs=n_jobs,
            want_off=method == "off_diagonal",
        )
        if method == "off_diagonal":
            return _n_off_diagonal_issues(stats)
        counted = _joint_from_stats(stats, calibrate=True)
        counts = stats.counts
    calibrated = _calibrate(counted, counts)
    joint = calibrated / max(float(np.sum(calibrated)), _TINY)
    return int(np.rint((1.0 - joint.trace()) * counts.sum()))


def _health_score(joint, num_examples, verbose, *, n_issues=None):
    """The score from the number of issues if known, else from the joint
    (cleanlab's rule)."""
    if n_issues is not None:
        score = 1 - n_issues / num_examples
    else:
        trace = joint.trace()
        n_issues = int(np.round(num_examples * (1 - trace)))
        score = trace
    score = float(score)
    _say(
        f"About {1 - score:.0%} of the labels ({n_issues:,} of {num_examples:,}) "
        f"look wrong; overall label health score: {score:.2f}.",
        verbose,
    )
    return score


@validate_params(
    {
        "labels": ["array-like", None],
        "pred_probs": ["array-like", None],
        "num_examples": [Interval(Integral, 1, None, closed="left"), None],
        "confident_joint": ["array-like", None],
        "joint": ["array-like", None],
        "verbose": ["verbose"],
    },
    prefer_skip_nested_validation=True,
)
@_fill_doc
def overall_label_health_score(
    labels=None,
    pred_probs=None,
    *,
    num_examples=None,
    confident_joint=None,
    joint=None,
    verbose=False,
):
    """One score in [0, 1] for the labels of a whole data set.

    The estimated fraction of correct labels: ``1 - num_label_issues(labels,
    pred_probs) / num_examples``; without ``labels`` and ``pred_probs``, the
    trace of the estimated joint (the mass where given and true label
    agree).

    Read more in the :ref:`User Guide <noise>`.

    Parameters
    ----------
    %(labels_pred_probs)s

    num_examples : int, default=None
        The number of examples; None means ``len(labels)`` (or the total of
        ``confident_joint``).

    confident_joint : array-like of shape (n_classes, n_classes), default=None
        Confident joint counts, used (to estimate the joint) only when
        ``labels`` or ``pred_probs`` is missing.

    joint : array-like of shape (n_classes, n_classes), default=None
        An estimate of ``P(given = i, true = j)`` summing to 1, used only
        when ``labels`` or ``pred_probs`` is missing.

    verbose : int or bool, default=False
        Whether to print the score and the number of issues to stderr.

    Returns
    -------
    score : float
        The label health score, 1 when no label looks wrong.

    See Also
    --------
    num_label_issues : The count behind the score.
    health_summary : The score with the class-level tables.

    Notes
    -----
    The number of cleanlab 2.9's ``dataset.overall_label_health_score``.
    cleanlab ignores ``confident_joint`` and ``joint`` when ``labels`` and
    ``pred_probs`` are given; so does this function, with a warning. It
    prints nothing unless ``verbose`` (cleanlab prints to stdout by
    default).

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.noise import overall_label_health_score
    >>> labels = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> pred_probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.3], [0.1, 0.9],
    ...                        [0.2, 0.8], [0.1, 0.9], [0.3, 0.7], [0.9, 0.1]])
    >>> overall_label_health_score(labels, pred_probs)
    0.75
    """
    both = labels is not None and pred_probs is not None
    if both and (joint is not None or confident_joint is not None):
        warn_once(
            "joint and confident_joint are ignored when labels and pred_probs "
            "are given (the score counts the issues from them); pass only "
            "joint= (or confident_joint=) to score from it.",
            UserWarning,
            stacklevel=3,
        )
        joint = confident_joint = None
    if both:
        n_classes = _check_pred_probs_shape(pred_probs)
        labels = _labels_for(labels, n_classes, pred_probs, None)
        if num_examples is None:
            num_examples = labels.size
        n_issues = _num_issues(labels, pred_probs, "off_diagonal")
        return _health_score(None, num_examples, verbose, n_issues=n_issues)
    else:
        joint, num_examples, _ = _resolve(
            labels,
            pred_probs,
            joint=joint,
            confident_joint=confident_joint,
            num_examples=num_examples,
            caller="overall_label_health_score",
        )
    return _health_score(joint, num_examples, verbose)


@validate_params(
    {**_JOINT_PARAMS, "asymmetric": ["boolean"], "verbose": ["verbose"]},
    prefer_skip_nested_validation=True,
)
@_fill_doc
def health_summary(
    labels=None,
    pred_probs=None,
    *,
    asymmetric=False,
    classes=None,
    num_examples=None,
    joint=None,
    confident_joint=None,
    verbose=False,
):
    """The label health of a data set: overall score, classes, confusions.

    :func:`overall_label_health_score`, :func:`rank_classes_by_label_quality`
    and :func:`find_overlapping_classes` from one estimate of the joint
    distribution of given and true labels, returned together (and printed,
    with ``verbose``).

    Read more in the :ref:`User Guide <noise>`.

    Parameters
    ----------
    %(labels_pred_probs)s

    asymmetric : bool, default=False
        Passed to :func:`find_overlapping_classes`.

    classes : array-like of shape (n_classes,), default=None
        Names of the classes, shown in the tables.

    num_examples : int, default=None
        The number of examples; None means ``len(labels)`` (or the total of
        ``confident_joint``).

    joint : array-like of shape (n_classes, n_classes), default=None
        An estimate of ``P(given = i, true = j)`` summing to 1, used for the
        tables (and for the score when ``labels`` or ``pred_probs`` is
        missing).

    confident_joint : array-like of shape (n_classes, n_classes), default=None
        Confident joint counts to estimate the joint from.

    verbose : int or bool, default=False
        Whether to print the summary to stderr: the score and the first 20
        rows of each table.

    Returns
    -------
    summary : dict
        cleanlab's keys: ``"overall_label_health_score"`` (float),
        ``"joint"`` (ndarray of shape (n_classes, n_classes)),
        ``"classes_by_label_quality"`` and ``"overlapping_classes"``
        (the DataFrames of :func:`rank_classes_by_label_quality` and
        :func:`find_overlapping_classes`).

    See Also
    --------
    ConfidentLearningFilter : Finds and removes the issues in a pipeline.

    Notes
    -----
    The values of cleanlab 2.9's ``dataset.health_summary`` with
    ``class_names=classes``; the joint is estimated once. cleanlab prints
    its summary to stdout by default; this function prints only when
    ``verbose``, to stderr, in its own words.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.noise import health_summary
    >>> labels = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> pred_probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.3], [0.1, 0.9],
    ...                        [0.2, 0.8], [0.1, 0.9], [0.3, 0.7], [0.9, 0.1]])
    >>> summary = health_summary(labels, pred_probs, classes=["cat", "dog"])
    >>> sorted(summary)
    ['classes_by_label_quality', 'joint', 'overall_label_health_score',
     'overlapping_classes']
    >>> summary["overall_label_health_score"]
    0.75
    >>> summary["joint"]
    array([[0.375, 0.125],
           [0.125, 0.375]])
    """
    both = labels is not None and pred_probs is not None
    table_joint, num_examples, stats = _resolve(
        labels,
        pred_probs,
        joint=joint,
        confident_joint=confident_joint,
        num_examples=num_examples,
        caller="health_summary",
        want_off=True,
    )
    # cleanlab's score: from the issues counted in labels and pred_probs,
    # else from the joint of confident_joint (even when joint is given)
    n_issues = score_joint = None
    if both:
        if stats is None:
            stats = _compute_stats(labels, pred_probs, want_off=True)
        n_issues = _n_off_diagonal_issues(stats)
    elif confident_joint is not None and joint is not None:
        score_joint = _resolve(
            labels,
            None,
            joint=None,
            confident_joint=confident_joint,
            num_examples=num_examples,
            caller="health_summary",
        )[0]
    else:
        score_joint = table_joint
    joint = table_joint
    names = _check_classes(classes, joint.shape[0])
    n_classes = joint.shape[0]
    _say(
        f"Label health of {num_examples:,} examples in {n_classes:,} classes\n",
        verbose,
    )
    by_class = _class_table(joint, num_examples, names)
    _say(
        "Classes, worst labels first (label noise = P(true != k | given = k)):\n"
        f"{_shown(by_class)}\n",
        verbose,
    )
    overlapping = _overlap_table(joint, num_examples, names, asymmetric)
    _say(
        "Pairs of classes confused with each other, most first (candidates "
        f"to merge or to define better):\n{_shown(overlapping)}\n",
        verbose,
    )
    score = _health_score(score_joint, num_examples, verbose, n_issues=n_issues)
    return {
        "overall_label_health_score": score,
        "joint": joint,
        "classes_by_label_quality": by_class,
        "overlapping_classes": overlapping,
    }
