"""Tests of leakage_report and LeakageFilter."""

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    load_wine,
)
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import ShuffleSplit, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils._param_validation import InvalidParameterError

from sklabels.inspection import LeakageFilter, leakage_report

COLUMNS = [
    "score",
    "null_mean",
    "null_std",
    "p_value",
    "n_unique",
    "identifier_like",
    "leak_suspect",
    "reason",
]


def _ids_sorted_by_class(y, rng):
    """Row ids numbered after sorting the rows by class (random within class)."""
    order = np.lexsort((rng.random(len(y)), np.asarray(y)))
    ids = np.empty(len(y))
    ids[order] = np.arange(len(y))
    return ids


def _planted(loader, seed):
    X, y = loader(return_X_y=True, as_frame=True)
    rng = np.random.default_rng(seed)
    X = X.copy()
    X["planted_id"] = _ids_sorted_by_class(y, rng)
    if loader is load_diabetes:
        X["planted_target"] = y + rng.normal(0, 0.1 * y.std(), len(y))
    else:
        X["planted_target"] = y + rng.normal(0, 0.1, len(y))
    X["planted_random"] = rng.normal(size=len(y))
    return X, y


# --------------------------------------------------------------------------
# leakage_report: what it finds
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "loader", [load_breast_cancer, load_wine, load_iris, load_diabetes]
)
@pytest.mark.parametrize("seed", [0, 1])
def test_leakage_report_flags_planted_columns_and_no_real_feature(loader, seed):
    X, y = _planted(loader, seed)
    real = [c for c in X.columns if not c.startswith("planted")]
    report = leakage_report(X, y, random_state=seed)
    assert list(report.columns) == COLUMNS
    assert list(report.index) == list(X.columns)
    assert report.loc["planted_id", "leak_suspect"]
    assert report.loc["planted_id", "identifier_like"]
    assert report.loc["planted_target", "leak_suspect"]
    assert not report.loc["planted_random", "leak_suspect"]
    assert not report.loc[real, "leak_suspect"].any()
    assert (report.loc[real, "reason"] == "").all()


def test_leakage_report_real_digits_features_not_flagged():
    X, y = load_digits(return_X_y=True)
    report = leakage_report(X, y)
    assert report.index[0] == "x0"
    assert not report["leak_suspect"].any()


def test_leakage_report_reason_says_near_perfect():
    X, y = load_wine(return_X_y=True, as_frame=True)
    X["batch"] = y * 10 + np.random.default_rng(0).normal(0, 1, y.size)
    report = leakage_report(X, y)
    assert report.loc["batch", "score"] == 1.0
    assert report.loc["batch", "p_value"] == pytest.approx(1 / 21)
    reason = report.loc["batch", "reason"]
    assert reason.startswith("Alone it predicts the label almost perfectly")
    assert "threshold 0.995" in reason


def test_leakage_report_threshold_above_one_leaves_the_stand_out_rule():
    X, y = load_wine(return_X_y=True, as_frame=True)
    X["batch"] = y * 10 + np.random.default_rng(0).normal(0, 1, y.size)
    report = leakage_report(X, y, threshold=1.5)
    assert report.attrs["threshold"] == 1.5
    assert report["leak_suspect"].sum() == 1
    assert "far better than any other feature" in report.loc["batch", "reason"]
    assert "'flavanoids'" in report.loc["batch", "reason"]


def test_leakage_report_threshold_lowered_flags_strong_real_features():
    X, y = load_iris(return_X_y=True, as_frame=True)
    report = leakage_report(X, y, threshold=0.95)
    flagged = set(report.index[report["leak_suspect"]])
    assert flagged == set(report.index[report["score"] >= 0.95])
    assert flagged  # the petal features reach 0.97-0.98


def test_leakage_report_two_leaks_are_both_flagged():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.copy()
    X["copy_a"] = y.to_numpy() * 2.0
    X["copy_b"] = 1.0 - y.to_numpy()
    report = leakage_report(X, y)
    assert list(report.index[report["leak_suspect"]]) == ["copy_a", "copy_b"]


