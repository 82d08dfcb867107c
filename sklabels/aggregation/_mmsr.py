"""M-MSR (Ma and Olshevsky 2020): source accuracies by robust rank-one
matrix completion of the sources' agreement."""

from numbers import Integral, Real

import numpy as np
from scipy import linalg, sparse
from scipy.sparse.linalg import eigsh
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state

from sklabels.aggregation._base import BaseAggregator, fill_doc
from sklabels.aggregation._matrix import bincount, softmax_rows
from sklabels.utils._compat import Interval
from sklabels.utils._progress import Progress, iteration_step, warn_once

__all__ = ["MMSR"]


def _agreement_matrix(votes, n_items, n_sources, n_classes):
    """Items shared by each pair of sources and the shared items they agree on.

    Sparse products over the votes (one per class): ``O(sum over items of
    n_votes**2)``, never an ``n_items x n_sources`` dense matrix.
    """
    items, sources, labels = votes
    ones = np.ones(items.size)
    B = sparse.csr_matrix((ones, (items, sources)), shape=(n_items, n_sources))
    common = (B.T @ B).toarray()
    agree = np.zeros((n_sources, n_sources))
    for k in range(n_classes):  # a loop over classes, not items
        mask = labels == k
        Vk = sparse.csr_matrix(
            (ones[mask], (items[mask], sources[mask])), shape=(n_items, n_sources)
        )
        agree += (Vk.T @ Vk).toarray()
    np.fill_diagonal(common, 0.0)
    np.fill_diagonal(agree, 0.0)
    return common, agree


def _trimmed_means(T, observed, current, F, n_tasks):
    """Column-wise trimmed means of M-MSR (vectorised over the columns).

    For column ``j``, the observed entries are sorted; unless fewer than
    ``F`` lie below ``current[j]`` (then all those below are dropped), the
    ``F`` smallest are dropped, and likewise the ``F`` largest against the
    entries above ``current[j]``. The mean of the rest is the new value (the
    old one when nothing is left; ``1 / sqrt(n_tasks)`` when a single 0 is
    left). With ``F < 0`` only the largest entry is kept, as the reference
    implementation's slicing does.
    """
    n = T.shape[0]
    values = np.where(observed, T, np.inf)
    ordered = np.sort(values, axis=0)
    n_obs = observed.sum(axis=0)
    rank = np.arange(n)[:, None]
    valid = rank < n_obs
    if F < 0:
        keep = rank == n_obs - 1
    else:
        below = ((T < current) & observed).sum(axis=0)
        above = ((T > current) & observed).sum(axis=0)
        keep_low = np.where(below < F, ordered >= current, rank >= F)
        keep_high = np.where(above < F, ordered <= current, rank < n_obs - F)
        keep = valid & keep_low & keep_high
    count = keep.sum(axis=0)
    total = np.where(keep, ordered, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / np.maximum(count, 1), current)
    single_zero = (count == 1) & (total == 0)
    return np.where(single_zero, 1.0 / np.sqrt(n_tasks), mean)


# Graphs up to this many nodes are solved densely (LAPACK), larger ones by
# shift-invert Lanczos on the sparse matrix.
_DENSE_EIGEN = 400


def _smallest_eigenvector(N):
    """Eigenvector of the smallest eigenvalue of the symmetric sparse ``N``.

    Its eigenvalues lie in [-1, 1] (a normalised adjacency matrix): the
    shift just below -1 makes ``N - shift * I`` positive definite, and the
    eigenvalue nearest the shift is the smallest one. The starting vector
    is fixed, so the result is deterministic.
    """
    n = N.shape[0]
    if n <= _DENSE_EIGEN:
        return linalg.eigh(N.toarray(), subset_by_index=[0, 0])[1][:, 0]
    v0 = np.random.RandomState(0).uniform(0.5, 1.5, size=n)
    _, u = eigsh(N.tocsc(), k=1, sigma=-1.0 - 1e-3, which="LM", v0=v0)
    return u[:, 0]


def _signs(C, observed, magnitude):
    """Signs of the accuracies above chance, from the signs of ``C``.

    The reference construction: sources are nodes, a pair that agrees less
    than chance is an edge, a pair that agrees more is linked through an
    extra node; the eigenvector of the smallest eigenvalue of the random
    walk on that graph splits the nodes in two, the side holding most
    sources being "better than chance". Pairs without a common item are
    no edge (the reference reads their ``C`` as a disagreement); every
    source has a self-loop, as there.
    """
    n = C.shape[0]
    S = np.sign(np.where(observed | np.eye(n, dtype=bool), C, 0.0))
    valid = np.flatnonzero(C.sum(axis=1) != 0)
    S = S[np.ix_(valid, valid)]
    k = valid.size
    first, second = np.nonzero(np.triu(S == 1))
    negative = np.abs(np.where(S == 1, 0.0, S))
    m = first.size
    link = np.zeros((m, k))
    link[np.arange(m), first] = 1.0
    link[np.arange(m), second] += 1.0
    A = sparse.bmat(
        [[sparse.csr_matrix(negative), sparse.csr_matrix(link.T)], [link, None]],
        format="csr",
    )
    degree = np.asarray(A.sum(axis=1)).ravel()
    # The random walk D^-1 A has the eigenvectors D^-1/2 u of the symmetric
    # D^-1/2 A D^-1/2 (eigenvector u), with the same eigenvalues in [-1, 1].
    scale = sparse.diags(1.0 / np.sqrt(degree))
    N = scale @ A @ scale
    u = _smallest_eigenvector(N)
    vector = np.sign(u * scale.diagonal())[:k]
    signs = np.zeros(n)
    signs[valid] = np.sign(vector.sum()) * vector * magnitude[valid]
    return signs


