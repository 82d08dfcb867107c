"""Tests for sklabels.encoding.OneHotLabelEncoder."""

import pickle

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils._param_validation import InvalidParameterError

from sklabels.encoding import LabelEncoder, OneHotLabelEncoder

Y3 = ["b", "a", "c", "a", "b", "b"]
CONTAINERS = {
    "list": lambda v: list(v),
    "ndarray": lambda v: np.asarray(v),
    "object ndarray": lambda v: np.asarray(v, dtype=object),
    "Series": lambda v: pd.Series(v, index=np.arange(50, 50 + len(v))),
    "categorical": lambda v: pd.Series(v, dtype="category"),
}


# --------------------------------------------------------------------------
# Agreement with scikit-learn's LabelBinarizer


@pytest.mark.parametrize("container", sorted(CONTAINERS))
@pytest.mark.parametrize(
    "labels", [Y3, [3, 1, 2, 1, 7], [1.0, 4.0, -2.0, 1.0]], ids=["str", "int", "float"]
)
def test_onehot_label_encoder_matches_label_binarizer(labels, container):
    y = CONTAINERS[container](labels)
    ours = OneHotLabelEncoder().fit(y)
    # LabelBinarizer refuses object arrays of numbers: feed it the typed array
    typed = np.asarray(labels)
    lb = LabelBinarizer().fit(typed)
    assert_array_equal(ours.classes_, lb.classes_)
    Y = ours.transform(y)
    assert_array_equal(Y, lb.transform(typed))
    assert Y.dtype == np.int64
    assert_array_equal(OneHotLabelEncoder().fit_transform(y), lb.transform(typed))
    assert_array_equal(ours.inverse_transform(Y), lb.inverse_transform(Y))


def test_onehot_label_encoder_non_integer_floats():
    # LabelBinarizer calls these continuous; they are labels here
    y = [0.5, 1.5, -2.0, 0.5]
    enc = OneHotLabelEncoder()
    Y = enc.fit_transform(y)
    assert_array_equal(enc.classes_, [-2.0, 0.5, 1.5])
    assert_array_equal(Y.argmax(axis=1), [1, 2, 0, 1])
    assert_array_equal(enc.inverse_transform(Y), y)


def test_onehot_label_encoder_sparse_matches_label_binarizer():
    ours = OneHotLabelEncoder(sparse_output=True).fit(Y3)
    lb = LabelBinarizer(sparse_output=True).fit(Y3)
    Y = ours.transform(Y3)
    expected = lb.transform(Y3)
    assert sparse.issparse(Y)
    assert Y.format == "csr"
    assert Y.dtype == expected.dtype
    assert Y.nnz == len(Y3)
    assert_array_equal(Y.toarray(), expected.toarray())
    fitted = OneHotLabelEncoder(sparse_output=True).fit_transform(Y3)
    assert_array_equal(fitted.toarray(), expected.toarray())
    assert_array_equal(ours.inverse_transform(Y), Y3)


@pytest.mark.parametrize("sparse_output", [False, True])
def test_onehot_label_encoder_two_classes_gives_two_columns(sparse_output):
    y = ["no", "yes", "yes", "no", "yes"]
    enc = OneHotLabelEncoder(sparse_output=sparse_output)
    Y = enc.fit_transform(y)
    Y = Y.toarray() if sparse_output else Y
    lb_column = LabelBinarizer().fit_transform(y)
    assert lb_column.shape == (5, 1)
    assert Y.shape == (5, 2)
    assert_array_equal(Y[:, 1], lb_column[:, 0])
    assert_array_equal(Y[:, 0], 1 - lb_column[:, 0])
    assert_array_equal(Y.sum(axis=1), np.ones(5))
    assert_array_equal(enc.inverse_transform(Y), y)


def test_onehot_label_encoder_two_numeric_classes():
    y = np.array([0, 1, 1, 0])
    Y = OneHotLabelEncoder().fit_transform(y)
    assert_array_equal(Y, [[1, 0], [0, 1], [0, 1], [1, 0]])
    assert_array_equal(Y[:, 1], LabelBinarizer().fit_transform(y)[:, 0])


def test_onehot_label_encoder_single_class_one_column():
    enc = OneHotLabelEncoder().fit(["only", "only"])
    assert_array_equal(enc.transform(["only"]), [[1]])
    assert_array_equal(enc.inverse_transform([[1]]), ["only"])


# --------------------------------------------------------------------------
# Smoothing and dtype


