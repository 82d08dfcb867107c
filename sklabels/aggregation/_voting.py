"""Majority vote and weighted majority vote over a label matrix."""

from numbers import Integral, Real

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state

from sklabels.aggregation._base import (
    BaseAggregator,
    agreement_with_labels,
    fill_doc,
)
from sklabels.aggregation._matrix import bincount, softmax_rows
from sklabels.utils._compat import Interval, StrOptions
from sklabels.utils._progress import warn_once

__all__ = ["MajorityVote", "WeightedMajorityVote"]


def _vote_fractions(counts, priors):
    """Rows of counts divided by their sums; empty rows get ``priors``."""
    totals = counts @ np.ones(counts.shape[1])  # faster than .sum(axis=1)
    empty = totals == 0
    proba = counts / np.where(empty, 1.0, totals)[:, None]
    if empty.any():
        proba[empty] = priors
    return proba


def _row_keys(votes, weights):
    """A pseudo-random number in [0, 1) per row, a function of the row only.

    The same votes always give the same key, so a tie is broken the same way
    whatever the other rows passed with it: the sum over the row's votes of
    ``(label + 1) * weights[source]``, in row-major order.
    """
    items, sources, labels = votes.triples
    sums = bincount(
        items, weights=(labels + 1) * weights[sources], minlength=votes.shape[0]
    )
    return np.modf(sums * 7919.0)[0]


def _tie_first(scores, votes, weights):
    return scores.argmax(axis=1)


def _tie_random(scores, votes, weights):
    tied = scores >= scores.max(axis=1, keepdims=True)
    n_tied = tied.sum(axis=1)
    labels = scores.argmax(axis=1)
    rows = np.flatnonzero(n_tied > 1)  # the draw only matters for ties
    keys = _row_keys(votes.take_rows(rows), weights)
    pick = np.floor(keys * n_tied[rows]).astype(np.int64)
    labels[rows] = (np.cumsum(tied[rows], axis=1) > pick[:, None]).argmax(axis=1)
    return labels


def _tie_abstain(scores, votes, weights):
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

    %(classes)s

    Attributes
    ----------
    class_priors_ : ndarray of shape (n_classes,)
        Fraction of all votes of ``L`` that went to each class: the
        probabilities given to items with no vote.

    %(source_quality_)s
        Here the fraction of the source's votes that give the majority
        label of the item (a tie shares it equally among the tied classes).

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
    _votes_input = True

    def __init__(
        self, *, tie_break="random", random_state=None, n_classes=None, classes=None
    ):
        self.tie_break = tie_break
        self.random_state = random_state
        self.n_classes = n_classes
        self.classes = classes

    def _fit(self, L, y):
        totals = L.counts(self.n_classes_).sum(axis=0)
        if totals.sum() > 0:
            self.class_priors_ = totals / totals.sum()
        else:
            self.class_priors_ = np.full(self.n_classes_, 1.0 / self.n_classes_)
        rng = check_random_state(self.random_state)
        self._tie_weights = rng.random_sample(L.shape[1])

    def _predict_proba(self, L):
        return _vote_fractions(L.counts(self.n_classes_), self.class_priors_)

    def _source_quality(self, L):
        # Agreement with the majority label; a tie shares the agreement
        # equally among the tied classes (each with 1 / n_tied).
        counts = L.counts(self.n_classes_)
        top = counts >= counts.max(axis=1, keepdims=True)
        top &= counts > 0
        share = top / np.maximum(top.sum(axis=1, keepdims=True), 1)
        return agreement_with_labels(L, share, L.shape[1])

    def predict(self, L):
        """Class with the most votes for each item, ties by ``tie_break``.

        Parameters
        ----------
        L : {array-like, sparse matrix} of shape (n_items, n_sources)
            Label matrix with the sources (columns) seen in ``fit``, dense
            or sparse (coded as in ``fit``), whatever the form ``fit`` got.

        Returns
        -------
        labels : ndarray of shape (n_items,)
            Class codes ``0..K-1`` (int64); ``-1`` where no source voted (and
            for ties under ``tie_break="abstain"``). With ``classes``, their
            labels (``-1`` or None where there is none, see ``fit``).
        """
        return self._decode(self._predict_codes(L))

    def _codes(self, L):
        counts = L.counts(self.n_classes_)
        labels = _TIE_BREAKS[self.tie_break](counts, L, self._tie_weights)
        labels = labels.astype(np.int64)
        labels[L.no_vote()] = -1
        return labels


def _one_coin_weights(accuracy, n_classes):
    """Log-odds weight of a source that is right with probability ``accuracy``.

    Under the "one-coin" model (right with probability ``a``, else any other
    class uniformly) the posterior log-odds of a class grow by
    ``log((K - 1) a / (1 - a))`` per vote for it: 0 for a random source,
    negative for one that is worse than random.
    """
    return np.log((n_classes - 1) * accuracy) - np.log1p(-accuracy)


