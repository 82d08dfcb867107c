"""CrowdLab: CROWDLAB as an aggregator."""

import pickle

import numpy as np
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import load_iris, load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, ShuffleSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklabels.aggregation import CrowdLab, MajorityVote
from sklabels.datasets import make_crowd_labels
from sklabels.noise import multiannotator_label_quality

ACCURACY = [0.9, 0.8, 0.6, 0.5, 0.4]


@pytest.fixture(scope="module")
def iris_crowd():
    X, y = load_iris(return_X_y=True)
    L = make_crowd_labels(
        y, n_sources=5, accuracy=ACCURACY, labels_per_item=3, random_state=0
    )
    return X, y, L


def _model():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


def test_crowdlab_pred_probs_gives_the_function_numbers(iris_crowd):
    _X, y, L = iris_crowd
    P = np.random.RandomState(0).dirichlet(np.ones(3), size=len(y))
    model = CrowdLab().fit(L, pred_probs=P)
    items, annotators = multiannotator_label_quality(L, P)
    np.testing.assert_array_equal(model.label_quality_, items)
    np.testing.assert_array_equal(model.annotator_stats_, annotators)
    np.testing.assert_array_equal(
        model.source_quality_, annotators["agreement_with_consensus"]
    )
    assert model.estimator_ is None and model.features_ == "pred_probs"


def test_crowdlab_cross_fit_feeds_the_function(iris_crowd):
    X, y, L = iris_crowd
    model = CrowdLab(_model()).fit(L, X=X)
    assert model.features_ == "X"
    assert model.pred_probs_.shape == (len(y), 3)
    np.testing.assert_allclose(model.pred_probs_.sum(axis=1), 1.0)
    items, _ = multiannotator_label_quality(L, model.pred_probs_)
    np.testing.assert_array_equal(model.label_quality_, items)


def test_crowdlab_beats_majority_vote_and_ranks_sources(iris_crowd):
    for load in (load_iris, load_wine):
        X, y = load(return_X_y=True)
        L = make_crowd_labels(
            y, n_sources=5, accuracy=ACCURACY, labels_per_item=3, random_state=0
        )
        labels = CrowdLab(_model()).fit_predict(L, X=X)
        mv = MajorityVote(tie_break="first").fit(L).predict(L)
        assert (labels == y).mean() > (mv == y).mean() + 0.1
    model = CrowdLab(_model()).fit(L, X=X)
    assert np.all(np.diff(model.source_quality_) < 0)  # sources from best to worst


def test_crowdlab_predict_on_training_pred_probs_equals_fit_predict(iris_crowd):
    _X, y, L = iris_crowd
    P = np.random.RandomState(1).dirichlet(np.ones(3), size=len(y)).round(1)
    P /= P.sum(axis=1, keepdims=True)
    model = CrowdLab()
    labels = model.fit_predict(L, pred_probs=P)
    np.testing.assert_array_equal(model.predict(L, pred_probs=P), labels)


def test_crowdlab_classes_name_the_labels(iris_crowd):
    X, _y, L = iris_crowd
    names = np.array(["setosa", "versicolor", "virginica"])
    model = CrowdLab(_model(), classes=names)
    labels = model.fit_predict(L, X=X)
    codes = CrowdLab(_model()).fit_predict(L, X=X)
    np.testing.assert_array_equal(labels, names[codes])
    np.testing.assert_array_equal(model.classes_, names)
    np.testing.assert_array_equal(
        model.predict(L, X=X), names[model.predict_proba(L, X=X).argmax(1)]
    )


