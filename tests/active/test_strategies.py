"""Query strategies: utilities, batches, chunking, bad input."""

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.stats import entropy
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import NotFittedError
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics.pairwise import cosine_similarity, euclidean_distances
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from sklabels.active import (
    DensityWeighted,
    DiverseBatch,
    QueryByCommittee,
    RandomSampling,
    UncertaintySampling,
)

METHODS = ["least_confident", "margin", "entropy"]


@pytest.fixture(scope="module")
def iris_model():
    X, y = load_iris(return_X_y=True)
    labeled = np.r_[0:5, 50:55, 100:105]
    clf = LogisticRegression(max_iter=1000).fit(X[labeled], y[labeled])
    return clf, X, y, labeled


def _reference_utility(proba, method):
    """The textbook formulas, row by row."""
    top = np.sort(proba, axis=1)[:, ::-1]
    if method == "least_confident":
        return 1 - top[:, 0]
    if method == "margin":
        return 1 - (top[:, 0] - top[:, 1])
    return entropy(proba, axis=1)


@pytest.mark.parametrize("method", METHODS)
def test_uncertainty_sampling_utility_matches_formula(iris_model, method):
    clf, X, _, _ = iris_model
    got = UncertaintySampling(method).utility(clf, X)
    expected = _reference_utility(clf.predict_proba(X), method)
    np.testing.assert_allclose(got, expected, atol=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_uncertainty_sampling_query_is_top_utility(iris_model, method):
    clf, X, _, _ = iris_model
    strategy = UncertaintySampling(method)
    utility = strategy.utility(clf, X)
    got = strategy.query(clf, X, n_instances=7)
    np.testing.assert_array_equal(got, np.argsort(-utility, kind="stable")[:7])
    assert np.all(np.diff(utility[got]) <= 0)


def test_uncertainty_sampling_ties_broken_by_row_order(iris_model):
    clf, X, _, _ = iris_model
    # the same rows repeated: equal utilities, earlier copy first
    X_pool = np.vstack([X[:20], X[:20], X[:20]])
    got = UncertaintySampling().query(clf, X_pool, n_instances=6)
    best = int(np.argmax(UncertaintySampling().utility(clf, X[:20])))
    assert got[:3].tolist() == [best, best + 20, best + 40]


@pytest.mark.parametrize("n_instances", [1, 5, 59, 60])
def test_uncertainty_sampling_ties_at_batch_edge_keep_row_order(n_instances):
    """Heavy ties (constant utility blocks) still give the stable order."""

    class Fixed(ClassifierMixin, BaseEstimator):
        classes_ = np.array([0, 1])
        n_features_in_ = 1

        def fit(self, X, y):
            return self

        def predict_proba(self, X):
            p = np.asarray(X, dtype=float)[:, 0]
            return np.c_[p, 1 - p]

        def __sklearn_is_fitted__(self):
            return True

    p = np.repeat([0.5, 0.7, 0.9], 20)[np.random.RandomState(0).permutation(60)]
    got = UncertaintySampling().query(Fixed(), p[:, None], n_instances=n_instances)
    utility = 1 - np.abs(2 * p - 1)
    np.testing.assert_array_equal(
        got, np.argsort(-utility, kind="stable")[:n_instances]
    )


@pytest.mark.parametrize("chunk_size", [1, 7, 150, 10_000])
def test_uncertainty_sampling_chunked_equals_whole(iris_model, chunk_size):
    clf, X, _, _ = iris_model
    whole = UncertaintySampling("entropy").utility(clf, X)
    chunked = UncertaintySampling("entropy", chunk_size=chunk_size).utility(clf, X)
    np.testing.assert_allclose(whole, chunked, rtol=1e-12, atol=1e-15)


def test_uncertainty_sampling_predicts_bounded_blocks(iris_model):
    _, X, _, _ = iris_model
    sizes = []

    class Spy(LogisticRegression):
        def predict_proba(self, X):
            sizes.append(len(X))
            return super().predict_proba(X)

    spy = Spy(max_iter=1000).fit(X[::10], np.arange(15) % 3)
    UncertaintySampling(chunk_size=32).query(spy, X, n_instances=3)
    assert max(sizes) == 32 and sum(sizes) == len(X)


def test_uncertainty_sampling_pipeline_and_containers(iris_model):
    _, X, y, labeled = iris_model
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    pipe.fit(X[labeled], y[labeled])
    strategy = UncertaintySampling()
    expected = strategy.query(pipe, X, n_instances=5)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(4)])
    pipe_df = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    pipe_df.fit(frame.iloc[labeled], y[labeled])
    np.testing.assert_array_equal(strategy.query(pipe_df, frame, 5), expected)
    np.testing.assert_array_equal(strategy.query(pipe, X.tolist(), 5), expected)
    np.testing.assert_array_equal(
        strategy.query(pipe, sparse.csr_matrix(X).toarray(), 5), expected
    )


