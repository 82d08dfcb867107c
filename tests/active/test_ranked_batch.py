"""RankedBatch: the greedy ranked batch, modAL as an oracle, bad input."""

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.stats import entropy
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import pairwise_distances
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklabels.active import (
    ActiveLearner,
    RankedBatch,
    UncertaintySampling,
    active_learning_curve,
)

LOADERS = [load_iris, load_wine, load_breast_cancer, load_digits]


@pytest.fixture(scope="module")
def iris_model():
    X, y = load_iris(return_X_y=True)
    labeled = np.r_[0:3, 50:53, 100:103]
    pool = np.setdiff1d(np.arange(150), labeled)
    clf = LogisticRegression(max_iter=1000).fit(X[labeled], y[labeled])
    return clf, X, y, labeled, pool


def _uncertainty(proba, method):
    top = np.sort(proba, axis=1)[:, ::-1]
    if method == "least_confident":
        return 1 - top[:, 0]
    if method == "margin":
        return 1 - (top[:, 0] - top[:, 1])
    return entropy(proba, axis=1) / np.log(proba.shape[1])


def _ranked_reference(F, labeled, u, k, metric="euclidean"):
    """The paper's loop, written plainly: full distance matrices, every step
    recomputed from scratch."""
    picked = []
    for _ in range(k):
        D = labeled if not picked else np.r_[labeled, F[picked]]
        alpha = (len(F) - len(picked)) / (len(F) - len(picked) + len(D))
        similarity = 1 / (1 + pairwise_distances(F, D, metric=metric).min(axis=1))
        score = alpha * (1 - similarity) + (1 - alpha) * u
        score[picked] = -np.inf
        picked.append(int(np.argmax(score)))
    return np.asarray(picked)


# -- the algorithm -------------------------------------------------------------


@pytest.mark.parametrize("method", ["least_confident", "margin", "entropy"])
@pytest.mark.parametrize("metric", ["euclidean", "manhattan", "cosine"])
def test_ranked_batch_matches_plain_greedy_loop(iris_model, method, metric):
    clf, X, _, labeled, pool = iris_model
    u = _uncertainty(clf.predict_proba(X[pool]), method)
    expected = _ranked_reference(X[pool], X[labeled], u, 8, metric)
    got = RankedBatch(method, metric).query(clf, X[pool], 8, X[labeled])
    np.testing.assert_array_equal(got, expected)


def test_ranked_batch_utility_is_first_pick_score(iris_model):
    clf, X, _, labeled, pool = iris_model
    strategy = RankedBatch()
    utility = strategy.utility(clf, X[pool], X_labeled=X[labeled])
    u = _uncertainty(clf.predict_proba(X[pool]), "least_confident")
    d = pairwise_distances(X[pool], X[labeled]).min(axis=1)
    alpha = pool.size / (pool.size + labeled.size)
    np.testing.assert_allclose(utility, alpha * d / (1 + d) + (1 - alpha) * u)
    assert strategy.query(clf, X[pool], 1, X[labeled])[0] == np.argmax(utility)


def test_ranked_batch_has_no_duplicates_and_spreads_copies_out():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(100, 2))
    y = (X[:, 0] > 0).astype(int)
    clf = LogisticRegression().fit(X, y)
    boundary = UncertaintySampling("least_confident").query(clf, X, 1)[0]
    pool = np.r_[X, np.repeat(X[[boundary]], 5, axis=0)]  # 6 copies of one row
    got = RankedBatch().query(clf, pool, 30, X[:4])
    assert np.unique(got).size == 30
    copies = np.r_[boundary, 100:105]
    assert np.isin(got, copies).sum() <= 1  # a copy adds no diversity


def test_ranked_batch_whole_pool_is_a_permutation(iris_model):
    clf, X, _, labeled, pool = iris_model
    got = RankedBatch().query(clf, X[pool], pool.size, X[labeled])
    np.testing.assert_array_equal(np.sort(got), np.arange(pool.size))


def test_ranked_batch_pure_diversity_picks_farthest_row():
    """A model sure of every row (uncertainty 0): only distance counts, so the
    first pick is the row farthest from the labeled rows, then k-center."""
    X = np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 0.0], [2.0, 0.0], [9.0, 0.0]])
    y = np.array([0, 0, 1, 1, 1])

    class Sure(LogisticRegression):
        def predict_proba(self, X):
            proba = np.zeros((len(X), 2))
            proba[:, 0] = 1.0
            return proba

    clf = Sure().fit(X, y)
    got = RankedBatch().query(clf, X[1:], 3, X[:1])
    # pool [1, 5, 2, 9]: 9 is farthest from 0; then 5 (4 from 9), then 2
    np.testing.assert_array_equal(got, [3, 1, 2])


