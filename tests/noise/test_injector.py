"""Tests for LabelNoiseInjector."""

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import Pipeline
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.utils._param_validation import InvalidParameterError

from sklabels.datasets import make_noisy_labels
from sklabels.noise._injector import LabelNoiseInjector

NOISE_MATRIX = np.array(
    [
        [0.8, 0.1, 0.0],
        [0.2, 0.8, 0.3],
        [0.0, 0.1, 0.7],
    ]
)


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=150,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        random_state=0,
    )
    return X, y


def test_label_noise_injector_flips_like_make_noisy_labels(data):
    X, y = data
    injector = LabelNoiseInjector(noise_rate=0.2, random_state=0)
    X_res, y_res = injector.fit_resample(X, y)
    expected, flipped = make_noisy_labels(y, noise_rate=0.2, random_state=0)
    assert_array_equal(X_res, X)
    assert_array_equal(y_res, expected)
    assert_array_equal(injector.noisy_mask_, flipped)
    assert_array_equal(injector.noisy_mask_, y_res != y)
    assert_array_equal(injector.sample_indices_, np.arange(len(y)))
    # exact number of flips per class: round(50 * 0.2)
    assert_array_equal(np.bincount(y[injector.noisy_mask_]), [10, 10, 10])
    assert injector.sampling_strategy_ == "auto"


def test_label_noise_injector_noise_matrix(data):
    X, y = data
    injector = LabelNoiseInjector(
        noise_rate=None, noise_matrix=NOISE_MATRIX, random_state=0
    )
    _, y_res = injector.fit_resample(X, y)
    expected, flipped = make_noisy_labels(y, noise_matrix=NOISE_MATRIX, random_state=0)
    assert_array_equal(y_res, expected)
    assert_array_equal(injector.noisy_mask_, flipped)
    assert not ((y == 0) & (y_res == 2)).any()  # a zero noise rate


def test_label_noise_injector_fit_sets_the_same_attributes(data):
    X, y = data
    a = LabelNoiseInjector(random_state=0).fit(X, y)
    b = LabelNoiseInjector(random_state=0)
    b.fit_resample(X, y)
    assert_array_equal(a.noisy_mask_, b.noisy_mask_)
    assert a.n_features_in_ == 4


@pytest.mark.parametrize("container", ["list", "ndarray", "pandas", "categorical"])
def test_label_noise_injector_containers(data, container):
    X, y = data
    names = np.array(["ant", "bee", "cat"])[y]
    index = pd.Index(np.arange(len(y)) + 100)
    if container == "list":
        X_in, y_in = X.tolist(), names.tolist()
    elif container == "ndarray":
        X_in, y_in = X, names
    else:
        X_in = pd.DataFrame(X, columns=list("abcd"), index=index)
        dtype = "category" if container == "categorical" else None
        y_in = pd.Series(names, index=index, name="animal", dtype=dtype)
    injector = LabelNoiseInjector(random_state=0)
    X_res, y_res = injector.fit_resample(X_in, y_in)
    expected, _ = make_noisy_labels(names, noise_rate=0.2, random_state=0)
    assert_array_equal(np.asarray(y_res), expected)
    assert_allclose(np.asarray(X_res, dtype=float), X)
    if container == "list":
        assert isinstance(X_res, list) and isinstance(y_res, list)
    elif container == "ndarray":
        assert y_res.dtype == names.dtype
    else:
        assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
        assert y_res.name == "animal"
        assert_array_equal(X_res.index, index)
        assert_array_equal(y_res.index, index)
        if container == "categorical":
            assert isinstance(y_res.dtype, pd.CategoricalDtype)


def test_label_noise_injector_preserves_dtype(data):
    X, y = data
    _, y_res = LabelNoiseInjector(random_state=0).fit_resample(X, y.astype(np.int32))
    assert y_res.dtype == np.int32


