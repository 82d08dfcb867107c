"""to_label_matrix and the validation of label matrices and gold labels."""

from functools import partial

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sklabels.aggregation import (
    GLAD,
    MACE,
    DawidSkene,
    LabelModel,
    MajorityVote,
    WeightedMajorityVote,
    to_label_matrix,
)

AGGREGATORS = [
    MajorityVote,
    WeightedMajorityVote,
    DawidSkene,
    GLAD,
    MACE,
    LabelModel,
]


def _long(n_items=40, n_sources=6, random_state=0):
    rng = np.random.RandomState(random_state)
    rows = [
        (f"item{i}", ("src", s), ["cat", "dog", "fox"][rng.randint(3)])
        for i in range(n_items)
        for s in rng.choice(n_sources, size=3, replace=False)
    ]
    return pd.DataFrame(rows, columns=["item", "source", "label"])


# ---------------------------------------------------------------------------
# to_label_matrix
# ---------------------------------------------------------------------------


def test_to_label_matrix_round_trip_any_hashable_ids():
    data = _long()
    L, items, sources, classes = to_label_matrix(data)
    assert L.shape == (items.size, sources.size) and L.dtype == np.int64
    assert list(classes) == ["cat", "dog", "fox"]
    assert sources[0] == ("src", data.source.iloc[0][1])  # tuples are ids too
    # Every annotation is in the matrix, and nothing else is.
    assert (L >= 0).sum() == len(data)
    item_pos = {v: i for i, v in enumerate(items)}
    source_pos = {v: i for i, v in enumerate(sources)}
    for row in data.itertuples():
        assert classes[L[item_pos[row.item], source_pos[row.source]]] == row.label


def test_to_label_matrix_orders_items_by_appearance_and_classes_sorted():
    data = pd.DataFrame(
        {"item": [3, 1, 3], "source": ["b", "a", "a"], "label": [2.0, 10.0, 2.0]}
    )
    L, items, sources, classes = to_label_matrix(data)
    np.testing.assert_array_equal(items, [3, 1])
    np.testing.assert_array_equal(sources, ["b", "a"])
    np.testing.assert_array_equal(classes, [2.0, 10.0])
    np.testing.assert_array_equal(L, [[0, 0], [-1, 1]])


def test_to_label_matrix_custom_column_names():
    data = pd.DataFrame({"task": ["t1", "t2"], "worker": ["w", "w"], "y": [1, 0]})
    L, _, _, classes = to_label_matrix(data, item="task", source="worker", label="y")
    np.testing.assert_array_equal(L, [[1], [0]])
    np.testing.assert_array_equal(classes, [0, 1])


def test_to_label_matrix_fixed_classes_items_and_sources():
    data = pd.DataFrame(
        {"item": ["a", "b"], "source": ["s1", "s2"], "label": ["neg", "pos"]}
    )
    L, items, _, classes = to_label_matrix(
        data,
        classes=["pos", "neu", "neg"],
        items=["z", "b", "a"],
        sources=["s2", "s1", "s3"],
    )
    np.testing.assert_array_equal(classes, ["pos", "neu", "neg"])
    np.testing.assert_array_equal(items, ["z", "b", "a"])
    # The item nobody labeled gets a row of -1, the silent source a column.
    np.testing.assert_array_equal(L, [[-1, -1, -1], [0, -1, -1], [-1, 2, -1]])


def test_to_label_matrix_missing_label_is_no_label():
    data = pd.DataFrame(
        {"item": [1, 1, 2], "source": ["a", "b", "a"], "label": ["x", None, "y"]}
    )
    L, _, _, classes = to_label_matrix(data)
    np.testing.assert_array_equal(classes, ["x", "y"])
    np.testing.assert_array_equal(L, [[0, -1], [1, -1]])


def test_to_label_matrix_duplicates_error_names_the_pair():
    data = pd.DataFrame(
        {"item": [1, 2, 1], "source": ["a", "a", "a"], "label": [0, 1, 1]}
    )
    with pytest.raises(ValueError, match=r"Source 'a' labeled item 1 more than once"):
        to_label_matrix(data)
    first, *_ = to_label_matrix(data, duplicates="first")
    last, *_ = to_label_matrix(data, duplicates="last")
    np.testing.assert_array_equal(first, [[0], [1]])
    np.testing.assert_array_equal(last, [[1], [1]])


