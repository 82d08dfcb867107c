"""Tests for sklabels.encoding.TransformedTargetClassifier."""

import pickle
import re
import warnings

import numpy as np
import pandas as pd
import pytest
import sklearn
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.dummy import DummyRegressor
from sklearn.exceptions import NotFittedError, UnsetMetadataPassedError
from sklearn.linear_model import LogisticRegression, Ridge, SGDClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from sklabels.encoding import (
    LabelEncoder,
    MultiLabelEncoder,
    OneHotLabelEncoder,
    TransformedTargetClassifier,
)

SPECIES = np.array(["setosa", "versicolor", "virginica"])


@pytest.fixture(scope="module")
def iris():
    """Standardised iris features and species names."""
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), SPECIES[y]


@pytest.fixture(scope="module")
def iris_raw():
    X, y = load_iris(return_X_y=True)
    return X, SPECIES[y]


@pytest.fixture(scope="module")
def tagged():
    """Features and '|'-joined tags: tag t is on when feature t is positive."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    tags = [
        "|".join(t for t, on in zip("abc", row, strict=True) if on) for row in X > 0
    ]
    return X, tags


# --------------------------------------------------------------------------
# Default: LabelEncoder + LogisticRegression


@pytest.mark.parametrize("container", ["ndarray", "list", "Series", "categorical"])
def test_transformed_target_classifier_default_matches_logistic_regression(
    iris, container
):
    X, names = iris
    y = {
        "ndarray": names,
        "list": names.tolist(),
        "Series": pd.Series(names),
        "categorical": pd.Series(names, dtype="category"),
    }[container]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # converges: no ConvergenceWarning
        ours = TransformedTargetClassifier().fit(X, y)
        plain = LogisticRegression().fit(X, y)
    assert isinstance(ours.classifier_, LogisticRegression)
    assert isinstance(ours.transformer_, LabelEncoder)
    assert_array_equal(ours.classes_, plain.classes_)
    assert_array_equal(ours.predict(X), plain.predict(X))
    assert_allclose(
        ours.predict_proba(X), plain.predict_proba(X), rtol=1e-10, atol=1e-12
    )
    assert_allclose(ours.decision_function(X), plain.decision_function(X), rtol=1e-10)
    assert ours.score(X, y) == pytest.approx(plain.score(X, y))
    assert ours.n_features_in_ == 4


def test_transformed_target_classifier_inner_classifier_sees_codes(iris):
    X, names = iris
    clf = TransformedTargetClassifier(LogisticRegression()).fit(X, names)
    assert_array_equal(clf.classifier_.classes_, [0, 1, 2])
    assert_array_equal(clf.classes_, SPECIES)
    assert set(clf.predict(X)) <= set(SPECIES)


def test_transformed_target_classifier_does_not_fit_user_objects(iris):
    X, names = iris
    inner, transformer = LogisticRegression(), LabelEncoder()
    clf = TransformedTargetClassifier(inner, transformer=transformer).fit(X, names)
    assert not hasattr(inner, "coef_")
    assert not hasattr(transformer, "classes_")
    assert clf.classifier_ is not inner
    assert clf.transformer_ is not transformer


def test_transformed_target_classifier_transformer_classes_order(iris):
    X, names = iris
    order = ["virginica", "setosa", "versicolor"]
    clf = TransformedTargetClassifier(
        LogisticRegression(), transformer=LabelEncoder(classes=order)
    ).fit(X, names)
    plain = LogisticRegression().fit(X, names)
    assert_array_equal(clf.classes_, order)
    # predict_proba columns follow classes_
    assert_allclose(
        clf.predict_proba(X), plain.predict_proba(X)[:, [2, 0, 1]], atol=1e-8
    )
    assert_array_equal(clf.predict(X), plain.predict(X))


def test_transformed_target_classifier_class_absent_from_training(iris):
    X, names = iris
    clf = TransformedTargetClassifier(
        LogisticRegression(),
        transformer=LabelEncoder(classes=[*SPECIES, "unseen"]),
    ).fit(X, names)
    proba = clf.predict_proba(X[:5])
    assert proba.shape == (5, 4)
    assert_array_equal(proba[:, 3], 0)
    assert_allclose(proba.sum(axis=1), 1)


def test_transformed_target_classifier_pandas_features(iris_raw):
    Xd, _ = load_iris(return_X_y=True, as_frame=True)
    _, names = iris_raw
    clf = TransformedTargetClassifier(
        Pipeline([("s", StandardScaler()), ("lr", LogisticRegression())])
    ).fit(Xd, names)
    assert_array_equal(clf.feature_names_in_, Xd.columns)
    assert clf.n_features_in_ == 4
    assert clf.score(Xd, names) > 0.9


# --------------------------------------------------------------------------
# Pipeline and GridSearchCV


def test_transformed_target_classifier_in_pipeline(iris_raw):
    X, names = iris_raw
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            ("clf", TransformedTargetClassifier(LogisticRegression())),
        ]
    ).fit(X, names)
    plain = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression())]).fit(
        X, names
    )
    assert_array_equal(pipe.classes_, SPECIES)
    assert_array_equal(pipe.predict(X), plain.predict(X))
    assert_allclose(pipe.predict_proba(X), plain.predict_proba(X), atol=1e-10)


def test_transformed_target_classifier_grid_search_classifier_c(iris_raw):
    X, names = iris_raw
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            ("clf", TransformedTargetClassifier(LogisticRegression())),
        ]
    )
    grid = {"clf__classifier__C": [0.01, 1.0, 100.0]}
    search = GridSearchCV(pipe, grid, cv=3).fit(X, names)
    plain = GridSearchCV(
        Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression())]),
        {"clf__C": [0.01, 1.0, 100.0]},
        cv=3,
    ).fit(X, names)
    assert_allclose(
        search.cv_results_["mean_test_score"], plain.cv_results_["mean_test_score"]
    )
    assert search.best_params_["clf__classifier__C"] == plain.best_params_["clf__C"]
    assert search.best_estimator_[-1].classifier_.C == plain.best_params_["clf__C"]
    assert_array_equal(search.predict(X), plain.predict(X))


def test_transformed_target_classifier_grid_search_smoothing(iris):
    X, names = iris
    clf = TransformedTargetClassifier(Ridge(), transformer=OneHotLabelEncoder())
    grid = {"classifier__alpha": [0.1, 10.0], "transformer__smoothing": [0.0, 0.3]}
    search = GridSearchCV(clf, grid, cv=3).fit(X, names)
    assert len(search.cv_results_["params"]) == 4
    best = search.best_estimator_
    assert best.transformer_.smoothing == search.best_params_["transformer__smoothing"]
    assert best.classifier_.alpha == search.best_params_["classifier__alpha"]
    assert search.best_score_ > 0.7
    # smoothing changes the regression targets, hence the fitted model
    hard = clone(clf).set_params(transformer__smoothing=0.0).fit(X, names)
    soft = clone(clf).set_params(transformer__smoothing=0.3).fit(X, names)
    assert not np.allclose(hard.classifier_.coef_, soft.classifier_.coef_)
    assert_allclose(soft.classifier_.coef_, 0.7 * hard.classifier_.coef_, atol=1e-10)


def test_transformed_target_classifier_grid_search_c_and_smoothing_together(iris):
    X, names = iris
    grid = [
        {
            "classifier": [LogisticRegression()],
            "classifier__C": [0.1, 1.0],
            "transformer": [LabelEncoder()],
        },
        {
            "classifier": [Ridge()],
            "transformer": [OneHotLabelEncoder()],
            "transformer__smoothing": [0.0, 0.2],
        },
    ]
    search = GridSearchCV(TransformedTargetClassifier(), grid, cv=3).fit(X, names)
    params = search.cv_results_["params"]
    assert len(params) == 4
    assert {p.get("classifier__C") for p in params} == {0.1, 1.0, None}
    assert {p.get("transformer__smoothing") for p in params} == {0.0, 0.2, None}
    assert np.all(search.cv_results_["mean_test_score"] > 0.7)
    assert_array_equal(search.classes_, SPECIES)
    assert set(search.predict(X)) <= set(SPECIES)


# --------------------------------------------------------------------------
# A regressor on one-hot targets acts as a classifier


@pytest.fixture(scope="module")
def mlp_classifier(iris_raw):
    X, names = iris_raw
    X_train, X_test, y_train, y_test = train_test_split(
        X, names, test_size=0.3, stratify=names, random_state=0
    )
    model = Pipeline(
        [
            ("scale", StandardScaler()),
            (
                "clf",
                TransformedTargetClassifier(
                    MLPRegressor(
                        hidden_layer_sizes=(32,),
                        learning_rate_init=0.01,
                        max_iter=2000,
                        random_state=0,
                    ),
                    transformer=OneHotLabelEncoder(smoothing=0.1),
                ),
            ),
        ]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ConvergenceWarning
        model.fit(X_train, y_train)
    return model, X_test, y_test


def test_transformed_target_classifier_mlp_regressor_acts_as_classifier(mlp_classifier):
    model, X_test, y_test = mlp_classifier
    # predict is the inner regressor's output decoded by argmax
    enc = OneHotLabelEncoder(smoothing=0.1).fit(y_test)
    scores = model[-1].classifier_.predict(model[0].transform(X_test))
    assert_array_equal(model.predict(X_test), enc.inverse_transform(scores))
    clf = model[-1]
    assert isinstance(clf.classifier_, MLPRegressor)
    assert_array_equal(clf.classes_, SPECIES)
    pred = model.predict(X_test)
    assert pred.shape == (len(y_test),)
    assert set(pred) <= set(SPECIES)
    assert accuracy_score(y_test, pred) > 0.9
    assert model.score(X_test, y_test) == pytest.approx(accuracy_score(y_test, pred))


def test_transformed_target_classifier_mlp_predict_proba(mlp_classifier):
    model, X_test, _ = mlp_classifier
    proba = model.predict_proba(X_test)
    assert proba.shape == (X_test.shape[0], 3)
    assert np.all(proba >= 0)
    assert_allclose(proba.sum(axis=1), 1.0)
    # where the regressor has a positive output, proba is its clipped, normalised
    # output, and predict is its argmax
    raw = model[-1].classifier_.predict(model[0].transform(X_test))
    positive = raw.max(axis=1) > 0
    assert positive.mean() > 0.9
    clipped = np.clip(raw[positive], 0, None)
    assert_allclose(proba[positive], clipped / clipped.sum(axis=1, keepdims=True))
    assert_array_equal(
        model.predict(X_test)[positive], SPECIES[proba[positive].argmax(axis=1)]
    )


def test_transformed_target_classifier_regressor_has_no_decision_function(
    mlp_classifier,
):
    model, _, _ = mlp_classifier
    assert not hasattr(model[-1], "decision_function")
    assert hasattr(model[-1], "predict_proba")


def test_transformed_target_classifier_ridge_proba_clips_extrapolated_rows(iris):
    X, names = iris
    clf = TransformedTargetClassifier(Ridge(), transformer=OneHotLabelEncoder()).fit(
        X, names
    )
    far = 5 * X[100:101] - 4 * X[:1]  # extrapolated: some outputs negative
    raw = clf.classifier_.predict(far)
    assert raw.min() < 0
    proba = clf.predict_proba(far)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert_array_equal(proba[raw < 0], 0)
    assert_array_equal(clf.predict(far), SPECIES[raw.argmax(axis=1)])


@pytest.mark.parametrize(
    "constant, expected_proba, expected_label",
    [
        ([-1.0, -2.0, -3.0], [1 / 3, 1 / 3, 1 / 3], "setosa"),
        ([0.5, -1.0, 1.5], [0.25, 0.0, 0.75], "virginica"),
        ([0.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3], None),
    ],
)
def test_transformed_target_classifier_regressor_scores_to_proba(
    iris, constant, expected_proba, expected_label
):
    X, names = iris
    clf = TransformedTargetClassifier(
        DummyRegressor(strategy="constant", constant=constant),
        transformer=OneHotLabelEncoder(handle_unknown="ignore"),
    ).fit(X, names)
    proba = clf.predict_proba(X[:2])
    assert_allclose(proba, [expected_proba] * 2)
    # an all-zero output row decodes to None under handle_unknown="ignore"
    assert clf.predict(X[:2]).tolist() == [expected_label] * 2


# --------------------------------------------------------------------------
# Multi-label targets


def test_transformed_target_classifier_multilabel_tags(tagged):
    X, tags = tagged
    clf = TransformedTargetClassifier(
        KNeighborsClassifier(n_neighbors=1), transformer=MultiLabelEncoder(sep="|")
    ).fit(X, tags)
    assert_array_equal(clf.classes_, ["a", "b", "c"])
    pred = clf.predict(X)
    assert isinstance(pred, np.ndarray)
    assert pred.shape == (len(tags),)
    assert pred.tolist() == tags  # 1-NN on the training set is exact
    assert clf.score(X, tags) == 1.0


def test_transformed_target_classifier_multilabel_matches_manual_pipeline(tagged):
    X, tags = tagged
    clf = TransformedTargetClassifier(
        KNeighborsClassifier(n_neighbors=5), transformer=MultiLabelEncoder(sep="|")
    ).fit(X, tags)
    enc = MultiLabelEncoder(sep="|")
    knn = KNeighborsClassifier(n_neighbors=5).fit(X, enc.fit_transform(tags))
    X_new = np.random.default_rng(1).normal(size=(20, 3))
    assert clf.predict(X_new).tolist() == enc.inverse_transform(knn.predict(X_new))
    assert all(isinstance(p, str) for p in clf.predict(X_new))
    proba = clf.predict_proba(X_new)
    assert proba.shape == (20, 3)
    # label sets: independent P(label present), not normalised across labels
    manual = np.column_stack([p[:, 1] for p in knn.predict_proba(X_new)])
    assert_allclose(proba, manual)
    assert not hasattr(clf, "decision_function")


def test_transformed_target_classifier_score_is_subset_accuracy(tagged):
    X, tags = tagged
    clf = TransformedTargetClassifier(
        KNeighborsClassifier(n_neighbors=1), transformer=MultiLabelEncoder(sep="|")
    ).fit(X, tags)
    # change the true tags of the first 30 rows by one tag each: partial matches
    # must count as wrong
    truth = list(tags)
    for i in range(30):
        labels = set(filter(None, truth[i].split("|")))
        labels ^= {"a"}
        truth[i] = "|".join(sorted(labels))
    pred = clf.predict(X)
    expected = np.mean(
        [
            set(p.split("|")) == set(t.split("|"))
            for p, t in zip(pred, truth, strict=True)
        ]
    )
    assert expected == pytest.approx(90 / 120)
    assert clf.score(X, truth) == pytest.approx(expected)
    weights = np.r_[np.zeros(30), np.ones(90)]
    assert clf.score(X, truth, sample_weight=weights) == pytest.approx(1.0)


def test_transformed_target_classifier_multilabel_lists_of_sets(tagged):
    X, tags = tagged
    sets = [set(filter(None, t.split("|"))) for t in tags]
    clf = TransformedTargetClassifier(
        KNeighborsClassifier(n_neighbors=1), transformer=MultiLabelEncoder()
    ).fit(X, sets)
    pred = clf.predict(X[:10])
    assert [set(p) for p in pred] == sets[:10]
    assert clf.score(X, sets) == 1.0


# --------------------------------------------------------------------------
# sample_weight and metadata routing


def test_transformed_target_classifier_sample_weight_reaches_classifier(iris):
    X, names = iris
    w = np.random.default_rng(0).uniform(0.1, 3.0, size=len(names))
    ours = TransformedTargetClassifier(LogisticRegression()).fit(
        X, names, sample_weight=w
    )
    weighted = LogisticRegression().fit(X, names, sample_weight=w)
    unweighted = LogisticRegression().fit(X, names)
    assert_allclose(ours.classifier_.coef_, weighted.coef_)
    assert not np.allclose(ours.classifier_.coef_, unweighted.coef_)
    assert_allclose(ours.predict_proba(X), weighted.predict_proba(X))


def test_transformed_target_classifier_metadata_routing(iris):
    X, names = iris
    w = np.random.default_rng(0).uniform(0.1, 3.0, size=len(names))
    weighted = LogisticRegression().fit(X, names, sample_weight=w)
    with sklearn.config_context(enable_metadata_routing=True):
        inner = LogisticRegression().set_fit_request(sample_weight=True)
        ours = TransformedTargetClassifier(inner).fit(X, names, sample_weight=w)
        assert_allclose(ours.classifier_.coef_, weighted.coef_)
        # routing is declared by the meta-estimator
        routing = ours.get_metadata_routing()
        assert "sample_weight" in str(routing)
        # unrequested metadata is an error, as for scikit-learn's meta-estimators
        with pytest.raises(UnsetMetadataPassedError, match=r"\[sample_weight\]"):
            TransformedTargetClassifier(LogisticRegression()).fit(
                X, names, sample_weight=w
            )
        # without sample_weight the requesting classifier still fits
        unweighted = TransformedTargetClassifier(inner).fit(X, names)
        assert not np.allclose(unweighted.classifier_.coef_, weighted.coef_)


def test_transformed_target_classifier_metadata_routing_in_grid_search(iris):
    X, names = iris
    w = np.r_[np.full(100, 1.0), np.full(50, 5.0)]
    with sklearn.config_context(enable_metadata_routing=True):
        clf = TransformedTargetClassifier(
            LogisticRegression().set_fit_request(sample_weight=True)
        )
        search = GridSearchCV(clf, {"classifier__C": [1.0]}, cv=3, refit=True)
        search.fit(X, names, sample_weight=w)
    expected = LogisticRegression().fit(X, names, sample_weight=w)
    assert_allclose(search.best_estimator_.classifier_.coef_, expected.coef_)


# --------------------------------------------------------------------------
# Delegated methods


@pytest.mark.parametrize(
    "classifier, transformer, expected",
    [
        (LogisticRegression(), None, True),
        (SVC(), None, True),
        (KNeighborsClassifier(), None, False),
        (DecisionTreeClassifier(), None, False),
        (Ridge(), OneHotLabelEncoder(), False),
        (MLPRegressor(), OneHotLabelEncoder(), False),
    ],
)
def test_transformed_target_classifier_decision_function_iff_classifier_has_it(
    iris, classifier, transformer, expected
):
    X, names = iris
    clf = TransformedTargetClassifier(classifier, transformer=transformer)
    assert hasattr(clf, "decision_function") == expected  # before fit
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # MLPRegressor's ConvergenceWarning
        clf.fit(X, names)
    assert hasattr(clf, "decision_function") == expected  # after fit
    if expected:
        scores = clf.decision_function(X[:4])
        assert_allclose(scores, clf.classifier_.decision_function(X[:4]))
        assert_array_equal(clf.classes_[scores.argmax(axis=1)], clf.predict(X[:4]))


def test_transformed_target_classifier_predict_proba_availability(iris):
    X, names = iris
    assert not hasattr(TransformedTargetClassifier(SVC()), "predict_proba")
    assert hasattr(TransformedTargetClassifier(SVC(probability=True)), "predict_proba")
    clf = TransformedTargetClassifier(SVC()).fit(X, names)
    assert not hasattr(clf, "predict_proba")


# --------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    "y",
    [
        np.linspace(0.1, 3.3, 150),
        np.column_stack([np.linspace(0.1, 3.3, 150), np.linspace(0.2, 2, 150)]),
    ],
    ids=["continuous", "continuous-multioutput"],
)
def test_transformed_target_classifier_continuous_y_raises(iris, y):
    X, _ = iris
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        TransformedTargetClassifier().fit(X, y)


def test_transformed_target_classifier_none_y_raises(iris):
    X, _ = iris
    with pytest.raises(ValueError, match="requires y to be passed"):
        TransformedTargetClassifier().fit(X, None)


def test_transformed_target_classifier_bad_labels_reach_transformer(iris):
    X, names = iris
    y = names.astype(object)
    y[3] = None
    with pytest.raises(ValueError, match=r"y contains missing labels.*3: None"):
        TransformedTargetClassifier().fit(X, y)


def test_transformed_target_classifier_score_counts_unseen_label_wrong(iris):
    X, names = iris
    clf = TransformedTargetClassifier().fit(X, names)
    other = names.copy()
    other[0] = "rose"
    # accuracy simply counts it wrong for single labels
    assert clf.score(X, other) < clf.score(X, names)


def test_transformed_target_classifier_not_fitted_raises(iris):
    X, _ = iris
    clf = TransformedTargetClassifier()
    with pytest.raises(NotFittedError):
        clf.predict(X)
    with pytest.raises(NotFittedError):
        clf.predict_proba(X)


def test_transformed_target_classifier_invalid_classifier_raises(iris):
    X, names = iris
    with pytest.raises(ValueError, match="'classifier' parameter"):
        TransformedTargetClassifier(classifier="lr").fit(X, names)
    with pytest.raises(ValueError, match="'transformer' parameter"):
        TransformedTargetClassifier(transformer=LogisticRegression()).fit(X, names)


# --------------------------------------------------------------------------
# Estimator API


def test_transformed_target_classifier_get_params_deep_and_clone():
    clf = TransformedTargetClassifier(
        LogisticRegression(C=3.0), transformer=OneHotLabelEncoder(smoothing=0.2)
    )
    params = clf.get_params(deep=True)
    assert params["classifier__C"] == 3.0
    assert params["transformer__smoothing"] == 0.2
    assert "transformer__handle_unknown" in params
    cloned = clone(clf)
    assert cloned.transformer is not clf.transformer
    assert cloned.get_params(deep=True)["transformer__smoothing"] == 0.2
    cloned.set_params(transformer__smoothing=0.4, classifier__C=0.5)
    assert cloned.transformer.smoothing == 0.4
    assert cloned.classifier.C == 0.5
    assert clf.transformer.smoothing == 0.2  # the original is untouched


def test_transformed_target_classifier_default_params():
    params = TransformedTargetClassifier().get_params(deep=True)
    assert params == {"classifier": None, "transformer": None}


def test_transformed_target_classifier_pickle(iris):
    X, names = iris
    clf = TransformedTargetClassifier(
        Ridge(), transformer=OneHotLabelEncoder(smoothing=0.1)
    ).fit(X, names)
    restored = pickle.loads(pickle.dumps(clf))
    assert_array_equal(restored.predict(X), clf.predict(X))
    assert_allclose(restored.predict_proba(X), clf.predict_proba(X))
    assert_array_equal(restored.classes_, SPECIES)


# --------------------------------------------------------------------------
# Regressions


def test_transformed_target_classifier_proba_of_tag_in_every_row():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 2))
    tags = ["a|b" if x > 0 else "a" for x in X[:, 0]]
    clf = TransformedTargetClassifier(
        KNeighborsClassifier(n_neighbors=3), transformer=MultiLabelEncoder(sep="|")
    ).fit(X, tags)
    pred = clf.predict(X)
    proba = clf.predict_proba(X)
    assert all("a" in p.split("|") for p in pred)
    assert np.all(proba[:, 0] > 0)
    only_a = np.array([p == "a" for p in pred])
    assert only_a.any()
    assert_array_equal(proba[only_a].argmax(axis=1), 0)


def test_transformed_target_classifier_missing_label_code_not_a_class(iris):
    X, names = iris
    y = names.astype(object)
    y[::5] = None
    clf = TransformedTargetClassifier(
        LogisticRegression(),
        transformer=LabelEncoder(handle_missing="use_encoded_value"),
    )
    try:
        clf.fit(X, y)
    except ValueError as exc:  # refusing unlabeled rows is an acceptable fix
        assert "missing" in str(exc)
        return
    proba = clf.predict_proba(X)
    assert proba.shape == (len(y), 3)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert None not in clf.predict(X).tolist()


def _search(loss):
    """A model that has predict_proba only once fitted, depending on its loss."""
    return GridSearchCV(SGDClassifier(random_state=0), {"loss": [loss]}, cv=2)


def test_transformed_target_classifier_predict_proba_of_models_that_gain_it(iris):
    X, names = iris
    clf = TransformedTargetClassifier(_search("log_loss"))
    assert not hasattr(clf, "predict_proba")
    with pytest.raises(AttributeError) as info:
        clf.predict_proba(X)
    assert "GridSearchCV has no predict_proba before fit" in str(info.value.__cause__)
    clf.fit(X, names)
    assert_allclose(clf.predict_proba(X[:5]), clf.classifier_.predict_proba(X[:5]))


def test_transformed_target_classifier_missing_predict_proba_says_why(iris):
    X, names = iris
    clf = TransformedTargetClassifier(_search("hinge")).fit(X, names)
    with pytest.raises(AttributeError) as info:
        clf.predict_proba(X)
    assert re.search(
        r"fitted classifier_ \(GridSearchCV\) has no predict_proba, and it is not "
        r"a regressor",
        str(info.value.__cause__),
    )
    with pytest.raises(AttributeError) as info:
        TransformedTargetClassifier(Ridge()).decision_function(X)
    assert "Ridge has no attribute 'decision_function' before fit" in str(
        info.value.__cause__
    )


def test_transformed_target_classifier_default_model_refuses_string_columns():
    X = pd.DataFrame({"colour": ["red", "blue"] * 10, "size": np.arange(20.0)})
    y = ["a", "b", "b", "a"] * 5
    with pytest.raises(
        ValueError,
        match=r"classifier=None fits its default model LogisticRegression\(\).*"
        r"\['colour'\].*OneHotEncoder",
    ):
        TransformedTargetClassifier().fit(X, y)
    # a classifier of the user's own is left to read X as it does
    model = TransformedTargetClassifier(DecisionTreeClassifier())
    with pytest.raises(ValueError, match="could not convert string to float"):
        model.fit(X, y)
