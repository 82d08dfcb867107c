"""Tests for ConfidentLearningFilter and ConfidentLearningClassifier."""

import warnings

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import Pipeline
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.compose import ColumnTransformer, make_column_transformer
from sklearn.datasets import load_digits, load_iris, make_classification
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    ShuffleSplit,
    StratifiedKFold,
    cross_val_predict,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils import get_tags
from sklearn.utils._param_validation import InvalidParameterError

from sklabels.datasets import make_noisy_labels
from sklabels.noise._count import confident_joint, estimate_noise_matrices
from sklabels.noise._filter import _removal_counts, find_label_issues
from sklabels.noise._filter_estimator import (
    ConfidentLearningClassifier,
    ConfidentLearningFilter,
)
from sklabels.noise._rank import label_quality_scores

METHODS = [
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
]
PRUNING = ["prune_by_noise_rate", "prune_by_class", "both"]


@pytest.fixture(scope="module")
def fitted(noisy3):
    X, y, _ = noisy3
    return ConfidentLearningFilter(random_state=0).fit(X, y)


def _codes(y):
    return np.unique(y, return_inverse=True)[1]


# --------------------------------------------------------------------------
# behaviour
# --------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_confident_learning_filter_removes_exactly_the_flagged_rows(noisy3, method):
    X, y, _ = noisy3
    frac_noise = 0.8 if method in PRUNING else 1.0  # others ignore it
    flt = ConfidentLearningFilter(method=method, frac_noise=frac_noise, random_state=0)
    X_res, y_res = flt.fit_resample(X, y)

    expected = find_label_issues(
        _codes(y), flt.pred_probs_, method=method, frac_noise=frac_noise
    )
    assert_array_equal(flt.label_issues_, expected)
    assert flt.label_issues_.any()
    kept = np.flatnonzero(~flt.label_issues_)
    assert_array_equal(flt.sample_indices_, kept)
    assert_array_equal(X_res, X[kept])
    assert_array_equal(y_res, y[kept])


@pytest.mark.parametrize("method", ["prune_by_noise_rate", "predicted_neq_given"])
def test_confident_learning_filter_relabels_exactly_the_flagged_rows(noisy3, method):
    X, y, _ = noisy3
    flt = ConfidentLearningFilter(method=method, action="relabel", random_state=0)
    X_res, y_res = flt.fit_resample(X, y)

    flags = find_label_issues(_codes(y), flt.pred_probs_, method=method)
    assert_array_equal(flt.label_issues_, flags)
    assert_array_equal(X_res, X)
    assert_array_equal(flt.sample_indices_, np.arange(len(y)))
    predicted = flt.classes_[flt.pred_probs_.argmax(axis=1)]
    assert_array_equal(y_res[flags], predicted[flags])
    assert_array_equal(y_res[~flags], y[~flags])
    assert (y_res != y).any()


@pytest.mark.parametrize("action", ["remove", "relabel"])
def test_confident_learning_filter_accounts_for_every_row(noisy3, action):
    X, y, _ = noisy3
    flt = ConfidentLearningFilter(action=action, random_state=0)
    _, y_res = flt.fit_resample(X, y)
    report = flt.label_issues_report_

    n = len(y)
    assert report.shape == (n, 10)
    assert_array_equal(report.index, np.arange(n))
    assert_array_equal(report["given_label"], y)
    assert_array_equal(report["is_label_issue"], flt.label_issues_)
    assert_allclose(report["label_quality"], flt.label_quality_)
    assert_array_equal(
        report["predicted_label"], flt.classes_[flt.pred_probs_.argmax(axis=1)]
    )
    returned = np.zeros(n, dtype=bool)
    returned[flt.sample_indices_] = True
    if action == "remove":
        # every row is either returned or flagged, never both
        assert_array_equal(returned, ~flt.label_issues_)
        assert len(y_res) + flt.label_issues_.sum() == n
        assert_array_equal(report["action"] == "removed", flt.label_issues_)
        assert set(report["action"]) == {"kept", "removed"}
    else:
        assert returned.all() and len(y_res) == n
        changed = y_res != y
        assert_array_equal(report["action"] == "relabeled", changed)
        assert not (changed & ~flt.label_issues_).any()  # only flagged rows change
        assert set(report["action"]) == {"kept", "relabeled"}


