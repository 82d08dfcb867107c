"""One-coin Dawid-Skene: one accuracy per source, fitted by EM."""

from numbers import Integral, Real

import numpy as np

from sklabels.aggregation._base import (
    BaseAggregator,
    fill_doc,
    report_em,
    warn_not_converged,
)
from sklabels.aggregation._matrix import (
    bincount,
    clamp_gold,
    softmax_rows,
    vote_triples,
)
from sklabels.aggregation._voting import _vote_fractions
from sklabels.utils._compat import Interval
from sklabels.utils._progress import Progress, iteration_step, loss_text

__all__ = ["OneCoinDawidSkene"]

# Probabilities are clipped to [_EPS, 1 - _EPS] before their logs are taken.
_EPS = 1e-10


def _log_tables(skills, n_classes):
    """log P(vote right) and log P(vote = a given wrong class), per source."""
    right = np.clip(skills, _EPS, 1 - _EPS)
    wrong = np.clip((1.0 - skills) / (n_classes - 1), _EPS, 1 - _EPS)
    return np.log(right), np.log(wrong)


def _log_posterior(votes, n_items, priors, skills, n_classes):
    """Unnormalised log-posterior of each class for each item, (n_items, K)."""
    items, sources, labels = votes
    log_right, log_wrong = _log_tables(skills, n_classes)
    # Every vote is "wrong" for all classes but the one it names.
    base = bincount(items, weights=log_wrong[sources], minlength=n_items)
    bonus = bincount(
        items * n_classes + labels,
        weights=(log_right - log_wrong)[sources],
        minlength=n_items * n_classes,
    ).reshape(n_items, n_classes)
    return np.log(np.maximum(priors, _EPS)) + base[:, None] + bonus


def _m_step(T, votes, n_sources):
    """Class priors and each source's accuracy: the mean posterior of its votes."""
    items, sources, labels = votes
    n_votes = bincount(sources, minlength=n_sources)
    right = bincount(sources, weights=T[items, labels], minlength=n_sources)
    with np.errstate(invalid="ignore", divide="ignore"):
        skills = np.where(n_votes > 0, right / np.maximum(n_votes, 1), np.nan)
    return T.mean(axis=0), skills


def _elbo(T, votes, priors, skills, n_classes):
    """Evidence lower bound per vote of the posteriors ``T`` (crowd-kit's loss).

    ``sum over votes and classes of T * (log P(vote | class) + log prior)``
    plus the entropy of ``T``, divided by the number of votes; the prior is
    counted once per vote, as crowd-kit counts it.
    """
    items, sources, labels = votes
    log_right, log_wrong = _log_tables(skills, n_classes)
    joint = np.sum(
        log_wrong[sources] + (log_right - log_wrong)[sources] * T[items, labels]
    )
    n_votes = bincount(items, minlength=T.shape[0])
    joint += n_votes @ (T @ np.log(np.maximum(priors, _EPS)))
    clipped = np.maximum(T, _EPS)
    entropy = -np.sum(clipped * np.log(clipped))
    return (joint + entropy) / items.size


