"""A label model for labeling functions (data programming), numpy only."""

from numbers import Integral, Real

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.stats import norm

from sklabels.aggregation._base import (
    BaseAggregator,
    best_em,
    fill_doc,
    warn_not_converged,
)
from sklabels.aggregation._dawid_skene import starting_posteriors
from sklabels.aggregation._matrix import (
    argmax_rows,
    clamp_gold,
    onehot_votes,
    softmax_rows,
    vote_patterns,
)
from sklabels.utils._compat import Interval, StrOptions
from sklabels.utils._progress import Progress

__all__ = ["LabelModel"]

_TINY = 1e-300
# Probabilities closer than this to the largest of their row tie, as in
# Snorkel's probs_to_preds.
_TIE_TOL = 1e-5
# Rounds of (EM, re-estimate the LF weights) and their stopping tolerance.
_MAX_ROUNDS = 10
_WEIGHT_TOL = 0.05
# Level of the test of excess agreement between two LFs (over all pairs),
# and the pseudo-count of the two-LF refit behind it.
_DEPENDENCY_LEVEL = 0.01
_PAIR_SMOOTHING = 1e-3
_PAIR_CHUNK = 2**22  # floats per chunk of pairs x patterns x vote codes


def _prior_rows(n_classes, accuracy):
    """Dirichlet mean of P(vote | true class, votes): ``accuracy`` on the diagonal."""
    rows = np.full((n_classes, n_classes), (1.0 - accuracy) / (n_classes - 1))
    np.fill_diagonal(rows, accuracy)
    return rows


def _m_step(T, V, coverage, *, n_rows, strength, prior_rows, class_balance, abstains):
    """MAP estimates of the class balance and of each LF's conditionals.

    ``T`` and ``V`` describe distinct vote patterns; ``n_rows`` is how many
    items each stands for. Returns the class priors, ``P(vote l | true k,
    votes)`` of shape (n_lfs, K, K) and ``P(votes | true k)`` of shape
    (n_lfs, K) (None when abstains are ignored).
    """
    n_classes = T.shape[1]
    n_lfs = V.shape[1] // n_classes
    T = T * n_rows[:, None]
    counts = np.asarray(V.T @ T).reshape(n_lfs, n_classes, n_classes)
    counts = counts.transpose(0, 2, 1)  # (lf, true, given)
    by_true = counts.sum(axis=2)  # expected votes of each LF on each class
    conditionals = (counts + strength * prior_rows) / (by_true[..., None] + strength)
    n_true = T.sum(axis=0)
    if class_balance is None:
        priors = (n_true + 1.0) / (n_true.sum() + n_classes)
    else:
        priors = class_balance
    if abstains == "ignored":
        return priors, conditionals, None
    # Coverage per true class, shrunk towards the LF's overall coverage.
    voting = (by_true + strength * coverage[:, None]) / (n_true + strength)
    return priors, conditionals, np.minimum(voting, 1.0 - 1e-12)


def _log_posterior(V, abstained, priors, conditionals, voting, weights):
    """Unnormalised log-posterior of each class for each item, (n_items, K).

    Each LF's log-likelihood terms are multiplied by its weight.
    """
    n_lfs, n_classes, _ = conditionals.shape
    log_vote = np.log(np.maximum(conditionals, _TINY))  # (lf, true, given)
    if voting is not None:
        log_vote = log_vote + np.log(np.maximum(voting, _TINY))[:, :, None]
    log_vote = log_vote * weights[:, None, None]
    table = log_vote.transpose(0, 2, 1).reshape(n_lfs * n_classes, n_classes)
    log_post = np.asarray(V @ table) + np.log(priors)
    if voting is not None:
        log_post += abstained @ (np.log1p(-voting) * weights[:, None])
    return log_post


