"""The class-major fast probabilities of a fitted LogisticRegression."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.datasets import load_breast_cancer, load_iris, load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.extmath import softmax

from sklabels.active import UncertaintySampling
from sklabels.active._strategies import _entropy, _least_confident, _margin
from sklabels.utils._fast_proba import (
    _binary_softmax_t,
    _ovr_t,
    linear_proba_t,
)


def _data(name):
    loader = {"iris": load_iris, "wine": load_wine, "cancer": load_breast_cancer}
    X, y = loader[name](return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.mark.parametrize("name", ["iris", "wine", "cancer"])
def test_linear_proba_t_equals_predict_proba(name):
    X, y = _data(name)
    clf = LogisticRegression(max_iter=2000).fit(X[::3], y[::3])
    fast = linear_proba_t(clf, X)
    assert fast is not None
    np.testing.assert_allclose(fast(X).T, clf.predict_proba(X), rtol=1e-12, atol=1e-15)


def test_linear_proba_t_float32_and_pipeline_and_subclass_without_overrides():
    X, y = _data("wine")
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    pipe.fit(X[::2], y[::2])
    fast = linear_proba_t(pipe, X)
    np.testing.assert_allclose(fast(X).T, pipe.predict_proba(X), atol=1e-14)
    clf = LogisticRegression(max_iter=2000).fit(X[::2], y[::2])
    X32 = X.astype(np.float32)
    np.testing.assert_allclose(
        linear_proba_t(clf, X32)(X32).T, clf.predict_proba(X32), atol=1e-14
    )

    class Renamed(LogisticRegression):  # inherits both methods unchanged
        pass

    sub = Renamed(max_iter=2000).fit(X[::2], y[::2])
    np.testing.assert_allclose(
        linear_proba_t(sub, X)(X).T, sub.predict_proba(X), atol=1e-14
    )


def test_linear_proba_t_leaves_what_it_cannot_match_to_the_model():
    X, y = _data("iris")

    class Tempered(LogisticRegression):
        def predict_proba(self, X):
            return softmax(self.decision_function(X) / 2.0)

    assert linear_proba_t(Tempered(max_iter=500).fit(X, y), X) is None
    frame = pd.DataFrame(X, columns=list("abcd"))
    named = LogisticRegression(max_iter=500).fit(frame, y)
    assert linear_proba_t(named, frame) is None  # feature-name checks stay
    plain = LogisticRegression(max_iter=500).fit(X, y)
    fast = linear_proba_t(plain, X)
    assert fast(sparse.csr_matrix(X)) is None  # sparse blocks go to the model
    bad = X.copy()
    bad[3, 1] = np.nan
    assert fast(bad) is None  # so that the model raises its NaN error
    bad[3, 1] = np.inf
    assert fast(bad) is None
    assert linear_proba_t(make_pipeline(StandardScaler()).fit(X), X) is None


def test_linear_proba_t_other_mappings_match_sklearn_formulas():
    X, y = _data("wine")
    clf = LogisticRegression(max_iter=2000).fit(X, y)
    scores = clf.decision_function(X)
    # one-vs-rest sigmoids normalised, as LinearClassifierMixin does
    expected = 1 / (1 + np.exp(-scores))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(_ovr_t(scores.T.copy()).T, expected, atol=1e-14)
    one = scores[:, :1].T.copy()
    np.testing.assert_allclose(
        _binary_softmax_t(one).T, softmax(np.c_[-one[0], one[0]]), atol=1e-14
    )


@pytest.mark.parametrize("method", ["least_confident", "margin", "entropy"])
def test_uncertainty_sampling_fast_path_equals_model_probabilities(method):
    X, y = _data("cancer")
    clf = LogisticRegression(max_iter=2000).fit(X[:60], y[:60])

    class Slow(LogisticRegression):  # same model, asked through predict_proba
        def predict_proba(self, X):
            return super().predict_proba(X)

    slow = Slow(max_iter=2000).fit(X[:60], y[:60])
    strategy = UncertaintySampling(method, chunk_size=100)
    np.testing.assert_allclose(
        strategy.utility(clf, X), strategy.utility(slow, X), rtol=1e-12, atol=1e-14
    )
    np.testing.assert_array_equal(
        strategy.query(clf, X, 10), strategy.query(slow, X, 10)
    )


def test_uncertainty_sampling_fast_path_keeps_model_warnings_and_errors():
    X, y = _data("iris")
    clf = LogisticRegression(max_iter=500).fit(pd.DataFrame(X, columns=list("abcd")), y)
    with pytest.warns(UserWarning, match="feature names"):
        UncertaintySampling().utility(clf, X)
    plain = LogisticRegression(max_iter=500).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        UncertaintySampling().utility(plain, X)


def _row_major_reference(proba, method):
    top = np.sort(proba, axis=1)[:, ::-1]
    if method == "least_confident":
        return 1 - top[:, 0]
    if method == "margin":
        if proba.shape[1] < 2:
            return np.zeros(proba.shape[0])
        return 1 - (top[:, 0] - top[:, 1])
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.where(proba > 0, proba * np.log(proba), 0.0).sum(axis=1)


@settings(max_examples=60, deadline=None)
@given(
    n_classes=st.sampled_from([1, 2, 3, 5, 64, 65, 120]),
    n_rows=st.integers(1, 40),
    seed=st.integers(0, 2**31 - 1),
)
def test_class_major_kernels_equal_row_major_formulas(n_classes, n_rows, seed):
    rng = np.random.default_rng(seed)
    proba = rng.dirichlet(np.full(n_classes, 0.3), size=n_rows)
    proba[rng.random(proba.shape) < 0.1] = 0.0  # exact zeros and ties
    proba_t = np.ascontiguousarray(proba.T)
    for method, kernel in [
        ("least_confident", _least_confident),
        ("margin", _margin),
        ("entropy", _entropy),
    ]:
        expected = _row_major_reference(proba, method)
        np.testing.assert_allclose(kernel(proba_t), expected, atol=1e-12)
