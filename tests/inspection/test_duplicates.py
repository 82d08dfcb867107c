"""Tests of find_duplicates, train_test_overlap and ConflictingLabelFilter.

Expected results come from brute force written here (Python dictionaries of
row tuples for exact duplicates, scipy's ``cdist`` for distances) rather
than from the code under test.
"""

import itertools

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.pipeline import make_pipeline
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import cdist
from sklearn.datasets import load_iris, load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from sklabels.inspection import (
    ConflictingLabelFilter,
    find_duplicates,
    train_test_overlap,
)
from sklabels.inspection._hashing import row_codes

# --------------------------------------------------------------------------
# Brute-force references
# --------------------------------------------------------------------------


def _key(value):
    """A hashable stand-in for a cell value in which missing values are equal."""
    return ("<missing>",) if pd.isna(value) else (type(value) is str, value)


def _exact_groups(rows):
    """Group numbers (first appearance, -1 for singletons) of equal rows."""
    keys = [tuple(_key(v) for v in row) for row in rows]
    members = {}
    for i, key in enumerate(keys):
        members.setdefault(key, []).append(i)
    group = np.full(len(keys), -1)
    number = 0
    for i, key in enumerate(keys):
        if len(members[key]) > 1 and group[i] < 0:
            group[members[key]] = number
            number += 1
    return group


def _near_groups(X, threshold, metric="euclidean"):
    """Groups and nearest distances within ``threshold``, by all pairs."""
    distances = cdist(X, X, metric={"manhattan": "cityblock"}.get(metric, metric))
    np.fill_diagonal(distances, np.inf)
    linked = distances <= threshold
    _, component = connected_components(sp.csr_matrix(linked), directed=False)
    group = np.full(len(X), -1)
    number = {}
    for i, c in enumerate(component):
        if linked[i].any() or (component == c).sum() > 1:
            group[i] = number.setdefault(c, len(number))
    nearest = np.where(linked.any(axis=1), distances.min(axis=1), np.nan)
    return group, nearest


def _mixed_frame(rng, n):
    """Mixed columns with NaN / None and planted exact copies."""
    frame = pd.DataFrame(
        {
            "count": rng.integers(0, 3, n),
            "score": rng.choice([0.5, 1.5, np.nan], n),
            "city": rng.choice(np.array(["Oslo", "Rome", None], dtype=object), n),
            "kind": pd.Categorical(rng.choice(["a", "b"], n)),
        }
    )
    copies = rng.choice(n, size=n // 4, replace=False)
    return pd.concat([frame, frame.iloc[copies]], ignore_index=True)


# --------------------------------------------------------------------------
# find_duplicates: exact duplicates
# --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_find_duplicates_exact_groups_match_brute_force_on_mixed_frame(seed):
    X = _mixed_frame(np.random.default_rng(seed), 60)
    result = find_duplicates(X)
    expected = _exact_groups(X.itertuples(index=False))
    np.testing.assert_array_equal(result["duplicate_group"], expected)
    np.testing.assert_array_equal(
        result["nearest_distance"], np.where(expected >= 0, 0.0, np.nan)
    )
    assert list(result.columns) == ["duplicate_group", "nearest_distance"]


def test_find_duplicates_nan_equals_nan():
    X = np.array([[np.nan, 1.0], [np.nan, 1.0], [np.nan, 2.0], [0.0, 1.0]])
    result = find_duplicates(X)
    assert result["duplicate_group"].tolist() == [0, 0, -1, -1]


def test_find_duplicates_missing_values_of_any_kind_are_equal():
    X = pd.DataFrame({"city": ["Oslo", None, np.nan, pd.NA], "n": [1, 2, 2, 2]})
    assert find_duplicates(X)["duplicate_group"].tolist() == [-1, 0, 0, 0]


def test_find_duplicates_exact_on_large_integers_that_floats_merge():
    big = 2**53
    X = np.array([[big, 0], [big + 1, 0], [big, 0]], dtype=np.int64)
    assert float(big) == float(big + 1)  # a float hash would merge them
    assert find_duplicates(X)["duplicate_group"].tolist() == [0, -1, 0]


def test_find_duplicates_number_and_string_are_different_values():
    X = np.array([[1, "x"], ["1", "x"], [1, "x"]], dtype=object)
    assert find_duplicates(X)["duplicate_group"].tolist() == [0, -1, 0]


def test_find_duplicates_categorical_equals_its_values():
    values = ["a", "b", "a", "c"]
    as_strings = find_duplicates(pd.DataFrame({"v": values, "w": 1}))
    as_categories = find_duplicates(
        pd.DataFrame({"v": pd.Categorical(values, categories=["c", "b", "a"]), "w": 1})
    )
    pd.testing.assert_frame_equal(as_strings, as_categories)


def test_find_duplicates_sparse_exact_equals_dense():
    rng = np.random.default_rng(0)
    dense = rng.choice([0.0, 0.0, 0.0, 1.0, 2.5, np.nan], size=(80, 12))
    dense = np.vstack([dense, dense[rng.choice(80, 20)]])
    # unsorted indices, a duplicate entry and a stored zero in the CSR input
    coo = sp.coo_matrix(dense)
    order = rng.permutation(coo.nnz)
    rows = np.r_[coo.row[order], 3, 5]
    cols = np.r_[coo.col[order], 0, 11]
    data = np.r_[coo.data[order], 0.0, 0.0]
    X = sp.csr_matrix((data, (rows, cols)), shape=dense.shape)
    expected = _exact_groups(dense)
    np.testing.assert_array_equal(find_duplicates(X)["duplicate_group"], expected)
    np.testing.assert_array_equal(find_duplicates(dense)["duplicate_group"], expected)


def test_find_duplicates_sparse_rows_with_same_entries_in_other_columns_differ():
    X = sp.csr_matrix(np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 2.0], [1.0, 0.0, 2.0]]))
    assert find_duplicates(X)["duplicate_group"].tolist() == [0, -1, 0]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from([0.0, 1.0, -0.0, np.nan]), min_size=3, max_size=3),
        min_size=1,
        max_size=25,
    )
)
def test_row_codes_are_equal_exactly_for_equal_rows(rows):
    X = np.array(rows)
    codes = row_codes(X)
    same = codes[:, None] == codes[None, :]
    equal = (X[:, None] == X[None, :]) | (np.isnan(X[:, None]) & np.isnan(X[None, :]))
    np.testing.assert_array_equal(same, equal.all(axis=2))
    np.testing.assert_array_equal(row_codes(sp.csr_matrix(X)), codes)


