import tracemalloc

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import optimize, sparse
from scipy.special import log_softmax, softmax
from sklearn.datasets import load_iris, make_classification
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from sklabels.smoothing import (
    LabelSmoother,
    LabelSmoothingClassifier,
    SoftLabelClassifier,
)

TIGHT = {"tol": 1e-12, "max_iter": 10_000}


@pytest.fixture(scope="module")
def data3():
    X, y = make_classification(
        n_samples=300,
        n_features=5,
        n_informative=4,
        n_redundant=0,
        n_classes=3,
        random_state=0,
    )
    return StandardScaler().fit_transform(X), y


def _soft_targets(y, n_classes, seed=0):
    rng = np.random.RandomState(seed)
    Y = rng.dirichlet(np.ones(n_classes), size=len(y)) * 0.5
    Y[np.arange(len(y)), y] += 0.5
    return Y


def _reference_soft_logistic(X, Y, C, sample_weight=None):
    """Direct minimisation of C * sum_i s_i CE(Y_i, softmax(X_i W + b)) + |W|^2/2.

    Written independently of sklabels: plain numpy, scipy's BFGS.
    """
    n, d = X.shape
    K = Y.shape[1]
    s = np.ones(n) if sample_weight is None else sample_weight

    def f(w):
        W, b = w[: K * d].reshape(K, d), w[K * d :]
        Z = X @ W.T + b
        loss = -C * np.sum(s[:, None] * Y * log_softmax(Z, axis=1))
        G = C * s[:, None] * (softmax(Z, axis=1) * Y.sum(1, keepdims=True) - Y)
        grad = np.concatenate([(G.T @ X + W).ravel(), G.sum(0)])
        return loss + 0.5 * np.sum(W**2), grad

    res = optimize.minimize(
        f,
        np.zeros(K * (d + 1)),
        jac=True,
        method="BFGS",
        options={"gtol": 1e-10, "maxiter": 10_000},
    )
    return res.x[: K * d].reshape(K, d), res.x[K * d :]


@pytest.mark.parametrize("method", ["expand", "auto"])
def test_soft_label_classifier_one_hot_equals_plain_logistic(data3, method):
    X, y = data3
    plain = LogisticRegression(**TIGHT).fit(X, y)
    Y = np.eye(3)[y]
    soft = SoftLabelClassifier(LogisticRegression(**TIGHT), method=method).fit(X, Y)
    assert soft.method_ == ("expand" if method == "expand" else "direct")
    assert_allclose(soft.estimator_.coef_, plain.coef_, atol=1e-6)
    assert_allclose(soft.estimator_.intercept_, plain.intercept_, atol=1e-6)
    assert_allclose(soft.predict_proba(X), plain.predict_proba(X), atol=1e-7)


@pytest.mark.parametrize("method", ["expand", "auto"])
def test_soft_label_classifier_minimises_soft_cross_entropy(data3, method):
    X, y = data3
    Y = _soft_targets(y, 3)
    soft = SoftLabelClassifier(LogisticRegression(C=0.5, **TIGHT), method=method)
    soft.fit(X, Y)
    W, b = _reference_soft_logistic(X, Y, C=0.5)
    assert_allclose(soft.estimator_.coef_, W, atol=1e-5)
    assert_allclose(soft.estimator_.intercept_, b - b.mean(), atol=1e-5)
    assert_allclose(soft.predict_proba(X), softmax(X @ W.T + b, axis=1), atol=1e-6)


def test_soft_label_classifier_sample_weight_multiplies_targets(data3):
    X, y = data3
    Y = _soft_targets(y, 3, seed=1)
    w = np.random.RandomState(2).uniform(0.5, 2, size=len(y))
    direct = SoftLabelClassifier(LogisticRegression(**TIGHT)).fit(X, Y, w)
    expand = SoftLabelClassifier(LogisticRegression(**TIGHT), method="expand")
    expand.fit(X, Y, sample_weight=w)
    W, _ = _reference_soft_logistic(X, Y, C=1.0, sample_weight=w)
    for model in (direct, expand):
        assert_allclose(model.estimator_.coef_, W, atol=1e-5)


def test_soft_label_classifier_binary_soft_targets():
    X, y = load_iris(return_X_y=True)
    X, y = StandardScaler().fit_transform(X[y > 0]), y[y > 0] - 1
    Y = _soft_targets(y, 2)
    direct = SoftLabelClassifier(LogisticRegression(**TIGHT)).fit(X, Y)
    expand = SoftLabelClassifier(LogisticRegression(**TIGHT), method="expand")
    expand.fit(X, Y)
    assert direct.estimator_.coef_.shape == (1, 4)
    assert_allclose(direct.estimator_.coef_, expand.estimator_.coef_, atol=1e-6)
    assert_allclose(direct.predict_proba(X), expand.predict_proba(X), atol=1e-8)