def test_ranked_batch_without_labeled_rows_starts_with_most_uncertain(iris_model):
    clf, X, _, _, pool = iris_model
    u = UncertaintySampling("least_confident").utility(clf, X[pool])
    for X_labeled in (None, X[:0]):
        got = RankedBatch().query(clf, X[pool], 5, X_labeled)
        assert got[0] == np.argmax(u)
        np.testing.assert_array_equal(
            got[1:],
            _ranked_reference(X[pool], X[pool][got[:1]], u, 5)[:4],
        )
        np.testing.assert_array_equal(
            RankedBatch().utility(clf, X[pool], X_labeled=X_labeled), u
        )


def test_ranked_batch_one_instance_and_rows_equal_to_labeled(iris_model):
    clf, X, _, labeled, _ = iris_model
    # the labeled rows themselves in the pool: distance 0, never picked first
    got = RankedBatch().query(clf, X, 10, X[labeled])
    assert not np.isin(got, labeled).any()


# -- containers, pipelines, chunks ----------------------------------------------


def test_ranked_batch_pandas_sparse_and_list_pools_agree(iris_model):
    clf, X, y, labeled, pool = iris_model
    expected = RankedBatch().query(clf, X[pool], 6, X[labeled])
    frame = pd.DataFrame(X, columns=list("abcd"))
    clf_frame = LogisticRegression(max_iter=1000).fit(frame.iloc[labeled], y[labeled])
    got = RankedBatch().query(
        clf_frame, frame.iloc[pool], 6, X_labeled=frame.iloc[labeled]
    )
    np.testing.assert_array_equal(got, expected)
    got = RankedBatch().query(clf, X[pool].tolist(), 6, X[labeled].tolist())
    np.testing.assert_array_equal(got, expected)
    got = RankedBatch().query(
        clf, sparse.csr_matrix(X[pool]), 6, sparse.csr_matrix(X[labeled])
    )
    np.testing.assert_array_equal(got, expected)


def test_ranked_batch_chunk_size_gives_same_batch_in_bounded_blocks(iris_model):
    _, X, y, labeled, pool = iris_model
    sizes = []

    class Spy(LogisticRegression):
        def predict_proba(self, X):
            sizes.append(len(X))
            return super().predict_proba(X)

    spy = Spy(max_iter=1000).fit(X[labeled], y[labeled])
    expected = RankedBatch().query(spy, X[pool], 7, X[labeled])
    sizes.clear()
    got = RankedBatch(chunk_size=16).query(spy, X[pool], 7, X[labeled])
    np.testing.assert_array_equal(got, expected)
    assert max(sizes) == 16


def test_ranked_batch_pipeline_measures_distance_after_transformers(iris_model):
    _, X, y, labeled, pool = iris_model
    X_scaled = X * np.array([1.0, 100.0, 1.0, 0.01])  # scales far apart
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    pipe.fit(X_scaled[labeled], y[labeled])
    got = RankedBatch().query(pipe, X_scaled[pool], 6, X_scaled[labeled])
    F = pipe[0].transform(X_scaled)
    u = _uncertainty(pipe.predict_proba(X_scaled[pool]), "least_confident")
    np.testing.assert_array_equal(got, _ranked_reference(F[pool], F[labeled], u, 6))


# -- in the rest of sklabels.active --------------------------------------------


def test_ranked_batch_in_active_learner(iris_model):
    _, X, y, labeled, pool = iris_model
    y_partial = np.full(150, -1)
    y_partial[labeled] = y[labeled]
    learner = ActiveLearner(
        LogisticRegression(max_iter=1000), RankedBatch(), batch_size=4
    ).fit(X, y_partial)
    expected = RankedBatch().query(learner.estimator_, X[pool], 4, X[labeled])
    asked = learner.query(X[pool])
    np.testing.assert_array_equal(asked, expected)
    utility = RankedBatch().utility(learner.estimator_, X[pool], X_labeled=X[labeled])
    assert learner.utility_history_ == [pytest.approx(utility.max())]
    learner.teach(X[pool[asked]], y[pool[asked]])
    assert learner.y_training_.size == labeled.size + 4


def test_ranked_batch_in_active_learning_curve():
    X, y = load_iris(return_X_y=True)
    n_labeled, scores = active_learning_curve(
        LogisticRegression(max_iter=1000),
        {"ranked": RankedBatch(), "margin": UncertaintySampling()},
        X[::2],
        y[::2],
        X_test=X[1::2],
        y_test=y[1::2],
        initial=3,
        budget=9,
        batch_size=3,
        random_state=0,
    )
    assert n_labeled.tolist() == [3, 6, 9, 12]
    assert scores["ranked"].shape == (1, 4)
    assert scores["ranked"][0, 0] == scores["margin"][0, 0]  # same start
    assert np.all((scores["ranked"] >= 0) & (scores["ranked"] <= 1))


def test_ranked_batch_params_and_repr():
    strategy = RankedBatch(method="margin")
    assert repr(strategy) == "RankedBatch(method='margin')"
    assert strategy.get_params() == {
        "method": "margin",
        "metric": "euclidean",
        "chunk_size": None,
    }
    strategy.set_params(metric="cosine")
    assert strategy.metric == "cosine"