# --------------------------------------------------------------------------
# find_duplicates: near duplicates
# --------------------------------------------------------------------------


def _planted_near(seed, n=120, n_copies=30, noise=0.02):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 5))
    copies = X[rng.choice(n, n_copies)] + rng.uniform(-noise, noise, (n_copies, 5))
    exact = X[rng.choice(n, 5)]
    return np.vstack([X, copies, exact])


@pytest.mark.parametrize("metric", ["euclidean", "manhattan", "chebyshev", "cosine"])
@pytest.mark.parametrize("seed", range(2))
def test_find_duplicates_near_groups_match_brute_force(seed, metric):
    X = _planted_near(seed)
    threshold = 0.01 if metric == "cosine" else 0.3
    result = find_duplicates(X, threshold=threshold, metric=metric)
    group, nearest = _near_groups(X, threshold, metric)
    np.testing.assert_array_equal(result["duplicate_group"], group)
    np.testing.assert_allclose(result["nearest_distance"], nearest, atol=1e-12)


@pytest.mark.parametrize("metric", ["euclidean", "cosine", "manhattan"])
def test_find_duplicates_sparse_near_equals_dense(metric):
    X = _planted_near(1)
    X[np.abs(X) < 0.8] = 0.0
    threshold = 0.01 if metric == "cosine" else 0.3
    dense = find_duplicates(X, threshold=threshold, metric=metric)
    sparse = find_duplicates(sp.csr_matrix(X), threshold=threshold, metric=metric)
    pd.testing.assert_frame_equal(dense, sparse, atol=1e-12)


def test_find_duplicates_chain_of_near_rows_is_one_group():
    X = np.array([[0.0], [0.15], [0.3], [0.45], [2.0]])
    result = find_duplicates(X, threshold=0.2)
    assert result["duplicate_group"].tolist() == [0, 0, 0, 0, -1]
    assert abs(X[3, 0] - X[0, 0]) > 0.2  # the ends are not within threshold


def test_find_duplicates_threshold_is_inclusive():
    X = np.array([[0.0], [0.5], [3.0]])
    assert find_duplicates(X, threshold=0.5)["duplicate_group"].tolist() == [0, 0, -1]


