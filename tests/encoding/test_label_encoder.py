"""Tests for sklabels.encoding.LabelEncoder."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.exceptions import DataConversionWarning, NotFittedError
from sklearn.preprocessing import LabelEncoder as SkLabelEncoder
from sklearn.utils._param_validation import InvalidParameterError

import sklabels.utils._encode as encode_module
from sklabels.encoding import LabelEncoder, OneHotLabelEncoder

# Label vectors of every kind the encoder reads, keyed by a name.
LABELS = {
    "ints": [3, -1, 7, 3, 0, 7, 7],
    "floats": [2.5, -1.0, 0.0, 2.5, 10.25, -1.0],
    "strings": ["paris", "tokyo", "amsterdam", "paris", "Zurich", "tokyo"],
    "bools": [True, False, False, True, True],
}

CONTAINERS = ["list", "ndarray", "object ndarray", "Series", "categorical"]


def _make(values, container):
    if container == "list":
        return list(values)
    if container == "ndarray":
        return np.asarray(values)
    if container == "object ndarray":
        return np.asarray(values, dtype=object)
    if container == "Series":
        return pd.Series(values, index=np.arange(100, 100 + len(values)))
    if container == "categorical":
        return pd.Series(values, dtype="category")
    raise AssertionError(container)


def _values(y):
    """Plain Python values of a label container, for comparisons."""
    return np.asarray(y, dtype=object).tolist()


# --------------------------------------------------------------------------
# Agreement with scikit-learn's LabelEncoder


@pytest.mark.parametrize("container", CONTAINERS)
@pytest.mark.parametrize("kind", sorted(LABELS))
def test_label_encoder_matches_sklearn(kind, container):
    y = _make(LABELS[kind], container)
    ours = LabelEncoder().fit(y)
    theirs = SkLabelEncoder().fit(y)

    assert_array_equal(ours.classes_, theirs.classes_)
    codes = ours.transform(y)
    assert_array_equal(codes, theirs.transform(y))
    assert_array_equal(LabelEncoder().fit_transform(y), theirs.transform(y))
    assert codes.dtype.kind in "iu"
    assert codes.shape == (len(LABELS[kind]),)

    decoded = ours.inverse_transform(codes)
    assert _values(decoded) == _values(theirs.inverse_transform(codes))
    assert _values(decoded) == _values(y)


@pytest.mark.parametrize("container", ["list", "ndarray"])
@pytest.mark.parametrize("kind", ["ints", "floats", "strings", "bools"])
@pytest.mark.parametrize("order", ["sorted", "appearance"])
def test_label_encoder_keeps_sklearn_classes_dtype(kind, container, order):
    # For lists and typed (non-object) arrays the class dtype is scikit-learn's.
    y = _make(LABELS[kind], container)
    ours = LabelEncoder(order=order).fit(y)
    theirs = SkLabelEncoder().fit(y)
    assert ours.classes_.dtype == theirs.classes_.dtype
    assert ours.inverse_transform([0]).dtype == theirs.inverse_transform([0]).dtype
    assert LabelEncoder(order=order).fit_transform(y).dtype.kind in "iu"


def test_label_encoder_matches_sklearn_on_subset_transform():
    y = ["b", "c", "a", "c", "b"]
    ours, theirs = LabelEncoder().fit(y), SkLabelEncoder().fit(y)
    assert_array_equal(
        ours.transform(["c", "c", "a"]), theirs.transform(["c", "c", "a"])
    )
    assert_array_equal(ours.inverse_transform([2, 0]), theirs.inverse_transform([2, 0]))


def test_label_encoder_categorical_ignores_unused_categories_and_category_order():
    y = pd.Series(
        ["b", "a", "c", "a"],
        dtype=pd.CategoricalDtype(["c", "z", "b", "a"], ordered=True),
    )
    enc = LabelEncoder().fit(y)
    theirs = SkLabelEncoder().fit(y)
    # sorted by value, not by category order; the unused "z" is not a class
    assert_array_equal(enc.classes_, ["a", "b", "c"])
    assert_array_equal(enc.classes_, theirs.classes_)
    assert_array_equal(enc.transform(y), [1, 0, 2, 0])
    assert_array_equal(enc.fit_transform(y), [1, 0, 2, 0])


def test_label_encoder_categorical_transform_after_list_fit():
    enc = LabelEncoder().fit(["x", "y", "z"])
    y = pd.Series(["z", "x", "z"], dtype="category")
    assert_array_equal(enc.transform(y), [2, 0, 2])


def test_label_encoder_pandas_index_input():
    y = pd.Index(["b", "a", "b"], name="lab")
    enc = LabelEncoder().set_output(transform="pandas")
    out = enc.fit_transform(y)
    assert_array_equal(enc.classes_, ["a", "b"])
    assert out.tolist() == [1, 0, 1]
    assert out.name == "lab"


@pytest.mark.parametrize("dtype", ["string", "boolean"])
def test_label_encoder_pandas_extension_dtypes(dtype):
    values = ["b", "a", "b"] if dtype == "string" else [True, False, True]
    y = pd.Series(values, dtype=dtype)
    enc = LabelEncoder()
    assert_array_equal(enc.fit_transform(y), [1, 0, 1])
    assert enc.inverse_transform([1, 0]).tolist() == values[:2]
    missing = pd.Series([values[0], pd.NA, values[1]], dtype=dtype)
    with pytest.raises(ValueError, match=r"missing labels.*1: <NA>"):
        LabelEncoder().fit(missing)
    enc = LabelEncoder(handle_missing="use_encoded_value")
    assert_array_equal(enc.fit_transform(missing), [1, -1, 0])


def test_label_encoder_nullable_integer_series():
    y = pd.Series([5, 1, 5, 3], dtype="Int64")
    enc = LabelEncoder().fit(y)
    assert_array_equal(enc.classes_, [1, 3, 5])
    assert_array_equal(enc.transform(y), [2, 0, 2, 1])


def test_label_encoder_object_ints_match_sklearn_values():
    y = np.array([10, 2, 10, 7], dtype=object)
    ours, theirs = LabelEncoder().fit(y), SkLabelEncoder().fit(y)
    assert ours.classes_.tolist() == theirs.classes_.tolist() == [2, 7, 10]
    assert_array_equal(ours.transform(y), theirs.transform(y))


# --------------------------------------------------------------------------
# Class order


def test_label_encoder_order_appearance():
    y = ["c", "a", "c", "b", "a"]
    enc = LabelEncoder(order="appearance").fit(y)
    assert_array_equal(enc.classes_, ["c", "a", "b"])
    assert_array_equal(enc.transform(y), [0, 1, 0, 2, 1])
    assert_array_equal(
        LabelEncoder(order="appearance").fit_transform(y), [0, 1, 0, 2, 1]
    )


def test_label_encoder_order_appearance_categorical():
    y = pd.Series(["c", "a", "c", "b"], dtype=pd.CategoricalDtype(["a", "b", "c", "d"]))
    enc = LabelEncoder(order="appearance")
    assert_array_equal(enc.fit_transform(y), [0, 1, 0, 2])
    assert_array_equal(enc.classes_, ["c", "a", "b"])


def test_label_encoder_order_frequency_ties_broken_by_sorted_value():
    # counts: b=3, c=2, a=2, d=1 -> b first, then a and c (tied, sorted), then d
    y = ["c", "d", "b", "a", "b", "c", "a", "b"]
    enc = LabelEncoder(order="frequency").fit(y)
    assert_array_equal(enc.classes_, ["b", "a", "c", "d"])
    assert_array_equal(enc.transform(["b", "a", "c", "d"]), [0, 1, 2, 3])
    assert_array_equal(
        LabelEncoder(order="frequency").fit_transform(y), enc.transform(y)
    )


def test_label_encoder_order_frequency_independent_of_row_order():
    y = np.array([4, 1, 1, 9, 4, 2, 9, 9])
    rng = np.random.default_rng(0)
    expected = LabelEncoder(order="frequency").fit(y).classes_
    assert_array_equal(expected, [9, 1, 4, 2])
    for _ in range(5):
        shuffled = rng.permutation(y)
        assert_array_equal(
            LabelEncoder(order="frequency").fit(shuffled).classes_, expected
        )


def test_label_encoder_order_frequency_numeric_ties():
    y = [10, 2, 10, 2, 5]
    assert_array_equal(LabelEncoder(order="frequency").fit(y).classes_, [2, 10, 5])


@pytest.mark.parametrize("order", ["sorted", "appearance", "frequency"])
def test_label_encoder_classes_fix_order(order):
    enc = LabelEncoder(classes=["tokyo", "amsterdam", "paris"], order=order)
    y = ["paris", "tokyo", "paris"]
    assert_array_equal(enc.fit_transform(y), [2, 0, 2])
    assert_array_equal(enc.classes_, ["tokyo", "amsterdam", "paris"])
    # a class absent from y keeps its code
    assert_array_equal(enc.transform(["amsterdam"]), [1])
    assert_array_equal(enc.inverse_transform([1, 0]), ["amsterdam", "tokyo"])


def test_label_encoder_classes_with_duplicates_raises():
    with pytest.raises(ValueError, match=r"classes contains duplicates: \['a'\]"):
        LabelEncoder(classes=["a", "b", "a"]).fit(["a", "b"])


@pytest.mark.parametrize(
    "classes, error, message",
    [
        (["a", None], ValueError, r"classes contains missing labels.*1: None"),
        (["a", 1], TypeError, r"classes must hold labels of one kind"),
        ([], ValueError, r"classes is empty"),
        ([["a", "b"]], ValueError, r"classes should be a 1d array.*\(1, 2\)"),
        ("ab", InvalidParameterError, r"'classes' parameter.*Got 'ab'"),
    ],
)
def test_label_encoder_invalid_classes_raise(classes, error, message):
    with pytest.raises(error, match=message):
        LabelEncoder(classes=classes).fit(["a"])


def test_label_encoder_classes_rejects_labels_outside_classes():
    with pytest.raises(ValueError, match=r"labels that are not in classes: \['z'\]"):
        LabelEncoder(classes=["a", "b"]).fit(["a", "z"])


def test_label_encoder_invalid_order_raises():
    with pytest.raises(InvalidParameterError, match=r"'order' parameter.*'random'"):
        LabelEncoder(order="random").fit(["a"])


# --------------------------------------------------------------------------
# Unknown and missing labels


def test_label_encoder_use_encoded_value_for_unknown():
    enc = LabelEncoder(handle_unknown="use_encoded_value", unknown_value=-7)
    enc.fit(["a", "b", "c"])
    codes = enc.transform(["c", "zz", "a", "q"])
    assert_array_equal(codes, [2, -7, 0, -7])
    decoded = enc.inverse_transform(codes)
    assert decoded.tolist() == ["c", None, "a", None]


def test_label_encoder_unknown_value_just_above_classes_allowed():
    enc = LabelEncoder(handle_unknown="use_encoded_value", unknown_value=3)
    enc.fit([1, 2, 3])
    assert_array_equal(enc.transform([4, 1]), [3, 0])
    assert enc.inverse_transform([3, 2]).tolist() == [None, 3]


@pytest.mark.parametrize(
    "params",
    [
        {"handle_unknown": "use_encoded_value"},
        {"handle_missing": "use_encoded_value"},
    ],
)
@pytest.mark.parametrize("unknown_value", [0, 1, 2])
def test_label_encoder_unknown_value_colliding_with_code_raises(params, unknown_value):
    enc = LabelEncoder(unknown_value=unknown_value, **params)
    with pytest.raises(ValueError, match=f"unknown_value={unknown_value}"):
        enc.fit(["a", "b", "c"])
    with pytest.raises(ValueError, match=f"unknown_value={unknown_value}"):
        enc.fit_transform(["a", "b", "c"])


def test_label_encoder_unknown_value_collision_with_classes_param_raises():
    enc = LabelEncoder(classes=["x", "y"], handle_unknown="use_encoded_value")
    enc.set_params(unknown_value=1)
    with pytest.raises(ValueError, match="unknown_value=1"):
        enc.fit(["x"])


def test_label_encoder_unknown_value_ignored_when_policies_are_error():
    # unknown_value only matters under a use_encoded_value policy
    enc = LabelEncoder(unknown_value=0).fit(["a", "b"])
    assert_array_equal(enc.transform(["b"]), [1])


@pytest.mark.parametrize(
    "y",
    [
        ["b", None, "a", "b"],
        ["b", pd.NA, "a", "b"],
        np.array(["b", np.nan, "a", "b"], dtype=object),
        pd.Series(["b", np.nan, "a", "b"]),
        pd.Series(["b", None, "a", "b"], dtype=object),
    ],
)
def test_label_encoder_handle_missing_use_encoded_value(y):
    enc = LabelEncoder(handle_missing="use_encoded_value")
    codes = enc.fit_transform(y)
    assert_array_equal(enc.classes_, ["a", "b"])
    assert_array_equal(codes, [1, -1, 0, 1])
    assert_array_equal(enc.fit(y).transform(y), [1, -1, 0, 1])
    assert enc.inverse_transform(codes).tolist() == ["b", None, "a", "b"]


def test_label_encoder_handle_missing_float_nan():
    enc = LabelEncoder(handle_missing="use_encoded_value", unknown_value=-1)
    y = np.array([1.5, np.nan, 0.5])
    assert_array_equal(enc.fit_transform(y), [1, -1, 0])
    assert_array_equal(enc.classes_, [0.5, 1.5])
    assert enc.inverse_transform([-1, 1]).tolist() == [None, 1.5]


@pytest.mark.parametrize("order", ["sorted", "appearance", "frequency"])
def test_label_encoder_handle_missing_custom_value_every_order(order):
    enc = LabelEncoder(
        handle_missing="use_encoded_value", unknown_value=-5, order=order
    )
    codes = enc.fit_transform(pd.Series(["x", None, "y", "y"]))
    assert codes[1] == -5
    assert set(codes[[0, 2, 3]]) <= {0, 1}
    assert enc.inverse_transform(codes).tolist() == ["x", None, "y", "y"]


def test_label_encoder_handle_missing_categorical():
    y = pd.Series(["a", None, "b"], dtype="category")
    enc = LabelEncoder(handle_missing="use_encoded_value")
    assert_array_equal(enc.fit_transform(y), [0, -1, 1])
    assert_array_equal(enc.transform(y), [0, -1, 1])


def test_label_encoder_handle_missing_does_not_accept_unknown():
    enc = LabelEncoder(handle_missing="use_encoded_value").fit(["a", "b"])
    assert_array_equal(enc.transform([None, "a"]), [-1, 0])
    with pytest.raises(ValueError, match=r"previously unseen labels: \['z'\]"):
        enc.transform([None, "z"])


def test_label_encoder_handle_unknown_does_not_accept_missing():
    enc = LabelEncoder(handle_unknown="use_encoded_value").fit(["a", "b"])
    assert_array_equal(enc.transform(["z", "a"]), [-1, 0])
    with pytest.raises(ValueError, match=r"missing labels.*handle_missing"):
        enc.transform(["a", None])


def test_label_encoder_all_missing_raises():
    enc = LabelEncoder(handle_missing="use_encoded_value")
    with pytest.raises(ValueError, match="only missing labels"):
        enc.fit([None, None])


# --------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    "y, shown",
    [
        (["a", None, "b"], r"1: None"),
        ([1.0, 2.0, np.nan], r"2: .*nan"),
        (pd.Series(["a", "b", None]), r"2: (None|nan)"),
        (pd.Series([1.0, np.nan]), r"1: .*nan"),
        (pd.Series(["a", None], dtype="category"), r"1: (None|nan)"),
    ],
)
@pytest.mark.parametrize("method", ["fit", "fit_transform"])
def test_label_encoder_missing_without_policy_raises(y, shown, method):
    with pytest.raises(ValueError, match=rf"y contains missing labels .*\({shown}\)"):
        getattr(LabelEncoder(), method)(y)


def test_label_encoder_missing_in_transform_raises():
    enc = LabelEncoder().fit(["a", "b"])
    with pytest.raises(ValueError, match=r"y contains missing labels.*1: None"):
        enc.transform(["a", None])


@pytest.mark.parametrize(
    "y",
    [["a", 1], np.array(["a", 1, 2.5], dtype=object), pd.Series(["x", 3])],
)
@pytest.mark.parametrize("method", ["fit", "fit_transform"])
def test_label_encoder_mixed_types_raise_type_error(y, method):
    with pytest.raises(
        TypeError, match=r"y must hold labels of one kind.*'int'.*'str'"
    ):
        getattr(LabelEncoder(), method)(y)


def test_label_encoder_2d_y_raises():
    with pytest.raises(ValueError, match=r"y should be a 1d array.*\(2, 2\)"):
        LabelEncoder().fit([[1, 2], [3, 4]])
    with pytest.raises(ValueError, match=r"y should be a 1d array.*\(3, 2\)"):
        LabelEncoder().fit(pd.DataFrame({"a": [1, 2, 3], "b": [1, 2, 3]}))


def test_label_encoder_column_vector_warns_and_works():
    y = np.array([["b"], ["a"], ["b"]])
    with pytest.warns(DataConversionWarning, match="column-vector y"):
        codes = LabelEncoder().fit_transform(y)
    with pytest.warns(DataConversionWarning):
        expected = SkLabelEncoder().fit_transform(y)
    assert_array_equal(codes, expected)
    enc = LabelEncoder().fit(["a", "b"])
    with pytest.warns(DataConversionWarning):
        assert_array_equal(enc.transform(y), [1, 0, 1])


def test_label_encoder_single_column_dataframe():
    y = pd.DataFrame({"label": ["b", "a", "b"]})
    assert_array_equal(LabelEncoder().fit_transform(y), [1, 0, 1])


@pytest.mark.parametrize("y", [[], np.array([]), pd.Series([], dtype=object)])
@pytest.mark.parametrize("method", ["fit", "fit_transform"])
def test_label_encoder_empty_y_raises(y, method):
    with pytest.raises(ValueError, match="y is empty"):
        getattr(LabelEncoder(), method)(y)


def test_label_encoder_empty_transform_and_inverse_after_fit():
    enc = LabelEncoder().fit(["a", "b"])
    assert enc.transform([]).shape == (0,)
    out = enc.inverse_transform([])
    assert out.shape == (0,)


@pytest.mark.parametrize("y", [None, "abc", 5])
def test_label_encoder_non_array_y_raises(y):
    with pytest.raises(ValueError, match=r"y (is None|should be a 1d array-like)"):
        LabelEncoder().fit(y)


def test_label_encoder_infinite_label_raises():
    with pytest.raises(ValueError, match=r"y contains infinity.*inf"):
        LabelEncoder().fit([1.0, np.inf])


def test_label_encoder_unseen_labels_named_in_message():
    enc = LabelEncoder().fit(["a", "b", "c"])
    with pytest.raises(ValueError, match=r"previously unseen labels: \['d', 'e'\]"):
        enc.transform(["a", "e", "d", "e"])
    # scikit-learn's message starts the same way
    with pytest.raises(ValueError, match="y contains previously unseen labels"):
        SkLabelEncoder().fit(["a", "b", "c"]).transform(["a", "e", "d"])


def test_label_encoder_many_unseen_labels_truncated():
    enc = LabelEncoder().fit([0])
    with pytest.raises(ValueError, match=r"unseen labels: \[1, 2, .*10\] and 5 more"):
        enc.transform(np.arange(1, 16))


def test_label_encoder_unseen_in_categorical_transform():
    enc = LabelEncoder().fit(["a", "b"])
    with pytest.raises(ValueError, match=r"unseen labels: \['q'\]"):
        enc.transform(pd.Series(["a", "q"], dtype="category"))


@pytest.mark.parametrize("codes, shown", [([0, 3], r"\[3\]"), ([-1, 1], r"\[-1\]")])
def test_label_encoder_inverse_out_of_range_raises(codes, shown):
    enc = LabelEncoder().fit(["a", "b", "c"])
    with pytest.raises(
        ValueError, match=rf"unseen labels: {shown}; codes must lie in 0..2"
    ):
        enc.inverse_transform(codes)


def test_label_encoder_inverse_stray_code_with_policy_raises():
    enc = LabelEncoder(handle_unknown="use_encoded_value", unknown_value=-1).fit(["a"])
    with pytest.raises(ValueError, match=r"\[-2, 4\].*or equal unknown_value=-1"):
        enc.inverse_transform([-2, 0, 4, -1])


@pytest.mark.parametrize(
    "codes, shown",
    [
        ([0.5, 1.0], r"float64.*0\.5"),
        (["a"], r"(<U1|object).*'a'"),
        ([0.0, np.nan], "nan"),
    ],
)
def test_label_encoder_inverse_non_integer_codes_raises(codes, shown):
    enc = LabelEncoder().fit(["a", "b"])
    with pytest.raises(ValueError, match=rf"integer codes.*{shown}"):
        enc.inverse_transform(codes)


def test_label_encoder_inverse_accepts_integral_floats():
    enc = LabelEncoder().fit(["a", "b"])
    assert_array_equal(enc.inverse_transform(np.array([1.0, 0.0])), ["b", "a"])


def test_label_encoder_not_fitted_raises():
    with pytest.raises(NotFittedError):
        LabelEncoder().transform(["a"])
    with pytest.raises(NotFittedError):
        LabelEncoder().inverse_transform([0])


# --------------------------------------------------------------------------
# pandas output


def test_label_encoder_set_output_pandas_keeps_index_and_name():
    y = pd.Series(["b", "a", "b"], index=["r1", "r7", "r3"], name="city")
    enc = LabelEncoder().set_output(transform="pandas")
    out = enc.fit_transform(y)
    assert isinstance(out, pd.Series)
    assert out.name == "city"
    pd.testing.assert_index_equal(out.index, y.index)
    assert out.tolist() == [1, 0, 1]

    out = enc.transform(y.iloc[::-1])
    pd.testing.assert_index_equal(out.index, y.index[::-1])
    assert out.tolist() == [1, 0, 1]
    # inverse_transform is not wrapped
    assert isinstance(enc.inverse_transform([0]), np.ndarray)


def test_label_encoder_set_output_pandas_list_input_gets_range_index():
    out = LabelEncoder().set_output(transform="pandas").fit_transform(["x", "y"])
    assert isinstance(out, pd.Series)
    assert out.tolist() == [0, 1]
    assert out.index.tolist() == [0, 1]


def test_label_encoder_set_output_default_and_invalid():
    enc = LabelEncoder().set_output(transform="pandas")
    assert enc.set_output(transform=None) is enc
    enc.set_output(transform="default")
    assert isinstance(enc.fit_transform(pd.Series(["a"])), np.ndarray)
    with pytest.raises(ValueError, match=r"transform must be one of .*got 'excel'"):
        enc.set_output(transform="excel")


# --------------------------------------------------------------------------
# Fixed-width strings: the hashing path


@pytest.fixture
def spy_hashing(monkeypatch):
    calls = []
    original = encode_module._fixed_width_keys

    def spy(arr):
        calls.append(arr.dtype)
        return original(arr)

    monkeypatch.setattr(encode_module, "_fixed_width_keys", spy)
    return calls


@pytest.mark.parametrize("order", ["sorted", "appearance", "frequency"])
def test_label_encoder_large_unicode_array_matches_sklearn(spy_hashing, order):
    rng = np.random.default_rng(0)
    pool = np.array([f"label_{i:04d}" for i in range(700)] + ["", "x", "label_"])
    y = rng.choice(pool, size=5000)
    assert y.dtype.kind == "U"
    enc = LabelEncoder(order=order)
    codes = enc.fit_transform(y)
    assert spy_hashing, "the fixed-width hashing path was not used"
    assert_array_equal(enc.inverse_transform(codes), y)
    if order == "sorted":
        theirs = SkLabelEncoder().fit(y)
        assert_array_equal(enc.classes_, theirs.classes_)
        assert_array_equal(codes, theirs.transform(y))
    assert_array_equal(np.sort(enc.classes_), np.unique(y))


def test_label_encoder_fit_only_uses_hashing(spy_hashing):
    y = np.array(["b", "a", "b"] * 50)
    enc = LabelEncoder().fit(y)
    assert spy_hashing
    assert_array_equal(enc.classes_, ["a", "b"])


@pytest.mark.parametrize("dtype", ["U", "S"])
def test_label_encoder_strings_differing_in_trailing_characters(dtype, spy_hashing):
    # 8-byte words: these differ only after the first word(s), or in length
    base = [
        "abcdefgh",
        "abcdefgh1",
        "abcdefgh2",
        "abcdefgh12",
        "abcdefghabcdefgh",
        "abcdefghabcdefgi",
        "abcdefghabcdefghX",
        "a",
        "ab",
        "",
        "b",
        "abcdefg",
    ]
    y = np.array(base * 3 + base[::-1], dtype=dtype)
    theirs = SkLabelEncoder().fit(y)
    enc = LabelEncoder()
    codes = enc.fit_transform(y)
    assert spy_hashing
    assert enc.classes_.size == len(set(base))
    assert_array_equal(enc.classes_, theirs.classes_)
    assert_array_equal(codes, theirs.transform(y))
    assert_array_equal(enc.inverse_transform(codes), y)
    assert enc.classes_.dtype == y.dtype


def test_label_encoder_long_strings_with_common_prefix():
    y = np.array(["x" * 200 + "a", "x" * 200 + "b", "x" * 200, "x" * 200 + "a"])
    enc = LabelEncoder()
    assert_array_equal(enc.fit_transform(y), [1, 2, 0, 1])
    assert_array_equal(enc.inverse_transform([1, 2, 0]), y[:3])


def test_label_encoder_bytes_array_matches_sklearn():
    y = np.array([b"cat", b"dog", b"cat", b"emu", b"do"])
    assert y.dtype.kind == "S"
    enc, theirs = LabelEncoder().fit(y), SkLabelEncoder().fit(y)
    assert_array_equal(enc.classes_, theirs.classes_)
    assert_array_equal(enc.transform(y), theirs.transform(y))
    assert_array_equal(enc.classes_, [b"cat", b"do", b"dog", b"emu"])
    assert_array_equal(enc.transform([b"emu", b"do"]), [3, 1])
    assert_array_equal(enc.inverse_transform([3, 0]), [b"emu", b"cat"])
    with pytest.raises(ValueError, match=r"unseen labels: \[b'ant'\]"):
        enc.transform(np.array([b"ant"]))


def test_label_encoder_non_contiguous_and_big_endian_strings():
    y = np.array(["b", "x", "a", "x", "b", "x"])[::2]  # b, a, b
    assert not y.flags.c_contiguous
    assert_array_equal(LabelEncoder().fit_transform(y), [1, 0, 1])
    big = np.array(["b", "a", "b"]).astype(">U1")
    enc = LabelEncoder()
    assert_array_equal(enc.fit_transform(big), [1, 0, 1])
    assert enc.classes_.tolist() == ["a", "b"]


def test_label_encoder_real_hash_collision_is_resolved():
    # "abxy" and this string have the same 64-bit key in _fixed_width_keys;
    # the exact check must still keep them apart.
    s1 = "abxy"
    s2 = "vS\u6c29\u04f6"
    y = np.array([s1, s2, s1, "zz"])
    keys = encode_module._fixed_width_keys(y)
    assert keys[0] == keys[1], "the hash changed: find a new colliding pair"
    enc = LabelEncoder(order="appearance")
    assert_array_equal(enc.fit_transform(y), [0, 1, 0, 2])
    assert_array_equal(enc.classes_, [s1, s2, "zz"])
    assert_array_equal(
        LabelEncoder().fit_transform(y), SkLabelEncoder().fit_transform(y)
    )


def test_label_encoder_all_keys_colliding_falls_back_to_exact(monkeypatch):
    monkeypatch.setattr(
        encode_module,
        "_fixed_width_keys",
        lambda arr: np.zeros(arr.shape[0], np.uint64),
    )
    y = np.array(["c", "a", "c", "b"])
    enc = LabelEncoder()
    assert_array_equal(enc.fit_transform(y), [2, 0, 2, 1])
    assert_array_equal(enc.classes_, ["a", "b", "c"])
    assert enc.classes_.dtype == y.dtype
    assert_array_equal(LabelEncoder().fit(y).classes_, ["a", "b", "c"])


# --------------------------------------------------------------------------
# Estimator API


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"order": "frequency"},
        {"handle_unknown": "use_encoded_value", "unknown_value": -3},
        {"classes": ["z", "y", "x"]},
    ],
)
def test_label_encoder_pickle_round_trip(params):
    enc = LabelEncoder(**params).fit(["x", "y", "z", "y"])
    restored = pickle.loads(pickle.dumps(enc))
    assert_array_equal(restored.classes_, enc.classes_)
    assert restored.get_params() == enc.get_params()
    y = ["z", "x", "y"]
    assert_array_equal(restored.transform(y), enc.transform(y))
    assert_array_equal(
        restored.inverse_transform([0, 2]), enc.inverse_transform([0, 2])
    )


def test_label_encoder_pickle_keeps_output_config():
    enc = LabelEncoder().set_output(transform="pandas").fit(["a", "b"])
    restored = pickle.loads(pickle.dumps(enc))
    assert isinstance(restored.transform(pd.Series(["b"])), pd.Series)


def test_label_encoder_clone_and_params_unchanged():
    classes = ["b", "a"]
    enc = LabelEncoder(classes=classes, order="appearance")
    enc.fit(["a", "b"])
    assert enc.get_params()["classes"] is classes
    cloned = clone(enc)
    assert not hasattr(cloned, "classes_")
    assert cloned.get_params()["order"] == "appearance"


def test_label_encoder_refit_resets_classes():
    enc = LabelEncoder().fit(["a", "b"])
    enc.fit([3, 1])
    assert_array_equal(enc.classes_, [1, 3])
    assert_array_equal(enc.transform([3]), [1])


def test_label_encoder_no_warning_on_clean_input():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        codes = LabelEncoder().fit_transform(pd.Series(["a", "b"]))
        labels = LabelEncoder().fit(np.array([1, 2])).inverse_transform([0, 1])
    assert codes.tolist() == [0, 1]
    assert labels.tolist() == [1, 2]


# --------------------------------------------------------------------------
# Regressions


@pytest.mark.parametrize("y", [["b", np.nan, "a"], [np.nan, "b", "a"]])
def test_label_encoder_nan_in_list_of_strings_is_missing(y):
    enc = LabelEncoder(handle_missing="use_encoded_value")
    codes = enc.fit_transform(y)
    assert enc.classes_.tolist() == ["a", "b"]
    assert sorted(codes.tolist()) == [-1, 0, 1]
    with pytest.raises(ValueError, match=r"y contains missing labels .*nan"):
        LabelEncoder().fit(y)


def test_label_encoder_python_ints_beyond_int64():
    y = [2**64, 1, 2**64]
    expected = SkLabelEncoder().fit_transform(y)
    assert_array_equal(LabelEncoder().fit_transform(y), expected)


def test_label_encoder_trailing_nul_labels_stay_distinct():
    # numpy's '<U' dtype drops trailing NULs; a list must not merge these labels
    y = ["a", "a\x00"]
    assert LabelEncoder().fit(np.asarray(y, dtype=object)).classes_.size == 2
    enc = LabelEncoder().fit(y)
    assert enc.classes_.size == 2
    assert enc.inverse_transform(enc.transform(y)).tolist() == y


def test_label_encoder_categorical_index():
    y = pd.CategoricalIndex(["b", "a", "b"], categories=["c", "b", "a"])
    enc = LabelEncoder()
    assert_array_equal(enc.fit_transform(y), [1, 0, 1])
    assert_array_equal(enc.classes_, ["a", "b"])


def test_label_encoder_collision_message_shows_plain_class():
    enc = LabelEncoder(handle_unknown="use_encoded_value", unknown_value=0)
    with pytest.raises(ValueError, match="unknown_value=0") as excinfo:
        enc.fit(["a", "b"])
    assert "code of class 'a'" in str(excinfo.value)


def _bool_container(values, kind):
    if kind == "list":
        return list(values)
    if kind == "pandas boolean":
        return pd.Series(values, dtype="boolean")
    if kind == "categorical":
        return pd.Series(values, dtype="category")
    return np.asarray(values, dtype=kind)


@pytest.mark.parametrize("fit_kind", ["list", "pandas boolean", "categorical"])
@pytest.mark.parametrize(
    "codes", [[1, 0, 1], np.array([1, 0]), np.array([1.0, 0.0]), np.array([0])]
)
def test_label_encoder_bool_classes_match_zero_and_one(fit_kind, codes):
    y = _bool_container([True, False, True], fit_kind)
    expected = SkLabelEncoder().fit([True, False, True]).transform(codes)
    assert_array_equal(LabelEncoder().fit(y).transform(codes), expected)
    assert_array_equal(LabelEncoder().fit(y).transform(pd.Series(codes)), expected)


@pytest.mark.parametrize("fit_values", [[0, 1, 1], [0.0, 1.0]])
@pytest.mark.parametrize("kind", ["list", "bool", "pandas boolean", "categorical"])
def test_label_encoder_numeric_classes_match_bools(fit_values, kind):
    y = _bool_container([True, False], kind)
    expected = SkLabelEncoder().fit(fit_values).transform([True, False])
    assert_array_equal(LabelEncoder().fit(fit_values).transform(y), expected)


def test_label_encoder_bool_classes_still_refuse_other_numbers():
    enc = LabelEncoder().fit([True, False])
    with pytest.raises(ValueError, match=r"previously unseen labels: \[2\]"):
        enc.transform([1, 2])
    with pytest.raises(ValueError, match=r"previously unseen labels: \[0.5\]"):
        enc.transform([0.5])


def test_label_encoder_bool_classes_param_matches_zero_and_one():
    enc = LabelEncoder(classes=[False, True]).fit([1, 0, 1])
    assert_array_equal(enc.transform([0, 1]), [0, 1])
    assert enc.classes_.dtype == bool


@pytest.mark.parametrize("method", ["fit", "fit_transform"])
def test_label_encoder_minus_one_among_strings_names_the_fix(method):
    with pytest.raises(
        TypeError,
        match=r"mix of types \['int', 'str'\]\. The number -1 .*None or NaN "
        r"instead .*Then set handle_missing='use_encoded_value'",
    ):
        getattr(LabelEncoder(), method)(["a", -1, "b"])
    # the fix that the message names works
    enc = LabelEncoder(handle_missing="use_encoded_value")
    assert_array_equal(enc.fit_transform(["a", None, "b"]), [0, -1, 1])


@pytest.mark.parametrize("method", ["fit", "fit_transform"])
def test_label_encoder_unhashable_labels_raise_type_error(method):
    y = np.array([{1: 2}, {3: 4}], dtype=object)
    with pytest.raises(
        TypeError, match=r"strings or numbers, got values of type 'dict'"
    ):
        getattr(LabelEncoder(), method)(y)


def test_one_hot_label_encoder_minus_one_error_names_no_missing_option():
    with pytest.raises(TypeError, match=r"None or NaN instead .*\)\.$"):
        OneHotLabelEncoder().fit(["a", -1, "b"])
