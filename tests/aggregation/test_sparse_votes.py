"""Sparse label matrices, the class-count rule and sparse crowds."""

import warnings
from functools import partial

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from sklabels.aggregation import (
    GLAD,
    MACE,
    DawidSkene,
    LabelModel,
    MajorityVote,
    Wawa,
    WeightedMajorityVote,
    ZeroBasedSkill,
    to_label_matrix,
)
from sklabels.aggregation._dawid_skene import _warn_unreliable
from sklabels.aggregation._matrix import Votes, argmax_rows, softmax_rows
from sklabels.aggregation._voting import _squarem
from sklabels.datasets import make_crowd_labels, make_weak_labels
from sklabels.utils._label_matrix import sparse_votes

AGGREGATORS = [
    partial(MajorityVote, random_state=0),
    WeightedMajorityVote,
    DawidSkene,
    GLAD,
    partial(MACE, random_state=0, n_restarts=2),
    LabelModel,
]
IDS = ["MajorityVote", "WeightedMajorityVote", "DawidSkene", "GLAD", "MACE", "LM"]


def _sparse_crowd(n_items, n_workers=766, votes_per_item=5, n_classes=4, seed=0):
    """Many workers with few answers each: skilled, mediocre and spammers.

    Worker activity is heavy-tailed (log-normal); 30 % answer right with
    probability U(0.65, 0.95), 40 % U(0.3, 0.65), 20 % at random and 10 %
    always give the same class. Wrong answers are uniform.
    """
    rng = np.random.RandomState(seed)
    K = n_classes
    y = rng.choice(K, size=n_items, p=[0.4, 0.3, 0.2, 0.1])
    kind = rng.choice(4, size=n_workers, p=[0.3, 0.4, 0.2, 0.1])
    acc = np.select(
        [kind == 0, kind == 1],
        [rng.uniform(0.65, 0.95, n_workers), rng.uniform(0.3, 0.65, n_workers)],
        1.0 / K,
    )
    constant = rng.randint(K, size=n_workers)
    activity = rng.lognormal(0.0, 1.5, size=n_workers)
    n_votes = np.clip(rng.poisson(votes_per_item - 1, n_items) + 1, 1, 20)
    keys = np.log(rng.random_sample((n_items, n_workers))) / activity
    order = np.argsort(-keys, axis=1)[:, :20]  # weighted draw without replacement
    items = np.repeat(np.arange(n_items), n_votes)
    rank = np.arange(items.size) - np.repeat(np.cumsum(n_votes) - n_votes, n_votes)
    workers = order[items, rank]
    right = rng.random_sample(items.size) < acc[workers]
    wrong = (y[items] + rng.randint(1, K, items.size)) % K
    labels = np.where(right, y[items], wrong)
    labels = np.where(kind[workers] == 3, constant[workers], labels)
    L = sparse.csr_matrix((labels + 1, (items, workers)), shape=(n_items, n_workers))
    return L, y


# ---------------------------------------------------------------------------
# Sparse label matrices
# ---------------------------------------------------------------------------


def test_to_label_matrix_sparse_output_stores_code_plus_one():
    data = pd.DataFrame(
        {
            "item": ["a", "a", "b", "c", "c"],
            "source": ["s", "t", "t", "s", "u"],
            "label": ["x", "y", None, "y", "x"],
        }
    )
    dense, items, sources, classes = to_label_matrix(data)
    S, items_s, sources_s, classes_s = to_label_matrix(data, sparse_output=True)
    assert sparse.issparse(S) and S.format == "csr" and S.shape == dense.shape
    np.testing.assert_array_equal(S.toarray() - 1, dense)
    assert S.nnz == 4  # the missing label is no entry
    np.testing.assert_array_equal(items_s, items)
    np.testing.assert_array_equal(sources_s, sources)
    np.testing.assert_array_equal(classes_s, classes)