def test_uncertainty_sampling_sparse_pool():
    X, y = load_breast_cancer(return_X_y=True)
    X = sparse.csr_matrix(np.where(X > np.median(X, axis=0), X, 0))
    clf = LogisticRegression(max_iter=2000).fit(X[:100], y[:100])
    strategy = UncertaintySampling(chunk_size=50)
    np.testing.assert_allclose(
        strategy.utility(clf, X), strategy.utility(clf, X.toarray()), atol=1e-12
    )


def test_uncertainty_sampling_nan_allowed_for_nan_tolerant_estimator():
    X, y = load_iris(return_X_y=True)
    X = X.copy()
    X[::7, 1] = np.nan
    clf = HistGradientBoostingClassifier(max_iter=5).fit(X, y)
    assert np.isfinite(UncertaintySampling().utility(clf, X)).all()
    pipe = make_pipeline(SimpleImputer(), LogisticRegression(max_iter=500)).fit(X, y)
    assert UncertaintySampling().query(pipe, X, 2).shape == (2,)


# -- bad input -----------------------------------------------------------------


def test_uncertainty_sampling_unfitted_estimator_raises(iris_model):
    _, X, _, _ = iris_model
    with pytest.raises(NotFittedError, match=r"is not fitted yet.*Fit it on the"):
        UncertaintySampling().query(LogisticRegression(), X)
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    with pytest.raises(NotFittedError, match=r"Pipeline.*is not fitted yet"):
        UncertaintySampling().utility(pipe, X)


def test_uncertainty_sampling_estimator_without_proba_raises(iris_model):
    _, X, y, _ = iris_model
    svc = SVC().fit(X, y)
    with pytest.raises(TypeError, match=r"estimator must be .*predict_proba.*SVC"):
        UncertaintySampling().query(svc, X)
    with pytest.raises(TypeError, match=r"estimator must be .*got 'clf'"):
        UncertaintySampling().query("clf", X)


def test_uncertainty_sampling_wrong_number_of_features_raises(iris_model):
    clf, X, _, _ = iris_model
    with pytest.raises(ValueError, match=r"X_pool has 3 features .* fitted on 4"):
        UncertaintySampling().query(clf, X[:, :3])


def test_uncertainty_sampling_n_instances_larger_than_pool_raises(iris_model):
    clf, X, _, _ = iris_model
    with pytest.raises(ValueError, match=r"n_instances=11 is larger than the pool.*10"):
        UncertaintySampling().query(clf, X[:10], n_instances=11)
    with pytest.raises(ValueError, match=r"n_instances must be at least 1, got 0"):
        UncertaintySampling().query(clf, X, n_instances=0)
    with pytest.raises(TypeError, match=r"n_instances must be an int, got float 2.0"):
        UncertaintySampling().query(clf, X, n_instances=2.0)


def test_uncertainty_sampling_empty_pool_raises(iris_model):
    clf, X, _, _ = iris_model
    with pytest.raises(ValueError, match=r"X_pool is empty"):
        UncertaintySampling().query(clf, X[:0])
    with pytest.raises(ValueError, match=r"X_pool is empty"):
        RandomSampling().query(clf, X[:0])