@pytest.mark.parametrize(
    "kwargs, data, error, match",
    [
        ({"item": "task"}, None, ValueError, r"item='task' is not a column"),
        ({}, {"item": [None], "source": ["a"], "label": [0]}, ValueError, "missing id"),
        (
            {"classes": ["x"]},
            {"item": [1], "source": ["a"], "label": ["y"]},
            ValueError,
            "label 'y'",
        ),
        (
            {"items": [2]},
            {"item": [1], "source": ["a"], "label": ["y"]},
            ValueError,
            "item 1",
        ),
        (
            {"classes": ["x", "x"]},
            {"item": [1], "source": ["a"], "label": ["x"]},
            ValueError,
            "more than once",
        ),
    ],
)
def test_to_label_matrix_errors(kwargs, data, error, match):
    data = _long() if data is None else pd.DataFrame(data)
    with pytest.raises(error, match=match):
        to_label_matrix(data, **kwargs)


def test_to_label_matrix_refuses_non_dataframe():
    with pytest.raises(TypeError, match="data"):
        to_label_matrix([("a", "b", 1)])


def test_to_label_matrix_is_vectorised_on_a_large_table():
    rng = np.random.RandomState(0)
    n = 200_000
    data = pd.DataFrame(
        {
            "item": rng.randint(0, 50_000, n),
            "source": rng.randint(0, 30, n),
            "label": rng.randint(0, 4, n),
        }
    )
    L, *_ = to_label_matrix(data, duplicates="last")
    assert L.shape == (data.item.nunique(), 30)


# ---------------------------------------------------------------------------
# Validation of L and y, through every aggregator
# ---------------------------------------------------------------------------

L_OK = [[0, 1, -1], [1, 1, 0], [-1, 0, 0], [2, 2, 1]]


@pytest.mark.parametrize("Aggregator", AGGREGATORS)
@pytest.mark.parametrize(
    "L, error, match",
    [
        ([[0, 5], [1, -3]], ValueError, r"holds -3 in row 1, column 1"),
        ([[0, 1.5], [1, 0]], ValueError, r"integer class codes, got 1.5 in row 0"),
        ([[0, np.nan], [1, 0]], ValueError, r"NaN or inf .* -1"),
        ([[0, 1], [1]], ValueError, r"ragged: row 0 has 2 entries but row 1 has 1"),
        ([["a", "b"], ["b", "a"]], ValueError, r"integer class codes .* such as 'a'"),
        (np.array([[True, False]]), TypeError, "boolean"),
        (np.empty((0, 3)), ValueError, r"0 sample\(s\)"),
        (np.empty((3, 0)), ValueError, r"0 feature\(s\)"),
        ([0, 1, 1], ValueError, "2D array"),
    ],
    ids=[
        "below-1",
        "non-integer",
        "nan",
        "ragged",
        "strings",
        "bool",
        "no-items",
        "no-sources",
        "1d",
    ],
)
def test_aggregator_bad_label_matrix(Aggregator, L, error, match):
    with pytest.raises(error, match=match):
        Aggregator().fit(L)


@pytest.mark.parametrize("Aggregator", AGGREGATORS)
def test_aggregator_label_above_n_classes(Aggregator):
    with pytest.raises(
        ValueError, match=r"class code 2 in row 3, column 0 but n_classes=2"
    ):
        Aggregator(n_classes=2).fit(L_OK)
    model = Aggregator().fit(L_OK)
    with pytest.raises(ValueError, match=r"class code 7 .* fitted with n_classes_=3"):
        model.predict([[7, 0, 0]])
    with pytest.raises(ValueError, match="X has 2 features"):
        model.predict([[0, 0]])


