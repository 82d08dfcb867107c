import warnings

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from scipy import sparse
from sklearn.datasets import make_multilabel_classification
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    StratifiedKFold,
    cross_val_score,
)
from sklearn.tree import DecisionTreeClassifier

from sklabels.multilabel import BinaryRelevance, MultilabelStratifiedKFold


def _reference_folds(Y, k):
    """Algorithm 1 of Sechidis et al. (2011), transcribed loop by loop.

    Deterministic variant: rows in index order, ties to the lowest fold.
    """
    n, n_labels = Y.shape
    c = [n / k] * k
    c_label = [[Y[:, i].sum() / k for i in range(n_labels)] for _ in range(k)]
    fold = [-1] * n
    left = set(range(n))
    while any(Y[i].any() for i in left):
        counts = [sum(Y[i, lab] for i in left) for lab in range(n_labels)]
        label = min(
            (lab for lab in range(n_labels) if counts[lab] > 0),
            key=lambda lab: (counts[lab], lab),
        )
        for i in sorted(i for i in left if Y[i, label]):
            best = max(c_label[j][label] for j in range(k))
            cands = [j for j in range(k) if c_label[j][label] == best]
            best = max(c[j] for j in cands)
            m = next(j for j in cands if c[j] == best)
            fold[i] = m
            left.discard(i)
            for lab in np.flatnonzero(Y[i]):
                c_label[m][lab] -= 1
            c[m] -= 1
    for i in sorted(left):
        best = max(c)
        m = c.index(best)
        fold[i] = m
        c[m] -= 1
    return np.array(fold)


def _folds(cv, Y):
    folds = np.full(Y.shape[0], -1)
    for f, (_, test) in enumerate(cv.split(np.zeros(Y.shape[0]), Y)):
        folds[test] = f
    return folds


def _label_deviation(Y, folds, k):
    """Mean |fold proportion - overall proportion| of each label's positives."""
    share = np.array([Y[folds == f].sum(axis=0) for f in range(k)]) / Y.sum(axis=0)
    return np.abs(share - 1 / k).mean()


def _empty_pairs(Y, folds, k):
    """(fold, label) pairs with no positive row in the test fold."""
    return int(sum((Y[folds == f].sum(axis=0) == 0).sum() for f in range(k)))


@pytest.fixture(scope="module")
def Y():
    rng = np.random.RandomState(0)
    # 300 rows, 12 labels of very different frequencies, some rare
    return (rng.rand(300, 12) < np.geomspace(0.01, 0.5, 12)).astype(int)


@pytest.mark.parametrize("seed", range(4))
def test_multilabel_stratified_kfold_matches_reference_algorithm(seed):
    rng = np.random.RandomState(seed)
    Y = (rng.rand(80, 6) < rng.uniform(0.05, 0.4, 6)).astype(int)
    assert_array_equal(_folds(MultilabelStratifiedKFold(4), Y), _reference_folds(Y, 4))


def test_multilabel_stratified_kfold_is_a_partition(Y):
    cv = MultilabelStratifiedKFold(n_splits=5)
    assert cv.get_n_splits() == 5
    tests = []
    for train, test in cv.split(np.zeros(len(Y)), Y):
        assert np.intersect1d(train, test).size == 0
        assert train.size + test.size == len(Y)
        tests.append(test)
    assert_array_equal(np.sort(np.concatenate(tests)), np.arange(len(Y)))
    sizes = [t.size for t in tests]
    assert max(sizes) - min(sizes) <= 2