def test_confident_learning_filter_fitted_attributes(noisy3, fitted):
    X, y, _ = noisy3
    codes = _codes(y)
    assert_array_equal(fitted.classes_, [0, 1, 2])
    assert fitted.n_splits_ == 5
    assert fitted.pred_probs_.shape == (len(y), 3)
    assert_allclose(fitted.pred_probs_.sum(axis=1), 1.0)
    assert fitted.label_issues_.dtype == bool
    assert_allclose(fitted.label_quality_, fitted.pred_probs_[np.arange(len(y)), codes])
    assert_allclose(
        fitted.label_quality_, label_quality_scores(codes, fitted.pred_probs_)
    )
    assert_allclose(fitted.confident_joint_, confident_joint(codes, fitted.pred_probs_))
    assert_allclose(
        fitted.noise_matrix_, estimate_noise_matrices(codes, fitted.pred_probs_)[0]
    )
    assert fitted.sampling_strategy_ == "auto"
    assert fitted.n_features_in_ == X.shape[1]


def test_confident_learning_filter_fit_sets_the_same_attributes(noisy3, fitted):
    X, y, _ = noisy3
    flt = ConfidentLearningFilter(random_state=0)
    X_res, _ = flt.fit_resample(X, y)
    assert_array_equal(flt.label_issues_, fitted.label_issues_)
    assert_array_equal(flt.sample_indices_, fitted.sample_indices_)
    pd.testing.assert_frame_equal(flt.label_issues_report_, fitted.label_issues_report_)
    assert len(X_res) == len(fitted.sample_indices_)


def test_confident_learning_filter_pred_probs_are_out_of_fold(noisy3):
    X, y, _ = noisy3
    cv = StratifiedKFold(n_splits=4, shuffle=True, random_state=1)
    flt = ConfidentLearningFilter(LogisticRegression(C=0.5), cv=cv).fit(X, y)
    expected = cross_val_predict(
        LogisticRegression(C=0.5), X, y, cv=cv, method="predict_proba"
    )
    assert_allclose(flt.pred_probs_, expected)
    assert flt.n_splits_ == 4


def test_confident_learning_filter_finds_noise_on_digits():
    X, y = load_digits(return_X_y=True)
    y_noisy, flipped = make_noisy_labels(y, noise_rate=0.2, random_state=0)
    flt = ConfidentLearningFilter(random_state=0, n_jobs=2).fit(X / 16, y_noisy)
    found = flt.label_issues_
    precision = (found & flipped).sum() / found.sum()
    recall = (found & flipped).sum() / flipped.sum()
    # chance: precision 0.2. Measured: precision 0.94, recall 0.93 (cleanlab
    # gives the same flags on these probabilities).
    assert precision > 0.85
    assert recall > 0.85


def test_confident_learning_filter_string_labels_match_integer_labels(noisy3):
    X, y, _ = noisy3
    names = np.array(["ant", "bee", "cat"])[y]  # sorted like 0, 1, 2
    by_code = ConfidentLearningFilter(action="relabel", random_state=0).fit(X, y)
    flt = ConfidentLearningFilter(action="relabel", random_state=0)
    _, y_res = flt.fit_resample(X, names)
    assert_array_equal(flt.classes_, ["ant", "bee", "cat"])
    assert_array_equal(flt.label_issues_, by_code.label_issues_)
    assert_allclose(flt.pred_probs_, by_code.pred_probs_)
    _, y_res_codes = by_code.fit_resample(X, y)
    assert_array_equal(y_res, np.array(["ant", "bee", "cat"])[y_res_codes])
    assert y_res.dtype == names.dtype