@pytest.mark.parametrize("smoothing", [0.0, 0.1, 0.3, 0.9])
@pytest.mark.parametrize("n_classes", [2, 3, 5])
def test_onehot_label_encoder_smoothing_rows(smoothing, n_classes):
    classes = [f"c{i}" for i in range(n_classes)]
    y = [classes[i % n_classes] for i in range(2 * n_classes + 1)]
    Y = OneHotLabelEncoder(smoothing=smoothing).fit_transform(y)
    onehot = OneHotLabelEncoder().fit_transform(y)
    expected = (1 - smoothing) * onehot + smoothing / n_classes
    assert_allclose(Y, expected, rtol=0, atol=1e-12)
    assert_allclose(Y.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert_array_equal(Y.argmax(axis=1), onehot.argmax(axis=1))


def test_onehot_label_encoder_smoothing_values():
    Y = OneHotLabelEncoder(smoothing=0.3).fit_transform(["a", "b", "c"])
    assert_allclose(np.diag(Y), 0.8)
    assert_allclose(Y[~np.eye(3, dtype=bool)], 0.1)


def test_onehot_label_encoder_default_dtypes():
    assert OneHotLabelEncoder().fit_transform(Y3).dtype == np.int64
    assert OneHotLabelEncoder(sparse_output=True).fit_transform(Y3).dtype == np.int64
    assert OneHotLabelEncoder(smoothing=0.1).fit_transform(Y3).dtype == np.float64


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int8, np.uint8, bool])
@pytest.mark.parametrize("sparse_output", [False, True])
def test_onehot_label_encoder_dtype_honoured(dtype, sparse_output):
    enc = OneHotLabelEncoder(dtype=dtype, sparse_output=sparse_output)
    Y = enc.fit_transform(Y3)
    assert Y.dtype == np.dtype(dtype)
    dense = Y.toarray() if sparse_output else Y
    assert_array_equal(dense.astype(int), OneHotLabelEncoder().fit_transform(Y3))
    assert enc.transform(["c"]).dtype == np.dtype(dtype)


def test_onehot_label_encoder_float32_with_smoothing():
    Y = OneHotLabelEncoder(smoothing=0.2, dtype="float32").fit_transform(Y3)
    assert Y.dtype == np.float32
    assert_allclose(Y.sum(axis=1), 1.0, rtol=1e-6)


@pytest.mark.parametrize("smoothing", [1.0, -0.1, 1.5])
def test_onehot_label_encoder_invalid_smoothing_raises(smoothing):
    with pytest.raises(InvalidParameterError, match=rf"'smoothing'.*Got {smoothing}"):
        OneHotLabelEncoder(smoothing=smoothing).fit(Y3)


def test_onehot_label_encoder_sparse_with_smoothing_raises():
    enc = OneHotLabelEncoder(sparse_output=True, smoothing=0.1)
    with pytest.raises(ValueError, match=r"sparse_output=True.*smoothing=0\.1"):
        enc.fit(Y3)
    with pytest.raises(ValueError, match=r"sparse_output=True.*smoothing=0\.1"):
        enc.fit_transform(Y3)


# --------------------------------------------------------------------------
# Unknown labels


@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_onehot_label_encoder_ignore_unknown_gives_zero_rows(smoothing):
    enc = OneHotLabelEncoder(handle_unknown="ignore", smoothing=smoothing).fit(Y3)
    Y = enc.transform(["zzz", "a", "qq"])
    assert_array_equal(Y[0], 0)
    assert_array_equal(Y[2], 0)
    assert Y[1].argmax() == 0
    assert_allclose(Y[1].sum(), 1.0)
    assert enc.inverse_transform(Y).tolist() == [None, "a", None]


def test_onehot_label_encoder_ignore_unknown_sparse():
    enc = OneHotLabelEncoder(handle_unknown="ignore", sparse_output=True).fit(Y3)
    Y = enc.transform(["zzz", "c"])
    assert sparse.issparse(Y)
    assert Y.nnz == 1
    assert_array_equal(Y.toarray(), [[0, 0, 0], [0, 0, 1]])
    assert enc.inverse_transform(Y).tolist() == [None, "c"]


def test_onehot_label_encoder_unknown_error_names_label():
    enc = OneHotLabelEncoder().fit(Y3)
    with pytest.raises(ValueError, match=r"previously unseen labels: \['x'\]"):
        enc.transform(["a", "x"])


def test_onehot_label_encoder_all_zero_row_without_ignore_raises():
    enc = OneHotLabelEncoder().fit(Y3)
    with pytest.raises(ValueError, match=r"all-zero rows.*1 row\(s\).*handle_unknown"):
        enc.inverse_transform([[0, 1, 0], [0, 0, 0]])


