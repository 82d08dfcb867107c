import pickle
import re
from functools import partial

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from scipy.stats import rankdata
from sklearn import config_context
from sklearn.base import clone
from sklearn.datasets import make_multilabel_classification
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import f1_score, fbeta_score, get_scorer
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.multioutput import MultiOutputClassifier
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

from sklabels.encoding import MultiLabelEncoder, TransformedTargetClassifier
from sklabels.multilabel import BinaryRelevance, MultilabelStratifiedKFold

LR = LogisticRegression(max_iter=1000)


@pytest.fixture(scope="module")
def data():
    X, Y = make_multilabel_classification(
        n_samples=200, n_features=8, n_classes=5, random_state=0
    )
    return StandardScaler().fit_transform(X), Y


def _moc_positive_proba(moc, X):
    return np.column_stack([p[:, 1] for p in moc.predict_proba(X)])


@pytest.mark.parametrize(
    "base",
    [
        LR,
        DecisionTreeClassifier(random_state=0),
        RandomForestClassifier(n_estimators=10, random_state=0),
        KNeighborsClassifier(n_neighbors=4),  # even k: probabilities of 0.5
        GaussianNB(),
        LinearSVC(),  # no predict_proba
    ],
    ids=lambda est: type(est).__name__,
)
def test_binary_relevance_matches_multioutput_classifier(data, base):
    X, Y = data
    ours = BinaryRelevance(base).fit(X, Y)
    theirs = MultiOutputClassifier(base).fit(X, Y)
    pred = ours.predict(X)
    assert_array_equal(pred, theirs.predict(X))
    assert pred.dtype == theirs.predict(X).dtype
    assert len(ours.classes_) == Y.shape[1]
    for ours_classes, their_classes in zip(ours.classes_, theirs.classes_, strict=True):
        assert_array_equal(ours_classes, their_classes)
    if hasattr(base, "predict_proba"):
        assert_allclose(ours.predict_proba(X), _moc_positive_proba(theirs, X))
    else:
        assert not hasattr(ours, "predict_proba")
    if hasattr(base, "decision_function"):
        expected = np.column_stack([e.decision_function(X) for e in theirs.estimators_])
        assert_allclose(ours.decision_function(X), expected)
    else:
        assert not hasattr(ours, "decision_function")


@pytest.mark.parametrize("scoring", ["roc_auc", "average_precision", "f1_micro"])
def test_binary_relevance_scorers_agree_with_multioutput(data, scoring):
    X, Y = data
    scorer = get_scorer(scoring)
    ours = BinaryRelevance(LR).fit(X, Y)
    theirs = MultiOutputClassifier(LR).fit(X, Y)
    assert scorer(ours, X, Y) == pytest.approx(scorer(theirs, X, Y))


def test_binary_relevance_multioutput_consistency(data):
    """The parts of check_classifier_multioutput that do not index classes_."""
    X, Y = data
    clf = BinaryRelevance(LR).fit(X, Y)
    pred, proba, decision = (
        clf.predict(X),
        clf.predict_proba(X),
        clf.decision_function(X),
    )
    assert pred.shape == proba.shape == decision.shape == Y.shape
    assert pred.dtype.kind == "i" and proba.dtype.kind == decision.dtype.kind == "f"
    assert_array_equal((decision > 0).astype(int), pred)
    assert_array_equal(proba.round().astype(int), pred)
    for j in range(Y.shape[1]):
        assert_array_equal(rankdata(proba[:, j]), rankdata(decision[:, j]))


