"""Tests for the class- and data-set-level health functions of sklabels.noise,
with cleanlab 2.9 as the oracle."""

import contextlib
import io
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from sklabels.noise import (
    confident_joint,
    find_label_issues,
    find_overlapping_classes,
    health_summary,
    label_quality_scores,
    num_label_issues,
    overall_label_health_score,
    rank_classes_by_label_quality,
)
from tests.noise.test_count import CASES, _noisy_problem
from tests.noise.test_filter import RANKINGS, _random_problem

cleanlab_count = pytest.importorskip("cleanlab.count")
cleanlab_dataset = pytest.importorskip("cleanlab.dataset")
cleanlab_filter = pytest.importorskip("cleanlab.filter")

ESTIMATION_METHODS = ["off_diagonal", "off_diagonal_calibrated"]
LOW_SCORE = ["low_self_confidence", "low_normalized_margin"]
SEEDS = range(12)


def _quiet(func, *args, **kwargs):
    """Call a cleanlab function without its prints and warnings."""
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


def _names(n_classes):
    return [f"class {k}" for k in range(n_classes)]


def _problem(seed):
    """A random problem cleanlab accepts (at least two classes in labels)."""
    labels, pred_probs = _random_problem(seed)
    if np.unique(labels).size < 2:  # pragma: no cover - not drawn by these seeds
        labels[: labels.size // 2] = 1 - labels[0]
    return labels, pred_probs


# --------------------------------------------------------------------------
# Parity with cleanlab
# --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_health_tables_match_cleanlab(seed):
    labels, pred_probs = _problem(seed)
    names = _names(pred_probs.shape[1])
    for kwargs in ({}, {"num_examples": 777}):
        pd.testing.assert_frame_equal(
            rank_classes_by_label_quality(labels, pred_probs, **kwargs),
            _quiet(
                cleanlab_dataset.rank_classes_by_label_quality,
                labels,
                pred_probs,
                **kwargs,
            ),
        )
        for asymmetric in (False, True):
            pd.testing.assert_frame_equal(
                find_overlapping_classes(
                    labels, pred_probs, asymmetric=asymmetric, classes=names, **kwargs
                ),
                _quiet(
                    cleanlab_dataset.find_overlapping_classes,
                    labels,
                    pred_probs,
                    asymmetric=asymmetric,
                    class_names=names,
                    **kwargs,
                ),
            )


@pytest.mark.parametrize("case", CASES)
def test_rank_classes_by_label_quality_class_names_match_cleanlab(case):
    labels, pred_probs = _noisy_problem(**case)
    names = np.array(_names(pred_probs.shape[1]))
    got = rank_classes_by_label_quality(labels, pred_probs, classes=names)
    expected = _quiet(
        cleanlab_dataset.rank_classes_by_label_quality,
        labels,
        pred_probs,
        class_names=names,
    )
    pd.testing.assert_frame_equal(got, expected)
    assert got.columns[0] == "Class Name"
    assert_array_equal(got["Class Name"], names[got["Class Index"]])


@pytest.mark.parametrize("seed", SEEDS)
def test_num_label_issues_matches_cleanlab(seed):
    labels, pred_probs = _problem(seed)
    for method in ESTIMATION_METHODS:
        expected = _quiet(
            cleanlab_count.num_label_issues,
            labels,
            pred_probs,
            estimation_method=method,
        )
        got = num_label_issues(labels, pred_probs, estimation_method=method)
        assert type(got) is int
        assert got == expected, method
        assert num_label_issues(
            labels, pred_probs, estimation_method=method, batch_size=97, n_jobs=2
        ) == int(expected)
    for calibrate in (False, True):
        counts = confident_joint(labels, pred_probs, calibrate=calibrate)
        expected = _quiet(
            cleanlab_count.num_label_issues,
            labels,
            pred_probs,
            confident_joint=counts,
            estimation_method="off_diagonal_custom",
        )
        got = num_label_issues(
            labels,
            pred_probs,
            confident_joint=counts,
            estimation_method="off_diagonal_custom",
        )
        assert got == expected


@pytest.mark.parametrize("seed", SEEDS)
def test_overall_label_health_score_matches_cleanlab(seed):
    labels, pred_probs = _problem(seed)
    counts = confident_joint(labels, pred_probs, calibrate=False)
    joint = _quiet(cleanlab_count.estimate_joint, labels, pred_probs)
    for args, kwargs in [
        ((labels, pred_probs), {}),
        ((labels, pred_probs), {"num_examples": labels.size + 50}),
        ((), {"confident_joint": counts}),
        ((labels,), {"confident_joint": counts}),
        ((), {"joint": joint, "num_examples": labels.size}),
    ]:
        expected = _quiet(cleanlab_dataset.overall_label_health_score, *args, **kwargs)
        got = overall_label_health_score(*args, **kwargs)
        assert type(got) is float
        assert got == expected, kwargs


@pytest.mark.parametrize("seed", SEEDS)
def test_health_summary_matches_cleanlab(seed):
    labels, pred_probs = _problem(seed)
    names = _names(pred_probs.shape[1])
    counts = confident_joint(labels, pred_probs, calibrate=False)
    joint = _quiet(cleanlab_count.estimate_joint, labels, pred_probs)
    for args, kwargs in [
        ((labels, pred_probs), {"asymmetric": seed % 2 == 0}),
        ((labels,), {"confident_joint": counts}),
        ((labels, pred_probs), {"joint": joint, "num_examples": 500}),
    ]:
        expected = _quiet(
            cleanlab_dataset.health_summary, *args, class_names=names, **kwargs
        )
        got = health_summary(*args, classes=names, **kwargs)
        assert list(got) == list(expected)
        assert (
            got["overall_label_health_score"]
            == (expected["overall_label_health_score"])
        )
        assert_array_equal(got["joint"], expected["joint"])
        for key in ("classes_by_label_quality", "overlapping_classes"):
            pd.testing.assert_frame_equal(got[key], expected[key])


@pytest.mark.parametrize("seed", SEEDS)
def test_health_tables_from_joint_or_confident_joint_match_cleanlab(seed):
    labels, pred_probs = _problem(seed)
    names = _names(pred_probs.shape[1])
    counts = confident_joint(labels, pred_probs, calibrate=False)
    joint = _quiet(cleanlab_count.estimate_joint, labels, pred_probs)
    for args, kwargs in [
        ((labels,), {"confident_joint": counts}),
        ((labels, pred_probs), {"confident_joint": counts}),
        ((), {"joint": joint, "num_examples": labels.size}),
    ]:
        pd.testing.assert_frame_equal(
            rank_classes_by_label_quality(*args, classes=names, **kwargs),
            _quiet(
                cleanlab_dataset.rank_classes_by_label_quality,
                *args,
                class_names=names,
                **kwargs,
            ),
        )
    for args, kwargs in [
        ((), {"confident_joint": counts}),
        ((labels,), {"confident_joint": counts, "asymmetric": True}),
        ((), {"joint": joint, "num_examples": 321}),
    ]:
        pd.testing.assert_frame_equal(
            find_overlapping_classes(*args, **kwargs),
            _quiet(cleanlab_dataset.find_overlapping_classes, *args, **kwargs),
        )


@pytest.mark.parametrize("method", LOW_SCORE)
@pytest.mark.parametrize("seed", SEEDS)
def test_find_label_issues_low_score_methods_match_cleanlab(method, seed):
    labels, pred_probs = _problem(seed)
    for rank in (None, *RANKINGS):
        expected = _quiet(
            cleanlab_filter.find_label_issues,
            labels,
            pred_probs,
            filter_by=method,
            return_indices_ranked_by=rank,
            n_jobs=1,
        )
        got = find_label_issues(
            labels, pred_probs, method=method, return_indices_ranked_by=rank
        )
        assert_array_equal(got, expected, err_msg=str(rank))
        streamed = find_label_issues(
            labels,
            pred_probs,
            method=method,
            return_indices_ranked_by=rank,
            batch_size=61,
            n_jobs=2,
        )
        assert_array_equal(streamed, expected, err_msg=str(rank))


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("method", LOW_SCORE)
def test_find_label_issues_low_score_methods_flag_num_label_issues(case, method):
    labels, pred_probs = _noisy_problem(**case)
    mask = find_label_issues(labels, pred_probs, method=method)
    assert mask.sum() == num_label_issues(labels, pred_probs)
    assert (
        mask.sum()
        == find_label_issues(labels, pred_probs, method="confident_learning").sum()
    )
    score = "self_confidence" if method == "low_self_confidence" else method[4:]
    scores = find_label_issues(
        labels, pred_probs, method=method, return_indices_ranked_by=score
    )
    # the flagged examples are those of lowest score
    all_scores = label_quality_scores(labels, pred_probs, method=score)
    if mask.any() and not mask.all():
        assert all_scores[mask].max() <= all_scores[~mask].min()
    assert_array_equal(np.sort(scores), np.flatnonzero(mask))


def test_find_label_issues_low_score_methods_warn_that_frac_noise_is_ignored():
    labels, pred_probs = _noisy_problem(**CASES[0].values[0])
    with pytest.warns(UserWarning, match="frac_noise=0.5 .* ignored by method="):
        got = find_label_issues(
            labels, pred_probs, method="low_self_confidence", frac_noise=0.5
        )
    assert_array_equal(
        got, find_label_issues(labels, pred_probs, method="low_self_confidence")
    )


def test_num_label_issues_off_diagonal_counts_confident_learning_flags():
    labels, pred_probs = _noisy_problem(n_samples=800, n_classes=4, seed=3)
    flagged = find_label_issues(labels, pred_probs, method="confident_learning")
    assert num_label_issues(labels, pred_probs) == flagged.sum() > 0


# --------------------------------------------------------------------------
# Class names, output, printing
# --------------------------------------------------------------------------


def test_find_overlapping_classes_names_the_pairs():
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
    pred_probs = np.array(
        [[0.8, 0.1, 0.1]] * 3
        + [[0.1, 0.8, 0.1]] * 4
        + [[0.8, 0.1, 0.1]]
        + [[0.1, 0.1, 0.8]] * 4
    )
    table = find_overlapping_classes(labels, pred_probs, classes=["cat", "dog", "fox"])
    assert list(table.columns) == [
        "Class Name A",
        "Class Name B",
        "Class Index A",
        "Class Index B",
        "Num Overlapping Examples",
        "Joint Probability",
    ]
    top = table.iloc[0]
    assert (top["Class Name A"], top["Class Name B"]) == ("cat", "dog")
    assert top["Num Overlapping Examples"] == 2
    assert table["Joint Probability"].is_monotonic_decreasing


@pytest.mark.parametrize("container", ["list", "series"])
def test_health_functions_accept_lists_and_series(container):
    labels, pred_probs = _noisy_problem(n_samples=300, n_classes=3, seed=2)
    if container == "list":
        labels_in, pred_probs_in = labels.tolist(), pred_probs.tolist()
    else:
        labels_in = pd.Series(labels, index=np.arange(300) + 1000)
        pred_probs_in = pd.DataFrame(pred_probs)
    expected = health_summary(labels, pred_probs)
    got = health_summary(labels_in, pred_probs_in)
    assert got["overall_label_health_score"] == (expected["overall_label_health_score"])
    assert_array_equal(got["joint"], expected["joint"])
    for key in ("classes_by_label_quality", "overlapping_classes"):
        pd.testing.assert_frame_equal(got[key], expected[key])
    assert num_label_issues(labels_in, pred_probs_in) == num_label_issues(
        labels, pred_probs
    )


def test_health_summary_verbose_shows_the_first_rows_only(capsys):
    labels, pred_probs = _noisy_problem(n_samples=2000, n_classes=37, seed=3)
    summary = health_summary(labels, pred_probs, verbose=True)
    err = capsys.readouterr().err
    n_pairs = len(summary["overlapping_classes"])
    assert n_pairs == 37 * 36 // 2
    assert f"... ({n_pairs - 20} more rows in the returned table)" in err
    assert "... (17 more rows in the returned table)" in err


def test_health_summary_is_quiet_by_default_and_prints_to_stderr(capsys):
    labels, pred_probs = _noisy_problem(n_samples=300, n_classes=3, seed=1)
    summary = health_summary(labels, pred_probs, classes=["a", "b", "c"])
    assert capsys.readouterr() == ("", "")
    assert set(summary) == {
        "overall_label_health_score",
        "joint",
        "classes_by_label_quality",
        "overlapping_classes",
    }
    health_summary(labels, pred_probs, classes=["a", "b", "c"], verbose=True)
    out, err = capsys.readouterr()
    assert out == ""
    assert "Label health of 300 examples in 3 classes" in err
    assert "overall label health score" in err
    overall_label_health_score(labels, pred_probs)
    assert capsys.readouterr() == ("", "")
    overall_label_health_score(labels, pred_probs, verbose=1)
    out, err = capsys.readouterr()
    assert out == "" and "overall label health score" in err


# --------------------------------------------------------------------------
# Errors and warnings
# --------------------------------------------------------------------------


@pytest.fixture
def small():
    labels = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    first = np.array([0.9, 0.8, 0.7, 0.1, 0.2, 0.1, 0.3, 0.9])
    pred_probs = np.c_[first, 1 - first]
    return labels, pred_probs


@pytest.mark.parametrize(
    "func", [rank_classes_by_label_quality, find_overlapping_classes, health_summary]
)
def test_health_functions_check_classes(func, small):
    labels, pred_probs = small
    with pytest.raises(ValueError, match=r"classes must hold one name per class \(2\)"):
        func(labels, pred_probs, classes=["a", "b", "c"])
    with pytest.raises(ValueError, match=r"'classes' parameter .* array-like"):
        func(labels, pred_probs, classes="ab")


@pytest.mark.parametrize(
    "func", [rank_classes_by_label_quality, find_overlapping_classes, health_summary]
)
def test_health_functions_need_labels_or_a_joint(func, small):
    labels, _ = small
    with pytest.raises(ValueError, match="needs labels and pred_probs, or"):
        func()
    with pytest.raises(ValueError, match=r"needs pred_probs .* with labels"):
        func(labels)
    with pytest.raises(ValueError, match="pass num_examples=, or labels"):
        func(joint=np.full((2, 2), 0.25))


def test_health_functions_check_joint(small):
    labels, pred_probs = small
    with pytest.raises(ValueError, match="joint must be a probability distribution"):
        rank_classes_by_label_quality(joint=[[3, 1], [1, 3]], num_examples=8)
    with pytest.raises(ValueError, match=r"joint has shape \(3, 3\) but pred_probs"):
        find_overlapping_classes(labels, pred_probs, joint=np.full((3, 3), 1 / 9))
    with pytest.raises(ValueError, match=r"finite, non-negative .* joint\[0, 1\]"):
        health_summary(joint=[[0.6, -0.1], [0.25, 0.25]], num_examples=8)
    with pytest.raises(ValueError, match=r"square \(n_classes, n_classes\)"):
        rank_classes_by_label_quality(confident_joint=[[1, 2, 3]])
    with pytest.raises(TypeError, match="confident_joint must hold numbers"):
        rank_classes_by_label_quality(confident_joint=[["a", "b"], ["c", "d"]])
    with pytest.raises(ValueError, match=r"labels must hold class indices in 0\.\.1"):
        rank_classes_by_label_quality([0, 2], confident_joint=[[1, 0], [0, 1]])
    with pytest.raises(ValueError, match="num_examples"):
        rank_classes_by_label_quality(labels, pred_probs, num_examples=0)


def test_num_label_issues_custom_needs_confident_joint(small):
    labels, pred_probs = small
    with pytest.raises(ValueError, match="'off_diagonal_custom' counts from the"):
        num_label_issues(labels, pred_probs, estimation_method="off_diagonal_custom")
    with pytest.raises(ValueError, match="estimation_method"):
        num_label_issues(labels, pred_probs, estimation_method="diagonal")


def test_num_label_issues_warns_that_confident_joint_is_ignored(small):
    labels, pred_probs = small
    counts = confident_joint(labels, pred_probs)
    with pytest.warns(UserWarning, match="confident_joint is ignored with"):
        got = num_label_issues(labels, pred_probs, confident_joint=counts)
    assert got == num_label_issues(labels, pred_probs)


def test_overall_label_health_score_warns_that_joint_is_ignored(small):
    labels, pred_probs = small
    with pytest.warns(UserWarning, match="joint and confident_joint are ignored"):
        got = overall_label_health_score(
            labels, pred_probs, joint=np.full((2, 2), 0.25)
        )
    assert got == overall_label_health_score(labels, pred_probs)