def test_leakage_report_random_identifier_is_identifier_like_not_suspect():
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[:, :3].copy()
    X["row_id"] = np.random.default_rng(0).permutation(len(y))
    report = leakage_report(X, y)
    assert report.loc["row_id", "identifier_like"]
    assert not report.loc["row_id", "leak_suspect"]
    assert "no better than permuted labels" in report.loc["row_id", "reason"]
    assert report.loc["row_id", "n_unique"] == len(y)


def test_leakage_report_identifier_monotone_in_row_order():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1], 100)
    X = pd.DataFrame(
        {
            "timestamp": np.cumsum(rng.uniform(0.5, 1.5, 200)),  # floats, sorted
            "noise": rng.normal(size=200),
        }
    )
    report = leakage_report(X, y)
    assert report.loc["timestamp", "identifier_like"]
    assert not report.loc["noise", "identifier_like"]
    assert report.loc["timestamp", "leak_suspect"]
    assert "only increase or only decrease" in report.loc["timestamp", "reason"]


def test_leakage_report_identifier_ordered_like_the_classes():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 300)
    # batch numbers with repeats (about 63 % distinct), numbered class by class
    batch = np.empty(300)
    start = 0
    for k in range(3):
        rows = np.flatnonzero(y == k)
        batch[rows] = start + rng.integers(0, rows.size, rows.size)
        start += rows.size
    X = pd.DataFrame({"batch": batch})
    report = leakage_report(X, y)
    assert 0.5 < report.loc["batch", "n_unique"] / 300 < 0.95
    assert report.loc["batch", "identifier_like"]
    assert "ordered like the classes" in report.loc["batch", "reason"]


def test_leakage_report_whole_number_measure_is_not_identifier_like():
    X, y = load_wine(return_X_y=True, as_frame=True)
    report = leakage_report(X, y)
    # proline holds whole numbers, 121 distinct in 178 rows, in no order
    assert report.loc["proline", "n_unique"] == X["proline"].nunique()
    assert not report["identifier_like"].any()


# --------------------------------------------------------------------------
# leakage_report: the default model and the score
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "loader, leaves", [(load_iris, 16), (load_digits, 20), (load_wine, 16)]
)
def test_leakage_report_default_tree_scores_like_a_decision_tree(loader, leaves):
    X, y = loader(return_X_y=True)
    X = X[:, :8]
    tree = DecisionTreeClassifier(
        max_leaf_nodes=leaves, min_samples_leaf=5, random_state=0
    )
    ours = leakage_report(X, y)
    theirs = leakage_report(X, y, estimator=tree, n_permutations=2)
    np.testing.assert_allclose(ours["score"], theirs["score"], atol=0.01)


def test_leakage_report_regression_scores_r2_like_a_decision_tree():
    X, y = load_diabetes(return_X_y=True)
    ours = leakage_report(X, y)
    assert ours.attrs == {"metric": "r2", "task": "regression", "threshold": 0.95}
    tree = DecisionTreeRegressor(max_leaf_nodes=16, min_samples_leaf=5, random_state=0)
    theirs = leakage_report(X, y, estimator=tree, n_permutations=2)
    # one bin per value: the same tree; quantile bins: a coarser one
    exact = (ours["n_unique"] <= 255).to_numpy()
    assert exact.sum() >= 3
    np.testing.assert_allclose(ours["score"][exact], theirs["score"][exact], atol=0.01)
    np.testing.assert_allclose(ours["score"], theirs["score"], atol=0.1)
    assert (ours["null_mean"] < 0.02).all()


def test_leakage_report_estimator_any_classifier():
    X, y = load_iris(return_X_y=True)
    report = leakage_report(X, y, estimator=LogisticRegression(), n_permutations=3)
    # petal width alone ranks the three species almost perfectly
    assert report.loc["x3", "score"] > 0.95
    assert report.loc["x1", "score"] < report.loc["x3", "score"]


def test_leakage_report_estimator_any_regressor():
    X, y = load_diabetes(return_X_y=True)
    report = leakage_report(X, y, estimator=LinearRegression(), n_permutations=3)
    assert report.loc["x2", "score"] == pytest.approx(0.34, abs=0.03)  # bmi