def _mmsr_accuracies(
    votes, n_items, n_sources, n_classes, max_iter, tol, seed, progress
):
    """Each source's estimated accuracy by M-MSR; and the loss history."""
    K = n_classes
    n_tasks = np.unique(votes[0]).size
    common, agree = _agreement_matrix(votes, n_items, n_sources, K)
    observed = common != 0
    sparsity = observed.sum(axis=0).min()
    F = int(np.floor(sparsity / 2)) - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        C = np.where(observed, agree / np.where(observed, common, 1.0), 0.0)
    C = C * K / (K - 1) - 1.0 / (K - 1)
    X = np.abs(C)
    start = np.random.RandomState(seed).uniform(size=n_sources)
    u, v = start.copy(), start.copy()
    history, converged = [], False
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for _ in range(max_iter):
            u_prev, v_prev = u, v
            v = _trimmed_means(X / u[:, None], observed, v, F, n_tasks)
            u = _trimmed_means((X / v[None, :]).T, observed.T, u, F, n_tasks)
            loss = np.linalg.norm(np.outer(u, v) - np.outer(u_prev, v_prev))
            history.append(float(loss))
            iteration_step(
                progress, len(history), max_iter, lambda c=loss: f"change {c:.3g}"
            )
            if loss < tol:
                converged = True
                break
            if not np.isfinite(loss):  # degenerate (a 0 divided by 0): give up
                converged = True  # no point in more rounds; reported below
                break
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        s = u / np.sqrt(np.linalg.norm(u) / np.linalg.norm(v))
    failed = ~np.isfinite(s)
    if failed.any():
        # No agreement above or below chance to complete (|C| all 0), or
        # degenerate updates: those sources stay at chance level.
        warn_once(
            f"MMSR could not estimate the accuracy of {int(failed.sum())} "
            "source(s) (their agreement with the others is at chance level or "
            "the updates degenerated); they get chance accuracy 1/K and weight "
            "0. Check the votes, or use MajorityVote.",
            UserWarning,
            stacklevel=4,
        )
        s = np.where(failed, 0.0, s)
    s = _signs(C, observed, s)
    s = np.minimum(s, 1.0 - 1.0 / np.sqrt(n_tasks))
    s = np.maximum(s, -1.0 / (K - 1) + 1.0 / np.sqrt(n_tasks))
    return s * (K - 1) / K + 1.0 / K, history, converged