@pytest.mark.parametrize("container", ["list", "ndarray", "pandas", "categorical"])
def test_confident_learning_filter_containers(noisy3, fitted, container):
    X, y, _ = noisy3
    names = np.array(["ant", "bee", "cat"])[y]
    index = pd.Index(np.arange(len(y)) * 10 + 7, name="row")
    if container == "list":
        X_in, y_in = X.tolist(), names.tolist()
    elif container == "ndarray":
        X_in, y_in = X, names
    else:
        X_in = pd.DataFrame(X, columns=[f"f{i}" for i in range(5)], index=index)
        dtype = "category" if container == "categorical" else None
        y_in = pd.Series(names, index=index, name="animal", dtype=dtype)

    flt = ConfidentLearningFilter(random_state=0)
    X_res, y_res = flt.fit_resample(X_in, y_in)
    assert_array_equal(flt.label_issues_, fitted.label_issues_)
    kept = np.flatnonzero(~fitted.label_issues_)
    assert_array_equal(np.asarray(X_res, dtype=float), X[kept])
    assert_array_equal(np.asarray(y_res), names[kept])
    if container == "list":
        assert isinstance(X_res, list) and isinstance(y_res, list)
    elif container == "ndarray":
        assert isinstance(X_res, np.ndarray) and isinstance(y_res, np.ndarray)
        assert_array_equal(flt.label_issues_report_.index, np.arange(len(y)))
    else:
        assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
        assert list(X_res.columns) == list(X_in.columns)
        assert y_res.name == "animal"
        assert_array_equal(X_res.index, index[kept])
        assert_array_equal(y_res.index, index[kept])
        assert flt.label_issues_report_.index.equals(index)
        assert_array_equal(flt.feature_names_in_, X_in.columns)
        if container == "categorical":
            assert isinstance(y_res.dtype, pd.CategoricalDtype)


def test_confident_learning_filter_report_index_from_dataframe_x(noisy3, fitted):
    X, y, _ = noisy3
    index = pd.Index([f"row{i}" for i in range(len(y))])
    frame = pd.DataFrame(X, index=index, columns=[f"f{i}" for i in range(5)])
    flt = ConfidentLearningFilter(random_state=0)
    X_res, y_res = flt.fit_resample(frame, y)
    assert flt.label_issues_report_.index.equals(index)
    assert isinstance(y_res, np.ndarray)  # y keeps its own container
    flagged = flt.label_issues_report_.query("is_label_issue").index
    assert_array_equal(flagged, index[fitted.label_issues_])
    assert not X_res.index.isin(flagged).any()


def test_confident_learning_filter_passes_dataframes_to_the_estimator(noisy3):
    """A pipeline inside the filter can select columns by name."""
    X, y, _ = noisy3
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(5)])
    frame["colour"] = np.where(X[:, 0] > 0, "red", "blue")
    estimator = make_pipeline(
        ColumnTransformer(
            [("onehot", OneHotEncoder(), ["colour"])], remainder="passthrough"
        ),
        LogisticRegression(),
    )
    flt = ConfidentLearningFilter(estimator, random_state=0)
    X_res, _ = flt.fit_resample(frame, y)
    assert list(X_res.columns) == list(frame.columns)
    assert X_res["colour"].dtype == frame["colour"].dtype
    assert len(X_res) == (~flt.label_issues_).sum()


def test_confident_learning_filter_reproducible(noisy3):
    X, y, _ = noisy3
    state = np.random.get_state()[1].copy()
    a = ConfidentLearningFilter(random_state=3).fit(X, y)
    b = ConfidentLearningFilter(random_state=3).fit(X, y)
    c = ConfidentLearningFilter(random_state=np.random.RandomState(3)).fit(X, y)
    assert_array_equal(np.random.get_state()[1], state)  # global state untouched
    for other in (b, c):
        assert_array_equal(a.pred_probs_, other.pred_probs_)
        assert_array_equal(a.label_issues_, other.label_issues_)
    d = ConfidentLearningFilter(random_state=4).fit(X, y)
    assert not np.array_equal(a.pred_probs_, d.pred_probs_)  # other folds


def test_confident_learning_filter_n_jobs_gives_identical_results(noisy3, fitted):
    X, y, _ = noisy3
    serial = ConfidentLearningFilter(random_state=0, n_jobs=1).fit(X, y)
    parallel = ConfidentLearningFilter(random_state=0, n_jobs=2).fit(X, y)
    for est in (serial, fitted):  # fitted: n_jobs=None
        assert_array_equal(parallel.pred_probs_, est.pred_probs_)
        assert_array_equal(parallel.label_issues_, est.label_issues_)
        assert_array_equal(parallel.confident_joint_, est.confident_joint_)


# --------------------------------------------------------------------------
# rare classes and folds
# --------------------------------------------------------------------------


def _with_rare_classes(X, y):
    """Add a class of 3 rows and a class of 1 row (labels 3 and 4)."""
    y = y.copy()
    y[:3] = 3
    y[3] = 4
    return X, y


