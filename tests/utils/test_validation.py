import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal
from sklearn.exceptions import DataConversionWarning

from sklabels.utils import check_classes, check_labels


@pytest.mark.parametrize(
    "y, dtype_kind",
    [
        ([1, 2, 3], "i"),
        ([1.5, 2.0], "f"),
        (["a", "b"], "U"),
        (np.array(["a", "b"], dtype=object), "O"),
        (pd.Series(["a", "b"]), "O"),
        (pd.Series([1, 2]), "i"),
        (pd.Series(["a", "b"], dtype="category"), "O"),
        ([True, False], "b"),
    ],
)
def test_check_labels_containers(y, dtype_kind):
    arr, missing = check_labels(y)
    assert arr.dtype.kind == dtype_kind
    assert arr.shape == (len(y),)
    assert not missing.any()


@pytest.mark.parametrize(
    "y, missing_rows",
    [
        (["a", None, "b"], [1]),
        ([np.nan, "a"], [0]),
        ([1.0, np.nan], [1]),
        (pd.Series(["a", None]), [1]),
        (pd.Series(["a", None], dtype="category"), [1]),
        (pd.Series([1, pd.NA], dtype="Int64"), [1]),
    ],
)
def test_check_labels_missing(y, missing_rows):
    with pytest.raises(ValueError, match=r"missing labels \(None/NaN\) in 1 row"):
        check_labels(y)
    arr, missing = check_labels(y, allow_missing=True)
    assert_array_equal(np.flatnonzero(missing), missing_rows)
    assert arr.shape == (len(y),)


@pytest.mark.parametrize(
    "y, error, match",
    [
        ([1, "a"], TypeError, r"one kind.*\['int', 'str'\]"),
        (["a", 1], TypeError, r"one kind.*\['int', 'str'\]"),
        ([b"a", "b"], TypeError, r"one kind.*\['bytes', 'str'\]"),
        ([[1, 2], [3, 4]], ValueError, r"y should be a 1d array.*\(2, 2\)"),
        ([[1, 2], [3]], ValueError, r"y should be a 1d array"),
        ([], ValueError, "y is empty"),
        ("abc", ValueError, "scalar 'abc'"),
        (5, ValueError, "scalar 5"),
        (None, ValueError, "y is None"),
        ([1.0, np.inf], ValueError, "infinity"),
        ([1 + 2j], TypeError, "complex"),
        (pd.DataFrame({"a": [1], "b": [2]}), ValueError, r"DataFrame of shape"),
    ],
)
def test_check_labels_errors(y, error, match):
    with pytest.raises(error, match=match):
        check_labels(y)


def test_check_labels_names_the_argument():
    with pytest.raises(TypeError, match=r"^labels must hold"):
        check_labels([1, "a"], input_name="labels")


def test_check_labels_column_vector_warns_and_ravels():
    with pytest.warns(DataConversionWarning, match="column-vector y"):
        arr, _ = check_labels(np.array([[1], [2]]))
    assert_array_equal(arr, [1, 2])


def test_check_labels_sparse_refused():
    from scipy import sparse

    with pytest.raises(TypeError, match="sparse"):
        check_labels(sparse.csr_matrix(np.ones((3, 1))))


def test_check_labels_empty_allowed_on_request():
    arr, missing = check_labels([], ensure_non_empty=False)
    assert arr.shape == (0,) and missing.shape == (0,)


def test_check_classes():
    assert_array_equal(check_classes([3, 1, 2]), [3, 1, 2])
    with pytest.raises(ValueError, match=r"classes contains duplicates: \[1\]"):
        check_classes([1, 2, 1])
    with pytest.raises(ValueError, match="missing"):
        check_classes(["a", None])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=5), st.none()), min_size=1, max_size=30))
def test_check_labels_keeps_length_and_order(values):
    arr, missing = check_labels(values, allow_missing=True)
    assert arr.shape == (len(values),)
    assert_array_equal(missing, [v is None for v in values])
    kept = [v for v in values if v is not None]
    assert [str(v) for v in arr[~missing]] == kept


@pytest.mark.parametrize(
    "y",
    [
        ["a", -1, "b"],
        np.array(["a", -1, "b"], dtype=object),
        np.array(["a", -1.0, "b"], dtype=object),
        pd.Series(["a", -1, "b"]),
    ],
)
def test_check_labels_minus_one_among_strings_names_the_fix(y):
    with pytest.raises(
        TypeError,
        match=r"a mix of types .*-1 among string labels .*unlabeled row: mark "
        r"unlabeled rows with None or NaN instead",
    ):
        check_labels(y)


def test_check_labels_other_mix_has_no_unlabeled_hint():
    with pytest.raises(TypeError, match=r"mix of types \['int', 'str'\]\.$"):
        check_labels(["a", 2, "b"])


@pytest.mark.parametrize(
    "y, shown",
    [
        (np.array([{1: 2}, {3: 4}], dtype=object), r"'dict' such as \{1: 2\}"),
        (np.array([("a", 1), ("b",)], dtype=object), r"'tuple' such as \('a', 1\)"),
    ],
)
def test_check_labels_one_non_label_type_is_not_called_a_mix(y, shown):
    with pytest.raises(
        TypeError, match=r"strings or numbers, got values of type " + shown
    ):
        check_labels(y)


def test_check_labels_keeps_trailing_nul_characters_apart():
    arr, _ = check_labels(["a", "a\x00", "\x00"])
    assert arr.tolist() == ["a", "a\x00", "\x00"]
    assert len(set(arr.tolist())) == 3