# -- bad input -----------------------------------------------------------------


def test_ranked_batch_bad_input_raises(iris_model):
    clf, X, _, labeled, pool = iris_model
    with pytest.raises(ValueError, match=r"n_instances=142 is larger than the pool"):
        RankedBatch().query(clf, X[pool], 142, X[labeled])
    with pytest.raises(ValueError, match=r"n_instances must be at least 1, got 0"):
        RankedBatch().query(clf, X[pool], 0)
    with pytest.raises(ValueError, match=r"method must be one of .* got 'variance'"):
        RankedBatch(method="variance").query(clf, X[pool])
    with pytest.raises(ValueError, match=r"metric must be one of .* got 'jaccardish'"):
        RankedBatch(metric="jaccardish").query(clf, X[pool])
    with pytest.raises(ValueError, match=r"chunk_size must be at least 1"):
        RankedBatch(chunk_size=0).query(clf, X[pool])
    with pytest.raises(ValueError, match=r"X_labeled has 2 features per row"):
        RankedBatch().query(clf, X[pool], 2, X[labeled][:, :2])
    with pytest.raises(TypeError, match=r"X_labeled must be an array-like"):
        RankedBatch().query(clf, X[pool], 2, X_labeled="rows")
    with pytest.raises(ValueError, match=r"X_pool is empty"):
        RankedBatch().query(clf, X[:0])
    with pytest.raises(TypeError, match=r"estimator must be a fitted classifier"):
        RankedBatch().query(object(), X[pool])


def test_ranked_batch_non_numeric_rows_raise():
    from sklearn.dummy import DummyClassifier

    words = np.array([["a", "b"], ["c", "d"], ["e", "f"]], dtype=object)
    model = DummyClassifier().fit(words, [0, 1, 0])  # takes any values
    with pytest.raises(TypeError, match=r"X_pool must be numeric"):
        RankedBatch().query(model, words, 2, words[:1])


# -- modAL as an oracle --------------------------------------------------------


@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f.__name__)
def test_ranked_batch_picks_as_modal(loader):
    """The batch modAL's uncertainty_batch_sampling picks, in the same order."""
    modal_batch = pytest.importorskip("modAL.batch")
    from modAL.models import ActiveLearner as ModalLearner

    X, y = loader(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    for seed in range(4):
        rng = np.random.RandomState(seed)
        labeled = rng.choice(y.size, 2 * np.unique(y).size + seed, replace=False)
        pool = np.setdiff1d(np.arange(y.size), labeled)
        model = LogisticRegression(max_iter=1000)
        learner = ModalLearner(model, X_training=X[labeled], y_training=y[labeled])
        for k in (1, 4, 15):
            theirs, _ = modal_batch.uncertainty_batch_sampling(
                learner, X[pool], n_instances=k
            )
            ours = RankedBatch().query(learner.estimator, X[pool], k, X[labeled])
            np.testing.assert_array_equal(ours, theirs)


def test_ranked_batch_pipeline_picks_as_modal_on_transformed():
    modal_batch = pytest.importorskip("modAL.batch")
    from modAL.models import ActiveLearner as ModalLearner

    X, y = load_wine(return_X_y=True)
    labeled = np.r_[0:3, 60:63, 140:143]
    pool = np.setdiff1d(np.arange(y.size), labeled)
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    learner = ModalLearner(
        pipe, X_training=X[labeled], y_training=y[labeled], on_transformed=True
    )
    theirs, _ = modal_batch.uncertainty_batch_sampling(learner, X[pool], 10)
    ours = RankedBatch().query(learner.estimator, X[pool], 10, X[labeled])
    np.testing.assert_array_equal(ours, theirs)


def test_ranked_batch_nan_rows_raise_unless_nan_euclidean():
    from sklearn.ensemble import HistGradientBoostingClassifier

    X, y = load_iris(return_X_y=True)
    X = X.copy()
    X[7, 2] = np.nan
    model = HistGradientBoostingClassifier(max_iter=5).fit(X, y)  # takes NaN
    with pytest.raises(ValueError, match=r"X_pool contains NaN .*first in row 7"):
        RankedBatch().query(model, X, 3, X[:2])
    with pytest.raises(ValueError, match=r"X_labeled contains NaN .*first in row 1"):
        RankedBatch().query(model, X[:5], 3, X[6:8])
    from sklearn.dummy import DummyClassifier

    dummy = DummyClassifier().fit(sparse.csr_matrix(X), y)  # takes sparse NaN
    with pytest.raises(ValueError, match=r"X_pool contains NaN .*first in row 7"):
        RankedBatch().query(dummy, sparse.csr_matrix(X), 3, X[:2])
    got = RankedBatch(metric="nan_euclidean").query(model, X, 3, X[:2])
    assert np.unique(got).size == 3