# --------------------------------------------------------------------------
# inverse_transform


def test_onehot_label_encoder_inverse_soft_rows_argmax():
    enc = OneHotLabelEncoder().fit(Y3)
    proba = np.array([[0.2, 0.5, 0.3], [0.6, 0.3, 0.1], [0.1, 0.1, 0.8]])
    assert_array_equal(enc.inverse_transform(proba), ["b", "a", "c"])
    smoothed = OneHotLabelEncoder(smoothing=0.4).fit_transform(Y3)
    assert_array_equal(enc.inverse_transform(smoothed), Y3)


def test_onehot_label_encoder_inverse_negative_regression_scores():
    enc = OneHotLabelEncoder().fit(Y3)
    scores = np.array([[-3.0, -1.0, -2.0], [-0.1, -0.5, -7.0], [1.2, -0.3, 1.5]])
    assert_array_equal(enc.inverse_transform(scores), ["b", "a", "c"])


def test_onehot_label_encoder_inverse_ties_go_to_first_class():
    enc = OneHotLabelEncoder().fit(Y3)
    assert_array_equal(enc.inverse_transform([[0.4, 0.4, 0.2]]), ["a"])
    assert_array_equal(enc.inverse_transform([[0.1, 0.45, 0.45]]), ["b"])


@pytest.mark.parametrize(
    "to_sparse",
    [sparse.csr_matrix, sparse.csc_matrix, sparse.csr_array, sparse.coo_array],
)
def test_onehot_label_encoder_inverse_sparse_input(to_sparse):
    enc = OneHotLabelEncoder().fit(Y3)
    dense = np.array([[0, 0, 1.0], [0.2, 0.7, 0.1], [-1.0, 0, -2.0], [-1, -3, -2.0]])
    expected = ["c", "b", "b", "a"]
    assert_array_equal(enc.inverse_transform(dense), expected)
    assert_array_equal(enc.inverse_transform(to_sparse(dense)), expected)


@pytest.mark.parametrize("to_sparse", [sparse.csr_matrix, sparse.csr_array])
def test_onehot_label_encoder_inverse_sparse_zero_rows(to_sparse):
    enc = OneHotLabelEncoder(handle_unknown="ignore").fit(Y3)
    Y = to_sparse(np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0.0]]))
    assert enc.inverse_transform(Y).tolist() == [None, "b", None]
    with pytest.raises(ValueError, match="all-zero rows"):
        OneHotLabelEncoder().fit(Y3).inverse_transform(Y)


def test_onehot_label_encoder_inverse_round_trip_keeps_dtype():
    y = np.array([3, 1, 2, 1])
    enc = OneHotLabelEncoder()
    decoded = enc.inverse_transform(enc.fit_transform(y))
    assert_array_equal(decoded, y)
    assert decoded.dtype == y.dtype


def test_onehot_label_encoder_inverse_dataframe_input():
    enc = OneHotLabelEncoder().set_output(transform="pandas").fit(Y3)
    frame = enc.transform(pd.Series(["c", "a"]))
    assert isinstance(frame, pd.DataFrame)
    assert_array_equal(enc.inverse_transform(frame), ["c", "a"])


@pytest.mark.parametrize("shape", [(2, 2), (2, 4), (3,)])
def test_onehot_label_encoder_inverse_wrong_shape_raises(shape):
    enc = OneHotLabelEncoder().fit(Y3)
    shown = str(shape).replace("(", r"\(").replace(")", r"\)")
    with pytest.raises(ValueError, match=rf"\(n_samples, 3\).*got shape {shown}"):
        enc.inverse_transform(np.ones(shape))


def test_onehot_label_encoder_inverse_nan_raises():
    enc = OneHotLabelEncoder().fit(Y3)
    with pytest.raises(ValueError, match="Y contains NaN"):
        enc.inverse_transform([[np.nan, 1.0, 0.0]])
    with pytest.raises(ValueError, match=r"Y contains (NaN|infinity)"):
        enc.inverse_transform([[np.inf, 1.0, 0.0]])


def test_onehot_label_encoder_inverse_empty():
    enc = OneHotLabelEncoder().fit(Y3)
    out = enc.inverse_transform(np.zeros((0, 3)))
    assert out.shape == (0,)


def test_onehot_label_encoder_transform_empty():
    enc = OneHotLabelEncoder().fit(Y3)
    assert enc.transform([]).shape == (0, 3)


# --------------------------------------------------------------------------
# Class order and names