def test_confident_learning_filter_lowers_folds_for_small_classes(noisy3):
    X, y = _with_rare_classes(*noisy3[:2])
    y[3] = 3  # classes of 4 rows: 4 folds
    with pytest.warns(UserWarning, match=r"fewer rows than cv=5 .* using 4 folds"):
        flt = ConfidentLearningFilter(random_state=0).fit(X, y)
    assert flt.n_splits_ == 4
    assert_allclose(flt.pred_probs_.sum(axis=1), 1.0)


def test_confident_learning_filter_single_row_class_is_never_flagged(noisy3):
    X, y = _with_rare_classes(*noisy3[:2])
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        flt = ConfidentLearningFilter(method="predicted_neq_given", random_state=0)
        _, y_res = flt.fit_resample(X, y)
    messages = [str(w.message) for w in record]
    assert any("using 2 folds" in m for m in messages)
    assert any("[4] of y have a single row" in m for m in messages)
    assert not any("least populated class" in m for m in messages)  # ours only
    assert flt.n_splits_ == 2
    assert_array_equal(flt.pred_probs_[3], [0, 0, 0, 0, 1])  # its given label
    assert not flt.label_issues_[3]
    assert 4 in y_res
    assert_array_equal(
        flt.label_issues_, find_label_issues(y, flt.pred_probs_, method=flt.method)
    )


def test_confident_learning_filter_splitter_missing_a_class(noisy3):
    """A user splitter that leaves a class out of every training fold."""
    X = noisy3[0][:90]
    y = np.repeat([0, 1, 2], 30)  # unshuffled KFold(3): each fold holds one class
    flt = ConfidentLearningFilter(cv=KFold(3)).fit(X, y)
    # each fold borrowed its first held-out row into training
    borrowed = [0, 30, 60]
    assert_array_equal(flt.pred_probs_[borrowed], np.eye(3))
    assert not flt.label_issues_[borrowed].any()
    assert_allclose(flt.pred_probs_.sum(axis=1), 1.0)


def test_confident_learning_filter_accepts_a_splitter(noisy3):
    X, y, _ = noisy3
    flt = ConfidentLearningFilter(cv=KFold(3, shuffle=True, random_state=0)).fit(X, y)
    assert flt.n_splits_ == 3
    with pytest.raises(ValueError, match="exactly one test fold"):
        ConfidentLearningFilter(cv=ShuffleSplit(3, random_state=0)).fit(X, y)


# --------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------


def test_confident_learning_filter_estimator_without_predict_proba(noisy3):
    X, y, _ = noisy3
    with pytest.raises(
        TypeError, match=r"estimator=LinearSVC\(\) has no predict_proba"
    ):
        ConfidentLearningFilter(LinearSVC()).fit_resample(X, y)


@pytest.mark.parametrize(
    "y, match",
    [
        (np.zeros(20), r"y holds only one class \(0.0\)"),
        (["a"] * 20, r"y holds only one class \('a'\)"),
        (np.r_[np.nan, np.arange(19) % 2], r"y contains missing labels .* \(0: "),
        (["a", None] + ["a", "b"] * 9, r"y contains missing labels .* \(1: None\)"),
        (np.linspace(0, 1, 20), "Unknown label type: continuous"),
    ],
)
def test_confident_learning_filter_bad_labels(y, match):
    X = np.random.RandomState(0).normal(size=(20, 2))
    with pytest.raises(ValueError, match=match):
        ConfidentLearningFilter().fit_resample(X, y)


def test_confident_learning_filter_bad_shapes_and_cv(noisy3):
    X, y, _ = noisy3
    with pytest.raises(ValueError, match="X with 300 rows and y with 299 labels"):
        ConfidentLearningFilter().fit_resample(X, y[:-1])
    with pytest.raises(ValueError, match=r"cv=8 is larger than the number of samples"):
        ConfidentLearningFilter(cv=8).fit_resample(X[:6], [0, 1] * 3)


@pytest.mark.parametrize("cv", [3, 2, KFold(2)])
def test_confident_learning_filter_every_class_a_single_row(cv):
    X = np.arange(8.0).reshape(4, 2)
    y = ["a", "b", "c", "d"]
    with pytest.raises(
        ValueError, match=r"Every class of y has a single row \(4 rows, 4 classes\)"
    ):
        ConfidentLearningFilter(cv=cv).fit_resample(X, y)


