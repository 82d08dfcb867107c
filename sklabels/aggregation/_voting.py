"""Majority vote and weighted majority vote over a label matrix."""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state

from sklabels.aggregation._base import BaseAggregator, fill_doc
from sklabels.aggregation._matrix import (
    bincount,
    vote_counts,
    vote_triples,
)
from sklabels.utils._compat import Interval, StrOptions, check_is_fitted

__all__ = ["MajorityVote", "WeightedMajorityVote"]


def _vote_fractions(counts, priors):
    """Rows of counts divided by their sums; empty rows get ``priors``."""
    totals = counts.sum(axis=1, keepdims=True)
    proba = np.divide(counts, totals, out=np.zeros_like(counts), where=totals != 0)
    proba[totals[:, 0] == 0] = priors
    return proba


def _row_keys(L, weights):
    """A pseudo-random number in [0, 1) per row, a function of the row only.

    The same votes always give the same key, so a tie is broken the same way
    whatever the other rows passed with it. Abstains (-1) contribute 0.
    """
    return np.modf((L + 1) @ weights * 7919.0)[0]


def _tie_first(scores, L, weights):
    return scores.argmax(axis=1)


def _tie_random(scores, L, weights):
    tied = scores >= scores.max(axis=1, keepdims=True)
    n_tied = tied.sum(axis=1)
    labels = scores.argmax(axis=1)
    rows = np.flatnonzero(n_tied > 1)  # the draw only matters for ties
    pick = np.floor(_row_keys(L[rows], weights) * n_tied[rows]).astype(np.int64)
    labels[rows] = (np.cumsum(tied[rows], axis=1) > pick[:, None]).argmax(axis=1)
    return labels


def _tie_abstain(scores, L, weights):
    tied = scores >= scores.max(axis=1, keepdims=True)
    return np.where(tied.sum(axis=1) > 1, -1, scores.argmax(axis=1))


_TIE_BREAKS = {"random": _tie_random, "first": _tie_first, "abstain": _tie_abstain}


@fill_doc
class MajorityVote(BaseAggregator):
    """Majority vote: the class most sources gave each item.

    Each item gets the class with the most votes; ``predict_proba`` returns
    the fraction of the item's votes each class received. Every source
    counts the same and abstains (``-1``) are ignored. This is the baseline
    that every other aggregator should beat, and a good one when sources are
    about equally reliable.

    Read more in the :ref:`User Guide <crowdsourcing>`.

    Parameters
    ----------
    tie_break : {"random", "first", "abstain"}, default="random"
        How ``predict`` resolves a tie between classes with the most votes:

        - "random": one of the tied classes at random. The draw is a function
          of the item's row of ``L`` and of ``random_state`` only, so the
          same votes always give the same label, whatever other items are
          predicted with it.
        - "first": the tied class with the smallest code.
        - "abstain": ``-1``.

        ``predict_proba`` is not affected: tied classes get equal
        probabilities.

    random_state : int, RandomState instance or None, default=None
        Seeds the random tie-breaking (drawn in ``fit``). Pass an int for
        reproducible results across calls.

    %(n_classes)s

    Attributes
    ----------
    class_priors_ : ndarray of shape (n_classes,)
        Fraction of all votes of ``L`` that went to each class: the
        probabilities given to items with no vote.

    %(classes_)s

    See Also
    --------
    WeightedMajorityVote : Votes weighted by each source's estimated accuracy.
    DawidSkene : Per-source confusion matrices, estimated by EM.

    Notes
    -----
    %(no_vote)s The gold labels ``y`` of ``fit`` are accepted for a uniform
    API but not used: a majority vote has no source parameters to anchor.

    Examples
    --------
    >>> from sklabels.aggregation import MajorityVote
    >>> L = [[0, 0, 1], [1, -1, 1], [0, 1, -1], [-1, -1, -1]]
    >>> mv = MajorityVote(tie_break="first").fit(L)
    >>> mv.predict(L)
    array([ 0,  1,  0, -1])
    >>> mv.predict_proba(L).round(2)
    array([[0.67, 0.33],
           [0.  , 1.  ],
           [0.5 , 0.5 ],
           [0.43, 0.57]])
    """

    _parameter_constraints: dict = {
        **BaseAggregator._parameter_constraints,
        "tie_break": [StrOptions(set(_TIE_BREAKS))],
        "random_state": ["random_state"],
    }

    def __init__(self, *, tie_break="random", random_state=None, n_classes=None):
        self.tie_break = tie_break
        self.random_state = random_state
        self.n_classes = n_classes

    def _fit(self, L, y):
        totals = vote_counts(L, self.n_classes_).sum(axis=0)
        if totals.sum() > 0:
            self.class_priors_ = totals / totals.sum()
        else:
            self.class_priors_ = np.full(self.n_classes_, 1.0 / self.n_classes_)
        rng = check_random_state(self.random_state)
        self._tie_weights = rng.random_sample(L.shape[1])

    def _predict_proba(self, L):
        return _vote_fractions(vote_counts(L, self.n_classes_), self.class_priors_)

    def predict(self, L):
        """Class with the most votes for each item, ties by ``tie_break``.

        Parameters
        ----------
        L : array-like of shape (n_items, n_sources)
            Label matrix with the sources (columns) seen in ``fit``.

        Returns
        -------
        labels : ndarray of shape (n_items,), dtype=int64
            Class codes ``0..K-1``; ``-1`` where no source voted (and for
            ties under ``tie_break="abstain"``).
        """
        check_is_fitted(self)
        L = self._validate_L(L, reset=False)
        counts = vote_counts(L, self.n_classes_)
        labels = _TIE_BREAKS[self.tie_break](counts, L, self._tie_weights)
        labels = labels.astype(np.int64)
        labels[(L < 0).all(axis=1)] = -1
        return labels