@pytest.mark.parametrize("make", AGGREGATORS, ids=IDS)
@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
def test_aggregator_sparse_label_matrix_same_as_dense(make, fmt):
    y = np.random.RandomState(0).randint(0, 3, 300)
    L = make_crowd_labels(
        y,
        n_sources=6,
        accuracy=[0.9, 0.8, 0.7, 0.6, 0.4, 0.34],
        labels_per_item=3,
        random_state=0,
    )
    L[:3] = -1  # items without a vote
    S = sparse.csr_matrix(L + 1).asformat(fmt)
    dense = make().fit(L)
    sparse_model = make().fit(S)
    np.testing.assert_allclose(sparse_model.predict_proba(S), dense.predict_proba(L))
    np.testing.assert_array_equal(sparse_model.predict(S), dense.predict(L))
    # predict takes either form whatever the form of fit
    np.testing.assert_array_equal(sparse_model.predict(L), dense.predict(S))
    assert sparse_model.n_features_in_ == L.shape[1]


def test_aggregator_sparse_explicit_zero_is_no_label():
    L = np.array([[0, 1, -1], [1, 1, 0], [2, -1, 2]])
    S = sparse.csr_matrix(L + 1)
    S_zero = sparse.csr_matrix(
        (np.r_[S.data, 0], (np.r_[S.tocoo().row, 0], np.r_[S.tocoo().col, 2])),
        shape=S.shape,
    )
    assert S_zero.nnz == S.nnz + 1
    for make in (MajorityVote, DawidSkene):
        np.testing.assert_allclose(
            make().fit(S_zero).predict_proba(S_zero), make().fit(L).predict_proba(L)
        )


@pytest.mark.parametrize("make", AGGREGATORS, ids=IDS)
@pytest.mark.parametrize(
    "S, error, match",
    [
        (
            sparse.csr_matrix(np.array([[1, -1], [2, 1]])),
            ValueError,
            r"stores -1 in row 0, column 1\. A sparse L stores the class code plus "
            r"one .*csr_matrix\(L \+ 1\)",
        ),
        (
            sparse.csr_matrix(np.array([[1.0, np.nan], [2.0, 1.0]])),
            ValueError,
            r"stores NaN or inf \(nan in row 0, column 1\)",
        ),
        (
            sparse.csr_matrix(np.array([[1.5, 1.0], [2.0, 1.0]])),
            ValueError,
            r"integer class codes, got 1\.5 in row 0, column 0",
        ),
        (
            sparse.coo_matrix(([1, 2, 1], ([0, 0, 1], [1, 1, 0])), shape=(2, 2)),
            ValueError,
            r"more than one value for row 0, column 1 .*sum_duplicates",
        ),
        (
            sparse.csr_matrix(np.array([[True, False], [True, True]])),
            TypeError,
            "boolean",
        ),
    ],
    ids=["minus-one", "nan", "non-integer", "duplicate", "bool"],
)
def test_aggregator_sparse_label_matrix_errors(make, S, error, match):
    with pytest.raises(error, match=match):
        make().fit(S)


@pytest.mark.parametrize("make", AGGREGATORS, ids=IDS)
def test_aggregator_sparse_code_above_n_classes(make):
    S = sparse.csr_matrix(np.array([[1, 3], [2, 1]]))
    with pytest.raises(
        ValueError, match=r"stores 3 \(class code 2\) in row 0, column 1"
    ):
        make(n_classes=2).fit(S)
    model = make().fit(S)
    with pytest.raises(ValueError, match=r"fitted with n_classes_=3"):
        model.predict(sparse.csr_matrix(np.array([[4, 1]])))


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo", "lil", "dok", "shuffled"])
def test_sparse_votes_are_row_major_in_every_format(fmt):
    rng = np.random.RandomState(1)
    L = rng.randint(-1, 3, (30, 7))
    L[rng.random_sample(L.shape) < 0.5] = -1
    if fmt == "shuffled":
        rows, cols = np.nonzero(L >= 0)
        order = rng.permutation(rows.size)
        rows, cols = rows[order], cols[order]
        S = sparse.coo_array((L[rows, cols] + 1, (rows, cols)), shape=L.shape)
    else:
        S = sparse.csr_matrix(L + 1).asformat(fmt)
    rows, cols, codes = sparse_votes(S)
    expected_rows, expected_cols = np.nonzero(L >= 0)
    np.testing.assert_array_equal(rows, expected_rows)
    np.testing.assert_array_equal(cols, expected_cols)
    np.testing.assert_array_equal(codes, L[expected_rows, expected_cols])
    assert rows.dtype == cols.dtype == codes.dtype == np.int64


