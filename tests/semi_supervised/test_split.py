import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    cross_val_score,
    cross_validate,
)

from sklabels.semi_supervised import (
    LabeledKFold,
    PseudoLabelClassifier,
    make_labeled_scorer,
)


def _clf():
    return PseudoLabelClassifier(LogisticRegression(max_iter=1000), max_iter=3)


def _check_folds(cv, X, y, labeled):
    """The splitter's contract, on one input."""
    n = len(y)
    folds = list(cv.split(X, y))
    assert len(folds) == cv.get_n_splits(X, y) == cv.n_splits
    tests = np.concatenate([test for _, test in folds])
    # the test folds partition the labeled rows
    assert_array_equal(np.sort(tests), np.flatnonzero(labeled))
    for train, test in folds:
        assert labeled[test].all()  # never an unlabeled row in a test fold
        assert np.isin(np.flatnonzero(~labeled), train).all()  # always in training
        assert np.intersect1d(train, test).size == 0
        assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(n))
        assert_array_equal(test, np.sort(test))
    return folds


# -- the contract ----------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:The least populated class:UserWarning")
@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    codes=st.lists(st.integers(-1, 2), min_size=1, max_size=40),
    n_splits=st.integers(2, 5),
    stratify=st.booleans(),
    shuffle=st.booleans(),
    kind=st.sampled_from(["int", "str_none", "str_nan", "object_marker"]),
)
def test_labeled_kfold_folds_partition_labeled_rows(
    codes, n_splits, stratify, shuffle, kind
):
    codes = np.array(codes)
    labeled = codes >= 0
    names = np.array(["a", "b", "c"], dtype=object)
    if kind == "int":
        y, unlabeled = codes, -1
    elif kind == "str_none":
        y, unlabeled = np.where(labeled, names[codes], None), -1
    elif kind == "str_nan":
        y, unlabeled = pd.Series(np.where(labeled, names[codes], np.nan)), None
    else:
        y, unlabeled = list(np.where(labeled, names[codes], "?")), "?"
    cv = LabeledKFold(
        n_splits,
        stratify=stratify,
        unlabeled=unlabeled,
        shuffle=shuffle,
        random_state=0 if shuffle else None,
    )
    X = np.zeros((codes.size, 2))
    counts = np.bincount(codes[labeled], minlength=3)
    if labeled.sum() < n_splits or (stratify and counts.max() < n_splits):
        with pytest.raises(ValueError, match="n_splits"):
            list(cv.split(X, y))
        return
    folds = _check_folds(cv, X, y, labeled)
    # the same folds on every call
    for (train, test), (train2, test2) in zip(folds, cv.split(X, y), strict=True):
        assert_array_equal(train, train2)
        assert_array_equal(test, test2)


def test_labeled_kfold_stratifies_the_labeled_rows(iris_partial):
    X, _, y_partial = iris_partial
    for _, test in LabeledKFold(4).split(X, y_partial):
        assert_array_equal(np.bincount(y_partial[test]), [2, 2, 2])
    folds = list(LabeledKFold(4, stratify=False).split(X, y_partial))
    labeled = np.flatnonzero(y_partial != -1)
    assert_array_equal(folds[0][1], labeled[:6])  # unshuffled KFold on labeled rows


def test_labeled_kfold_shuffle_with_random_state(iris_partial):
    X, _, y_partial = iris_partial
    a = [
        test
        for _, test in LabeledKFold(3, shuffle=True, random_state=1).split(X, y_partial)
    ]
    b = [
        test
        for _, test in LabeledKFold(3, shuffle=True, random_state=1).split(X, y_partial)
    ]
    plain = [test for _, test in LabeledKFold(3).split(X, y_partial)]
    for x, y in zip(a, b, strict=True):
        assert_array_equal(x, y)
    assert any(not np.array_equal(x, y) for x, y in zip(a, plain, strict=True))


def test_labeled_kfold_containers(iris_partial):
    X, _, y_partial = iris_partial
    reference = list(LabeledKFold(3).split(X, y_partial))
    for X_in, y_in in [
        (pd.DataFrame(X), pd.Series(y_partial, index=np.arange(150) + 1000)),
        (X.tolist(), y_partial.tolist()),
    ]:
        for (train, test), (train2, test2) in zip(
            reference, LabeledKFold(3).split(X_in, y_in), strict=True
        ):
            assert_array_equal(train, train2)
            assert_array_equal(test, test2)


# -- with scikit-learn's model selection -----------------------------------------


