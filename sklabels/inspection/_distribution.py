"""How the labels are distributed: imbalance, label bias across groups, drift."""

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.utils import Bunch

from sklabels.utils._compat import validate_params
from sklabels.utils._validation import check_labels

__all__ = ["label_distribution_report"]

# Columns of ``groups`` besides one per class.
_GROUP_STATS = ("count", "chi2", "p_value", "p_value_holm")


def _is_numeric(arr):
    return arr.dtype.kind in "biuf"


def _check_same_kind(y, other, other_name):
    if _is_numeric(y) != _is_numeric(other):
        first, other_first = y[:1].tolist()[0], other[:1].tolist()[0]
        raise TypeError(
            f"y and {other_name} must hold labels of the same kind (both numbers "
            f"or both strings), got y like {first!r} and {other_name} "
            f"like {other_first!r}. Convert one of them, e.g. with .astype(str)."
        )


def _yates(observed, expected):
    """Move each observed count 0.5 towards its expectation (at most to it),
    as :func:`scipy.stats.chi2_contingency` does for one degree of freedom."""
    diff = expected - observed
    return observed + np.sign(diff) * np.minimum(0.5, np.abs(diff))


def _group_vs_rest(table):
    """Chi-square statistic and p-value of each group against all other rows.

    ``table`` is the (n_groups, n_classes) count table; the test of row
    ``g`` is that of the 2 x n_classes table (group g, every other group),
    computed for all groups at once.
    """
    class_totals = table.sum(axis=0)
    total = class_totals.sum()
    group_totals = table.sum(axis=1, keepdims=True)
    inside = group_totals * class_totals / total
    outside = (total - group_totals) * class_totals / total
    observed_in = table.astype(np.float64)
    observed_out = class_totals - observed_in
    dof = table.shape[1] - 1
    if dof == 1:
        observed_in = _yates(observed_in, inside)
        observed_out = _yates(observed_out, outside)
    chi2 = ((observed_in - inside) ** 2 / inside).sum(axis=1) + (
        (observed_out - outside) ** 2 / outside
    ).sum(axis=1)
    return chi2, stats.chi2.sf(chi2, dof)


def _holm(p_values):
    """Holm's step-down adjustment of ``p_values`` for multiple comparisons."""
    m = p_values.size
    order = np.argsort(p_values, kind="stable")
    stepped = np.maximum.accumulate((m - np.arange(m)) * p_values[order])
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted


def _contingency_test(table):
    result = stats.chi2_contingency(table)
    return pd.Series(
        {
            "chi2": float(result.statistic),
            "dof": int(result.dof),
            "p_value": float(result.pvalue),
        }
    )