def test_sparse_votes_huge_shape_sorts_and_finds_duplicates():
    # cells beyond 2**61: the packed sort does not fit, np.argsort is used
    shape = (2**41, 2**22)
    S = sparse.coo_array(([2, 1, 3], ([2**40, 5, 2**40], [2**21, 7, 3])), shape=shape)
    rows, cols, codes = sparse_votes(S)
    np.testing.assert_array_equal(rows, [5, 2**40, 2**40])
    np.testing.assert_array_equal(cols, [7, 3, 2**21])
    np.testing.assert_array_equal(codes, [0, 2, 1])
    S = sparse.coo_array(([2, 1, 3], ([2**40, 5, 2**40], [3, 7, 3])), shape=shape)
    for row_major in (True, False):
        with pytest.raises(
            ValueError, match=rf"more than one value for row {2**40}, column 3"
        ):
            sparse_votes(S, row_major=row_major)


def test_sparse_votes_real_values_are_stored_minus_one():
    S = sparse.csr_matrix(np.array([[1.5, 0.0], [3.0, 0.25]]))
    rows, cols, values = sparse_votes(S, real=True)
    np.testing.assert_array_equal(rows, [0, 1, 1])
    np.testing.assert_array_equal(cols, [0, 0, 1])
    np.testing.assert_array_equal(values, [0.5, 2.0, -0.75])
    with pytest.raises(ValueError, match=r"integer class codes, got 1\.5 in row 0"):
        sparse_votes(S)
    S.data[0] = -2.0
    with pytest.raises(
        ValueError, match=r"stores -2\.0 in row 0, column 0\. .*plus one"
    ):
        sparse_votes(S, real=True)
    with pytest.raises(ValueError, match=r"2-D label matrix"):
        sparse_votes(sparse.coo_array(np.array([1, 2])))


# ---------------------------------------------------------------------------
# The number of classes follows the codes that occur
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("make", AGGREGATORS, ids=IDS)
@pytest.mark.parametrize("as_sparse", [False, True], ids=["dense", "sparse"])
def test_aggregator_stray_class_code_is_refused(make, as_sparse):
    L = np.random.RandomState(0).randint(0, 5, (20, 5))
    L[7, 3] = 4999
    X = sparse.csr_matrix(L + 1) if as_sparse else L
    with pytest.raises(
        ValueError,
        match=r"L holds the class code 4999 \(row 7, column 3\), but only 6 distinct "
        r"codes occur \(0, 1, 2, 3, 4, 4999\).*K=5000.*n_classes=5000",
    ):
        make().fit(X)


@pytest.mark.parametrize("make", AGGREGATORS, ids=IDS)
def test_aggregator_stray_gold_code_is_refused(make):
    L = np.random.RandomState(0).randint(0, 3, (20, 4))
    y = np.full(20, -1)
    y[4] = 700
    with pytest.raises(ValueError, match=r"y holds the class code 700 in row 4"):
        make().fit(L, y)


@pytest.mark.parametrize("make", AGGREGATORS, ids=IDS)
def test_aggregator_a_few_unused_codes_are_fine(make):
    L = np.random.RandomState(0).randint(0, 3, (30, 4))
    L[0, 0] = 9  # codes 3..8 unused: a small gap, not a stray code
    model = make().fit(L)
    assert model.n_classes_ == 10
    assert model.predict_proba(L).shape == (30, 10)


# ---------------------------------------------------------------------------
# Sparse crowds
# ---------------------------------------------------------------------------