def test_soft_label_classifier_direct_path_does_not_copy_x():
    X, y = make_classification(
        n_samples=20_000,
        n_features=50,
        n_informative=10,
        n_classes=4,
        random_state=0,
    )
    Y = _soft_targets(y, 4)
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    SoftLabelClassifier(LogisticRegression(max_iter=50)).fit(X, Y)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    # two (n, K) buffers; an expansion would need K copies of X (4 x 7.6 MiB)
    assert peak < X.nbytes


def test_soft_label_classifier_string_labels_and_dataframe_targets():
    X, y = load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    clf = SoftLabelClassifier(LogisticRegression(max_iter=500)).fit(X, names)
    assert_array_equal(clf.classes_, ["setosa", "versicolor", "virginica"])
    assert set(clf.predict(X)) <= set(names)
    Y = pd.DataFrame(_soft_targets(y, 3), columns=["s", "ve", "vi"])
    clf = SoftLabelClassifier(LogisticRegression(max_iter=500)).fit(X, Y)
    assert_array_equal(clf.classes_, ["s", "ve", "vi"])
    clf = SoftLabelClassifier(LogisticRegression(max_iter=500), classes=[7, 8, 9])
    assert_array_equal(clf.fit(X, Y.to_numpy()).classes_, [7, 8, 9])
    assert set(clf.predict(X)) <= {7, 8, 9}


def test_soft_label_classifier_any_classifier_with_sample_weight():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    Y = _soft_targets(y, 3)
    for base, min_accuracy in (
        (DecisionTreeClassifier(random_state=0), 0.9),
        (HistGradientBoostingClassifier(max_iter=20, random_state=0), 0.9),
        (SGDClassifier(loss="log_loss", random_state=0), 0.7),
    ):
        clf = SoftLabelClassifier(base).fit(X, Y)
        assert clf.method_ == "expand"
        assert (clf.predict(X) == y).mean() > min_accuracy
        if hasattr(clf, "predict_proba"):
            assert_allclose(clf.predict_proba(X).sum(axis=1), 1.0)


def test_soft_label_classifier_unseen_class_gets_zero_probability():
    X, y = load_iris(return_X_y=True)
    Y = np.eye(3)[y]
    Y[:, 2] = 0
    Y[y == 2, 1] = 1  # class 2 never receives mass
    clf = SoftLabelClassifier(DecisionTreeClassifier(random_state=0)).fit(X, Y)
    proba = clf.predict_proba(X)
    assert proba.shape == (150, 3)
    assert_array_equal(proba[:, 2], 0)


def test_soft_label_classifier_requires_sample_weight_support():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(TypeError, match=r"KNeighborsClassifier\.fit does not accept"):
        SoftLabelClassifier(KNeighborsClassifier()).fit(X, y)


def test_soft_label_classifier_delegated_methods():
    assert hasattr(SoftLabelClassifier(LogisticRegression()), "decision_function")
    assert not hasattr(
        SoftLabelClassifier(DecisionTreeClassifier()), "decision_function"
    )
    X, y = load_iris(return_X_y=True)
    clf = SoftLabelClassifier(LogisticRegression(max_iter=500)).fit(X, y)
    assert clf.decision_function(X).shape == (150, 3)
    assert_allclose(np.exp(clf.predict_log_proba(X)), clf.predict_proba(X))


@pytest.mark.parametrize(
    "Y, match",
    [
        (
            np.full((150, 3), 0.5),
            r"rows must sum to 1.*row 0 sums to 1\.5.*149 more row",
        ),
        (
            np.tile([1.2, -0.2, 0.0], (150, 1)),
            "non-negative class probabilities; row 0",
        ),
        (np.tile([np.nan, 0.5, 0.5], (150, 1)), "NaN or infinity"),
        (np.full((149, 3), 1 / 3), "inconsistent numbers of samples"),
    ],
)
def test_soft_label_classifier_bad_targets(Y, match):
    X, _ = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match=match):
        SoftLabelClassifier(LogisticRegression()).fit(X, Y)


def test_soft_label_classifier_classes_must_match_columns():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="3 columns but there are 2 classes"):
        SoftLabelClassifier(LogisticRegression(), classes=["a", "b"]).fit(
            X, np.eye(3)[y]
        )


def test_soft_label_classifier_continuous_target_refused():
    X, _ = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        SoftLabelClassifier(LogisticRegression()).fit(X, np.linspace(0, 1, 150))


@pytest.mark.parametrize(
    "base",
    [LogisticRegression(max_iter=500), DecisionTreeClassifier(random_state=0)],
)
def test_label_smoothing_classifier_alpha_zero_reproduces_base(base):
    X, y = load_iris(return_X_y=True)
    smoothed = LabelSmoothingClassifier(base, alpha=0.0).fit(X, y)
    plain = base.fit(X, y)
    assert smoothed.method_ == "hard"
    assert_array_equal(smoothed.predict(X), plain.predict(X))
    assert_array_equal(smoothed.predict_proba(X), plain.predict_proba(X))