def _one_coin_weights(accuracy, n_classes):
    """Log-odds weight of a source that is right with probability ``accuracy``.

    Under the "one-coin" model (right with probability ``a``, else any other
    class uniformly) the posterior log-odds of a class grow by
    ``log((K - 1) a / (1 - a))`` per vote for it: 0 for a random source,
    negative for one that is worse than random.
    """
    return np.log((n_classes - 1) * accuracy) - np.log1p(-accuracy)


def _agreement(
    scores, items, sources, labels, weights, n_votes, y, n_sources, gold_only
):
    """Per-source accuracy against the consensus of the other sources.

    Each vote is compared with the weighted vote of the item's other sources
    (leave-one-out), counting ``1 / n_tied`` when it is one of ``n_tied``
    classes tied at the top; against the gold label where there is one.
    Votes on items that no other source labeled (and no gold label) do not
    count.
    """
    n_classes = scores.shape[1]
    rows = np.arange(items.size)
    loo = scores[items]
    loo[rows, labels] -= weights[sources]
    tied = loo >= loo.max(axis=1, keepdims=True) - 1e-9
    credit = tied[rows, labels] / tied.sum(axis=1)
    valid = n_votes[items] > 1
    if y is not None:
        gold = y[items] >= 0
        credit = np.where(gold, labels == y[items], credit)
        valid = gold if gold_only else valid | gold
    agree = bincount(sources, weights=credit * valid, minlength=n_sources)
    seen = bincount(sources, weights=valid.astype(float), minlength=n_sources)
    # Two pseudo-votes at chance level keep rarely seen sources near weight 0.
    return (agree + 2.0 / n_classes) / (seen + 2.0)


