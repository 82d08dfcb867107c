"""Tests for regression_quality_scores and RegressionLabelFilter."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.pipeline import Pipeline
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import erfc
from sklearn import config_context
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import GroupKFold, KFold, ShuffleSplit, cross_val_score
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from sklabels.noise import RegressionLabelFilter, regression_quality_scores
from sklabels.noise._regression import _mean_knn_distances, _robust_z

cleanlab_rank = pytest.importorskip("cleanlab.regression.rank")


def _cleanlab(y, predictions, method):
    return cleanlab_rank.get_label_quality_scores(
        np.asarray(y), np.asarray(predictions), method=method
    )


@pytest.fixture(scope="module")
def diabetes():
    """Diabetes with 12 targets moved by +-250 (the others untouched)."""
    X, y = load_diabetes(return_X_y=True)
    rng = np.random.RandomState(0)
    wrong = rng.choice(y.size, 12, replace=False)
    y_noisy = y.copy()
    y_noisy[wrong] += rng.choice([-250, 250], size=wrong.size)
    truth = np.zeros(y.size, dtype=bool)
    truth[wrong] = True
    return X, y_noisy, truth


# --------------------------------------------------------------------------
# regression_quality_scores: parity with cleanlab
# --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["outre", "residual"])
@pytest.mark.parametrize("n", [2, 3, 7, 60, 101, 257])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_regression_quality_scores_match_cleanlab(method, n, seed):
    rng = np.random.default_rng(seed)
    y = rng.normal(size=n) * 10 + 3
    predictions = y + rng.standard_t(3, size=n)
    ours = regression_quality_scores(y, predictions, method=method)
    assert_allclose(ours, _cleanlab(y, predictions, method), rtol=0, atol=1e-6)


@pytest.mark.parametrize("method", ["outre", "residual"])
@pytest.mark.parametrize("n", [10, 150])
def test_regression_quality_scores_match_cleanlab_with_ties(method, n):
    """Integer targets and predictions: many equal points and distances."""
    rng = np.random.default_rng(n)
    y = rng.integers(0, 4, size=n)
    predictions = rng.integers(0, 3, size=n)
    ours = regression_quality_scores(y, predictions, method=method)
    assert_allclose(ours, _cleanlab(y, predictions, method), rtol=0, atol=1e-6)


@pytest.mark.parametrize("n", [5, 120])
def test_regression_quality_scores_constant_input_matches_cleanlab(n):
    y = np.full(n, 2.5)
    ours = regression_quality_scores(y, y)
    assert_array_equal(ours, np.ones(n))
    assert_allclose(ours, _cleanlab(y, y, "outre"), atol=1e-6)


def test_regression_quality_scores_accept_lists_series_and_columns():
    rng = np.random.default_rng(3)
    y = rng.normal(size=40)
    predictions = y + rng.normal(size=40)
    expected = _cleanlab(y, predictions, "outre")
    assert_allclose(
        regression_quality_scores(list(y), list(predictions)), expected, atol=1e-6
    )
    assert_allclose(
        regression_quality_scores(pd.Series(y), pd.Series(predictions)),
        expected,
        atol=1e-6,
    )
    assert_allclose(
        regression_quality_scores(y[:, None], pd.DataFrame({"p": predictions})),
        expected,
        atol=1e-6,
    )


@pytest.mark.parametrize("block_elements", [1, 7, 100, 10_000])
def test_regression_quality_scores_blocked_search_is_exact(block_elements):
    """Any block size gives the distances of the one-block computation."""
    rng = np.random.default_rng(0)
    points = rng.normal(size=(97, 2))
    points[10:20] = points[0]  # duplicates
    full = _mean_knn_distances(points, 49, block_elements=97 * 97)
    blocked = _mean_knn_distances(points, 49, block_elements=block_elements)
    assert_allclose(blocked, full, rtol=1e-14)
    # brute force, the whole matrix
    d = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    assert_allclose(full, np.sort(d, axis=1)[:, :49].mean(axis=1), rtol=1e-12)
    some = np.array([3, 0, 96, 15])
    assert_allclose(
        _mean_knn_distances(points, 49, queries=some, block_elements=block_elements),
        full[some],
        rtol=1e-14,
    )


def test_regression_quality_scores_float32_search_is_within_bound():
    """Distances stored in float32 (differences taken in float64) stay within
    3e-7 relative of the float64 search, even far from the origin."""
    rng = np.random.default_rng(1)
    points = rng.normal(size=(500, 2)) * [1, 5] + [1e4, -3e3]
    exact = _mean_knn_distances(points, 250)
    approx = _mean_knn_distances(points, 250, dtype=np.float32)
    assert_allclose(approx, exact, rtol=3e-7)


def test_regression_quality_scores_near_duplicates_match_cleanlab():
    """Rows whose neighbours are (almost) all equal to them score exactly 1,
    as in cleanlab, although the search runs in float32."""
    rng = np.random.default_rng(2)
    y = np.r_[np.ones(30), rng.normal(size=10)]
    predictions = np.r_[1 + 1e-12 * np.arange(30), rng.normal(size=10)]
    ours = regression_quality_scores(y, predictions)
    assert_array_equal(ours[:30], 1.0)
    assert_allclose(ours, _cleanlab(y, predictions, "outre"), rtol=0, atol=1e-6)


finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(finite, finite), min_size=2, max_size=40),
    st.sampled_from(["outre", "residual"]),
)
def test_regression_quality_scores_hypothesis_match_cleanlab(pairs, method):
    y, predictions = np.array(pairs).T
    ours = regression_quality_scores(y, predictions, method=method)
    assert ours.shape == y.shape
    assert np.all((ours >= 0) & (ours <= 1))
    assert_allclose(ours, _cleanlab(y, predictions, method), rtol=0, atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(finite, finite), min_size=3, max_size=30),
    st.floats(0.1, 10),
    st.floats(-100, 100),
    st.randoms(use_true_random=False),
)
def test_regression_quality_scores_outre_invariant_to_units_and_order(
    pairs, scale, shift, random
):
    """Changing the units of y (and the predictions) or the row order changes
    nothing but the order of the scores."""
    y, predictions = np.array(pairs).T
    scores = regression_quality_scores(y, predictions)
    rescaled = regression_quality_scores(y * scale + shift, predictions * scale + shift)
    assert_allclose(rescaled, scores, atol=1e-6)
    order = list(range(y.size))
    random.shuffle(order)
    shuffled = regression_quality_scores(y[order], predictions[order])
    assert_allclose(shuffled, scores[order], atol=1e-9)


# --------------------------------------------------------------------------
# regression_quality_scores: bad input
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "y, match",
    [
        (["a", "b", "c"], "y must hold numbers .* such as 'a'"),
        (np.array(["1.5", "2"]), "y must hold numbers .* dtype <U3 such as '1.5'"),
        (pd.Series(["x", "y"], dtype="category"), "y must hold numbers .* category"),
        (np.array([1, "a"], dtype=object), "y must hold numbers .* kind 'mixed"),
    ],
)
def test_regression_quality_scores_non_numeric_target_is_type_error(y, match):
    with pytest.raises(TypeError, match=match):
        regression_quality_scores(y, np.zeros(len(y)))


def test_regression_quality_scores_boolean_target_is_type_error():
    with pytest.raises(TypeError, match=r"y holds booleans, which are class labels"):
        regression_quality_scores([True, False, True], [1.0, 0.0, 1.0])


@pytest.mark.parametrize("name", ["y", "predictions"])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_regression_quality_scores_non_finite_is_value_error(name, bad):
    values = {"y": [1.0, 2.0, 3.0], "predictions": [1.0, 2.0, 3.0]}
    values[name][1] = bad
    with pytest.raises(
        ValueError, match=rf"{name} contains NaN or infinity in 1 row\(s\) \(1: "
    ):
        regression_quality_scores(values["y"], values["predictions"])


def test_regression_quality_scores_wrong_length_is_value_error():
    with pytest.raises(ValueError, match="predictions has 3 values but y has 4"):
        regression_quality_scores([1, 2, 3, 4], [1, 2, 3])


@pytest.mark.parametrize(
    "y, error, match",
    [
        (np.zeros((4, 2)), ValueError, r"y should be a 1d array .* shape \(4, 2\)"),
        ([], ValueError, "y is empty"),
        (3.0, ValueError, r"'y' parameter .* array-like. Got 3.0"),
        (np.array([1j, 2j]), ValueError, "Complex data not supported"),
    ],
)
def test_regression_quality_scores_bad_shapes(y, error, match):
    with pytest.raises(error, match=match):
        regression_quality_scores(y, np.zeros(4))


def test_regression_quality_scores_outre_needs_two_rows():
    with pytest.raises(ValueError, match="needs at least 2 rows, got y of length 1"):
        regression_quality_scores([1.0], [2.0])
    assert_allclose(
        regression_quality_scores([1.0], [2.0], method="residual"), [1 / np.e]
    )


def test_regression_quality_scores_unknown_method():
    with pytest.raises(InvalidParameterError, match="'method' parameter"):
        regression_quality_scores([1, 2], [1, 2], method="knn")


# --------------------------------------------------------------------------
# RegressionLabelFilter: behaviour
# --------------------------------------------------------------------------


def test_regression_label_filter_finds_moved_targets(diabetes):
    X, y, truth = diabetes
    flt = RegressionLabelFilter(threshold=3.0).fit(X, y)
    assert truth[flt.label_issues_].all()  # every flag is a moved target
    assert flt.label_issues_[truth].mean() >= 0.9


def test_regression_label_filter_remove(diabetes):
    X, y, _ = diabetes
    flt = RegressionLabelFilter()
    X_res, y_res = flt.fit_resample(X, y)
    assert_array_equal(flt.sample_indices_, np.flatnonzero(~flt.label_issues_))
    assert_array_equal(X_res, X[flt.sample_indices_])
    assert_array_equal(y_res, y[flt.sample_indices_])
    report = flt.label_issues_report_
    assert list(report.columns) == [
        "given_target",
        "predicted_target",
        "residual_z",
        "label_quality",
        "is_label_issue",
        "action",
    ]
    assert_array_equal(report["action"] == "removed", flt.label_issues_)
    assert set(report["action"]) == {"kept", "removed"}


def test_regression_label_filter_replace(diabetes):
    X, y, _ = diabetes
    flt = RegressionLabelFilter(action="replace")
    X_res, y_res = flt.fit_resample(X, y)
    issues = flt.label_issues_
    assert issues.any()
    assert_array_equal(flt.sample_indices_, np.arange(y.size))
    assert X_res is X
    assert_array_equal(y_res[issues], flt.predictions_[issues])
    assert_array_equal(y_res[~issues], y[~issues])
    assert_array_equal(flt.label_issues_report_["action"] == "replaced", issues)


def test_regression_label_filter_replace_integer_targets_become_floats():
    X, y = load_diabetes(return_X_y=True)
    y = y.astype(np.int64)
    y[:5] += 300
    _, y_res = RegressionLabelFilter(action="replace").fit_resample(X, y)
    assert y_res.dtype == np.float64
    _, y_series = RegressionLabelFilter(action="replace").fit_resample(
        X, pd.Series(y, name="target")
    )
    assert y_series.dtype == np.float64 and y_series.name == "target"
    assert_array_equal(y_series.to_numpy(), y_res)


def test_regression_label_filter_flags_follow_threshold_and_quality(diabetes):
    X, y, _ = diabetes
    flt = RegressionLabelFilter(threshold=2.5).fit(X, y)
    z = flt.label_issues_report_["residual_z"].to_numpy()
    assert_array_equal(flt.label_issues_, z > 2.5)
    assert_allclose(flt.label_quality_, erfc(z / np.sqrt(2)))
    residual = y - flt.predictions_
    assert_allclose(
        z * flt.residual_scale_, np.abs(residual - np.median(residual)), atol=1e-9
    )
    assert_allclose(
        flt.residual_scale_,
        1.482602218505602 * np.median(np.abs(residual - np.median(residual))),
    )


@pytest.mark.parametrize("frac", [0.0, 0.05, 0.1, 1.0])
def test_regression_label_filter_frac_flagged(diabetes, frac):
    X, y, _ = diabetes
    flt = RegressionLabelFilter(frac_flagged=frac).fit(X, y)
    n_flagged = int(np.floor(frac * y.size + 0.5))
    assert flt.label_issues_.sum() == n_flagged
    z = flt.label_issues_report_["residual_z"].to_numpy()
    if 0 < n_flagged < y.size:
        assert z[flt.label_issues_].min() >= z[~flt.label_issues_].max()


def test_regression_label_filter_second_pass_leaves_flagged_rows_out(diabetes):
    """predictions_ come from fold models fitted without the first-pass flags."""
    X, y, _ = diabetes
    flt = RegressionLabelFilter(Ridge(alpha=0.01), threshold=2.0).fit(X, y)
    folds = list(KFold(5).split(X))

    def oof(keep):
        out = np.empty(y.size)
        for train, test in folds:
            train = train[keep[train]]
            out[test] = Ridge(alpha=0.01).fit(X[train], y[train]).predict(X[test])
        return out

    z, _ = _robust_z(y - oof(np.ones(y.size, dtype=bool)))
    first = z > 2.0
    assert first.any()
    assert_allclose(flt.predictions_, oof(~first))
    z2, _ = _robust_z(y - flt.predictions_)
    assert_array_equal(flt.label_issues_, z2 > 2.0)


def test_regression_label_filter_constant_target_flags_nothing():
    X = np.random.RandomState(0).normal(size=(30, 3))
    flt = RegressionLabelFilter(cv=3).fit(X, np.full(30, 7.0))
    assert not flt.label_issues_.any()
    assert_array_equal(flt.label_quality_, np.ones(30))


def test_regression_label_filter_is_deterministic(diabetes):
    X, y, _ = diabetes
    a = RegressionLabelFilter().fit(X, y)
    b = RegressionLabelFilter().fit(X, y)
    assert_array_equal(a.predictions_, b.predictions_)
    assert_array_equal(a.label_issues_, b.label_issues_)


def test_regression_label_filter_n_jobs_does_not_change_result(diabetes):
    X, y, _ = diabetes
    a = RegressionLabelFilter(n_jobs=1).fit(X, y)
    b = RegressionLabelFilter(n_jobs=2).fit(X, y)
    assert_array_equal(a.predictions_, b.predictions_)
    assert_array_equal(a.label_issues_, b.label_issues_)


def test_regression_label_filter_random_state_shuffles_folds(diabetes):
    X, y, _ = diabetes
    a = RegressionLabelFilter(random_state=0).fit(X, y)
    b = RegressionLabelFilter(random_state=np.random.RandomState(0)).fit(X, y)
    c = RegressionLabelFilter().fit(X, y)
    assert_array_equal(a.predictions_, b.predictions_)
    assert not np.allclose(a.predictions_, c.predictions_)


def test_regression_label_filter_pandas_in_pandas_out(diabetes):
    X, y, _ = diabetes
    index = pd.RangeIndex(1000, 1000 + y.size)
    X_df = pd.DataFrame(X, columns=[f"f{i}" for i in range(10)], index=index)
    y_s = pd.Series(y, index=index, name="progression")
    flt = RegressionLabelFilter()
    X_res, y_res = flt.fit_resample(X_df, y_s)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert y_res.name == "progression"
    assert_array_equal(X_res.index, index[flt.sample_indices_])
    assert_array_equal(y_res.index, X_res.index)
    assert flt.label_issues_report_.index.equals(index)
    assert_array_equal(flt.feature_names_in_, X_df.columns)


def test_regression_label_filter_in_pipeline_with_cross_val_score(diabetes):
    X, y, _ = diabetes
    pipe = Pipeline([("filter", RegressionLabelFilter()), ("model", Ridge())])
    scores = cross_val_score(pipe, X, y, cv=3)
    assert scores.shape == (3,) and np.isfinite(scores).all()
    pipe.fit(X, y)
    assert pipe.predict(X).shape == y.shape  # prediction sees every row


def test_regression_label_filter_estimator_pipeline_on_dataframe(diabetes):
    X, y, _ = diabetes
    X_df = pd.DataFrame(X, columns=[f"f{i}" for i in range(10)])
    from sklearn.pipeline import make_pipeline

    estimator = make_pipeline(
        ColumnTransformer([("scale", StandardScaler(), ["f0", "f2", "f3", "f8"])]),
        LinearRegression(),
    )
    flt = RegressionLabelFilter(estimator).fit(X_df, y)
    expected = RegressionLabelFilter(LinearRegression()).fit(X[:, [0, 2, 3, 8]], y)
    assert_allclose(flt.predictions_, expected.predictions_)


def test_regression_label_filter_group_splitter(diabetes):
    X, y, _ = diabetes
    groups = np.arange(y.size) % 20
    flt = RegressionLabelFilter(cv=GroupKFold(4)).fit(X, y, groups=groups)
    assert flt.n_splits_ == 4
    with pytest.raises(ValueError, match=r"groups were given but cv=5"):
        RegressionLabelFilter().fit(X, y, groups=groups)


def test_regression_label_filter_sample_weight_reaches_estimator(diabetes):
    X, y, _ = diabetes
    weight = np.ones(y.size)
    weight[::2] = 5.0
    weighted = RegressionLabelFilter(Ridge()).fit(X, y, sample_weight=weight)
    plain = RegressionLabelFilter(Ridge()).fit(X, y)
    assert not np.allclose(weighted.predictions_, plain.predictions_)
    ones = RegressionLabelFilter(Ridge()).fit(X, y, sample_weight=np.ones(y.size))
    assert_allclose(ones.predictions_, plain.predictions_)


def test_regression_label_filter_metadata_routing(diabetes):
    X, y, _ = diabetes
    weight = np.linspace(0.5, 2, y.size)
    with config_context(enable_metadata_routing=True):
        routed = RegressionLabelFilter(Ridge().set_fit_request(sample_weight=True)).fit(
            X, y, sample_weight=weight
        )
    plain = RegressionLabelFilter(Ridge()).fit(X, y, sample_weight=weight)
    assert_allclose(routed.predictions_, plain.predictions_)


# --------------------------------------------------------------------------
# RegressionLabelFilter: bad input
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "y, error, match",
    [
        (np.array(["a", "b"] * 10), TypeError, "y must hold numbers"),
        (np.array([True, False] * 10), TypeError, "y holds booleans"),
        (np.r_[np.nan, np.ones(19)], ValueError, r"y contains NaN .* \(0: nan\)"),
        (np.ones((20, 2)), ValueError, r"y should be a 1d array"),
    ],
)
def test_regression_label_filter_bad_targets(y, error, match):
    X = np.random.RandomState(0).normal(size=(20, 2))
    with pytest.raises(error, match=match):
        RegressionLabelFilter(cv=2).fit_resample(X, y)


def test_regression_label_filter_length_mismatch():
    with pytest.raises(ValueError, match="X with 5 rows and y with 4 values"):
        RegressionLabelFilter(cv=2).fit_resample(np.zeros((5, 2)), np.ones(4))


def test_regression_label_filter_cv_larger_than_samples():
    with pytest.raises(ValueError, match="cv=5 is larger than the number of samples"):
        RegressionLabelFilter().fit_resample(np.zeros((3, 2)), np.ones(3))


def test_regression_label_filter_cv_must_partition(diabetes):
    X, y, _ = diabetes
    with pytest.raises(ValueError, match="must put every row in exactly one test"):
        RegressionLabelFilter(cv=ShuffleSplit(3, random_state=0)).fit(X, y)


class _NaNRegressor(RegressorMixin, BaseEstimator):
    def fit(self, X, y):
        return self

    def predict(self, X):
        return np.full(len(X), np.nan)


def test_regression_label_filter_estimator_predicting_nan(diabetes):
    X, y, _ = diabetes
    with pytest.raises(ValueError, match=r"predicted NaN or infinity for 442 row"):
        RegressionLabelFilter(_NaNRegressor()).fit(X, y)


class _NoWeightRegressor(RegressorMixin, BaseEstimator):
    def fit(self, X, y):
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X):
        return np.full(len(X), self.mean_)


def test_regression_label_filter_sample_weight_needs_support(diabetes):
    X, y, _ = diabetes
    with pytest.raises(TypeError, match="takes no sample_weight in fit"):
        RegressionLabelFilter(_NoWeightRegressor()).fit(
            X, y, sample_weight=np.ones(y.size)
        )


def test_regression_label_filter_unknown_fit_param(diabetes):
    X, y, _ = diabetes
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['foo'\]"):
        RegressionLabelFilter().fit_resample(X, y, foo=1)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"action": "relabel"}, "'action' parameter"),
        ({"threshold": 0}, "'threshold' parameter"),
        ({"frac_flagged": 1.5}, "'frac_flagged' parameter"),
        ({"estimator": "ridge"}, "'estimator' parameter"),
    ],
)
def test_regression_label_filter_invalid_params(diabetes, params, match):
    X, y, _ = diabetes
    with pytest.raises(InvalidParameterError, match=match):
        RegressionLabelFilter(**params).fit(X, y)


def test_regression_label_filter_clone_keeps_params():
    flt = RegressionLabelFilter(Ridge(), cv=3, frac_flagged=0.1, action="replace")
    assert clone(flt).get_params()["frac_flagged"] == 0.1