def test_binary_relevance_constant_label_learned_as_constant(data):
    X, Y = data
    Y = Y.copy()
    Y[:, 0], Y[:, 3] = 0, 1
    with pytest.raises(ValueError, match="class"):
        MultiOutputClassifier(LR).fit(X, Y)  # what this estimator fixes
    clf = BinaryRelevance(LR).fit(X, Y)
    pred, proba = clf.predict(X), clf.predict_proba(X)
    assert_array_equal(pred[:, 0], 0)
    assert_array_equal(pred[:, 3], 1)
    assert_array_equal(proba[:, 0], 0.0)
    assert_array_equal(proba[:, 3], 1.0)
    decision = clf.decision_function(X)
    assert np.isfinite(decision).all()
    assert (decision[:, 0] < -30).all() and (decision[:, 3] > 30).all()
    assert isinstance(clf.estimators_[0], DummyClassifier)
    assert isinstance(clf.estimators_[1], LogisticRegression)
    assert_array_equal(clf.classes_[0], [0, 1])
    # the other labels are fitted as usual
    moc = MultiOutputClassifier(LR).fit(X, Y[:, [1, 2, 4]])
    assert_array_equal(pred[:, [1, 2, 4]], moc.predict(X))


def test_binary_relevance_all_labels_constant(data):
    X, _ = data
    Y = np.zeros((X.shape[0], 3), dtype=int)
    Y[:, 1] = 1
    clf = BinaryRelevance(LR, threshold="cv").fit(X, Y)
    assert_array_equal(clf.predict(X[:4]), np.tile([0, 1, 0], (4, 1)))
    assert_array_equal(clf.predict_proba(X[:2]), [[0.0, 1.0, 0.0]] * 2)
    assert clf.n_features_in_ == X.shape[1]
    assert np.isnan(clf.threshold_scores_).all()


def test_binary_relevance_rare_label_in_cross_validation(data):
    """A label with two positive rows is constant in some training folds."""
    X, Y = data
    Y = Y.copy()
    Y[:, 0] = 0
    Y[[3, 10], 0] = 1  # both in the first test fold
    scores = cross_val_score(BinaryRelevance(LR), X, Y, cv=KFold(5), scoring="f1_micro")
    assert np.isfinite(scores).all()
    with pytest.raises(ValueError):
        cross_val_score(
            MultiOutputClassifier(LR), X, Y, cv=KFold(5), error_score="raise"
        )


@pytest.mark.parametrize(
    "container",
    [sparse.csr_matrix, sparse.csc_matrix, sparse.coo_matrix, sparse.csr_array],
    ids=lambda c: c.__name__,
)
def test_binary_relevance_sparse_y(data, container):
    X, Y = data
    dense = BinaryRelevance(LR).fit(X, Y)
    clf = BinaryRelevance(LR).fit(X, container(Y))
    assert_array_equal(clf.predict(X), dense.predict(X))
    assert_allclose(clf.predict_proba(X), dense.predict_proba(X))
    assert isinstance(clf.predict(X), np.ndarray)


def test_binary_relevance_sparse_y_with_constant_and_cv(data):
    X, Y = data
    Y = Y.copy()
    Y[:, 2] = 0
    dense = BinaryRelevance(LR, threshold="cv", threshold_cv=3).fit(X, Y)
    clf = BinaryRelevance(LR, threshold="cv", threshold_cv=3).fit(
        X, sparse.csr_matrix(Y)
    )
    assert_allclose(clf.thresholds_, dense.thresholds_)
    assert_array_equal(clf.predict(X), dense.predict(X))