def test_find_duplicates_exact_copies_have_distance_zero_with_any_metric():
    # cosine gives a zero row distance 1 from itself; identical rows are
    # exact duplicates whatever the metric
    X = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 2.0], [5.0, 1.0]])
    result = find_duplicates(X, threshold=1e-3, metric="cosine")
    assert result["duplicate_group"].tolist() == [0, 0, -1, -1]
    assert result["nearest_distance"].iloc[:2].tolist() == [0.0, 0.0]


def test_find_duplicates_near_on_numeric_frame_and_callable_metric():
    X = pd.DataFrame({"a": [0, 1, 0], "b": [0.0, 1.0, 0.1], "c": [True, False, True]})
    expected = _near_groups(X.to_numpy(float), 0.2)[0]
    result = find_duplicates(X, threshold=0.2)
    np.testing.assert_array_equal(result["duplicate_group"], expected)

    def l1(u, v):
        return float(np.abs(u - v).sum())

    result = find_duplicates(X, threshold=0.2, metric=l1)
    np.testing.assert_array_equal(result["duplicate_group"], expected)


def test_find_duplicates_n_jobs_gives_the_same_result():
    X = _planted_near(0)
    pd.testing.assert_frame_equal(
        find_duplicates(X, threshold=0.3), find_duplicates(X, threshold=0.3, n_jobs=2)
    )


# --------------------------------------------------------------------------
# find_duplicates: labels and index
# --------------------------------------------------------------------------


def test_find_duplicates_conflicting_label_when_group_holds_two_labels():
    X = np.array([[0, 1], [0, 1], [2, 2], [2, 2], [3, 3], [0, 1]])
    y = ["a", "b", "a", "a", "b", "a"]
    result = find_duplicates(X, y)
    assert result["conflicting_label"].tolist() == [
        True,
        True,
        False,
        False,
        False,
        True,
    ]


def test_find_duplicates_conflicting_label_matches_brute_force():
    X = _mixed_frame(np.random.default_rng(3), 80)
    y = np.random.default_rng(4).choice(["x", "y"], X.shape[0])
    result = find_duplicates(X, y)
    group = _exact_groups(X.itertuples(index=False))
    expected = [g >= 0 and len(set(y[group == g])) > 1 for g in group]
    assert result["conflicting_label"].tolist() == expected


def test_find_duplicates_indexed_like_frame_or_series():
    X = pd.DataFrame({"a": [1, 1, 2]}, index=["p", "q", "r"])
    assert find_duplicates(X).index.tolist() == ["p", "q", "r"]
    y = pd.Series([0, 1, 0], index=[10, 20, 30])
    assert find_duplicates(np.array([[1], [1], [2]]), y).index.tolist() == [10, 20, 30]
    assert find_duplicates([[1], [1], [2]]).index.equals(pd.RangeIndex(3))


# --------------------------------------------------------------------------
# find_duplicates: bad input
# --------------------------------------------------------------------------


def test_find_duplicates_nan_in_numeric_search_names_columns():
    X = pd.DataFrame({"age": [1.0, np.nan], "height": [1.0, 2.0], "w": [np.nan, 1]})
    with pytest.raises(
        ValueError, match=r"X contains NaN in column\(s\) \['age', 'w'\]"
    ):
        find_duplicates(X, threshold=0.1)
    with pytest.raises(ValueError, match=r"NaN in column\(s\) \[1\]"):
        find_duplicates(np.array([[0.0, np.nan], [1.0, 1.0]]), threshold=0.1)
    sparse = sp.csr_matrix(np.array([[0.0, 0.0, np.nan], [1.0, 0.0, 0.0]]))
    with pytest.raises(ValueError, match=r"NaN in column\(s\) \[2\]"):
        find_duplicates(sparse, threshold=0.1)


def test_find_duplicates_infinity_in_numeric_search_names_columns():
    with pytest.raises(ValueError, match=r"infinity in column\(s\) \[0\]"):
        find_duplicates(np.array([[np.inf, 0.0], [1.0, 1.0]]), threshold=0.1)


def test_find_duplicates_non_numeric_columns_refused_for_search():
    X = pd.DataFrame({"city": ["a", "b"], "n": [1, 2], "k": pd.Categorical(["x", "y"])})
    with pytest.raises(TypeError, match=r"non-numeric column\(s\) \['city', 'k'\]"):
        find_duplicates(X, threshold=0.5)
    with pytest.raises(TypeError, match="not numbers"):
        find_duplicates(np.array([["a", 1], ["b", 2]], dtype=object), threshold=0.5)