def test_leakage_report_task_auto():
    X, y = load_diabetes(return_X_y=True)
    # whole numbers, but most of them rare: a regression target
    assert leakage_report(X[:, :2], y).attrs["task"] == "regression"
    forced = leakage_report(X[:, :2], y, task="classification", cv=2)
    assert forced.attrs["task"] == "classification"
    assert forced.attrs["metric"] == "roc_auc_ovr"
    X, y = load_iris(return_X_y=True)
    assert leakage_report(X, y).attrs["task"] == "classification"
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    by_name = leakage_report(X, names)
    pd.testing.assert_frame_equal(by_name, leakage_report(X, y))


def test_leakage_report_pandas_categorical_and_string_columns():
    X, y = load_iris(return_X_y=True, as_frame=True)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    rng = np.random.default_rng(0)
    X = X.copy()
    X["species_code"] = pd.Categorical(names)  # the label itself
    X["colour"] = rng.choice(["red", "green", None], size=len(y))  # unrelated
    X["site"] = pd.Categorical(rng.choice(["a", "b"], size=len(y)))
    X.index = [f"plant{i}" for i in range(len(y))]
    report = leakage_report(X, names)
    assert report.loc["species_code", "score"] == 1.0
    assert report.loc["species_code", "leak_suspect"]
    assert not report.loc[["colour", "site"], "leak_suspect"].any()
    assert report.loc["colour", "n_unique"] == 2


def test_leakage_report_missing_values_are_a_bin_of_their_own():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    noise = rng.normal(size=400)
    X = pd.DataFrame(
        {
            # recorded only for class 0: missingness is the label
            "lab_result": np.where(y == 0, noise, np.nan),
            "partly_missing": np.where(rng.random(400) < 0.3, np.nan, noise),
        }
    )
    report = leakage_report(X, y)
    assert report.loc["lab_result", "score"] == 1.0
    assert report.loc["lab_result", "leak_suspect"]
    assert not report.loc["partly_missing", "leak_suspect"]


def test_leakage_report_boolean_datetime_and_nullable_columns():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    X = pd.DataFrame(
        {
            "flag": y.astype(bool),
            "when": pd.to_datetime("2026-01-01")
            + pd.to_timedelta(rng.integers(0, 1000, 200), unit="D"),
            "count": pd.array(rng.integers(0, 5, 200), dtype="Int64"),
        }
    )
    X.loc[3, "count"] = pd.NA
    report = leakage_report(X, y)
    assert report.loc["flag", "leak_suspect"]
    assert not report.loc[["when", "count"], "leak_suspect"].any()


def test_leakage_report_sparse_input_matches_dense():
    X, y = load_digits(return_X_y=True)
    X = X[:, 20:30]
    dense = leakage_report(X, y)
    pd.testing.assert_frame_equal(leakage_report(sparse.csr_matrix(X), y), dense)


def test_leakage_report_repeatable_without_random_state():
    X, y = _planted(load_wine, 0)
    pd.testing.assert_frame_equal(leakage_report(X, y), leakage_report(X, y))
    seeded = leakage_report(X, y, random_state=3)
    pd.testing.assert_frame_equal(seeded, leakage_report(X, y, random_state=3))
    assert not np.allclose(seeded["null_mean"], leakage_report(X, y)["null_mean"])


def test_leakage_report_n_jobs_gives_the_same_report():
    X, y = _planted(load_wine, 0)
    pd.testing.assert_frame_equal(
        leakage_report(X, y, n_jobs=2), leakage_report(X, y, n_jobs=1)
    )


def test_leakage_report_null_is_chance_and_p_values_in_range():
    X, y = load_breast_cancer(return_X_y=True)
    report = leakage_report(X, y, n_permutations=10)
    assert report["null_mean"].between(0.4, 0.6).all()
    assert (report["null_std"] > 0).all()
    assert report["p_value"].between(1 / 11, 1).all()


def test_leakage_report_cv_splitter_and_iterable():
    X, y = _planted(load_iris, 0)
    folds = [
        (
            np.flatnonzero(np.arange(150) % 3 != k),
            np.flatnonzero(np.arange(150) % 3 == k),
        )
        for k in range(3)
    ]
    report = leakage_report(X, y, cv=folds)
    assert report.loc["planted_target", "leak_suspect"]


# --------------------------------------------------------------------------
# leakage_report: bad input
# --------------------------------------------------------------------------