@pytest.mark.parametrize(
    "Y, error, match",
    [
        (np.array([[0, 1], [2, 0]] * 5), ValueError, "Only binary classification"),
        (np.array([[0.2, 1.0]] * 10), ValueError, "continuous"),
        (np.array([[np.nan, 1.0]] * 10), ValueError, "NaN"),
        (np.array([0, 1] * 5), ValueError, r"reshape\(-1, 1\)"),
        (np.array([[0, 1]] * 9), ValueError, "X has 10 rows but y has 9"),
        (np.zeros((10, 0)), ValueError, "0 columns"),
        (np.full((10, 2), 2), ValueError, "single value 2"),
        (sparse.lil_matrix(np.eye(10, 2)), TypeError, "LIL format"),
        (sparse.dok_matrix(np.eye(10, 2)), TypeError, "DOK format"),
        (sparse.csr_matrix(2 * np.eye(10, 2)), ValueError, "sparse y must hold 0"),
        (None, ValueError, "requires y to be passed"),
        ([["a", "b"], ["c"]] * 5, ValueError, "MultiLabelEncoder"),
        (np.array([["a", "b"], ["c", "a"]] * 5), ValueError, "MultiLabelEncoder"),
        (["news|sports", "news"] * 5, ValueError, "MultiLabelEncoder"),
        (np.array([[0, 1j]] * 10), ValueError, "Complex"),
    ],
    ids=[
        "multiclass",
        "continuous",
        "nan",
        "1-D",
        "rows",
        "no-label",
        "single-value",
        "lil",
        "dok",
        "sparse-values",
        "none",
        "ragged-sets",
        "tag-matrix",
        "tag-strings",
        "complex",
    ],
)
@pytest.mark.parametrize("cls", [BinaryRelevance], ids=["BinaryRelevance"])
def test_binary_relevance_bad_y(cls, Y, error, match):
    X = np.random.RandomState(0).normal(size=(10, 2))
    with pytest.raises(error, match=match):
        cls(LR).fit(X, Y)


def test_binary_relevance_error_messages_name_argument_and_value():
    X = np.zeros((6, 1))
    with pytest.raises(ValueError, match=r"y must be a binary .* \[0, 1, 2\]"):
        BinaryRelevance(LR).fit(X, [[0], [1], [2], [0], [1], [2]])
    with pytest.raises(ValueError, match=r"shape \(6,\)"):
        BinaryRelevance(LR).fit(X, [0, 1, 0, 1, 0, 1])


@pytest.mark.parametrize(
    "Y_values, expected",
    [((False, True), np.bool_), ((-1, 1), np.int64), (("no", "yes"), object)],
)
def test_binary_relevance_any_two_values(data, Y_values, expected):
    """Booleans, -1/1 or two strings work as scikit-learn's binary targets."""
    X, Y = data
    Yv = np.asarray(Y_values, dtype=expected)[Y]
    ours = BinaryRelevance(LR).fit(X, Yv)
    theirs = MultiOutputClassifier(LR).fit(X, Yv)
    pred = ours.predict(X)
    assert_array_equal(pred, theirs.predict(X))
    assert pred.dtype == Yv.dtype
    assert_array_equal(ours.classes_[0], np.asarray(Y_values, dtype=expected))
    assert_allclose(ours.predict_proba(X), _moc_positive_proba(theirs, X))


def test_binary_relevance_list_and_dataframe_inputs(data):
    X, Y = data
    expected = BinaryRelevance(LR).fit(X, Y).predict(X)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    clf = BinaryRelevance(LR).fit(frame, pd.DataFrame(Y, columns=list("abcde")))
    assert_array_equal(clf.predict(frame), expected)
    assert_array_equal(clf.feature_names_in_, frame.columns)
    assert clf.n_features_in_ == X.shape[1]
    clf = BinaryRelevance(LR).fit(X.tolist(), Y.tolist())
    assert_array_equal(clf.predict(X.tolist()), expected)


def test_binary_relevance_single_column(data):
    X, Y = data
    clf = BinaryRelevance(LR).fit(X, Y[:, :1])
    assert clf.predict(X).shape == (X.shape[0], 1)
    assert_array_equal(clf.predict(X)[:, 0], clone(LR).fit(X, Y[:, 0]).predict(X))


def test_binary_relevance_float_threshold(data):
    X, Y = data
    clf = BinaryRelevance(LR, threshold=0.3).fit(X, Y)
    proba = clf.predict_proba(X)
    assert_array_equal(clf.predict(X), (proba > 0.3).astype(int))
    assert_array_equal(clf.thresholds_, np.full(5, 0.3))
    assert clf.predict(X).sum() > BinaryRelevance(LR).fit(X, Y).predict(X).sum()