def _agreement(L, n_classes, n_rows):
    """Number of items on which LFs j and k cast the same vote, (n_lfs, n_lfs).

    ``L`` holds distinct vote patterns, ``n_rows`` how many items each stands
    for.
    """
    agree = np.zeros((L.shape[1], L.shape[1]))
    for label in range(n_classes):  # a loop over classes, not items
        voted = (L == label).astype(np.float64)
        agree += voted.T @ (voted * n_rows[:, None])
    return agree


def _weights(strength):
    """LF weights ``1 / (1 + sum of its dependency strengths with the others)``."""
    strength = strength.copy()
    np.fill_diagonal(strength, 0.0)
    return 1.0 / (1.0 + strength.sum(axis=1))


def _raw_dependencies(agree, threshold=0.5):
    """Near-copies: how far both ``P(k agrees | j votes)`` exceed ``threshold``.

    Positive for the pairs in which each LF votes like the other on most of
    its votes: the starting guess, and the pairs that may be down-weighted.
    It also flags accurate LFs, which agree often because they are right;
    the test of ``_pair_dependencies`` then clears them.
    """
    rate = agree / np.maximum(np.diag(agree), 1.0)[:, None]
    both = np.minimum(rate, rate.T)
    return np.clip((both - threshold) / (1.0 - threshold), 0.0, 1.0)


def _near_copy_groups(near):
    """Whether LFs ``j`` and ``k`` are linked by a chain of near-copy pairs."""
    _, group = connected_components(sparse.csr_matrix(near), directed=False)
    return group[:, None] == group[None, :]


def _vote_tables(L, priors, conditionals, voting, weights):
    """Each LF's weighted log-likelihood terms per pattern, and its vote table.

    Returns ``terms`` of shape (n_patterns, n_lfs, K), the weighted
    ``log P(L_ij | y)`` (abstains included), and ``Q`` of shape (n_lfs,
    K + 1, K): ``Q[j, l + 1, y] = P(LF j gives l | y)``, ``l = -1`` abstain.
    """
    n_lfs = L.shape[1]
    votes = (conditionals * voting[:, :, None]).transpose(0, 2, 1)
    Q = np.concatenate([(1.0 - voting)[:, None, :], votes], axis=1)
    log_Q = np.log(np.maximum(Q, _TINY))
    terms = log_Q[np.arange(n_lfs)[None, :], L + 1, :]
    return terms * weights[:, None], Q


def _pair_fit(prior, onehot_j, onehot_k, Q_j, Q_k, n_rows, *, n_iter=10, tol=1e-4):
    """EM of pairs of LFs' vote tables given each pattern's class prior.

    For P pairs at once: ``prior`` (P, n_patterns, K) from the other LFs,
    ``onehot_j`` (P, n_patterns, K + 1) the votes of the first LF of each
    pair (abstain first), ``Q_j`` (P, K + 1, K) its starting vote table.
    """
    weights = n_rows[None, :, None]
    for _ in range(n_iter):
        T = prior * (onehot_j @ Q_j) * (onehot_k @ Q_k)
        T *= weights / np.maximum(T.sum(axis=2, keepdims=True), _TINY)
        new_j = onehot_j.transpose(0, 2, 1) @ T + _PAIR_SMOOTHING
        new_k = onehot_k.transpose(0, 2, 1) @ T + _PAIR_SMOOTHING
        new_j /= new_j.sum(axis=1, keepdims=True)
        new_k /= new_k.sum(axis=1, keepdims=True)
        change = max(np.abs(new_j - Q_j).max(), np.abs(new_k - Q_k).max())
        Q_j, Q_k = new_j, new_k
        if change < tol:
            break
    return Q_j, Q_k