def test_find_duplicates_y_of_wrong_length():
    with pytest.raises(ValueError, match="one label per row of X, got 2 labels for 3"):
        find_duplicates([[1], [1], [2]], y=[0, 1])


def test_find_duplicates_missing_labels_refused():
    with pytest.raises(ValueError, match="y contains missing labels"):
        find_duplicates([[1], [1], [2]], y=["a", None, "b"])


def test_find_duplicates_empty_x():
    with pytest.raises(ValueError, match="0 sample"):
        find_duplicates(np.empty((0, 2)))
    with pytest.raises(ValueError, match=r"X is empty \(shape=\(0, 1\)\)"):
        find_duplicates(pd.DataFrame({"a": []}))


@pytest.mark.parametrize(
    "params, match",
    [
        ({"threshold": -0.1}, "'threshold' parameter"),
        ({"metric": "precomputed"}, "'metric' parameter"),
        ({"metric": "nope"}, "'metric' parameter"),
        ({"n_jobs": "two"}, "'n_jobs' parameter"),
    ],
)
def test_find_duplicates_invalid_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        find_duplicates([[1.0], [2.0]], **params)


def test_find_duplicates_sparse_with_unsupported_metric():
    with pytest.raises(ValueError, match="metric='chebyshev' does not support sparse"):
        find_duplicates(sp.csr_matrix(np.eye(3)), threshold=0.1, metric="chebyshev")


# --------------------------------------------------------------------------
# train_test_overlap
# --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(2))
def test_train_test_overlap_exact_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    data = _mixed_frame(rng, 50)
    train, test = data.iloc[:40], data.iloc[40:]
    result = train_test_overlap(train, test)
    train_keys = [tuple(map(_key, r)) for r in train.itertuples(index=False)]
    expected_rows, expected_first, expected_counts = [], [], []
    for label, row in zip(test.index, test.itertuples(index=False), strict=True):
        key = tuple(map(_key, row))
        hits = [i for i, k in enumerate(train_keys) if k == key]
        if hits:
            expected_rows.append(label)
            expected_first.append(train.index[hits[0]])
            expected_counts.append(len(hits))
    assert result.index.tolist() == expected_rows
    assert result["train_index"].tolist() == expected_first
    assert result["n_train_matches"].tolist() == expected_counts
    assert (result["distance"] == 0.0).all()


@pytest.mark.parametrize("seed", range(2))
def test_train_test_overlap_near_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    train = rng.standard_normal((100, 4))
    test = np.vstack(
        [rng.standard_normal((40, 4)), train[:20] + rng.uniform(-0.05, 0.05, (20, 4))]
    )
    result = train_test_overlap(train, test, threshold=0.3)
    distances = cdist(test, train)
    within = distances <= 0.3
    rows = np.flatnonzero(within.any(axis=1))
    assert result.index.tolist() == rows.tolist()
    np.testing.assert_array_equal(result["train_index"], distances[rows].argmin(axis=1))
    np.testing.assert_allclose(result["distance"], distances[rows].min(axis=1))
    np.testing.assert_array_equal(result["n_train_matches"], within[rows].sum(axis=1))


def test_train_test_overlap_nearest_tie_goes_to_first_training_row():
    train = np.array([[1.0], [-1.0], [1.0]])
    test = np.array([[0.0]])
    result = train_test_overlap(train, test, threshold=1.0)
    assert result["train_index"].tolist() == [0]
    assert result["n_train_matches"].tolist() == [3]


def test_train_test_overlap_labels_and_label_differs():
    X_train = pd.DataFrame({"a": [0, 1, 2]}, index=["t0", "t1", "t2"])
    X_test = pd.DataFrame({"a": [2, 5, 0]}, index=["s0", "s1", "s2"])
    result = train_test_overlap(
        X_train, X_test, y_train=["x", "y", "z"], y_test=["z", "x", "y"]
    )
    assert result.index.tolist() == ["s0", "s2"]
    assert result["train_index"].tolist() == ["t2", "t0"]
    assert result["train_label"].tolist() == ["z", "x"]
    assert result["test_label"].tolist() == ["z", "y"]
    assert result["label_differs"].tolist() == [False, True]
    only_train = train_test_overlap(X_train, X_test, y_train=["x", "y", "z"])
    assert "train_label" in only_train and "label_differs" not in only_train