@pytest.mark.parametrize(
    "params, name",
    [
        ({"method": "prune"}, "method"),
        ({"action": "drop"}, "action"),
        ({"frac_noise": 1.5}, "frac_noise"),
        ({"cv": 1}, "cv"),
        ({"cv": "five"}, "cv"),
        ({"estimator": "LogisticRegression"}, "estimator"),
    ],
)
def test_confident_learning_filter_invalid_params(noisy3, params, name):
    X, y, _ = noisy3
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter"):
        ConfidentLearningFilter(**params).fit_resample(X, y)


def test_confident_learning_filter_validates_the_inner_estimator(noisy3):
    X, y, _ = noisy3
    with pytest.raises(InvalidParameterError, match="'C' parameter of Logistic"):
        ConfidentLearningFilter(LogisticRegression(C=-1.0)).fit_resample(X, y)


# --------------------------------------------------------------------------
# pipelines and search
# --------------------------------------------------------------------------


def test_confident_learning_filter_in_pipeline_grid_search(noisy3):
    """Acceptance: imblearn Pipeline + GridSearchCV over method and C."""
    X, y, _ = noisy3
    pipe = Pipeline(
        [
            ("filter", ConfidentLearningFilter(cv=3, random_state=0)),
            ("clf", LogisticRegression()),
        ]
    )
    grid = {
        "filter__method": ["prune_by_noise_rate", "predicted_neq_given"],
        "clf__C": [0.1, 1.0],
    }
    search = GridSearchCV(pipe, grid, cv=3, error_score="raise").fit(X, y)
    assert set(search.best_params_) == {"filter__method", "clf__C"}
    assert len(search.cv_results_["params"]) == 4
    best = search.best_estimator_
    flt = best.named_steps["filter"]
    assert flt.label_issues_.shape == (len(y),)  # refit on all rows
    n_kept = (~flt.label_issues_).sum()
    assert best.named_steps["clf"].n_features_in_ == X.shape[1]
    assert len(best.predict(X)) == len(y)  # the filter acts in fit only
    # the classifier was trained on the kept rows exactly
    reference = clone(best.named_steps["clf"]).fit(
        X[~flt.label_issues_], y[~flt.label_issues_]
    )
    assert_allclose(best.named_steps["clf"].coef_, reference.coef_)
    assert n_kept < len(y)


# --------------------------------------------------------------------------
# ConfidentLearningClassifier
# --------------------------------------------------------------------------


def test_confident_learning_classifier_fits_on_kept_rows(noisy3):
    X, y, _ = noisy3
    clf = ConfidentLearningClassifier(
        LogisticRegression(C=0.5), filter=ConfidentLearningFilter(random_state=0)
    ).fit(X, y)
    flags = clf.filter_.label_issues_
    assert_array_equal(clf.label_issues_, flags)
    assert_array_equal(clf.classes_, [0, 1, 2])
    reference = LogisticRegression(C=0.5).fit(X[~flags], y[~flags])
    assert_allclose(clf.estimator_.coef_, reference.coef_)
    assert_array_equal(clf.predict(X), reference.predict(X))
    assert_allclose(clf.predict_proba(X), reference.predict_proba(X))
    assert_allclose(clf.predict_log_proba(X), reference.predict_log_proba(X))
    assert_allclose(clf.decision_function(X), reference.decision_function(X))
    assert clf.n_features_in_ == 5
    assert clf.filter_ is not clf.filter  # cloned


def test_confident_learning_classifier_default_filter(noisy3):
    X, y, _ = noisy3
    clf = ConfidentLearningClassifier(LogisticRegression(C=0.5)).fit(X, y)
    assert isinstance(clf.filter_, ConfidentLearningFilter)
    assert clf.filter_.estimator.get_params()["C"] == 0.5
    assert clf.filter_.estimator is not clf.estimator
    assert clf.label_issues_.any()


