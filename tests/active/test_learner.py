"""ActiveLearner: fit on labeled rows, query, teach, score, stop."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits, load_iris
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklabels.active import (
    ActiveLearner,
    DiverseBatch,
    QueryByCommittee,
    RandomSampling,
    UncertaintySampling,
)
from sklabels.active._learner import _kappa


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    y_partial = np.full(150, -1)
    labeled = np.r_[0:4, 50:54, 100:104]
    y_partial[labeled] = y[labeled]
    return X, y, y_partial, labeled


def _model():
    return LogisticRegression(max_iter=1000)


def test_active_learner_fits_clone_on_labeled_rows_only(iris):
    X, _, y_partial, labeled = iris
    learner = ActiveLearner(_model()).fit(X, y_partial)
    direct = _model().fit(X[labeled], y_partial[labeled])
    np.testing.assert_allclose(learner.predict_proba(X), direct.predict_proba(X))
    np.testing.assert_array_equal(learner.classes_, [0, 1, 2])
    np.testing.assert_array_equal(learner.X_training_, X[labeled])
    assert learner.n_features_in_ == 4
    assert not hasattr(learner.estimator, "coef_")  # the user's object untouched


def test_active_learner_query_matches_strategy(iris):
    X, _, y_partial, _ = iris
    learner = ActiveLearner(_model(), UncertaintySampling("entropy"), batch_size=4).fit(
        X, y_partial
    )
    pool = np.flatnonzero(y_partial == -1)
    expected = UncertaintySampling("entropy").query(
        learner.estimator_, X[pool], n_instances=4
    )
    np.testing.assert_array_equal(learner.query(X[pool]), expected)
    assert len(learner.utility_history_) == 1


def test_active_learner_teach_adds_rows_and_refits(iris):
    X, y, y_partial, labeled = iris
    learner = ActiveLearner(_model(), batch_size=3).fit(X, y_partial)
    pool = np.flatnonzero(y_partial == -1)
    asked = pool[learner.query(X[pool])]
    learner.teach(X[asked], y[asked])
    rows = np.concatenate([labeled, asked])
    np.testing.assert_array_equal(learner.y_training_, y[rows])
    direct = _model().fit(X[rows], y[rows])
    np.testing.assert_allclose(learner.predict_proba(X), direct.predict_proba(X))


def test_active_learner_teach_keeps_dataframe_container(iris):
    X, y, y_partial, _ = iris
    frame = pd.DataFrame(X, columns=list("abcd"))
    learner = ActiveLearner(_model()).fit(frame, y_partial)
    learner.teach(frame.iloc[[5, 60]], y[[5, 60]])
    assert isinstance(learner.X_training_, pd.DataFrame)
    assert list(learner.feature_names_in_) == list("abcd")
    assert learner.X_training_.shape == (14, 4)


def test_active_learner_pipeline_end_to_end(iris):
    X, y, y_partial, _ = iris
    pipe = make_pipeline(StandardScaler(), _model())
    learner = ActiveLearner(pipe, batch_size=5).fit(X, y_partial)
    known = y_partial.copy()
    for _ in range(4):
        pool = np.flatnonzero(known == -1)
        asked = pool[learner.query(X[pool])]
        learner.teach(X[asked], y[asked])
        known[asked] = y[asked]
    assert learner.y_training_.size == 32
    assert learner.score(X, y) > 0.9


def test_active_learner_beats_random_on_digits():
    """Uncertainty sampling reaches a better model than random, same budget."""
    X, y = load_digits(return_X_y=True)
    rng = np.random.RandomState(0)
    test = rng.rand(len(y)) < 0.3
    X_train, y_train, X_test, y_test = X[~test], y[~test], X[test], y[test]
    start = np.concatenate([np.flatnonzero(y_train == k)[:2] for k in range(10)])
    scores = {}
    for name, strategy in {
        "uncertainty": UncertaintySampling(),
        "random": RandomSampling(random_state=0),
    }.items():
        known = np.full(y_train.size, -1)
        known[start] = y_train[start]
        learner = ActiveLearner(
            make_pipeline(StandardScaler(), _model()), strategy, batch_size=10
        ).fit(X_train, known)
        for _ in range(10):
            pool = np.flatnonzero(known == -1)
            asked = pool[learner.query(X_train[pool])]
            learner.teach(X_train[asked], y_train[asked])
            known[asked] = y_train[asked]
        scores[name] = learner.score(X_test, y_test)
    assert scores["uncertainty"] > scores["random"]


def test_active_learner_score_ignores_unlabeled_rows(iris):
    X, y, y_partial, labeled = iris
    learner = ActiveLearner(_model()).fit(X, y_partial)
    expected = np.mean(learner.predict(X[labeled]) == y[labeled])
    assert learner.score(X, y_partial) == pytest.approx(expected)
    with pytest.raises(ValueError, match=r"y has no labeled row to score"):
        learner.score(X[4:50], y_partial[4:50])


def test_active_learner_cross_val_score_skips_unlabeled(iris):
    X, y, _, _ = iris
    rng = np.random.RandomState(0)
    y_partial = np.where(rng.rand(150) < 0.4, y, -1)
    cv = KFold(3, shuffle=True, random_state=0)
    scores = cross_val_score(ActiveLearner(_model()), X, y_partial, cv=cv)
    expected = [
        np.mean(
            _model()
            .fit(X[tr][y_partial[tr] != -1], y_partial[tr][y_partial[tr] != -1])
            .predict(X[te][y_partial[te] != -1])
            == y_partial[te][y_partial[te] != -1]
        )
        for tr, te in cv.split(X)
    ]
    np.testing.assert_allclose(scores, expected)


def test_active_learner_grid_search_over_inner_and_strategy_params(iris):
    X, y, _, _ = iris
    y_partial = np.where(np.arange(150) % 3 == 0, y, -1)
    search = GridSearchCV(
        ActiveLearner(_model(), UncertaintySampling()),
        {"estimator__C": [0.01, 1.0], "strategy__method": ["margin", "entropy"]},
        cv=KFold(3, shuffle=True, random_state=0),
    ).fit(X, y_partial)
    assert search.best_params_["estimator__C"] == 1.0
    assert search.best_estimator_.strategy.method in ("margin", "entropy")


def test_active_learner_clone_and_pickle(iris):
    X, _, y_partial, _ = iris
    learner = ActiveLearner(_model(), UncertaintySampling("entropy"), batch_size=2)
    cloned = clone(learner)
    assert cloned.strategy is not learner.strategy
    assert cloned.strategy.method == "entropy"
    fitted = learner.fit(X, y_partial)
    again = pickle.loads(pickle.dumps(fitted))
    pool = X[y_partial == -1]
    np.testing.assert_array_equal(again.query(pool), fitted.query(pool))


# -- stopping ------------------------------------------------------------------


def test_kappa_matches_sklearn():
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.RandomState(0)
    a, b = rng.randint(0, 3, 200), rng.randint(0, 3, 200)
    b[:120] = a[:120]
    assert _kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))
    assert _kappa(a, a) == 1.0
    assert _kappa(np.zeros(5), np.ones(5)) == 0.0


def test_active_learner_stops_when_predictions_stabilise():
    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    y_partial = np.full(y.size, -1)
    start = np.concatenate([np.flatnonzero(y == k)[:3] for k in range(10)])
    y_partial[start] = y[start]
    learner = ActiveLearner(
        _model(), batch_size=20, kappa_threshold=0.97, random_state=0
    ).fit(X, y_partial)
    known = y_partial.copy()
    rounds = 0
    while not learner.stop_ and rounds < 40:
        pool = np.flatnonzero(known == -1)
        asked = pool[learner.query(X[pool])]
        learner.teach(X[asked], y[asked])
        known[asked] = y[asked]
        rounds += 1
    assert learner.stop_ and learner.stop_reason_ == "stable_predictions"
    assert len(learner.kappa_history_) == rounds
    assert np.mean(learner.kappa_history_[-3:]) >= 0.97
    assert np.mean(learner.kappa_history_[:3]) < 0.97  # not stable at the start


def test_active_learner_stops_at_utility_floor(iris):
    X, _, y_partial, _ = iris
    learner = ActiveLearner(_model(), utility_floor=0.999).fit(X, y_partial)
    pool = X[y_partial == -1]
    learner.query(pool)
    assert learner.stop_ and learner.stop_reason_ == "utility_floor"
    assert learner.utility_history_[0] < 0.999
    learner = ActiveLearner(_model(), utility_floor=1e-6).fit(X, y_partial)
    learner.query(pool)
    assert not learner.stop_ and learner.stop_reason_ is None


def test_active_learner_stop_set_size_bounds_stop_set(iris):
    X, y, y_partial, _ = iris
    learner = ActiveLearner(_model(), stop_set_size=10, random_state=0)
    learner.fit(X, y_partial)
    assert learner._stop_set.shape == (10, 4)
    learner.fit(X[y_partial != -1], y[y_partial != -1])  # no pool: no stop set
    learner.teach(X[:2], y[:2])
    assert learner.kappa_history_ == []


# -- bad input -----------------------------------------------------------------


def test_active_learner_no_labeled_row_raises(iris):
    X, _, _, _ = iris
    with pytest.raises(ValueError, match=r"y has no labeled row.*RandomSampling"):
        ActiveLearner(_model()).fit(X, np.full(150, -1))


def test_active_learner_teach_unlabeled_rows_raises(iris):
    X, _, y_partial, _ = iris
    learner = ActiveLearner(_model()).fit(X, y_partial)
    with pytest.raises(ValueError, match=r"teach has 1 unlabeled rows.*row 1"):
        learner.teach(X[:2], [0, -1])
    with pytest.raises(ValueError, match=r"teach has 3 features per row.*on 4"):
        learner.teach(X[:2, :3], [0, 0])
    with pytest.raises(ValueError, match=r"X has 2 rows but y has 3 labels"):
        learner.teach(X[:2], [0, 0, 0])


def test_active_learner_unfitted_raises(iris):
    X, y, _, _ = iris
    with pytest.raises(NotFittedError):
        ActiveLearner(_model()).query(X)
    with pytest.raises(NotFittedError):
        ActiveLearner(_model()).teach(X[:2], y[:2])


def test_active_learner_bad_strategy_and_batch_raise(iris):
    X, _, y_partial, _ = iris
    with pytest.raises(ValueError, match=r"'strategy' parameter"):
        ActiveLearner(_model(), strategy="margin").fit(X, y_partial)
    learner = ActiveLearner(_model(), batch_size=5).fit(X, y_partial)
    with pytest.raises(ValueError, match=r"n_instances=5 is larger than the pool"):
        learner.query(X[:3])
    with pytest.raises(ValueError, match=r"X_pool has 2 features"):
        learner.query(X[:, :2])


def test_active_learner_passes_labeled_rows_to_strategies(iris):
    X, y, y_partial, labeled = iris
    pool = np.flatnonzero(y_partial == -1)
    for strategy in [
        QueryByCommittee(random_state=0),
        DiverseBatch(candidates=3),
    ]:
        learner = ActiveLearner(_model(), strategy, batch_size=4).fit(X, y_partial)
        expected = strategy.query(
            learner.estimator_, X[pool], 4, X[labeled], y[labeled]
        )
        np.testing.assert_array_equal(learner.query(X[pool]), expected)


def test_active_learner_string_labels_with_none_marker(iris):
    X, y, y_partial, _ = iris
    names = np.array(["setosa", "versicolor", "virginica"], dtype=object)
    labels = np.where(y_partial == -1, None, names[np.maximum(y_partial, 0)])
    learner = ActiveLearner(_model(), batch_size=2).fit(X, labels)
    np.testing.assert_array_equal(learner.classes_, names)
    learner.teach(X[[60, 120]], names[y[[60, 120]]])
    assert learner.y_training_.size == 14
    assert learner.score(X, labels) == pytest.approx(
        np.mean(learner.predict(X[y_partial != -1]) == names[y[y_partial != -1]])
    )
    with pytest.raises(ValueError, match=r"teach has 1 unlabeled rows"):
        learner.teach(X[:1], [None])