def test_label_noise_injector_reproducible(data):
    X, y = data
    state = np.random.get_state()[1].copy()
    _, a = LabelNoiseInjector(random_state=1).fit_resample(X, y)
    _, b = LabelNoiseInjector(random_state=1).fit_resample(X, y)
    _, c = LabelNoiseInjector(random_state=np.random.RandomState(1)).fit_resample(X, y)
    _, d = LabelNoiseInjector(random_state=2).fit_resample(X, y)
    assert_array_equal(np.random.get_state()[1], state)
    assert_array_equal(a, b)
    assert_array_equal(a, c)
    assert not np.array_equal(a, d)


def test_label_noise_injector_exactly_one_of_rate_and_matrix(data):
    X, y = data
    with pytest.raises(ValueError, match=r"got both .* pass noise_rate=None"):
        LabelNoiseInjector(noise_matrix=NOISE_MATRIX).fit_resample(X, y)
    with pytest.raises(ValueError, match="Exactly one of noise_rate and noise_matrix"):
        LabelNoiseInjector(noise_rate=None).fit_resample(X, y)


def test_label_noise_injector_same_errors_as_make_noisy_labels(data):
    X, y = data
    bad = NOISE_MATRIX.copy()
    bad[0, 0] = 0.5  # column 0 no longer sums to 1
    with pytest.raises(ValueError) as direct:
        make_noisy_labels(y, noise_matrix=bad)
    with pytest.raises(ValueError) as via_injector:
        LabelNoiseInjector(noise_rate=None, noise_matrix=bad).fit_resample(X, y)
    assert str(via_injector.value) == str(direct.value)


@pytest.mark.parametrize(
    "params, name",
    [({"noise_rate": 1.5}, "noise_rate"), ({"noise_rate": "high"}, "noise_rate")],
)
def test_label_noise_injector_invalid_params(data, params, name):
    X, y = data
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter"):
        LabelNoiseInjector(**params).fit_resample(X, y)


def test_label_noise_injector_bad_input(data):
    X, y = data
    with pytest.raises(ValueError, match=r"y holds only one class \(0\)"):
        LabelNoiseInjector().fit_resample(X, np.zeros(len(y), dtype=int))
    with pytest.raises(ValueError, match="y contains missing labels"):
        LabelNoiseInjector().fit_resample(X, np.r_[np.nan, y[1:]])
    with pytest.raises(ValueError, match="X with 150 rows and y with 149 labels"):
        LabelNoiseInjector().fit_resample(X, y[:-1])


def test_label_noise_injector_grid_search_scores_on_clean_test_folds(data):
    """Acceptance: noise in training folds only, test folds keep clean labels."""
    X, y = data
    clean = {row.tobytes(): label for row, label in zip(X, y, strict=True)}
    n_scored = []

    def clean_accuracy(estimator, X_test, y_test):
        # the scorer sees the original labels of the held-out rows
        assert_array_equal(y_test, [clean[row.tobytes()] for row in X_test])
        n_scored.append(len(y_test))
        return accuracy_score(y_test, estimator.predict(X_test))

    pipe = Pipeline(
        [
            ("noise", LabelNoiseInjector(random_state=0)),
            ("clf", LogisticRegression()),
        ]
    )
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    grid = {"noise__noise_rate": [0.0, 0.3], "clf__C": [0.1, 1.0]}
    search = GridSearchCV(
        pipe, grid, cv=cv, scoring=clean_accuracy, error_score="raise"
    ).fit(X, y)
    assert sum(n_scored) == len(y) * 4  # every test row scored, once per setting

    # the same numbers by hand: fit on noisy training labels, score on clean
    for i, params in enumerate(search.cv_results_["params"]):
        for k, (train, test) in enumerate(cv.split(X, y)):
            model = clone(pipe).set_params(**params).fit(X[train], y[train])
            noisy = model.named_steps["noise"].noisy_mask_
            assert noisy.sum() == (0 if params["noise__noise_rate"] == 0 else 30)
            expected = accuracy_score(y[test], model.predict(X[test]))
            assert search.cv_results_[f"split{k}_test_score"][i] == expected