def test_confident_learning_classifier_delegates_methods_truthfully(noisy3):
    X, y, _ = noisy3
    clf = ConfidentLearningClassifier(
        LinearSVC(), filter=ConfidentLearningFilter(random_state=0)
    )
    assert not hasattr(clf, "predict_proba")
    assert hasattr(clf, "decision_function")
    clf.fit(X, y)
    assert not hasattr(clf, "predict_proba")
    assert clf.decision_function(X).shape == (len(y), 3)
    with pytest.raises(TypeError, match=r"LinearSVC\(\), which has no predict_proba"):
        ConfidentLearningClassifier(LinearSVC()).fit(X, y)


def test_confident_learning_classifier_class_removed_by_filter(noisy3):
    """A class whose rows are all flagged keeps a column of zeros."""
    X, y, _ = noisy3
    y = y.copy()
    y[np.flatnonzero(y == 0)[:6]] = 3  # 6 rows labelled 3 inside class 0
    clf = ConfidentLearningClassifier(
        LogisticRegression(),
        filter=ConfidentLearningFilter(method="predicted_neq_given", random_state=0),
    ).fit(X, y)
    assert_array_equal(clf.classes_, [0, 1, 2, 3])
    assert_array_equal(clf.estimator_.classes_, [0, 1, 2])
    proba = clf.predict_proba(X)
    assert proba.shape == (len(y), 4)
    assert_allclose(proba[:, 3], 0.0)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert np.isneginf(clf.decision_function(X)[:, 3]).all()


def test_confident_learning_classifier_sample_weight(noisy3):
    X, y, _ = noisy3
    weight = np.random.RandomState(0).uniform(0.5, 2.0, size=len(y))
    filt = ConfidentLearningFilter(random_state=0)
    clf = ConfidentLearningClassifier(LogisticRegression(), filter=filt)
    clf.fit(X, y, sample_weight=weight)
    kept = ~clf.label_issues_
    reference = LogisticRegression().fit(X[kept], y[kept], sample_weight=weight[kept])
    assert_allclose(clf.estimator_.coef_, reference.coef_)


def test_confident_learning_classifier_metadata_routing(noisy3):
    import sklearn

    X, y, _ = noisy3
    weight = np.random.RandomState(0).uniform(0.5, 2.0, size=len(y))
    with sklearn.config_context(enable_metadata_routing=True):
        estimator = LogisticRegression().set_fit_request(sample_weight=True)
        unweighted = LogisticRegression().set_fit_request(sample_weight=False)
        clf = ConfidentLearningClassifier(
            estimator, filter=ConfidentLearningFilter(unweighted, random_state=0)
        ).fit(X, y, sample_weight=weight)
        # the filter's fold models did not request the weights
        reference_filter = ConfidentLearningFilter(random_state=0).fit(X, y)
        assert_array_equal(clf.filter_.pred_probs_, reference_filter.pred_probs_)
        kept = ~clf.label_issues_
        reference = LogisticRegression().fit(
            X[kept], y[kept], sample_weight=weight[kept]
        )
        assert_allclose(clf.estimator_.coef_, reference.coef_)


def test_confident_learning_classifier_grid_search(noisy3):
    X, y, _ = noisy3
    clf = ConfidentLearningClassifier(
        LogisticRegression(), filter=ConfidentLearningFilter(cv=3, random_state=0)
    )
    search = GridSearchCV(
        clf,
        {"estimator__C": [0.1, 1.0], "filter__method": ["both", "prune_by_class"]},
        cv=3,
        error_score="raise",
    ).fit(X, y)
    assert set(search.best_params_) == {"estimator__C", "filter__method"}
    assert search.best_score_ > 0.7


def test_confident_learning_tags_follow_the_estimator():
    hgb = HistGradientBoostingClassifier()
    assert get_tags(ConfidentLearningFilter(hgb)).input_tags.allow_nan
    assert not get_tags(ConfidentLearningFilter()).input_tags.allow_nan
    assert get_tags(ConfidentLearningFilter()).input_tags.sparse
    assert get_tags(ConfidentLearningClassifier(hgb)).input_tags.allow_nan
    lr_filter = ConfidentLearningFilter(LogisticRegression())
    tags = get_tags(ConfidentLearningClassifier(hgb, filter=lr_filter)).input_tags
    assert not tags.allow_nan  # the filter's estimator cannot take NaN
    assert get_tags(ConfidentLearningFilter()).sampler_tags.sample_indices


