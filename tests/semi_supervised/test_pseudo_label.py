import pickle

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_digits, load_iris, make_moons
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    StratifiedKFold,
    cross_val_score,
    train_test_split,
)
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import SelfTrainingClassifier
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from sklabels.semi_supervised import (
    LabeledKFold,
    PseudoLabelClassifier,
    make_labeled_scorer,
)
from sklabels.semi_supervised._pseudo_label import (
    _apply_temperature,
    _fit_temperature,
    _rank_in_class,
    _select_class_balanced,
    _select_k_best,
    cap_to_prior,
)
from sklabels.semi_supervised._validation import unlabeled_mask

# -- data --------------------------------------------------------------------


@pytest.fixture(scope="module")
def digits_split():
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    scaler = StandardScaler().fit(X_train)
    labeled, _ = train_test_split(
        np.arange(y_train.size), train_size=0.1, stratify=y_train, random_state=0
    )
    y_partial = np.full_like(y_train, -1)
    y_partial[labeled] = y_train[labeled]
    return (
        scaler.transform(X_train),
        y_partial,
        scaler.transform(X_test),
        y_test,
        y_train,
    )


def _lr():
    return LogisticRegression(max_iter=1000)


_FITS = []


class RecordingLogisticRegression(LogisticRegression):
    """Logistic regression that records the training sets it is fitted on."""

    def fit(self, X, y, sample_weight=None):
        _FITS.append((np.asarray(X).copy(), np.asarray(y).copy(), sample_weight))
        return super().fit(X, y, sample_weight=sample_weight)


@pytest.fixture
def fits():
    _FITS.clear()
    yield _FITS
    _FITS.clear()


# -- fully labeled data ----------------------------------------------------------


@pytest.mark.parametrize(
    "estimator",
    [
        LogisticRegression(max_iter=500),
        CalibratedClassifierCV(SVC(), ensemble=False),
        DecisionTreeClassifier(random_state=0),
        make_pipeline(StandardScaler(), LogisticRegression()),
    ],
    ids=["LR", "SVC", "tree", "pipeline"],
)
def test_pseudo_label_fully_labeled_reproduces_base_exactly(estimator, iris_partial):
    X, y, _ = iris_partial
    weights = np.random.RandomState(0).uniform(0.5, 2, size=y.size)
    for sample_weight in (None, weights):
        kwargs = {} if sample_weight is None else {"sample_weight": sample_weight}
        if sample_weight is not None and hasattr(estimator, "steps"):
            continue  # Pipeline.fit takes step__sample_weight: checked below
        base = clone(estimator).fit(X, y, **kwargs)
        ours = PseudoLabelClassifier(estimator).fit(X, y, **kwargs)
        assert_array_equal(ours.predict(X), base.predict(X))
        assert_array_equal(ours.predict_proba(X), base.predict_proba(X))
        assert ours.n_iter_ == 1
        assert ours.termination_condition_ == "all_labeled"
        assert_array_equal(ours.transduction_, y)
        assert_array_equal(ours.labeled_iter_, np.zeros(y.size))


def test_pseudo_label_fully_labeled_pipeline_with_sample_weight(iris_partial):
    X, y, _ = iris_partial
    weights = np.linspace(0.5, 2, y.size)
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    base = clone(pipe).fit(X, y, logisticregression__sample_weight=weights)
    ours = PseudoLabelClassifier(pipe).fit(X, y, sample_weight=weights)
    assert_array_equal(ours.predict_proba(X), base.predict_proba(X))


def test_pseudo_label_max_iter_1_is_the_supervised_model(iris_partial):
    X, _, y_partial = iris_partial
    labeled = y_partial != -1
    base = _lr().fit(X[labeled], y_partial[labeled])
    ours = PseudoLabelClassifier(_lr(), max_iter=1).fit(X, y_partial)
    assert_allclose(ours.predict_proba(X), base.predict_proba(X))
    assert ours.n_iter_ == 1
    assert ours.termination_condition_ == "max_iter"
    assert (ours.labeled_iter_[~labeled] == -1).all()


# -- bad input ---------------------------------------------------------------


def test_pseudo_label_all_rows_unlabeled_raises():
    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match="no labeled row: all 4 rows"):
        PseudoLabelClassifier(_lr()).fit(X, [-1, -1, -1, -1])
    with pytest.raises(ValueError, match="no labeled row"):
        PseudoLabelClassifier(_lr()).fit(X, [None] * 4)


