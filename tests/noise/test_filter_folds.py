"""Folds of ConfidentLearningFilter / ConfidentLearningClassifier: repeatable
defaults, random_state, groups, sample weights, iterables of splits and
metadata routing."""

import numpy as np
import pytest
import sklearn
from imblearn.pipeline import Pipeline
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    GroupKFold,
    KFold,
    StratifiedKFold,
    cross_val_predict,
)
from sklearn.neighbors import KNeighborsClassifier
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.estimator_checks import check_fit_idempotent

from sklabels.datasets import make_noisy_labels
from sklabels.noise import ConfidentLearningClassifier, ConfidentLearningFilter


def _manual_oof(estimator, X, y, splits, weight=None):
    """Out-of-fold probabilities fitted fold by fold, the reference."""
    pred_probs = np.zeros((len(y), 3))
    for train, test in splits:
        params = {} if weight is None else {"sample_weight": weight[train]}
        model = clone(estimator).fit(X[train], y[train], **params)
        pred_probs[test] = model.predict_proba(X[test])
    return pred_probs


# --------------------------------------------------------------------------
# repeatable defaults and random_state
# --------------------------------------------------------------------------


def test_confident_learning_filter_default_fits_agree(noisy):
    X, y, _, _ = noisy
    first = ConfidentLearningFilter().fit(X, y)
    np.random.seed(1)  # the global state plays no part
    second = ConfidentLearningFilter().fit(X, y)
    assert_array_equal(first.pred_probs_, second.pred_probs_)
    assert_array_equal(first.label_issues_, second.label_issues_)
    expected = cross_val_predict(
        LogisticRegression(max_iter=1000),
        X,
        y,
        cv=StratifiedKFold(5),
        method="predict_proba",
    )
    assert_array_equal(first.pred_probs_, expected)  # scikit-learn's cv=5


def test_confident_learning_classifier_default_fits_agree(noisy):
    X, y, _, _ = noisy
    clf = ConfidentLearningClassifier(LogisticRegression())
    first = clf.fit(X, y).predict_proba(X)
    np.random.seed(2)
    refit = clone(clf).fit(X, y)
    assert_array_equal(refit.predict_proba(X), first)
    assert_array_equal(refit.label_issues_, clf.label_issues_)


def test_confident_learning_classifier_fit_idempotent():
    # scikit-learn's check, with the default (unseeded) nested filter
    check_fit_idempotent(
        "ConfidentLearningClassifier",
        ConfidentLearningClassifier(LogisticRegression(max_iter=200)),
    )
    check_fit_idempotent(
        "ConfidentLearningClassifier",
        ConfidentLearningClassifier(
            LogisticRegression(max_iter=200), filter=ConfidentLearningFilter(cv=3)
        ),
    )


def test_confident_learning_classifier_grid_search_repeatable(noisy):
    X, y, _, _ = noisy
    search = GridSearchCV(
        ConfidentLearningClassifier(LogisticRegression()),
        {"estimator__C": [0.1, 1.0], "filter": [None, ConfidentLearningFilter(cv=3)]},
        cv=3,
    )
    first = clone(search).fit(X, y)
    np.random.seed(3)
    second = clone(search).fit(X, y)
    assert first.best_score_ == second.best_score_
    assert_array_equal(
        first.cv_results_["mean_test_score"], second.cv_results_["mean_test_score"]
    )


def test_confident_learning_classifier_random_state_seeds_the_filter(noisy):
    X, y, _, _ = noisy
    base = LogisticRegression()
    a = ConfidentLearningClassifier(base, random_state=0).fit(X, y)
    b = ConfidentLearningClassifier(base, random_state=0).fit(X, y)
    c = ConfidentLearningClassifier(base, random_state=1).fit(X, y)
    assert a.filter_.random_state == 0
    assert_array_equal(a.filter_.pred_probs_, b.filter_.pred_probs_)
    assert not np.array_equal(a.filter_.pred_probs_, c.filter_.pred_probs_)
    seeded = ConfidentLearningFilter(base, random_state=0).fit(X, y)
    assert_array_equal(a.filter_.pred_probs_, seeded.pred_probs_)
    # a given filter with random_state=None is seeded; its own seed is kept
    given = ConfidentLearningClassifier(
        base, filter=ConfidentLearningFilter(base), random_state=1
    ).fit(X, y)
    assert given.filter_.random_state == 1
    assert_array_equal(given.filter_.pred_probs_, c.filter_.pred_probs_)
    own = ConfidentLearningClassifier(
        base, filter=ConfidentLearningFilter(base, random_state=0), random_state=1
    ).fit(X, y)
    assert own.filter_.random_state == 0
    assert own.filter.random_state == 0  # the parameter is left alone
    unseeded = ConfidentLearningClassifier(base, filter=ConfidentLearningFilter(base))
    assert unseeded.fit(X, y).filter_.random_state is None