def test_train_test_overlap_matches_columns_by_name():
    X_train = pd.DataFrame({"a": [0, 1], "b": ["u", "v"]})
    X_test = pd.DataFrame({"b": ["v", "u"], "a": [1, 1]})
    assert train_test_overlap(X_train, X_test).index.tolist() == [0]
    with pytest.raises(ValueError, match=r"X_test lacks the column\(s\) \['b'\]"):
        train_test_overlap(X_train, X_test.rename(columns={"b": "c"}))
    with pytest.raises(ValueError, match="X_test has 1 columns but X_train has 2"):
        train_test_overlap(X_train, X_test[["a"]])


def test_train_test_overlap_categories_differing_between_sets():
    X_train = pd.DataFrame({"c": pd.Categorical(["a", "b"])})
    X_test = pd.DataFrame({"c": pd.Categorical(["b", "z"])})
    assert train_test_overlap(X_train, X_test)["train_index"].tolist() == [1]


def test_train_test_overlap_sparse_and_dense_mixed():
    rng = np.random.default_rng(0)
    train = np.where(rng.random((30, 6)) < 0.7, 0.0, rng.standard_normal((30, 6)))
    test = np.vstack([train[[3, 7]], rng.standard_normal((4, 6))])
    for threshold in (0.0, 0.1):
        dense = train_test_overlap(train, test, threshold=threshold)
        mixed = train_test_overlap(sp.csr_matrix(train), test, threshold=threshold)
        pd.testing.assert_frame_equal(dense, mixed)
        assert dense.index.tolist() == [0, 1]


def test_train_test_overlap_none_found_gives_empty_frame():
    result = train_test_overlap([[0, 1]], [[2, 3]], y_train=[0], y_test=[1])
    assert result.empty
    assert list(result.columns) == [
        "train_index",
        "n_train_matches",
        "distance",
        "train_label",
        "test_label",
        "label_differs",
    ]


def test_train_test_overlap_bad_input():
    with pytest.raises(ValueError, match="one label per row of X_test, got 1 labels"):
        train_test_overlap([[0], [1]], [[0], [1]], y_test=[0])
    with pytest.raises(ValueError, match=r"X_test contains NaN in column\(s\) \[0\]"):
        train_test_overlap([[0.0], [1.0]], [[np.nan]], threshold=0.5)
    with pytest.raises(ValueError, match="'threshold' parameter"):
        train_test_overlap([[0]], [[0]], threshold=-1)


# --------------------------------------------------------------------------
# ConflictingLabelFilter
# --------------------------------------------------------------------------


def _conflict_data():
    X = np.array(
        [[0, 1], [0, 1], [0, 1], [5, 5], [7, 7], [7, 7], [8, 8], [8, 8], [9, 9]]
    )
    y = np.array([0, 0, 1, 1, 2, 2, 0, 1, 2])
    return X, y


def test_conflicting_label_filter_remove_drops_every_row_of_conflicting_groups():
    X, y = _conflict_data()
    f = ConflictingLabelFilter()
    X_res, y_res = f.fit_resample(X, y)
    conflicting = find_duplicates(X, y)["conflicting_label"].to_numpy()
    np.testing.assert_array_equal(f.label_issues_, conflicting)
    np.testing.assert_array_equal(f.sample_indices_, np.flatnonzero(~conflicting))
    np.testing.assert_array_equal(X_res, X[~conflicting])
    np.testing.assert_array_equal(y_res, y[~conflicting])
    report = f.label_issues_report_
    assert (report["action"] == "removed").tolist() == conflicting.tolist()
    assert report["new_label"].isna().tolist() == conflicting.tolist()
    assert report["new_label"].dtype == "Int64"


def test_conflicting_label_filter_majority_relabels_and_removes_ties():
    X, y = _conflict_data()
    f = ConflictingLabelFilter(action="majority")
    X_res, y_res = f.fit_resample(X, y)
    report = f.label_issues_report_
    # group of rows 0-2: labels 0, 0, 1 -> 0; rows 6-7: labels 0, 1 -> a tie
    assert report["action"].tolist() == [
        "kept",
        "kept",
        "relabeled",
        "kept",
        "kept",
        "kept",
        "removed",
        "removed",
        "kept",
    ]
    np.testing.assert_array_equal(f.sample_indices_, [0, 1, 2, 3, 4, 5, 8])
    np.testing.assert_array_equal(X_res, X[f.sample_indices_])
    np.testing.assert_array_equal(y_res, [0, 0, 0, 1, 2, 2, 2])
    assert report["given_label"].tolist() == y.tolist()
    assert f.label_issues_.tolist() == [True] * 3 + [False] * 3 + [True] * 2 + [False]