def test_binary_relevance_per_label_threshold(data):
    X, Y = data
    thresholds = [0.1, 0.5, 0.9, 0.0, 1.0]
    clf = BinaryRelevance(LR, threshold=thresholds).fit(X, Y)
    proba = clf.predict_proba(X)
    expected = (proba > np.asarray(thresholds)).astype(int)
    expected[:, 1] = BinaryRelevance(LR).fit(X, Y).predict(X)[:, 1]
    assert_array_equal(clf.predict(X), expected)
    assert_array_equal(clf.predict(X)[:, 4], 0)


@pytest.mark.parametrize(
    "threshold, error, match",
    [
        ([0.5, 0.5], ValueError, r"shape \(5,\).*shape \(2,\)"),
        ([0.5, 0.5, 0.5, 1.5, -0.1], ValueError, r"\[0, 1\].*\[1.5, -0.1\]"),
        ([0.5, 0.5, np.nan, 0.5, 0.5], ValueError, r"\[0, 1\]"),
        (["high"] * 5, ValueError, "array of floats"),
        (1.5, InvalidParameterError, "threshold"),
        ("best", InvalidParameterError, "threshold"),
    ],
)
def test_binary_relevance_bad_threshold(data, threshold, error, match):
    X, Y = data
    with pytest.raises(error, match=match):
        BinaryRelevance(LR, threshold=threshold).fit(X, Y)


def test_binary_relevance_without_predict_proba(data):
    X, Y = data
    clf = BinaryRelevance(LinearSVC()).fit(X, Y)
    assert not hasattr(clf, "predict_proba")
    assert clf.decision_function(X).shape == Y.shape
    for threshold in (0.3, "cv"):
        with pytest.raises(ValueError, match="LinearSVC has no predict_proba"):
            BinaryRelevance(LinearSVC(), threshold=threshold).fit(X, Y)


def _oof_proba(X, Y, cv):
    proba = np.zeros(Y.shape)
    for train, test in cv.split(X, Y):
        proba[test] = BinaryRelevance(LR).fit(X[train], Y[train]).predict_proba(X[test])
    return proba


def _brute_force_best_f1(y, p):
    """Best F1 over every distinct cut of p, by plain enumeration."""
    values = np.unique(np.concatenate([[0.0, 1.0], p]))
    cuts = (values[1:] + values[:-1]) / 2
    pred = p[:, None] > cuts
    tp = (pred & (y[:, None] == 1)).sum(axis=0)
    return (2 * tp / (pred.sum(axis=0) + y.sum())).max()


def test_binary_relevance_threshold_cv_maximises_f1(data):
    X, Y = data
    cv = MultilabelStratifiedKFold(n_splits=3)
    clf = BinaryRelevance(LR, threshold="cv", threshold_cv=cv).fit(X, Y)
    proba = _oof_proba(X, Y, cv)
    for j in range(Y.shape[1]):
        best = _brute_force_best_f1(Y[:, j], proba[:, j])
        assert clf.threshold_scores_[j] == pytest.approx(best)
        achieved = f1_score(Y[:, j], proba[:, j] > clf.thresholds_[j])
        assert achieved == pytest.approx(best)
        assert achieved >= f1_score(Y[:, j], proba[:, j] > 0.5) - 1e-12
    # an int means MultilabelStratifiedKFold(n_splits=int)
    same = BinaryRelevance(LR, threshold="cv", threshold_cv=3).fit(X, Y)
    assert_array_equal(same.thresholds_, clf.thresholds_)
    proba = clf.predict_proba(X)
    assert_array_equal(clf.predict(X), (proba > clf.thresholds_).astype(int))