def test_confident_learning_filter_with_nan_features():
    """The estimator decides which X it accepts (NaN for gradient boosting)."""
    X, y = make_classification(n_samples=120, n_features=4, random_state=0)
    X[::7, 0] = np.nan
    flt = ConfidentLearningFilter(
        HistGradientBoostingClassifier(max_iter=10), cv=3, random_state=0
    )
    X_res, _ = flt.fit_resample(X, y)
    assert np.isnan(X_res).any()
    with pytest.raises(ValueError, match="Input X contains NaN"):
        ConfidentLearningFilter(cv=3).fit_resample(X, y)


class _NaNProbaLogisticRegression(LogisticRegression):
    """Logistic regression whose probabilities are NaN on every 7th row."""

    def predict_proba(self, X):
        proba = super().predict_proba(X)
        proba[::7] = np.nan
        return proba


def test_confident_learning_filter_nan_probabilities_name_the_classifier(noisy3):
    X, y_noisy, _ = noisy3
    with pytest.raises(
        ValueError,
        match=r"_NaNProbaLogisticRegression\.predict_proba returned NaN or infinite "
        r"probabilities for \d+ of 300 rows \(first: row \d+ of X, \[nan, nan, "
        r"nan\]\); label issues cannot be found with them",
    ):
        ConfidentLearningFilter(_NaNProbaLogisticRegression()).fit_resample(X, y_noisy)


# --------------------------------------------------------------------------
# why a row was flagged
# --------------------------------------------------------------------------


def _selecting_cells(codes, pred_probs, n_select):
    """Brute force: for each row, the classes j whose cell (label, j) selects
    it among the n_select largest margins p[j] - p[label] of its class."""
    cells = [set() for _ in codes]
    for k in np.unique(codes):
        rows = np.flatnonzero(codes == k)
        for j in range(pred_probs.shape[1]):
            if j == k or n_select[k, j] == 0:
                continue
            margins = pred_probs[rows, j] - pred_probs[rows, k]
            cut = np.sort(margins)[::-1][min(n_select[k, j], rows.size) - 1]
            for i in rows[margins >= cut]:
                cells[i].add(j)
    return cells


@pytest.mark.parametrize("method", ["prune_by_noise_rate", "prune_by_class"])
def test_confident_learning_filter_report_says_why_rows_were_flagged(noisy3, method):
    X, y, _ = noisy3
    names = np.array(["ant", "bee", "cat"])[y]
    flt = ConfidentLearningFilter(method=method, random_state=0).fit(X, names)
    report = flt.label_issues_report_
    proba = flt.pred_probs_
    codes = _codes(names)
    rows = np.arange(len(y))
    others = np.where(np.eye(3, dtype=bool)[codes], -1.0, proba)
    runner_up = others.argmax(axis=1)
    assert_array_equal(report["runner_up_label"], flt.classes_[runner_up])
    assert_allclose(report["runner_up_proba"], proba[rows, runner_up])
    assert_allclose(report["margin"], proba[rows, codes] - proba[rows, runner_up])
    flagged = flt.label_issues_
    # a flagged row's runner-up is the predicted class
    assert_array_equal(
        report["runner_up_label"][flagged], report["predicted_label"][flagged]
    )
    assert (report["margin"][flagged] < 0).all()
    # the cell: "given -> other", in the user's class names, with its rate
    given, other = report["noise_cell"].str.split(" -> ", expand=True).T.to_numpy()
    assert_array_equal(given, names)
    other_codes = np.searchsorted(flt.classes_, other)
    assert_allclose(report["noise_rate"], flt.noise_matrix_[codes, other_codes])
    if method == "prune_by_class":
        assert_array_equal(other_codes, runner_up)
        return
    n_select = _removal_counts(flt.confident_joint_, 1, 1.0)
    cells = _selecting_cells(codes, proba, n_select)
    for i in np.flatnonzero(flagged):
        assert other_codes[i] in cells[i]
        best = max(cells[i], key=lambda j: proba[i, j])
        assert proba[i, other_codes[i]] == proba[i, best]
    assert_array_equal(other_codes[~flagged], runner_up[~flagged])


def test_confident_learning_filter_report_names_the_cell_that_selected_a_row():
    """A row flagged by a cell other than its runner-up's says so."""
    X, y = load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    names[[5, 55]] = ["versicolor", "virginica"]
    flt = ConfidentLearningFilter(random_state=0).fit(X, names)
    row = flt.label_issues_report_.loc[83]
    assert row["is_label_issue"]
    assert row["runner_up_label"] == "virginica"
    assert row["noise_cell"] == "versicolor -> setosa"
    assert row["noise_rate"] == flt.noise_matrix_[1, 0] > 0


