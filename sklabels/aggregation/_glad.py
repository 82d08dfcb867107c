"""GLAD (Whitehill et al. 2009): source abilities and item difficulties."""

from numbers import Integral, Real

import numpy as np
from scipy.special import expit

from sklabels.aggregation._base import (
    BaseAggregator,
    best_em,
    fill_doc,
    warn_not_converged,
)
from sklabels.aggregation._dawid_skene import starting_posteriors
from sklabels.aggregation._matrix import (
    bincount,
    clamp_gold,
    softmax_rows,
    vote_triples,
)
from sklabels.utils._compat import Interval, StrOptions
from sklabels.utils._progress import Progress

__all__ = ["GLAD"]

# Means of the unit-variance Gaussian priors on the abilities alpha and on
# the log inverse difficulties b (beta = exp(b)), as in Whitehill et al.
_ALPHA_MEAN = 1.0
_LOG_BETA_MEAN = 1.0
_PREDICT_ROUNDS = 20


def _log_vote_terms(alpha, log_beta, votes, n_classes):
    """Log P(vote | right) and log P(vote | wrong) for every vote, and sigma."""
    items, sources, _ = votes
    z = alpha[sources] * np.exp(log_beta[items])
    log_right = -np.logaddexp(0.0, -z)
    log_wrong = -np.logaddexp(0.0, z) - np.log(n_classes - 1)
    return log_right, log_wrong, expit(z)


def _log_posterior(alpha, log_beta, priors, votes, n_items):
    """Unnormalised log-posterior of each class for each item, (n_items, K)."""
    items, _, labels = votes
    n_classes = priors.size
    log_right, log_wrong, _ = _log_vote_terms(alpha, log_beta, votes, n_classes)
    # Every vote is "wrong" for all classes but the one it names.
    base = bincount(items, weights=log_wrong, minlength=n_items)
    bonus = bincount(
        items * n_classes + labels,
        weights=log_right - log_wrong,
        minlength=n_items * n_classes,
    ).reshape(n_items, n_classes)
    return np.log(priors) + base[:, None] + bonus


def _log_prior(alpha, log_beta):
    return -0.5 * (
        np.sum((alpha - _ALPHA_MEAN) ** 2) + np.sum((log_beta - _LOG_BETA_MEAN) ** 2)
    )


def _e_step(params, votes, n_items, y):
    """Item posteriors and the negative log-posterior (MAP objective) per item."""
    alpha, log_beta, priors = params
    log_post = _log_posterior(alpha, log_beta, priors, votes, n_items)
    T, log_norm = softmax_rows(log_post)
    if y is not None:
        known = y >= 0
        log_norm[known] = log_post[known, y[known]]
    loss = -(log_norm.sum() + _log_prior(alpha, log_beta)) / n_items
    return clamp_gold(T, y), loss


def _newton_alpha(alpha, log_beta, q, votes, n_classes):
    """One Newton step on every ability (concave objective), clipped to 1."""
    items, sources, _ = votes
    _, _, sigma = _log_vote_terms(alpha, log_beta, votes, n_classes)
    beta = np.exp(log_beta[items])
    n_sources = alpha.size
    grad = bincount(sources, weights=(q - sigma) * beta, minlength=n_sources)
    grad -= alpha - _ALPHA_MEAN
    curv = bincount(sources, weights=sigma * (1 - sigma) * beta**2, minlength=n_sources)
    return alpha + np.clip(grad / (curv + 1.0), -1.0, 1.0)


def _newton_log_beta(alpha, log_beta, q, votes, n_classes):
    """One Fisher-scoring step on every log inverse difficulty, clipped to 1."""
    items, sources, _ = votes
    _, _, sigma = _log_vote_terms(alpha, log_beta, votes, n_classes)
    a_beta = alpha[sources] * np.exp(log_beta[items])
    n_items = log_beta.size
    grad = bincount(items, weights=(q - sigma) * a_beta, minlength=n_items)
    grad -= log_beta - _LOG_BETA_MEAN
    curv = bincount(items, weights=sigma * (1 - sigma) * a_beta**2, minlength=n_items)
    return log_beta + np.clip(grad / (curv + 1.0), -1.0, 1.0)