def test_conflicting_label_filter_majority_with_string_labels_of_any_length():
    X = np.array([[0], [0], [0], [1]])
    y = np.array(["cat", "dog", "dog", "hamster"])
    _, y_res = ConflictingLabelFilter(action="majority").fit_resample(X, y)
    assert y_res.tolist() == ["dog", "dog", "dog", "hamster"]


def test_conflicting_label_filter_returns_the_containers_given():
    X = pd.DataFrame({"a": [0, 0, 1, 2], "b": ["u", "u", "v", "w"]}, index=list("pqrs"))
    y = pd.Series(["x", "y", "x", "y"], index=list("pqrs"), name="target")
    X_res, y_res = ConflictingLabelFilter().fit_resample(X, y)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert X_res.index.tolist() == ["r", "s"] and y_res.name == "target"
    f = ConflictingLabelFilter().fit(X, y)
    assert f.label_issues_report_.index.tolist() == list("pqrs")
    X_list, y_list = ConflictingLabelFilter().fit_resample(
        X.to_numpy().tolist(), list(y)
    )
    assert isinstance(X_list, list) and isinstance(y_list, list)


def test_conflicting_label_filter_near_duplicates_with_threshold():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    f = ConflictingLabelFilter(threshold=0.5).fit(X, y)
    expected = find_duplicates(X, y, threshold=0.5)["conflicting_label"].to_numpy()
    assert expected.any()
    np.testing.assert_array_equal(f.label_issues_, expected)
    np.testing.assert_array_equal(
        f.label_issues_report_["nearest_distance"],
        find_duplicates(X, threshold=0.5)["nearest_distance"],
    )


def test_conflicting_label_filter_sparse_input():
    X, y = _conflict_data()
    dense = ConflictingLabelFilter(action="majority").fit(X, y)
    X_res, _ = ConflictingLabelFilter(action="majority").fit_resample(
        sp.csr_matrix(X), y
    )
    assert sp.issparse(X_res) and X_res.format == "csr"
    X_csc, _ = ConflictingLabelFilter().fit_resample(sp.csc_matrix(X), y)
    assert X_csc.format == "csc"
    np.testing.assert_array_equal(X_res.toarray(), X[dense.sample_indices_])


def test_conflicting_label_filter_in_pipeline_trains_on_kept_rows():
    X, y = load_wine(return_X_y=True)
    rng = np.random.default_rng(0)
    copies = rng.choice(len(y), 20, replace=False)
    X_dup = np.vstack([X, X[copies]])
    y_dup = np.r_[y, (y[copies] + 1) % 3]  # each copy with another label
    pipe = make_pipeline(
        ConflictingLabelFilter(), StandardScaler(), LogisticRegression(max_iter=500)
    )
    pipe.fit(X_dup, y_dup)
    f = pipe[0]
    assert f.label_issues_.sum() == 40
    assert pipe[-1].n_features_in_ == X.shape[1]
    assert pipe.predict(X_dup).shape == (len(y_dup),)


def test_conflicting_label_filter_bad_input():
    with pytest.raises(ValueError, match="'action' parameter"):
        ConflictingLabelFilter(action="relabel").fit([[0], [0]], [0, 1])
    with pytest.raises(ValueError, match="only one class"):
        ConflictingLabelFilter().fit([[0], [0]], [1, 1])
    with pytest.raises(ValueError, match=r"NaN in column\(s\) \[0\]"):
        ConflictingLabelFilter(threshold=0.1).fit([[np.nan], [0.0]], [0, 1])
    with pytest.raises(ValueError, match="missing labels"):
        ConflictingLabelFilter().fit([[0], [0], [1]], ["a", None, "b"])


def test_conflicting_label_filter_allows_nan_and_strings_for_exact_only():
    exact = ConflictingLabelFilter().__sklearn_tags__().input_tags
    near = ConflictingLabelFilter(threshold=0.1).__sklearn_tags__().input_tags
    assert exact.allow_nan and exact.string and exact.sparse
    assert not near.allow_nan and not near.string and near.sparse


# --------------------------------------------------------------------------
# The grid search (Euclidean / Manhattan on dense data)
# --------------------------------------------------------------------------