@fill_doc
class WeightedMajorityVote(BaseAggregator):
    """Majority vote weighted by each source's agreement with the consensus.

    Starts from the plain majority vote, then alternates two steps until
    the weights settle: estimate each source's accuracy as its agreement
    with the weighted vote of the *other* sources on the same items (or with
    the gold label where ``y`` gives one; the first weights then come from
    the gold labels alone), and move its weight half-way towards the
    log-odds ``log((K - 1) a / (1 - a))``. That weight is the optimal one when a
    source is right with probability ``a`` and otherwise picks another class
    at random (the "one-coin" model): a source at chance level gets weight
    0, one worse than chance a negative weight.

    Read more in the :ref:`User Guide <crowdsourcing>`.

    Parameters
    ----------
    max_iter : int, default=50
        Maximum number of reweighting rounds.

    tol : float, default=1e-6
        Stop when no weight changes by more than ``tol``.

    %(n_classes)s

    Attributes
    ----------
    weights_ : ndarray of shape (n_sources,)
        Weight of each source's votes.

    accuracies_ : ndarray of shape (n_sources,)
        Agreement of each source with the weighted vote of the others (or
        the gold labels), shrunk towards chance, ``1/K``, by two
        pseudo-votes. It estimates the source's accuracy, biased low when
        the consensus itself is often wrong.

    class_priors_ : ndarray of shape (n_classes,)
        Class distribution of the weighted consensus (and gold labels).

    n_iter_ : int
        Number of reweighting rounds run (at least 1).

    %(classes_)s

    See Also
    --------
    MajorityVote : Every source counts the same.
    DawidSkene : A full confusion matrix per source.

    Notes
    -----
    ``predict_proba`` is the posterior of the one-coin model:
    ``softmax(log class_priors_ + sum of the weights of the votes for each
    class)``. %(no_vote)s A ``ConvergenceWarning`` is emitted when the
    weights still move after ``max_iter`` rounds.

    Examples
    --------
    >>> from sklabels.aggregation import WeightedMajorityVote
    >>> from sklabels.datasets import make_crowd_labels
    >>> import numpy as np
    >>> y = np.arange(300) % 3
    >>> L = make_crowd_labels(y, n_sources=5, accuracy=[0.9, 0.9, 0.6, 0.3, 0.3],
    ...                       labels_per_item=5, random_state=0)
    >>> wmv = WeightedMajorityVote().fit(L)
    >>> wmv.accuracies_.round(2)
    array([0.78, 0.78, 0.57, 0.31, 0.32])
    >>> float((wmv.predict(L) == y).mean()) > 0.9
    True
    """

    _parameter_constraints: dict = {
        **BaseAggregator._parameter_constraints,
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, max_iter=50, tol=1e-6, n_classes=None):
        self.max_iter = max_iter
        self.tol = tol
        self.n_classes = n_classes

    def _fit(self, L, y):
        K, n_sources = self.n_classes_, L.shape[1]
        items, sources, labels = vote_triples(L)
        n_votes = bincount(items, minlength=L.shape[0])
        weights = np.ones(n_sources)
        converged = False
        for n_iter in range(1, self.max_iter + 1):
            scores = vote_counts(L, K, weights)
            # With gold labels the first weights come from them alone.
            accuracy = _agreement(
                scores,
                items,
                sources,
                labels,
                weights,
                n_votes,
                y,
                n_sources,
                gold_only=n_iter == 1 and y is not None and (y >= 0).any(),
            )
            # Half steps: the hard consensus can make full steps oscillate.
            step = 0.5 * (_one_coin_weights(accuracy, K) - weights)
            change = np.max(np.abs(step), initial=0.0)
            weights = weights + step
            if change <= self.tol:
                converged = True
                break
        if not converged:
            warnings.warn(
                f"WeightedMajorityVote did not converge in max_iter={self.max_iter} "
                f"rounds (last weight change {change:.3g} > tol={self.tol}); "
                "increase max_iter.",
                ConvergenceWarning,
                stacklevel=3,
            )
        self.weights_, self.accuracies_, self.n_iter_ = weights, accuracy, n_iter
        scores = vote_counts(L, K, weights)
        consensus = scores.argmax(axis=1)[n_votes > 0]
        if y is not None:
            consensus = np.concatenate([consensus, y[y >= 0]])
        counts = bincount(consensus, minlength=K) + 1.0
        self.class_priors_ = counts / counts.sum()

    def _predict_proba(self, L):
        scores = vote_counts(L, self.n_classes_, self.weights_)
        log_post = np.log(self.class_priors_) + scores
        log_post -= log_post.max(axis=1, keepdims=True)
        proba = np.exp(log_post)
        return proba / proba.sum(axis=1, keepdims=True)