def test_uncertainty_sampling_not_a_table_raises(iris_model):
    clf, _, _, _ = iris_model
    with pytest.raises(TypeError, match=r"X_pool must be an array-like.*str 'abc'"):
        UncertaintySampling().query(clf, "abc")
    with pytest.raises(TypeError, match=r"X_pool must be an array-like.*NoneType"):
        UncertaintySampling().utility(clf, None)


def test_uncertainty_sampling_nan_in_pool_raises(iris_model):
    clf, X, _, _ = iris_model
    X = X.copy()
    X[17, 2] = np.nan
    with pytest.raises(ValueError, match=r"X_pool contains NaN \(first in row 17\)"):
        UncertaintySampling(chunk_size=10).query(clf, X)
    with pytest.raises(ValueError, match=r"X_pool contains NaN \(first in row 17\)"):
        UncertaintySampling(chunk_size=10).query(clf, sparse.csr_matrix(X))
    sparse_pool = sparse.csr_matrix(X)
    sparse_pool.data[:40] = 0.0  # explicit zeros stored before the NaN
    with pytest.raises(ValueError, match=r"X_pool contains NaN \(first in row 17\)"):
        UncertaintySampling(chunk_size=10).query(clf, sparse_pool)
    frame = pd.DataFrame(X)
    with pytest.raises(ValueError, match=r"X_pool contains NaN \(first in row 17\)"):
        UncertaintySampling(chunk_size=10).query(clf, frame)


def test_uncertainty_sampling_bad_params_raise(iris_model):
    clf, X, _, _ = iris_model
    with pytest.raises(ValueError, match=r"method must be one of .* got 'margins'"):
        UncertaintySampling("margins").query(clf, X)
    with pytest.raises(ValueError, match=r"chunk_size must be at least 1 .* got 0"):
        UncertaintySampling(chunk_size=0).query(clf, X)
    with pytest.raises(TypeError, match=r"chunk_size must be a positive int .*'10'"):
        UncertaintySampling(chunk_size="10").utility(clf, X)


def test_uncertainty_sampling_nan_probabilities_raise(iris_model):
    _, X, _, _ = iris_model

    class Broken(LogisticRegression):
        def predict_proba(self, X):
            proba = super().predict_proba(X)
            proba[3] = np.nan
            return proba

    broken = Broken(max_iter=1000).fit(X[::10], np.arange(15) % 3)
    with pytest.raises(ValueError, match=r"Broken.predict_proba returned NaN"):
        UncertaintySampling().query(broken, X)


# -- random sampling -----------------------------------------------------------


def test_random_sampling_draws_distinct_rows_reproducibly():
    X_pool = np.zeros((50, 3))
    first = RandomSampling(random_state=3).query(None, X_pool, n_instances=20)
    again = RandomSampling(random_state=3).query(None, X_pool, n_instances=20)
    np.testing.assert_array_equal(first, again)
    assert np.unique(first).size == 20 and first.max() < 50
    other = RandomSampling(random_state=4).query(None, X_pool, n_instances=20)
    assert not np.array_equal(first, other)


def test_random_sampling_ignores_estimator_and_is_uniform():
    X_pool = np.zeros((10, 1))
    rng = np.random.RandomState(0)
    strategy = RandomSampling(random_state=rng)
    draws = [strategy.query(None, X_pool, 3) for _ in range(3000)]
    counts = np.bincount(np.concatenate(draws), minlength=10)
    # each row is drawn with probability 0.3: 900 expected, sd about 25
    assert np.all(np.abs(counts - 900) < 125)


# -- get_params / set_params ---------------------------------------------------


def test_uncertainty_sampling_params_and_repr():
    strategy = UncertaintySampling("entropy", chunk_size=100)
    assert strategy.get_params() == {"method": "entropy", "chunk_size": 100}
    assert repr(strategy) == "UncertaintySampling(method='entropy', chunk_size=100)"
    assert strategy.set_params(method="margin").method == "margin"
    assert repr(UncertaintySampling()) == "UncertaintySampling()"
    with pytest.raises(ValueError, match=r"Invalid parameter 'alpha'"):
        strategy.set_params(alpha=1)


# -- query by committee --------------------------------------------------------


