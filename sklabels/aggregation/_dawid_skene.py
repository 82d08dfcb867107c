"""Dawid & Skene (1979): per-source confusion matrices estimated by EM."""

from numbers import Integral, Real

import numpy as np

from sklabels.aggregation._base import (
    BaseAggregator,
    best_em,
    fill_doc,
    warn_not_converged,
)
from sklabels.aggregation._matrix import (
    clamp_gold,
    onehot_votes,
    softmax_rows,
    vote_counts,
)
from sklabels.aggregation._voting import _vote_fractions
from sklabels.utils._compat import Interval
from sklabels.utils._progress import Progress, warn_once

__all__ = ["DawidSkene"]

# Pseudo-count added to every cell of the confusion counts and class counts
# (a Dirichlet(1.01) prior): keeps probabilities, and so their logs, > 0.
_PSEUDO_COUNT = 0.01


def _m_step(V, T, n_sources, n_classes):
    """Class priors and confusion matrices from the item posteriors ``T``.

    ``V.T @ T`` sums, for every (source, given label) column of the one-hot
    vote matrix, the posteriors of the items that received that vote: the
    expected confusion counts, for all sources at once.
    """
    counts = np.asarray(V.T @ T).reshape(n_sources, n_classes, n_classes)
    counts = counts.transpose(0, 2, 1) + _PSEUDO_COUNT  # (source, true, given)
    confusion = counts / counts.sum(axis=2, keepdims=True)
    priors = T.sum(axis=0) + _PSEUDO_COUNT
    return priors / priors.sum(), confusion


def _log_posterior(V, priors, confusion):
    """Unnormalised log-posterior of each class for each item, (n_items, K)."""
    n_sources, n_classes, _ = confusion.shape
    # Row s * K + l holds log P(source s says l | true class k) over k.
    table = np.log(confusion).transpose(0, 2, 1).reshape(n_sources * n_classes, -1)
    return np.asarray(V @ table) + np.log(priors)


def _e_step(V, priors, confusion, y):
    """Item posteriors and the negative log-likelihood per item."""
    log_post = _log_posterior(V, priors, confusion)
    T, log_norm = softmax_rows(log_post)
    if y is not None:
        known = y >= 0
        log_norm[known] = log_post[known, y[known]]
    return clamp_gold(T, y), -log_norm.mean()


def starting_posteriors(L, n_classes, y, n_rows=None):
    """Item posteriors to start EM from.

    Always the majority vote (vote fractions, gold labels clamped). With gold
    labels, also the posteriors of a Dawid-Skene model estimated on the gold
    items alone: when most sources are wrong in the same way, EM started
    from the majority vote follows them, while the gold items tell the
    sources apart. When the rows of ``L`` are distinct vote patterns,
    ``n_rows`` says how many items each stands for (default: one).
    """
    n_rows = np.ones(L.shape[0]) if n_rows is None else n_rows
    counts = vote_counts(L, n_classes)
    start = n_rows @ counts + 1.0
    yield clamp_gold(_vote_fractions(counts, start / start.sum()), y)
    if y is not None and (y >= 0).any():
        known = y >= 0
        gold = np.zeros((L.shape[0], n_classes))
        gold[known, y[known]] = n_rows[known]  # the M-step is linear in T
        V = onehot_votes(L, n_classes)
        yield _e_step(V, *_m_step(V, gold, L.shape[1], n_classes), y)[0]


# Warn when fewer than this share of the items with a vote have two or more.
_MIN_SHARED_ITEMS = 0.5
_ADVICE = (
    "Give the gold labels of a few items (fit(L, y) with y = -1 elsewhere), "
    "which anchors the classes; or use MajorityVote or WeightedMajorityVote, "
    "or LabelModel for labeling functions."
)


def _source_accuracy(priors, confusion):
    """Each source's accuracy, and that of a source guessing with its label
    frequencies (its chance level), under the estimated model."""
    accuracy = np.einsum("k,skk->s", priors, confusion)
    given = np.einsum("k,skl->sl", priors, confusion)  # P(source says l)
    return accuracy, given @ priors


def _warn_unreliable(model, votes):
    """Warn about a fit that is likely wrong: single votes, or swapped classes.

    Without gold labels nothing ties the class codes of EM's solution to the
    classes: when sources holding most of the votes come out worse than
    chance, EM has most likely swapped classes. And a confusion matrix per
    source cannot be identified from items that have a single vote (as with
    labeling functions of low coverage), where EM may settle anywhere.
    """
    items = votes.items
    n_votes = np.bincount(items, minlength=votes.shape[0])
    voted = n_votes > 0
    shared = float((n_votes[voted] > 1).mean()) if voted.any() else 1.0
    name = type(model).__name__
    if shared < _MIN_SHARED_ITEMS:
        warn_once(
            f"{name}: only {shared:.0%} of the items with a vote have two or more "
            "votes, too few to estimate a confusion matrix per source; EM may "
            "settle on swapped classes or on the class priors, below the "
            f"majority vote's accuracy. {_ADVICE}",
            UserWarning,
            stacklevel=4,
        )
        return
    accuracy, chance = _source_accuracy(model.class_priors_, model.confusion_matrices_)
    per_source = np.bincount(votes.sources, minlength=votes.shape[1])
    worse = float(per_source[accuracy < chance].sum() / max(per_source.sum(), 1))
    if worse > 0.5:
        warn_once(
            f"{name}: sources holding {worse:.0%} of the votes are estimated "
            "worse than chance, which most likely means that EM settled on "
            f"swapped classes (the labels are then wrong). {_ADVICE}",
            UserWarning,
            stacklevel=4,
        )


