"""MACE (Hovy et al. 2013): multi-annotator competence estimation."""

from numbers import Integral, Real

import numpy as np
from scipy.special import digamma
from sklearn.utils import check_random_state

from sklabels.aggregation._base import (
    BaseAggregator,
    fill_doc,
    report_em,
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
from sklabels.utils._progress import Progress, iteration_step, loss_text

__all__ = ["MACE"]

# Symmetric Dirichlet prior on each spamming distribution (variational M-step).
_STRATEGY_PRIOR = 10.0
_TINY = 1e-300


def _log_posterior(know, spam, strategy, votes, n_items, n_classes):
    """Log P(true class | votes) up to a constant, and the per-vote pieces.

    A vote ``l`` of source ``s`` has probability
    ``know[s] * [l == k] + spam[s] * strategy[s, l]`` given the true class
    ``k``: the source either knows the answer or spams from its strategy.
    """
    items, sources, labels = votes
    spam_term = spam[sources] * strategy[sources, labels]
    either = know[sources] + spam_term
    log_spam = np.log(np.maximum(spam_term, _TINY))
    base = bincount(items, weights=log_spam, minlength=n_items)
    bonus = bincount(
        items * n_classes + labels,
        weights=np.log(np.maximum(either, _TINY)) - log_spam,
        minlength=n_items * n_classes,
    ).reshape(n_items, n_classes)
    # MACE's prior over the true class is uniform: a constant, left out.
    return base[:, None] + bonus, either


def _e_step(params, votes, n_items, n_classes, y):
    """Item posteriors, expected counts and the loss (negative log-likelihood)."""
    know, spam, strategy = params
    items, sources, labels = votes
    log_post, either = _log_posterior(know, spam, strategy, votes, n_items, n_classes)
    T, log_norm = softmax_rows(log_post)
    if y is not None:
        known = y >= 0
        log_norm[known] = log_post[known, y[known]]
    T = clamp_gold(T, y)
    n_sources = know.size
    # P(the source knew the answer | votes): right, and not by spamming.
    p_know = T[items, labels] * know[sources] / np.maximum(either, _TINY)
    p_spam = 1.0 - p_know
    counts = (
        bincount(sources, weights=p_know, minlength=n_sources),
        bincount(sources, weights=p_spam, minlength=n_sources),
        bincount(
            sources * n_classes + labels,
            weights=p_spam,
            minlength=n_sources * n_classes,
        ).reshape(n_sources, n_classes),
    )
    loss = -(log_norm.sum() - n_items * np.log(n_classes)) / n_items
    return (T, counts), loss


def _m_step_em(counts, smoothing, alpha, beta):
    """Maximum-likelihood update with ``smoothing`` added to every count."""
    know, spam, strategy = counts
    total = know + spam + 2 * smoothing
    strategy = strategy + smoothing
    return (
        (know + smoothing) / total,
        (spam + smoothing) / total,
        strategy / strategy.sum(axis=1, keepdims=True),
    )


def _m_step_vb(counts, smoothing, alpha, beta):
    """Variational Bayes update: Beta(alpha, beta) on competence, Dirichlet on
    the strategies; weights ``exp(digamma(count + prior))`` normalised by
    ``exp(digamma(total))``, as in MACE."""
    know, spam, strategy = counts
    norm = digamma(know + spam + alpha + beta)
    strategy = strategy + _STRATEGY_PRIOR
    return (
        np.exp(digamma(know + alpha) - norm),
        np.exp(digamma(spam + beta) - norm),
        np.exp(digamma(strategy) - digamma(strategy.sum(axis=1, keepdims=True))),
    )


_M_STEPS = {"em": _m_step_em, "vb": _m_step_vb}


@fill_doc
class MACE(BaseAggregator):
    """MACE: sources that either know the answer or spam, fitted by EM.

    Multi-Annotator Competence Estimation models each source ``s`` by its
    competence ``theta[s]``, the probability that it labels an item
    knowingly (and then correctly), and a spamming distribution
    ``strategy[s]`` from which it draws a label otherwise. The true classes
    are uniform a priori. It is built to find spammers: a source that
    always answers the same class, or at random, gets a low competence and
    stops counting. The parameters are fitted by EM, or by variational Bayes
    with a Beta prior on the competence and a symmetric Dirichlet prior on
    the strategies (the default, as recommended by the authors), from
    several random starts; the fit with the highest likelihood is kept.

    Read more in the :ref:`User Guide <crowdsourcing>`.

    Parameters
    ----------
    n_restarts : int, default=10
        Number of starts. The first starts from the majority vote (and, with
        gold labels, the second from a Dawid-Skene model of the gold items),
        the others from random parameters drawn with ``random_state``.

    max_iter : int, default=100
        Maximum number of iterations per start.

    tol : float, default=1e-5
        Stop a start when the negative log-likelihood per item changes by
        less than ``tol``.

    method : {"vb", "em"}, default="vb"
        "vb": variational Bayes with the priors ``alpha``, ``beta`` and a
        Dirichlet(10) prior on the strategies; "em": maximum likelihood with
        ``smoothing`` added to the expected counts.

    alpha, beta : float, default=0.5
        Parameters of the Beta prior on each source's competence (with
        ``method="vb"``).

    smoothing : float, default=None
        Added to the expected counts with ``method="em"``; None uses
        ``0.01 / K``.

    random_state : int, RandomState instance or None, default=None
        Seeds the random starts. Pass an int for reproducible results across
        calls.

    %(n_classes)s

    %(classes)s

    verbose : int, default=0
        Progress of the EM on stderr: 0 says nothing, 1 one line per
        starting point (iterations run, final loss), 2 also the loss and its
        change at the first and every 10th iteration, 3 at every iteration.

    Attributes
    ----------
    competence_ : ndarray of shape (n_sources,)
        Probability that each source labels knowingly (not spamming).

    spamming_strategies_ : ndarray of shape (n_sources, n_classes)
        Distribution of each source's labels when it spams.

    confusion_matrices_ : ndarray of shape (n_sources, n_classes, n_classes)
        The implied ``P(source says l | true class k)``:
        ``competence_ * [k == l] + (1 - competence_) * strategy[l]``.

    class_priors_ : ndarray of shape (n_classes,)
        Uniform: MACE assumes uniform classes.

    n_iter_ : int
        Number of iterations of the start that was kept (at least 1).

    loss_history_ : list of float
        Negative log-likelihood per item at each iteration of that start.

    %(source_quality_)s
        Here ``sum_k class_priors_[k] * confusion_matrices_[s, k, k]``, i.e.
        ``competence_ + (1 - competence_) * (mean spamming probability of
        the true class)``.

    %(classes_)s

    See Also
    --------
    DawidSkene : A full confusion matrix per source.
    GLAD : One ability per source and one difficulty per item.

    Notes
    -----
    Items with a gold label keep it during ``fit``. %(no_vote)s A
    ``ConvergenceWarning`` is emitted when the kept start was stopped by
    ``max_iter``.

    References
    ----------
    .. [1] D. Hovy, T. Berg-Kirkpatrick, A. Vaswani and E. Hovy, "Learning
       Whom to Trust with MACE", Proceedings of NAACL-HLT 2013, 1120-1130.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.aggregation import MACE
    >>> from sklabels.datasets import make_crowd_labels
    >>> y = np.arange(600) % 3
    >>> L = make_crowd_labels(y, n_sources=4, accuracy=[0.9, 0.8, 0.7, 0.34],
    ...                       labels_per_item=3, random_state=0)
    >>> mace = MACE(random_state=0).fit(L)
    >>> mace.competence_.round(1)
    array([0.9, 0.7, 0.5, 0. ])
    >>> float((mace.predict(L) == y).mean()) > 0.9
    True
    """

    _parameter_constraints: dict = {
        **BaseAggregator._parameter_constraints,
        "n_restarts": [Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "method": [StrOptions(set(_M_STEPS))],
        "alpha": [Interval(Real, 0, None, closed="neither")],
        "beta": [Interval(Real, 0, None, closed="neither")],
        "smoothing": [Interval(Real, 0, None, closed="left"), None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }
    _votes_input = True

    def __init__(
        self,
        *,
        n_restarts=10,
        max_iter=100,
        tol=1e-5,
        method="vb",
        alpha=0.5,
        beta=0.5,
        smoothing=None,
        random_state=None,
        n_classes=None,
        classes=None,
        verbose=0,
    ):
        self.n_restarts = n_restarts
        self.max_iter = max_iter
        self.tol = tol
        self.method = method
        self.alpha = alpha
        self.beta = beta
        self.smoothing = smoothing
        self.random_state = random_state
        self.n_classes = n_classes
        self.classes = classes
        self.verbose = verbose

    def _starts(self, L, votes, y, rng):
        """Initial parameters: from the majority vote, then random."""
        K, n_sources = self.n_classes_, L.shape[1]
        flat = (
            np.full(n_sources, 0.5),
            np.full(n_sources, 0.5),
            np.full((n_sources, K), 1 / K),
        )
        starts = list(starting_posteriors(L, K, y))
        for T in starts:
            _, counts = self._e_from_posterior(T, flat, votes)
            yield self._m_step(counts)
        for _ in range(self.n_restarts - len(starts)):
            know = rng.uniform(1.0, 1.5, size=n_sources)
            spam = rng.uniform(1.0, 1.5, size=n_sources)
            strategy = rng.uniform(1.0, 1.5, size=(n_sources, K))
            yield (
                know / (know + spam),
                spam / (know + spam),
                strategy / strategy.sum(axis=1, keepdims=True),
            )

    def _e_from_posterior(self, T, params, votes):
        """Expected counts for given item posteriors (used to start from MV)."""
        know, spam, strategy = params
        items, sources, labels = votes
        n_sources, K = strategy.shape
        p_know = T[items, labels] * know[sources]
        p_know /= know[sources] + spam[sources] * strategy[sources, labels]
        p_spam = 1.0 - p_know
        return T, (
            bincount(sources, weights=p_know, minlength=n_sources),
            bincount(sources, weights=p_spam, minlength=n_sources),
            bincount(
                sources * K + labels, weights=p_spam, minlength=n_sources * K
            ).reshape(n_sources, K),
        )

    def _m_step(self, counts):
        smoothing = 0.01 / self.n_classes_ if self.smoothing is None else self.smoothing
        return _M_STEPS[self.method](counts, smoothing, self.alpha, self.beta)

    def _fit(self, L, y):
        K, n_items = self.n_classes_, L.shape[0]
        votes = vote_triples(L)
        rng = check_random_state(self.random_state)
        best = None
        progress = Progress(self, self.verbose)
        for start, params in enumerate(self._starts(L, votes, y, rng), start=1):
            history = []
            converged = False
            for n_iter in range(1, self.max_iter + 1):
                (_, counts), loss = _e_step(params, votes, n_items, K, y)
                params = self._m_step(counts)
                history.append(float(loss))
                iteration_step(
                    progress, n_iter, self.max_iter, lambda h=history: loss_text(h)
                )
                if n_iter > 1 and abs(history[-2] - history[-1]) < self.tol:
                    converged = True
                    break
            report_em(progress, history, converged, f"start {start}: ")
            (_, _), final = _e_step(params, votes, n_items, K, y)
            if best is None or final < best[0]:
                best = (final, params, history, n_iter, converged)
        _, params, history, n_iter, converged = best
        if not converged:
            warn_not_converged(self, history)
        self._params = params
        know, spam, strategy = params
        self.competence_ = know / (know + spam)
        self.spamming_strategies_ = strategy / strategy.sum(axis=1, keepdims=True)
        theta = self.competence_[:, None, None]
        self.confusion_matrices_ = (
            theta * np.eye(K) + (1 - theta) * self.spamming_strategies_[:, None, :]
        )
        self.class_priors_ = np.full(K, 1.0 / K)
        self.n_iter_, self.loss_history_ = n_iter, history

    def _source_quality(self, L):
        # P(right) = competence + (1 - competence) * P(spam hits the class),
        # i.e. sum_k prior_k * confusion[s, k, k] with uniform priors.
        return np.einsum("k,skk->s", self.class_priors_, self.confusion_matrices_)

    def _predict_proba(self, L):
        know, spam, strategy = self._params
        log_post, _ = _log_posterior(
            know, spam, strategy, vote_triples(L), L.shape[0], self.n_classes_
        )
        return softmax_rows(log_post)[0]