@pytest.fixture(scope="module")
def committee(iris_model):
    _, X, y, _ = iris_model
    rng = np.random.RandomState(0)
    members = []
    for seed in range(4):
        rows = rng.choice(150, 30, replace=False)
        members.append(LogisticRegression(C=0.1 * (seed + 1)).fit(X[rows], y[rows]))
    return members


def test_query_by_committee_vote_entropy_matches_formula(iris_model, committee):
    _, X, _, _ = iris_model
    got = QueryByCommittee(committee).utility(None, X)
    votes = np.stack([m.predict(X) for m in committee])
    counts = np.stack([(votes == k).sum(axis=0) for k in range(3)], axis=1)
    np.testing.assert_allclose(got, entropy(counts / 4, axis=1))


def test_query_by_committee_kl_divergence_matches_formula(iris_model, committee):
    _, X, _, _ = iris_model
    got = QueryByCommittee(committee, method="kl_divergence").utility(None, X)
    probas = np.stack([m.predict_proba(X) for m in committee])
    consensus = probas.mean(axis=0)
    expected = np.mean([entropy(p.T, consensus.T) for p in probas], axis=0)
    np.testing.assert_allclose(got, expected, atol=1e-12)


def test_query_by_committee_members_with_missing_classes(iris_model):
    _, X, y, _ = iris_model
    two = LogisticRegression(max_iter=1000).fit(X[:100], y[:100])  # classes 0, 1
    three = LogisticRegression(max_iter=1000).fit(X, y)
    qbc = QueryByCommittee([two, three], method="kl_divergence")
    got = qbc.utility(None, X)
    assert np.isfinite(got).all() and got.shape == (150,)
    # where the 3-class model says class 2 and the other cannot, they disagree
    assert got[100:].mean() > got[:50].mean()
    votes = QueryByCommittee([two, three]).utility(None, X)
    split = three.predict(X) == 2  # the other model cannot vote 2
    np.testing.assert_allclose(votes[split], np.log(2))
    np.testing.assert_allclose(votes[:50], 0.0)


def test_query_by_committee_bootstrap_reproducible_and_n_jobs(iris_model):
    clf, X, y, labeled = iris_model
    kwargs = {"X_labeled": X[labeled], "y_labeled": y[labeled]}
    qbc = QueryByCommittee(method="kl_divergence", n_members=4, random_state=0)
    first = qbc.utility(clf, X, **kwargs)
    np.testing.assert_array_equal(first, qbc.utility(clf, X, **kwargs))
    parallel = qbc.set_params(n_jobs=2).utility(clf, X, **kwargs)
    np.testing.assert_array_equal(first, parallel)
    other = QueryByCommittee(
        method="kl_divergence", n_members=4, random_state=1
    ).utility(clf, X, **kwargs)
    assert not np.array_equal(first, other)


def test_query_by_committee_bootstrap_keeps_every_class(iris_model):
    from sklabels.active._strategies import _stratified_bootstrap

    codes = np.array([0] * 20 + [1] * 2 + [2])
    rng = np.random.RandomState(0)
    for _ in range(50):
        rows = _stratified_bootstrap(codes, rng)
        np.testing.assert_array_equal(np.bincount(codes[rows]), [20, 2, 1])


def test_query_by_committee_bootstrap_with_unfitted_pipeline(iris_model):
    _, X, y, labeled = iris_model
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    got = QueryByCommittee(random_state=0).query(
        pipe, X, n_instances=5, X_labeled=X[labeled], y_labeled=y[labeled]
    )
    assert got.shape == (5,) and np.unique(got).size == 5
    assert not hasattr(pipe[-1], "coef_")  # clones fitted, not the user's