def _tree_graph(X_fit, X_query, threshold, metric):
    from sklearn.neighbors import NearestNeighbors

    nn = NearestNeighbors(radius=threshold, metric=metric, algorithm="brute")
    return nn.fit(X_fit).radius_neighbors_graph(X_query, mode="distance")


def _edges(graph):
    coo = sp.coo_matrix(graph)
    order = np.lexsort((coo.col, coo.row))
    return coo.row[order], coo.col[order], coo.data[order]


@pytest.mark.parametrize("metric", ["euclidean", "manhattan"])
@pytest.mark.parametrize("query", [False, True])
def test_radius_graph_grid_equals_exhaustive_search(metric, query):
    from sklabels.inspection._neighbors import _grid_pairs, radius_graph

    rng = np.random.default_rng(0)
    # clusters of different spreads, more rows than the projection's sample
    centers = rng.standard_normal((30, 8)) * 5
    X = centers[rng.integers(0, 30, 12_000)] + rng.standard_normal((12_000, 8)) * 0.3
    X_query = X[:3000] + rng.uniform(-0.02, 0.02, (3000, 8)) if query else None
    X_fit = X[3000:] if query else X
    p = {"euclidean": 2, "manhattan": 1}[metric]
    assert _grid_pairs(X_fit, X_query, 0.1, p, 10**9) is not None
    ours = _edges(radius_graph(X_fit, X_query, 0.1, metric, None))
    expected = _edges(_tree_graph(X_fit, X_query, 0.1, metric))
    np.testing.assert_array_equal(ours[0], expected[0])
    np.testing.assert_array_equal(ours[1], expected[1])
    np.testing.assert_allclose(ours[2], expected[2], atol=1e-12)


def test_radius_graph_falls_back_to_a_tree_when_the_grid_is_dense():
    from sklabels.inspection._neighbors import _grid_pairs

    rng = np.random.default_rng(1)
    X = rng.uniform(0, 0.1, (2000, 10))  # every pair is a candidate
    assert _grid_pairs(X, None, 0.2, 2, 50 * 2000 + 100_000) is None
    group, nearest = _near_groups(X, 0.2)
    result = find_duplicates(X, threshold=0.2)
    np.testing.assert_array_equal(result["duplicate_group"], group)
    np.testing.assert_allclose(result["nearest_distance"], nearest, atol=1e-12)


def test_radius_graph_grid_far_from_the_origin_and_tiny_threshold():
    X = np.array([[1e6, 1e6], [1e6 + 1e-7, 1e6], [1e6, 1e6 + 3e-7]])
    result = find_duplicates(X, threshold=2e-7)
    group, _ = _near_groups(X, 2e-7)
    np.testing.assert_array_equal(result["duplicate_group"], group)