def test_leakage_report_mismatched_lengths():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="X has 150 rows and y has 149"):
        leakage_report(X, y[:-1])


@pytest.mark.parametrize(
    "X, match",
    [
        (np.empty((0, 3)), r"X is empty: found array with 0 sample\(s\)"),
        (np.empty((5, 0)), r"X is empty: found array with 0 feature\(s\)"),
        (pd.DataFrame(index=range(5)), r"X is empty: found array with 0 feature"),
    ],
)
def test_leakage_report_empty_X(X, match):
    with pytest.raises(ValueError, match=match):
        leakage_report(X, np.arange(X.shape[0]) % 2)


def test_leakage_report_nan_in_y():
    X, y = load_iris(return_X_y=True)
    y = y.astype(float)
    y[[4, 7]] = np.nan
    with pytest.raises(ValueError, match=r"y contains missing labels .*\(4: .*nan"):
        leakage_report(X, y)


def test_leakage_report_infinity_in_X():
    X = pd.DataFrame({"a": [1.0, np.inf, 2.0, 3.0], "b": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(ValueError, match=r"X contains infinity in column\(s\) 'a'"):
        leakage_report(X, [0, 1, 0, 1], cv=2)


def test_leakage_report_one_class():
    with pytest.raises(ValueError, match="y holds one class \\('a'\\)"):
        leakage_report(np.ones((10, 2)), ["a"] * 10)


def test_leakage_report_constant_regression_target():
    with pytest.raises(ValueError, match="y is constant"):
        leakage_report(np.ones((10, 2)), [1.5] * 10)


def test_leakage_report_strings_for_regression():
    with pytest.raises(ValueError, match="task='regression' needs numbers in y"):
        leakage_report(np.ones((10, 2)), ["a", "b"] * 5, task="regression")


def test_leakage_report_mixed_column():
    X = pd.DataFrame({"a": pd.Series([1, "x", 2, "y"] * 3, dtype=object)})
    with pytest.raises(TypeError, match="X column 'a' mixes strings with other"):
        leakage_report(X, [0, 1] * 6, cv=2)
    X = np.array([[{"a": 1}], [2.0], [3.0], [4.0]], dtype=object)
    with pytest.raises(TypeError, match="X column 'x0' holds values of types"):
        leakage_report(X, [0, 1, 0, 1], cv=2)


def test_leakage_report_object_columns_of_numbers_and_strings():
    X = pd.DataFrame(
        {
            "numbers": pd.Series([1, 2, None, pd.NA, 5.5, 6] * 5, dtype=object),
            "words": pd.Series(["a", "b", None, "c", "a", "b"] * 5, dtype=object),
        }
    )
    report = leakage_report(X, [0, 1, 0] * 10, cv=3)
    assert report.loc["numbers", "n_unique"] == 4
    assert report.loc["words", "n_unique"] == 3


def test_leakage_report_estimator_of_the_wrong_kind():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="is not a classifier"):
        leakage_report(X, y, estimator=LinearRegression())
    with pytest.raises(ValueError, match="has no predict_proba"):
        leakage_report(X, y, estimator=SVC())
    X, y = load_diabetes(return_X_y=True)
    with pytest.raises(ValueError, match="is a classifier, but y holds numbers"):
        leakage_report(X, y, estimator=LogisticRegression())


def test_leakage_report_cv_must_hold_every_row_out_once():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match=r"test folds miss 120 row\(s\) and repeat 0"):
        leakage_report(X, y, cv=ShuffleSplit(n_splits=1, test_size=0.2))
    with pytest.raises(ValueError, match=r"exactly one test fold.* repeat [1-9]"):
        leakage_report(X, y, cv=ShuffleSplit(n_splits=3, test_size=0.5))


@pytest.mark.parametrize(
    "params",
    [{"threshold": "high"}, {"n_permutations": 1}, {"task": "ranking"}, {"cv": 1}],
)
def test_leakage_report_invalid_parameters(params):
    X, y = load_iris(return_X_y=True)
    with pytest.raises(InvalidParameterError, match=next(iter(params))):
        leakage_report(X, y, **params)


# --------------------------------------------------------------------------
# LeakageFilter
# --------------------------------------------------------------------------