def test_query_by_committee_bad_input_raises(iris_model, committee):
    clf, X, y, labeled = iris_model
    with pytest.raises(ValueError, match=r"X_labeled=None and y_labeled=None"):
        QueryByCommittee().query(clf, X)
    with pytest.raises(ValueError, match=r"y_labeled holds one class only \(\[0\]\)"):
        QueryByCommittee().query(clf, X, 1, X[:5], y[:5])
    with pytest.raises(ValueError, match=r"at least 2 fitted classifiers, got 1"):
        QueryByCommittee(committee[:1]).query(clf, X)
    with pytest.raises(TypeError, match=r"committee must be a list .*got 'abc'"):
        QueryByCommittee("abc").query(clf, X)
    with pytest.raises(NotFittedError, match=r"is not fitted yet"):
        QueryByCommittee([committee[0], LogisticRegression()]).query(clf, X)
    with pytest.raises(ValueError, match=r"n_members must be at least 2 .*got 1"):
        QueryByCommittee(n_members=1).query(clf, X, 1, X[labeled], y[labeled])
    with pytest.raises(ValueError, match=r"method must be one of .*'vote'"):
        QueryByCommittee(committee, method="vote").query(clf, X)
    with pytest.raises(ValueError, match=r"X_pool has 2 features .* fitted on 4"):
        QueryByCommittee(committee).query(clf, X[:, :2])
    svc = SVC().fit(X, y)
    with pytest.raises(TypeError, match=r"with a predict_proba method; got SVC"):
        QueryByCommittee([svc, svc], method="kl_divergence").query(clf, X)


# -- density weighted ----------------------------------------------------------


@pytest.mark.parametrize("chunk_size", [None, 7])
def test_density_weighted_cosine_density_is_mean_cosine(iris_model, chunk_size):
    clf, X, _, _ = iris_model
    got = DensityWeighted(chunk_size=chunk_size).density(clf, X)
    expected = np.clip(cosine_similarity(X).mean(axis=1), 0, 1)
    np.testing.assert_allclose(got, expected, rtol=1e-10)


@pytest.mark.parametrize("chunk_size", [None, 7])
def test_density_weighted_euclidean_density_matches_pairwise(iris_model, chunk_size):
    clf, X, _, _ = iris_model
    got = DensityWeighted(metric="euclidean", chunk_size=chunk_size).density(clf, X)
    d = (euclidean_distances(X) ** 2).mean(axis=1)
    np.testing.assert_allclose(got, 1 / (1 + d / d.mean()), rtol=1e-10)


def test_density_weighted_utility_is_base_times_density(iris_model):
    clf, X, _, _ = iris_model
    base = UncertaintySampling("entropy")
    for beta in [0.0, 0.5, 2.0]:
        strategy = DensityWeighted(base, beta=beta)
        expected = base.utility(clf, X) * strategy.density(clf, X) ** beta
        np.testing.assert_allclose(strategy.utility(clf, X), expected)
    utility = DensityWeighted(base, beta=1).utility(clf, X)
    np.testing.assert_array_equal(
        DensityWeighted(base).query(clf, X, 4), np.argsort(-utility, kind="stable")[:4]
    )


def test_density_weighted_prefers_typical_rows_over_outliers():
    rng = np.random.RandomState(0)
    X = rng.normal(0, 1, (200, 2))
    clf = LogisticRegression().fit(X, (X[:, 0] > 0).astype(int))
    (w0, w1), b = clf.coef_[0], clf.intercept_[0]
    far = np.array([40.0, -40.0])
    X = np.r_[X, np.c_[-(b + w1 * far) / w0, far]]  # two outliers on the boundary
    plain = UncertaintySampling().query(clf, X, 2)
    weighted = DensityWeighted(metric="euclidean", beta=2).query(clf, X, 2)
    assert set(plain) == {200, 201}  # on the boundary, far from the data
    assert not set(weighted) & {200, 201}


def test_density_weighted_pipeline_measures_transformed_space(iris_model):
    _, X, y, labeled = iris_model
    pipe = make_pipeline(StandardScaler(), LogisticRegression()).fit(
        X[labeled], y[labeled]
    )
    got = DensityWeighted(metric="euclidean").density(pipe, X)
    Z = pipe[0].transform(X)
    d = (euclidean_distances(Z) ** 2).mean(axis=1)
    np.testing.assert_allclose(got, 1 / (1 + d / d.mean()), rtol=1e-10)


def test_density_weighted_sparse_pool_equals_dense(iris_model):
    clf, X, _, _ = iris_model
    for metric in ["cosine", "euclidean"]:
        strategy = DensityWeighted(metric=metric, chunk_size=20)
        np.testing.assert_allclose(
            strategy.density(clf, sparse.csr_matrix(X)), strategy.density(clf, X)
        )