@pytest.mark.parametrize("n", range(2, 40))
def test_triangle_enumerates_each_pair_once_in_order(n):
    from sklabels.inspection._neighbors import _triangle

    q = np.arange(n * (n - 1) // 2)
    a, b = _triangle(q, np.full(q.size, n))
    expected = [(i, j) for i in range(n) for j in range(i + 1, n)]
    assert list(zip(a.tolist(), b.tolist(), strict=True)) == expected


def _forcing(monkeypatch, choice):
    """Make the radius search pick ``choice``; returns the options offered."""
    from sklabels.inspection import _neighbors

    offered = []

    def fastest(seconds):
        offered.append(sorted(seconds))
        return choice if choice in seconds else min(seconds, key=seconds.get)

    monkeypatch.setattr(_neighbors, "_fastest", fastest)
    return offered


@pytest.mark.parametrize("choice", ["grid", "kd_tree", "brute"])
@pytest.mark.parametrize("query", [False, True])
def test_radius_graph_same_pairs_whichever_search_is_chosen(monkeypatch, choice, query):
    from sklabels.inspection import _neighbors

    offered = _forcing(monkeypatch, choice)
    rng = np.random.default_rng(2)
    # a grid with too many candidates to run without timing the searches
    X = rng.uniform(0, 1, (12_000, 10))
    X[:300] = X[300:600] + rng.uniform(-0.01, 0.01, (300, 10))
    X_query = X[:11_000] + rng.uniform(-0.01, 0.01, (11_000, 10)) if query else None
    ours = _edges(_neighbors.radius_graph(X, X_query, 0.1, "euclidean", None))
    assert offered == [["brute", "grid", "kd_tree"]]
    expected = _edges(_tree_graph(X, X_query, 0.1, "euclidean"))
    assert expected[0].size > 100
    np.testing.assert_array_equal(ours[0], expected[0])
    np.testing.assert_array_equal(ours[1], expected[1])
    np.testing.assert_allclose(ours[2], expected[2], atol=1e-9)


@pytest.mark.parametrize("spread, brute_allowed", [(1.0, True), (1e8, False)])
def test_radius_graph_brute_force_only_where_its_rounding_is_small(
    monkeypatch, spread, brute_allowed
):
    from sklearn.neighbors import NearestNeighbors

    offered = _forcing(monkeypatch, "brute")
    rng = np.random.default_rng(4)
    # a dense cluster at the scale of the threshold, and rows far out
    X = np.vstack(
        [rng.uniform(0, 1e-3, (11_000, 12)), rng.uniform(-1, 1, (1_000, 12)) * spread]
    )
    result = find_duplicates(X, threshold=5e-4)
    assert ("brute" in offered[0]) == brute_allowed
    graph = NearestNeighbors(radius=5e-4, algorithm="kd_tree").fit(X)
    graph = graph.radius_neighbors_graph(X, mode="connectivity")
    component = connected_components(graph, directed=False)[1]
    sizes = np.bincount(component)[component]
    assert ((result["duplicate_group"] >= 0) == (sizes > 1)).all()
    assert (sizes > 1).sum() > 1000


@pytest.mark.parametrize("search", ["grid", "kd_tree", "brute"])
@pytest.mark.parametrize("metric", ["euclidean", "manhattan"])
def test_radius_graph_timed_searches_agree_with_exhaustive_search(
    monkeypatch, search, metric
):
    """On data large enough to be timed, whichever search wins gives the pairs."""
    from sklabels.inspection import _neighbors

    rng = np.random.default_rng(3)
    X = rng.standard_normal((11_000, 12))
    X[:200] = X[200:400] + rng.uniform(-0.02, 0.02, (200, 12))
    chosen = []

    def pick(seconds):
        assert set(seconds) == {"grid", "kd_tree", "brute"}
        assert all(np.isfinite(v) and v >= 0 for v in seconds.values())
        chosen.append(search)
        return search

    monkeypatch.setattr(_neighbors, "_fastest", pick)
    # a radius with many grid candidates, so that the searches are timed
    ours = _edges(_neighbors.radius_graph(X, None, 0.8, metric, None))
    assert chosen == [search]
    expected = _tree_graph(X, None, 0.8, metric)
    expected.setdiag(0)
    expected.eliminate_zeros()
    expected = _edges(expected)
    keep = ours[0] != ours[1]
    np.testing.assert_array_equal(ours[0][keep], expected[0])
    np.testing.assert_array_equal(ours[1][keep], expected[1])
    np.testing.assert_allclose(ours[2][keep], expected[2], atol=1e-12)


def test_grid_measure_ranges_cover_every_candidate_once():
    from sklabels.inspection._neighbors import _Grid

    rng = np.random.default_rng(4)
    X = rng.standard_normal((3000, 5))
    grid = _Grid.plan(X, None, 0.8, 2, 10**9)
    everything = grid.graph([grid.measure(0, grid.n_candidates)])
    # odd range sizes, ranges that split cell pairs, and empty ranges
    bounds = np.r_[0, np.sort(rng.choice(grid.n_candidates, 50, replace=False))]
    bounds = np.r_[bounds, grid.n_candidates, grid.n_candidates + 10]
    parts = [grid.measure(lo, hi) for lo, hi in itertools.pairwise(bounds)]
    assert (grid.graph(parts) != everything).nnz == 0
    assert grid.time_per_candidate() >= 0
    exhaustive = _tree_graph(X, None, 0.8, "euclidean")
    exhaustive.setdiag(0)
    exhaustive.eliminate_zeros()
    assert everything.nnz == exhaustive.nnz


def test_grid_refuses_rows_too_spread_for_exact_cells():
    from sklabels.inspection._neighbors import _Grid

    X = np.array([[0.0, 0.0], [1e-3, 0.0], [1e9, 0.0], [1e9 + 1e-3, 0.0]])
    assert _Grid.plan(X, None, 1e-2, 2, 10**9) is None
    result = find_duplicates(X, threshold=1e-2)
    group, _ = _near_groups(X, 1e-2)
    np.testing.assert_array_equal(result["duplicate_group"], group)