def test_binary_relevance_threshold_cv_uses_sample_weight(data):
    X, Y = data
    weights = np.random.RandomState(0).randint(1, 4, size=X.shape[0]).astype(float)
    cv = MultilabelStratifiedKFold(n_splits=3)
    clf = BinaryRelevance(
        LR, threshold="cv", threshold_cv=cv, threshold_scoring="balanced_accuracy"
    ).fit(X, Y, sample_weight=weights)
    proba = np.zeros(Y.shape)
    for train, test in cv.split(X, Y):
        fitted = BinaryRelevance(LR).fit(
            X[train], Y[train], sample_weight=weights[train]
        )
        proba[test] = fitted.predict_proba(X[test])
    metric = get_scorer("balanced_accuracy")._score_func
    for j in range(Y.shape[1]):
        pred = proba[:, j] > clf.thresholds_[j]
        expected = metric(Y[:, j], pred, sample_weight=weights)
        assert clf.threshold_scores_[j] == pytest.approx(expected)


def test_binary_relevance_threshold_scoring_callable(data):
    X, Y = data
    X, Y = X[:80], Y[:80]  # < 100 cuts per label: every cut is evaluated
    by_name = BinaryRelevance(LR, threshold="cv", threshold_cv=2).fit(X, Y)
    f1 = partial(f1_score, zero_division=0)
    by_callable = BinaryRelevance(
        LR, threshold="cv", threshold_cv=2, threshold_scoring=f1
    ).fit(X, Y)
    assert_allclose(by_callable.thresholds_, by_name.thresholds_)
    assert_allclose(by_callable.threshold_scores_, by_name.threshold_scores_)
    f2 = BinaryRelevance(
        LR,
        threshold="cv",
        threshold_cv=2,
        threshold_scoring=partial(fbeta_score, beta=2),
    ).fit(X, Y)
    # recall weighs more: thresholds no higher than F1's
    assert (f2.thresholds_ <= by_name.thresholds_ + 1e-12).all()


def test_binary_relevance_threshold_cv_with_shuffle_split(data):
    """Test sets that overlap or leave rows out: averaged, then scored."""
    from sklearn.model_selection import ShuffleSplit

    X, Y = data
    cv = ShuffleSplit(n_splits=3, test_size=0.3, random_state=0)
    clf = BinaryRelevance(LR, threshold="cv", threshold_cv=cv).fit(X, Y)
    assert ((clf.thresholds_ >= 0) & (clf.thresholds_ <= 1)).all()


def test_binary_relevance_sample_weight(data):
    X, Y = data
    weights = np.random.RandomState(0).randint(0, 3, size=X.shape[0])
    weighted = BinaryRelevance(LogisticRegression(tol=1e-10, max_iter=5000)).fit(
        X, Y, sample_weight=weights
    )
    repeated = BinaryRelevance(LogisticRegression(tol=1e-10, max_iter=5000)).fit(
        np.repeat(X, weights, axis=0), np.repeat(Y, weights, axis=0)
    )
    assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), atol=1e-6)
    with pytest.raises(TypeError, match="does not accept sample_weight"):
        BinaryRelevance(KNeighborsClassifier()).fit(X, Y, sample_weight=weights)
    # no weights: any classifier
    BinaryRelevance(KNeighborsClassifier()).fit(X, Y)


def test_binary_relevance_sample_weight_reaches_pipeline(data):
    X, Y = data
    weights = np.random.RandomState(0).randint(1, 3, size=X.shape[0])
    pipe = make_pipeline(StandardScaler(), LR)
    clf = BinaryRelevance(pipe).fit(X, Y, sample_weight=weights)
    direct = BinaryRelevance(LR).fit(
        StandardScaler().fit_transform(X), Y, sample_weight=weights
    )
    assert_allclose(
        clf.predict_proba(X),
        direct.predict_proba(StandardScaler().fit_transform(X)),
        atol=1e-6,
    )