def test_pseudo_label_one_labeled_class_raises():
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match=r"one class only \(1\)"):
        PseudoLabelClassifier(_lr()).fit(X, [1, 1, -1, -1])
    with pytest.raises(ValueError, match="set unlabeled=-2"):
        PseudoLabelClassifier(_lr()).fit(X, [-2] * 4)


def test_pseudo_label_estimator_without_predict_proba_raises_type_error():
    X, y = np.arange(8.0).reshape(4, 2), np.array([0, 1, -1, -1])
    with pytest.raises(TypeError, match=r"predict_proba.*SVC\(\) has none"):
        PseudoLabelClassifier(SVC()).fit(X, y)


@pytest.mark.parametrize("threshold", [0, -0.1, 1.5])
def test_pseudo_label_threshold_outside_range_raises(threshold):
    X, y = np.arange(8.0).reshape(4, 2), np.array([0, 1, -1, -1])
    with pytest.raises(ValueError, match=r"'threshold'.*\(0.0, 1.0\]"):
        PseudoLabelClassifier(_lr(), threshold=threshold).fit(X, y)


def test_pseudo_label_threshold_one_is_allowed(iris_partial):
    X, _, y_partial = iris_partial
    clf = PseudoLabelClassifier(_lr(), threshold=1.0, calibration=None)
    assert clf.fit(X, y_partial).termination_condition_ == "none_selected"


def test_pseudo_label_k_best_below_one_raises():
    X, y = np.arange(8.0).reshape(4, 2), np.array([0, 1, -1, -1])
    with pytest.raises(ValueError, match=r"'k_best'.*range \[1, inf\). Got 0"):
        PseudoLabelClassifier(_lr(), k_best=0).fit(X, y)


@pytest.mark.parametrize("weight", [(1.0,), (0.0, 3), (1.0, 0), ("a", 2), (1.0, 2.5)])
def test_pseudo_label_bad_weight_schedule_raises(weight):
    X, y = np.arange(8.0).reshape(4, 2), np.array([0, 1, -1, -1])
    with pytest.raises(ValueError, match="pseudo_label_weight must be"):
        PseudoLabelClassifier(_lr(), pseudo_label_weight=weight).fit(X, y)


def test_pseudo_label_weight_needs_sample_weight_support(iris_partial):
    X, _, y_partial = iris_partial
    knn = KNeighborsClassifier(3)
    PseudoLabelClassifier(knn).fit(X, y_partial)  # weight 1: no sample_weight
    with pytest.raises(
        TypeError,
        match=r"KNeighborsClassifier\.fit does not accept sample_weight, but "
        r"pseudo_label_weight=0\.5 .* set pseudo_label_weight=1\.0",
    ):
        PseudoLabelClassifier(knn, pseudo_label_weight=0.5).fit(X, y_partial)
    with pytest.raises(TypeError, match=r"pseudo_label_weight=\(1\.0, 3\)"):
        PseudoLabelClassifier(knn, pseudo_label_weight=(1.0, 3)).fit(X, y_partial)
    with pytest.raises(
        TypeError, match=r"sample_weight was passed to fit\. Either fit without"
    ):
        PseudoLabelClassifier(knn).fit(X, y_partial, sample_weight=np.ones(150))


def test_pseudo_label_without_sample_weight_support_on_fully_labeled_y(iris_partial):
    X, y, y_partial = iris_partial
    knn = KNeighborsClassifier(3)
    # every cross-validation fold without unlabeled rows takes this path
    for weight in (1.0, 0.5):
        clf = PseudoLabelClassifier(knn, pseudo_label_weight=weight).fit(X, y)
        assert clf.termination_condition_ == "all_labeled"
        assert_array_equal(clf.predict(X), clone(knn).fit(X, y).predict(X))
    with pytest.raises(TypeError, match="sample_weight was passed to fit"):
        PseudoLabelClassifier(knn).fit(X, y, sample_weight=np.ones(150))
    # partly labeled, weight 1: pseudo-labelled fits pass no sample_weight
    clf = PseudoLabelClassifier(knn, pseudo_label_weight=1.0).fit(X, y_partial)
    assert (clf.labeled_iter_ > 0).any()
    assert cross_val_score(clf, X, y, cv=3).mean() > 0.8