@pytest.mark.parametrize("Aggregator", AGGREGATORS)
@pytest.mark.parametrize(
    "y, match",
    [
        ([0, 1, 2], r"y has 3 entries but L has 4 items"),
        ([0, 1, -2, 0], r"y holds -2 in row 2"),
        ([0, 1, 0.5, 0], r"got 0.5 in row 2"),
        (["a", "b", "a", "b"], r"integer class codes"),
    ],
)
def test_aggregator_bad_gold(Aggregator, y, match):
    with pytest.raises(ValueError, match=match):
        Aggregator().fit(L_OK, y)


@pytest.mark.parametrize("Aggregator", AGGREGATORS)
def test_aggregator_gold_above_n_classes(Aggregator):
    with pytest.raises(ValueError, match=r"y holds 3 in row 0; .* 0..2"):
        Aggregator(n_classes=3).fit(L_OK, [3, -1, -1, -1])


@pytest.mark.parametrize("Aggregator", AGGREGATORS)
def test_aggregator_all_abstain_matrix(Aggregator):
    L = np.full((4, 3), -1)
    with pytest.raises(ValueError, match=r"no label at all .* n_classes"):
        Aggregator().fit(L)
    model = Aggregator(n_classes=3).fit(L)
    np.testing.assert_array_equal(model.predict(L), [-1] * 4)
    np.testing.assert_allclose(model.predict_proba(L), np.full((4, 3), 1 / 3))


@pytest.mark.parametrize("Aggregator", AGGREGATORS)
def test_aggregator_number_of_classes(Aggregator):
    # Inferred from L and from the gold labels, at least 2; or fixed.
    assert Aggregator().fit([[0, 0], [0, -1]]).n_classes_ == 2
    assert Aggregator().fit(L_OK).n_classes_ == 3
    assert Aggregator().fit(L_OK, [4, -1, -1, -1]).n_classes_ == 5
    model = Aggregator(n_classes=6).fit(L_OK)
    assert model.predict_proba(L_OK).shape == (4, 6)
    np.testing.assert_array_equal(model.classes_, np.arange(6))


@pytest.mark.parametrize("Aggregator", AGGREGATORS)
def test_aggregator_containers(Aggregator):
    L = np.asarray(L_OK)
    make = partial(Aggregator, random_state=0) if Aggregator is MACE else Aggregator
    expected = make().fit(L).predict_proba(L)
    frame = pd.DataFrame(L, columns=["ann", "bob", "cid"])
    for container in (L.tolist(), L.astype(float), L.astype(np.int32), frame):
        model = make().fit(container)
        np.testing.assert_allclose(model.predict_proba(container), expected)
    assert list(Aggregator().fit(frame).feature_names_in_) == ["ann", "bob", "cid"]