def test_leakage_filter_drops_suspects_and_keeps_the_rest():
    X, y = _planted(load_breast_cancer, 0)
    leak = LeakageFilter().fit(X, y)
    assert set(leak.suspects_) == {"planted_id", "planted_target"}
    kept = [c for c in X.columns if c not in leak.suspects_]
    assert list(leak.get_feature_names_out()) == kept
    assert leak.transform(X).shape == (len(y), len(kept))
    pd.testing.assert_frame_equal(leak.report_, leakage_report(X, y))


def test_leakage_filter_set_output_pandas_keeps_columns_and_dtypes():
    X, y = load_iris(return_X_y=True, as_frame=True)
    X = X.copy()
    X["label_name"] = pd.Categorical(np.array(["s", "ve", "vi"])[y])
    X["site"] = pd.Categorical(np.random.default_rng(0).choice(["a", "b"], len(y)))
    leak = LeakageFilter().set_output(transform="pandas").fit(X, y)
    out = leak.transform(X)
    assert list(out.columns) == [c for c in X.columns if c != "label_name"]
    assert isinstance(out["site"].dtype, pd.CategoricalDtype)
    pd.testing.assert_index_equal(out.index, X.index)


def test_leakage_filter_numpy_names():
    X, y = load_wine(return_X_y=True)
    X = np.column_stack([X, y * 3.0])
    leak = LeakageFilter().fit(X, y)
    np.testing.assert_array_equal(leak.suspects_, ["x13"])
    assert list(leak.get_feature_names_out()) == [f"x{j}" for j in range(13)]


def test_leakage_filter_learns_on_the_training_fold_only():
    rng = np.random.default_rng(0)
    n = 400
    y = rng.integers(0, 2, n)
    X = pd.DataFrame({"row": np.arange(n), "signal": y + rng.normal(0, 1.5, n)})
    # the first half copies the label into "signal": the rows held out below
    X.loc[: n // 2 - 1, "signal"] = y[: n // 2]
    split = [(np.arange(n // 2, n), np.arange(n // 2))]
    pipe = make_pipeline(LeakageFilter(), LogisticRegression())
    result = cross_validate(pipe, X, y, cv=split, return_estimator=True)
    fitted = result["estimator"][0][0]
    assert fitted.report_.loc["row", "n_unique"] == n // 2  # training rows only
    assert fitted.suspects_.size == 0
    # fitted on every row, the filter sees the rows numbered along the leak
    assert LeakageFilter().fit(X, y).report_.loc["row", "n_unique"] == n


def _scaled_logreg():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


def test_leakage_filter_in_a_pipeline_removes_the_optimism():
    X, y = _planted(load_breast_cancer, 0)
    clean = X.drop(columns=["planted_id", "planted_target"])

    def loss(pipe, data):
        scores = cross_validate(pipe, data, y, cv=3, scoring="neg_log_loss")
        return -scores["test_score"].mean()

    leaky = loss(_scaled_logreg(), X)
    filtered = loss(
        make_pipeline(LeakageFilter(n_permutations=10), _scaled_logreg()), X
    )
    reference = loss(_scaled_logreg(), clean)
    assert leaky < 0.5 * reference  # the leak makes the model look far better
    assert filtered == pytest.approx(reference, rel=0.1)


def test_leakage_filter_regression():
    X, y = _planted(load_diabetes, 0)
    leak = LeakageFilter().fit(X, y)
    assert leak.report_.attrs["task"] == "regression"
    assert set(leak.suspects_) == {"planted_id", "planted_target"}


def test_leakage_filter_requires_y():
    X, _ = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="requires y to be passed"):
        LeakageFilter().fit(X)


def test_leakage_filter_transform_checks_the_number_of_features():
    X, y = load_iris(return_X_y=True)
    leak = LeakageFilter().fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features"):
        leak.transform(X[:, :3])


def test_leakage_filter_bad_input_names_the_argument():
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="X has 150 rows and y has 100"):
        LeakageFilter().fit(X, y[:100])
    with pytest.raises(ValueError, match=r"X is empty: found array with 0 sample"):
        LeakageFilter().fit(X[:0], y[:0])
    with pytest.raises(ValueError, match="y contains missing labels"):
        LeakageFilter().fit(X, np.where(y == 2, np.nan, y))