def test_pseudo_label_continuous_y_raises():
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        PseudoLabelClassifier(_lr()).fit(X, [0.5, 1.2, 3.3, -1])


def test_pseudo_label_inconsistent_lengths_raise():
    with pytest.raises(ValueError, match="X has 5 rows but y has 3 labels"):
        PseudoLabelClassifier(_lr()).fit(np.zeros((5, 2)), [0, 1, -1])


@pytest.mark.parametrize(
    "X, shown",
    [
        ("abc", "str 'abc'"),
        (3.5, "float 3.5"),
        (None, "NoneType None"),
        (np.array(2.0), r"ndarray array\(2\.\)"),
        ({"a": [1, 2, 3]}, "dict"),
    ],
)
def test_pseudo_label_x_type_checked_before_length(X, shown):
    with pytest.raises(TypeError, match=f"X must be an array-like .* got {shown}"):
        PseudoLabelClassifier(_lr()).fit(X, [0, 1, -1])


def test_pseudo_label_score_checks_x_and_lengths(iris_partial):
    X, y, y_partial = iris_partial
    clf = PseudoLabelClassifier(_lr(), max_iter=2).fit(X, y_partial)
    with pytest.raises(TypeError, match=r"X must be an array-like .* got str 'abc'"):
        clf.score("abc", y[:3])
    with pytest.raises(ValueError, match="X has 150 rows but y has 100 labels"):
        clf.score(X, y[:100])


class NaNProbaLogisticRegression(LogisticRegression):
    """Logistic regression whose probabilities are NaN on every 7th row."""

    def predict_proba(self, X):
        proba = super().predict_proba(X)
        proba[::7] = np.nan
        return proba


@pytest.mark.parametrize("calibration", ["temperature", None])
def test_pseudo_label_refuses_nan_probabilities(calibration, iris_partial):
    X, _, y_partial = iris_partial
    clf = PseudoLabelClassifier(NaNProbaLogisticRegression(), calibration=calibration)
    with pytest.raises(
        ValueError,
        match=r"NaNProbaLogisticRegression\.predict_proba returned NaN or infinite "
        r"probabilities for \d+ of \d+ rows \(first: row \d+ of X, \[nan, nan, nan\]\)",
    ):
        clf.fit(X, y_partial)


def test_pseudo_label_single_row_class_warns_and_skips_calibration():
    X, y = load_iris(return_X_y=True)
    y_partial = np.full_like(y, -1)
    y_partial[[0, 1, 2, 50, 51, 52, 100]] = y[[0, 1, 2, 50, 51, 52, 100]]
    clf = PseudoLabelClassifier(_lr())
    with pytest.warns(UserWarning, match=r"single row.*LabeledKFold"):
        clf.fit(X, y_partial)
    assert clf.temperature_ == 1.0


# -- labels ------------------------------------------------------------------


def test_pseudo_label_string_labels_with_none_and_nan(iris_partial):
    X, y, y_partial = iris_partial
    names = np.array(["setosa", "versicolor", "virginica"], dtype=object)
    reference = PseudoLabelClassifier(_lr(), random_state=0).fit(X, y_partial)
    for marker in (None, np.nan):
        y_str = names[y].copy()
        y_str[y_partial == -1] = marker
        clf = PseudoLabelClassifier(_lr(), random_state=0).fit(X, list(y_str))
        assert_array_equal(clf.classes_, names)
        assert_array_equal(clf.predict(X), names[reference.predict(X)])
        pseudo = clf.labeled_iter_ > 0
        assert_array_equal(
            clf.transduction_[pseudo], names[reference.transduction_][pseudo]
        )
        unlabeled = clf.labeled_iter_ == -1
        assert pd.isna(clf.transduction_[unlabeled]).all()


def test_pseudo_label_string_marker_and_nullable_integers(iris_partial):
    X, y, y_partial = iris_partial
    reference = PseudoLabelClassifier(_lr(), random_state=0).fit(X, y_partial)
    y_str = np.where(y_partial == -1, "?", np.array(["a", "b", "c"])[y])
    clf = PseudoLabelClassifier(_lr(), unlabeled="?", random_state=0).fit(X, y_str)
    assert_array_equal(clf.classes_, ["a", "b", "c"])
    assert_array_equal(clf.transduction_ == "?", reference.transduction_ == -1)
    y_na = pd.Series(pd.array(np.where(y_partial == -1, None, y), dtype="Int64"))
    clf = PseudoLabelClassifier(_lr(), random_state=0).fit(X, y_na)
    assert_array_equal(clf.predict(X), reference.predict(X))