def test_confident_learning_filter_report_joins_out_of_fold_probabilities(noisy3):
    X, y, _ = noisy3
    index = pd.Index([f"r{i}" for i in range(len(y))], name="id")
    y_in = pd.Series(np.array(["ant", "bee", "cat"])[y], index=index)
    flt = ConfidentLearningFilter(random_state=0).fit(X, y_in)
    full = flt.report()
    assert full.index.equals(index)
    base = flt.label_issues_report_
    pd.testing.assert_frame_equal(full[base.columns], base)
    columns = ["proba_ant", "proba_bee", "proba_cat"]
    assert list(full.columns) == [*base.columns, *columns]
    assert_array_equal(full[columns].to_numpy(), flt.pred_probs_)
    pd.testing.assert_frame_equal(flt.report(proba=False), base)
    issues = flt.report(issues_only=True)
    assert issues.index.equals(
        full.index[flt.label_issues_][
            np.argsort(flt.label_quality_[flt.label_issues_], kind="stable")
        ]
    )
    assert issues["label_quality"].is_monotonic_increasing


def test_confident_learning_filter_report_with_a_repeated_index(noisy3):
    X, y, _ = noisy3
    y_in = pd.Series(y, index=np.arange(len(y)) // 2)  # each label twice
    flt = ConfidentLearningFilter(random_state=0).fit(X, y_in)
    full = flt.report()
    assert full.index.equals(y_in.index)
    assert_array_equal(full[["proba_0", "proba_1", "proba_2"]], flt.pred_probs_)


def test_confident_learning_filter_report_needs_fit():
    with pytest.raises(NotFittedError):
        ConfidentLearningFilter().report()


@pytest.mark.parametrize("method", ["low_self_confidence", "low_normalized_margin"])
def test_confident_learning_filter_low_score_methods(noisy3, method):
    X, y, _ = noisy3
    flt = ConfidentLearningFilter(method=method, random_state=0).fit(X, y)
    expected = find_label_issues(_codes(y), flt.pred_probs_, method=method)
    assert_array_equal(flt.label_issues_, expected)
    assert expected.any()


# --------------------------------------------------------------------------
# the default model and string columns
# --------------------------------------------------------------------------


def _frame_with_strings(X):
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    frame["colour"] = np.where(X[:, 0] > 0, "red", "blue")
    frame["size"] = pd.Categorical(np.where(X[:, 1] > 0, "big", "small"))
    return frame


def test_confident_learning_filter_default_model_refuses_string_columns(noisy3):
    X, y, _ = noisy3
    frame = _frame_with_strings(X)
    match = (
        r"estimator=None fits its default model LogisticRegression\(max_iter=1000\)"
        r".*non-numeric column\(s\) \['colour', 'size'\].*OneHotEncoder"
    )
    with pytest.raises(ValueError, match=match):
        ConfidentLearningFilter().fit_resample(frame, y)
    with pytest.raises(ValueError, match=r"non-numeric column\(s\) \[0, 1\]"):
        ConfidentLearningFilter().fit_resample(np.array([["a", "1"]] * len(y)), y)
    # what the message suggests works
    model = make_pipeline(
        make_column_transformer(
            (OneHotEncoder(handle_unknown="ignore"), ["colour", "size"]),
            remainder=StandardScaler(),
        ),
        LogisticRegression(max_iter=1000),
    )
    flt = ConfidentLearningFilter(model, random_state=0).fit(frame, y)
    assert flt.label_issues_.any()
    # numbers stored as objects are numbers
    numeric = pd.DataFrame(X).astype(object)
    assert ConfidentLearningFilter(random_state=0).fit(numeric, y).label_issues_.any()


def test_confident_learning_classifier_default_model_refuses_string_columns(noisy3):
    X, y, _ = noisy3
    clf = ConfidentLearningClassifier(
        LogisticRegression(), filter=ConfidentLearningFilter()
    )
    with pytest.raises(ValueError, match=r"non-numeric column\(s\) \['colour'"):
        clf.fit(_frame_with_strings(X), y)