def test_weighted_majority_vote_sparse_crowd_converges_and_beats_majority_vote():
    L, y = _sparse_crowd(4000, seed=0)
    assert L.nnz / np.prod(L.shape) < 0.01  # 766 workers, about 5 answers per item
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ConvergenceWarning
        wmv = WeightedMajorityVote().fit(L)
    assert wmv.n_iter_ < wmv.max_iter
    mv = MajorityVote(random_state=0).fit(L).predict(L)
    voted = mv >= 0
    acc_wmv = np.mean(wmv.predict(L)[voted] == y[voted])
    acc_mv = np.mean(mv[voted] == y[voted])
    assert acc_wmv > acc_mv + 0.03


def test_weighted_majority_vote_more_rounds_do_not_lose_accuracy():
    L, y = _sparse_crowd(4000, seed=1)
    acc = []
    for max_iter in (1, 3, 100):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pred = WeightedMajorityVote(max_iter=max_iter).fit(L).predict(L)
        acc.append(np.mean(pred == y))
    assert acc[-1] >= acc[0] - 0.005


def test_weighted_majority_vote_no_shared_item_is_majority_vote():
    L = np.array([[0, -1, -1], [-1, 1, -1], [-1, -1, 2]])
    model = WeightedMajorityVote().fit(L)
    np.testing.assert_array_equal(model.weights_, 1.0)
    np.testing.assert_array_equal(model.predict(L), [0, 1, 2])


# ---------------------------------------------------------------------------
# DawidSkene: warnings for a fit that is likely wrong, fast kernels
# ---------------------------------------------------------------------------


def test_dawid_skene_warns_on_single_votes():
    y = np.random.RandomState(0).choice(3, 2000, p=[0.5, 0.25, 0.25])
    L = make_weak_labels(y, n_lfs=8, coverage=0.05, accuracy=0.6, random_state=0)
    with pytest.warns(UserWarning, match=r"two or more votes.*gold labels"):
        DawidSkene().fit(L)
    gold = np.full(y.size, -1)
    gold[:100] = y[:100]
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        DawidSkene().fit(L, gold)  # gold labels anchor the classes