def _m_step(T, params, votes, n_steps, fixed_priors):
    """Class priors, then alternating Newton steps on abilities and difficulties.

    A generalised M-step: the expected complete-data log-posterior increases
    but is not maximised exactly. ``q`` is each vote's posterior probability
    of being right.
    """
    alpha, log_beta, _ = params
    items, _, labels = votes
    n_classes = T.shape[1]
    q = T[items, labels]
    for _ in range(n_steps):
        alpha = _newton_alpha(alpha, log_beta, q, votes, n_classes)
        log_beta = _newton_log_beta(alpha, log_beta, q, votes, n_classes)
    if fixed_priors is not None:
        return alpha, log_beta, fixed_priors
    priors = T.sum(axis=0) + 0.01
    return alpha, log_beta, priors / priors.sum()


@fill_doc
class GLAD(BaseAggregator):
    """GLAD: one ability per source and one difficulty per item, fitted by EM.

    The Generative model of Labels, Abilities and Difficulties: source ``s``
    labels item ``i`` correctly with probability
    ``sigmoid(alpha[s] * beta[i])``, where ``alpha[s]`` is the source's
    ability (negative for an adversary) and ``beta[i] > 0`` the inverse
    difficulty of the item; a wrong label is any other class uniformly. EM
    alternates the posterior of each item's class (E-step) and Newton steps
    on the abilities and log inverse difficulties under unit-variance
    Gaussian priors centred on 1 (M-step), starting from the majority vote.
    All steps are vectorised over votes.

    Read more in the :ref:`User Guide <crowdsourcing>`.

    Parameters
    ----------
    max_iter : int, default=100
        Maximum number of EM iterations.

    tol : float, default=1e-5
        Stop when the negative log-posterior per item changes by less than
        ``tol`` between two iterations and no item's most probable class
        changes.

    n_newton_steps : int, default=3
        Newton steps on the abilities and on the difficulties per M-step.

    priors : "uniform", "estimate" or array-like of shape (n_classes,), \
default="uniform"
        Prior probability of each class: uniform (as in Whitehill et al. and
        crowd-kit), estimated by EM, or given. GLAD's wrong answers are
        uniform over the other classes, so sources that always give the same
        class bias an estimated prior; "uniform" is the safer default.

    %(n_classes)s

    %(classes)s

    verbose : int, default=0
        Progress of the EM on stderr: 0 says nothing, 1 one line per
        starting point (iterations run, final loss), 2 also the loss and its
        change at the first and every 10th iteration, 3 at every iteration.

    Attributes
    ----------
    abilities_ : ndarray of shape (n_sources,)
        Ability ``alpha`` of each source: 0 for chance level, negative for a
        source that is worse than chance.

    inverse_difficulties_ : ndarray of shape (n_items,)
        ``beta`` of each item of the matrix given to ``fit``: the larger,
        the easier.

    class_priors_ : ndarray of shape (n_classes,)
        Prior probability of each class (see ``priors``).

    n_iter_ : int
        Number of EM iterations run (at least 1).

    loss_history_ : list of float
        Negative log-posterior per item at each iteration.

    %(source_quality_)s
        Here the model's ``sigmoid(abilities_[s] * inverse_difficulties_[i])``
        averaged over the items ``i`` the source labeled.

    %(classes_)s

    See Also
    --------
    DawidSkene : A full confusion matrix per source.
    MACE : Sources that are either right or spamming.

    Notes
    -----
    ``predict_proba(L)`` treats the rows of ``L`` as new items: it keeps the
    fitted abilities and priors and estimates each item's difficulty with
    20 rounds of EM on that item alone, so the result for an item depends on
    its own votes only. The difficulty mostly sharpens or flattens an
    item's posterior; the most probable class depends little on it.
    Items with a gold label keep it during ``fit``, and EM is also started
    from a Dawid-Skene model of the gold items alone (the start reaching the
    higher posterior is kept). %(no_vote)s

    References
    ----------
    .. [1] J. Whitehill, P. Ruvolo, T. Wu, J. Bergsma and J. Movellan, "Whose
       Vote Should Count More: Optimal Integration of Labels from Labelers of
       Unknown Expertise", Advances in Neural Information Processing Systems
       22 (NIPS 2009), 2035-2043.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.aggregation import GLAD
    >>> from sklabels.datasets import make_crowd_labels
    >>> y = np.arange(600) % 3
    >>> L = make_crowd_labels(y, n_sources=5, accuracy=[0.9, 0.8, 0.7, 0.5, 0.2],
    ...                       labels_per_item=3, random_state=0)
    >>> glad = GLAD().fit(L)
    >>> np.argsort(-glad.abilities_)
    array([0, 1, 2, 3, 4])
    >>> float((glad.predict(L) == y).mean()) > 0.85
    True
    """

    _parameter_constraints: dict = {
        **BaseAggregator._parameter_constraints,
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "n_newton_steps": [Interval(Integral, 1, None, closed="left")],
        "priors": [StrOptions({"uniform", "estimate"}), "array-like"],
        "verbose": ["verbose"],
    }
    _votes_input = True

    def __init__(
        self,
        *,
        max_iter=100,
        tol=1e-5,
        n_newton_steps=3,
        priors="uniform",
        n_classes=None,
        classes=None,
        verbose=0,
    ):
        self.max_iter = max_iter
        self.tol = tol
        self.n_newton_steps = n_newton_steps
        self.priors = priors
        self.n_classes = n_classes
        self.classes = classes
        self.verbose = verbose

    def _fixed_priors(self):
        K = self.n_classes_
        if isinstance(self.priors, str):
            return np.full(K, 1.0 / K) if self.priors == "uniform" else None
        priors = np.asarray(self.priors, dtype=float)
        if priors.shape != (K,) or np.any(priors <= 0) or abs(priors.sum() - 1) > 1e-6:
            raise ValueError(
                f"priors must be 'uniform', 'estimate' or {K} positive probabilities "
                f"summing to 1 (one per class), got {self.priors!r}."
            )
        return priors

    def _fit(self, L, y):
        K, (n_items, n_sources) = self.n_classes_, L.shape
        votes = vote_triples(L)
        fixed = self._fixed_priors()
        init = (
            np.full(n_sources, _ALPHA_MEAN),
            np.full(n_items, _LOG_BETA_MEAN),
            None,
        )
        steps = self.n_newton_steps
        params, history, n_iter, converged = best_em(
            starting_posteriors(L, K, y),
            lambda T: _m_step(T, init, votes, steps, fixed),
            lambda params: _e_step(params, votes, n_items, y),
            lambda T, params: _m_step(T, params, votes, steps, fixed),
            max_iter=self.max_iter,
            tol=self.tol,
            progress=Progress(self, self.verbose),
        )
        if not converged:
            warn_not_converged(self, history)
        alpha, log_beta, priors = params
        self.abilities_ = alpha
        self.inverse_difficulties_ = np.exp(log_beta)
        self.class_priors_ = priors
        self.n_iter_, self.loss_history_ = n_iter, history

    def _source_quality(self, L):
        # The model's P(right) = sigmoid(alpha_s * beta_i), averaged over the
        # items the source labeled.
        items, sources, _ = vote_triples(L)
        p = expit(self.abilities_[sources] * self.inverse_difficulties_[items])
        n_sources = L.shape[1]
        total = bincount(sources, minlength=n_sources)
        hits = bincount(sources, weights=p, minlength=n_sources)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, hits / np.maximum(total, 1), np.nan)

    def _predict_proba(self, L):
        """EM over the difficulties of the rows of L, abilities fixed."""
        n_items, K = L.shape[0], self.n_classes_
        votes = vote_triples(L)
        items, _, labels = votes
        alpha, priors = self.abilities_, self.class_priors_
        log_beta = np.full(n_items, _LOG_BETA_MEAN)
        for _ in range(_PREDICT_ROUNDS):
            log_post = _log_posterior(alpha, log_beta, priors, votes, n_items)
            q = softmax_rows(log_post)[0][items, labels]
            log_beta = _newton_log_beta(alpha, log_beta, q, votes, K)
        log_post = _log_posterior(alpha, log_beta, priors, votes, n_items)
        return softmax_rows(log_post)[0]