def test_density_weighted_bad_input_raises(iris_model):
    clf, X, _, _ = iris_model

    class Negative(UncertaintySampling):
        def utility(self, estimator, X_pool, **kwargs):
            return super().utility(estimator, X_pool) - 1

    with pytest.raises(ValueError, match=r"needs a non-negative utility"):
        DensityWeighted(Negative()).query(clf, X)
    with pytest.raises(ValueError, match=r"beta must be a real number >= 0, got -1"):
        DensityWeighted(beta=-1).query(clf, X)
    with pytest.raises(ValueError, match=r"metric must be one of .*'manhattan'"):
        DensityWeighted(metric="manhattan").query(clf, X)
    with pytest.raises(TypeError, match=r"strategy must be a query strategy.*'margin'"):
        DensityWeighted("margin").query(clf, X)
    with pytest.raises(ValueError, match=r"X_pool has 2 features"):
        DensityWeighted().query(clf, X[:, :2])
    with pytest.raises(NotFittedError, match=r"is not fitted yet"):
        DensityWeighted().query(LogisticRegression(), X)


def test_density_weighted_non_numeric_pool_raises():
    from sklearn.feature_extraction.text import CountVectorizer

    texts = ["good film", "bad film", "good plot", "bad plot", "fine"]
    clf = make_pipeline(CountVectorizer(), LogisticRegression())
    clf.fit(texts, [1, 0, 1, 0, 1])
    # a text pipeline: similarity on the counts works
    assert DensityWeighted().query(clf, texts, 2).shape == (2,)
    words = np.array([["a", "b"], ["c", "d"]], dtype=object)
    model = DummyClassifier().fit(words, [0, 1])  # takes any values
    with pytest.raises(TypeError, match=r"X_pool must be numeric"):
        DensityWeighted().utility(model, words)


# -- diverse batch -------------------------------------------------------------


def _kcenter_reference(F, k, labeled=None):
    """k-center greedy with the full distance matrix."""
    D = euclidean_distances(F)
    if labeled is None:
        picked = [0]
    else:
        picked = [int(np.argmax(euclidean_distances(F, labeled).min(axis=1)))]
    while len(picked) < k:
        dist = D[:, picked].min(axis=1)
        if labeled is not None:
            dist = np.minimum(dist, euclidean_distances(F, labeled).min(axis=1))
        dist[picked] = -1
        picked.append(int(np.argmax(dist)))
    return picked


def test_diverse_batch_is_kcenter_among_top_candidates(iris_model):
    clf, X, _, labeled = iris_model
    base = UncertaintySampling()
    top = base.query(clf, X, 20)
    got = DiverseBatch(candidates=4).query(clf, X, 5)
    np.testing.assert_array_equal(got, top[_kcenter_reference(X[top], 5)])
    with_labeled = DiverseBatch(candidates=4).query(clf, X, 5, X[labeled])
    np.testing.assert_array_equal(
        with_labeled, top[_kcenter_reference(X[top], 5, X[labeled])]
    )


def test_diverse_batch_one_candidate_is_base_strategy(iris_model):
    clf, X, _, _ = iris_model
    np.testing.assert_array_equal(
        DiverseBatch(UncertaintySampling("entropy"), candidates=1).query(clf, X, 6),
        UncertaintySampling("entropy").query(clf, X, 6),
    )


def test_diverse_batch_avoids_duplicates():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(100, 2))
    y = (X[:, 0] > 0).astype(int)
    clf = LogisticRegression().fit(X, y)
    boundary = UncertaintySampling().query(clf, X, 1)[0]
    pool = np.r_[X, np.repeat(X[[boundary]], 5, axis=0)]  # 6 copies of one row
    plain = UncertaintySampling().query(clf, pool, 5)
    diverse = DiverseBatch().query(clf, pool, 5)
    assert np.unique(pool[plain], axis=0).shape[0] == 1
    assert np.unique(pool[diverse], axis=0).shape[0] == 5
    assert diverse[0] == plain[0]  # the most informative row first