@fill_doc
class DawidSkene(BaseAggregator):
    """Dawid-Skene model: one confusion matrix per source, fitted by EM.

    Each source ``s`` is described by a confusion matrix
    ``pi[s, k, l] = P(s says l | true class k)`` and the classes by their
    prior ``p[k]``; sources are independent given the true class. EM
    alternates the posterior of each item's class given the votes (E-step)
    and the maximum-likelihood priors and confusion matrices given those
    posteriors (M-step), starting from the majority vote. Unlike a (weighted)
    majority vote it learns *which* mistakes each source makes, so it can
    use a source that systematically swaps two classes.

    Both steps are vectorised over items and votes: the votes form a sparse
    one-hot matrix ``V`` of shape ``(n_items, n_sources * K)`` and each step
    is one sparse matrix product.

    Read more in the :ref:`User Guide <crowdsourcing>`.

    Parameters
    ----------
    max_iter : int, default=100
        Maximum number of EM iterations.

    tol : float, default=1e-5
        Stop when the negative log-likelihood per item changes by less than
        ``tol`` between two iterations and no item's most probable class
        changes.

    %(n_classes)s

    %(classes)s

    verbose : int, default=0
        Progress of the EM on stderr: 0 says nothing, 1 one line per
        starting point (iterations run, final loss), 2 also the loss and its
        change at the first and every 10th iteration, 3 at every iteration.

    Attributes
    ----------
    confusion_matrices_ : ndarray of shape (n_sources, n_classes, n_classes)
        ``confusion_matrices_[s, k, l]`` is the estimated probability that
        source ``s`` says ``l`` when the true class is ``k``; rows sum to 1.
        A source with no vote has uniform rows.

    class_priors_ : ndarray of shape (n_classes,)
        Estimated prior probability of each class.

    n_iter_ : int
        Number of EM iterations run (at least 1).

    loss_history_ : list of float
        Negative log-likelihood per item at each iteration (non-increasing).

    %(source_quality_)s
        Here ``sum_k class_priors_[k] * confusion_matrices_[s, k, k]``.

    %(classes_)s

    See Also
    --------
    MajorityVote : The baseline, and the starting point of the EM.
    GLAD : One ability per source and one difficulty per item.
    MACE : Sources that are either right or spamming.

    Notes
    -----
    Items with a gold label (``y >= 0`` in ``fit``) keep it as their
    posterior at every iteration; EM is then also started from a model
    estimated on the gold items alone, and the start reaching the higher
    likelihood is kept. A pseudo-count of 0.01 is added to every
    confusion and class count (a MAP estimate under a Dirichlet(1.01)
    prior), so no probability is exactly 0. %(no_vote)s A
    ``ConvergenceWarning`` is emitted when ``max_iter`` stops the EM.

    EM finds a local maximum of the likelihood. Starting from the majority
    vote it assumes that most sources are better than chance; when most are
    adversarial it may converge to a permutation of the classes. Without
    gold labels, ``fit`` warns (``UserWarning``) when the solution is likely
    wrong: when sources holding most of the votes come out worse than chance
    (swapped classes), or when fewer than half of the items with a vote have
    two or more (a confusion matrix per source cannot be identified from
    single votes, as with labeling functions of low coverage). Gold labels
    for a few items anchor the classes.

    References
    ----------
    .. [1] A. P. Dawid and A. M. Skene, "Maximum Likelihood Estimation of
       Observer Error-Rates Using the EM Algorithm", Journal of the Royal
       Statistical Society, Series C (Applied Statistics), 28(1), 20-28, 1979.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.aggregation import DawidSkene
    >>> from sklabels.datasets import make_crowd_labels
    >>> y = np.arange(600) % 3
    >>> L = make_crowd_labels(y, n_sources=4, accuracy=[0.9, 0.8, 0.7, 0.4],
    ...                       labels_per_item=3, random_state=0)
    >>> ds = DawidSkene().fit(L)
    >>> np.diagonal(ds.confusion_matrices_, axis1=1, axis2=2).mean(axis=1).round(1)
    array([0.9, 0.8, 0.7, 0.4])
    >>> float((ds.predict(L) == y).mean()) > 0.9
    True
    """

    _parameter_constraints: dict = {
        **BaseAggregator._parameter_constraints,
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
    }
    _votes_input = True

    def __init__(
        self, *, max_iter=100, tol=1e-5, n_classes=None, classes=None, verbose=0
    ):
        self.max_iter = max_iter
        self.tol = tol
        self.n_classes = n_classes
        self.classes = classes
        self.verbose = verbose

    def _fit(self, L, y):
        K, n_sources = self.n_classes_, L.shape[1]
        V = onehot_votes(L, K)
        params, history, n_iter, converged = best_em(
            starting_posteriors(L, K, y),
            lambda T: _m_step(V, T, n_sources, K),
            lambda params: _e_step(V, *params, y),
            lambda T, _: _m_step(V, T, n_sources, K),
            max_iter=self.max_iter,
            tol=self.tol,
            progress=Progress(self, self.verbose),
        )
        if not converged:
            warn_not_converged(self, history)
        self.class_priors_, self.confusion_matrices_ = params
        self.n_iter_, self.loss_history_ = n_iter, history
        if y is None or not (y >= 0).any():
            _warn_unreliable(self, L)

    def _source_quality(self, L):
        # P(source right) = sum_k P(true k) P(source says k | true k).
        return _source_accuracy(self.class_priors_, self.confusion_matrices_)[0]

    def _predict_proba(self, L):
        V = onehot_votes(L, self.n_classes_)
        log_post = _log_posterior(V, self.class_priors_, self.confusion_matrices_)
        return softmax_rows(log_post)[0]