def test_confident_learning_filter_random_state_ints_give_different_folds(noisy):
    X, y, _, _ = noisy
    fits = [ConfidentLearningFilter(random_state=seed).fit(X, y) for seed in (0, 1)]
    assert not np.array_equal(fits[0].pred_probs_, fits[1].pred_probs_)
    unshuffled = ConfidentLearningFilter().fit(X, y)
    assert not np.array_equal(fits[0].pred_probs_, unshuffled.pred_probs_)


def test_confident_learning_classifier_invalid_random_state(noisy):
    X, y, _, _ = noisy
    clf = ConfidentLearningClassifier(LogisticRegression(), random_state="zero")
    with pytest.raises(InvalidParameterError, match="'random_state' parameter"):
        clf.fit(X, y)


# --------------------------------------------------------------------------
# groups
# --------------------------------------------------------------------------


def test_confident_learning_filter_groups_reach_the_splitter(noisy):
    X, y, groups, _ = noisy
    flt = ConfidentLearningFilter(cv=GroupKFold(4)).fit(X, y, groups=groups)
    splits = list(GroupKFold(4).split(X, y, groups))
    assert_allclose(
        flt.pred_probs_, _manual_oof(LogisticRegression(max_iter=1000), X, y, splits)
    )
    for _, test in splits:  # each group is held out in one fold, whole
        assert np.isin(groups, groups[test]).sum() == test.size


def test_confident_learning_filter_groups_prevent_leakage():
    """Each group is two copies of one row with one (sometimes wrong) label.

    With shuffled row-wise folds a 1-nearest-neighbour model mostly learns
    each wrong label from the copy in training, so few issues are found; with
    group folds the copies are held out together and most are found.
    """
    X, y = make_classification(
        n_samples=150,
        n_features=4,
        n_informative=4,
        n_redundant=0,
        n_classes=3,
        class_sep=3.0,
        random_state=1,
    )
    y_noisy, flipped = make_noisy_labels(y, noise_rate=0.2, random_state=1)
    X2, y2 = np.repeat(X, 2, axis=0), np.repeat(y_noisy, 2)
    groups, flipped2 = np.repeat(np.arange(150), 2), np.repeat(flipped, 2)
    knn = KNeighborsClassifier(n_neighbors=1)
    leaky = ConfidentLearningFilter(knn, cv=KFold(5, shuffle=True, random_state=0))
    leaky.fit(X2, y2)
    grouped = ConfidentLearningFilter(knn, cv=GroupKFold(5))
    grouped.fit(X2, y2, groups=groups)
    found_leaky = leaky.label_issues_[flipped2].mean()
    found_grouped = grouped.label_issues_[flipped2].mean()
    assert found_leaky < 0.3 < 0.8 < found_grouped


def test_confident_learning_filter_groups_with_an_int_cv_are_refused(noisy):
    X, y, groups, _ = noisy
    with pytest.raises(ValueError, match=r"groups were given but cv=5 .*GroupKFold"):
        ConfidentLearningFilter().fit_resample(X, y, groups=groups)
    with pytest.raises(ValueError, match=r"groups were given but cv=None"):
        ConfidentLearningFilter(cv=None).fit_resample(X, y, groups=groups)


def test_confident_learning_filter_groups_borrowing_warns(noisy):
    X, y, _, _ = noisy
    y = y.copy()
    y[:6] = 3  # class 3 lives in group 0 only: its training folds lack it
    groups = np.repeat(np.arange(40), 6)
    with pytest.warns(UserWarning, match=r"lack class\(es\) \[3\].*its group"):
        ConfidentLearningFilter(cv=GroupKFold(4)).fit(X, y, groups=groups)


# --------------------------------------------------------------------------
# sample_weight
# --------------------------------------------------------------------------


def test_confident_learning_filter_sample_weight_reaches_the_fold_models(noisy):
    X, y, _, weight = noisy
    flt = ConfidentLearningFilter().fit(X, y, sample_weight=weight)
    splits = list(StratifiedKFold(5).split(X, y))
    estimator = LogisticRegression(max_iter=1000)
    assert_allclose(flt.pred_probs_, _manual_oof(estimator, X, y, splits, weight))
    unweighted = ConfidentLearningFilter().fit(X, y)
    assert not np.allclose(flt.pred_probs_, unweighted.pred_probs_)


def test_confident_learning_filter_sample_weight_needs_an_estimator_taking_it(noisy):
    X, y, _, weight = noisy
    flt = ConfidentLearningFilter(KNeighborsClassifier())
    with pytest.raises(TypeError, match=r"estimator=KNeighborsClassifier\(\) takes no"):
        flt.fit_resample(X, y, sample_weight=weight)
    with pytest.raises(ValueError, match=r"sample_weight.shape == \(239,\)"):
        ConfidentLearningFilter().fit_resample(X, y, sample_weight=weight[:-1])


def test_confident_learning_filter_unknown_fit_parameter(noisy):
    X, y, _, _ = noisy
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['w'\]"):
        ConfidentLearningFilter().fit_resample(X, y, w=1)


# --------------------------------------------------------------------------
# iterables of splits
# --------------------------------------------------------------------------