def test_dawid_skene_warns_when_sources_come_out_worse_than_chance():
    y = np.arange(600) % 3
    L = make_crowd_labels(
        y,
        n_sources=5,
        accuracy=[0.9, 0.8, 0.7, 0.6, 0.5],
        labels_per_item=4,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        model = DawidSkene().fit(L)  # a sound fit: no warning
    # The same model with its classes swapped, as EM can leave it.
    model.confusion_matrices_ = model.confusion_matrices_[:, [1, 2, 0], :]
    with pytest.warns(UserWarning, match=r"worse than chance.*swapped classes"):
        _warn_unreliable(model, Votes.from_dense(L))


def test_softmax_rows_and_argmax_rows_match_numpy():
    rng = np.random.RandomState(0)
    x = rng.randn(500, 4) * 5
    x[3] = -np.inf
    x[3, 1] = 0.0
    x[7] = x[7, 0]  # ties: the first maximum wins
    proba, log_norm = softmax_rows(x)
    top = x.max(axis=1, keepdims=True)
    expected = np.exp(x - top) / np.exp(x - top).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(proba, expected, rtol=1e-12)
    np.testing.assert_allclose(
        log_norm, np.log(np.exp(x - top).sum(axis=1)) + top[:, 0], rtol=1e-12
    )
    np.testing.assert_array_equal(argmax_rows(proba), expected.argmax(axis=1))
    np.testing.assert_array_equal(argmax_rows(x), x.argmax(axis=1))


@pytest.mark.parametrize("make", AGGREGATORS[:5], ids=IDS[:5])
def test_aggregator_mostly_empty_dense_matrix_same_as_sparse(make):
    # Less than a third filled: the dense matrix is split into vote triples.
    S, _ = _sparse_crowd(500, n_workers=60, votes_per_item=4, seed=2)
    L = S.toarray() - 1
    assert np.mean(L >= 0) < 1 / 3
    dense, from_sparse = make().fit(L), make().fit(S)
    np.testing.assert_allclose(dense.predict_proba(L), from_sparse.predict_proba(S))
    np.testing.assert_array_equal(dense.predict(L), from_sparse.predict(S))


def test_weighted_majority_vote_converges_on_a_matrix_without_signal():
    # Barely any agreement: plain rounds contract slowly (about 260 rounds).
    L = [[0, 1, -1], [1, 1, 0], [-1, 0, 0], [2, 2, 1]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = WeightedMajorityVote().fit(L)
    assert model.n_iter_ < 60
    np.testing.assert_allclose(
        model.accuracies_,
        1 / (1 + 2 * np.exp(-model.weights_)),  # the one-coin weight, inverted
    )


def test_squarem_reaches_the_fixed_point_of_a_slow_contraction():
    rng = np.random.RandomState(0)
    Q = np.linalg.qr(rng.randn(5, 5))[0]
    A = Q @ np.diag([0.97, 0.9, 0.5, -0.3, 0.1]) @ Q.T
    b = rng.randn(5)
    fixed = np.linalg.solve(np.eye(5) - A, b)
    state, n_iter, change = _squarem(
        lambda x: A @ x + b, np.zeros(5), 0, max_iter=1000, tol=1e-10
    )
    assert change <= 1e-10
    np.testing.assert_allclose(state, fixed, atol=1e-8)
    assert n_iter < 100  # plain iteration: about 900 steps (0.97 ** 900 ~ 1e-12)


def _shuffled_long_table(seed, n_items=60, n_sources=9, n_rows=300, string_ids=True):
    """A long table in random row order, with missing labels and no pair twice."""
    rng = np.random.RandomState(seed)
    cells = rng.choice(n_items * n_sources, size=n_rows, replace=False)
    items, sources = np.divmod(cells, n_sources)
    labels = rng.choice(["cat", "dog", "eel", None], size=n_rows)
    if string_ids:
        items = np.array([f"item{i}" for i in items], dtype=object)
        sources = np.array([f"s{s}" for s in sources], dtype=object)
    return pd.DataFrame({"item": items, "source": sources, "label": labels})


def _assert_canonical_csr(S):
    # scipy's own check, on a fresh matrix that has not been told
    fresh = sparse.csr_matrix((S.data, S.indices, S.indptr), shape=S.shape)
    assert fresh.has_canonical_format and S.has_canonical_format
    assert np.all(S.data > 0)  # no stored zero
    assert S.indices.dtype == S.indptr.dtype == np.int32


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("string_ids", [True, False])
def test_to_label_matrix_sparse_output_same_as_dense_any_row_order(seed, string_ids):
    """Rows in any order, missing labels, items and sources given with extras
    (empty rows and columns): the sparse matrix is the dense one, canonical."""
    data = _shuffled_long_table(seed, string_ids=string_ids)
    extra = ["none", "zero"] if string_ids else [-5, 10**6]
    items = pd.unique(data["item"])
    sources = pd.unique(data["source"])
    for kwargs in (
        {},
        {"items": np.r_[items, extra][::-1]},
        {"sources": np.r_[extra[:1], sources]},
        {"classes": ["eel", "dog", "cat", "ant"]},
    ):
        dense, items, sources, classes = to_label_matrix(data, **kwargs)
        S, items_s, sources_s, classes_s = to_label_matrix(
            data, sparse_output=True, **kwargs
        )
        np.testing.assert_array_equal(S.toarray() - 1, dense)
        for a, b in ((items_s, items), (sources_s, sources), (classes_s, classes)):
            np.testing.assert_array_equal(a, b)
        _assert_canonical_csr(S)


@pytest.mark.parametrize("key_bits", ["int32", "int64", "too many"])
def test_to_label_matrix_sparse_output_every_key_width(key_bits, monkeypatch):
    """The (item, source, code) key in an int32, an int64 (4 million items by
    1000 sources do not fit in 31 bits) and, past the key's width, a lexsort:
    the same matrix, and duplicated pairs refused, in each."""
    from sklabels.aggregation import _matrix

    data = _shuffled_long_table(3, string_ids=False)
    dense, *_ = to_label_matrix(data)
    kwargs = {}
    if key_bits == "int64":
        kwargs = {
            "items": np.r_[pd.unique(data["item"]), np.arange(1000, 4_001_000)],
            "sources": np.r_[pd.unique(data["source"]), np.arange(100, 1100)],
        }
    if key_bits == "too many":
        monkeypatch.setattr(_matrix, "_MAX_KEY_BITS", 4)
    S, *_ = to_label_matrix(data, sparse_output=True, **kwargs)
    n_items, n_sources = dense.shape
    np.testing.assert_array_equal(S[:n_items, :n_sources].toarray() - 1, dense)
    assert S.nnz == np.count_nonzero(dense >= 0)
    _assert_canonical_csr(S)
    twice = pd.concat([data, data.iloc[[7]]], ignore_index=True)
    pair = (twice["item"].iloc[7], twice["source"].iloc[7])
    with pytest.raises(
        ValueError, match=rf"Source {pair[1]} labeled item {pair[0]} more than once"
    ):
        to_label_matrix(twice, sparse_output=True, **kwargs)
    for keep in ("first", "last"):
        np.testing.assert_array_equal(
            to_label_matrix(twice, sparse_output=True, duplicates=keep, **kwargs)[0][
                :n_items, :n_sources
            ].toarray(),
            to_label_matrix(twice, duplicates=keep)[0] + 1,
        )


@pytest.mark.parametrize("storage", ["pyarrow", "arrow_dtype", "python", "category"])
def test_to_label_matrix_string_column_storage_same_matrix_and_ids(storage):
    """String ids and labels held by pyarrow (pandas' str dtype or an
    ArrowDtype), by Python or as categoricals give the matrix and the ids of
    the object columns, in the same order of appearance."""
    data = _shuffled_long_table(4)
    if storage in ("pyarrow", "arrow_dtype"):
        pa = pytest.importorskip("pyarrow")
        arrow = pd.ArrowDtype(pa.string())
        dtype = pd.StringDtype("pyarrow") if storage == "pyarrow" else arrow
    else:
        dtype = pd.StringDtype("python") if storage == "python" else "category"
    converted = data.astype(dtype)
    for sparse_output in (False, True):
        L, items, sources, classes = to_label_matrix(data, sparse_output=sparse_output)
        L2, items2, sources2, classes2 = to_label_matrix(
            converted, sparse_output=sparse_output
        )
        if sparse_output:
            L, L2 = L.toarray(), L2.toarray()
        np.testing.assert_array_equal(L2, L)
        for a, b in ((items2, items), (sources2, sources), (classes2, classes)):
            assert list(a) == list(b)


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("n_classes", [1, 2, 5])
def test_argmax_max_rows_first_maximum_and_row_max(order, n_classes):
    """The first maximum of each row (ties included, integers or floats, in
    either memory order) and the row's largest value."""
    from sklabels.aggregation._matrix import argmax_max_rows

    rng = np.random.RandomState(n_classes)
    for x in (rng.randint(0, 3, (400, n_classes)), rng.randn(400, n_classes)):
        x = np.array(x, dtype=np.float64, order=order)
        x[5] = x[5, 0]  # a full tie
        labels, best = argmax_max_rows(x)
        np.testing.assert_array_equal(labels, x.argmax(axis=1))
        np.testing.assert_array_equal(best, x.max(axis=1))
        assert labels.dtype == np.intp


def test_votes_counts_by_class_same_numbers_column_contiguous():
    S, _ = _sparse_crowd(300, n_workers=12, votes_per_item=3, seed=4)
    votes = Votes(S.shape, triples=sparse_votes(S))
    weights = np.random.RandomState(0).rand(S.shape[1])
    for w in (None, weights):
        by_item = votes.counts(4, w)
        by_class = votes.counts(4, w, by_class=True)
        np.testing.assert_array_equal(by_class, by_item)  # bit for bit
        assert by_class.flags.f_contiguous and by_item.flags.c_contiguous


def test_agreement_with_labels_counts_same_as_weighted_sums():
    """The unweighted agreement (one bincount of source and hit) equals the
    weighted sums with unit weights, bit for bit; votes on items without a
    label are not counted, and a source without a counted vote is NaN."""
    from sklabels.aggregation._base import agreement_with_labels

    S, _ = _sparse_crowd(300, n_workers=12, votes_per_item=3, seed=5)
    votes = Votes(S.shape, triples=sparse_votes(S))
    labels = np.random.RandomState(1).randint(-1, 4, S.shape[0])
    labels[votes.items[votes.sources == 4]] = -1  # source 4: no counted vote
    assert np.any(votes.sources == 4) and np.any(labels[votes.items] < 0)
    fast = agreement_with_labels(votes, labels, S.shape[1])
    weighted = agreement_with_labels(
        votes, labels, S.shape[1], weights=np.ones(votes.items.size)
    )
    np.testing.assert_array_equal(fast, weighted)
    assert np.isnan(fast[4]) and np.isfinite(np.delete(fast, 4)).all()


@pytest.mark.parametrize("stored_zero", [False, True])
def test_sparse_votes_items_without_a_vote_from_csr_rows(stored_zero):
    """A CSR matrix tells the items without a vote by its empty rows; a
    stored zero (no label) leaves a row without a vote all the same."""
    L = np.array([[0, 1, -1], [-1, -1, -1], [2, 2, 0], [-1, -1, -1]])
    S = sparse.csr_matrix(L + 1)
    if stored_zero:
        S = sparse.csr_matrix(
            (np.r_[S.data, 0], (np.r_[S.tocoo().row, 3], np.r_[S.tocoo().col, 1])),
            shape=S.shape,
        )
    from sklabels.aggregation._matrix import _check_sparse_votes

    votes = _check_sparse_votes(S)
    np.testing.assert_array_equal(votes.no_vote(), [False, True, False, True])
    assert not votes.no_vote().flags.writeable
    for make in (Wawa, ZeroBasedSkill):  # ties to the smallest code
        np.testing.assert_array_equal(
            make().fit(S).predict(S), make().fit(L).predict(L)
        )


def test_sparse_votes_rows_of_csr_with_empty_first_middle_and_last_rows():
    L = np.array([[-1, -1], [0, 1], [-1, -1], [-1, -1], [1, -1], [-1, -1]])
    rows, cols, values = sparse_votes(sparse.csr_matrix(L + 1))
    np.testing.assert_array_equal(rows, [1, 1, 4])
    np.testing.assert_array_equal(cols, [0, 1, 0])
    np.testing.assert_array_equal(values, [0, 1, 1])
    assert rows.dtype == np.int64


@pytest.mark.parametrize("signs", ["non-negative", "mixed"])
def test_skill_vote_labels_same_with_and_without_fractions(signs):
    """The skill-weighted vote gives the same labels whether or not it also
    computes the vote fractions, and items whose voters all weigh 0 fall
    back to their plain votes, with non-negative or mixed-sign skills."""
    from sklabels.aggregation._skills import _skill_vote

    S, _ = _sparse_crowd(400, n_workers=15, votes_per_item=3, seed=6)
    votes = Votes(S.shape, triples=sparse_votes(S))
    rng = np.random.RandomState(2)
    skills = rng.rand(S.shape[1]) if signs == "non-negative" else rng.randn(15)
    skills[[0, 3]] = 0.0
    skills[5] = np.nan  # no skill: weight 0
    labels, _ = _skill_vote(votes, skills, 4, proba=False)
    labels_with, fractions = _skill_vote(votes, skills, 4)
    np.testing.assert_array_equal(labels, labels_with)
    dense = S.toarray() - 1
    weights = np.nan_to_num(skills)
    scores = np.zeros((S.shape[0], 4))
    plain = np.zeros((S.shape[0], 4))
    for k in range(4):
        scores[:, k] = ((dense == k) * weights).sum(axis=1)
        plain[:, k] = (dense == k).sum(axis=1)
    empty = scores.sum(axis=1) <= 0
    assert empty.any()
    scores[empty] = plain[empty]
    np.testing.assert_array_equal(labels, scores.argmax(axis=1))
    np.testing.assert_allclose(fractions.sum(axis=1), 1.0)
