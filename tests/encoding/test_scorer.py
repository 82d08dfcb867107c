"""Tests for sklabels.encoding.make_encoded_scorer and predictions of label sets."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn import config_context
from sklearn.datasets import load_iris
from sklearn.exceptions import DataConversionWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    cross_val_score,
    cross_validate,
)
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklabels.encoding import (
    LabelEncoder,
    MultiLabelEncoder,
    OneHotLabelEncoder,
    TransformedTargetClassifier,
    make_encoded_scorer,
)
from sklabels.multilabel import BinaryRelevance

_VOCAB = {
    "news": ["election", "vote", "policy", "minister"],
    "sports": ["goal", "match", "team", "coach"],
    "tech": ["cpu", "code", "app", "cloud"],
}


@pytest.fixture(scope="module")
def texts():
    """Short documents and their tags as 'a|b' strings (several per row)."""
    rng = np.random.RandomState(0)
    text, tags = [], []
    for _ in range(150):
        present = [t for t in _VOCAB if rng.rand() < 0.45] or ["news"]
        words = [w for t in present for w in rng.choice(_VOCAB[t], 2)]
        words += list(rng.choice(["the", "a", "today", "big", "new"], 3))
        words += [rng.choice(_VOCAB[t]) for t in _VOCAB if rng.rand() < 0.3]
        rng.shuffle(words)
        text.append(" ".join(words))
        tags.append("|".join(present))
    return np.array(text), np.array(tags)


def _tag_model(C=1.0):
    return TransformedTargetClassifier(
        BinaryRelevance(make_pipeline(TfidfVectorizer(), LogisticRegression(C=C))),
        transformer=MultiLabelEncoder(sep="|"),
    )


def _by_hand(model, text, tags, cv, metric):
    """metric on the indicator matrices of each test fold, written out."""
    scores = []
    for train, test in cv.split(text):
        fitted = model.fit(text[train], tags[train])
        encoder = fitted.transformer_
        scores.append(
            metric(
                encoder.transform(tags[test]),
                encoder.transform(fitted.predict(text[test])),
                fitted.predict_proba(text[test]),
            )
        )
    return np.array(scores)


def test_make_encoded_scorer_f1_micro_on_tags_equals_indicator_f1(texts):
    text, tags = texts
    cv = KFold(5, shuffle=True, random_state=0)
    scores = cross_val_score(
        _tag_model(), text, tags, scoring=make_encoded_scorer("f1_micro"), cv=cv
    )
    expected = _by_hand(
        _tag_model(), text, tags, cv, lambda Y, P, _: f1_score(Y, P, average="micro")
    )
    assert_allclose(scores, expected)
    # the plain scoring name compares whole tag strings: a different figure
    plain = cross_val_score(_tag_model(), text, tags, scoring="f1_micro", cv=cv)
    assert plain.mean() < scores.mean() - 0.05


def test_make_encoded_scorer_score_based_name_uses_predict_proba(texts):
    text, tags = texts
    cv = KFold(3, shuffle=True, random_state=1)
    scores = cross_val_score(
        _tag_model(), text, tags, scoring=make_encoded_scorer("roc_auc"), cv=cv
    )
    expected = _by_hand(
        _tag_model(), text, tags, cv, lambda Y, _, S: roc_auc_score(Y, S)
    )
    assert_allclose(scores, expected)


def test_make_encoded_scorer_callable_metric_with_keywords(texts):
    text, tags = texts
    cv = KFold(3, shuffle=True, random_state=2)
    scorer = make_encoded_scorer(f1_score, average="samples")
    scores = cross_val_score(_tag_model(), text, tags, scoring=scorer, cv=cv)
    expected = _by_hand(
        _tag_model(), text, tags, cv, lambda Y, P, _: f1_score(Y, P, average="samples")
    )
    assert_allclose(scores, expected)
    assert repr(scorer) == "make_encoded_scorer(f1_score, average='samples')"


def test_make_encoded_scorer_in_grid_search(texts):
    text, tags = texts
    cv = KFold(3, shuffle=True, random_state=0)
    scorer = make_encoded_scorer("f1_micro")
    search = GridSearchCV(
        _tag_model(),
        {"classifier__estimator__logisticregression__C": [0.01, 10.0]},
        scoring=scorer,
        cv=cv,
    ).fit(text, tags)
    best_C = search.best_params_["classifier__estimator__logisticregression__C"]
    expected = cross_val_score(_tag_model(C=best_C), text, tags, scoring=scorer, cv=cv)
    assert search.best_score_ == pytest.approx(expected.mean())
    # the fitted search itself can be scored: its best model's transformer
    assert scorer(search, text, tags) == pytest.approx(
        f1_score(
            search.best_estimator_.transformer_.transform(tags),
            search.best_estimator_.transformer_.transform(search.predict(text)),
            average="micro",
        )
    )


def test_make_encoded_scorer_sample_weight_and_pipeline(texts):
    text, tags = texts
    model = make_pipeline(TfidfVectorizer(), StandardScaler(with_mean=False))
    model.steps.append(
        (
            "tags",
            TransformedTargetClassifier(
                BinaryRelevance(LogisticRegression()),
                transformer=MultiLabelEncoder(sep="|"),
            ),
        )
    )
    model.fit(text, tags)
    encoder = model[-1].transformer_
    weights = np.linspace(0.1, 1, len(tags))
    expected = f1_score(
        encoder.transform(tags),
        encoder.transform(model.predict(text)),
        average="micro",
        sample_weight=weights,
    )
    scorer = make_encoded_scorer("f1_micro")
    assert scorer(model, text, tags, sample_weight=weights) == pytest.approx(expected)


def test_make_encoded_scorer_counts_tags_unseen_in_fit_as_missed():
    X = np.array([[0.0], [0.1], [1.0], [1.1]])
    tags = np.array(["a", "a", "b", "b"])
    model = TransformedTargetClassifier(
        KNeighborsClassifier(n_neighbors=1), transformer=MultiLabelEncoder(sep="|")
    ).fit(X, tags)
    y_true = np.array(["a|z", "a", "b", "b|z"])  # "z" never seen in fit
    # columns a, b, z; the model predicts a, a, b, b
    expected = f1_score(
        [[1, 0, 1], [1, 0, 0], [0, 1, 0], [0, 1, 1]],
        [[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0]],
        average="micro",
    )
    assert make_encoded_scorer("f1_micro")(model, X, y_true) == pytest.approx(expected)


def test_make_encoded_scorer_label_encoder_matches_plain_accuracy():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 2))
    y = np.where(X[:, 0] > 0, "yes", "no")
    model = TransformedTargetClassifier(LogisticRegression()).fit(X[:40], y[:40])
    plain = accuracy_score(y[40:], model.predict(X[40:]))
    scorer = make_encoded_scorer("accuracy")
    assert scorer(model, X[40:], y[40:]) == pytest.approx(plain)
    assert isinstance(model.transformer_, LabelEncoder)


def test_transformed_target_classifier_score_of_label_sets_ignores_tag_order():
    X = np.array([[0.0], [1.0], [2.0]])
    tags = ["a|b", "b", "a|c"]
    model = TransformedTargetClassifier(
        KNeighborsClassifier(n_neighbors=1), transformer=MultiLabelEncoder(sep="|")
    ).fit(X, tags)
    # the same label sets written in another order are the same sets
    assert model.score(X, ["b|a", "b", "c|a"]) == 1.0
    assert model.score(X, ["a", "b", "a|c"]) == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    "sep, y, expected",
    [
        ("|", ["a|b", "b", ""], ["a|b", "b", ""]),
        (
            None,
            [("a", "b"), ("b", "c"), ("a", "c")],
            [("a", "b"), ("b", "c"), ("a", "c")],
        ),
        (None, [("a",), (), ("a", "b")], [("a",), (), ("a", "b")]),
    ],
)
def test_transformed_target_classifier_predicts_label_sets_as_1d_array(
    sep, y, expected
):
    X = np.arange(len(y), dtype=float).reshape(-1, 1)
    model = TransformedTargetClassifier(
        KNeighborsClassifier(n_neighbors=1), transformer=MultiLabelEncoder(sep=sep)
    )
    pred = model.fit(X, y).predict(X)
    assert isinstance(pred, np.ndarray)
    assert pred.shape == (len(y),) and pred.dtype == object
    assert pred.tolist() == expected
    assert_array_equal(
        model.transformer_.transform(pred), model.transformer_.transform(y)
    )


def test_make_encoded_scorer_refuses_estimator_without_transformer(texts):
    text, tags = texts
    model = make_pipeline(TfidfVectorizer(), KNeighborsClassifier()).fit(text, tags)
    with pytest.raises(
        TypeError, match=r"fitted TransformedTargetClassifier .*got Pipeline"
    ):
        make_encoded_scorer("f1_micro")(model, text, tags)


@pytest.mark.parametrize(
    "args, kwargs, error, match",
    [
        (("f1_micro",), {"average": "macro"}, TypeError, r"keywords \['average'\]"),
        (("f1_micro",), {"response_method": "predict_proba"}, TypeError, "only for a"),
        ((f1_score,), {"response_method": "proba"}, ValueError, r"got 'proba'"),
        ((5,), {}, TypeError, r"scoring must be .*got 5"),
        (("no_such_metric",), {}, ValueError, "no_such_metric"),
    ],
)
def test_make_encoded_scorer_invalid_arguments_raise(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        make_encoded_scorer(*args, **kwargs)


@pytest.mark.parametrize("transformer", ["onehot", "label"])
@pytest.mark.parametrize(
    "scoring", ["accuracy", "f1_macro", "roc_auc_ovr", "neg_log_loss"]
)
def test_make_encoded_scorer_single_label_agrees_with_plain_scoring(
    transformer, scoring
):
    X, y = load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    model = (
        TransformedTargetClassifier(Ridge(), transformer=OneHotLabelEncoder())
        if transformer == "onehot"
        else TransformedTargetClassifier(LogisticRegression(max_iter=500))
    )
    cv = KFold(3, shuffle=True, random_state=0)
    encoded = cross_val_score(
        model, X, names, scoring=make_encoded_scorer(scoring), cv=cv
    )
    plain = cross_val_score(model, X, names, scoring=scoring, cv=cv)
    assert_allclose(encoded, plain)


def test_make_encoded_scorer_sample_weight_through_metadata_routing(texts):
    text, tags = texts
    weights = np.linspace(0.1, 1, len(tags))
    cv = KFold(3, shuffle=True, random_state=0)
    with config_context(enable_metadata_routing=True):
        scorer = make_encoded_scorer("f1_micro")
        assert scorer.set_score_request(sample_weight=True) is scorer
        model = TransformedTargetClassifier(
            BinaryRelevance(
                make_pipeline(
                    TfidfVectorizer(),
                    LogisticRegression().set_fit_request(sample_weight=False),
                )
            ),
            transformer=MultiLabelEncoder(sep="|"),
        )
        scores = cross_validate(
            model,
            text,
            tags,
            scoring=scorer,
            cv=cv,
            params={"sample_weight": weights},
        )["test_score"]
    expected = []
    for train, test in cv.split(text):
        fitted = _tag_model().fit(text[train], tags[train])
        encoder = fitted.transformer_
        expected.append(
            f1_score(
                encoder.transform(tags[test]),
                encoder.transform(fitted.predict(text[test])),
                average="micro",
                sample_weight=weights[test],
            )
        )
    assert_allclose(scores, expected)


def test_make_encoded_scorer_roc_auc_without_decision_function():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 2))
    first = np.where(X[:, 0] > 0, "a", "b")
    second = np.where(X[:, 1] > 0, "c", "d")
    tags = np.char.add(np.char.add(first, "|"), second).astype(object)
    model = TransformedTargetClassifier(
        KNeighborsClassifier(n_neighbors=7), transformer=MultiLabelEncoder(sep="|")
    ).fit(X[:60], tags[:60])
    assert not hasattr(model, "decision_function")
    expected = roc_auc_score(
        model.transformer_.transform(tags[60:]), model.predict_proba(X[60:])
    )
    scorer = make_encoded_scorer("roc_auc")
    assert scorer(model, X[60:], tags[60:]) == pytest.approx(expected)


def test_transformed_target_classifier_single_tag_predict_proba_has_one_column():
    X = np.arange(6, dtype=float).reshape(-1, 1)
    tags = ["a", "", "a", "", "a", ""]
    model = TransformedTargetClassifier(
        KNeighborsClassifier(n_neighbors=1), transformer=MultiLabelEncoder(sep="|")
    )
    with pytest.warns(DataConversionWarning):  # the (n, 1) indicator, raveled
        model.fit(X, tags)
    assert_array_equal(model.predict_proba(X), [[1], [0], [1], [0], [1], [0]])
    assert make_encoded_scorer("roc_auc")(model, X, tags) == 1.0
