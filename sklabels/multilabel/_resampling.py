"""Resampling of imbalanced multi-label data: MLROS, MLRUS, MLSMOTE.

Charte, Rivera, del Jesus and Herrera: random over- and under-sampling
driven by the imbalance ratio per label (Neurocomputing, 2015) and
synthetic minority over-sampling for multi-label data (Knowledge-Based
Systems, 2015). The samplers take a binary indicator matrix ``y`` of shape
(n_samples, n_labels), dense or sparse, and plug into imbalanced-learn's
:class:`~imblearn.pipeline.Pipeline` in front of a multi-label classifier.

The random samplers follow the papers' round-robin exactly: one row per
label bag in turn, the label's ratio checked after each of its rows. The
rounds are simulated in vectorised blocks between the events that change
the set of bags (a bag leaving, or, for MLRUS, a row drawn twice), so the
only Python loops run over labels and events, never over rows.
"""

from numbers import Integral, Real

import numpy as np
import pandas as pd
from imblearn.base import BaseSampler
from scipy import sparse
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import ClassifierTags, check_random_state

from sklabels.multilabel._imbalance import _irlbl, check_present_labels
from sklabels.multilabel._validation import check_label_matrix_type
from sklabels.utils._compat import (
    Interval,
    StrOptions,
    _fit_context,
    _num_samples,
    _safe_indexing,
    validate_data,
)
from sklabels.utils._doc_link import DocLinkMixin
from sklabels.utils._docstrings import make_fill_doc
from sklabels.utils._sampler import _check_X

__all__ = ["MLROS", "MLRUS", "MLSMOTE"]

# Entries of the (events x labels) running-count block simulated at once.
_BLOCK_ENTRIES = 2**21


def _budget(n_samples, percentage):
    """Rows to add or remove: ``percentage`` % of the data set, rounded up."""
    return int(np.ceil(n_samples * percentage / 100 - 1e-9))


def _rotate(active, start):
    """The cyclic order of ``active`` that begins at position ``start``."""
    start %= len(active)
    return active[start:] + active[:start]