# ---------------------------------------------------------------------------
# vote_patterns (the pattern compression of LabelModel)
# ---------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(
    n_classes=st.integers(1, 5),
    n_cols=st.integers(1, 70),
    n_rows=st.integers(0, 60),
    with_gold=st.booleans(),
    seed=st.integers(0, 2**31 - 1),
)
def test_vote_patterns_agrees_with_numpy(n_classes, n_cols, n_rows, with_gold, seed):
    """The same partition of the rows as np.unique(axis=0), at any width (70
    columns in base 6 overflow int64 and take the re-ranking path)."""
    from sklabels.aggregation._matrix import vote_patterns

    rng = np.random.RandomState(seed)
    base = rng.randint(-1, n_classes, size=(max(n_rows // 3, 1), n_cols + 1))
    A = base[rng.randint(len(base), size=n_rows)]  # with repeated rows
    L, y = (A[:, :-1], A[:, -1]) if with_gold else (A[:, :-1], None)
    first, inverse, counts = vote_patterns(L, n_classes, y)
    full = A if with_gold else L
    assert inverse.shape == (n_rows,)
    np.testing.assert_array_equal(full[first][inverse], full)
    np.testing.assert_array_equal(np.bincount(inverse, minlength=first.size), counts)
    assert counts.sum() == n_rows
    assert first.size == (len(np.unique(full, axis=0)) if n_rows else 0)
    # first[u] is the first row of pattern u
    np.testing.assert_array_equal(np.unique(inverse, return_index=True)[1], first)


def test_vote_patterns_wide_matrix_with_many_distinct_rows():
    """150 columns in base 3 need several re-rankings with thousands of
    codes: the partition stays exact (no int64 overflow)."""
    from sklabels.aggregation._matrix import vote_patterns

    rng = np.random.RandomState(0)
    distinct = rng.randint(-1, 2, size=(3000, 150))
    L = distinct[rng.randint(3000, size=9000)]
    y = rng.randint(-1, 2, size=9000)
    first, inverse, counts = vote_patterns(L, 2, y)
    full = np.column_stack([L, y])
    np.testing.assert_array_equal(full[first][inverse], full)
    assert first.size == len(np.unique(full, axis=0))
    assert counts.sum() == 9000


@pytest.mark.parametrize("sort", [True, False])
@pytest.mark.parametrize("dtype", [np.int64, np.int16, np.uint16])
def test_small_integer_columns_code_as_pandas_factorize(sort, dtype):
    from sklabels.aggregation._matrix import _factorize_small_ints

    rng = np.random.default_rng(0)
    for n in (1, 7, 500):
        values = pd.Series(rng.integers(0, 3 * n + 5, n).astype(dtype))
        codes, uniques = _factorize_small_ints(values, sort=sort)
        expected_codes, expected_uniques = pd.factorize(values, sort=sort)
        np.testing.assert_array_equal(codes, expected_codes)
        np.testing.assert_array_equal(uniques, np.asarray(expected_uniques))
        assert uniques.dtype == np.asarray(expected_uniques).dtype
    # negative or widely spread values out of order are left to pandas
    assert _factorize_small_ints(pd.Series([2, -1]), sort=sort) is None
    assert _factorize_small_ints(pd.Series([10**9, 0]), sort=sort) is None


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint16])
def test_small_integer_columns_non_decreasing_code_as_pandas_factorize(dtype):
    """Ids sorted in the table (rows grouped by item), of any size or sign,
    are coded by counting the changes of id, as pandas.factorize codes them."""
    from sklabels.aggregation._matrix import _factorize_small_ints

    rng = np.random.default_rng(1)
    signed = np.dtype(dtype).kind == "i"
    for n in (1, 2, 9, 700):
        for spread in (5, min(10**6, np.iinfo(dtype).max)):
            low = -spread if signed else 0
            values = pd.Series(np.sort(rng.integers(low, spread, n)).astype(dtype))
            codes, uniques = _factorize_small_ints(values, sort=False)
            expected_codes, expected_uniques = pd.factorize(values, sort=False)
            np.testing.assert_array_equal(codes, expected_codes)
            np.testing.assert_array_equal(uniques, np.asarray(expected_uniques))
            assert uniques.dtype == np.asarray(expected_uniques).dtype


def test_to_label_matrix_nullable_integer_columns_with_missing_values():
    """A nullable integer id column with a missing id is refused with the
    missing-id message, and a missing label in a nullable integer label
    column is "no label" (both failed on the integer fast path before)."""
    data = pd.DataFrame(
        {
            "item": pd.Series([1, 3, 2], dtype="Int64"),
            "source": [1, 2, 3],
            "label": pd.Series([1, 0, None], dtype="Int64"),
        }
    )
    L, items, _, classes = to_label_matrix(data)
    np.testing.assert_array_equal(L, [[1, -1, -1], [-1, 0, -1], [-1, -1, -1]])
    assert items.tolist() == [1, 3, 2] and classes.tolist() == [0, 1]
    S = to_label_matrix(data, sparse_output=True)[0]
    np.testing.assert_array_equal(S.toarray() - 1, L)
    data.loc[1, "item"] = None
    with pytest.raises(ValueError, match=r"item column holds a missing id .* row 1"):
        to_label_matrix(data)


def test_to_label_matrix_integer_ids_keep_order_of_appearance():
    data = pd.DataFrame(
        {"item": [7, 3, 7, 0], "source": [2, 2, 5, 5], "label": [4, 1, 4, 1]}
    )
    L, items, sources, classes = to_label_matrix(data)
    assert items.tolist() == [7, 3, 0]
    assert sources.tolist() == [2, 5]
    assert classes.tolist() == [1, 4]
    np.testing.assert_array_equal(L, [[1, 1], [0, -1], [-1, 0]])
