"""Per-label decision thresholds that maximise a metric on held-out probabilities.

Pure kernels on validated arrays: for every label at once, sort the
out-of-fold probabilities, accumulate the (weighted) confusion counts of every
cut with ``cumsum``, score all cuts and keep the best. Thresholds are the
midpoints between consecutive distinct probabilities, so a label is predicted
present when its probability is *greater* than its threshold, which is how
:class:`BinaryRelevance` applies them.
"""

import numpy as np

__all__ = ["THRESHOLD_METRICS", "best_thresholds"]

# Callable metrics are evaluated on at most this many cuts per label.
_MAX_CALLABLE_CUTS = 100
# Elements of each work array of the kernel (labels are scored in chunks).
_CHUNK_ELEMENTS = 2**22


def _ratio(num, den):
    """``num / den`` with 0 where ``den`` is 0 (scikit-learn's zero_division=0)."""
    out = np.zeros(np.broadcast(num, den).shape)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _f1(tp, fp, fn, tn):
    return _ratio(2 * tp, 2 * tp + fp + fn)


def _jaccard(tp, fp, fn, tn):
    return _ratio(tp, tp + fp + fn)


def _accuracy(tp, fp, fn, tn):
    return _ratio(tp + tn, tp + fp + fn + tn)


def _balanced_accuracy(tp, fp, fn, tn):
    return (_ratio(tp, tp + fn) + _ratio(tn, tn + fp)) / 2


def _matthews(tp, fp, fn, tn):
    den = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return _ratio(tp * tn - fp * fn, den)


# name -> score of the confusion counts, vectorised over cuts and labels
THRESHOLD_METRICS = {
    "accuracy": _accuracy,
    "balanced_accuracy": _balanced_accuracy,
    "f1": _f1,
    "jaccard": _jaccard,
    "matthews_corrcoef": _matthews,
}


def _cuts(proba, y, weights):
    """Sorted probabilities and the confusion counts of every cut.

    Cut ``i`` (0..n) predicts the ``i`` most probable rows of each column.
    """
    order = np.argsort(-proba, axis=0, kind="stable")
    p_sorted = np.take_along_axis(proba, order, axis=0)
    w_sorted = weights[order]
    w_pos = np.where(np.take_along_axis(y, order, axis=0), w_sorted, 0.0)
    zeros = np.zeros((1, proba.shape[1]))
    tp = np.vstack([zeros, np.cumsum(w_pos, axis=0)])
    fp = np.vstack([zeros, np.cumsum(w_sorted - w_pos, axis=0)])
    fn = tp[-1] - tp
    tn = fp[-1] - fp
    return p_sorted, (tp, fp, fn, tn)


def _cut_thresholds(p_sorted):
    """Threshold of each cut and whether ``proba > threshold`` can realise it.

    Cut ``i`` lies between the ``i``-th and ``i+1``-th largest probabilities
    (their midpoint); cut 0 is above the largest (threshold ``(max + 1) / 2``),
    cut n below the smallest (``min / 2``). A cut between two equal values is
    not realisable, nor cut n when the smallest probability is 0.
    """
    n = p_sorted.shape[0]
    upper = np.vstack([np.ones((1, p_sorted.shape[1])), p_sorted])
    lower = np.vstack([p_sorted, np.zeros((1, p_sorted.shape[1]))])
    thresholds = (upper + lower) / 2
    valid = upper > lower
    valid[0] = True  # predict nothing: threshold (max + 1) / 2 <= 1
    valid[n] = p_sorted[n - 1] > 0
    return thresholds, valid


def best_thresholds(proba, y, *, metric="f1", sample_weight=None):
    """Threshold of each column of ``proba`` maximising ``metric`` against ``y``.

    Parameters
    ----------
    proba : ndarray of shape (n_samples, n_labels)
        Out-of-fold probabilities that each label is present.
    y : ndarray of shape (n_samples, n_labels), dtype=bool
        Whether each label is present.
    metric : str or callable, default="f1"
        A key of ``THRESHOLD_METRICS``, or ``metric(y_true, y_pred)`` (with
        ``sample_weight=`` when weights are given), higher is better.
    sample_weight : ndarray of shape (n_samples,), default=None
        Row weights.

    Returns
    -------
    thresholds : ndarray of shape (n_labels,)
        Among the best cuts, the threshold closest to 0.5.
    scores : ndarray of shape (n_labels,)
        The metric at that threshold.
    """
    n_samples, n_labels = proba.shape
    # a few (n_samples + 1, chunk) work arrays at a time, whatever n_labels
    chunk = max(1, _CHUNK_ELEMENTS // (n_samples + 1))
    results = [
        _best_in_chunk(
            proba[:, s : s + chunk], y[:, s : s + chunk], metric, sample_weight
        )
        for s in range(0, n_labels, chunk)
    ]
    return tuple(np.concatenate(parts) for parts in zip(*results, strict=True))


def _best_in_chunk(proba, y, metric, sample_weight):
    n_samples, n_labels = proba.shape
    weights = np.ones(n_samples) if sample_weight is None else np.asarray(sample_weight)
    p_sorted, counts = _cuts(proba, y, weights)
    thresholds, valid = _cut_thresholds(p_sorted)
    if callable(metric):
        scores = _callable_scores(metric, proba, y, thresholds, valid, sample_weight)
    else:
        scores = THRESHOLD_METRICS[metric](*counts)
    scores = np.where(valid, scores, -np.inf)
    best = scores.max(axis=0)
    tied = scores >= best - 1e-12 * np.maximum(1.0, np.abs(best))
    distance = np.where(tied, np.abs(thresholds - 0.5), np.inf)
    pick = np.argmin(distance, axis=0)
    columns = np.arange(n_labels)
    return thresholds[pick, columns], scores[pick, columns]


def _callable_scores(metric, proba, y, thresholds, valid, sample_weight):
    """Scores of a user metric on up to ``_MAX_CALLABLE_CUTS`` cuts per label."""
    kwargs = {} if sample_weight is None else {"sample_weight": sample_weight}
    scores = np.full(thresholds.shape, -np.inf)
    for j in range(proba.shape[1]):
        cuts = np.flatnonzero(valid[:, j])
        if cuts.size > _MAX_CALLABLE_CUTS:
            keep = np.linspace(0, cuts.size - 1, _MAX_CALLABLE_CUTS).round()
            cuts = cuts[np.unique(keep.astype(np.intp))]
        for i in cuts:
            y_pred = proba[:, j] > thresholds[i, j]
            scores[i, j] = metric(y[:, j], y_pred, **kwargs)
    return scores
