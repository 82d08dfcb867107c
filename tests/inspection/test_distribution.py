"""Tests of label_distribution_report."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency
from sklearn.utils._param_validation import InvalidParameterError

from sklabels.inspection import label_distribution_report


def _labels(n_classes, n=600, seed=0):
    rng = np.random.default_rng(seed)
    names = np.array(["cat", "dog", "owl", "yak"])[:n_classes]
    groups = rng.choice(np.array(["north", "south", "east"]), size=n)
    # label rates depend on the group: "north" gets more of the first class
    p = np.full(n_classes, 1 / n_classes)
    skewed = np.r_[0.6, np.full(n_classes - 1, 0.4 / (n_classes - 1))]
    y = np.where(
        groups == "north",
        rng.choice(names, size=n, p=skewed),
        rng.choice(names, size=n, p=p),
    )
    return y, groups


def test_label_distribution_report_counts_and_imbalance_ratio():
    y = pd.Series(["b", "a", "b", "c", "b", "a"])
    report = label_distribution_report(y)
    expected = y.value_counts().sort_index()
    assert report.counts.index.tolist() == ["a", "b", "c"]
    assert report.counts.index.name == "label"
    np.testing.assert_array_equal(report.counts["count"], expected.to_numpy())
    np.testing.assert_allclose(
        report.counts["proportion"], expected.to_numpy() / y.size
    )
    assert report.imbalance_ratio == expected.max() / expected.min()
    assert report.groups is None and report.bias_test is None and report.drift is None
    # the Bunch's keys are attributes too
    assert report["counts"] is report.counts


def test_label_distribution_report_balanced_labels_have_ratio_one():
    assert label_distribution_report([1, 2, 3, 1, 2, 3]).imbalance_ratio == 1.0


@pytest.mark.parametrize("n_classes", [2, 3, 4])
def test_label_distribution_report_group_rates_match_crosstab(n_classes):
    y, groups = _labels(n_classes)
    report = label_distribution_report(y, groups=groups)
    crosstab = pd.crosstab(groups, y, normalize="index")
    assert report.groups.index.name == "group"
    assert report.groups.index.tolist() == sorted(set(groups))
    np.testing.assert_allclose(
        report.groups[crosstab.columns].to_numpy(), crosstab.to_numpy()
    )
    counts = pd.Series(groups).value_counts().sort_index()
    np.testing.assert_array_equal(report.groups["count"], counts.to_numpy())


@pytest.mark.parametrize("n_classes", [2, 3, 4])
def test_label_distribution_report_group_p_values_match_scipy(n_classes):
    """Each group against the rest, as scipy's chi2_contingency (its Yates
    correction included for two classes)."""
    y, groups = _labels(n_classes)
    report = label_distribution_report(y, groups=groups)
    for group in report.groups.index:
        inside = groups == group
        table = pd.crosstab(inside, y).to_numpy()
        result = chi2_contingency(table)
        assert report.groups.loc[group, "chi2"] == pytest.approx(result.statistic)
        assert report.groups.loc[group, "p_value"] == pytest.approx(result.pvalue)
    # the skewed group is the one flagged
    assert report.groups["p_value"].idxmin() == "north"


@pytest.mark.parametrize("n_classes", [2, 3])
def test_label_distribution_report_bias_test_is_chi_square_independence(n_classes):
    y, groups = _labels(n_classes)
    report = label_distribution_report(y, groups=groups)
    result = chi2_contingency(pd.crosstab(groups, y).to_numpy())
    assert report.bias_test["chi2"] == pytest.approx(result.statistic)
    assert report.bias_test["dof"] == result.dof
    assert report.bias_test["p_value"] == pytest.approx(result.pvalue)


def test_label_distribution_report_holm_adjusts_the_group_p_values():
    y, groups = _labels(3, n=300, seed=1)
    y, groups = np.r_[y, ["cat"] * 6], np.r_[groups, ["west"] * 6]
    report = label_distribution_report(y, groups=groups)
    p = report.groups["p_value"].to_numpy()
    # Holm, step by step: the i-th smallest p-value times (m - i), made
    # monotone, capped at 1
    m = p.size
    expected = np.empty(m)
    running = 0.0
    for rank, index in enumerate(np.argsort(p)):
        running = max(running, min(1.0, (m - rank) * p[index]))
        expected[index] = running
    np.testing.assert_allclose(report.groups["p_value_holm"], expected)
    assert (report.groups["p_value_holm"] >= report.groups["p_value"]).all()


def test_label_distribution_report_equal_rates_give_p_value_one():
    y = ["a", "b", "b", "a", "b", "b"]
    groups = ["x", "x", "x", "y", "y", "y"]
    report = label_distribution_report(y, groups=groups)
    np.testing.assert_allclose(report.groups["p_value"], 1.0)
    np.testing.assert_allclose(report.groups["chi2"], 0.0)


def test_label_distribution_report_drift_matches_scipy():
    y = np.array([0] * 50 + [1] * 30 + [2] * 20)
    reference = np.array([0] * 30 + [1] * 30 + [3] * 40)
    report = label_distribution_report(y, y_reference=reference)
    assert report.counts.index.tolist() == [0, 1, 2, 3]
    np.testing.assert_array_equal(report.counts["count"], [50, 30, 20, 0])
    np.testing.assert_array_equal(report.counts["reference_count"], [30, 30, 0, 40])
    p = np.array([0.5, 0.3, 0.2, 0.0])
    q = np.array([0.3, 0.3, 0.0, 0.4])
    np.testing.assert_allclose(report.counts["difference"], p - q)
    assert report.drift["total_variation"] == pytest.approx(0.5 * np.abs(p - q).sum())
    result = chi2_contingency(np.array([[50, 30, 20, 0], [30, 30, 0, 40]]))
    assert report.drift["chi2"] == pytest.approx(result.statistic)
    assert report.drift["p_value"] == pytest.approx(result.pvalue)
    assert report.drift["dof"] == 3
    # the imbalance ratio is that of y's own classes
    assert report.imbalance_ratio == 50 / 20


def test_label_distribution_report_no_drift_for_the_same_labels():
    y = ["a", "b", "b", "c"] * 10
    report = label_distribution_report(y, y_reference=y[::-1])
    assert report.drift["total_variation"] == 0.0
    assert report.drift["p_value"] == pytest.approx(1.0)


def test_label_distribution_report_reads_categoricals_and_series():
    y = pd.Series(pd.Categorical(["lo", "hi", "hi", "lo", "hi"]), index=list("abcde"))
    groups = pd.Series([1, 1, 2, 2, 2])
    report = label_distribution_report(y, groups=groups)
    assert report.counts["count"].to_dict() == {"hi": 3, "lo": 2}
    assert report.groups.index.tolist() == [1, 2]
    assert list(report.groups.columns) == [
        "hi",
        "lo",
        "count",
        "chi2",
        "p_value",
        "p_value_holm",
    ]


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (
            {"y": ["a", "b", "a", "b"], "groups": ["x", "y", "x"]},
            ValueError,
            r"groups has 3 entries but y has 4",
        ),
        (
            {"y": ["a", "a", "a"], "groups": ["x", "y", "x"]},
            ValueError,
            r"y has a single class 'a'",
        ),
        (
            {"y": ["a", "b", "a"], "groups": ["x", "x", "x"]},
            ValueError,
            r"groups has a single value 'x'",
        ),
        (
            {"y": ["p_value", "b", "a"], "groups": ["x", "y", "x"]},
            ValueError,
            r"y has the label\(s\) \['p_value'\]",
        ),
        (
            {"y": ["a", None, "b"]},
            ValueError,
            r"y contains missing labels .*\(1: None\)",
        ),
        (
            {"y": ["a", "b", "a"], "groups": ["x", np.nan, "y"]},
            ValueError,
            r"groups contains missing labels",
        ),
        (
            {"y": ["a", "b"], "y_reference": [1, 2]},
            TypeError,
            r"y and y_reference must hold labels of the same kind .* 'a' .* 1",
        ),
        ({"y": []}, ValueError, r"y is empty"),
        ({"y": "abc"}, InvalidParameterError, r"'y' parameter"),
    ],
)
def test_label_distribution_report_refuses_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        label_distribution_report(**kwargs)