def test_onehot_label_encoder_classes_fix_column_order():
    enc = OneHotLabelEncoder(classes=["c", "a", "b", "d"])
    Y = enc.fit_transform(["a", "d", "c"])
    assert_array_equal(Y, [[0, 1, 0, 0], [0, 0, 0, 1], [1, 0, 0, 0]])
    assert_array_equal(enc.get_feature_names_out(), ["c", "a", "b", "d"])
    assert_array_equal(enc.inverse_transform(Y), ["a", "d", "c"])


@pytest.mark.parametrize("order", ["appearance", "frequency"])
def test_onehot_label_encoder_order_follows_label_encoder(order):
    enc = OneHotLabelEncoder(order=order).fit(Y3)
    expected = LabelEncoder(order=order).fit(Y3).classes_
    assert_array_equal(enc.classes_, expected)
    Y = enc.transform(Y3)
    assert_array_equal(Y.argmax(axis=1), LabelEncoder(order=order).fit_transform(Y3))


def test_onehot_label_encoder_get_feature_names_out():
    enc = OneHotLabelEncoder().fit(Y3)
    names = enc.get_feature_names_out()
    assert names.dtype == object
    assert names.tolist() == ["a", "b", "c"]
    names = OneHotLabelEncoder().fit([10, 2, 33]).get_feature_names_out()
    assert names.tolist() == ["2", "10", "33"]
    assert all(isinstance(n, str) for n in names)
    with pytest.raises(NotFittedError):
        OneHotLabelEncoder().get_feature_names_out()


# --------------------------------------------------------------------------
# pandas output


def test_onehot_label_encoder_set_output_pandas():
    y = pd.Series(["b", "a", "c"], index=[10, 30, 20], name="label")
    enc = OneHotLabelEncoder(smoothing=0.3).set_output(transform="pandas")
    out = enc.fit_transform(y)
    assert isinstance(out, pd.DataFrame)
    assert out.columns.tolist() == ["a", "b", "c"]
    pd.testing.assert_index_equal(out.index, y.index)
    assert_allclose(out.to_numpy(), OneHotLabelEncoder(smoothing=0.3).fit_transform(y))
    out = enc.transform(y.iloc[:2])
    pd.testing.assert_index_equal(out.index, y.index[:2])
    assert out.loc[30, "a"] == pytest.approx(0.8)


def test_onehot_label_encoder_set_output_pandas_numeric_classes():
    out = OneHotLabelEncoder().set_output(transform="pandas").fit_transform([2, 1, 2])
    assert out.columns.tolist() == ["1", "2"]
    assert out.to_numpy().tolist() == [[0, 1], [1, 0], [0, 1]]


def test_onehot_label_encoder_sparse_with_pandas_output_raises():
    enc = OneHotLabelEncoder(sparse_output=True).set_output(transform="pandas")
    with pytest.raises(ValueError, match="Pandas output does not support sparse data"):
        enc.fit_transform(pd.Series(Y3))
    enc = OneHotLabelEncoder(sparse_output=True).fit(Y3).set_output(transform="pandas")
    with pytest.raises(ValueError, match="sparse_output=False"):
        enc.transform(Y3)


# --------------------------------------------------------------------------
# Estimator API


@pytest.mark.parametrize(
    "params", [{}, {"smoothing": 0.2}, {"sparse_output": True}, {"dtype": np.float32}]
)
def test_onehot_label_encoder_pickle_round_trip(params):
    enc = OneHotLabelEncoder(**params).fit(Y3)
    restored = pickle.loads(pickle.dumps(enc))
    a, b = enc.transform(Y3), restored.transform(Y3)
    if sparse.issparse(a):
        a, b = a.toarray(), b.toarray()
    assert_array_equal(a, b)
    assert a.dtype == b.dtype
    assert_array_equal(restored.inverse_transform(b), Y3)


def test_onehot_label_encoder_not_fitted_raises():
    with pytest.raises(NotFittedError):
        OneHotLabelEncoder().transform(Y3)
    with pytest.raises(NotFittedError):
        OneHotLabelEncoder().inverse_transform([[1, 0]])


def test_onehot_label_encoder_missing_labels_raise():
    with pytest.raises(ValueError, match=r"y contains missing labels.*1: None"):
        OneHotLabelEncoder().fit(["a", None])


# --------------------------------------------------------------------------
# Regressions


def test_onehot_label_encoder_smoothing_with_integer_dtype_raises():
    enc = OneHotLabelEncoder(smoothing=0.3, dtype=np.int64)
    with pytest.raises(ValueError, match="dtype"):
        enc.fit_transform(Y3)