def test_binary_relevance_metadata_routing(data):
    X, Y = data
    weights = np.random.RandomState(0).randint(1, 3, size=X.shape[0])
    expected = BinaryRelevance(LR).fit(X, Y, sample_weight=weights).predict_proba(X)
    with config_context(enable_metadata_routing=True):
        base = clone(LR).set_fit_request(sample_weight=True)
        clf = BinaryRelevance(base).fit(X, Y, sample_weight=weights)
        assert_allclose(clf.predict_proba(X), expected)
        search = GridSearchCV(BinaryRelevance(base), {"estimator__C": [1.0]}, cv=3).fit(
            X, Y, sample_weight=weights
        )
        assert search.best_estimator_.n_labels_ == Y.shape[1]
        from sklearn.exceptions import UnsetMetadataPassedError

        with pytest.raises(UnsetMetadataPassedError):
            BinaryRelevance(clone(LR)).fit(X, Y, sample_weight=weights)


@pytest.mark.parametrize("threshold", [0.5, 0.3, "cv"])
def test_binary_relevance_n_jobs_identical(data, threshold):
    X, Y = data
    Y = Y.copy()
    Y[:, 4] = 0  # a constant label too
    one = BinaryRelevance(LR, threshold=threshold, n_jobs=1).fit(X, Y)
    two = BinaryRelevance(LR, threshold=threshold, n_jobs=2).fit(X, Y)
    assert_array_equal(one.thresholds_, two.thresholds_)
    assert_array_equal(one.predict(X), two.predict(X))
    assert_array_equal(one.predict_proba(X), two.predict_proba(X))
    assert_array_equal(one.decision_function(X), two.decision_function(X))


def test_binary_relevance_pipeline_and_grid_search(data):
    X, Y = data
    pipe = make_pipeline(StandardScaler(), BinaryRelevance(LR, threshold_cv=2))
    grid = {
        "binaryrelevance__estimator__C": [0.1, 1.0],
        "binaryrelevance__threshold": [0.3, "cv"],
    }
    search = GridSearchCV(
        pipe, grid, scoring="f1_micro", cv=MultilabelStratifiedKFold(n_splits=3)
    ).fit(X, Y)
    assert set(search.best_params_) == set(grid)
    assert search.cv_results_["mean_test_score"].shape == (4,)
    assert search.predict(X).shape == Y.shape
    assert search.predict_proba(X).shape == Y.shape
    best = search.best_params_["binaryrelevance__threshold"]
    fitted = search.best_estimator_[-1]
    if best != "cv":
        assert_array_equal(fitted.thresholds_, best)


def test_binary_relevance_text_tags_round_trip(data):
    """Fit on tag strings, get tag strings back."""
    X, Y = data
    names = np.array(["economy", "politics", "science", "sports", "tech"])
    tags = ["|".join(names[row.astype(bool)]) for row in Y]
    clf = TransformedTargetClassifier(
        BinaryRelevance(LR), transformer=MultiLabelEncoder(sep="|")
    ).fit(X, tags)
    assert_array_equal(clf.classes_, names)
    pred = clf.predict(X[:20])
    assert isinstance(pred, np.ndarray) and pred.shape == (20,)
    assert all(isinstance(p, str) for p in pred)
    codes = BinaryRelevance(LR).fit(X, Y).predict(X[:20])
    assert pred.tolist() == ["|".join(names[row.astype(bool)]) for row in codes]
    proba = clf.predict_proba(X[:20])
    assert proba.shape == (20, 5)
    assert_allclose(proba, BinaryRelevance(LR).fit(X, Y).predict_proba(X[:20]))
    assert 0 <= clf.score(X, tags) <= 1


@pytest.mark.parametrize("sparse_output", [False, True])
def test_binary_relevance_on_multilabel_encoder_output(data, sparse_output):
    X, Y = data
    sets = [tuple(np.flatnonzero(row)) for row in Y]
    encoder = MultiLabelEncoder(sparse_output=sparse_output)
    encoded = encoder.fit_transform(sets)
    clf = BinaryRelevance(LR).fit(X, encoded)
    assert_array_equal(clf.predict(X), BinaryRelevance(LR).fit(X, Y).predict(X))
    decoded = encoder.inverse_transform(clf.predict(X[:5]))
    assert all(isinstance(s, tuple) for s in decoded)