@pytest.mark.parametrize("kind", ["uniform", "others", "prior"])
def test_label_smoothing_classifier_equals_soft_classifier(kind):
    X, y = load_iris(return_X_y=True)
    Y = LabelSmoother(alpha=0.2, kind=kind).fit_transform(y)
    expected = SoftLabelClassifier(LogisticRegression(max_iter=500)).fit(X, Y)
    got = LabelSmoothingClassifier(
        LogisticRegression(max_iter=500), alpha=0.2, kind=kind
    ).fit(X, y)
    assert_allclose(got.predict_proba(X), expected.predict_proba(X))


def test_label_smoothing_lowers_confidence():
    X, y = load_iris(return_X_y=True)
    plain = LabelSmoothingClassifier(LogisticRegression(C=100, max_iter=2000), alpha=0)
    smooth = LabelSmoothingClassifier(
        LogisticRegression(C=100, max_iter=2000), alpha=0.3
    )
    top_plain = plain.fit(X, y).predict_proba(X).max(axis=1).mean()
    top_smooth = smooth.fit(X, y).predict_proba(X).max(axis=1).mean()
    assert top_smooth < top_plain
    # the model cannot be more confident than the smoothed target on average
    assert top_smooth < 1 - 0.3 + 0.3 / 3 + 0.02


def test_label_smoothing_classifier_grid_search_and_pipeline():
    X, y = load_iris(return_X_y=True)
    pipe = make_pipeline(
        StandardScaler(), LabelSmoothingClassifier(LogisticRegression(max_iter=500))
    )
    search = GridSearchCV(
        pipe,
        {
            "labelsmoothingclassifier__alpha": [0.0, 0.1, 0.3],
            "labelsmoothingclassifier__kind": ["uniform", "others"],
            "labelsmoothingclassifier__estimator__C": [0.1, 1.0],
        },
        scoring="neg_log_loss",
        cv=3,
    ).fit(X, y)
    assert search.best_score_ > -0.5
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert cross_val_score(pipe, X, y, cv=3).mean() > 0.9


def test_label_smoothing_classifier_string_labels():
    X, y = load_iris(return_X_y=True)
    names = np.array(["a", "b", "c"])[y]
    clf = LabelSmoothingClassifier(LogisticRegression(max_iter=500)).fit(X, names)
    assert_array_equal(clf.classes_, ["a", "b", "c"])
    assert (clf.predict(X) == names).mean() > 0.9


def test_soft_label_classifier_wraps_a_pipeline():
    X, y = load_iris(return_X_y=True)
    Y = _soft_targets(y, 3)
    w = np.random.RandomState(0).uniform(0.5, 2, size=len(y))
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
    wrapped = SoftLabelClassifier(pipe).fit(X, Y, sample_weight=w)
    assert wrapped.method_ == "expand"
    X_scaled = StandardScaler().fit(X).transform(X)
    direct = SoftLabelClassifier(LogisticRegression(max_iter=500), method="expand")
    # the scaler inside the pipeline sees the expanded rows: same mean and scale
    # as the original rows only up to the weighting, so compare predictions
    direct.fit(X_scaled, Y, sample_weight=w)
    assert (wrapped.predict(X) == direct.predict(X_scaled)).mean() > 0.95


def test_label_smoothing_classifier_same_error_for_every_alpha():
    X, y = load_iris(return_X_y=True)
    for alpha in (0.0, 0.1):
        with pytest.raises(TypeError, match=r"KNeighborsClassifier\.fit does not"):
            LabelSmoothingClassifier(KNeighborsClassifier(), alpha=alpha).fit(X, y)
    pipe = make_pipeline(StandardScaler(), KNeighborsClassifier())
    with pytest.raises(TypeError, match=r"KNeighborsClassifier\.fit does not"):
        LabelSmoothingClassifier(pipe, alpha=0.0).fit(X, y)


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
@pytest.mark.parametrize("method", ["expand", "auto"])
def test_soft_label_classifier_accepts_sparse_soft_targets(data3, fmt, method):
    X, y = data3
    Y = _soft_targets(y, 3)
    Y[Y < 0.1] = 0  # sparse rows
    Y /= Y.sum(axis=1, keepdims=True)
    dense = SoftLabelClassifier(LogisticRegression(), method=method).fit(X, Y)
    fitted = SoftLabelClassifier(LogisticRegression(), method=method).fit(
        X, sparse.coo_matrix(Y).asformat(fmt)
    )
    assert_array_equal(fitted.classes_, dense.classes_)
    assert_allclose(fitted.predict_proba(X), dense.predict_proba(X))


def test_soft_label_classifier_sparse_targets_are_validated(data3):
    X, y = data3
    Y = sparse.csr_matrix(np.full((len(y), 3), 0.5))
    with pytest.raises(ValueError, match=r"Y rows must sum to 1.*row 0 sums to 1\.5"):
        SoftLabelClassifier(LogisticRegression()).fit(X, Y)