def test_crowdlab_predict_proba_rows_sum_to_one(iris_crowd):
    X, y, L = iris_crowd
    model = CrowdLab(_model()).fit(L, X=X)
    proba = model.predict_proba(L, X=X)
    assert proba.shape == (len(y), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert (proba >= 0).all()


def test_crowdlab_items_without_vote_get_the_model_class(iris_crowd):
    X, _y, L = iris_crowd
    model = CrowdLab(_model()).fit(L, X=X)
    empty = np.full((4, L.shape[1]), -1)
    proba = model.predict_proba(empty, X=X[:4])
    np.testing.assert_allclose(proba, model.estimator_.predict_proba(X[:4]))
    np.testing.assert_array_equal(
        model.predict(empty, X=X[:4]), model.estimator_.predict(X[:4])
    )


def test_crowdlab_items_without_vote_in_fit_get_the_model_class(iris_crowd):
    X, y, L = iris_crowd
    L = L.copy()
    L[::10] = -1  # 15 items nobody labeled
    model = CrowdLab(_model()).fit(L, X=X)
    items = model.label_quality_
    unvoted = items.iloc[::10]
    assert (unvoted["num_annotations"] == 0).all()
    assert unvoted["annotator_agreement"].isna().all()
    oof = model.pred_probs_[::10]
    np.testing.assert_array_equal(unvoted["consensus_label"], oof.argmax(axis=1))
    np.testing.assert_allclose(unvoted["consensus_quality_score"], oof.max(axis=1))
    # the others are CROWDLAB on the labeled items alone
    voted = (L >= 0).any(axis=1)
    expected, _ = multiannotator_label_quality(L[voted], model.pred_probs_[voted])
    np.testing.assert_array_equal(items[voted].to_numpy(), expected.to_numpy())
    assert (items["consensus_label"] == y).mean() > 0.9


def test_crowdlab_votes_alone_without_features(iris_crowd):
    X, y, L = iris_crowd
    model = CrowdLab().fit(L)
    assert model.features_ == "votes"
    labels = model.predict(L)
    assert labels.shape == (len(y),)
    assert (labels == y).mean() > 0.7
    with pytest.raises(ValueError, match="fitted with the votes of L only"):
        model.predict(L, X=X)


def test_crowdlab_sparse_label_matrix_same_as_dense(iris_crowd):
    X, _y, L = iris_crowd
    dense = CrowdLab(_model()).fit(L, X=X)
    sparse_fit = CrowdLab(_model()).fit(sparse.csr_matrix(L + 1), X=X)
    np.testing.assert_array_equal(dense.label_quality_, sparse_fit.label_quality_)
    np.testing.assert_array_equal(
        dense.predict_proba(L, X=X),
        sparse_fit.predict_proba(sparse.csr_matrix(L + 1), X=X),
    )


def test_crowdlab_gold_labels_are_the_model_target(iris_crowd):
    X, y, L = iris_crowd
    gold = np.full(len(y), -1)
    gold[::2] = y[::2]
    with_gold = CrowdLab(_model()).fit(L, gold, X=X)
    without = CrowdLab(_model()).fit(L, X=X)
    assert not np.array_equal(with_gold.pred_probs_, without.pred_probs_)
    acc = (with_gold.label_quality_["consensus_label"] == y).mean()
    assert acc >= (without.label_quality_["consensus_label"] == y).mean()


def test_crowdlab_n_jobs_same_result(iris_crowd):
    X, _y, L = iris_crowd
    one = CrowdLab(_model(), n_jobs=1).fit(L, X=X)
    two = CrowdLab(_model(), n_jobs=2).fit(L, X=X)
    np.testing.assert_array_equal(one.pred_probs_, two.pred_probs_)


def test_crowdlab_random_state_reproducible(iris_crowd):
    X, _y, L = iris_crowd
    a = CrowdLab(_model(), random_state=3).fit(L, X=X).pred_probs_
    b = CrowdLab(_model(), random_state=3).fit(L, X=X).pred_probs_
    c = CrowdLab(_model()).fit(L, X=X).pred_probs_
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_crowdlab_splitter_cv(iris_crowd):
    X, y, L = iris_crowd
    model = CrowdLab(_model(), cv=KFold(3, shuffle=True, random_state=0)).fit(L, X=X)
    assert model.pred_probs_.shape == (len(y), 3)
    with pytest.raises(ValueError, match="exactly one test fold"):
        CrowdLab(_model(), cv=ShuffleSplit(3, random_state=0)).fit(L, X=X)


def test_crowdlab_clone_and_pickle(iris_crowd):
    X, _y, L = iris_crowd
    model = CrowdLab(_model()).fit(L, X=X)
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.predict(L, X=X), model.predict(L, X=X))
    assert clone(model).get_params()["cv"] == 5


def test_crowdlab_does_not_fit_the_given_estimator(iris_crowd):
    X, _y, L = iris_crowd
    inner = LogisticRegression(max_iter=1000)
    CrowdLab(inner).fit(L, X=X)
    assert not hasattr(inner, "coef_")


# -- bad input ---------------------------------------------------------------


def test_crowdlab_predict_needs_the_input_fit_got(iris_crowd):
    X, y, L = iris_crowd
    model = CrowdLab(_model()).fit(L, X=X)
    with pytest.raises(ValueError, match=r"fitted with features X: pass X=\.\.\."):
        model.predict(L)
    with pytest.raises(ValueError, match="X has 10 rows but L has 150 items"):
        model.predict(L, X=X[:10])
    P = np.full((len(y), 3), 1 / 3)
    with pytest.raises(ValueError, match="fitted with X; do not pass pred_probs"):
        model.predict(L, pred_probs=P)
    by_proba = CrowdLab().fit(L, pred_probs=P)
    with pytest.raises(ValueError, match=r"fitted with pred_probs: pass pred_probs"):
        by_proba.predict_proba(L)
    with pytest.raises(ValueError, match=r"pred_probs has 2 columns but the model"):
        by_proba.predict(L, pred_probs=np.full((len(y), 2), 0.5))


def test_crowdlab_fit_bad_input(iris_crowd):
    X, y, L = iris_crowd
    P = np.full((len(y), 3), 1 / 3)
    with pytest.raises(ValueError, match=r"either X .* or pred_probs"):
        CrowdLab().fit(L, X=X, pred_probs=P)
    with pytest.raises(ValueError, match="X has 149 rows but L has 150 items"):
        CrowdLab().fit(L, X=X[1:])
    with pytest.raises(ValueError, match="pred_probs has 149 rows but L has 150"):
        CrowdLab().fit(L, pred_probs=P[1:])
    with pytest.raises(ValueError, match="pred_probs rows must sum to 1"):
        CrowdLab().fit(L, pred_probs=P * 2)
    with pytest.raises(ValueError, match=r"1 feature\(s\) \(a single source\)"):
        CrowdLab().fit(L[:, :1])
    with pytest.raises(ValueError, match=r"L holds no label at all"):
        CrowdLab().fit(np.full((10, 3), -1))
    with pytest.raises(ValueError, match=r"annotator\(s\) \(columns\) without any"):
        CrowdLab().fit(np.hstack([L, np.full((len(y), 1), -1)]))
    with pytest.raises(ValueError, match=r"classes gives 2, pred_probs gives 3"):
        CrowdLab(classes=["a", "b"]).fit(np.where(L > 1, 1, L), pred_probs=P)
    with pytest.raises(ValueError, match=r"class code 2 in row .* n_classes=2"):
        CrowdLab(classes=["a", "b"]).fit(L, X=X)
    with pytest.raises(ValueError, match=r"L has 3 sample\(s\) .* cv=5"):
        CrowdLab().fit(L[:3])
    with pytest.raises(ValueError, match="y has 3 entries but L has 150"):
        CrowdLab().fit(L, [0, 1, 2], X=X)
