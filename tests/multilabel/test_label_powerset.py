import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import make_multilabel_classification
from sklearn.dummy import DummyClassifier
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import get_scorer
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

from sklabels.encoding import MultiLabelEncoder, TransformedTargetClassifier
from sklabels.multilabel import LabelPowerset, MultilabelStratifiedKFold
from sklabels.multilabel._label_powerset import _label_sets

LR = LogisticRegression(max_iter=1000)


@pytest.fixture(scope="module")
def data():
    X, Y = make_multilabel_classification(
        n_samples=150, n_features=6, n_classes=4, random_state=1
    )
    return StandardScaler().fit_transform(X), Y


def _reference_codes(Y):
    sets, codes = np.unique(Y.astype(bool), axis=0, return_inverse=True)
    return sets, codes.ravel()


@pytest.mark.parametrize("n_labels", [1, 7, 8, 9, 70])
def test_label_sets_match_unique_rows(n_labels):
    rng = np.random.RandomState(n_labels)
    Y = (rng.rand(300, n_labels) < 0.1).astype(int)
    sets, codes = _label_sets(sparse.csr_matrix(Y.astype(bool)))
    assert_array_equal(sets[codes], Y.astype(bool))  # each row's own set
    assert len(np.unique(sets, axis=0)) == len(sets)  # distinct
    assert len(sets) == len(np.unique(Y, axis=0))


def test_label_powerset_is_the_base_on_label_set_codes(data):
    X, Y = data
    clf = LabelPowerset(LR).fit(X, Y)
    sets, codes = _label_sets(sparse.csr_matrix(Y.astype(bool)))
    assert_array_equal(clf.label_sets_, sets)
    base = clone(LR).fit(X, codes)
    assert_array_equal(clf.predict(X), sets[base.predict(X)].astype(int))
    assert_allclose(clf.predict_proba(X), base.predict_proba(X) @ sets)
    assert len(clf.classes_) == Y.shape[1]
    assert clf.n_labels_ == Y.shape[1]


def test_label_powerset_predicts_training_sets_only(data):
    X, Y = data
    clf = LabelPowerset(DecisionTreeClassifier(random_state=0)).fit(X, Y)
    assert_array_equal(clf.predict(X), Y)  # a full tree memorises the sets
    rng = np.random.RandomState(0)
    pred = clf.predict(rng.normal(size=(50, X.shape[1])))
    seen = {tuple(row) for row in Y}
    assert all(tuple(row) in seen for row in pred)


def test_label_powerset_marginals(data):
    X, Y = data
    clf = LabelPowerset(LR).fit(X, Y)
    proba = clf.predict_proba(X)
    assert proba.shape == Y.shape
    assert ((proba >= 0) & (proba <= 1 + 1e-12)).all()
    joint = clf.estimator_.predict_proba(X)
    for j in range(Y.shape[1]):
        containing = clf.label_sets_[:, j]
        assert_allclose(proba[:, j], joint[:, containing].sum(axis=1))


def test_label_powerset_single_label_set(data):
    X, _ = data
    Y = np.tile([1, 0, 1], (X.shape[0], 1))
    clf = LabelPowerset(LR).fit(X, Y)
    assert isinstance(clf.estimator_, DummyClassifier)
    assert_array_equal(clf.predict(X[:3]), np.tile([1, 0, 1], (3, 1)))
    assert_array_equal(clf.predict_proba(X[:2]), [[1.0, 0.0, 1.0]] * 2)


@pytest.mark.parametrize(
    "container", [sparse.csr_matrix, sparse.csc_matrix, sparse.coo_array]
)
def test_label_powerset_sparse_y(data, container):
    X, Y = data
    dense = LabelPowerset(LR).fit(X, Y)
    clf = LabelPowerset(LR).fit(X, container(Y))
    assert_array_equal(clf.label_sets_, dense.label_sets_)
    assert_array_equal(clf.predict(X), dense.predict(X))


def test_label_powerset_bool_and_two_values(data):
    X, Y = data
    clf = LabelPowerset(LR).fit(X, Y.astype(bool))
    assert clf.predict(X).dtype == bool
    signs = np.where(Y == 1, 1, -1)
    pred = LabelPowerset(LR).fit(X, signs).predict(X)
    assert_array_equal(pred, np.where(LabelPowerset(LR).fit(X, Y).predict(X), 1, -1))