def test_binary_relevance_text_features_pipeline():
    """X stays untouched: a text pipeline can be the per-label classifier."""
    docs = [
        "cheap flights",
        "stock market falls",
        "football final",
        "market rally",
        "cup final tonight",
        "flights delayed",
        "election market",
        "vote today",
    ]
    Y = np.array(
        [
            [1, 0, 0],
            [0, 1, 0],
            [0, 0, 1],
            [0, 1, 0],
            [0, 0, 1],
            [1, 0, 0],
            [0, 1, 1],
            [0, 0, 1],
        ]
    )
    clf = BinaryRelevance(make_pipeline(TfidfVectorizer(), LR)).fit(docs, Y)
    assert clf.predict(["market news"]).shape == (1, 3)


def test_binary_relevance_unfitted_and_pickle(data):
    X, Y = data
    clf = BinaryRelevance(LR)
    with pytest.raises(NotFittedError):
        clf.predict(X)
    clf.fit(X, Y)
    restored = pickle.loads(pickle.dumps(clf))
    assert_array_equal(restored.predict(X), clf.predict(X))
    assert clf.estimator is LR  # the user's object is never fitted
    assert not hasattr(LR, "coef_")


def test_binary_relevance_predict_wrong_features(data):
    X, Y = data
    clf = BinaryRelevance(LR).fit(X, Y)
    with pytest.raises(ValueError, match="features"):
        clf.predict(X[:, :3])


def _search(loss):
    """A model that has predict_proba only once fitted, depending on its loss."""
    return GridSearchCV(SGDClassifier(random_state=0), {"loss": [loss]}, cv=2)


def test_binary_relevance_predict_proba_of_models_that_gain_it_when_fitted(data):
    X, Y = data
    clf = BinaryRelevance(_search("log_loss"))
    assert not hasattr(clf, "predict_proba")  # the unfitted search has none
    with pytest.raises(AttributeError) as info:
        clf.predict_proba(X)
    assert "GridSearchCV has no attribute 'predict_proba' before fit" in str(
        info.value.__cause__
    )
    clf.fit(X, Y)
    expected = np.column_stack([est.predict_proba(X)[:, 1] for est in clf.estimators_])
    assert_allclose(clf.predict_proba(X), expected)


def test_binary_relevance_threshold_with_models_that_gain_proba_when_fitted(data):
    X, Y = data
    clf = BinaryRelevance(_search("log_loss"), threshold=0.3).fit(X, Y)
    proba = np.column_stack([est.predict_proba(X)[:, 1] for est in clf.estimators_])
    assert_array_equal(clf.predict(X), (proba > 0.3).astype(int))
    tuned = BinaryRelevance(_search("log_loss"), threshold="cv", threshold_cv=3)
    assert tuned.fit(X, Y).thresholds_.shape == (Y.shape[1],)


@pytest.mark.parametrize("threshold", [0.3, "cv"])
def test_binary_relevance_threshold_refused_when_fitted_model_lacks_proba(
    data, threshold
):
    X, Y = data
    with pytest.raises(
        ValueError, match=r"the fitted GridSearchCV has no predict_proba.*0\.5"
    ):
        BinaryRelevance(_search("hinge"), threshold=threshold).fit(X, Y)


def test_binary_relevance_missing_predict_proba_says_why(data):
    X, Y = data
    clf = BinaryRelevance(_search("hinge")).fit(X, Y)
    assert not hasattr(clf, "predict_proba")
    with pytest.raises(AttributeError) as info:
        clf.predict_proba(X)
    assert re.search(
        r"fitted model\(s\) estimators_\[0\], .*\(GridSearchCV\) .*no attribute "
        r"'predict_proba'",
        str(info.value.__cause__),
    )
