"""Synthetic label matrices: crowd annotations and labeling-function votes.

Both generators return the sklabels label matrix: an integer array of shape
``(n_items, n_sources)`` with values in ``0..K-1`` and ``-1`` where a source
gave no label (or a labeling function abstained).
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state

from sklabels.utils import check_labels
from sklabels.utils._compat import Interval, validate_params

__all__ = ["make_crowd_labels", "make_weak_labels"]


def _check_class_codes(y, n_classes):
    """Validate integer class codes ``0..K-1``; return them and ``K``."""
    codes, _ = check_labels(y, input_name="y")
    kind = codes.dtype.kind
    integral = kind in "iu" or (kind == "f" and np.array_equal(codes, codes.round()))
    if not integral:
        bad = codes[codes != codes.round()][0] if kind == "f" else codes[0]
        if isinstance(bad, np.generic):
            bad = bad.item()
        raise ValueError(
            "y must hold integer class codes 0..K-1, got labels of dtype "
            f"{codes.dtype} such as {bad!r}. "
            "Encode them first, e.g. with "
            "sklabels.encoding.LabelEncoder().fit_transform(y)."
        )
    codes = codes.astype(np.int64)
    if codes.min() < 0:
        row = int(np.argmax(codes < 0))
        raise ValueError(
            f"y must hold class codes >= 0, got {codes[row].item()!r} in row "
            f"{row}. These generators need the true class of every item (-1 marks a "
            "missing label); drop such rows first."
        )
    n_present = int(codes.max()) + 1
    if n_classes is None:
        n_classes = n_present
        if n_classes < 2:
            raise ValueError(
                "y holds a single class (0), so there is no other class to "
                "mislabel with; pass n_classes=... to set the number of classes."
            )
    elif n_present > n_classes:
        raise ValueError(
            f"y holds class code {n_present - 1} but n_classes={n_classes!r}; "
            "class codes must be smaller than n_classes."
        )
    return codes, n_classes


def _per_source(value, n_sources, name, count_name):
    """Broadcast a float or a per-source array of probabilities."""
    try:
        values = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be a float or an array of floats, got {value!r}."
        ) from exc
    if values.ndim == 0:
        return np.full(n_sources, float(values))
    if values.shape != (n_sources,):
        raise ValueError(
            f"{name} must be a float or an array of length {count_name}="
            f"{n_sources}, got an array of shape {values.shape}."
        )
    if not ((values >= 0) & (values <= 1)).all():
        raise ValueError(
            f"{name} must hold probabilities in [0, 1], got {values.tolist()!r}."
        )
    return values


def _vote(codes, n_classes, accuracy, rng):
    """Labels of every (item, source): right w.p. accuracy, else another class."""
    shape = (codes.size, accuracy.size)
    truth = codes[:, None]
    correct = rng.random_sample(shape) < accuracy
    # Adding 1..K-1 modulo K gives each other class with equal probability.
    other = (truth + rng.randint(1, n_classes, size=shape)) % n_classes
    return np.where(correct, truth, other)


@validate_params(
    {
        "y": ["array-like"],
        "n_sources": [Interval(Integral, 1, None, closed="left")],
        "accuracy": [Interval(Real, 0, 1, closed="both"), "array-like"],
        "labels_per_item": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "n_classes": [Interval(Integral, 2, None, closed="left"), None],
    },
    prefer_skip_nested_validation=True,
)
def make_crowd_labels(
    y,
    n_sources=5,
    accuracy=0.7,
    labels_per_item=3,
    random_state=None,
    *,
    n_classes=None,
):
    """Simulate crowd annotations of items with known true classes.

    Each item is labeled by exactly ``labels_per_item`` distinct sources
    (annotators) drawn at random. A source gives the true class with its
    accuracy, and otherwise one of the other classes uniformly at random:
    the "one-coin" special case of the Dawid & Skene (1979) annotator model.

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    y : array-like of shape (n_items,)
        True class of each item as integer codes ``0..K-1`` (floats with
        integral values are accepted). Encode other labels first with
        :class:`sklabels.encoding.LabelEncoder`.

    n_sources : int, default=5
        Number of sources (annotators), the columns of the label matrix.

    accuracy : float or array-like of shape (n_sources,), default=0.7
        Probability that a source labels an item correctly: one value for
        every source, or one per source.

    labels_per_item : int, default=3
        Number of distinct sources that label each item; at most
        ``n_sources``.

    random_state : int, RandomState instance or None, default=None
        Determines the assignment of sources and their labels. Pass an int
        for reproducible output across multiple function calls.

    n_classes : int, default=None
        Number of classes ``K`` (at least 2). When None, ``max(y) + 1``. Set
        it when some classes do not occur in ``y``.

    Returns
    -------
    L : ndarray of shape (n_items, n_sources), dtype=int64
        The label matrix: ``L[i, s]`` is the class that source ``s`` gave
        item ``i``, or ``-1`` when ``s`` did not label ``i``. Every row holds
        exactly ``labels_per_item`` labels.

    See Also
    --------
    make_weak_labels : Simulate votes of labeling functions.

    Notes
    -----
    Source ``s`` labels correctly with probability ``accuracy[s]``, so its
    confusion matrix has ``accuracy[s]`` on the diagonal and
    ``(1 - accuracy[s]) / (K - 1)`` elsewhere, whatever the true class. The
    sources an item gets are a uniformly random subset of size
    ``labels_per_item``, drawn independently per item, so every source labels
    about ``n_items * labels_per_item / n_sources`` items.

    References
    ----------
    .. [1] A. P. Dawid and A. M. Skene, "Maximum Likelihood Estimation of
       Observer Error-Rates Using the EM Algorithm", Journal of the Royal
       Statistical Society, Series C (Applied Statistics), 28(1), 20-28, 1979.

    Examples
    --------
    >>> from sklabels.datasets import make_crowd_labels
    >>> y = [0, 1, 2, 1]
    >>> make_crowd_labels(y, n_sources=4, accuracy=0.8, labels_per_item=2,
    ...                   random_state=0)
    array([[ 0, -1, -1,  1],
           [ 2, -1,  1, -1],
           [-1,  2, -1,  1],
           [-1, -1,  1,  1]])
    """
    codes, n_classes = _check_class_codes(y, n_classes)
    accuracy = _per_source(accuracy, n_sources, "accuracy", "n_sources")
    if labels_per_item > n_sources:
        raise ValueError(
            f"labels_per_item={labels_per_item!r} is larger than "
            f"n_sources={n_sources!r}: each item is labeled by distinct "
            "sources, so labels_per_item must be at most n_sources."
        )
    rng = check_random_state(random_state)
    n_items = codes.size

    # The labels_per_item sources with the smallest random keys label the item.
    keys = rng.random_sample((n_items, n_sources))
    if labels_per_item < n_sources:
        chosen = np.argpartition(keys, labels_per_item - 1, axis=1)
        labeled = np.zeros((n_items, n_sources), dtype=bool)
        np.put_along_axis(labeled, chosen[:, :labels_per_item], True, axis=1)
    else:
        labeled = np.ones((n_items, n_sources), dtype=bool)

    votes = _vote(codes, n_classes, accuracy, rng)
    return np.where(labeled, votes, -1).astype(np.int64)


@validate_params(
    {
        "y": ["array-like"],
        "n_lfs": [Interval(Integral, 1, None, closed="left")],
        "coverage": [Interval(Real, 0, 1, closed="both"), "array-like"],
        "accuracy": [Interval(Real, 0, 1, closed="both"), "array-like"],
        "random_state": ["random_state"],
        "n_classes": [Interval(Integral, 2, None, closed="left"), None],
    },
    prefer_skip_nested_validation=True,
)
def make_weak_labels(
    y,
    n_lfs=10,
    coverage=0.3,
    accuracy=0.75,
    random_state=None,
    *,
    n_classes=None,
):
    """Simulate the votes of labeling functions on items with known classes.

    Each labeling function (LF) votes on each item independently with
    probability ``coverage`` and abstains otherwise; a vote is the true class
    with probability ``accuracy``, else one of the other classes uniformly at
    random. This is the conditionally independent model behind data
    programming and Snorkel's label model (Ratner et al., 2017).

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    y : array-like of shape (n_items,)
        True class of each item as integer codes ``0..K-1`` (floats with
        integral values are accepted). Encode other labels first with
        :class:`sklabels.encoding.LabelEncoder`.

    n_lfs : int, default=10
        Number of labeling functions, the columns of the label matrix.

    coverage : float or array-like of shape (n_lfs,), default=0.3
        Probability that a labeling function votes on an item (does not
        abstain): one value for every function, or one per function.

    accuracy : float or array-like of shape (n_lfs,), default=0.75
        Probability that a vote is correct: one value for every function,
        or one per function.

    random_state : int, RandomState instance or None, default=None
        Determines the votes. Pass an int for reproducible output across
        multiple function calls.

    n_classes : int, default=None
        Number of classes ``K`` (at least 2). When None, ``max(y) + 1``. Set
        it when some classes do not occur in ``y``.

    Returns
    -------
    L : ndarray of shape (n_items, n_lfs), dtype=int64
        The label matrix: ``L[i, f]`` is the vote of labeling function ``f``
        on item ``i``, or ``-1`` when it abstained.

    See Also
    --------
    make_crowd_labels : Simulate crowd annotations.

    Notes
    -----
    Votes and abstains are independent across functions given the true
    class, which is the assumption under which a label model can recover the
    accuracies without ground truth. Real labeling functions are often
    correlated and unipolar (they vote a single class), so this is a
    best case for aggregators. Unlike :func:`make_crowd_labels`, the number
    of votes per item varies and an item may receive no vote at all.

    References
    ----------
    .. [1] A. Ratner, S. H. Bach, H. Ehrenberg, J. Fries, S. Wu and C. Re,
       "Snorkel: Rapid Training Data Creation with Weak Supervision",
       Proceedings of the VLDB Endowment, 11(3), 269-282, 2017.

    Examples
    --------
    >>> from sklabels.datasets import make_weak_labels
    >>> y = [0, 1, 1, 0]
    >>> make_weak_labels(y, n_lfs=3, coverage=0.6, accuracy=0.9, random_state=0)
    array([[ 0, -1, -1],
           [ 1,  1, -1],
           [ 1, -1, -1],
           [ 0, -1,  0]])
    """
    codes, n_classes = _check_class_codes(y, n_classes)
    coverage = _per_source(coverage, n_lfs, "coverage", "n_lfs")
    accuracy = _per_source(accuracy, n_lfs, "accuracy", "n_lfs")
    rng = check_random_state(random_state)

    votes_cast = rng.random_sample((codes.size, n_lfs)) < coverage
    votes = _vote(codes, n_classes, accuracy, rng)
    return np.where(votes_cast, votes, -1).astype(np.int64)