@pytest.mark.parametrize(
    "Y, error, match",
    [
        (np.array([[0, 1], [2, 0]] * 5), ValueError, "Only binary classification"),
        (np.array([0, 1] * 5), ValueError, r"reshape\(-1, 1\)"),
        (np.array([[0, 1]] * 9), ValueError, "X has 10 rows but y has 9"),
        (sparse.lil_matrix(np.eye(10, 2)), TypeError, "LIL format"),
        (None, ValueError, "requires y to be passed"),
    ],
)
def test_label_powerset_bad_y(Y, error, match):
    X = np.random.RandomState(0).normal(size=(10, 2))
    with pytest.raises(error, match=match):
        LabelPowerset(LR).fit(X, Y)


def test_label_powerset_sample_weight(data):
    X, Y = data
    weights = np.random.RandomState(0).randint(0, 3, size=X.shape[0])
    tight = LogisticRegression(tol=1e-10, max_iter=5000)
    weighted = LabelPowerset(tight).fit(X, Y, sample_weight=weights)
    kept = weights > 0
    repeated = LabelPowerset(tight).fit(
        np.repeat(X, weights, axis=0), np.repeat(Y, weights, axis=0)
    )
    # rows of weight 0 may add label sets; compare on the sets both know
    assert_array_equal(weighted.predict(X[kept]), repeated.predict(X[kept]))
    with pytest.raises(TypeError, match="does not accept sample_weight"):
        LabelPowerset(KNeighborsClassifier()).fit(X, Y, sample_weight=weights)


def test_label_powerset_without_predict_proba(data):
    X, Y = data
    clf = LabelPowerset(LinearSVC()).fit(X, Y)
    assert not hasattr(clf, "predict_proba")
    assert clf.predict(X).shape == Y.shape


def test_label_powerset_pipeline_grid_search_and_scorers(data):
    X, Y = data
    search = GridSearchCV(
        make_pipeline(StandardScaler(), LabelPowerset(LR)),
        {"labelpowerset__estimator__C": [0.1, 1.0]},
        scoring="f1_micro",
        cv=MultilabelStratifiedKFold(n_splits=3),
    ).fit(X, Y)
    assert search.predict(X).shape == Y.shape
    for scoring in ("roc_auc", "average_precision"):
        assert 0 <= get_scorer(scoring)(search.best_estimator_, X, Y) <= 1


def test_label_powerset_text_tags(data):
    X, Y = data
    names = np.array(["a", "b", "c", "d"])
    tags = [tuple(names[row.astype(bool)]) for row in Y]
    clf = TransformedTargetClassifier(
        LabelPowerset(LR), transformer=MultiLabelEncoder()
    ).fit(X, tags)
    pred = clf.predict(X[:10])
    codes = LabelPowerset(LR).fit(X, Y).predict(X[:10])
    assert isinstance(pred, np.ndarray) and pred.shape == (10,)
    assert pred.tolist() == [tuple(names[row.astype(bool)]) for row in codes]
    assert clf.predict_proba(X[:10]).shape == (10, 4)


def test_label_powerset_unfitted_and_pickle(data):
    X, Y = data
    with pytest.raises(NotFittedError):
        LabelPowerset(LR).predict(X)
    clf = LabelPowerset(LR).fit(X, Y)
    assert_array_equal(pickle.loads(pickle.dumps(clf)).predict(X), clf.predict(X))


def _search(loss):
    """A model that has predict_proba only once fitted, depending on its loss."""
    return GridSearchCV(SGDClassifier(random_state=0), {"loss": [loss]}, cv=2)


def test_label_powerset_predict_proba_of_models_that_gain_it_when_fitted(data):
    X, Y = data
    clf = LabelPowerset(_search("log_loss"))
    assert not hasattr(clf, "predict_proba")
    clf.fit(X, Y)
    proba = clf.estimator_.predict_proba(X)
    sets = clf.label_sets_[clf.estimator_.classes_].astype(float)
    assert_allclose(clf.predict_proba(X), proba @ sets)
    unfit = LabelPowerset(_search("hinge")).fit(X, Y)
    with pytest.raises(AttributeError) as info:
        unfit.predict_proba(X)
    assert "fitted model(s) estimator_ (GridSearchCV)" in str(info.value.__cause__)