@fill_doc
class OneCoinDawidSkene(BaseAggregator):
    """One-coin Dawid-Skene: one accuracy per source, fitted by EM.

    The Dawid-Skene model with each confusion matrix reduced to one number:
    source ``s`` gives the true class with probability ``skills_[s]`` and
    otherwise any other class with probability ``(1 - skills_[s]) / (K -
    1)`` (a single biased coin per source, whatever the true class). EM
    starts from the majority vote and alternates the posterior of each
    item's class (E-step) with the class priors and each source's accuracy,
    the average posterior probability of the labels it gave (M-step), as
    crowd-kit's ``OneCoinDawidSkene`` does. With ``K`` times fewer
    parameters per source than :class:`DawidSkene` it needs fewer votes per
    source, and it cannot learn a source that systematically swaps two
    classes.

    Both steps are vectorised over votes (a ``bincount`` each).

    Read more in the :ref:`User Guide <crowdsourcing>`.

    Parameters
    ----------
    max_iter : int, default=100
        Maximum number of EM iterations.

    tol : float, default=1e-5
        Stop when the evidence lower bound per vote (crowd-kit's loss)
        increases by less than ``tol`` in an iteration.

    %(n_classes)s

    %(classes)s

    verbose : int, default=0
        Progress of the EM on stderr: 0 says nothing, 1 one line per
        starting point (iterations run, final loss), 2 also the loss and its
        change at the first and every 10th iteration, 3 at every iteration.

    Attributes
    ----------
    skills_ : ndarray of shape (n_sources,)
        Estimated accuracy of each source, ``P(label given = true class)``
        (NaN for a source without a vote).

    confusion_matrices_ : ndarray of shape (n_sources, n_classes, n_classes)
        The implied ``P(source says l | true class k)``: ``skills_`` on the
        diagonal, ``(1 - skills_) / (K - 1)`` elsewhere (clipped to
        ``[1e-10, 1 - 1e-10]``, as in the E-step).

    class_priors_ : ndarray of shape (n_classes,)
        Estimated prior probability of each class.

    n_iter_ : int
        Number of EM iterations run (at least 1).

    loss_history_ : list of float
        Negative evidence lower bound per vote at each iteration.

    %(source_quality_)s
        Here ``skills_``.

    %(classes_)s

    See Also
    --------
    DawidSkene : A full confusion matrix per source.
    WeightedMajorityVote : The same one-coin weights, without a class prior.

    Notes
    -----
    As in crowd-kit, the posterior is clipped at 1e-10 in the evidence lower
    bound, probabilities of the model at ``[1e-10, 1 - 1e-10]``, and the
    returned posteriors come from the final parameters. Items with a gold
    label (``y >= 0`` in ``fit``) keep it at every iteration (crowd-kit's
    one-coin model takes no gold labels). %(no_vote)s A
    ``ConvergenceWarning`` is emitted when ``max_iter`` stops the EM.

    References
    ----------
    .. [1] A. P. Dawid and A. M. Skene, "Maximum Likelihood Estimation of
       Observer Error-Rates Using the EM Algorithm", Journal of the Royal
       Statistical Society, Series C, 28(1), 20-28, 1979.
    .. [2] Y. Zhang, X. Chen, D. Zhou and M. I. Jordan, "Spectral Methods
       Meet EM: A Provably Optimal Algorithm for Crowdsourcing", Journal of
       Machine Learning Research, 17(102), 1-44, 2016.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.aggregation import OneCoinDawidSkene
    >>> from sklabels.datasets import make_crowd_labels
    >>> y = np.arange(600) % 3
    >>> L = make_crowd_labels(y, n_sources=4, accuracy=[0.9, 0.8, 0.7, 0.4],
    ...                       labels_per_item=3, random_state=0)
    >>> model = OneCoinDawidSkene().fit(L)
    >>> model.skills_.round(1)
    array([0.9, 0.8, 0.7, 0.4])
    >>> float((model.predict(L) == y).mean()) > 0.9
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
        # EM runs on the items with a vote (or a gold label), as crowd-kit's
        # does on the items of its table.
        keep = ~L.no_vote()
        if y is not None:
            keep |= y >= 0
        rows = np.flatnonzero(keep)
        votes_kept = L.take_rows(rows)
        votes = vote_triples(votes_kept)
        gold = None if y is None else y[rows]
        n_items = rows.size
        counts = votes_kept.counts(K)
        T = clamp_gold(_vote_fractions(counts, np.full(K, 1.0 / K)), gold)
        priors, skills = _m_step(T, votes, n_sources)
        history, converged, loss = [], False, np.inf
        progress = Progress(self, self.verbose)
        while len(history) < self.max_iter:
            T = softmax_rows(_log_posterior(votes, n_items, priors, skills, K))[0]
            T = clamp_gold(T, gold)
            priors, skills = _m_step(T, votes, n_sources)
            new_loss = -_elbo(T, votes, priors, skills, K) if votes[0].size else 0.0
            history.append(float(new_loss))
            iteration_step(
                progress, len(history), self.max_iter, lambda: loss_text(history)
            )
            if loss - new_loss < self.tol:
                converged = True
                break
            loss = new_loss
        report_em(progress, history, converged)
        if not converged:
            warn_not_converged(self, history)
        priors = np.maximum(priors, _EPS)
        self.class_priors_ = priors / priors.sum()
        self.skills_ = skills
        right = np.clip(skills, _EPS, 1 - _EPS)
        wrong = np.clip((1.0 - skills) / (K - 1), _EPS, 1 - _EPS)
        eye = np.eye(K, dtype=bool)
        self.confusion_matrices_ = np.where(
            eye, right[:, None, None], wrong[:, None, None]
        )
        self.n_iter_, self.loss_history_ = len(history), history

    def _predict_proba(self, L):
        skills = np.nan_to_num(self.skills_, nan=1.0 / self.n_classes_)
        votes = vote_triples(L)
        log_post = _log_posterior(
            votes, L.shape[0], self.class_priors_, skills, self.n_classes_
        )
        return softmax_rows(log_post)[0]

    def _source_quality(self, L):
        return self.skills_
