"""Tests for sklabels.encoding.MultiLabelEncoder."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from scipy import sparse
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.utils._param_validation import InvalidParameterError

from sklabels.encoding import MultiLabelEncoder

INT_SETS = [[2, 1], [3], [], [1, 3, 3], [5, 2]]
STR_SETS = [{"news", "sports"}, {"tech"}, set(), {"sports"}, {"news", "tech"}]

INPUTS = {
    "lists of ints": INT_SETS,
    "tuples of ints": [tuple(r) for r in INT_SETS],
    "sets of strings": STR_SETS,
    "lists of strings": [sorted(r) for r in STR_SETS],
    "arrays of strings": [np.array(sorted(r), dtype=object) for r in STR_SETS],
}


def _as_sets(rows):
    return [set(r) for r in rows]


# --------------------------------------------------------------------------
# Agreement with scikit-learn's MultiLabelBinarizer


@pytest.mark.parametrize("name", sorted(INPUTS))
@pytest.mark.parametrize("sparse_output", [False, True])
def test_multilabel_encoder_matches_multilabel_binarizer(name, sparse_output):
    y = INPUTS[name]
    ours = MultiLabelEncoder(sparse_output=sparse_output)
    theirs = MultiLabelBinarizer(sparse_output=sparse_output)
    Y = ours.fit_transform(y)
    expected = theirs.fit_transform(y)
    assert_array_equal(ours.classes_, theirs.classes_)
    assert sparse.issparse(Y) == sparse_output
    if sparse_output:
        assert Y.format == "csr"
        Y, expected = Y.toarray(), expected.toarray()
    assert_array_equal(Y, expected)
    assert Y.dtype == expected.dtype
    assert_array_equal(_dense(ours.fit(y).transform(y)), expected)

    decoded = ours.inverse_transform(ours.transform(y))
    assert decoded == [tuple(r) for r in theirs.inverse_transform(expected)]
    assert _as_sets(decoded) == _as_sets(y)


def _dense(Y):
    return Y.toarray() if sparse.issparse(Y) else np.asarray(Y)


@pytest.mark.parametrize("sparse_output", [False, True])
def test_multilabel_encoder_classes_order_matches_binarizer(sparse_output):
    classes = ["tech", "news", "sports", "weather"]
    ours = MultiLabelEncoder(classes=classes, sparse_output=sparse_output)
    theirs = MultiLabelBinarizer(classes=classes, sparse_output=sparse_output)
    Y = ours.fit_transform(STR_SETS)
    expected = theirs.fit_transform(STR_SETS)
    assert_array_equal(ours.classes_, classes)
    assert_array_equal(_dense(Y), _dense(expected))
    # the unused "weather" column stays all zero
    assert _dense(Y)[:, 3].sum() == 0
    decoded = ours.inverse_transform(Y)
    assert decoded == theirs.inverse_transform(expected)
    assert decoded[4] == ("tech", "news")  # classes_ order, not sorted


def test_multilabel_encoder_int_classes_order():
    enc = MultiLabelEncoder(classes=[3, 1, 2, 5])
    Y = enc.fit_transform(INT_SETS)
    assert_array_equal(Y[0], [0, 1, 1, 0])
    assert enc.inverse_transform(Y)[3] == (3, 1)


def test_multilabel_encoder_duplicate_labels_in_row_count_once():
    Y = MultiLabelEncoder().fit_transform([["a", "a", "b"], ["b", "b"]])
    assert_array_equal(Y, [[1, 1], [0, 1]])
    Y = MultiLabelEncoder(sparse_output=True).fit_transform([["a", "a"]])
    assert_array_equal(Y.toarray(), [[1]])
    assert Y.data.tolist() == [1]


def test_multilabel_encoder_classes_with_duplicates_raises():
    with pytest.raises(ValueError, match=r"classes contains duplicates: \['a'\]"):
        MultiLabelEncoder(classes=["a", "b", "a"]).fit([["a"]])


def test_multilabel_encoder_classes_missing_label_raises_by_default():
    # MultiLabelBinarizer would warn and drop "b"; handle_unknown="error" names it
    with pytest.raises(ValueError, match=r"previously unseen labels: \['b'\]"):
        MultiLabelEncoder(classes=["a"]).fit_transform([["a", "b"]])


# --------------------------------------------------------------------------
# Delimited strings


def test_multilabel_encoder_sep_parsing():
    y = [" news | sports", "", "sports|tech ", "news||tech", "  "]
    enc = MultiLabelEncoder(sep="|")
    Y = enc.fit_transform(y)
    assert_array_equal(enc.classes_, ["news", "sports", "tech"])
    assert_array_equal(Y, [[1, 1, 0], [0, 0, 0], [0, 1, 1], [1, 0, 1], [0, 0, 0]])
    expected = MultiLabelBinarizer().fit_transform(
        [{"news", "sports"}, set(), {"sports", "tech"}, {"news", "tech"}, set()]
    )
    assert_array_equal(Y, expected)


def test_multilabel_encoder_sep_inverse_returns_joined_strings():
    enc = MultiLabelEncoder(sep="|").fit(["b|a", "c", ""])
    decoded = enc.inverse_transform([[1, 1, 0], [0, 0, 0], [1, 1, 1], [0, 0, 1]])
    assert decoded == ["a|b", "", "a|b|c", "c"]
    assert all(isinstance(s, str) for s in decoded)


def test_multilabel_encoder_sep_multi_character():
    enc = MultiLabelEncoder(sep=", ")
    Y = enc.fit_transform(["red, green", "blue", "green, blue, red"])
    assert_array_equal(enc.classes_, ["blue", "green", "red"])
    assert_array_equal(Y, [[0, 1, 1], [1, 0, 0], [1, 1, 1]])
    assert enc.inverse_transform(Y)[0] == "green, red"


def test_multilabel_encoder_sep_series_input():
    y = pd.Series(["a|b", "b", ""], index=["x", "y", "z"])
    enc = MultiLabelEncoder(sep="|").set_output(transform="pandas")
    out = enc.fit_transform(y)
    assert isinstance(out, pd.DataFrame)
    assert out.index.tolist() == ["x", "y", "z"]
    assert out.to_numpy().tolist() == [[1, 1], [0, 1], [0, 0]]


@pytest.mark.parametrize("row", [None, np.nan, ["a"], 3])
def test_multilabel_encoder_sep_non_string_row_raises(row):
    with pytest.raises(
        ValueError, match=r"With sep='\|', every row of y must be a delimited"
    ):
        MultiLabelEncoder(sep="|").fit(["a|b", row])


def test_multilabel_encoder_sep_only_empty_rows_raises():
    with pytest.raises(ValueError, match="no label in any row"):
        MultiLabelEncoder(sep="|").fit(["", " | "])


# --------------------------------------------------------------------------
# Unknown labels


def test_multilabel_encoder_unknown_error_names_label():
    enc = MultiLabelEncoder().fit(STR_SETS)
    with pytest.raises(
        ValueError, match=r"previously unseen labels: \['cars', 'zoo'\]"
    ):
        enc.transform([{"news", "zoo"}, {"cars"}])


def test_multilabel_encoder_unknown_ignore_warns_and_drops():
    enc = MultiLabelEncoder(handle_unknown="ignore").fit(STR_SETS)
    with pytest.warns(
        UserWarning, match=r"unknown class\(es\) \['zoo'\] will be ignored"
    ):
        Y = enc.transform([{"news", "zoo"}, {"tech"}])
    assert_array_equal(Y, [[1, 0, 0], [0, 0, 1]])
    with pytest.warns(UserWarning, match="will be ignored"):
        theirs = (
            MultiLabelBinarizer().fit(STR_SETS).transform([{"news", "zoo"}, {"tech"}])
        )
    assert_array_equal(Y, theirs)


def test_multilabel_encoder_unknown_ignore_sparse_and_sep():
    enc = MultiLabelEncoder(handle_unknown="ignore", sep="|", sparse_output=True)
    enc.fit(["a|b", "c"])
    with pytest.warns(UserWarning, match=r"\['q', 'z'\]"):
        Y = enc.transform(["z|a", "q", "c"])
    assert_array_equal(Y.toarray(), [[1, 0, 0], [0, 0, 0], [0, 0, 1]])


def test_multilabel_encoder_no_warning_when_all_known():
    enc = MultiLabelEncoder(handle_unknown="ignore").fit(STR_SETS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Y = enc.transform([{"news"}])
    assert_array_equal(Y, [[1, 0, 0]])


def test_multilabel_encoder_invalid_handle_unknown_raises():
    with pytest.raises(
        InvalidParameterError, match=r"'handle_unknown'.*'use_encoded_value'"
    ):
        MultiLabelEncoder(handle_unknown="use_encoded_value").fit(STR_SETS)


# --------------------------------------------------------------------------
# Malformed input


@pytest.mark.parametrize(
    "y", [["ab", "c"], np.array(["news", "tech"]), pd.Series(["a"])]
)
def test_multilabel_encoder_plain_strings_without_sep_raise(y):
    with pytest.raises(ValueError, match=r"scalars or strings.*pass sep='\|'"):
        MultiLabelEncoder().fit(y)


def test_multilabel_encoder_single_string_raises():
    with pytest.raises(ValueError, match=r"single string 'a\|b'"):
        MultiLabelEncoder(sep="|").fit("a|b")


@pytest.mark.parametrize("bad", [None, 5, 2.5])
def test_multilabel_encoder_scalar_row_raises(bad):
    with pytest.raises(ValueError, match=rf"1 row\(s\) \(1: {bad!r}\)"):
        MultiLabelEncoder().fit([["a"], bad])
    enc = MultiLabelEncoder().fit([["a"]])
    with pytest.raises(ValueError, match=rf"\(0: {bad!r}\)"):
        enc.transform([bad])


def test_multilabel_encoder_none_y_raises():
    with pytest.raises(ValueError, match="y is None"):
        MultiLabelEncoder().fit(None)


def test_multilabel_encoder_dataframe_y_raises():
    with pytest.raises(
        ValueError, match=r"DataFrame of shape \(2, 2\).*inverse_transform"
    ):
        MultiLabelEncoder().fit(pd.DataFrame([[0, 1], [1, 0]]))


def test_multilabel_encoder_empty_raises():
    with pytest.raises(ValueError, match="y is empty"):
        MultiLabelEncoder().fit([])
    with pytest.raises(ValueError, match="no label in any row"):
        MultiLabelEncoder().fit([[], set()])


def test_multilabel_encoder_missing_label_inside_set_raises():
    with pytest.raises(ValueError, match=r"missing labels \(None/NaN\)"):
        MultiLabelEncoder().fit([["a", None]])
    enc = MultiLabelEncoder().fit([["a"]])
    with pytest.raises(
        ValueError, match=r"missing labels \(None/NaN\).*\(0: \['a', None\]\)"
    ):
        enc.transform([["a", None]])


def test_multilabel_encoder_mixed_types_raise_type_error():
    with pytest.raises(TypeError, match=r"one kind.*\['int', 'str'\]"):
        MultiLabelEncoder().fit([["a", 1], [2]])


def test_multilabel_encoder_empty_transform_row():
    enc = MultiLabelEncoder().fit(INT_SETS)
    assert_array_equal(enc.transform([[], []]), np.zeros((2, 4), dtype=int))
    assert enc.transform([]).shape == (0, 4)


# --------------------------------------------------------------------------
# inverse_transform


@pytest.mark.parametrize(
    "Y, shown",
    [([[0, 2, 0]], r"\[0, 2\]"), ([[0, 0.5, 1]], r"0\.5"), ([[-1, 0, 1]], r"-1")],
)
def test_multilabel_encoder_inverse_non_binary_raises(Y, shown):
    enc = MultiLabelEncoder().fit([["a", "b", "c"]])
    with pytest.raises(ValueError, match=rf"binary indicator matrix.*{shown}"):
        enc.inverse_transform(np.asarray(Y))
    with pytest.raises(ValueError, match="binary indicator matrix"):
        enc.inverse_transform(sparse.csr_matrix(np.asarray(Y)))


def test_multilabel_encoder_inverse_wrong_columns_raises():
    enc = MultiLabelEncoder().fit([["a", "b", "c"]])
    with pytest.raises(ValueError, match=r"Y must have 3 columns.*\(1, 2\)"):
        enc.inverse_transform([[1, 0]])


@pytest.mark.parametrize("to_matrix", [np.zeros, sparse.csr_matrix])
def test_multilabel_encoder_inverse_empty(to_matrix):
    enc = MultiLabelEncoder().fit([["a", "b", "c"]])
    assert enc.inverse_transform(to_matrix((0, 3))) == []
    assert (
        MultiLabelEncoder(sep="|").fit(["a"]).inverse_transform(to_matrix((0, 1))) == []
    )


def test_multilabel_encoder_inverse_bool_float_and_sparse():
    enc = MultiLabelEncoder().fit([["a", "b", "c"]])
    expected = [("a", "c"), (), ("b",)]
    Y = np.array([[1, 0, 1], [0, 0, 0], [0, 1, 0]])
    assert enc.inverse_transform(Y.astype(bool)) == expected
    assert enc.inverse_transform(Y.astype(float)) == expected
    assert enc.inverse_transform(sparse.csr_matrix(Y)) == expected
    assert enc.inverse_transform(sparse.csc_array(Y)) == expected
    # explicit zeros stored in a sparse matrix are not labels
    explicit = sparse.csr_matrix((np.array([1, 0]), ([0, 1], [0, 1])), shape=(2, 3))
    assert enc.inverse_transform(explicit) == [("a",), ()]


def test_multilabel_encoder_inverse_matches_binarizer_after_thresholding():
    y = [["x", "y"], ["z"], ["x"]]
    scores = np.array([[0.9, 0.6, 0.1], [0.2, 0.3, 0.7], [0.55, 0.4, 0.45]])
    ours = MultiLabelEncoder().fit(y).inverse_transform(scores >= 0.5)
    theirs = MultiLabelBinarizer().fit(y).inverse_transform((scores >= 0.5).astype(int))
    assert ours == theirs == [("x", "y"), ("z",), ("x",)]


# --------------------------------------------------------------------------
# pandas


def test_multilabel_encoder_series_of_lists():
    y = pd.Series([["a"], ["b", "a"], []], index=[7, 8, 9])
    enc = MultiLabelEncoder()
    assert_array_equal(enc.fit_transform(y), [[1, 0], [1, 1], [0, 0]])
    assert_array_equal(enc.transform(y), MultiLabelBinarizer().fit_transform(y))


def test_multilabel_encoder_set_output_pandas():
    y = pd.Series([["a"], ["b", "a"], []], index=[7, 8, 9], name="tags")
    enc = MultiLabelEncoder().set_output(transform="pandas")
    out = enc.fit_transform(y)
    assert isinstance(out, pd.DataFrame)
    assert out.columns.tolist() == ["a", "b"]
    assert out.index.tolist() == [7, 8, 9]
    assert out.to_numpy().tolist() == [[1, 0], [1, 1], [0, 0]]
    # a list input gets a default index
    out = enc.transform([["b"]])
    assert out.index.tolist() == [0]
    assert out.to_numpy().tolist() == [[0, 1]]


def test_multilabel_encoder_set_output_pandas_int_labels():
    out = MultiLabelEncoder().set_output(transform="pandas").fit_transform([[10, 2]])
    assert out.columns.tolist() == ["2", "10"]


def test_multilabel_encoder_sparse_pandas_raises():
    enc = MultiLabelEncoder(sparse_output=True).set_output(transform="pandas")
    with pytest.raises(ValueError, match="does not support sparse data"):
        enc.fit_transform([["a"]])


def test_multilabel_encoder_get_feature_names_out():
    enc = MultiLabelEncoder().fit(STR_SETS)
    assert enc.get_feature_names_out().tolist() == ["news", "sports", "tech"]
    with pytest.raises(NotFittedError):
        MultiLabelEncoder().get_feature_names_out()


# --------------------------------------------------------------------------
# Estimator API


@pytest.mark.parametrize("params", [{}, {"sep": "|"}, {"sparse_output": True}])
def test_multilabel_encoder_pickle_round_trip(params):
    y = ["a|b", "c", ""] if params.get("sep") else [["a", "b"], ["c"], []]
    enc = MultiLabelEncoder(**params).fit(y)
    restored = pickle.loads(pickle.dumps(enc))
    assert_array_equal(restored.classes_, enc.classes_)
    assert_array_equal(_dense(restored.transform(y)), _dense(enc.transform(y)))
    assert restored.inverse_transform(enc.transform(y)) == enc.inverse_transform(
        enc.transform(y)
    )


def test_multilabel_encoder_not_fitted_raises():
    with pytest.raises(NotFittedError):
        MultiLabelEncoder().transform([["a"]])


# --------------------------------------------------------------------------
# Regressions


def test_multilabel_encoder_unknown_error_suggests_valid_option():
    enc = MultiLabelEncoder().fit([["a"]])
    with pytest.raises(ValueError, match="unseen labels") as excinfo:
        enc.transform([["z"]])
    assert "use_encoded_value" not in str(excinfo.value)
    assert "handle_unknown='ignore'" in str(excinfo.value)


def test_multilabel_encoder_missing_label_error_names_its_row():
    # the row of y, not the position in the flattened labels (2)
    with pytest.raises(ValueError, match=r"1 row\(s\) \(1: \[None\]\)"):
        MultiLabelEncoder().fit([["a", "b"], [None]])


def test_multilabel_encoder_sep_overlap_keeps_rows_apart():
    enc = MultiLabelEncoder(sep="||")
    Y = enc.fit_transform(["x|", "y"])
    assert_array_equal(enc.classes_, ["x|", "y"])
    assert_array_equal(Y, [[1, 0], [0, 1]])


def test_multilabel_encoder_accepts_iterator_rows():
    y = [iter((2, 3)), {1, 2}, (x for x in [3])]
    expected = MultiLabelBinarizer().fit_transform([iter((2, 3)), {1, 2}, iter([3])])
    enc = MultiLabelEncoder()
    assert_array_equal(enc.fit_transform(y), expected)
    assert_array_equal(enc.transform([iter((1,)), iter(())]), [[1, 0, 0], [0, 0, 0]])
    assert_array_equal(MultiLabelEncoder().fit([iter(("a", "b"))]).classes_, ["a", "b"])


def test_multilabel_encoder_array_of_more_than_two_dims_raises():
    with pytest.raises(ValueError, match=r"label sets .*shape \(4, 2, 2\)"):
        MultiLabelEncoder().fit(np.zeros((4, 2, 2)))


@pytest.mark.parametrize(
    "y, shown",
    [
        ([[("a", 1)], [("b",)]], r"\['tuple'\] values as labels in 2 row\(s\)"),
        ([["a"], [["b"]]], r"\['list'\] values as labels in 1 row\(s\) \(1: "),
        ([np.zeros((2, 2))] * 2, r"\['ndarray'\] values as labels"),
    ],
)
def test_multilabel_encoder_nested_labels_raise(y, shown):
    pattern = "(?s)" + shown + r".*rather than \[\('a', 'b'\)\]"
    with pytest.raises(ValueError, match=pattern):
        MultiLabelEncoder().fit(y)


def test_multilabel_encoder_tuple_rows_are_label_sets():
    enc = MultiLabelEncoder().fit([("a", "b"), ("b",)])
    assert_array_equal(enc.classes_, ["a", "b"])
    assert enc.inverse_transform([[1, 1]]) == [("a", "b")]