def test_unlabeled_mask_matches_markers_of_the_same_kind_only():
    values = np.array(["a", "-1", "b"])
    assert_array_equal(unlabeled_mask(values, np.zeros(3, bool), -1), [0, 0, 0])
    assert_array_equal(unlabeled_mask(values, np.zeros(3, bool), "-1"), [0, 1, 0])
    floats = np.array([0.0, -1.0, np.nan])
    assert_array_equal(unlabeled_mask(floats, np.isnan(floats), -1), [0, 1, 1])
    assert_array_equal(unlabeled_mask(floats, np.isnan(floats), None), [0, 0, 1])
    objects = np.array([1, None, -1], dtype=object)
    missing = np.array([False, True, False])
    assert_array_equal(unlabeled_mask(objects, missing, -1), [0, 1, 1])


# -- kernels -----------------------------------------------------------------


def test_rank_in_class_orders_by_confidence_within_each_class():
    conf = np.array([0.9, 0.8, 0.95, 0.7, 0.99, 0.6])
    pred = np.array([0, 0, 1, 0, 1, 1])
    mask = np.array([True, True, True, True, True, False])
    rank = _rank_in_class(mask, conf, pred)
    assert_array_equal(rank[:5], [0, 1, 1, 2, 0])
    assert rank[5] > 1000


def test_cap_to_prior_keeps_each_class_to_its_share():
    conf = np.array([0.99, 0.98, 0.97, 0.96, 0.95, 0.94])
    pred = np.array([0, 0, 0, 0, 0, 1])
    selected = np.ones(6, dtype=bool)
    # prior 0.5 / 0.5: class 0 keeps ceil(0.5 * 6) = 3 rows, class 1 its one
    kept = cap_to_prior(selected, conf, pred, np.array([0.5, 0.5]))
    assert_array_equal(kept, [1, 1, 1, 0, 0, 1])
    # rows already kept (freeze) stay and count towards their class
    frozen = np.array([0, 0, 0, 0, 1, 0], dtype=bool)
    kept = cap_to_prior(selected, conf, pred, np.array([0.5, 0.5]), kept=frozen)
    assert_array_equal(kept, [1, 1, 0, 0, 1, 1])


def test_select_k_best_and_class_balanced():
    conf = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2])
    pred = np.array([0, 0, 0, 0, 0, 1, 1, 1])
    everyone = np.ones(8, dtype=bool)
    top = _select_k_best(everyone, conf, pred, threshold=1, budget=3, prior=None)
    assert_array_equal(np.flatnonzero(top), [0, 1, 2])
    prior = np.array([0.5, 0.5])
    balanced = _select_class_balanced(
        everyone, conf, pred, threshold=1, budget=4, prior=prior
    )
    assert_array_equal(np.flatnonzero(balanced), [0, 1, 5, 6])
    # a class with a small prior still gets one row per round
    balanced = _select_class_balanced(
        everyone, conf, pred, threshold=1, budget=4, prior=np.array([0.9, 0.1])
    )
    assert_array_equal(np.flatnonzero(balanced), [0, 1, 2, 3, 5])


def test_temperature_sharpens_underconfident_and_softens_overconfident():
    rng = np.random.RandomState(0)
    codes = rng.randint(0, 3, 200)
    right = np.full((200, 3), 0.25)
    right[np.arange(200), codes] = 0.5  # always right, but timid
    assert _fit_temperature(right, codes, None) < 0.5
    wrong = np.full((200, 3), 0.01)
    wrong[np.arange(200), (codes + rng.randint(0, 2, 200)) % 3] = 0.98
    assert _fit_temperature(wrong, codes, None) > 2  # half wrong, yet sure
    assert_allclose(_apply_temperature(right, 1.0), right)
    assert_allclose(_apply_temperature(right, 0.5).sum(axis=1), 1.0)


# -- the rounds --------------------------------------------------------------