@fill_doc
class MMSR(BaseAggregator):
    """M-MSR: source accuracies by robust rank-one matrix completion.

    Under the one-coin model (source ``s`` right with probability ``p_s``,
    otherwise any other class uniformly), the chance-corrected agreement of
    two sources on their common items, ``C[s, t] = (K * agree - 1) / (K -
    1)``, has the expectation ``q_s q_t`` with ``q_s = (K p_s - 1) / (K -
    1)``: a rank-one matrix observed where two sources share items. The
    Matrix Mean-Subsequence-Reduced algorithm of Ma and Olshevsky (2020)
    completes it robustly: alternating updates of ``u`` and ``v`` in
    ``|C| ~ u v^T``, each entry the mean of its estimates after the ``F``
    largest and ``F`` smallest are dropped (so that up to ``F`` adversarial
    sources cannot drag it), ``F`` set from the fewest partners any source
    has. The signs of ``q`` come from the signs of ``C``. The labels are
    the vote weighted by the one-coin log-odds ``log((K - 1) p / (1 - p))``.
    The answers are those of crowd-kit's ``MMSR`` (see Notes).

    The agreement counts are sparse products over the votes; the updates
    are vectorised over the sources.

    Read more in the :ref:`User Guide <crowdsourcing>`.

    Parameters
    ----------
    max_iter : int, default=10000
        Maximum number of rounds of updates.

    tol : float, default=1e-10
        Stop when the Frobenius norm of the change of ``u v^T`` falls below
        ``tol``.

    random_state : int, RandomState instance or None, default=None
        Seeds the uniform draws that start ``u`` and ``v`` (the same draws
        for both, as crowd-kit's ``MMSR(random_state=...)``, whose default
        is 0).

    %(n_classes)s

    %(classes)s

    verbose : int, default=0
        Progress on stderr: 0 says nothing, 1 a line at the end (rounds run,
        last change), 2 the change at the first and every 10th round, 3 at every
        round.

    Attributes
    ----------
    weights_ : ndarray of shape (n_sources,)
        Log-odds weight of each source's votes, ``log((K - 1) p / (1 -
        p))`` (crowd-kit's ``skills_``); 0 for a source without a vote.

    class_priors_ : ndarray of shape (n_classes,)
        Frequencies of the weighted-vote labels of the items of ``fit``,
        plus one each: given to the items without a vote.

    n_iter_ : int
        Number of rounds run (at least 1).

    loss_history_ : list of float
        Change of ``u v^T`` at each round.

    %(source_quality_)s
        Here the M-MSR estimate ``p``, clipped to ``[1/sqrt(n) (K - 1) / K,
        1 - (1/sqrt(n)) (K - 1) / K]`` for ``n`` items with a vote.

    %(classes_)s

    See Also
    --------
    KOS : Message passing for binary crowds.
    WeightedMajorityVote : The same log-odds weights, estimated otherwise.

    Notes
    -----
    ``predict_proba`` is the one-coin posterior with uniform class priors,
    ``softmax(weighted votes)``, so ``predict`` is the weighted vote (ties
    to the smallest code). crowd-kit's ``labels_`` are the largest of the
    weighted votes divided by their sum: the same label when that sum is
    positive, the reverse when the weights of an item's voters sum below
    zero (it then picks the least supported class) and undefined when they
    sum to 0; we keep the weighted vote there. Two further departures,
    both without effect when every pair of sources shares an item: a pair
    without a common item counts as no edge of the sign graph (crowd-kit
    reads it as a disagreement), and the eigenvector is computed exactly
    (crowd-kit's ARPACK call starts from a random vector). %(no_vote)s A
    ``ConvergenceWarning`` is emitted when ``max_iter`` stops the updates.
    Gold labels ``y`` are accepted for a uniform API and not used.

    References
    ----------
    .. [1] Q. Ma and A. Olshevsky, "Adversarial Crowdsourcing Through Robust
       Rank-One Matrix Completion", Advances in Neural Information
       Processing Systems 33 (NeurIPS 2020), 21841-21852.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.aggregation import MMSR
    >>> from sklabels.datasets import make_crowd_labels
    >>> y = np.arange(600) % 3
    >>> L = make_crowd_labels(y, n_sources=5, accuracy=[0.9, 0.8, 0.7, 0.6, 0.2],
    ...                       labels_per_item=4, random_state=0)
    >>> mmsr = MMSR(random_state=0).fit(L)
    >>> mmsr.source_quality_.round(1)
    array([0.9, 0.8, 0.7, 0.6, 0.2])
    >>> float((mmsr.predict(L) == y).mean()) > 0.9
    True
    """

    _parameter_constraints: dict = {
        **BaseAggregator._parameter_constraints,
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }
    _votes_input = True

    def __init__(
        self,
        *,
        max_iter=10000,
        tol=1e-10,
        random_state=None,
        n_classes=None,
        classes=None,
        verbose=0,
    ):
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state
        self.n_classes = n_classes
        self.classes = classes
        self.verbose = verbose

    def _fit(self, L, y):
        K, n_sources = self.n_classes_, L.shape[1]
        items, sources, labels = L.triples
        if isinstance(self.random_state, Integral):
            seed = int(self.random_state)
        else:
            seed = int(check_random_state(self.random_state).randint(2**31 - 1))
        # Sources without a vote stay out (weight 0, accuracy NaN).
        active = np.flatnonzero(bincount(sources, minlength=n_sources) > 0)
        position = np.full(n_sources, -1)
        position[active] = np.arange(active.size)
        accuracy = np.full(n_sources, np.nan)
        self.weights_ = np.zeros(n_sources)
        history, converged = [0.0], True
        progress = Progress(self, self.verbose)
        if active.size >= 2:
            p, history, converged = _mmsr_accuracies(
                (items, position[sources], labels),
                L.shape[0],
                active.size,
                K,
                self.max_iter,
                self.tol,
                seed,
                progress,
            )
            accuracy[active] = p
            self.weights_[active] = np.log(p * (K - 1) / (1.0 - p))
            progress.done(f"{len(history)} round(s), last change {history[-1]:.3g}")
        if not converged:
            warn_once(
                f"MMSR did not converge in max_iter={self.max_iter} rounds (last "
                f"change {history[-1]:.3g} >= tol={self.tol}); increase max_iter "
                "or tol.",
                ConvergenceWarning,
                stacklevel=3,
                key=("MMSR", "not converged", self.max_iter, self.tol),
            )
        self._accuracies = accuracy
        self.n_iter_, self.loss_history_ = max(len(history), 1), history
        scores = L.counts(K, self.weights_)
        consensus = scores.argmax(axis=1)[~L.no_vote()]
        counts = bincount(consensus, minlength=K) + 1.0
        self.class_priors_ = counts / counts.sum()

    def _source_quality(self, L):
        return self._accuracies

    def _predict_proba(self, L):
        return softmax_rows(L.counts(self.n_classes_, self.weights_))[0]