def test_confident_learning_filter_accepts_an_iterable_of_splits(noisy):
    X, y, _, _ = noisy
    splits = list(KFold(4).split(X))
    flt = ConfidentLearningFilter(cv=splits).fit(X, y)
    assert flt.n_splits_ == 4
    assert_array_equal(
        flt.pred_probs_, ConfidentLearningFilter(cv=KFold(4)).fit(X, y).pred_probs_
    )
    # and again: the list is not used up
    assert_array_equal(
        ConfidentLearningFilter(cv=splits).fit(X, y).pred_probs_, flt.pred_probs_
    )
    overlapping = [
        (np.arange(100, 240), np.arange(0, 120)),
        (np.arange(0, 100), np.arange(100, 240)),
    ]
    with pytest.raises(ValueError, match=r"miss 0 row\(s\) and repeat 20"):
        ConfidentLearningFilter(cv=overlapping).fit(X, y)


# --------------------------------------------------------------------------
# metadata routing, pipelines, the classifier
# --------------------------------------------------------------------------


def test_confident_learning_filter_metadata_routing(noisy):
    X, y, groups, weight = noisy
    expected = ConfidentLearningFilter(cv=GroupKFold(4)).fit(
        X, y, groups=groups, sample_weight=weight
    )
    with sklearn.config_context(enable_metadata_routing=True):
        estimator = LogisticRegression(max_iter=1000).set_fit_request(
            sample_weight=True
        )
        flt = ConfidentLearningFilter(estimator, cv=GroupKFold(4))
        flt.fit_resample(X, y, groups=groups, sample_weight=weight)
        assert_array_equal(flt.pred_probs_, expected.pred_probs_)
        # an int cv (StratifiedKFold) does not take groups
        with pytest.raises(TypeError, match="groups"):
            ConfidentLearningFilter(estimator).fit_resample(X, y, groups=groups)


def test_confident_learning_filter_imblearn_pipeline_routes_metadata(noisy):
    X, y, groups, weight = noisy
    expected = ConfidentLearningFilter(cv=GroupKFold(4)).fit(
        X, y, groups=groups, sample_weight=weight
    )
    with sklearn.config_context(enable_metadata_routing=True):
        weighted = LogisticRegression(max_iter=1000).set_fit_request(sample_weight=True)
        pipe = Pipeline(
            [
                ("clean", ConfidentLearningFilter(weighted, cv=GroupKFold(4))),
                ("model", LogisticRegression().set_fit_request(sample_weight=False)),
            ]
        ).fit(X, y, groups=groups, sample_weight=weight)
    clean = pipe.named_steps["clean"]
    assert_array_equal(clean.pred_probs_, expected.pred_probs_)
    kept = ~clean.label_issues_
    reference = LogisticRegression().fit(X[kept], y[kept])
    assert_allclose(pipe.named_steps["model"].coef_, reference.coef_)


def test_confident_learning_filter_imblearn_pipeline_without_routing(noisy):
    # without routing imbalanced-learn passes no metadata to a sampler: a
    # group splitter then fails loudly rather than mixing the groups
    X, y, groups, _ = noisy
    pipe = Pipeline(
        [
            ("clean", ConfidentLearningFilter(cv=GroupKFold(4))),
            ("model", LogisticRegression()),
        ]
    )
    with pytest.raises(ValueError, match="'groups' parameter should not be None"):
        pipe.fit(X, y, clean__groups=groups)


def test_confident_learning_classifier_passes_groups_and_weights_on(noisy):
    X, y, groups, weight = noisy
    flt = ConfidentLearningFilter(cv=GroupKFold(4))
    clf = ConfidentLearningClassifier(LogisticRegression(), filter=flt)
    clf.fit(X, y, sample_weight=weight, groups=groups)
    expected = clone(flt).fit(X, y, groups=groups, sample_weight=weight)
    assert_array_equal(clf.filter_.pred_probs_, expected.pred_probs_)
    kept = ~clf.label_issues_
    reference = LogisticRegression().fit(X[kept], y[kept], sample_weight=weight[kept])
    assert_allclose(clf.estimator_.coef_, reference.coef_)
    # the weights change the filter's fold models too
    unweighted = clone(flt).fit(X, y, groups=groups)
    assert not np.allclose(clf.filter_.pred_probs_, unweighted.pred_probs_)


def test_confident_learning_classifier_routes_groups_and_weights(noisy):
    X, y, groups, weight = noisy
    expected = ConfidentLearningClassifier(
        LogisticRegression(), filter=ConfidentLearningFilter(cv=GroupKFold(4))
    ).fit(X, y, sample_weight=weight, groups=groups)
    with sklearn.config_context(enable_metadata_routing=True):
        estimator = LogisticRegression().set_fit_request(sample_weight=True)
        clf = ConfidentLearningClassifier(
            estimator,
            filter=ConfidentLearningFilter(
                LogisticRegression(max_iter=1000).set_fit_request(sample_weight=True),
                cv=GroupKFold(4),
            ),
        ).fit(X, y, sample_weight=weight, groups=groups)
    assert_array_equal(clf.filter_.pred_probs_, expected.filter_.pred_probs_)
    assert_allclose(clf.estimator_.coef_, expected.estimator_.coef_)