def test_pseudo_label_re_evaluation_is_consistent_with_final_model(digits_split):
    X, y_partial, *_ = digits_split
    clf = PseudoLabelClassifier(_lr(), tol=0.0, max_iter=None, random_state=0)
    clf.fit(X, y_partial)
    assert clf.termination_condition_ in ("no_change", "all_labeled")
    pseudo = clf.labeled_iter_ > 0
    assert pseudo.sum() > 100
    # nothing changed in the last round: the final model re-selects exactly
    # the pseudo-labels it was trained on
    assert_array_equal(clf.estimator_.predict(X[pseudo]), clf.transduction_[pseudo])
    assert clf.labeled_iter_.max() < clf.n_iter_


def test_pseudo_label_freeze_keeps_every_pseudo_label(fits, iris_partial):
    X, _, y_partial = iris_partial
    clf = PseudoLabelClassifier(
        RecordingLogisticRegression(max_iter=500),
        freeze=True,
        calibration=None,
        threshold=0.6,
        random_state=0,
    ).fit(X, y_partial)
    rounds = fits[-clf.n_iter_ :]  # after the cross-fitting (none here)
    assert len(rounds) == clf.n_iter_ >= 3
    previous = {}
    for X_fit, y_fit, _ in rounds:
        current = {
            row.tobytes(): label for row, label in zip(X_fit, y_fit, strict=True)
        }
        for key, label in previous.items():
            assert current[key] == label
        previous = current


def test_pseudo_label_weight_ramp_and_sample_weight(fits, iris_partial):
    X, _, y_partial = iris_partial
    labeled = y_partial != -1
    weights = np.where(labeled, 2.0, 123.0)  # unlabeled rows' weights unused
    clf = PseudoLabelClassifier(
        RecordingLogisticRegression(max_iter=500),
        pseudo_label_weight=(0.9, 3),
        threshold=0.6,
        calibration=None,
        tol=0.0,
        max_iter=6,
        random_state=0,
    ).fit(X, y_partial, sample_weight=weights)
    assert 5 <= clf.n_iter_ <= 6
    _, _, first = fits[0]
    assert_allclose(first, 2.0)  # the supervised fit: labeled rows only
    seen = []
    for _, _, sample_weight in fits[1:]:
        pseudo_weight = np.unique(sample_weight[sample_weight != 2.0])
        assert pseudo_weight.size == 1
        seen.append(pseudo_weight[0])
    assert_allclose(seen, [0.3, 0.6, 0.9, 0.9, 0.9][: clf.n_iter_ - 1])


def test_pseudo_label_stopping_rules(iris_partial):
    X, _, y_partial = iris_partial
    clf = PseudoLabelClassifier(_lr(), max_iter=2, random_state=0).fit(X, y_partial)
    assert (clf.n_iter_, clf.termination_condition_) == (2, "max_iter")
    assert set(np.unique(clf.labeled_iter_)) <= {-1, 0, 1}
    clf = PseudoLabelClassifier(_lr(), max_iter=None, random_state=0)
    assert clf.fit(X, y_partial).termination_condition_ in ("no_change", "all_labeled")
    clf = PseudoLabelClassifier(
        _lr(), freeze=True, threshold=0.34, calibration=None, balance=False
    )
    assert clf.fit(X, y_partial).termination_condition_ == "all_labeled"
    assert (clf.labeled_iter_ != -1).all()


def test_pseudo_label_chance_level_gate():
    rng = np.random.RandomState(0)
    X, y = rng.randn(200, 5), rng.randint(0, 2, 200)
    y_partial = np.where(rng.rand(200) < 0.2, y, -1)
    clf = PseudoLabelClassifier(_lr(), criterion="k_best", random_state=0)
    clf.fit(X, y_partial)
    assert clf.termination_condition_ == "chance_level"
    assert (clf.labeled_iter_[y_partial == -1] == -1).all()
    assert clf.n_iter_ == 1


def test_pseudo_label_rollback_restores_supervised_model():
    X, y = make_moons(300, noise=0.25, random_state=0)
    y_partial = np.where(np.random.RandomState(0).rand(300) < 0.1, y, -1)
    labeled = y_partial != -1
    clf = PseudoLabelClassifier(_lr(), rollback=True, random_state=0)
    clf.fit(X, y_partial)
    assert clf.termination_condition_ == "rolled_back"
    supervised = _lr().fit(X[labeled], y_partial[labeled])
    assert_allclose(clf.predict_proba(X), supervised.predict_proba(X))
    assert_array_equal(clf.transduction_, y_partial)
    without = PseudoLabelClassifier(_lr(), random_state=0).fit(X, y_partial)
    assert without.termination_condition_ != "rolled_back"


