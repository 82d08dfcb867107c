"""Label quality scores: how likely each given label is to be correct.

:func:`label_quality_scores` scores every example from its given label and
its out-of-sample predicted probabilities; low scores point at label errors.
The three scores and the optional threshold adjustment equal cleanlab's
``rank.get_label_quality_scores`` bit for bit.
"""

from numbers import Integral

import numpy as np
from scipy.special import xlogy

from sklabels.noise._count import (
    _check_inputs,
    _chunk_rows,
    _confident_thresholds,
    _first_pass,
    _iter_chunks,
)
from sklabels.utils._compat import Interval, StrOptions, validate_params

__all__ = ["label_quality_scores"]

# Self-confidence and entropy ratios are clipped from below at this value.
_CLIP_LOW = 1e-6


def _self_confidence(labels, pred_probs):
    """Predicted probability of the given label."""
    return pred_probs[np.arange(labels.shape[0]), labels]


def _normalized_margin(labels, pred_probs):
    """``(p[label] - max of the other p + 1) / 2``, in [0, 1]."""
    self_confidence = _self_confidence(labels, pred_probs)
    others = pred_probs.copy()
    others[np.arange(labels.shape[0]), labels] = -np.inf
    return (self_confidence - others.max(axis=1) + 1) / 2


def _confidence_weighted_entropy(labels, pred_probs):
    """``log(1 + r) / max(r, 1e-6)`` with ``r`` = normalised entropy / p[label]."""
    self_confidence = np.clip(
        _self_confidence(labels, pred_probs), a_min=_CLIP_LOW, a_max=None
    )
    # np.log gives a float64 scalar: float32 input is scored in float64 here,
    # exactly as cleanlab does.
    entropy = -np.sum(xlogy(pred_probs, pred_probs), axis=1) / np.log(
        pred_probs.shape[1]
    )
    ratio = entropy / self_confidence
    return np.log(ratio + 1) / np.clip(ratio, a_min=_CLIP_LOW, a_max=None)


_SCORERS = {
    "self_confidence": _self_confidence,
    "normalized_margin": _normalized_margin,
    "confidence_weighted_entropy": _confidence_weighted_entropy,
}


def _adjust(pred_probs, thresholds):
    """Subtract the class thresholds, shift to non-negative, renormalise rows."""
    adjusted = pred_probs - thresholds
    adjusted += thresholds.max()
    adjusted /= adjusted.sum(axis=1, keepdims=True)
    return adjusted


def _score_rows(labels, pred_probs, method, thresholds=None):
    """Score the given rows (the kernel: trusts its input)."""
    if thresholds is not None:
        pred_probs = _adjust(pred_probs, thresholds)
    return _SCORERS[method](labels, pred_probs)


@validate_params(
    {
        "labels": ["array-like"],
        "pred_probs": ["array-like"],
        "method": [StrOptions(set(_SCORERS))],
        "adjust_pred_probs": ["boolean"],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
    },
    prefer_skip_nested_validation=True,
)
def label_quality_scores(
    labels,
    pred_probs,
    *,
    method="self_confidence",
    adjust_pred_probs=False,
    batch_size=None,
):
    """Score how likely each given label is to be correct.

    Each example gets a score in [0, 1] computed from its given label and
    its out-of-sample predicted class probabilities; the lower the score,
    the more likely the label is wrong. Sorting by this score ranks the
    examples to review first.

    Read more in the :ref:`User Guide <noise>`.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Given labels as integer class indices ``0..n_classes-1``.

    pred_probs : array-like of shape (n_samples, n_classes)
        Out-of-sample predicted class probabilities: non-negative, rows
        summing to 1 (within
        1e-6; 1e-4 for float32 and 4e-3 for float16 arrays, as close as
        their rounding allows; float16 is computed in float64). float32
        arrays are scored in float32 where cleanlab does so.

    method : {"self_confidence", "normalized_margin", \
            "confidence_weighted_entropy"}, default="self_confidence"
        The score:

        - ``"self_confidence"``: the predicted probability of the given
          label, ``p[label]``.
        - ``"normalized_margin"``: ``(p[label] - max_{k != label} p[k] + 1)
          / 2``; below 0.5 exactly when another class is predicted.
        - ``"confidence_weighted_entropy"``: with ``r = H(p) / p[label]``
          (``H`` the entropy normalised to [0, 1] by ``log(n_classes)``,
          ``p[label]`` clipped at 1e-6), ``log(1 + r) / max(r, 1e-6)``.

    adjust_pred_probs : bool, default=False
        Whether to first subtract from each column its class threshold (the
        mean probability of the class over the examples labelled with it),
        add the largest threshold back and renormalise the rows. This
        accounts for classes the model is systematically more or less
        confident about. Not available for
        ``method="confidence_weighted_entropy"``.

    batch_size : int, default=None
        Read ``pred_probs`` in chunks of this many rows (for memmaps); the
        scores do not depend on it.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        One score per example, lower meaning more likely mislabelled.

    See Also
    --------
    find_label_issues : Flag the examples whose label looks wrong.

    Notes
    -----
    The scores equal those of cleanlab's ``rank.get_label_quality_scores``
    with the same ``method`` and ``adjust_pred_probs``, including their
    dtype: the self-confidence and the normalized margin of a float32 array
    are float32, the confidence-weighted entropy is float64 (cleanlab
    divides by a float64 ``log(n_classes)``). Self-confidence and normalized
    margin are the scores studied by Northcutt et al. [1]_; the threshold
    adjustment and the entropy-based score follow Kuan and Mueller [2]_.

    References
    ----------
    .. [1] C. G. Northcutt, L. Jiang and I. L. Chuang, "Confident Learning:
       Estimating Uncertainty in Dataset Labels", Journal of Artificial
       Intelligence Research, 70, 1373-1411, 2021.
    .. [2] J. Kuan and J. Mueller, "Model-agnostic label quality scoring to
       detect real-world label errors", ICML DataPerf Workshop, 2022.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.noise import label_quality_scores
    >>> labels = np.array([0, 1, 1])
    >>> pred_probs = np.array([[0.9, 0.1], [0.3, 0.7], [0.8, 0.2]])
    >>> label_quality_scores(labels, pred_probs)
    array([0.9, 0.7, 0.2])
    >>> label_quality_scores(labels, pred_probs, method="normalized_margin")
    array([0.9, 0.7, 0.2])
    """
    if adjust_pred_probs and method == "confidence_weighted_entropy":
        raise ValueError(
            "adjust_pred_probs=True is not supported with "
            "method='confidence_weighted_entropy' (nor is it by cleanlab); use "
            "method='self_confidence' or 'normalized_margin', or "
            "adjust_pred_probs=False."
        )
    labels, pred_probs, dtype, pending = _check_inputs(
        labels, pred_probs, batch_size=batch_size
    )
    thresholds = None
    if adjust_pred_probs:
        stats = _first_pass(
            labels, pred_probs, dtype, batch_size=batch_size, pending=pending
        )
        thresholds = _confident_thresholds(stats)
        pending = False
    if batch_size is None:
        return _score_rows(labels, np.asarray(pred_probs), method, thresholds)
    n_classes = pred_probs.shape[1]
    chunk_rows = _chunk_rows(n_classes, batch_size)
    scores = None
    for start, stop, chunk in _iter_chunks(
        pred_probs, dtype, chunk_rows, validate=pending
    ):
        part = _score_rows(labels[start:stop], chunk, method, thresholds)
        if scores is None:
            scores = np.empty(labels.shape[0], dtype=part.dtype)
        scores[start:stop] = part
    return scores