def _block_size(n_active, n_labels, remaining):
    """Events per block: bounded memory, at least one round of the bags."""
    size = max(n_active, _BLOCK_ENTRIES // max(n_labels, 1))
    return int(min(remaining, size))


def _running_counts(counts, present, rows, sign):
    """Label counts after each event of ``rows`` (one row added / removed)."""
    steps = present.rows(rows).astype(np.int64)
    return counts + sign * np.cumsum(steps, axis=0)


def _mlros_clones(present, budget, rng):
    """Rows cloned by MLROS (Charte et al. 2015, Algorithm 1), in order.

    The minority labels (``IRLbl > MeanIR``) are visited in turn, each
    cloning one random row of its bag (the rows of the input holding it);
    a label leaves when its ratio, recomputed after its clone, falls to
    ``MeanIR`` or below. ``MeanIR`` is that of the input. Stops after
    ``budget`` clones, or when no label is left.

    Returns the cloned rows and, for each, the label whose turn it was.
    """
    counts = present.counts.astype(np.int64)
    mean_ir = _irlbl(counts).mean()
    active = np.flatnonzero(_irlbl(counts) > mean_ir).tolist()
    # the rows of each minority label, one after the other
    bags = present.bags(active)
    bag_rows = np.concatenate(bags) if bags else np.empty(0, dtype=np.intp)
    bag_size = np.zeros(present.shape[1], dtype=np.intp)
    bag_size[active] = [bag.size for bag in bags]
    bag_start = np.zeros(present.shape[1], dtype=np.intp)
    bag_start[active] = np.cumsum([0] + [bag.size for bag in bags])[:-1]
    clones, turns, remaining = [], [], budget
    max_block = _block_size(len(active), present.shape[1], remaining)
    block = max_block
    while remaining > 0 and active:
        n_active = len(active)
        n_events = max(min(block, remaining), 1)
        labels = np.resize(np.asarray(active), n_events)  # the cyclic order
        rows = bag_rows[bag_start[labels] + rng.randint(0, bag_size[labels])]
        running = _running_counts(counts, present, rows, +1)
        ratio = running.max(axis=1) / running[np.arange(n_events), labels]
        balanced = np.flatnonzero(ratio <= mean_ir)
        stop = balanced[0] + 1 if balanced.size else n_events
        clones.append(rows[:stop])
        turns.append(labels[:stop])
        counts = running[stop - 1]
        remaining -= stop
        if balanced.size:  # that label leaves; the round goes on after it
            position = balanced[0] % n_active
            active = _rotate(active, position + 1)[:-1]
            # the next block: about twice as long as this stretch lasted
            block = min(max(2 * stop, len(active)), max_block)
        else:
            active = _rotate(active, n_events)
            block = min(2 * block, max_block)
    if not clones:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    return np.concatenate(clones), np.concatenate(turns)


def _next_alive(perm, pointer, deleted, wanted):
    """Positions in ``perm`` of its next ``wanted`` rows not yet deleted."""
    stop = pointer + 2 * wanted + 16
    while True:
        window = perm[pointer:stop]
        alive = pointer + np.flatnonzero(~deleted[window])
        if alive.size >= wanted or stop >= perm.size:
            return alive[:wanted]
        stop = pointer + 2 * (stop - pointer)


def _mlrus_deleted(present, budget, rng):
    """Rows MLRUS deletes, in order (Charte et al. 2015, Algorithm 2).

    The majority labels (``IRLbl < MeanIR``) are visited in turn, each
    deleting one random row still in the data that holds it (its other
    labels go with it); a label leaves when its ratio, recomputed after the
    deletion, reaches ``MeanIR``. Each bag draws its rows in the order of a
    random permutation, skipping rows already deleted: a uniform choice
    among the rows left at each step. Within a block of events, a row drawn
    by two bags is an event too: the block is cut before the second draw.

    Returns the deleted rows in order and, for each, the label whose turn
    it was.
    """
    n_samples, n_labels = present.shape
    counts = present.counts.astype(np.int64)
    mean_ir = _irlbl(counts).mean()
    active = np.flatnonzero(_irlbl(counts) < mean_ir).tolist()
    perms = {
        j: rng.permutation(bag)
        for j, bag in zip(active, present.bags(active), strict=True)
    }
    pointer = dict.fromkeys(active, 0)
    deleted = np.zeros(n_samples, dtype=bool)
    order, turns, remaining = [], [], budget
    max_block = _block_size(len(active), n_labels, remaining) if active else 0
    block = max_block
    while remaining > 0 and active:
        n_active = len(active)
        n_rounds = -(-min(remaining, block) // n_active)
        positions = np.full((n_rounds, n_active), -1, dtype=np.intp)
        for a, j in enumerate(active):  # loop over labels
            found = _next_alive(perms[j], pointer[j], deleted, n_rounds)
            positions[: found.size, a] = found
        labels = np.resize(np.asarray(active), positions.size)
        positions = positions.ravel()
        n_events = min(remaining, positions.size)
        labels, positions = labels[:n_events], positions[:n_events]
        exhausted = positions < 0
        rows = np.where(exhausted, -1, 0)
        for j in active:
            mine = (labels == j) & ~exhausted
            rows[mine] = perms[j][positions[mine]]
        # first event that cannot be simulated with this block's draws
        cut = n_events
        if exhausted.any():
            cut = int(np.argmax(exhausted))
        _, first = np.unique(rows[:cut], return_index=True)
        repeated = np.setdiff1d(np.arange(cut), first)
        if repeated.size:
            cut = int(repeated[0])
        running = _running_counts(counts, present, rows[:cut], -1)
        own = running[np.arange(cut), labels[:cut]]
        with np.errstate(divide="ignore"):
            ratio = running.max(axis=1) / own
        balanced = np.flatnonzero(ratio >= mean_ir)
        stop = balanced[0] + 1 if balanced.size else cut
        deleted[rows[:stop]] = True
        order.append(rows[:stop])
        turns.append(labels[:stop])
        if stop:
            counts = running[stop - 1]
        remaining -= stop
        for a, j in enumerate(active):  # advance each bag past its deletions
            n_mine = (stop - a + n_active - 1) // n_active
            if n_mine:
                pointer[j] = positions[a + (n_mine - 1) * n_active] + 1
        if balanced.size or (stop == cut and cut < n_events and exhausted[cut]):
            position = stop - 1 if balanced.size else cut
            active = _rotate(active, position % n_active + 1)[:-1]
        else:  # the block ended or a row was drawn twice: redraw from there
            active = _rotate(active, stop)
            # a short block after a repeated draw, then grow again
            block = max(n_active, 2 * stop) if stop < n_events else 2 * block
            block = min(block, max_block)
    if not order:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    return np.concatenate(order), np.concatenate(turns)


# --------------------------------------------------------------------------
# MLSMOTE
# --------------------------------------------------------------------------


def _combine_ranking(votes, k):
    return votes > (k + 1) / 2


def _combine_union(votes, k):
    return votes >= 1


def _combine_intersection(votes, k):
    return votes >= k + 1


_LABEL_COMBINATIONS = {
    "ranking": _combine_ranking,
    "union": _combine_union,
    "intersection": _combine_intersection,
}


def _mlsmote_pairs(X, present, k, combine, n_jobs, rng):
    """Seed rows, reference neighbours and label sets of the synthetic rows.

    For each minority label (``IRLbl > MeanIR`` of the input), every row
    holding it is a seed; its ``k`` nearest neighbours among the other rows
    holding the label vote on the new row's labels, and one of them, drawn
    at random, is the reference row for the features.
    """
    irlbl = _irlbl(present.counts)
    minority = np.flatnonzero(irlbl > irlbl.mean())
    seeds, references, voters = [], [], []
    for rows in present.bags(minority):  # loop over labels
        search = NearestNeighbors(n_neighbors=k, n_jobs=n_jobs).fit(X[rows])
        neighbors = rows[search.kneighbors(return_distance=False)]  # (s, k)
        pick = rng.randint(0, k, size=rows.size)
        references.append(neighbors[np.arange(rows.size), pick])
        seeds.append(rows)
        voters.append(np.column_stack([rows, neighbors]))
    if not seeds:
        empty = np.empty(0, dtype=np.intp)
        return empty, empty, np.zeros((0, present.shape[1]), dtype=bool)
    voters = np.concatenate(voters).ravel()
    n_new = voters.size // (k + 1)
    if not present.is_sparse:  # votes of each seed and its k neighbours
        votes = present.rows(voters).reshape(n_new, k + 1, -1).sum(1, dtype=np.int32)
        labels = combine(votes, k)
        return np.concatenate(seeds), np.concatenate(references), labels
    # sparse: the label rows summed by a (synthetic rows x voters) matrix of ones
    summing = sparse.csr_matrix(
        (
            np.ones(voters.size, dtype=np.int32),
            np.arange(voters.size),
            np.arange(0, voters.size + 1, k + 1),
        ),
        shape=(n_new, voters.size),
    )
    votes = (summing @ present.csr()[voters].astype(np.int32)).tocsr()
    labels = sparse.csr_matrix(
        (combine(votes.data, k), votes.indices, votes.indptr),
        shape=votes.shape,
        dtype=bool,
    )
    labels.eliminate_zeros()
    return np.concatenate(seeds), np.concatenate(references), labels


def _interpolate(X, seeds, references, rng):
    """Rows between each seed and its reference, a random gap per feature.

    ``x_seed + gap * (x_reference - x_seed)`` with one uniform gap in [0, 1)
    per feature, as in the MLSMOTE paper's ``newSample``. A sparse ``X``
    stays sparse: gaps are drawn for the stored differences only.
    """
    if sparse.issparse(X):
        X = sparse.csr_matrix(X)
        start = X[seeds]
        diff = (X[references] - start).tocsr()
        diff.data *= rng.random(diff.data.size).astype(X.dtype, copy=False)
        return (start + diff).tocsr()
    start = X[seeds]
    gaps = rng.random(start.shape).astype(X.dtype, copy=False)
    return start + gaps * (X[references] - start)


# --------------------------------------------------------------------------
# The samplers
# --------------------------------------------------------------------------


def _restore_y(Y_res, y, classes):
    """``Y_res`` in the container of the ``y`` given."""
    if sparse.issparse(y):
        if isinstance(y, sparse.sparray):
            return sparse.csr_array(Y_res).asformat(y.format)
        return sparse.csr_matrix(Y_res).asformat(y.format)
    if isinstance(y, pd.DataFrame):
        return pd.DataFrame(Y_res, columns=y.columns).astype(y.dtypes)
    if isinstance(y, list):
        return Y_res.tolist()
    return Y_res


def _restore_X(X_res, X):
    if isinstance(X, pd.DataFrame):
        if isinstance(X_res, pd.DataFrame):
            return X_res.reset_index(drop=True)
        if sparse.issparse(X_res):
            return pd.DataFrame.sparse.from_spmatrix(X_res, columns=X.columns)
        return pd.DataFrame(X_res, columns=X.columns)
    if isinstance(X, list):
        return X_res.tolist()
    return X_res


class _MultilabelSampler(DocLinkMixin, BaseSampler):
    """A sampler of multi-label data: ``y`` is an (n, L) indicator matrix.

    Subclasses write ``_check_X(X)`` and ``_fit_resample(X, present, rng)``
    (``present``: the labels of ``y``, a ``_Present``), which returns
    ``(X_res, sample_indices, new_labels)``: ``new_labels`` is None when
    every returned row is a row of the input, else the boolean label matrix
    of the rows added after the input's.
    """

    _sampling_type = "bypass"

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_resample(self, X, y):
        """Resample the data set.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Data.

        y : {array-like, sparse matrix} of shape (n_samples, n_labels)
            Binary indicator matrix: 1 (or True) where a row holds a label.
            Every label must be present in at least one row.

        Returns
        -------
        X_resampled : {ndarray, dataframe, sparse matrix} of shape \
(n_samples_new, n_features)
            The resampled data, in the container given (a sparse ``X`` stays
            sparse).

        y_resampled : {ndarray, dataframe, sparse matrix} of shape \
(n_samples_new, n_labels)
            The labels of the returned rows, in the container, format and
            dtype of ``y``.
        """
        name = type(self).__name__
        check_label_matrix_type(y, input_name="y", caller=name)
        X_checked = self._check_X(X)
        Y, classes, present = check_present_labels(y, input_name="y", caller=name)
        if _num_samples(X_checked) != Y.shape[0]:
            raise ValueError(
                f"Found input variables with inconsistent numbers of samples: X "
                f"has {_num_samples(X_checked)} rows but y has {Y.shape[0]}."
            )
        rng = check_random_state(self.random_state)
        X_res, indices, new_labels = self._fit_resample(X_checked, present, rng)
        n_samples = Y.shape[0]
        if new_labels is None:
            Y_res = Y[indices]
        else:
            Y_res = self._append_labels(Y, new_labels, classes)
        synthetic = np.zeros(len(indices), dtype=bool)
        if new_labels is not None or len(indices) > n_samples:
            synthetic[n_samples:] = True
        self.sample_indices_ = np.asarray(indices, dtype=np.intp)
        self.synthetic_mask_ = synthetic
        self.n_synthetic_ = int(synthetic.sum())
        self.imbalance_ratio_per_label_ = _irlbl(present.counts)
        self.mean_imbalance_ratio_ = float(self.imbalance_ratio_per_label_.mean())
        return _restore_X(X_res, X), _restore_y(Y_res, y, classes)

    @staticmethod
    def _append_labels(Y, new_labels, classes):
        """The input's labels followed by those of the synthetic rows."""
        if sparse.issparse(Y):
            new = sparse.csr_matrix(new_labels).astype(Y.dtype)
            return sparse.vstack([Y, new], format="csr")
        if sparse.issparse(new_labels):
            new_labels = new_labels.toarray()
        values = np.where(new_labels, classes[1], classes[0])
        return np.concatenate([Y, values.astype(Y.dtype, copy=False)])

    def fit(self, X, y):
        """Run the sampler and keep its fitted attributes.

        Unlike most imbalanced-learn samplers, ``fit`` does all the work of
        :meth:`fit_resample` (and sets the same attributes); only the
        resampled data is not returned.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Data.

        y : {array-like, sparse matrix} of shape (n_samples, n_labels)
            Binary indicator matrix.

        Returns
        -------
        self : object
            Fitted sampler.
        """
        self.fit_resample(X, y)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.sampler_tags.sample_indices = True
        tags.input_tags.sparse = True
        tags.target_tags.required = True
        tags.target_tags.single_output = False
        tags.target_tags.multi_output = True
        # y: binary columns, several per row (the checks then draw such a y)
        tags.classifier_tags = ClassifierTags(multi_class=False, multi_label=True)
        return tags


class _RowSampler(_MultilabelSampler):
    """A sampler that only picks rows of ``X`` (copies or drops them): any
    values pass, strings and NaN included.

    Subclasses write ``_indices(n_samples, present, budget, rng)``, the rows
    returned, for a budget of ``percentage`` % of the rows.
    """

    def _check_X(self, X):
        X = _check_X(X)
        validate_data(self, X=X, reset=True, skip_check_array=True)
        return X

    def _fit_resample(self, X, present, rng):
        n_samples = present.shape[0]
        budget = _budget(n_samples, self.percentage)
        indices = self._indices(n_samples, present, budget, rng)
        return _safe_indexing(X, indices), indices, None

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # rows are copied or dropped, never read
        tags.input_tags.string = True
        return tags


# Attributes every sampler describes the same way (see make_fill_doc).
_fill_doc = make_fill_doc(
    {
        "input_attributes": """\
imbalance_ratio_per_label_ : ndarray of shape (n_labels,)
    IRLbl of the input.

mean_imbalance_ratio_ : float
    MeanIR of the input.

n_features_in_ : int
    Number of features seen during fit.

feature_names_in_ : ndarray of shape (`n_features_in_`,)
    Names of features seen during fit, when X has string column names."""
    }
)


@_fill_doc
class MLROS(_RowSampler):
    """Multi-label random over-sampling (MLROS, Charte et al. 2015).

    Clones rows of the minority labels: labels whose imbalance ratio
    (:func:`imbalance_ratio_per_label`, IRLbl) is above the mean
    (:func:`mean_imbalance_ratio`, MeanIR). The minority labels take turns,
    each cloning one random row holding it; a label stops as soon as its
    ratio, recomputed after its clone, is at most the input's MeanIR. In
    all, ``percentage`` % of the input's rows are cloned (rounded up), fewer
    if every minority label is balanced first. Cloning a row clones all its
    labels, so frequent labels that share rows with rare ones grow too (see
    :func:`scumble`).

    Read more in the :ref:`User Guide <multilabel>`.

    Parameters
    ----------
    percentage : float, default=25
        Rows to clone, as a percentage of the number of input rows (above 0).

    random_state : int, RandomState instance or None, default=None
        Which rows are cloned. Pass an int for reproducible output across
        multiple calls.

    Attributes
    ----------
    sample_indices_ : ndarray of shape (n_samples_new,)
        Row of the input behind each returned row: ``0 .. n_samples - 1`` (the
        input, in order), then the row each clone copies.

    synthetic_mask_ : ndarray of shape (n_samples_new,), dtype=bool
        True for the rows added (the clones, after the input's rows).

    n_synthetic_ : int
        Number of rows added.

    %(input_attributes)s

    See Also
    --------
    MLRUS : Delete rows of the majority labels instead.
    MLSMOTE : Synthetic rows instead of clones.
    imblearn.over_sampling.RandomOverSampler : The single-label version.

    Notes
    -----
    ``X`` is only indexed, never computed on: any values pass (strings,
    NaN), and a DataFrame keeps its columns and dtypes (with a new
    ``RangeIndex``). ``fit`` does the same work as ``fit_resample``.

    Compared with the paper's pseudo-code, which checks the number of clones
    left only at the end of each turn of the labels, cloning stops exactly
    after ``percentage`` % of the rows, and also when no minority label is
    left (where the pseudo-code would loop forever).

    References
    ----------
    .. [1] F. Charte, A. J. Rivera, M. J. del Jesus and F. Herrera,
       "Addressing imbalance in multilabel classification: Measures and
       random resampling algorithms", Neurocomputing 163, 3-16, 2015.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.multilabel import MLROS, mean_imbalance_ratio
    >>> X = np.arange(16).reshape(8, 2)
    >>> Y = np.array([[1, 0, 0]] * 5 + [[1, 1, 0], [0, 1, 0], [0, 0, 1]])
    >>> X_res, Y_res = MLROS(percentage=50, random_state=0).fit_resample(X, Y)
    >>> X_res.shape  # one clone balances the rare third label
    (9, 2)
    >>> round(mean_imbalance_ratio(Y), 2), round(mean_imbalance_ratio(Y_res), 2)
    (3.33, 2.33)
    >>> ros = MLROS(percentage=50, random_state=0).fit(X, Y)
    >>> ros.sample_indices_[ros.synthetic_mask_]
    array([7])
    """

    _parameter_constraints: dict = {
        "percentage": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
    }

    def __init__(self, percentage=25, *, random_state=None):
        self.percentage = percentage
        self.random_state = random_state

    def _indices(self, n_samples, present, budget, rng):
        clones, _ = _mlros_clones(present, budget, rng)
        return np.concatenate([np.arange(n_samples), clones])


@_fill_doc
class MLRUS(_RowSampler):
    """Multi-label random under-sampling (MLRUS, Charte et al. 2015).

    Deletes rows of the majority labels: labels whose imbalance ratio
    (:func:`imbalance_ratio_per_label`, IRLbl) is below the mean
    (:func:`mean_imbalance_ratio`, MeanIR). The majority labels take turns,
    each deleting one random row still holding it; a label stops as soon as
    its ratio, recomputed after the deletion, reaches the input's MeanIR. In
    all, ``percentage`` % of the input's rows are deleted (rounded up),
    fewer if every majority label is balanced first.

    Read more in the :ref:`User Guide <multilabel>`.

    Parameters
    ----------
    percentage : float, default=25
        Rows to delete, as a percentage of the number of input rows (in
        (0, 100)).

    random_state : int, RandomState instance or None, default=None
        Which rows are deleted. Pass an int for reproducible output across
        multiple calls.

    Attributes
    ----------
    sample_indices_ : ndarray of shape (n_samples_new,)
        Rows of the input kept, in increasing order.

    synthetic_mask_ : ndarray of shape (n_samples_new,), dtype=bool
        All False: MLRUS adds no row (kept for a uniform interface).

    n_synthetic_ : int
        Always 0.

    %(input_attributes)s

    See Also
    --------
    MLROS : Clone rows of the minority labels instead.
    MLSMOTE : Synthetic rows of the minority labels.

    Notes
    -----
    A deleted row takes all its labels with it: where rare labels share
    rows with frequent ones (a high :func:`scumble`), MLRUS also deletes
    rare labels, and a label held by few rows can disappear from the
    result. ``X`` is only indexed, never computed on. ``fit`` does the same
    work as ``fit_resample``.

    References
    ----------
    .. [1] F. Charte, A. J. Rivera, M. J. del Jesus and F. Herrera,
       "Addressing imbalance in multilabel classification: Measures and
       random resampling algorithms", Neurocomputing 163, 3-16, 2015.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.multilabel import MLRUS, mean_imbalance_ratio
    >>> X = np.arange(20).reshape(10, 2)
    >>> Y = np.array([[1, 0, 0]] * 6 + [[1, 1, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]])
    >>> rus = MLRUS(percentage=25, random_state=2)
    >>> X_res, Y_res = rus.fit_resample(X, Y)
    >>> rus.sample_indices_
    array([0, 2, 5, 6, 7, 8, 9])
    >>> round(mean_imbalance_ratio(Y), 2), round(mean_imbalance_ratio(Y_res), 2)
    (2.67, 1.67)
    """

    _parameter_constraints: dict = {
        "percentage": [Interval(Real, 0, 100, closed="neither")],
        "random_state": ["random_state"],
    }

    def __init__(self, percentage=25, *, random_state=None):
        self.percentage = percentage
        self.random_state = random_state

    def _indices(self, n_samples, present, budget, rng):
        deleted, _ = _mlrus_deleted(present, budget, rng)
        return np.setdiff1d(np.arange(n_samples), deleted)


@_fill_doc
class MLSMOTE(_MultilabelSampler):
    """Synthetic minority over-sampling of multi-label data (MLSMOTE).

    Charte, Rivera, del Jesus and Herrera (2015). For each minority label
    (imbalance ratio :func:`imbalance_ratio_per_label` above the mean
    :func:`mean_imbalance_ratio`), every row holding it seeds one synthetic
    row: among the other rows holding the label, its ``k_neighbors``
    nearest neighbours (Euclidean) are found; one of them, drawn at random,
    is the reference, and each feature of the new row lies at a random
    point between the seed's and the reference's value. The new row's
    labels come from the seed and its neighbours (``label_combination``).

    Read more in the :ref:`User Guide <multilabel>`.

    Parameters
    ----------
    k_neighbors : int, default=5
        Neighbours of each seed, among the rows holding the same minority
        label. Every minority label must be held by more than
        ``k_neighbors`` rows.

    label_combination : {"ranking", "union", "intersection"}, default="ranking"
        Labels of a synthetic row, from the ``k_neighbors + 1`` label sets of
        the seed and its neighbours: "ranking" (the paper's rule) keeps the
        labels held by more than half of them, "union" those held by any,
        "intersection" those held by all. The minority label itself is
        always kept (all of them hold it).

    n_jobs : int, default=None
        Parallel jobs of the neighbour searches.
        None means 1 unless in a :obj:`joblib.parallel_config` context;
        -1 means all processors.

    random_state : int, RandomState instance or None, default=None
        The reference neighbours and the gaps. Pass an int for reproducible
        output across multiple calls.

    Attributes
    ----------
    sample_indices_ : ndarray of shape (n_samples_new,)
        Row of the input behind each returned row: ``0 .. n_samples - 1`` (the
        input, in order), then, for each synthetic row, its seed row.

    synthetic_mask_ : ndarray of shape (n_samples_new,), dtype=bool
        True for the synthetic rows (after the input's rows).

    n_synthetic_ : int
        Number of synthetic rows.

    reference_indices_ : ndarray of shape (n_synthetic,)
        The reference neighbour (input row) of each synthetic row: the
        synthetic row lies between ``X[sample_indices_[i]]`` and this row.

    minority_labels_ : ndarray of shape (n_minority_labels,)
        Columns of ``y`` over-sampled, in order; the synthetic rows follow
        this order, one block per label.

    %(input_attributes)s

    See Also
    --------
    MLROS : Clone rows of the minority labels instead.
    imblearn.over_sampling.SMOTE : The single-label version.

    Notes
    -----
    ``X`` must be numeric and finite; a DataFrame comes back as a
    DataFrame of floats (interpolated values are not integers). The imbalance
    ratios and the rows searched are those of the input for every label, so
    the result does not depend on the order of the labels (the paper's
    pseudo-code adds each label's synthetic rows before visiting the next).
    As in the paper, each feature has its own random gap (SMOTE uses one
    gap per row). A sparse ``X`` gives the same synthetic labels, seeds and
    references as its dense copy, but other gaps (drawn for the stored
    values only). ``fit`` does the same work as ``fit_resample``.

    "ranking" keeps a label held by strictly more than ``(k_neighbors + 1) /
    2`` of the label sets, as the paper's pseudo-code and the authors' R
    package do; with an odd ``k_neighbors`` (such as the default 5) a label
    held by exactly half of them is dropped. Where the features say little
    about the labels, neighbours seldom share the seed's frequent labels, so
    synthetic rows carry fewer labels than real ones and act as negatives
    for the frequent labels: macro-F1 can then fall although the minority
    labels gain (see the user guide).

    References
    ----------
    .. [1] F. Charte, A. J. Rivera, M. J. del Jesus and F. Herrera,
       "MLSMOTE: Approaching imbalanced multilabel learning through
       synthetic instance generation", Knowledge-Based Systems 89, 385-397,
       2015.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.multilabel import MLSMOTE, mean_imbalance_ratio
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(12, 2))
    >>> Y = np.array([[1, 0]] * 9 + [[1, 1], [0, 1], [0, 1]])
    >>> smote = MLSMOTE(k_neighbors=2, random_state=0)
    >>> X_res, Y_res = smote.fit_resample(X, Y)
    >>> smote.n_synthetic_, smote.sample_indices_[smote.synthetic_mask_]
    (3, array([ 9, 10, 11]))
    >>> Y_res[12:]
    array([[0, 1],
           [0, 1],
           [0, 1]])
    >>> round(mean_imbalance_ratio(Y), 2), round(mean_imbalance_ratio(Y_res), 2)
    (2.17, 1.33)
    """

    _parameter_constraints: dict = {
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "label_combination": [StrOptions(set(_LABEL_COMBINATIONS))],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        k_neighbors=5,
        *,
        label_combination="ranking",
        n_jobs=None,
        random_state=None,
    ):
        self.k_neighbors = k_neighbors
        self.label_combination = label_combination
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _check_X(self, X):
        return validate_data(
            self,
            X=X,
            reset=True,
            accept_sparse=["csr", "csc"],
            dtype=[np.float64, np.float32],
        )

    def _fit_resample(self, X, present, rng):
        k = self.k_neighbors
        counts = present.counts
        irlbl = _irlbl(counts)
        minority = np.flatnonzero(irlbl > irlbl.mean())
        too_few = minority[counts[minority] <= k]
        if too_few.size:
            raise ValueError(
                f"k_neighbors={k!r} is too large: MLSMOTE needs more than "
                f"k_neighbors rows holding each minority label, but label "
                f"column(s) {too_few[:10].tolist()} of y are held by "
                f"{counts[too_few[:10]].tolist()} row(s). Lower k_neighbors "
                f"below {int(counts[minority].min())}, or drop those labels."
            )
        seeds, references, labels = _mlsmote_pairs(
            X,
            present,
            k,
            _LABEL_COMBINATIONS[self.label_combination],
            self.n_jobs,
            rng,
        )
        self.reference_indices_ = references
        self.minority_labels_ = minority
        n_samples = X.shape[0]
        indices = np.concatenate([np.arange(n_samples), seeds])
        if seeds.size == 0:
            return X, indices, None
        X_new = _interpolate(X, seeds, references, rng)
        if sparse.issparse(X):
            X_res = sparse.vstack([X, X_new], format=X.format)
        else:
            X_res = np.concatenate([X, X_new])
        return X_res, indices, labels
