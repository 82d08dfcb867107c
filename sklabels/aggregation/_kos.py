"""KOS (Karger, Oh and Shah 2011): message passing for binary crowds."""

from numbers import Integral

import numpy as np
from sklearn.utils import check_random_state

from sklabels.aggregation._base import (
    BaseAggregator,
    agreement_with_labels,
    fill_doc,
)
from sklabels.aggregation._matrix import bincount
from sklabels.utils._compat import Interval

__all__ = ["KOS"]

# Messages grow geometrically; the iterations stop before they overflow.
_MAX_MESSAGE = 1e300


def _kos_scores(votes, n_items, n_sources, n_iter, seed):
    """KOS message passing; returns each item's final score.

    ``A`` is +1 for a vote for class 0 and -1 for class 1. On every vote
    (edge), the item message is the sum of ``A * reliability`` over the
    item's *other* votes, and the source message the sum of ``A * item
    message`` over the source's *other* votes; the reliabilities start as
    N(1, 1) draws, one per vote in row-major order. Stops when a message
    would exceed 1e300, as crowd-kit's implementation does.
    """
    items, sources, labels = votes
    A = np.where(labels == 0, 1.0, -1.0)
    reliability = np.random.RandomState(seed).normal(loc=1.0, scale=1.0, size=A.size)
    for _ in range(n_iter):
        product = A * reliability
        summed = bincount(items, weights=product, minlength=n_items)[items]
        if np.any(np.abs(summed) > _MAX_MESSAGE):
            break
        inferred = summed - product
        product = A * inferred
        summed = bincount(sources, weights=product, minlength=n_sources)[sources]
        if np.any(np.abs(summed) > _MAX_MESSAGE):
            break
        reliability = summed - product
    return bincount(items, weights=A * reliability, minlength=n_items)


@fill_doc
class KOS(BaseAggregator):
    """KOS: iterative message passing for binary crowd labels.

    The algorithm of Karger, Oh and Shah (2011) for two classes: items and
    sources exchange messages along the votes. An item's message to a
    source is the sum of the other sources' votes (as +1 / -1) weighted by
    their reliability messages; a source's message to an item is the sum of
    its votes on its other items weighted by their item messages. After
    ``n_iter`` rounds, the sign of the sum over an item's votes of vote x
    reliability is its label. The reliabilities start as N(1, 1) draws (so
    sources are presumed better than chance). It is an approximation of
    belief propagation whose error decays exponentially with the number of
    votes per item when the votes are assigned at random (a random
    regular bipartite graph); on other designs it is a spectral method
    without guarantees. The answers are those of crowd-kit's ``KOS``.

    Read more in the :ref:`User Guide <crowdsourcing>`.

    Parameters
    ----------
    n_iter : int, default=100
        Number of message-passing rounds (fewer when a message would exceed
        1e300: the messages are not normalised, as in crowd-kit).

    random_state : int, RandomState instance or None, default=None
        Seeds the initial reliabilities. An int gives the draws of
        crowd-kit's ``KOS(random_state=...)`` (crowd-kit's default is 0)
        when the votes are listed in the same order (row-major: by item,
        then by source).

    %(n_classes)s
        KOS is for two classes: ``fit`` refuses more.

    %(classes)s

    Attributes
    ----------
    class_priors_ : ndarray of shape (n_classes,)
        Frequencies of the labels of the items of ``fit``, plus one each:
        given to the items without a vote.

    %(source_quality_)s
        Here the fraction of the source's votes that give the label KOS
        gave the item in ``fit``: KOS estimates no accuracy of its own (its
        reliabilities are unnormalised messages).

    %(classes_)s

    See Also
    --------
    MMSR : Source accuracies from a rank-one matrix completion.
    OneCoinDawidSkene : The same one-coin model, fitted by EM.

    Notes
    -----
    KOS is transductive: it estimates a message per vote, not a parameter
    per source that would carry over to new items. ``predict(L)`` and
    ``predict_proba(L)`` run the message passing on the ``L`` they are
    given (with the initial draws seeded in ``fit``), so they reproduce the
    labels of ``fit`` on the same matrix, and a row's label depends on the
    other rows passed with it.

    KOS gives labels, not probabilities: ``predict_proba`` is 1 for the
    label and 0 for the other class, and ``[0.5, 0.5]`` for an item whose
    final score is exactly 0, on which ``predict`` abstains (``-1``;
    crowd-kit fails there). %(no_vote)s Gold labels ``y`` are accepted for
    a uniform API and not used.

    References
    ----------
    .. [1] D. R. Karger, S. Oh and D. Shah, "Iterative Learning for
       Reliable Crowdsourcing Systems", Advances in Neural Information
       Processing Systems 24 (NIPS 2011), 1953-1961.
    .. [2] D. R. Karger, S. Oh and D. Shah, "Budget-Optimal Task Allocation
       for Reliable Crowdsourcing Systems", Operations Research, 62(1),
       1-24, 2014.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.aggregation import KOS
    >>> from sklabels.datasets import make_crowd_labels
    >>> y = np.arange(400) % 2
    >>> L = make_crowd_labels(y, n_sources=6, accuracy=[0.9, 0.8, 0.8, 0.7, 0.6, 0.3],
    ...                       labels_per_item=5, random_state=0)
    >>> kos = KOS(random_state=0).fit(L)
    >>> float((kos.predict(L) == y).mean()) > 0.9
    True
    >>> kos.source_quality_.round(1)
    array([0.9, 0.9, 0.8, 0.7, 0.6, 0.3])
    """

    _parameter_constraints: dict = {
        **BaseAggregator._parameter_constraints,
        "n_iter": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }
    _votes_input = True

    def __init__(self, *, n_iter=100, random_state=None, n_classes=None, classes=None):
        self.n_iter = n_iter
        self.random_state = random_state
        self.n_classes = n_classes
        self.classes = classes

    def _fit(self, L, y):
        if self.n_classes_ != 2:
            raise ValueError(
                f"KOS is for two classes only, but the data has n_classes_="
                f"{self.n_classes_}; use OneCoinDawidSkene, MMSR or DawidSkene "
                "for more classes (or one KOS per class against the rest)."
            )
        if isinstance(self.random_state, Integral):
            self._seed = int(self.random_state)
        else:
            self._seed = int(check_random_state(self.random_state).randint(2**31 - 1))
        labels = self._kos_labels(L)
        self._fit_labels = labels
        self.class_priors_ = (bincount(labels[labels >= 0], minlength=2) + 1.0) / (
            (labels >= 0).sum() + 2.0
        )

    def _kos_labels(self, L):
        scores = _kos_scores(L.triples, L.shape[0], L.shape[1], self.n_iter, self._seed)
        labels = np.where(scores > 0, 0, 1)
        labels[scores == 0] = -1
        return labels

    def _source_quality(self, L):
        return agreement_with_labels(L, self._fit_labels, L.shape[1])

    def _predict_proba(self, L):
        labels = self._kos_labels(L)
        proba = np.full((labels.size, 2), 0.5)
        decided = labels >= 0
        proba[decided] = np.eye(2)[labels[decided]]
        return proba

    def _labels_from_proba(self, proba):
        # An exact tie of the scores (probability 0.5 each): no label.
        return np.where(proba[:, 0] == 0.5, -1, proba.argmax(axis=1))
