"""Progress lines under ``verbose`` and once-only warnings."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_diabetes, load_iris, make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score

from sklabels.aggregation import (
    GLAD,
    MACE,
    MMSR,
    CrowdLab,
    DawidSkene,
    LabelModel,
    LFApplier,
    OneCoinDawidSkene,
    ZeroBasedSkill,
    labeling_function,
)
from sklabels.datasets import make_crowd_labels
from sklabels.inspection import LabelShiftClassifier, LeakageFilter, leakage_report
from sklabels.multilabel import BinaryRelevance
from sklabels.noise import (
    ConfidentLearningClassifier,
    ConfidentLearningFilter,
    RegressionLabelFilter,
)
from sklabels.semi_supervised import PseudoLabelClassifier
from sklabels.utils._cv import cross_fit
from sklabels.utils._progress import (
    Progress,
    iteration_step,
    loss_text,
    reset_warnings_once,
    run_steps,
    warn_once,
)

# -- the reporter ------------------------------------------------------------


class _Owner:
    pass


def test_progress_writes_to_stderr_with_the_class_name(capsys):
    Progress(_Owner(), 1).stage("fitting 5 folds")
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "[_Owner] fitting 5 folds\n"


def test_progress_takes_a_name_for_functions(capsys):
    Progress("leakage_report", 1).stage("scoring")
    assert capsys.readouterr().err == "[leakage_report] scoring\n"


@pytest.mark.parametrize("verbose", [0, False, None])
def test_progress_is_silent_by_default(capfd, verbose):
    progress = Progress(_Owner(), verbose)
    progress.stage("a stage")
    progress.step("a step")
    progress.done("done")
    iteration_step(progress, 1, 10, lambda: "loss 1")
    assert capfd.readouterr() == ("", "")


def test_progress_levels_stage_at_1_steps_at_2(capsys):
    for verbose in (1, True):
        progress = Progress(_Owner(), verbose)
        progress.stage("a stage")
        progress.step("a step")
        assert capsys.readouterr().err == "[_Owner] a stage\n"
    progress = Progress(_Owner(), 2)
    progress.stage("a stage")
    progress.step("a step")
    assert capsys.readouterr().err == "[_Owner] a stage\n[_Owner] a step\n"


def test_progress_done_shows_the_elapsed_seconds(capsys):
    Progress(_Owner(), 1).done("fitted")
    assert re.fullmatch(r"\[_Owner\] fitted \(\d+\.\d s\)\n", capsys.readouterr().err)


def test_iteration_step_every_tenth_at_2_every_one_at_3(capsys):
    def reported(verbose):
        progress = Progress(_Owner(), verbose)
        for n_iter in range(1, 26):
            iteration_step(progress, n_iter, 25, lambda: "x")
        lines = capsys.readouterr().err.splitlines()
        return [int(re.search(r"iteration (\d+)/25", line)[1]) for line in lines]

    assert reported(1) == []
    assert reported(2) == [1, 10, 20, 25]
    assert reported(3) == list(range(1, 26))


def test_iteration_step_formats_nothing_when_silent():
    def fail():
        raise AssertionError("formatted although nothing is written")

    iteration_step(Progress(_Owner(), 1), 1, 10, fail)


def test_loss_text_gives_the_loss_and_its_change():
    assert loss_text([2.0]) == "loss 2"
    assert loss_text([2.0, 1.5]) == "loss 1.5, change 0.5"


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_run_steps_reports_each_task_in_order(capsys, n_jobs):
    results = run_steps(
        pow,
        [(2, k) for k in range(4)],
        n_jobs=n_jobs,
        progress=Progress(_Owner(), 2),
        title="computing",
        unit="power",
        verb="computed",
        names=["a", "b", "c", "d"],
    )
    assert results == [1, 2, 4, 8]
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == f"[_Owner] computing 4 powers (n_jobs={n_jobs})"
    for i, (line, name) in enumerate(zip(lines[1:5], "abcd", strict=True), start=1):
        assert re.fullmatch(
            rf"\[_Owner\] power {i}/4 {name} computed \(\d+\.\d s\)", line
        )
    assert re.fullmatch(r"\[_Owner\] 4 powers computed \(\d+\.\d s\)", lines[5])
    assert len(lines) == 6


def test_cross_fit_reports_folds(capsys):
    results = cross_fit(
        divmod, [(7, 2), (9, 4)], n_jobs=None, progress=Progress(_Owner(), 2)
    )
    assert results == [(3, 1), (2, 1)]
    err = capsys.readouterr().err
    assert "[_Owner] cross-fitting 2 folds" in err
    assert re.search(r"\[_Owner\] fold 2/2 fitted \(\d+\.\d s\)", err)


# -- every estimator with a long step ------------------------------------------


def _iris():
    X, y = load_iris(return_X_y=True)
    return X, y


def _crowd():
    y = np.random.RandomState(0).randint(0, 3, 120)
    return make_crowd_labels(y, n_sources=6, random_state=0, n_classes=3)


def _fit_pseudo(est):
    X, y = _iris()
    y = y.copy()
    y[np.random.RandomState(0).rand(y.size) < 0.7] = -1
    est.fit(X, y)


def _fit_crowdlab(est):
    X, y = _iris()
    L = make_crowd_labels(y, n_sources=4, random_state=0)
    est.fit(L, X=X)


@labeling_function()
def _big(x):
    return 1 if x > 0.5 else -1


@labeling_function(vectorized=True)
def _small(x):
    return np.where(np.asarray(x) < 0.2, 0, -1)


def _regression(est):
    X, y = load_diabetes(return_X_y=True)
    est.fit_resample(X, y)


def _multilabel(est):
    X, Y = make_multilabel_classification(n_samples=80, n_classes=3, random_state=0)
    est.fit(X, Y)


_lr = LogisticRegression(max_iter=1000)
# (estimator, how to run it, a line at verbose=1, a line only at verbose=2;
# the lines start with "[<name>] " unless the pattern names another owner)
_CASES = {
    "ConfidentLearningFilter": (
        ConfidentLearningFilter(cv=3),
        lambda est: est.fit(*_iris()),
        r"cross-fitting 3 folds",
        r"fold 3/3 fitted",
    ),
    "ConfidentLearningClassifier": (
        ConfidentLearningClassifier(_lr),
        lambda est: est.fit(*_iris()),
        r"fitting the estimator on \d+ rows",
        r"\[ConfidentLearningFilter\] fold 5/5 fitted",  # its filter's lines
    ),
    "RegressionLabelFilter": (
        RegressionLabelFilter(cv=3),
        _regression,
        r"3 folds fitted",
        r"fold 1/3 fitted",
    ),
    "CrowdLab": (
        CrowdLab(_lr, cv=3),
        _fit_crowdlab,
        r"cross-fitting 3 folds",
        r"fold 2/3 fitted",
    ),
    "LabelShiftClassifier": (
        LabelShiftClassifier(_lr, method="bbse", cv=3),
        lambda est: est.fit(*_iris()),
        r"cross-fitting 3 folds",
        r"fold 3/3 fitted",
    ),
    "PseudoLabelClassifier": (
        PseudoLabelClassifier(_lr, unlabeled=-1, cv=3, random_state=0),
        _fit_pseudo,
        r"fit 2: \d+ of \d+ unlabeled rows pseudo-labelled",
        r"fold 1/3 fitted",
    ),
    "DawidSkene": (
        DawidSkene(),
        lambda est: est.fit(_crowd()),
        r"start 1/1: \d+ iteration\(s\), loss [\d.]+, converged",
        r"iteration 1/100: loss [\d.]+",
    ),
    "GLAD": (
        GLAD(),
        lambda est: est.fit(_crowd()),
        r"start 1/1: \d+ iteration\(s\)",
        r"iteration 1/100: loss",
    ),
    "MACE": (
        MACE(random_state=0),
        lambda est: est.fit(_crowd()),
        r"start 1: \d+ iteration\(s\)",
        r"iteration 10/100: loss [\d.]+, change",
    ),
    "OneCoinDawidSkene": (
        OneCoinDawidSkene(),
        lambda est: est.fit(_crowd()),
        r"\d+ iteration\(s\), loss",
        r"iteration 1/100: loss",
    ),
    "LabelModel": (
        LabelModel(),
        lambda est: est.fit(_crowd()),
        r"start 1/\d: \d+ iteration\(s\)",
        r"iteration 1/100: loss",
    ),
    "ZeroBasedSkill": (
        ZeroBasedSkill(),
        lambda est: est.fit(_crowd()),
        r"100 round\(s\)",
        r"iteration 10/100: largest skill change",
    ),
    "MMSR": (
        MMSR(random_state=0),
        lambda est: est.fit(_crowd()),
        r"\d+ round\(s\), last change",
        r"iteration 1/10000: change",
    ),
    "LFApplier": (
        LFApplier([_big, _small]),
        lambda est: est.fit_transform(np.linspace(0, 1, 50)),
        r"applying to 50 records 2 labeling functions",
        r"labeling function 2/2 _small applied",
    ),
    "BinaryRelevance": (
        BinaryRelevance(_lr, threshold="cv", threshold_cv=3),
        _multilabel,
        r"3 label model\(s\) and 3 x 3 fold model\(s\) for threshold='cv'",
        r"model 12/12 fitted",
    ),
    "LeakageFilter": (
        LeakageFilter(n_permutations=2),
        lambda est: est.fit(*_iris()),
        r"scoring 4 features x 5 folds in \d+ batchs",
        r"batch 1/\d+ \(features 0-\d\) scored",
    ),
}


@pytest.mark.parametrize("name", list(_CASES))
def test_verbose_estimators_report_progress_on_stderr(capfd, name):
    estimator, run, stage, step = _CASES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence etc.: not the point here
        run(estimator)
        assert capfd.readouterr() == ("", ""), "verbose=0 must be silent"
        run(estimator.set_params(verbose=1))
        out, err = capfd.readouterr()
        assert out == ""
        assert re.search(rf"^\[{name}\] {stage}", err, re.M), err
        assert not re.search(step, err), err
        run(estimator.set_params(verbose=2))
        out, err = capfd.readouterr()
    assert out == ""
    owner = "" if step.startswith("\\[") else rf"\[{name}\] "
    assert re.search(rf"^{owner}{step}", err, re.M), err


def test_leakage_report_verbose_names_the_function(capsys):
    X, y = _iris()
    leakage_report(X, y, n_permutations=2, verbose=2)
    out, err = capsys.readouterr()
    assert out == ""
    assert re.search(r"^\[leakage_report\] batch 1/\d+ \(features 0-", err, re.M)


def test_label_shift_classifier_verbose_reports_the_em_of_adapt(capsys):
    X, y = _iris()
    clf = LabelShiftClassifier(_lr, verbose=2).fit(X, y)
    capsys.readouterr()
    clf.adapt(X[y > 0])
    err = capsys.readouterr().err
    assert re.search(
        r"^\[LabelShiftClassifier\] iteration 1/1000: prior change", err, re.M
    )
    assert re.search(r"EM of the new priors ran \d+ iteration\(s\)", err)


def test_confident_learning_classifier_gives_its_verbose_to_a_quiet_filter(capsys):
    X, y = _iris()
    flt = ConfidentLearningFilter(cv=3)
    clf = ConfidentLearningClassifier(_lr, filter=flt, verbose=1).fit(X, y)
    assert clf.filter_.verbose == 1 and flt.verbose == 0
    assert "[ConfidentLearningFilter] cross-fitting 3 folds" in capsys.readouterr().err


@pytest.mark.parametrize(
    "make",
    [
        lambda v: ConfidentLearningFilter(verbose=v),
        lambda v: DawidSkene(verbose=v),
        lambda v: LFApplier([_big], verbose=v),
    ],
)
def test_verbose_rejects_a_non_integer(make):
    with pytest.raises(ValueError, match="'verbose' parameter"):
        est = make("yes")
        if isinstance(est, LFApplier):
            est.fit([0.1])
        elif isinstance(est, DawidSkene):
            est.fit(_crowd())
        else:
            est.fit(*_iris())


# -- once-only warnings --------------------------------------------------------


def _record(function):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        function()
    return caught


def test_warn_once_says_a_message_once():
    caught = _record(lambda: [warn_once("the same thing") for _ in range(3)])
    assert [str(w.message) for w in caught] == ["the same thing"]
    assert caught[0].category is UserWarning
    assert caught[0].filename == __file__


def test_warn_once_tells_messages_and_categories_apart():
    def run():
        warn_once("one")
        warn_once("two")
        warn_once("one", RuntimeWarning)

    caught = _record(run)
    assert [(str(w.message), w.category) for w in caught] == [
        ("one", UserWarning),
        ("two", UserWarning),
        ("one", RuntimeWarning),
    ]


def test_warn_once_key_groups_messages_that_differ_in_numbers():
    caught = _record(
        lambda: [warn_once(f"change {c}", key="not converged") for c in (0.1, 0.2)]
    )
    assert [str(w.message) for w in caught] == ["change 0.1"]


def test_reset_warnings_once_lets_them_be_said_again():
    said = _record(lambda: [warn_once("again"), warn_once("again")])
    assert len(said) == 1
    assert warn_once("again") is False
    reset_warnings_once()
    assert len(_record(lambda: warn_once("again"))) == 1


def test_warn_once_under_an_error_filter_raises_the_first_time_only():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="as an error"):
            warn_once("as an error")
        warn_once("as an error")


def _rare_class_data():
    X, y = load_iris(return_X_y=True)
    # a fourth class of 4 rows: fewer than cv=5 folds in every fit
    return np.vstack([X, X[:4] + 0.01]), np.concatenate([y, [3, 3, 3, 3]])


def _fewer_rows(caught):
    return [w for w in caught if "fewer rows than cv=5" in str(w.message)]


def test_confident_learning_warning_said_once_in_cross_val_score():
    X, y = _rare_class_data()
    clf = ConfidentLearningClassifier(_lr, filter=ConfidentLearningFilter(cv=5))
    # 4 rows of class 3 in every 3-fold training part would be < 5 folds
    caught = _record(lambda: cross_val_score(clf, X, y, cv=2))
    assert len(_fewer_rows(caught)) == 1


def test_confident_learning_warning_said_once_in_grid_search():
    X, y = _rare_class_data()
    X, y = np.vstack([X, X[-4:]]), np.concatenate([y, [3, 3, 3, 3]])  # 8 rows
    clf = ConfidentLearningClassifier(_lr, filter=ConfidentLearningFilter(cv=5))
    search = GridSearchCV(clf, {"filter__frac_noise": [0.5, 1.0]}, cv=2)
    caught = _record(lambda: search.fit(X, y))
    # 2 candidates x 2 splits + the refit: five fits, one warning
    assert len(_fewer_rows(caught)) == 1


def test_dawid_skene_not_converged_said_once_in_cross_val_score():
    y = np.random.RandomState(0).randint(0, 3, 120)
    L = make_crowd_labels(y, n_sources=6, random_state=0, n_classes=3)
    caught = _record(lambda: cross_val_score(DawidSkene(max_iter=1), L, y, cv=3))
    not_converged = [w for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert len(not_converged) == 1
    assert "DawidSkene did not converge in max_iter=1" in str(not_converged[0].message)


def test_dawid_skene_not_converged_said_again_for_another_max_iter():
    L = _crowd()
    caught = _record(lambda: [DawidSkene(max_iter=m).fit(L) for m in (2, 2, 3, 3)])
    messages = [str(w.message) for w in caught if w.category is ConvergenceWarning]
    assert len(messages) == 2
    assert "max_iter=2" in messages[0] and "max_iter=3" in messages[1]


def test_progress_reaches_a_pandas_frame_input(capsys):
    X, y = _iris()
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    ConfidentLearningFilter(cv=3, verbose=1).fit(frame, y)
    assert "[ConfidentLearningFilter] 3 folds fitted" in capsys.readouterr().err
