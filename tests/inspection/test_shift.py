"""Tests of estimate_label_shift and LabelShiftClassifier."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import minimize
from scipy.special import softmax
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_iris, load_wine
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, log_loss
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

from sklabels.inspection import LabelShiftClassifier, estimate_label_shift
from sklabels.inspection._shift import _project_simplex

# --------------------------------------------------------------------------
# Helpers: a generative model with exactly calibrated posteriors
# --------------------------------------------------------------------------

MEANS = np.array([-2.0, 0.0, 2.0])


def _gaussian_sample(priors, n, rng):
    """Rows of a 1-D Gaussian mixture (unit variance, MEANS) with ``priors``."""
    y = rng.choice(MEANS.size, size=n, p=priors)
    x = rng.normal(MEANS[y], 1.0)
    return x, y


def _posteriors(x, priors):
    """Exact p(y | x) of the mixture with ``priors``."""
    log_lik = -0.5 * (x[:, None] - MEANS[None, :]) ** 2
    return softmax(log_lik + np.log(priors), axis=1)


def _log_likelihood(pred_probs, source_priors, priors):
    return np.log(pred_probs @ (priors / source_priors)).sum()


SOURCE = np.array([0.5, 0.3, 0.2])
TARGET = np.array([0.1, 0.3, 0.6])


def _shifted_problem(seed=0, n=20_000):
    rng = np.random.default_rng(seed)
    x_new, y_new = _gaussian_sample(TARGET, n, rng)
    x_val, y_val = _gaussian_sample(SOURCE, n, rng)
    return (
        _posteriors(x_new, SOURCE),
        y_new,
        _posteriors(x_val, SOURCE),
        y_val,
    )


# --------------------------------------------------------------------------
# estimate_label_shift: EM
# --------------------------------------------------------------------------


def test_estimate_label_shift_em_recovers_true_priors():
    pred_probs, y_new, _, _ = _shifted_problem()
    priors = estimate_label_shift(pred_probs, SOURCE)
    realised = np.bincount(y_new, minlength=3) / y_new.size
    assert isinstance(priors, np.ndarray) and priors.shape == (3,)
    np.testing.assert_allclose(priors, realised, atol=0.02)
    # and it is much closer than the naive estimates
    naive = pred_probs.mean(axis=0)
    assert np.abs(priors - realised).sum() < np.abs(naive - realised).sum() / 3


def test_estimate_label_shift_em_is_the_maximum_likelihood():
    pred_probs, _, _, _ = _shifted_problem(n=2_000)
    priors = estimate_label_shift(pred_probs, SOURCE, tol=1e-12, max_iter=100_000)

    def objective(z):
        return -_log_likelihood(pred_probs, SOURCE, softmax(z))

    best = softmax(minimize(objective, np.zeros(3), method="BFGS", tol=1e-12).x)
    np.testing.assert_allclose(priors, best, atol=1e-4)
    assert (
        _log_likelihood(pred_probs, SOURCE, priors)
        >= _log_likelihood(pred_probs, SOURCE, best) - 1e-8
    )


def test_estimate_label_shift_em_result_is_a_fixed_point():
    rng = np.random.default_rng(1)
    pred_probs = rng.dirichlet(np.ones(4) * 0.5, size=500)
    source = np.array([0.1, 0.2, 0.3, 0.4])
    priors = estimate_label_shift(pred_probs, source, tol=1e-12, max_iter=100_000)
    adjusted = pred_probs * (priors / source)
    adjusted /= adjusted.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(adjusted.mean(axis=0), priors, atol=1e-10)


def test_estimate_label_shift_em_without_shift_keeps_source_priors():
    rng = np.random.default_rng(2)
    pred_probs = rng.dirichlet(np.ones(3), size=300)
    source = pred_probs.mean(axis=0)
    source /= source.sum()
    priors = estimate_label_shift(pred_probs, source)
    np.testing.assert_allclose(priors, source, atol=1e-12)


def test_estimate_label_shift_em_priors_sum_to_one_and_are_non_negative():
    rng = np.random.default_rng(3)
    pred_probs = rng.dirichlet(np.ones(5) * 0.2, size=200)
    pred_probs[:, 4] = 0.0  # a class that no row supports
    pred_probs /= pred_probs.sum(axis=1, keepdims=True)
    priors = estimate_label_shift(pred_probs, np.full(5, 0.2))
    assert priors.sum() == pytest.approx(1.0, abs=1e-12)
    assert (priors >= 0).all()
    assert priors[4] == 0.0


def test_estimate_label_shift_em_warns_when_not_converged():
    pred_probs, _, _, _ = _shifted_problem(n=500)
    with pytest.warns(ConvergenceWarning, match="did not converge in max_iter=2"):
        priors = estimate_label_shift(pred_probs, SOURCE, max_iter=2)
    assert priors.sum() == pytest.approx(1.0)


def test_estimate_label_shift_em_tol_controls_the_stop():
    pred_probs, _, _, _ = _shifted_problem(n=2_000)
    exact = estimate_label_shift(pred_probs, SOURCE, tol=1e-14, max_iter=100_000)
    loose = estimate_label_shift(pred_probs, SOURCE, tol=1e-2)
    tight = estimate_label_shift(pred_probs, SOURCE, tol=1e-8)
    assert np.abs(tight - exact).max() < np.abs(loose - exact).max()


def test_estimate_label_shift_accepts_float32_pred_probs():
    pred_probs, _, _, _ = _shifted_problem(n=1_000)
    p32 = pred_probs.astype(np.float32)
    priors = estimate_label_shift(p32, SOURCE)
    np.testing.assert_allclose(
        priors, estimate_label_shift(pred_probs, SOURCE), atol=1e-4
    )


def test_estimate_label_shift_one_class_is_trivial():
    assert estimate_label_shift(np.ones((4, 1)), [1.0]).tolist() == [1.0]


# --------------------------------------------------------------------------
# estimate_label_shift: BBSE
# --------------------------------------------------------------------------


def test_estimate_label_shift_bbse_recovers_true_priors():
    pred_probs, y_new, pred_probs_val, y_val = _shifted_problem()
    priors = estimate_label_shift(
        pred_probs, SOURCE, "bbse", y_val=y_val, pred_probs_val=pred_probs_val
    )
    realised = np.bincount(y_new, minlength=3) / y_new.size
    np.testing.assert_allclose(priors, realised, atol=0.03)
    assert priors.sum() == pytest.approx(1.0, abs=1e-12)


def test_estimate_label_shift_bbse_solves_the_confusion_system():
    pred_probs, _, pred_probs_val, y_val = _shifted_problem(n=3_000)
    priors = estimate_label_shift(
        pred_probs, SOURCE, "bbse", y_val=y_val, pred_probs_val=pred_probs_val
    )
    # independently: joint confusion C (predicted, true), mu, w = C^-1 mu
    joint = confusion_matrix(y_val, pred_probs_val.argmax(axis=1)).T / y_val.size
    mu = np.bincount(pred_probs.argmax(axis=1), minlength=3) / pred_probs.shape[0]
    weights = np.linalg.solve(joint, mu)
    expected = weights * np.bincount(y_val) / y_val.size
    assert (expected >= 0).all()  # inside the simplex: projection is a no-op
    np.testing.assert_allclose(priors, expected / expected.sum(), atol=1e-12)


def test_estimate_label_shift_bbse_projects_onto_simplex_not_clips():
    # classes 0 and 1 are confused on validation data; the new data's argmax
    # shares then imply a negative prior for class 1
    y_val = np.array([0] * 10 + [1] * 10 + [2] * 10)
    predicted_val = np.array(
        [0] * 6 + [1] * 4 + [1] * 6 + [0] * 4 + [2] * 10
    )  # classes 0 and 1 confused
    pred_probs_val = np.eye(3)[predicted_val]
    pred_probs = np.eye(3)[np.array([0] * 9 + [1] * 1 + [2] * 10)]
    priors = estimate_label_shift(
        pred_probs, [1 / 3] * 3, "bbse", y_val=y_val, pred_probs_val=pred_probs_val
    )
    joint = confusion_matrix(y_val, predicted_val).T / y_val.size
    raw = np.linalg.solve(joint, np.array([0.45, 0.05, 0.5])) / 3
    assert raw.min() < 0  # the unconstrained solution leaves the simplex

    # the Euclidean projection, found independently by a constrained solver
    result = minimize(
        lambda p: ((p - raw) ** 2).sum(),
        np.full(3, 1 / 3),
        method="SLSQP",
        bounds=[(0, 1)] * 3,
        constraints=[{"type": "eq", "fun": lambda p: p.sum() - 1}],
        options={"ftol": 1e-14},
    )
    np.testing.assert_allclose(priors, result.x, atol=1e-6)
    clipped = np.clip(raw, 0, None)
    assert np.abs(priors - clipped / clipped.sum()).max() > 0.01


def test_estimate_label_shift_bbse_warns_on_singular_confusion():
    y_val = np.array([0, 0, 1, 1, 2, 2])
    pred_probs_val = np.eye(3)[[0, 0, 1, 1, 1, 1]]  # class 2 never predicted
    pred_probs = np.eye(3)[[0, 1, 1]]
    with pytest.warns(UserWarning, match=r"singular \(rank 2 of 3\).*\[2\]"):
        priors = estimate_label_shift(
            pred_probs, [1 / 3] * 3, "bbse", y_val=y_val, pred_probs_val=pred_probs_val
        )
    assert priors.sum() == pytest.approx(1.0) and (priors >= 0).all()


def test_estimate_label_shift_bbse_does_not_depend_on_source_priors():
    pred_probs, _, pred_probs_val, y_val = _shifted_problem(n=2_000)
    a = estimate_label_shift(
        pred_probs, SOURCE, "bbse", y_val=y_val, pred_probs_val=pred_probs_val
    )
    b = estimate_label_shift(
        pred_probs, [1 / 3] * 3, "bbse", y_val=y_val, pred_probs_val=pred_probs_val
    )
    np.testing.assert_array_equal(a, b)


@settings(max_examples=200, deadline=None)
@given(
    arrays(
        np.float64,
        st.integers(1, 8),
        elements=st.floats(-10, 10, allow_nan=False, allow_infinity=False),
    ),
    st.data(),
)
def test_project_simplex_is_the_closest_point_of_the_simplex(v, data):
    p = _project_simplex(v)
    assert (p >= 0).all()
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    other = data.draw(
        arrays(np.float64, v.size, elements=st.floats(0, 1, allow_nan=False))
    )
    if other.sum() > 0:
        other = other / other.sum()
        assert ((v - p) ** 2).sum() <= ((v - other) ** 2).sum() + 1e-9
    # a point of the simplex is its own projection
    np.testing.assert_allclose(_project_simplex(p), p, atol=1e-12)


# --------------------------------------------------------------------------
# estimate_label_shift: bad input
# --------------------------------------------------------------------------

P3 = np.array([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (
            {"source_priors": [0.5, 0.6, 0.1]},
            ValueError,
            r"source_priors must sum to 1, got \[0.5, 0.6, 0.1\] \(sum 1.2\)",
        ),
        (
            {"source_priors": [0.5, 0.5]},
            ValueError,
            r"pred_probs has 3 columns but source_priors has 2 entries "
            r"\(source_priors=\[0.5, 0.5\]\)",
        ),
        (
            {"source_priors": [[0.5, 0.5, 0.0]]},
            ValueError,
            r"source_priors must be a 1d array .* shape \(1, 3\)",
        ),
        (
            {"source_priors": ["a", "b", "c"]},
            TypeError,
            r"source_priors must hold numbers .*'a', 'b', 'c'",
        ),
        (
            {"source_priors": [1.2, -0.1, -0.1]},
            ValueError,
            r"source_priors must be non-negative, got \[1.2, -0.1, -0.1\]",
        ),
        (
            {"source_priors": [np.nan, 0.5, 0.5]},
            ValueError,
            r"source_priors must be finite, got \[nan, 0.5, 0.5\]",
        ),
        (
            {"source_priors": [0.5, 0.5, 0.0]},
            ValueError,
            r"source_priors must be positive: class\(es\) \[2\]",
        ),
        (
            {"pred_probs": [[0.2, 0.3, 0.6]]},
            ValueError,
            r"pred_probs rows must sum to 1 .* row 0 sums to 1.1",
        ),
        (
            {"pred_probs": np.array([[0.2, 0.3, 0.5], [0.2, 0.3, 0.6]])},
            ValueError,
            r"pred_probs rows must sum to 1 .* row 1 sums to 1.1",
        ),
        (
            {"pred_probs": np.array([[0.2, 0.3, 0.5], [np.inf, 0.0, 0.0]])},
            ValueError,
            r"pred_probs must hold finite class probabilities; row 1",
        ),
        (
            {"pred_probs": np.array([[1.2, -0.2, 0.0]])},
            ValueError,
            r"pred_probs must hold non-negative class probabilities; row 0",
        ),
        (
            {"pred_probs": [[np.nan, 0.5, 0.5]]},
            ValueError,
            r"pred_probs must hold finite class probabilities; row 0",
        ),
        (
            {"pred_probs": [0.2, 0.3, 0.5]},
            ValueError,
            r"pred_probs must be a 2d array .* shape \(3,\)",
        ),
        (
            {"y_val": [0, 1]},
            ValueError,
            r"y_val and pred_probs_val are used by method='bbse' only",
        ),
        (
            {"method": "bbse"},
            ValueError,
            r"method='bbse' needs validation data: y_val and pred_probs_val are "
            r"None",
        ),
        (
            {"method": "bbse", "y_val": [0, 1, 2]},
            ValueError,
            r"needs validation data: pred_probs_val is None",
        ),
        (
            {"method": "bbse", "y_val": [0, 1], "pred_probs_val": [[0.5, 0.5]] * 2},
            ValueError,
            r"pred_probs has 3 columns but pred_probs_val has 2",
        ),
        (
            {"method": "bbse", "y_val": [0, 1, 2], "pred_probs_val": P3},
            ValueError,
            r"y_val has 3 entries but pred_probs_val has 2 rows",
        ),
        (
            {"method": "bbse", "y_val": [0, 3], "pred_probs_val": P3},
            ValueError,
            r"y_val must hold class indices in 0..2 .* 1 row\(s\) \(1: 3\)",
        ),
        (
            {"method": "bbse", "y_val": [0.0, 1.5], "pred_probs_val": P3},
            ValueError,
            r"y_val must hold integer class indices .* non-integer values",
        ),
        (
            {"method": "bbse", "y_val": ["a", "b"], "pred_probs_val": P3},
            TypeError,
            r"y_val must hold integer class indices 0..2 .* such as 'a'",
        ),
        (
            {"method": "bbse", "y_val": [0, 1], "pred_probs_val": P3},
            ValueError,
            r"y_val has no row of class\(es\) \[2\]",
        ),
        ({"method": "mle"}, InvalidParameterError, r"'method' parameter"),
        ({"tol": -1.0}, InvalidParameterError, r"'tol' parameter"),
        ({"max_iter": 0}, InvalidParameterError, r"'max_iter' parameter"),
    ],
)
def test_estimate_label_shift_refuses_bad_input(kwargs, error, match):
    arguments = {"pred_probs": P3, "source_priors": [0.2, 0.3, 0.5], **kwargs}
    with pytest.raises(error, match=match):
        estimate_label_shift(**arguments)


# --------------------------------------------------------------------------
# LabelShiftClassifier
# --------------------------------------------------------------------------


def _wine(seed=0, labels=None):
    X, y = load_wine(return_X_y=True)
    if labels is not None:
        y = np.asarray(labels)[y]
    rng = np.random.default_rng(seed)
    order = rng.permutation(y.size)
    return X[order[:100]], y[order[:100]], X[order[100:]], y[order[100:]]


def _model():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


@pytest.mark.parametrize("method", ["em", "bbse"])
def test_label_shift_classifier_predicts_as_base_before_adapt(method):
    X, y, X_test, _ = _wine(labels=np.array(["red", "rose", "white"]))
    clf = LabelShiftClassifier(_model(), method=method).fit(X, y)
    base = clone(_model()).fit(X, y)
    np.testing.assert_array_equal(clf.predict(X_test), base.predict(X_test))
    np.testing.assert_array_equal(clf.predict_proba(X_test), base.predict_proba(X_test))
    np.testing.assert_array_equal(
        clf.predict_log_proba(X_test), base.predict_log_proba(X_test)
    )
    np.testing.assert_array_equal(clf.classes_, base.classes_)


def test_label_shift_classifier_reweights_by_prior_ratio():
    X, y, X_test, _ = _wine(labels=np.array(["red", "rose", "white"]))
    clf = LabelShiftClassifier(_model()).fit(X, y)
    base = clf.predict_proba(X_test)
    assert clf.adapt(X_test) is clf
    expected = base * clf.target_priors_ / clf.source_priors_
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(clf.predict_proba(X_test), expected, rtol=1e-12)
    np.testing.assert_array_equal(
        clf.predict(X_test), clf.classes_[expected.argmax(axis=1)]
    )
    np.testing.assert_allclose(
        clf.predict_log_proba(X_test), np.log(expected), rtol=1e-12
    )


def test_label_shift_classifier_adapt_estimates_with_em():
    X, y, X_test, _ = _wine()
    clf = LabelShiftClassifier(_model(), tol=1e-10).fit(X, y)
    clf.adapt(X_test)
    expected = estimate_label_shift(
        clf.estimator_.predict_proba(X_test), clf.source_priors_, tol=1e-10
    )
    np.testing.assert_array_equal(clf.target_priors_, expected)
    assert clf.n_iter_ >= 1


def test_label_shift_classifier_source_priors_are_training_frequencies():
    X, y, _, _ = _wine(labels=np.array(["c", "a", "b"]))
    clf = LabelShiftClassifier(_model()).fit(X, y)
    expected = pd.Series(y).value_counts(normalize=True).reindex(clf.classes_)
    np.testing.assert_allclose(clf.source_priors_, expected.to_numpy())
    assert clf.classes_.tolist() == ["a", "b", "c"]


def test_label_shift_classifier_source_priors_follow_sample_weight():
    X, y, _, _ = _wine()
    X = StandardScaler().fit_transform(X)
    weights = np.where(y == 0, 3.0, 1.0)
    clf = LabelShiftClassifier(LogisticRegression(max_iter=5000)).fit(
        X, y, sample_weight=weights
    )
    expected = np.bincount(y, weights=weights) / weights.sum()
    np.testing.assert_allclose(clf.source_priors_, expected)
    base = LogisticRegression(max_iter=5000).fit(X, y, sample_weight=weights)
    np.testing.assert_array_equal(clf.predict_proba(X), base.predict_proba(X))


def test_label_shift_classifier_reset_restores_base_predictions():
    X, y, X_test, _ = _wine()
    clf = LabelShiftClassifier(_model()).fit(X, y)
    before = clf.predict_proba(X_test)
    clf.adapt(target_priors=[0.8, 0.1, 0.1])
    assert not np.array_equal(clf.predict_proba(X_test), before)
    assert clf.reset() is clf
    assert not hasattr(clf, "target_priors_")
    np.testing.assert_array_equal(clf.predict_proba(X_test), before)


def test_label_shift_classifier_refit_forgets_target_priors():
    X, y, X_test, _ = _wine()
    clf = LabelShiftClassifier(_model()).fit(X, y).adapt(X_test)
    clf.fit(X, y)
    assert not hasattr(clf, "target_priors_") and not hasattr(clf, "n_iter_")


def test_label_shift_classifier_known_target_priors():
    X, y, _, _ = _wine()
    clf = LabelShiftClassifier(_model()).fit(X, y)
    clf.adapt(target_priors=np.array([0.2, 0.2, 0.6]))
    np.testing.assert_array_equal(clf.target_priors_, [0.2, 0.2, 0.6])
    assert not hasattr(clf, "n_iter_")


def test_label_shift_classifier_bbse_confusion_matrix_is_out_of_fold():
    X, y, _, _ = _wine()
    clf = LabelShiftClassifier(_model(), method="bbse").fit(X, y)
    oof = cross_val_predict(
        _model(), X, y, cv=StratifiedKFold(5), method="predict_proba"
    )
    np.testing.assert_array_equal(
        clf.confusion_matrix_, confusion_matrix(y, oof.argmax(axis=1))
    )


def test_label_shift_classifier_bbse_adapt_matches_the_function():
    X, y, X_test, _ = _wine()
    clf = LabelShiftClassifier(_model(), method="bbse").fit(X, y).adapt(X_test)
    oof = cross_val_predict(
        _model(), X, y, cv=StratifiedKFold(5), method="predict_proba"
    )
    expected = estimate_label_shift(
        clf.estimator_.predict_proba(X_test),
        clf.source_priors_,
        "bbse",
        y_val=y,
        pred_probs_val=oof,
    )
    np.testing.assert_array_equal(clf.target_priors_, expected)


def test_label_shift_classifier_bbse_parallel_folds_give_the_same_result():
    X, y, _, _ = _wine()
    one = LabelShiftClassifier(_model(), method="bbse", cv=4, random_state=0)
    two = clone(one).set_params(n_jobs=2)
    np.testing.assert_array_equal(
        one.fit(X, y).confusion_matrix_, two.fit(X, y).confusion_matrix_
    )


def test_label_shift_classifier_bbse_confusion_matrix_follows_sample_weight():
    X, y, _, _ = _wine()
    X = StandardScaler().fit_transform(X)
    weights = np.where(np.arange(y.size) % 3 == 0, 2.0, 0.5)
    model = LogisticRegression(max_iter=5000)
    clf = LabelShiftClassifier(model, method="bbse").fit(X, y, sample_weight=weights)
    predicted = np.empty(y.size, dtype=int)
    for train, test in StratifiedKFold(5).split(X, y):
        fold = clone(model).fit(X[train], y[train], sample_weight=weights[train])
        predicted[test] = fold.predict_proba(X[test]).argmax(axis=1)
    expected = confusion_matrix(y, predicted, sample_weight=weights)
    np.testing.assert_allclose(clf.confusion_matrix_, expected)
    # the row sums are the weighted class frequencies, as the source priors
    np.testing.assert_allclose(
        clf.confusion_matrix_.sum(axis=1) / weights.sum(), clf.source_priors_
    )


def test_label_shift_classifier_bbse_with_a_splitter():
    X, y, _, _ = _wine()
    clf = LabelShiftClassifier(
        _model(), method="bbse", cv=KFold(4, shuffle=True, random_state=1)
    ).fit(X, y)
    oof = cross_val_predict(
        _model(),
        X,
        y,
        cv=KFold(4, shuffle=True, random_state=1),
        method="predict_proba",
    )
    np.testing.assert_array_equal(
        clf.confusion_matrix_, confusion_matrix(y, oof.argmax(axis=1))
    )


def test_label_shift_classifier_bbse_lowers_folds_for_rare_classes():
    X, y, _, _ = _wine()
    keep = np.concatenate([np.flatnonzero(y != 2), np.flatnonzero(y == 2)[:3]])
    with pytest.warns(
        UserWarning, match=r"Class 2 has 3 rows, fewer than cv=5.*3 folds"
    ):
        clf = LabelShiftClassifier(_model(), method="bbse").fit(X[keep], y[keep])
    assert clf.confusion_matrix_.sum() == keep.size


@pytest.mark.parametrize("method", ["em", "bbse"])
def test_label_shift_classifier_lowers_log_loss_under_shift(method):
    X, y = load_breast_cancer(return_X_y=True)
    before, after, error_before, error_after = [], [], [], []
    for seed in range(5):
        rng = np.random.default_rng(seed)
        order = rng.permutation(y.size)
        train, test = order[:300], order[300:]
        # new data: every class-1 row, a sixth of the class-0 rows
        test = test[(y[test] == 1) | (rng.random(test.size) < 1 / 6)]
        clf = LabelShiftClassifier(_model(), method=method).fit(X[train], y[train])
        before.append(log_loss(y[test], clf.predict_proba(X[test])))
        clf.adapt(X[test])
        after.append(log_loss(y[test], clf.predict_proba(X[test])))
        realised = np.bincount(y[test]) / test.size
        error_before.append(np.abs(clf.source_priors_ - realised).sum())
        error_after.append(np.abs(clf.target_priors_ - realised).sum())
    assert np.mean(after) < 0.8 * np.mean(before)
    assert np.mean(error_after) < 0.2 * np.mean(error_before)


def test_label_shift_classifier_rows_without_mass_keep_base_probabilities():
    X, y = load_iris(return_X_y=True)
    clf = LabelShiftClassifier(DecisionTreeClassifier(random_state=0)).fit(X, y)
    base = clf.predict_proba(X)  # one-hot rows (pure leaves)
    clf.adapt(target_priors=[0.5, 0.5, 0.0])
    with pytest.warns(UserWarning, match=r"50 row\(s\) put all their probability"):
        proba = clf.predict_proba(X)
    np.testing.assert_array_equal(proba[y == 2], base[y == 2])
    np.testing.assert_array_equal(proba[y != 2], base[y != 2])


def test_label_shift_classifier_keeps_feature_names():
    X, y = load_iris(return_X_y=True, as_frame=True)
    clf = LabelShiftClassifier(LogisticRegression(max_iter=1000)).fit(X, y)
    assert clf.feature_names_in_.tolist() == list(X.columns)
    assert clf.n_features_in_ == 4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.adapt(X.iloc[:60]).predict(X)


# --------------------------------------------------------------------------
# LabelShiftClassifier: bad input
# --------------------------------------------------------------------------


def test_label_shift_classifier_refuses_estimator_without_predict_proba():
    X, y, _, _ = _wine()
    with pytest.raises(InvalidParameterError, match=r"'estimator' parameter"):
        LabelShiftClassifier(LinearSVC()).fit(X, y)


def test_label_shift_classifier_adapt_before_fit_raises():
    with pytest.raises(NotFittedError):
        LabelShiftClassifier(_model()).adapt(np.zeros((2, 13)))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({}, r"Give exactly one of X_new .* got neither"),
        (
            {"X_new": np.zeros((2, 13)), "target_priors": [0.2, 0.3, 0.5]},
            r"got both",
        ),
        (
            {"target_priors": [0.5, 0.5]},
            r"pred_probs has 3 columns but target_priors has 2 entries",
        ),
        ({"target_priors": [0.5, 0.5, 0.5]}, r"target_priors must sum to 1"),
    ],
)
def test_label_shift_classifier_adapt_refuses_bad_input(kwargs, match):
    X, y, _, _ = _wine()
    clf = LabelShiftClassifier(_model()).fit(X, y)
    with pytest.raises(ValueError, match=match):
        clf.adapt(**kwargs)


@pytest.mark.parametrize("method", ["em", "bbse"])
def test_label_shift_classifier_refuses_a_class_of_zero_weight(method):
    X, y, X_test, _ = _wine()
    X = StandardScaler().fit_transform(X)
    weights = np.where(y == 1, 0.0, 1.0)
    clf = LabelShiftClassifier(LogisticRegression(max_iter=1000), method=method)
    match = r"The class\(es\) \[1\] have a total sample_weight of 0"
    with pytest.raises(ValueError, match=match):
        clf.fit(X, y, sample_weight=weights).adapt(X_test)


def test_label_shift_classifier_adapt_warns_when_em_does_not_converge():
    X, y, X_test, _ = _wine()
    clf = LabelShiftClassifier(_model(), max_iter=1).fit(X, y)
    with pytest.warns(ConvergenceWarning, match=r"max_iter=1 iterations"):
        clf.adapt(X_test)
    assert clf.n_iter_ == 1
    assert clf.target_priors_.sum() == pytest.approx(1.0)


def test_label_shift_classifier_bbse_refuses_a_class_with_one_row():
    X, y, _, _ = _wine()
    keep = np.concatenate([np.flatnonzero(y != 2), np.flatnonzero(y == 2)[:1]])
    with pytest.raises(ValueError, match=r"class 2 has 1 row\(s\) in y"):
        LabelShiftClassifier(_model(), method="bbse").fit(X[keep], y[keep])


def test_label_shift_classifier_bbse_refuses_folds_that_are_not_a_partition():
    X, y, _, _ = _wine()
    splits = [(np.arange(50), np.arange(50, 100)), (np.arange(50, 100), np.arange(40))]
    with pytest.raises(ValueError, match=r"exactly one test fold.*miss 10 row"):
        LabelShiftClassifier(_model(), method="bbse", cv=splits).fit(X, y)