@validate_params(
    {
        "y": ["array-like"],
        "groups": ["array-like", None],
        "y_reference": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def label_distribution_report(y, groups=None, y_reference=None):
    """Class counts, imbalance, label bias across groups and drift of labels.

    - **Counts and imbalance**: how many rows carry each label, and the
      imbalance ratio (rows of the largest class over rows of the smallest).
    - **Label bias** (with ``groups``, e.g. a sensitive attribute): the rate
      of each label within each group, and for each group a chi-square test
      of whether its labels are distributed as those of all other rows (a
      2 x n_classes contingency table); plus the chi-square test of
      independence of labels and groups over the whole table.
    - **Drift** (with ``y_reference``, the labels of another sample, e.g.
      the training data or last month's labels): the total variation
      distance between the two label distributions,
      ``0.5 * sum_k |p_k - q_k|``, and a chi-square test of homogeneity of
      the two samples.

    The chi-square tests use :func:`scipy.stats.chi2_contingency` (with its
    continuity correction when there is one degree of freedom).

    Read more in the :ref:`User Guide <inspection>`.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels (strings or numbers; a pandas Series or categorical works).

    groups : array-like of shape (n_samples,), default=None
        Group of each row (e.g. a sensitive attribute). Needs at least two
        groups, and ``y`` at least two classes.

    y_reference : array-like of shape (n_reference,), default=None
        Labels of a reference sample, of any length, compared with ``y`` as
        an independent sample.

    Returns
    -------
    report : :class:`~sklearn.utils.Bunch`
        With the keys (each also an attribute):

        counts : DataFrame
            Indexed by label (sorted; the labels of ``y`` and of
            ``y_reference``), columns ``count`` and ``proportion``; with
            ``y_reference`` also ``reference_count``,
            ``reference_proportion`` and ``difference`` (proportion minus
            reference proportion).
        imbalance_ratio : float
            Rows of the most frequent label of ``y`` over rows of the least
            frequent one (1.0 when balanced).
        groups : DataFrame or None
            Indexed by group (sorted): one column per label with its rate in
            the group (rows sum to 1), ``count`` (rows in the group),
            ``chi2`` and ``p_value`` of the test of the group against all
            other rows, and ``p_value_holm``, the p-values adjusted for
            testing every group (Holm's step-down method). None without
            ``groups``.
        bias_test : Series or None
            ``chi2``, ``dof`` and ``p_value`` of the test of independence of
            labels and groups. None without ``groups``.
        drift : Series or None
            ``total_variation``, ``chi2``, ``dof`` and ``p_value``. None
            without ``y_reference``.

    Raises
    ------
    ValueError
        When ``groups`` has not one entry per label, when the bias test is
        asked for with a single class in ``y`` or a single group, or when a
        label is missing.

    Notes
    -----
    A small p-value says that the label rates differ between groups (or
    between ``y`` and the reference) more than chance would explain; it
    says nothing of why: the groups may differ in the true rates of the
    classes, not in how they were labeled. With many groups, some p-values
    are small by chance (one test per group): read ``p_value_holm``, which
    is corrected for the number of groups. The chi-square approximation
    needs expected counts of about 5 or more in each cell; with fewer it is
    rough.

    Examples
    --------
    >>> from sklabels.inspection import label_distribution_report
    >>> y = ["spam"] * 6 + ["ham"] * 14
    >>> groups = ["a"] * 10 + ["b"] * 10
    >>> report = label_distribution_report(y, groups=groups)
    >>> report.counts
           count  proportion
    label
    ham       14         0.7
    spam       6         0.3
    >>> round(report.imbalance_ratio, 3)
    2.333
    >>> report.groups[["ham", "spam", "count"]]
           ham  spam  count
    group
    a      0.4   0.6     10
    b      1.0   0.0     10
    >>> bool(report.groups.loc["a", "p_value"] < 0.05)
    True
    >>> drift = label_distribution_report(y, y_reference=["spam", "ham"] * 10).drift
    >>> round(float(drift["total_variation"]), 2)
    0.2
    """
    y, _ = check_labels(y, input_name="y")
    classes, codes = np.unique(y, return_inverse=True)
    counts = np.bincount(codes, minlength=classes.size)

    reference_counts = None
    if y_reference is not None:
        reference, _ = check_labels(y_reference, input_name="y_reference")
        _check_same_kind(y, reference, "y_reference")
        reference_classes, reference_codes = np.unique(reference, return_inverse=True)
        union = np.union1d(classes, reference_classes)
        full = np.zeros(union.size, dtype=np.intp)
        full[np.searchsorted(union, classes)] = counts
        reference_counts = np.zeros(union.size, dtype=np.intp)
        reference_counts[np.searchsorted(union, reference_classes)] = np.bincount(
            reference_codes
        )
        all_classes, all_counts = union, full
    else:
        all_classes, all_counts = classes, counts

    index = pd.Index(all_classes, name="label")
    table = pd.DataFrame(
        {"count": all_counts, "proportion": all_counts / y.size}, index=index
    )
    report = Bunch(
        counts=table,
        imbalance_ratio=float(counts.max() / counts.min()),
        groups=None,
        bias_test=None,
        drift=None,
    )

    if reference_counts is not None:
        p = all_counts / y.size
        q = reference_counts / reference_counts.sum()
        table["reference_count"] = reference_counts
        table["reference_proportion"] = q
        table["difference"] = p - q
        drift = _contingency_test(np.vstack([all_counts, reference_counts]))
        report.drift = pd.concat(
            [pd.Series({"total_variation": 0.5 * np.abs(p - q).sum()}), drift]
        )

    if groups is not None:
        report.groups, report.bias_test = _label_bias(y, classes, codes, groups)
    return report


def _label_bias(y, classes, codes, groups):
    groups, _ = check_labels(groups, input_name="groups")
    if groups.shape[0] != y.shape[0]:
        raise ValueError(
            f"groups has {groups.shape[0]} entries but y has {y.shape[0]}; give "
            "one group per label."
        )
    if classes.size < 2:
        raise ValueError(
            f"y has a single class {classes.tolist()[0]!r}: the test of label bias "
            "compares the rates of the classes across groups and needs at least "
            "two classes in y."
        )
    group_names, group_codes = np.unique(groups, return_inverse=True)
    if group_names.size < 2:
        raise ValueError(
            f"groups has a single value {group_names.tolist()[0]!r}: the test of label "
            "bias compares groups and needs at least two."
        )
    clash = [c for c in classes.tolist() if c in _GROUP_STATS]
    if clash:
        raise ValueError(
            f"y has the label(s) {clash!r}, which are also names of statistics in "
            f"the per-group table {list(_GROUP_STATS)!r}; rename those labels."
        )
    n_classes = classes.size
    table = np.bincount(
        group_codes * n_classes + codes, minlength=group_names.size * n_classes
    ).reshape(group_names.size, n_classes)
    sizes = table.sum(axis=1)
    chi2, p_value = _group_vs_rest(table)
    frame = pd.DataFrame(
        table / sizes[:, None],
        index=pd.Index(group_names, name="group"),
        columns=pd.Index(classes, name="label"),
    )
    frame["count"] = sizes
    frame["chi2"] = chi2
    frame["p_value"] = p_value
    frame["p_value_holm"] = _holm(p_value)
    frame.columns.name = None
    return frame, _contingency_test(table)