@pytest.mark.parametrize("criterion", ["k_best", "class_balanced"])
def test_pseudo_label_k_best_criteria_grow_by_k_best(criterion, digits_split):
    X, y_partial, *_ = digits_split
    clf = PseudoLabelClassifier(
        _lr(), criterion=criterion, k_best=20, max_iter=4, balance=False
    ).fit(X, y_partial)
    assert clf.termination_condition_ == "max_iter"
    n_pseudo = (clf.labeled_iter_ > 0).sum()
    assert 20 * 3 * 0.9 <= n_pseudo <= 20 * 3 + 10  # quotas round per class
    if criterion == "class_balanced":
        counts = pd.Series(clf.transduction_[clf.labeled_iter_ > 0]).value_counts()
        assert counts.min() >= 1 and counts.max() <= 10


def test_pseudo_label_verbose_prints_rounds(iris_partial, capsys):
    X, _, y_partial = iris_partial
    PseudoLabelClassifier(_lr(), verbose=True, random_state=0).fit(X, y_partial)
    out, err = capsys.readouterr()
    assert out == ""
    assert "[PseudoLabelClassifier] fit 2:" in err
    assert "unlabeled rows pseudo-labelled" in err


# -- the results -------------------------------------------------------------


def test_pseudo_label_beats_supervised_on_digits(digits_split):
    X, y_partial, X_test, y_test, _ = digits_split
    labeled = y_partial != -1
    supervised = _lr().fit(X[labeled], y_partial[labeled]).score(X_test, y_test)
    clf = PseudoLabelClassifier(_lr(), random_state=0).fit(X, y_partial)
    assert clf.score(X_test, y_test) > supervised + 0.01
    pseudo = clf.labeled_iter_ > 0
    assert pseudo.sum() > 0.5 * (~labeled).sum()


def test_pseudo_label_n_jobs_and_random_state(iris_partial):
    X, _, y_partial = iris_partial
    one = PseudoLabelClassifier(_lr(), n_jobs=1, random_state=3).fit(X, y_partial)
    two = PseudoLabelClassifier(_lr(), n_jobs=2, random_state=3).fit(X, y_partial)
    assert one.temperature_ == two.temperature_
    assert_array_equal(one.transduction_, two.transduction_)
    assert_allclose(one.predict_proba(X), two.predict_proba(X))
    again = PseudoLabelClassifier(_lr(), random_state=3).fit(X, y_partial)
    assert_array_equal(again.transduction_, one.transduction_)


def test_pseudo_label_cv_splitter_and_iterable(iris_partial):
    X, _, y_partial = iris_partial
    labeled = np.flatnonzero(y_partial != -1)
    splitter = StratifiedKFold(3, shuffle=True, random_state=0)
    a = PseudoLabelClassifier(_lr(), cv=splitter).fit(X, y_partial)
    folds = list(splitter.split(np.zeros(labeled.size), y_partial[labeled]))
    b = PseudoLabelClassifier(_lr(), cv=folds).fit(X, y_partial)
    assert a.temperature_ == b.temperature_


@pytest.mark.parametrize("container", ["list", "dataframe", "csr", "coo"])
def test_pseudo_label_input_containers(container, iris_partial):
    X, _, y_partial = iris_partial
    reference = PseudoLabelClassifier(_lr(), random_state=0).fit(X, y_partial)
    if container == "list":
        X_in = X.tolist()
    elif container == "dataframe":
        X_in = pd.DataFrame(X, columns=[f"f{i}" for i in range(4)])
    else:
        X_in = getattr(sparse, f"{container}_matrix")(X)
    clf = PseudoLabelClassifier(_lr(), random_state=0).fit(X_in, y_partial)
    assert_array_equal(clf.transduction_, reference.transduction_)
    assert clf.n_features_in_ == 4
    if container == "dataframe":
        assert_array_equal(clf.feature_names_in_, X_in.columns)
        assert_allclose(clf.predict_proba(X_in), reference.predict_proba(X))