def _one_coin_accuracy(weight, n_classes):
    """The accuracy whose one-coin weight is ``weight`` (the inverse)."""
    return 1.0 / (1.0 + (n_classes - 1) * np.exp(-weight))


# Pseudo-votes that pull the accuracy of a source with few compared votes
# towards the average agreement of all sources.
_PRIOR_VOTES = 5.0


def _agreement(votes, weights, average_weight, n_classes, gold, counted):
    """Per-vote probability that the vote gives the item's class.

    For the vote ``l`` of source ``s`` on item ``i``: the one-coin posterior
    of class ``l`` given the weighted votes on ``i`` of the *other* sources
    and the source's own vote counted with ``average_weight``, the weight of
    an average source. With its own weight (the E-step of EM) a heavy
    source confirms itself, which on sparse crowds can drag the consensus
    below the majority vote; left out, every source is judged against an
    uncertain consensus, which drags all weights to 0. (Halfway between the
    two was more accurate on simulated crowds but fell 10 points below the
    majority vote on correlated labeling functions.) Where the item has a
    gold label, ``[l == y_i]``. One pass over the votes.
    """
    items, sources, labels = votes.triples
    scores = votes.counts(n_classes, weights)
    scores -= scores.max(axis=1, keepdims=True)
    expo = np.exp(scores)
    total = expo.sum(axis=1)
    mine = expo[items, labels]
    # exp(score of l with this vote re-weighted to the average weight)
    own = mine * np.exp(average_weight - weights[sources])
    p = own / (total[items] - mine + own)
    p = np.where(counted, p, 0.0)
    if gold is not None:
        p = np.where(gold >= 0, labels == gold, p)
    return p


def _squarem(step, state, n_iter, *, max_iter, tol):
    """Iterate ``state = step(state)`` to a fixed point, with SQUAREM.

    Each cycle takes two plain steps, extrapolates along them (the squared
    extrapolation of Varadhan and Roland, 2008) and takes one step from the
    extrapolated point, kept when it moves less than the second plain step
    did (else the plain steps are kept). Where plain steps contract slowly
    this needs several times fewer steps to reach the same fixed point.
    Stops when a step changes no entry by more than ``tol``, or after
    ``max_iter`` steps in all (``n_iter`` already taken).

    Returns the state, the number of steps and the last change.
    """
    change = np.inf
    while n_iter < max_iter:
        start = state
        first = step(start)
        n_iter += 1
        r = first - start
        change = np.max(np.abs(r), initial=0.0)
        state = first
        if change <= tol or n_iter >= max_iter:
            break
        second = step(first)
        n_iter += 1
        change = np.max(np.abs(second - first), initial=0.0)
        state = second
        v = second - first - r
        norm_v = np.linalg.norm(v)
        if change <= tol or n_iter >= max_iter or norm_v == 0:
            continue
        alpha = min(-np.linalg.norm(r) / norm_v, -1.0)
        jump = start - 2 * alpha * r + alpha**2 * v
        landed = step(jump)
        n_iter += 1
        moved = np.max(np.abs(landed - jump), initial=0.0)
        if moved < change:
            state, change = landed, moved
    return state, n_iter, change