def test_labeled_kfold_cross_val_score_with_scoring_string(iris_partial):
    X, _, y_partial = iris_partial
    cv = LabeledKFold(3)
    plain = cross_val_score(_clf(), X, y_partial, cv=cv, scoring="f1_macro")
    labeled_scorer = cross_val_score(
        _clf(), X, y_partial, cv=cv, scoring=make_labeled_scorer("f1_macro")
    )
    assert_allclose(plain, labeled_scorer)
    # and both are the F1 of each fold's model on its labeled test rows
    expected = []
    for train, test in cv.split(X, y_partial):
        model = clone(_clf()).fit(X[train], y_partial[train])
        expected.append(
            f1_score(y_partial[test], model.predict(X[test]), average="macro")
        )
    assert_allclose(plain, expected)
    assert (plain > 0.7).all()
    # the idiom the splitter replaces: a plain KFold scores the -1 markers
    wrong = cross_val_score(_clf(), X, y_partial, cv=KFold(3), scoring="f1_macro")
    assert (wrong < 0.5).all()


def test_labeled_kfold_grid_search_with_scoring_string(iris_partial):
    X, _, y_partial = iris_partial
    search = GridSearchCV(
        _clf(),
        {"threshold": [0.8, 0.95]},
        scoring="accuracy",
        cv=LabeledKFold(3),
    ).fit(X, y_partial)
    by_labeled_scorer = GridSearchCV(
        _clf(),
        {"threshold": [0.8, 0.95]},
        scoring=make_labeled_scorer("accuracy"),
        cv=LabeledKFold(3),
    ).fit(X, y_partial)
    assert_allclose(
        search.cv_results_["mean_test_score"],
        by_labeled_scorer.cv_results_["mean_test_score"],
    )
    assert search.best_score_ > 0.8
    # the refit model sees every row, labeled or not
    assert search.best_estimator_.transduction_.shape == (150,)


def test_labeled_kfold_cross_validate_string_labels_with_none(iris_partial):
    X, y, y_partial = iris_partial
    names = np.array(["setosa", "versicolor", "virginica"], dtype=object)[y]
    names[y_partial == -1] = None
    scoring = ["accuracy", "f1_macro"]
    by_name = cross_validate(
        _clf(), X, names, cv=LabeledKFold(3, unlabeled=None), scoring=scoring
    )
    by_code = cross_validate(_clf(), X, y_partial, cv=LabeledKFold(3), scoring=scoring)
    for key in ("test_accuracy", "test_f1_macro"):
        assert_allclose(by_name[key], by_code[key])
        assert (by_name[key] > 0.7).all()


# -- errors ----------------------------------------------------------------------


def test_labeled_kfold_split_without_y_raises():
    with pytest.raises(ValueError, match=r"needs y .* got y=None"):
        list(LabeledKFold(2).split(np.zeros((4, 1))))


def test_labeled_kfold_too_few_labeled_rows_raises():
    with pytest.raises(ValueError, match=r"Cannot split 2 labeled row\(s\) into"):
        list(LabeledKFold(3).split(np.zeros((5, 1)), [0, 1, -1, -1, -1]))


def test_labeled_kfold_x_type_and_length_checked():
    with pytest.raises(TypeError, match=r"X must be an array-like .* got str 'abc'"):
        list(LabeledKFold(2).split("abc", [0, 1, 0]))
    with pytest.raises(ValueError, match="X has 5 rows but y has 4 labels"):
        list(LabeledKFold(2).split(np.zeros((5, 1)), [0, 1, 0, 1]))


@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"n_splits": 1}, ValueError, "n_splits must be at least 2.*n_splits=1"),
        ({"n_splits": 2.0}, TypeError, "n_splits must be an integer.*2.0"),
        ({"n_splits": True}, TypeError, "n_splits must be an integer.*True"),
        ({"stratify": "yes"}, TypeError, "stratify must be True or False.*'yes'"),
        ({"shuffle": 1}, TypeError, "shuffle must be True or False.*1"),
        ({"unlabeled": [-1]}, TypeError, r"unlabeled must be .* got list \[-1\]"),
        ({"random_state": 0}, ValueError, "random_state=0 has no effect"),
        ({"shuffle": True, "random_state": "x"}, ValueError, "'x' cannot be used"),
    ],
)
def test_labeled_kfold_bad_parameters_raise(params, error, match):
    with pytest.raises(error, match=match):
        LabeledKFold(**params)


def test_labeled_kfold_repr_and_n_splits():
    cv = LabeledKFold(4, unlabeled="?", shuffle=True, random_state=2)
    assert cv.get_n_splits() == 4
    assert " ".join(repr(cv).split()) == (
        "LabeledKFold(n_splits=4, random_state=2, shuffle=True, stratify=True, "
        "unlabeled='?')"
    )