def test_pseudo_label_delegated_methods(iris_partial):
    X, _, y_partial = iris_partial
    clf = PseudoLabelClassifier(_lr(), random_state=0)
    assert hasattr(clf, "decision_function") and hasattr(clf, "predict_log_proba")
    clf.fit(X, y_partial)
    assert_allclose(clf.decision_function(X), clf.estimator_.decision_function(X))
    assert_allclose(np.exp(clf.predict_log_proba(X)), clf.predict_proba(X))
    assert not hasattr(PseudoLabelClassifier(GaussianNB()), "decision_function")
    restored = pickle.loads(pickle.dumps(clf))
    assert_array_equal(restored.predict(X), clf.predict(X))


# -- scoring and model selection -------------------------------------------------


def test_pseudo_label_score_ignores_unlabeled_rows(iris_partial):
    X, y, y_partial = iris_partial
    clf = PseudoLabelClassifier(_lr(), random_state=0).fit(X, y_partial)
    labeled = y_partial != -1
    expected = np.mean(clf.predict(X[labeled]) == y[labeled])
    assert clf.score(X, y_partial) == pytest.approx(expected)
    assert clf.score(X.tolist(), y_partial) == pytest.approx(expected)
    # scikit-learn's SelfTrainingClassifier counts -1 as a wrong prediction
    st = SelfTrainingClassifier(_lr()).fit(X, y_partial)
    assert st.score(X, y_partial) < 0.5
    weights = np.where(labeled, 1.0, 0.0)
    assert clf.score(X, y, sample_weight=weights) == pytest.approx(expected)
    with pytest.raises(ValueError, match=r"no labeled row to score.*LabeledKFold"):
        clf.score(X[:3], [-1, -1, -1])


def test_make_labeled_scorer_in_cross_val_score_and_grid_search(iris_partial):
    X, _, y_partial = iris_partial
    clf = PseudoLabelClassifier(_lr(), random_state=0)
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    default = cross_val_score(clf, X, y_partial, cv=cv)
    accuracy = cross_val_score(clf, X, y_partial, cv=cv, scoring=make_labeled_scorer())
    assert_allclose(default, accuracy)
    assert (accuracy > 0.7).all()
    plain = cross_val_score(clf, X, y_partial, cv=cv, scoring="accuracy")
    assert (plain < 0.5).all()  # the -1 rows counted as errors
    search = GridSearchCV(
        clone(clf).set_params(max_iter=3),
        {"threshold": [0.8, 0.95], "criterion": ["threshold", "class_balanced"]},
        scoring=make_labeled_scorer("f1_macro"),
        cv=cv,
    ).fit(X, y_partial)
    assert set(search.best_params_) == {"threshold", "criterion"}
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


def test_make_labeled_scorer_options(iris_partial):
    X, y, y_partial = iris_partial
    clf = PseudoLabelClassifier(_lr(), random_state=0).fit(X, y_partial)
    labeled = y_partial != -1
    scorer = make_labeled_scorer("neg_log_loss")
    from sklearn.metrics import log_loss

    expected = -log_loss(y[labeled], clf.predict_proba(X[labeled]))
    assert scorer(clf, X, y_partial) == pytest.approx(expected)
    names = np.array(["a", "b", "c"], dtype=object)[y]
    names[~labeled] = None
    plain = _lr().fit(X[labeled], names[labeled])  # any classifier works
    assert make_labeled_scorer()(plain, pd.DataFrame(X), names) == pytest.approx(
        np.mean(plain.predict(X[labeled]) == names[labeled])
    )
    weighted = make_labeled_scorer("accuracy")
    value = weighted(clf, X, y_partial, sample_weight=np.ones(y.size))
    assert value == pytest.approx(clf.score(X, y_partial))
    with pytest.warns(UserWarning, match=r"No labeled row to score.*LabeledKFold"):
        assert np.isnan(make_labeled_scorer()(clf, X[:2], [-1, -1]))
    assert "unlabeled=-1" in repr(scorer)
    with pytest.raises(ValueError, match="'scoring' parameter"):
        make_labeled_scorer(3)


def test_pseudo_label_in_pipeline_and_wrapping_pipeline(iris_partial):
    X, y, y_partial = iris_partial
    outer = make_pipeline(
        StandardScaler(), PseudoLabelClassifier(_lr(), random_state=0)
    )
    assert outer.fit(X, y_partial).score(X, y) > 0.8
    inner = PseudoLabelClassifier(
        make_pipeline(StandardScaler(), _lr()),
        pseudo_label_weight=0.5,
        random_state=0,
    )
    assert inner.fit(X, y_partial).score(X, y) > 0.8