@fill_doc
class WeightedMajorityVote(BaseAggregator):
    """Majority vote weighted by each source's agreement with the others.

    Starts from the plain majority vote, then alternates two steps until
    the weights settle: estimate each source's accuracy ``a`` as the average,
    over its votes, of the posterior probability of the class it gave, given
    the weighted votes of the *other* sources on the item and its own vote
    counted with the weight of an average source (not its own, so that a
    heavy source cannot confirm itself; the gold label where ``y`` gives
    one, and the first weights then come from the gold labels alone), and
    give its votes the weight ``log((K - 1) a / (1 - a))``. That weight is
    the optimal one when a source is right with probability ``a`` and otherwise picks
    another class at random (the "one-coin" model): a source at chance level
    gets weight 0, one worse than chance a negative weight. Sources with
    few compared votes are pulled towards the average agreement of all
    sources by five pseudo-votes, so that a newcomer counts like an average
    source rather than like a perfect (or useless) one.

    Each round is one pass over the votes (``O(n_votes)``), which suits
    sparse crowds of many annotators with few labels each; pass ``L`` as a
    sparse matrix there (see ``fit``). The rounds are accelerated by squared
    extrapolation (SQUAREM, Varadhan and Roland 2008): every third round
    jumps along the last two, and is kept when it lands closer to the fixed
    point.

    Read more in the :ref:`User Guide <crowdsourcing>`.

    Parameters
    ----------
    max_iter : int, default=200
        Maximum number of reweighting rounds.

    tol : float, default=1e-4
        Stop when no weight changes by more than ``tol``.

    %(n_classes)s

    %(classes)s

    Attributes
    ----------
    weights_ : ndarray of shape (n_sources,)
        Weight of each source's votes.

    accuracies_ : ndarray of shape (n_sources,)
        Estimated accuracy of each source: its average agreement with the
        weighted vote of the others (or the gold labels), as described
        above, pulled towards the average of all sources by five
        pseudo-votes. It is biased towards chance when the consensus itself
        is often wrong. NaN when no item has two votes or a gold label.

    class_priors_ : ndarray of shape (n_classes,)
        Class distribution of the weighted consensus (and gold labels),
        given to the items without a vote.

    n_iter_ : int
        Number of reweighting rounds run (at least 1).

    %(source_quality_)s
        Here ``accuracies_``.

    %(classes_)s

    See Also
    --------
    MajorityVote : Every source counts the same.
    DawidSkene : A full confusion matrix per source.

    Notes
    -----
    ``predict_proba`` is the posterior of the one-coin model with uniform
    class priors, ``softmax(sum of the weights of the votes for each
    class)``, so ``predict`` is the weighted vote whatever the scale of the
    weights (the class priors would outweigh small weights). %(no_vote)s
    A ``ConvergenceWarning`` is emitted when the weights still move after
    ``max_iter`` rounds. A vote on an item that no other source labeled
    (and that has no gold label) says nothing about its source's accuracy
    and is not counted in it. When no item has two votes
    or a gold label, every weight is 1: the plain majority vote.

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
    array([0.78, 0.78, 0.63, 0.36, 0.37])
    >>> float((wmv.predict(L) == y).mean()) > 0.9
    True
    """

    _parameter_constraints: dict = {
        **BaseAggregator._parameter_constraints,
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
    }
    _votes_input = True

    def __init__(self, *, max_iter=200, tol=1e-4, n_classes=None, classes=None):
        self.max_iter = max_iter
        self.tol = tol
        self.n_classes = n_classes
        self.classes = classes

    def _fit(self, L, y):
        K, n_sources = self.n_classes_, L.shape[1]
        items, sources, _ = L.triples
        n_votes = bincount(items, minlength=L.shape[0])
        gold = None if y is None else y[items]
        has_gold = gold is not None and (gold >= 0).any()
        counted = n_votes[items] > 1
        if gold is not None:
            counted |= gold >= 0
        accuracy = np.full(n_sources, np.nan)
        # Sources with a counted vote; the others (votes on items no other
        # source labeled) get the average weight and stay out of the state.
        active = bincount(sources, weights=counted, minlength=n_sources) > 0

        def reweight(state, mask):
            """One round: (active weights, average weight) -> the next ones."""
            weights = np.full(n_sources, state[-1])
            weights[active] = state[:-1]
            p = _agreement(L, weights, state[-1], K, gold, mask)
            agree = bincount(sources, weights=p, minlength=n_sources)
            seen = bincount(sources, weights=mask.astype(float), minlength=n_sources)
            # The average agreement, itself pulled a little towards chance,
            # stays inside (0, 1): so do the accuracies and the weights finite.
            average = (agree.sum() + 2.0 / K) / (seen.sum() + 2.0)
            accuracy = (agree + _PRIOR_VOTES * average) / (seen + _PRIOR_VOTES)
            return np.r_[
                _one_coin_weights(accuracy[active], K), _one_coin_weights(average, K)
            ]

        state, n_iter = np.ones(active.sum() + 1), 0
        if has_gold and counted.any():  # the first weights from the gold alone
            state, n_iter = reweight(state, gold >= 0), 1
        state, n_iter, change = _squarem(
            lambda x: reweight(x, counted),
            state,
            n_iter,
            max_iter=self.max_iter if counted.any() else 0,
            tol=self.tol,
        )
        converged = change <= self.tol or not counted.any()
        weights = np.ones(n_sources)  # no counted vote at all: majority vote
        if counted.any():
            weights = np.full(n_sources, state[-1])
            weights[active] = state[:-1]
            accuracy = _one_coin_accuracy(weights, K)
        n_iter = max(n_iter, 1)
        if not converged:
            warn_once(
                f"WeightedMajorityVote did not converge in max_iter={self.max_iter} "
                f"rounds (last weight change {change:.3g} > tol={self.tol}); "
                "increase max_iter or tol.",
                ConvergenceWarning,
                stacklevel=3,
                key=("WeightedMajorityVote", "not converged", self.max_iter, self.tol),
            )
        self.weights_, self.accuracies_, self.n_iter_ = weights, accuracy, n_iter
        scores = L.counts(K, weights)
        consensus = scores.argmax(axis=1)[n_votes > 0]
        if y is not None:
            consensus = np.concatenate([consensus, y[y >= 0]])
        counts = bincount(consensus, minlength=K) + 1.0
        self.class_priors_ = counts / counts.sum()

    def _predict_proba(self, L):
        return softmax_rows(L.counts(self.n_classes_, self.weights_))[0]

    def _source_quality(self, L):
        return self.accuracies_
