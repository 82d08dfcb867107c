"""active_learning_curve and ActiveLearningCurveDisplay."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklabels.active import (
    ActiveLearningCurveDisplay,
    DiverseBatch,
    QueryByCommittee,
    RandomSampling,
    UncertaintySampling,
    active_learning_curve,
)
from sklabels.active._curve import _curve_area, _initial_rows


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    rng = np.random.RandomState(0)
    test = rng.rand(y.size) < 0.3
    return X[~test], y[~test], X[test], y[test]


def _model():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


def _manual_curve(estimator, strategy, X, y, X_test, y_test, start, steps):
    """The simulation written out with the public strategy API."""
    labeled = list(start)
    scores = []
    for step in [*steps, None]:
        model = clone(estimator).fit(X[labeled], y[labeled])
        scores.append(model.score(X_test, y_test))
        if step is None:
            break
        pool = np.setdiff1d(np.arange(y.size), labeled)
        labeled = sorted([*labeled, *pool[strategy.query(model, X[pool], step)]])
    return np.array(scores)


def test_active_learning_curve_matches_manual_loop(cancer):
    X, y, X_test, y_test = cancer
    start = np.sort(np.r_[np.flatnonzero(y == 0)[:3], np.flatnonzero(y == 1)[:3]])
    n_labeled, scores = active_learning_curve(
        _model(),
        UncertaintySampling(),
        X,
        y,
        X_test=X_test,
        y_test=y_test,
        initial=start,
        budget=25,
        batch_size=10,
    )
    np.testing.assert_array_equal(n_labeled, [6, 16, 26, 31])
    expected = _manual_curve(
        _model(), UncertaintySampling(), X, y, X_test, y_test, start, [10, 10, 5]
    )
    assert scores.shape == (1, 4)
    np.testing.assert_allclose(scores[0], expected)


def test_active_learning_curve_strategies_share_initial_rows(cancer):
    X, y, X_test, y_test = cancer
    strategies = {"margin": UncertaintySampling(), "entropy": UncertaintySampling()}
    _, scores = active_learning_curve(
        _model(),
        strategies,
        X,
        y,
        X_test=X_test,
        y_test=y_test,
        initial=6,
        budget=20,
        random_state=0,
        n_repeats=3,
    )
    # the same strategy twice: the same curves, repeat by repeat
    np.testing.assert_array_equal(scores["margin"], scores["entropy"])
    assert scores["margin"].shape == (3, 3)
    # repeats start from different rows
    assert not np.array_equal(scores["margin"][0], scores["margin"][1])


def test_active_learning_curve_reproducible_and_n_jobs(cancer):
    X, y, X_test, y_test = cancer
    kwargs = {
        "X_test": X_test,
        "y_test": y_test,
        "initial": 4,
        "budget": 12,
        "batch_size": 4,
        "random_state": 3,
        "n_repeats": 2,
    }
    strategies = [RandomSampling(), UncertaintySampling(), RandomSampling()]
    _n1, first = active_learning_curve(_model(), strategies, X, y, **kwargs)
    _, second = active_learning_curve(_model(), strategies, X, y, **kwargs)
    _, parallel = active_learning_curve(_model(), strategies, X, y, n_jobs=2, **kwargs)
    assert list(first) == [
        "RandomSampling()",
        "UncertaintySampling()",
        "RandomSampling() #2",
    ]
    for name in first:
        np.testing.assert_array_equal(first[name], second[name])
        np.testing.assert_array_equal(first[name], parallel[name])
    # the two random strategies are seeded apart
    assert not np.array_equal(first["RandomSampling()"], first["RandomSampling() #2"])


def test_active_learning_curve_initial_rows_cover_classes():
    codes = np.repeat([0, 1, 2], [50, 5, 1])
    rng = np.random.RandomState(0)
    for initial in [1, 2, 3, 10]:
        rows = _initial_rows(codes, initial, rng)
        assert rows.size == initial and np.unique(rows).size == initial
        assert np.unique(codes[rows]).size == min(initial, 3)


def test_active_learning_curve_scoring_and_other_strategies():
    X, y = load_iris(return_X_y=True)
    X_pool, y_pool, X_test, y_test = X[::2], y[::2], X[1::2], y[1::2]
    model = LogisticRegression(max_iter=1000)
    strategies = {
        "qbc": QueryByCommittee(n_members=3),
        "diverse": DiverseBatch(),
    }
    n_labeled, scores = active_learning_curve(
        model,
        strategies,
        X_pool,
        y_pool,
        X_test=X_test,
        y_test=y_test,
        initial=3,
        budget=9,
        batch_size=3,
        scoring="f1_macro",
        random_state=0,
    )
    assert n_labeled.tolist() == [3, 6, 9, 12]
    for values in scores.values():
        assert values.shape == (1, 4) and np.all((0 <= values) & (values <= 1))
    # the first point is the same model for both: same initial rows
    assert scores["qbc"][0, 0] == scores["diverse"][0, 0]


def test_active_learning_curve_bad_input_raises(cancer):
    X, y, X_test, y_test = cancer
    kwargs = {"X_test": X_test, "y_test": y_test}
    with pytest.raises(ValueError, match=r"initial \(10 rows\) \+ budget \(500\)"):
        active_learning_curve(
            _model(), UncertaintySampling(), X, y, budget=500, **kwargs
        )
    with pytest.raises(ValueError, match=r"initial positions must be between 0 and"):
        active_learning_curve(
            _model(), UncertaintySampling(), X, y, initial=[0, 10_000], **kwargs
        )
    with pytest.raises(TypeError, match=r"initial must be an int or a 1-d array"):
        active_learning_curve(
            _model(), UncertaintySampling(), X, y, initial=[0.5, 1.5], **kwargs
        )
    with pytest.raises(TypeError, match=r"strategy must be a query strategy"):
        active_learning_curve(_model(), "margin", X, y, **kwargs)
    with pytest.raises(ValueError, match=r"strategy is an empty dict"):
        active_learning_curve(_model(), {}, X, y, **kwargs)
    with pytest.raises(ValueError, match=r"'budget' parameter .* Got 0"):
        active_learning_curve(_model(), UncertaintySampling(), X, y, budget=0, **kwargs)
    with pytest.raises(ValueError, match=r"X has 10 rows but y has 20 labels"):
        active_learning_curve(_model(), UncertaintySampling(), X[:10], y[:20], **kwargs)
    y_missing = y.astype(float)
    y_missing[3] = np.nan
    with pytest.raises(ValueError, match=r"y"):
        active_learning_curve(_model(), UncertaintySampling(), X, y_missing, **kwargs)


def test_curve_area_is_mean_score_over_range():
    assert _curve_area([10, 20, 30], [[0.8, 0.9, 1.0]]) == pytest.approx(0.9)
    assert _curve_area([10, 20], [[0.5, 0.7], [0.7, 0.9]]) == pytest.approx(0.7)
    assert _curve_area([10], [[0.5]]) == 0.5


# -- display -------------------------------------------------------------------


def test_active_learning_curve_display_plots_mean_and_band():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scores = {"a": [[0.5, 0.7, 0.9], [0.7, 0.9, 0.9]], "b": [0.6, 0.6, 0.6]}
    disp = ActiveLearningCurveDisplay([5, 10, 15], scores, score_name="F1").plot()
    np.testing.assert_allclose(disp.lines_["a"].get_ydata(), [0.6, 0.8, 0.9])
    assert set(disp.bands_) == {"a"}  # one repeat: no band
    assert disp.areas_["b"] == pytest.approx(0.6)
    assert disp.ax_.get_ylabel() == "F1" and disp.figure_ is disp.ax_.figure
    _fig, ax = plt.subplots()
    assert ActiveLearningCurveDisplay([1, 2], [0.1, 0.2]).plot(ax=ax).ax_ is ax
    plt.close("all")


def test_active_learning_curve_display_from_estimator(cancer):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    X, y, X_test, y_test = cancer
    disp = ActiveLearningCurveDisplay.from_estimator(
        _model(),
        UncertaintySampling(),
        X,
        y,
        X_test=X_test,
        y_test=y_test,
        initial=4,
        budget=8,
        batch_size=4,
        random_state=0,
    )
    assert list(disp.lines_) == ["UncertaintySampling()"]
    assert disp.ax_.get_ylabel() == "Accuracy"
    plt.close("all")


def test_active_learning_curve_display_bad_scores_raise():
    pytest.importorskip("matplotlib")
    with pytest.raises(ValueError, match=r"scores\['a'\] must have one column per"):
        ActiveLearningCurveDisplay([1, 2, 3], {"a": [[0.1, 0.2]]}).plot()
    with pytest.raises(ValueError, match=r"n_labeled must be a non-empty 1-d"):
        ActiveLearningCurveDisplay([], [0.1]).plot()


def test_active_learning_curve_display_without_matplotlib(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError("no matplotlib")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(ImportError, match=r"requires matplotlib.*sklabels\[plot\]"):
        ActiveLearningCurveDisplay([1], [0.5]).plot()