def test_multilabel_stratified_kfold_beats_kfold_and_stratified_kfold(Y):
    k = 5
    ours = _folds(MultilabelStratifiedKFold(k), Y)
    kfold = [_folds(KFold(k, shuffle=True, random_state=s), Y) for s in range(10)]
    # StratifiedKFold on the first label only, and on the label sets
    first = StratifiedKFold(k, shuffle=True, random_state=0)
    first_folds = np.full(len(Y), -1)
    for f, (_, test) in enumerate(first.split(Y, Y[:, -1])):
        first_folds[test] = f
    sets = np.unique(Y, axis=0, return_inverse=True)[1].ravel()
    powerset_folds = np.full(len(Y), -1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # label sets seen once
        for f, (_, test) in enumerate(first.split(Y, sets)):
            powerset_folds[test] = f

    ours_dev = _label_deviation(Y, ours, k)
    assert ours_dev < 0.5 * np.mean([_label_deviation(Y, f, k) for f in kfold])
    assert ours_dev < _label_deviation(Y, first_folds, k)
    assert ours_dev < _label_deviation(Y, powerset_folds, k)
    ours_empty = _empty_pairs(Y, ours, k)
    assert ours_empty <= min(_empty_pairs(Y, f, k) for f in kfold)
    assert ours_empty <= _empty_pairs(Y, powerset_folds, k)
    # each label: positives per fold differ by at most one
    counts = np.array([Y[ours == f].sum(axis=0) for f in range(k)])
    assert (counts.max(axis=0) - counts.min(axis=0) <= 1).all()


def test_multilabel_stratified_kfold_rare_label_spread():
    Y = np.zeros((50, 2), dtype=int)
    Y[:5, 0] = 1  # exactly n_splits positives: one per fold
    Y[::2, 1] = 1
    folds = _folds(MultilabelStratifiedKFold(5), Y)
    assert sorted(folds[:5]) == list(range(5))


def test_multilabel_stratified_kfold_shuffle_and_random_state(Y):
    plain = _folds(MultilabelStratifiedKFold(5), Y)
    assert_array_equal(plain, _folds(MultilabelStratifiedKFold(5), Y))
    seeded = _folds(MultilabelStratifiedKFold(5, shuffle=True, random_state=0), Y)
    again = _folds(MultilabelStratifiedKFold(5, shuffle=True, random_state=0), Y)
    other = _folds(MultilabelStratifiedKFold(5, shuffle=True, random_state=1), Y)
    assert_array_equal(seeded, again)
    assert (seeded != other).any()
    assert (seeded != plain).any()
    rng = np.random.RandomState(0)
    cv = MultilabelStratifiedKFold(5, shuffle=True, random_state=rng)
    assert (_folds(cv, Y) != _folds(cv, Y)).any()  # a RandomState moves on
    # shuffled folds are stratified too
    counts = np.array([Y[seeded == f].sum(axis=0) for f in range(5)])
    assert (counts.max(axis=0) - counts.min(axis=0) <= 1).all()


def test_multilabel_stratified_kfold_sparse_and_bool(Y):
    expected = _folds(MultilabelStratifiedKFold(3), Y)
    for container in (sparse.csr_matrix, sparse.csc_array, lambda a: a.astype(bool)):
        assert_array_equal(_folds(MultilabelStratifiedKFold(3), container(Y)), expected)


def test_multilabel_stratified_kfold_rows_without_labels():
    Y = np.zeros((10, 3), dtype=int)
    folds = _folds(MultilabelStratifiedKFold(5), Y)
    assert_array_equal(np.bincount(folds), [2] * 5)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"n_splits": 1}, "n_splits=2 or more"),
        ({"random_state": 0}, "shuffle is False"),
        ({"shuffle": "yes"}, "shuffle must be True or False"),
    ],
)
def test_multilabel_stratified_kfold_bad_params(params, match):
    with pytest.raises((ValueError, TypeError), match=match):
        MultilabelStratifiedKFold(**params)


@pytest.mark.parametrize(
    "y, match",
    [
        (np.array([0, 1] * 5), r"reshape\(-1, 1\)"),
        (np.array([[0, 2], [1, 0]] * 5), "Only binary"),
        (None, "requires y to be passed"),
        (np.zeros((9, 2)), "inconsistent numbers of samples"),
    ],
)
def test_multilabel_stratified_kfold_bad_y(y, match):
    with pytest.raises(ValueError, match=match):
        next(MultilabelStratifiedKFold(2).split(np.zeros((10, 1)), y))


def test_multilabel_stratified_kfold_more_splits_than_rows():
    with pytest.raises(ValueError, match="n_splits=5 greater"):
        next(MultilabelStratifiedKFold(5).split(np.zeros(3), np.eye(3)))


def test_multilabel_stratified_kfold_groups_ignored(Y):
    with pytest.warns(UserWarning, match="groups parameter is ignored"):
        list(MultilabelStratifiedKFold(3).split(Y, Y, groups=np.arange(len(Y))))


def test_multilabel_stratified_kfold_as_cv():
    X, Y = make_multilabel_classification(
        n_samples=120, n_features=5, n_classes=4, random_state=0
    )
    cv = MultilabelStratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    clf = BinaryRelevance(DecisionTreeClassifier(max_depth=3, random_state=0))
    scores = cross_val_score(clf, X, Y, cv=cv, scoring="f1_micro")
    assert scores.shape == (3,)
    search = GridSearchCV(clf, {"estimator__max_depth": [2, 3]}, cv=cv).fit(X, Y)
    assert search.n_splits_ == 3


def test_multilabel_stratified_kfold_repr():
    assert repr(MultilabelStratifiedKFold(3)) == (
        "MultilabelStratifiedKFold(n_splits=3, random_state=None, shuffle=False)"
    )


@pytest.mark.parametrize("n_rows", [3, 5])
@pytest.mark.parametrize("y, shown", [("abc", r"the str 'abc'"), (5, r"the int 5")])
def test_multilabel_stratified_kfold_checks_y_type_before_length(n_rows, y, shown):
    cv = MultilabelStratifiedKFold(n_splits=2)
    with pytest.raises(
        TypeError, match=r"y must be a binary indicator matrix .*" + shown
    ):
        list(cv.split(np.zeros((n_rows, 1)), y))


def test_binary_relevance_string_y_raises_type_error():
    with pytest.raises(TypeError, match=r"binary indicator matrix .*the str 'abc'"):
        BinaryRelevance(DecisionTreeClassifier()).fit(np.zeros((3, 1)), "abc")