def test_diverse_batch_pipeline_and_utility(iris_model):
    _, X, y, labeled = iris_model
    pipe = make_pipeline(StandardScaler(), LogisticRegression()).fit(
        X[labeled], y[labeled]
    )
    got = DiverseBatch(candidates=3).query(pipe, X, 4)
    top = UncertaintySampling().query(pipe, X, 12)
    np.testing.assert_array_equal(
        got, top[_kcenter_reference(pipe[0].transform(X[top]), 4)]
    )
    np.testing.assert_array_equal(
        DiverseBatch().utility(pipe, X), UncertaintySampling().utility(pipe, X)
    )


def test_diverse_batch_bad_input_raises(iris_model):
    clf, X, _, _ = iris_model
    with pytest.raises(ValueError, match=r"candidates must be at least 1, got 0"):
        DiverseBatch(candidates=0).query(clf, X)
    with pytest.raises(TypeError, match=r"candidates must be an int, got float"):
        DiverseBatch(candidates=2.5).query(clf, X)
    with pytest.raises(ValueError, match=r"method must be one of \['kcenter'\]"):
        DiverseBatch(method="kmeans").query(clf, X)
    with pytest.raises(ValueError, match=r"n_instances=151 is larger than the pool"):
        DiverseBatch().query(clf, X, 151)
    with pytest.raises(ValueError, match=r"X_pool is empty"):
        DiverseBatch().query(clf, X[:0])


def test_composed_strategies_params_nest():
    strategy = DiverseBatch(DensityWeighted(UncertaintySampling("entropy")))
    params = strategy.get_params()
    assert params["strategy__strategy__method"] == "entropy"
    strategy.set_params(strategy__strategy__method="margin", candidates=3)
    assert strategy.strategy.strategy.method == "margin"
    assert strategy.candidates == 3


# -- peers as oracles ----------------------------------------------------------


def test_uncertainty_sampling_margin_picks_as_modal():
    """Batch size 1: the same row as modAL's margin_sampling, ties aside."""
    uncertainty = pytest.importorskip("modAL.uncertainty")
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    labeled = np.zeros(y.size, dtype=bool)
    labeled[np.r_[np.flatnonzero(y == 0)[:2], np.flatnonzero(y == 1)[:2]]] = True
    strategy = UncertaintySampling("margin")
    n_same = 0
    for _ in range(15):
        pool = np.flatnonzero(~labeled)
        model = LogisticRegression(max_iter=1000).fit(X[labeled], y[labeled])
        ours = strategy.query(model, X[pool], 1)[0]
        theirs = int(uncertainty.margin_sampling(model, X[pool], n_instances=1)[0][0])
        utility = strategy.utility(model, X[pool])
        assert ours == theirs or utility[ours] == pytest.approx(utility[theirs])
        n_same += ours == theirs
        labeled[pool[ours]] = True
    assert n_same >= 13


def test_random_sampling_shrunk_pool_is_shuffled_afresh():
    """An int seed must not pick the same positions of a pool that shrank."""
    strategy = RandomSampling(random_state=0)
    first = strategy.query(None, np.zeros((100, 1)), 10)
    second = strategy.query(None, np.zeros((90, 1)), 10)
    assert np.intersect1d(first, second).size <= 3


def test_query_by_committee_and_density_read_bounded_blocks(iris_model):
    _, X, y, _ = iris_model
    sizes = []

    class Spy(LogisticRegression):
        def predict(self, X):
            sizes.append(len(X))
            return super().predict(X)

        def predict_proba(self, X):
            sizes.append(len(X))
            return super().predict_proba(X)

    members = [Spy(max_iter=1000).fit(X[i::5], y[i::5]) for i in range(3)]
    QueryByCommittee(members, chunk_size=16).query(None, X, 2)
    assert max(sizes) == 16
    sizes.clear()
    pipe = make_pipeline(StandardScaler(), Spy(max_iter=1000)).fit(X[::3], y[::3])
    DensityWeighted(chunk_size=16).query(pipe, X)
    assert max(sizes) == 16