def _pair_dependencies(L, n_rows, agree, params, weights):
    """Dependency strength of each pair of LFs: significant excess agreement.

    For LFs ``j`` and ``k``, the other LFs give each item a posterior over
    the class; ``j`` and ``k`` are refitted, at full weight, as independent
    given the class on top of it, which predicts how often they cast the
    same vote. Accurate LFs agree often because they are right: the refit
    predicts that, and they are not flagged. Near-copies agree more often
    than any independent pair could: the excess ``(observed - predicted) /
    (most possible - predicted)``, in [0, 1], is their dependency strength
    when it is significant (a one-sided z-test at level 1 %, Bonferroni-
    corrected over the pairs); 0 otherwise.
    """
    priors, conditionals, voting = params
    n_patterns, n_lfs = L.shape
    n_classes = len(priors)
    terms, Q = _vote_tables(L, priors, conditionals, voting, weights)
    full = terms.sum(axis=1) + np.log(priors)
    n_pairs = n_lfs * (n_lfs - 1) / 2
    critical = norm.isf(_DEPENDENCY_LEVEL / max(n_pairs, 1.0))
    # Screen with the agreement the fitted model predicts: a pair that does
    # not exceed it by two standard deviations is not tested further.
    P = Q[:, 1:, :]  # P(LF votes l | y), (lf, l, y)
    n_items = n_rows.sum()
    predicted = n_items * np.einsum("y,jly,kly->jk", priors, P, P)
    spread = np.sqrt(np.maximum(predicted * (1.0 - predicted / n_items), 1.0))
    first, second = np.nonzero(np.triu(agree > predicted + 2.0 * spread, 1))
    strength = np.zeros((n_lfs, n_lfs))
    onehot = np.eye(n_classes + 1)[L + 1]  # (pattern, lf, code)
    n_votes = np.diag(agree)
    # Pairs in chunks of bounded memory (pairs x patterns x codes).
    chunk = max(1, _PAIR_CHUNK // max(n_patterns * (n_classes + 1), 1))
    for start in range(0, first.size, chunk):
        j, k = first[start : start + chunk], second[start : start + chunk]
        prior, _ = softmax_rows(
            (
                full[None]
                - terms[:, j].transpose(1, 0, 2)
                - terms[:, k].transpose(1, 0, 2)
            ).reshape(-1, n_classes)
        )
        prior = prior.reshape(j.size, n_patterns, n_classes)
        Q_j, Q_k = _pair_fit(
            prior,
            onehot[:, j].transpose(1, 0, 2),
            onehot[:, k].transpose(1, 0, 2),
            Q[j],
            Q[k],
            n_rows,
        )
        same = np.einsum("ply,ply->py", Q_j[:, 1:], Q_k[:, 1:])  # P(same | y)
        p_same = np.einsum("piy,py->pi", prior, same)
        expected = p_same @ n_rows
        sd = np.sqrt(np.maximum((p_same * (1.0 - p_same)) @ n_rows, _TINY))
        excess = agree[j, k] - expected
        room = np.maximum(np.minimum(n_votes[j], n_votes[k]) - expected, 1e-12)
        value = np.where(excess > critical * sd, np.minimum(excess / room, 1.0), 0.0)
        strength[j, k] = strength[k, j] = value
    return strength


def _e_step(params, V, abstained, weights, y, n_rows):
    """Pattern posteriors and the negative (weighted) log-likelihood per item."""
    log_post = _log_posterior(V, abstained, *params, weights)
    T, log_norm = softmax_rows(log_post)
    if y is not None:
        known = y >= 0
        log_norm[known] = log_post[known, y[known]]
    return clamp_gold(T, y), -(n_rows @ log_norm) / n_rows.sum()


@fill_doc
class LabelModel(BaseAggregator):
    """Label model for labeling functions: accuracies and class balance by EM.

    The generative model of data programming (Ratner et al. 2016, the model
    behind Snorkel): the true class of an item is drawn from the class
    balance, then each labeling function (LF) independently either abstains
    or votes, with probabilities that depend on the true class. The model
    learns, without ground truth, how often each LF fires on each class and
    how often it is right, and returns for every item the posterior
    probability of each class: soft labels to train an end model on (see
    :class:`~sklabels.smoothing.SoftLabelClassifier`).

    It is fitted by maximum a posteriori EM, started from the majority vote,
    with

    - the class balance estimated (or fixed by ``class_balance``), so that
      imbalanced classes are not pulled towards uniform;
    - abstains modelled per class (``abstains="informative"``): an LF that
      fires on one class, as most keyword or pattern LFs do, is informative
      both when it votes and when it abstains;
    - a Dirichlet prior of ``prior_strength`` pseudo-votes with mean
      ``prior_accuracy`` on each LF's accuracy, and a prior of the same
      strength pulling each LF's per-class coverage towards its overall
      coverage, so that rarely firing LFs and rare classes do not get
      extreme estimates;
    - near-copies down-weighted (``dependencies="downweight"``): a block
      of near-copies of one LF would otherwise be counted several times,
      and EM can even turn such a block into a class of its own. Agreement
      alone is no evidence of dependency (accurate LFs agree because they
      are right): two LFs count as dependent only when they vote the same
      significantly more often (one-sided test at level 1 %, corrected for
      the number of pairs) than they do once refitted as independent given
      the class on top of the other LFs' posterior of each item. Their
      excess agreement, scaled to [0, 1], is the strength of the
      dependency (``dependencies_``). Only near-copies are down-weighted:
      dependent pairs of LFs in the same group of near-copies (LFs linked
      by a chain of pairs in which each LF votes like the other on more
      than half of its votes, such as a block of copies of one LF). Each
      LF's log-likelihood is weighted by ``1 / (1 +
      sum of its dependency strengths with its near-copies)``, and the
      model is refitted with the new weights and tested again until they
      settle (at most 10 rounds). The first fit starts from weights that
      suspect every pair of near-copies, so that a block of copies cannot
      take over the first fit. A milder dependency, such as keywords that
      often fire together on one kind of item, is reported but not
      down-weighted: down-weighting it removes evidence that holds the
      classes together, and on real keyword LFs the fit then drifted to a
      worse optimum. Without near-copies the fit is the one of
      ``dependencies="ignore"``.

    Read more in the :ref:`User Guide <weak_supervision>`.

    Parameters
    ----------
    class_balance : array-like of shape (n_classes,), default=None
        Known prior probability of each class. None estimates it.

    abstains : {"informative", "ignored"}, default="informative"
        "informative" models ``P(LF votes | true class)``, so abstains carry
        evidence; "ignored" treats abstains as missing at random (the
        crowdsourcing assumption of :class:`DawidSkene`), which is safer when
        whether an LF fires does not depend on the class.

    dependencies : {"downweight", "ignore"}, default="downweight"
        "downweight" tests each pair of LFs for dependency given the class
        and weights each LF by ``1 / (1 + sum of its dependency strengths
        with its near-copies)``, the dependent LFs of its group of
        near-copies (LFs linked by pairs that vote alike on most of their
        votes); "ignore" assumes that LFs are independent given the class
        (all weights 1). Both give the same fit when no pair of LFs is a
        dependent pair of near-copies.

    prior_accuracy : float, default=0.8
        Prior mean of each LF's accuracy when it votes, in (1/K, 1) for the
        ``K`` classes of the data (a value at or below ``1/K`` is refused at
        ``fit``); the rest of the prior mass is spread over the other
        classes.

    prior_strength : float, default=30.0
        Weight of the priors, in pseudo-votes per LF and class. 0 gives the
        maximum-likelihood estimate. The priors matter for LFs that fire
        rarely (keywords, patterns): with a few dozen votes, their accuracy
        is otherwise set by a handful of items.

    max_iter : int, default=100
        Maximum number of EM iterations.

    tol : float, default=1e-5
        Stop when the negative log-likelihood per item changes by less than
        ``tol`` between two iterations and no item's most probable class
        changes.

    tie_break : {"abstain", "first"}, default="abstain"
        What ``predict`` returns for an item whose most probable classes tie
        (probabilities within 1e-5 of the largest, the tolerance of
        Snorkel): "abstain" returns ``-1`` (no label, as Snorkel's
        ``tie_break_policy="abstain"``), so that an item with balanced
        evidence, such as two LFs of equal estimated accuracy voting
        against each other, is not labeled by the class order; "first"
        returns the tied class with the smallest code (the behaviour
        before this option existed). ``predict_proba`` is not affected.

    %(n_classes)s

    %(classes)s

    verbose : int, default=0
        Progress of the EM on stderr: 0 says nothing, 1 one line per
        starting point (iterations run, final loss), 2 also the loss and its
        change at the first and every 10th iteration, 3 at every iteration.

    Attributes
    ----------
    source_accuracies_ : ndarray of shape (n_sources,)
        Estimated probability that each LF's vote is right, over the items it
        votes on (NaN for an LF that never votes).

    coverages_ : ndarray of shape (n_sources, n_classes)
        Estimated probability that each LF votes on an item of each class
        (with ``abstains="ignored"``, its overall coverage on every class).

    confusion_matrices_ : ndarray of shape (n_sources, n_classes, n_classes)
        ``confusion_matrices_[j, k, l]``: estimated probability that LF
        ``j`` votes ``l`` on an item of class ``k``, given that it votes.

    class_priors_ : ndarray of shape (n_classes,)
        The class balance, estimated or as given.

    dependencies_ : ndarray of shape (n_sources, n_sources)
        Estimated strength of the dependency between each pair of LFs, in
        [0, 1]: 0 when they do not agree significantly more often than two
        independent LFs would, 1 when one votes exactly as the other
        whenever it votes. Every dependent pair is reported; only pairs of
        near-copies (each LF votes like the other on more than half of its
        votes, or linked by a chain of such pairs) lower
        ``source_weights_``. All 0 with ``dependencies="ignore"``.

    source_weights_ : ndarray of shape (n_sources,)
        Weight of each LF's votes (and abstains) in the posterior:
        ``1 / (1 + sum of its dependency strengths with its near-copies)``.

    n_iter_ : int
        Number of EM iterations of the last round (at least 1).

    loss_history_ : list of float
        Negative weighted log-likelihood per item at each iteration of the
        last round.

    %(source_quality_)s
        Here ``source_accuracies_`` (over the items the LF votes on).

    %(classes_)s

    See Also
    --------
    LFApplier : Apply labeling functions to data, giving the label matrix.
    lf_summary : Coverage, overlaps, conflicts and accuracy of each LF.
    DawidSkene : The same EM for crowd annotations (abstains ignored).

    Notes
    -----
    The generative model assumes LFs independent given the true class;
    the dependency weights are a correction for its most harmful violation
    (blocks of near-duplicate LFs), not a model of the dependencies: inspect
    ``dependencies_`` (which also reports the milder dependencies that are
    not down-weighted) and merge or drop the LFs it flags. With informative
    abstains an item on which every LF abstains still has a posterior that
    differs from the class balance; following the convention of every
    aggregator it gets ``class_priors_`` (and ``-1`` from ``predict``).
    An LF that never votes in ``fit`` is ignored (it has coverage 0).
    Items with a gold label keep it during ``fit``, and EM is also started
    from a Dawid-Skene model of the gold items alone (the start reaching the
    higher likelihood is kept). %(no_vote)s
    A ``ConvergenceWarning`` is emitted when ``max_iter`` stops the EM.

    EM runs on the distinct rows of ``L`` (with their gold labels), weighted
    by their counts: the same estimates as EM on the items, at a cost that
    grows with the number of distinct vote patterns rather than of items.

    References
    ----------
    .. [1] A. Ratner, C. De Sa, S. Wu, D. Selsam and C. Re, "Data Programming:
       Creating Large Training Sets, Quickly", NIPS 2016.
    .. [2] A. Ratner, S. H. Bach, H. Ehrenberg, J. Fries, S. Wu and C. Re,
       "Snorkel: Rapid Training Data Creation with Weak Supervision",
       Proceedings of the VLDB Endowment, 11(3), 269-282, 2017.
    .. [3] A. Ratner, B. Hancock, J. Dunnmon, F. Sala, S. Pandey and C. Re,
       "Training Complex Models with Multi-Task Weak Supervision", AAAI 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.aggregation import LabelModel
    >>> from sklabels.datasets import make_weak_labels
    >>> rng = np.random.RandomState(0)
    >>> y = (rng.random_sample(2000) < 0.2).astype(int)  # 20 % positives
    >>> L = make_weak_labels(y, n_lfs=6, coverage=0.5,
    ...                      accuracy=[0.95, 0.9, 0.85, 0.7, 0.65, 0.6],
    ...                      random_state=0)
    >>> model = LabelModel().fit(L)
    >>> model.class_priors_.round(2)
    array([0.78, 0.22])
    >>> model.source_accuracies_.round(2)
    array([0.92, 0.89, 0.83, 0.73, 0.68, 0.62])
    >>> L[:2]
    array([[-1, -1, -1, -1,  0, -1],
           [ 0, -1, -1,  1, -1, -1]])
    >>> model.predict_proba(L[:2]).round(2)
    array([[0.9 , 0.1 ],
           [0.89, 0.11]])
    """

    _parameter_constraints: dict = {
        **BaseAggregator._parameter_constraints,
        "class_balance": ["array-like", None],
        "abstains": [StrOptions({"informative", "ignored"})],
        "prior_accuracy": [Interval(Real, 0, 1, closed="neither")],
        "prior_strength": [Interval(Real, 0, None, closed="left")],
        "dependencies": [StrOptions({"downweight", "ignore"})],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "tie_break": [StrOptions({"abstain", "first"})],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        class_balance=None,
        abstains="informative",
        dependencies="downweight",
        prior_accuracy=0.8,
        prior_strength=30.0,
        max_iter=100,
        tol=1e-5,
        tie_break="abstain",
        n_classes=None,
        classes=None,
        verbose=0,
    ):
        self.class_balance = class_balance
        self.abstains = abstains
        self.dependencies = dependencies
        self.prior_accuracy = prior_accuracy
        self.prior_strength = prior_strength
        self.max_iter = max_iter
        self.tol = tol
        self.tie_break = tie_break
        self.n_classes = n_classes
        self.classes = classes
        self.verbose = verbose

    def _check_class_balance(self):
        if self.class_balance is None:
            return None
        balance = np.asarray(self.class_balance, dtype=float)
        K = self.n_classes_
        if balance.shape != (K,):
            raise ValueError(
                f"class_balance must have one entry per class ({K}), got shape "
                f"{balance.shape}: {self.class_balance!r}."
            )
        if not (np.all(balance > 0) and abs(balance.sum() - 1) < 1e-6):
            raise ValueError(
                "class_balance must hold positive probabilities that sum to 1, got "
                f"{self.class_balance!r}."
            )
        return balance

    def _check_prior_accuracy(self):
        bound = 1.0 / self.n_classes_
        if self.prior_accuracy <= bound:
            raise ValueError(
                f"prior_accuracy={self.prior_accuracy!r} is not above 1/K = "
                f"{bound:.4g} for the K={self.n_classes_} classes of the data: a "
                "prior accuracy at or below chance makes the model read the LFs' "
                "votes backwards. Set prior_accuracy in (1/K, 1), e.g. the "
                "default 0.8."
            )

    def _fit(self, L, y):
        K, n_lfs = self.n_classes_, L.shape[1]
        self._check_prior_accuracy()
        balance = self._check_class_balance()
        # Items with the same votes (and gold label) have the same posterior:
        # EM runs on the distinct patterns, weighted by their counts. LFs
        # vote on few patterns, so this is many times fewer rows.
        first, _, n_rows = vote_patterns(L, K, y)
        L, y = L[first], None if y is None else y[first]
        n_rows = n_rows.astype(np.float64)
        coverage = (n_rows @ (L >= 0)) / n_rows.sum()
        V = onehot_votes(L, K)
        abstained = (L < 0).astype(np.float64)
        settings = {
            "n_rows": n_rows,
            "coverage": coverage,
            "strength": self.prior_strength,
            "prior_rows": _prior_rows(K, self.prior_accuracy),
            "class_balance": balance,
            "abstains": self.abstains,
        }

        def fit(weights, last=None, every_start=True):
            # Every start (majority vote, gold) and/or the last fit.
            starts = list(starting_posteriors(L, K, y, n_rows)) if every_start else []
            if last is not None:
                starts.append(None)
            return best_em(
                starts,
                lambda T: last if T is None else _m_step(T, V, **settings),
                lambda params: _e_step(params, V, abstained, weights, y, n_rows),
                lambda T, _: _m_step(T, V, **settings),
                max_iter=self.max_iter,
                tol=self.tol,
                progress=Progress(self, self.verbose),
            )

        def full_params(params):
            priors, conditionals, voting = params
            if voting is None:
                voting = np.repeat(coverage[:, None], K, axis=1)
            return priors, conditionals, voting

        if self.dependencies == "ignore":
            weights = np.ones(n_lfs)
            dependencies = np.zeros((n_lfs, n_lfs))
            params, history, n_iter, converged = fit(weights)
        else:
            # Start from a generous guess (near-copies: pairs in which each
            # LF votes like the other on most of its votes, and the groups
            # they link), so that a block of near-copies cannot take over
            # the first fit. The test then
            # keeps the pairs that agree significantly more than independent
            # LFs would; only the near-copies among them are down-weighted
            # (a milder dependency, e.g. keywords that often fire together,
            # is reported but kept at full weight: down-weighting it removes
            # evidence that holds the classes together). The model is
            # refitted until the weights settle.
            agree = _agreement(L, K, n_rows)
            raw = _raw_dependencies(agree)
            near_copies = _near_copy_groups(raw > 0)
            weights = _weights(raw)
            params, *_ = fit(weights)
            for _ in range(_MAX_ROUNDS):
                dependencies = _pair_dependencies(
                    L, n_rows, agree, full_params(params), weights
                )
                new = _weights(np.where(near_copies, dependencies, 0.0))
                change = np.max(np.abs(new - weights))
                weights = new
                if change < _WEIGHT_TOL:
                    break
                # Intermediate rounds go on from the last fit.
                params, *_ = fit(weights, params, every_start=False)
            # The final fit, with the settled weights, from every start too.
            params, history, n_iter, converged = fit(weights, params)
        if not converged:
            warn_not_converged(self, history)
        priors, conditionals, voting = full_params(params)
        self.class_priors_ = priors
        self.confusion_matrices_ = conditionals
        self.coverages_ = voting
        self.dependencies_ = dependencies
        self.source_weights_ = weights
        fired = priors * voting  # P(true k and LF votes)
        right = (fired * np.diagonal(conditionals, axis1=1, axis2=2)).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.source_accuracies_ = np.where(
                coverage > 0, right / fired.sum(axis=1), np.nan
            )
        self.n_iter_, self.loss_history_ = n_iter, history
        self._silent = coverage == 0

    def _source_quality(self, L):
        return self.source_accuracies_

    def _labels_from_proba(self, proba):
        labels = argmax_rows(proba)
        if self.tie_break == "abstain":
            top = proba.max(axis=1, keepdims=True)
            tied = (top - proba < _TIE_TOL).sum(axis=1) > 1
            labels = np.where(tied, -1, labels)
        return labels

    def _drop_unseen(self, L):
        # LFs that never voted in fit have no estimates: their votes are ignored.
        return np.where(self._silent, -1, L) if self._silent.any() else L

    def _predict_proba(self, L):
        first, inverse, _ = vote_patterns(L, self.n_classes_)
        L = L[first]  # the posterior of each distinct pattern, then spread
        V = onehot_votes(L, self.n_classes_)
        voting = None if self.abstains == "ignored" else self.coverages_
        abstained = (L < 0).astype(np.float64)
        log_post = _log_posterior(
            V,
            abstained,
            self.class_priors_,
            self.confusion_matrices_,
            voting,
            self.source_weights_,
        )
        return softmax_rows(log_post)[0][inverse]