def test_pseudo_label_cross_val_score_with_string_marker(iris_partial):
    X, y, y_partial = iris_partial
    y_str = np.where(y_partial == -1, "unlabeled", np.array(["a", "b", "c"])[y])
    clf = PseudoLabelClassifier(_lr(), unlabeled="unlabeled", random_state=0)
    scores = cross_val_score(clf, X, y_str, cv=3)  # stratified on the marker too
    assert (scores > 0.7).all()
    names = np.array(["a", "b", "c"], dtype=object)[y]
    names[y_partial == -1] = None
    scores = cross_val_score(
        PseudoLabelClassifier(_lr(), random_state=0),
        X,
        names,
        cv=KFold(3, shuffle=True, random_state=0),
    )
    assert (scores > 0.7).all()


def test_make_labeled_scorer_checks_lengths(iris_partial):
    X, y, y_partial = iris_partial
    clf = PseudoLabelClassifier(_lr(), max_iter=2).fit(X, y_partial)
    scorer = make_labeled_scorer()
    # y shorter than X: the first rows would be scored against the wrong labels
    with pytest.raises(ValueError, match="X has 150 rows but y has 50 labels"):
        scorer(clf, X, y[:50])
    with pytest.raises(ValueError, match="X has 50 rows but y has 150 labels"):
        scorer(clf, X[:50], y_partial)
    with pytest.raises(TypeError, match=r"X must be an array-like .* got str 'abc'"):
        scorer(clf, "abc", y[:3])


# -- repeatability without a seed ---------------------------------------------------


def _fit_default(X, y_partial, **params):
    return PseudoLabelClassifier(_lr(), **params).fit(X, y_partial)


@pytest.mark.parametrize("params", [{}, {"rollback": True}, {"criterion": "k_best"}])
def test_pseudo_label_default_fits_are_identical(params, digits_split):
    X, y_partial, X_test, _, _ = digits_split
    np.random.seed(1)
    state = np.random.get_state()
    first = _fit_default(X, y_partial, **params)
    # fit draws nothing from numpy's global generator ...
    after = np.random.get_state()
    assert all(np.array_equal(a, b) for a, b in zip(state, after, strict=True))
    # ... and its result does not depend on it
    np.random.seed(2)
    second = _fit_default(X, y_partial, **params)
    assert (first.labeled_iter_ > 0).any()
    assert first.temperature_ == second.temperature_
    assert first.termination_condition_ == second.termination_condition_
    assert_array_equal(first.transduction_, second.transduction_)
    assert_array_equal(first.labeled_iter_, second.labeled_iter_)
    assert_array_equal(first.predict(X_test), second.predict(X_test))
    assert_array_equal(first.predict_proba(X_test), second.predict_proba(X_test))


def test_pseudo_label_clone_refit_is_identical(digits_split):
    X, y_partial, X_test, _, _ = digits_split
    fitted = _fit_default(X, y_partial)
    refit = clone(fitted).fit(X, y_partial)
    assert_array_equal(fitted.transduction_, refit.transduction_)
    assert_array_equal(fitted.predict_proba(X_test), refit.predict_proba(X_test))


def test_pseudo_label_fit_idempotent_without_seed(iris_partial):
    # scikit-learn's check_fit_idempotent sets random_state=0 before each fit;
    # this is the same check with random_state left at None, on partial labels
    X, _, y_partial = iris_partial
    clf = PseudoLabelClassifier(_lr(), rollback=True)
    once = clf.fit(X, y_partial)
    results = {m: getattr(once, m)(X) for m in ("predict", "predict_proba")}
    results["decision_function"] = once.decision_function(X)
    twice = clf.fit(X, y_partial)
    for method, result in results.items():
        assert_array_equal(getattr(twice, method)(X), result)


def test_pseudo_label_grid_search_is_repeatable(iris_partial):
    X, _, y_partial = iris_partial
    grid = {"threshold": [0.8, 0.9, 0.95]}
    scores = []
    for seed in (0, 1):
        np.random.seed(seed)
        search = GridSearchCV(
            PseudoLabelClassifier(_lr(), max_iter=4), grid, cv=LabeledKFold(3)
        ).fit(X, y_partial)
        scores.append((search.best_score_, search.cv_results_["mean_test_score"]))
    assert scores[0][0] == scores[1][0]
    assert_array_equal(scores[0][1], scores[1][1])
