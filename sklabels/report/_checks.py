"""The checks of an audit: a registry of small functions over one context.

A check is a :class:`Check`: a name, a title, the inputs it needs, the
targets it applies to and a function ``(context) -> CheckResult``. The
function composes what sklabels already has (confident learning,
``find_duplicates``, ``leakage_report``, ``DawidSkene``...) and returns
per-row columns (a flag and a score, higher = more suspicious), one
summary row (count, a 0-1 severity, a sentence) and the details the HTML
page and the JSON file show. ``checks=`` and the sections of the page come
from :data:`CHECKS`, in its order; :func:`register_check` adds one.
"""

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sklabels.report._context import MAX_ROBUST_Z, _shown, label_sets

__all__ = ["CHECKS", "Check", "CheckResult", "register_check"]


@dataclass
class CheckResult:
    """What one check found.

    ``columns`` maps column names of ``issues_`` to arrays of one value per
    row (the flag column is the check's name, its score ``<name>_score``);
    empty for checks about columns, annotators or the whole data.
    ``flagged`` counts ``unit`` (rows, features, annotators...).
    """

    flagged: int
    unit: str
    severity: float
    message: str
    columns: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)  # title -> DataFrame (shown)
    plot: dict = field(default_factory=dict)  # data of the check's figure


@dataclass
class Check:
    """One check: ``func(context) -> CheckResult`` and when it applies."""

    name: str
    title: str
    func: object
    requires: tuple = ()  # of "annotations", "groups", "test"
    tasks: tuple = ("classification",)
    description: str = ""
    plot: object = None  # (plot data, matplotlib Axes) -> None

    def missing(self, context):
        """The inputs this check needs that the audit was not given."""
        given = {
            "annotations": context.annotations is not None,
            "groups": context.groups is not None,
            "test": context.X_test is not None,
        }
        return [r for r in self.requires if not given[r]]


CHECKS = {}


def register_check(check):
    """Add ``check`` to the registry (it runs after those already there)."""
    if check.name in CHECKS:
        raise ValueError(f"a check named {check.name!r} is already registered.")
    CHECKS[check.name] = check
    return check


def _pct(count, total):
    return f"{100.0 * count / total:.1f} %" if total else "0 %"


def _clip(x):
    return float(min(1.0, max(0.0, x)))


def _rows(n):
    return f"{n} row{'s' if n != 1 else ''}"


# ----------------------------------------------------------------------------
# Class imbalance
# ----------------------------------------------------------------------------

_RARE_SHARE = 0.2  # a class is rare below this fraction of the uniform share


def _class_imbalance(ctx):
    from sklabels.inspection import label_distribution_report

    report = label_distribution_report(ctx.labels)
    counts = report.counts["count"].to_numpy()
    share = counts / counts.sum()
    k = counts.size
    rare = share < _RARE_SHARE / k
    flag = rare[ctx.codes]
    score = np.clip(1.0 - share * k, 0.0, 1.0)[ctx.codes]
    ratio = report.imbalance_ratio
    big, small = int(np.argmax(counts)), int(np.argmin(counts))
    message = (
        f"The largest class, {ctx.label(big)}, has {ratio:.1f} times the rows of "
        f"the smallest, {ctx.label(small)} ({counts[big]} against {counts[small]})"
    )
    if rare.any():
        names = ", ".join(ctx.label(j) for j in np.flatnonzero(rare))
        message += (
            f"; {names} {'is' if rare.sum() == 1 else 'are'} rare (under "
            f"{100 * _RARE_SHARE / k:.1f} % of the rows): a model may never predict "
            "it, and its label issues are hard to find."
        )
    else:
        message += "; no class is rare."
    table = pd.DataFrame(
        {"label": [str(c) for c in ctx.classes], "rows": counts, "share": share}
    )
    return CheckResult(
        flagged=int(flag.sum()),
        unit="rows",
        severity=_clip(np.log10(ratio) / 2),
        message=message,
        columns={"class_imbalance": flag, "class_imbalance_score": score},
        tables={"Rows per class": table},
        plot={
            "labels": [str(c) for c in ctx.classes],
            "values": counts.tolist(),
            "xlabel": "rows",
        },
    )


def _plot_bars(data, ax):
    labels, values = data["labels"], data["values"]
    y = np.arange(len(labels))
    ax.barh(y, values, color=data.get("color", "#4c72b0"))
    ax.set_yticks(y, [_plain(v) for v in labels])
    ax.invert_yaxis()
    ax.set_xlabel(_plain(data.get("xlabel", ""), 80))
    if "threshold" in data:
        ax.axvline(data["threshold"], color="#c44e52", linestyle="--")


def _plain(text, limit=30):
    """A string safe for matplotlib's text: no mathtext, bounded length."""
    text = str(text)
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return text.replace("$", r"\$")


register_check(
    Check(
        "class_imbalance",
        "Class balance",
        _class_imbalance,
        description=(
            "How many rows carry each label. A class is rare when it holds "
            "less than a fifth of the share it would have if the classes were "
            "balanced; the severity grows with the log of the imbalance ratio "
            "(1 at a ratio of 100)."
        ),
        plot=_plot_bars,
    )
)

# ----------------------------------------------------------------------------
# Tag balance (multi-label)
# ----------------------------------------------------------------------------

_RARE_TAG_RATIO = 10.0  # a rare tag: 10 times rarer than the most frequent


def _tag_imbalance(ctx):
    from sklabels.multilabel import imbalance_ratio_per_label, mean_imbalance_ratio

    Y, n = ctx.Y, ctx.n_samples
    counts = Y.sum(axis=0)
    used = np.flatnonzero(counts > 0)
    irlbl = np.full(counts.size, np.inf)
    irlbl[used] = imbalance_ratio_per_label(Y[:, used])
    mean_ir = mean_imbalance_ratio(Y[:, used])
    rare = np.isfinite(irlbl) & (irlbl > _RARE_TAG_RATIO) & (irlbl > mean_ir)
    flag = Y[:, rare].any(axis=1)
    score = (Y * np.where(np.isfinite(irlbl), 1.0 - 1.0 / irlbl, 0.0)).max(axis=1)
    big = used[np.argmax(counts[used])]
    small = used[np.argmin(counts[used])]
    message = (
        f"The most frequent tag, {ctx.label(big)}, is on {_rows(int(counts[big]))}, "
        f"the rarest, {ctx.label(small)}, on {int(counts[small])} (imbalance ratio "
        f"{irlbl[small]:.1f}; mean over the tags, MeanIR, {mean_ir:.1f})"
    )
    if rare.any():
        names = ", ".join(ctx.label(j) for j in np.flatnonzero(rare)[:10])
        more = " and others" if rare.sum() > 10 else ""
        message += (
            f"; {names}{more} {'is' if rare.sum() == 1 else 'are'} rare (more than "
            f"{_RARE_TAG_RATIO:.0f} times rarer than {ctx.label(big)} and rarer than "
            "the mean): a model seldom predicts "
            f"{'it' if rare.sum() == 1 else 'them'}, and missing tags are hard to "
            "find there."
        )
    else:
        message += "; no tag is rare."
    never = np.flatnonzero(counts == 0)
    if never.size:
        message += f" Never given: {', '.join(ctx.label(j) for j in never[:10])}."
    everywhere = np.flatnonzero(counts == n)
    if everywhere.size:
        message += (
            f" On every row (says nothing): "
            f"{', '.join(ctx.label(j) for j in everywhere[:10])}."
        )
    empty = int((~Y.any(axis=1)).sum())
    if empty:
        message += f" {_rows(empty)} carry no tag."
    labels = [str(c) for c in ctx.classes]
    table = pd.DataFrame(
        {
            "tag": labels,
            "rows": counts,
            "share": (counts / n).round(4),
            "imbalance ratio (IRLbl)": np.where(
                np.isfinite(irlbl), irlbl, np.nan
            ).round(2),
            "rare": rare,
        }
    )
    return CheckResult(
        flagged=int(flag.sum()),
        unit="rows",
        severity=_clip(np.log10(mean_ir) / 2),
        message=message,
        columns={"tag_imbalance": flag, "tag_imbalance_score": score},
        tables={"Rows per tag": table},
        plot={"labels": labels, "values": counts.tolist(), "xlabel": "rows"},
    )


register_check(
    Check(
        "tag_imbalance",
        "Tag balance (multi-label)",
        _tag_imbalance,
        tasks=("multilabel",),
        description=(
            "How many rows carry each tag, and each tag's imbalance ratio "
            "(IRLbl: how many times rarer it is than the most frequent tag) "
            "with their mean (MeanIR), by "
            "sklabels.multilabel.imbalance_ratio_per_label and "
            "mean_imbalance_ratio (Charte et al. 2015). A tag is rare when it is "
            "more than 10 times rarer than the most frequent tag and above "
            "MeanIR (Charte's minority tags). Rows carrying a rare tag are "
            "flagged; score: 1 - 1 / IRLbl of the row's rarest tag. Severity: "
            "log10(MeanIR) / 2 (1 at 100)."
        ),
        plot=_plot_bars,
    )
)

# ----------------------------------------------------------------------------
# Leakage (before the model: its suspects are left out of the model)
# ----------------------------------------------------------------------------


def _leakage(ctx):
    report = ctx.leakage()
    ids = ctx.identifier_columns()
    suspects = report.index[report["leak_suspect"].to_numpy()].tolist()
    id_like = list(report.index[report["identifier_like"].to_numpy()])
    id_like += [c for c in ids if c not in id_like]
    flagged = list(dict.fromkeys(suspects + id_like))
    parts = []
    for name in suspects:
        reason = report.loc[name, "reason"].split(": ")[0]
        reason = reason[:1].lower() + reason[1:]
        tag = (
            f" of the tag {_shown(report.loc[name, 'tag'])}" if "tag" in report else ""
        )
        parts.append(f"{_shown(name)} looks like a leak{tag}: {reason}")
    only_ids = [c for c in id_like if c not in suspects]
    if only_ids:
        names = ", ".join(map(_shown, only_ids))
        parts.append(
            f"{names} look{'s' if len(only_ids) == 1 else ''} like a row "
            "identifier: leave it out of the features"
        )
    if parts:
        message = "; ".join(parts) + (
            ". The model of the other checks does not use these columns."
        )
    else:
        what = "any tag" if "tag" in report else "the label"
        message = (
            f"No feature of {report.shape[0]} predicts {what} suspiciously well "
            "alone, and none looks like a row identifier."
        )
    if "tag" in report:
        message += " Each tag is scored on its own: the scores need one target."
    metric = report.attrs.get("metric", "score")
    shown_columns = ["feature", "score", "null_mean", "identifier_like"]
    shown_columns += ["leak_suspect", "reason"]
    if "tag" in report:
        shown_columns.insert(1, "tag")
    table = report.reset_index()[shown_columns]
    if "tag" in table:
        table["tag"] = table["tag"].map(str)
    table = table.sort_values("score", ascending=False, kind="stable")
    table = table.assign(feature=table["feature"].map(str))
    top = table.head(20)
    severity = 1.0 if suspects else (0.3 if only_ids else 0.0)
    return CheckResult(
        flagged=len(flagged),
        unit="features",
        severity=severity,
        message=message,
        tables={"Features, best alone first": top},
        plot={
            "labels": top["feature"].tolist(),
            "values": top["score"].round(4).tolist(),
            "xlabel": f"{metric} of the feature alone (out of fold)",
            "threshold": float(report.attrs.get("threshold", 1.0)),
        },
    )


register_check(
    Check(
        "leakage",
        "Leakage suspects",
        _leakage,
        tasks=("classification", "regression", "multilabel"),
        description=(
            "Each feature alone is scored out of fold against the same score "
            "on permuted labels (sklabels.inspection.leakage_report). A feature "
            "that predicts the label almost perfectly alone, far better than "
            "every other, or while looking like a row identifier is a leak "
            "suspect. Suspects and identifier-like columns are left out of the "
            "model of the other checks. A multi-label target is scored tag by "
            "tag (the scores need one target); a suspect for any tag is a "
            "suspect. Severity 1 with a suspect, 0.3 with identifier-like "
            "columns only."
        ),
        plot=_plot_bars,
    )
)

# ----------------------------------------------------------------------------
# Label issues (confident learning on the shared out-of-fold probabilities)
# ----------------------------------------------------------------------------

_TOP_ROWS = 20


def _label_issues(ctx):
    cl = ctx.out_of_fold()
    proba = cl.pred_probs_
    flag = np.asarray(cl.label_issues_, dtype=bool)
    quality = np.asarray(cl.label_quality_, dtype=np.float64)
    suggested = proba.argmax(axis=1)
    n, n_flag = ctx.n_samples, int(flag.sum())
    message = f"{_rows(n_flag)} ({_pct(n_flag, n)}) probably carry the wrong label"
    if n_flag:
        pairs = pd.Series(
            list(zip(ctx.codes[flag], suggested[flag], strict=True))
        ).value_counts()
        (given, true), count = pairs.index[0], int(pairs.iloc[0])
        lead = "most are" if count * 2 > n_flag else f"the most common ({count}):"
        message += f"; {lead} {ctx.label(true)} labeled {ctx.label(given)}."
    else:
        message += ": none is flagged."
    order = np.argsort(quality, kind="stable")
    top = order[flag[order]][:_TOP_ROWS]
    rows = pd.DataFrame(
        {
            "row": [_shown(i) for i in ctx.index[top]],
            "given label": [ctx.label(c) for c in ctx.codes[top]],
            "suggested label": [ctx.label(c) for c in suggested[top]],
            "P(given)": proba[top, ctx.codes[top]].round(3),
            "P(suggested)": proba[top, suggested[top]].round(3),
        }
    )
    labels = [str(c) for c in ctx.classes]
    joint = pd.DataFrame(cl.confident_joint_, index=labels, columns=labels)
    joint.index.name = "given \\ true"
    return CheckResult(
        flagged=n_flag,
        unit="rows",
        severity=_clip(5.0 * n_flag / n),
        message=message,
        columns={
            "label_issue": flag,
            "label_issue_score": 1.0 - quality,
            "suggested_label": ctx.classes[suggested],
        },
        tables={
            "Most suspicious rows": rows,
            "Confident joint (rows: given label, columns: true label)": (
                joint.reset_index()
            ),
        },
        plot={
            "matrix": np.asarray(cl.noise_matrix_).round(3).tolist(),
            "labels": labels,
        },
    )


def _plot_matrix(data, ax):
    matrix = np.asarray(data["matrix"], dtype=float)
    labels = [_plain(v, 15) for v in data["labels"]]
    ax.imshow(matrix, cmap="Blues", vmin=0, vmax=1)
    ticks = np.arange(len(labels))
    ax.set_xticks(ticks, labels, rotation=45, ha="right")
    ax.set_yticks(ticks, labels)
    ax.set_xlabel("true label")
    ax.set_ylabel("given label")
    if matrix.shape[0] <= 12:
        for (i, j), v in np.ndenumerate(matrix):
            ax.text(
                j, i, f"{v:.2f}", ha="center", va="center", fontsize=8,
                color="white" if v > 0.5 else "black",
            )  # fmt: skip
    ax.set_title("P(given label | true label)")


register_check(
    Check(
        "label_issues",
        "Label issues",
        _label_issues,
        description=(
            "Confident learning (sklabels.noise.find_label_issues, "
            "prune_by_noise_rate) on the out-of-fold probabilities of the "
            "model: the rows whose given label is least plausible, as many as "
            "the estimated number of wrong labels between each pair of "
            "classes. Assumes the noise depends on the classes, not on the "
            "row, and a model better than chance. Score: 1 - P(given label). "
            "Severity: 5 x the flagged share (1 at 20 %)."
        ),
        plot=_plot_matrix,
    )
)

# ----------------------------------------------------------------------------
# Multi-label issues (one-vs-rest confident learning on shared P(tag))
# ----------------------------------------------------------------------------


def _multilabel_issues(ctx):
    from sklabels.noise import find_multilabel_issues, multilabel_quality_scores

    Y, proba = ctx.Y, ctx.out_of_fold_multilabel()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # rare tags: said below
        flag = find_multilabel_issues(Y, proba)
        per_tag = np.column_stack(
            [
                find_multilabel_issues(Y[:, [j]], proba[:, [j]])
                for j in range(Y.shape[1])
            ]
        )
    quality = multilabel_quality_scores(Y, proba)
    missing, wrong = per_tag & ~Y, per_tag & Y
    n, n_flag = ctx.n_samples, int(flag.sum())
    message = (
        f"{_rows(n_flag)} ({_pct(n_flag, n)}) probably miss a tag or carry a wrong one"
    )
    involved = per_tag.sum(axis=0)
    if n_flag:
        j = int(np.argmax(involved))
        message += (
            f"; the tag most often involved is {ctx.label(j)} "
            f"({_rows(int(involved[j]))}: {int(missing[:, j].sum())} probably miss it, "
            f"{int(wrong[:, j].sum())} probably carry it wrongly)."
        )
    else:
        message += ": none is flagged."
    suggested = label_sets(Y ^ per_tag, ctx.classes)
    order = np.argsort(quality, kind="stable")
    top = order[flag[order]][:_TOP_ROWS]

    def tags(matrix):
        return [", ".join(map(_shown, t)) for t in label_sets(matrix, ctx.classes)]

    rows = pd.DataFrame(
        {
            "row": [_shown(i) for i in ctx.index[top]],
            "given tags": ctx.shown_given(top),
            "probably missing": tags(missing[top]),
            "probably wrong": tags(wrong[top]),
            "quality": quality[top].round(3),
        }
    )
    counts = pd.DataFrame(
        {
            "tag": [str(c) for c in ctx.classes],
            "rows with the tag": Y.sum(axis=0),
            "probably missing it": missing.sum(axis=0),
            "probably wrongly given it": wrong.sum(axis=0),
        }
    )
    return CheckResult(
        flagged=n_flag,
        unit="rows",
        severity=_clip(5.0 * n_flag / n),
        message=message,
        columns={
            "multilabel_issue": flag,
            "multilabel_issue_score": 1.0 - quality,
            "suggested_tags": suggested,
        },
        tables={"Most suspicious rows": rows, "Issues per tag": counts},
        plot={
            "labels": [str(c) for c in ctx.classes],
            "values": involved.tolist(),
            "xlabel": "rows whose tag looks wrong (missing or wrongly given)",
        },
    )


register_check(
    Check(
        "multilabel_issues",
        "Label issues (multi-label)",
        _multilabel_issues,
        tasks=("multilabel",),
        description=(
            "Out-of-fold probabilities of each tag (one classifier per tag, "
            "sklabels.multilabel.BinaryRelevance, on the folds of "
            "MultilabelStratifiedKFold), then one-vs-rest confident learning "
            "(sklabels.noise.find_multilabel_issues, Thyagarajan et al. 2023): "
            "each tag is a yes/no label, and a row is flagged when any of its "
            "tags looks wrongly given or missing. suggested_tags flips the "
            "tags found. Score: 1 - multilabel_quality_scores (self-confidence "
            "per tag, exponential moving average). Severity: 5 x the flagged "
            "share."
        ),
        plot=_plot_bars,
    )
)

# ----------------------------------------------------------------------------
# Regression targets: RegressionLabelFilter on the shared out-of-fold predictions
# ----------------------------------------------------------------------------


def _amount(value):
    """A number in the target's units, 3 significant digits, no exponent."""
    return np.format_float_positional(
        float(value), precision=3, unique=False, fractional=False, trim="-"
    )


def _regression_residuals(ctx):
    flt = ctx.out_of_fold_regression()
    predictions = np.asarray(flt.predictions_, dtype=np.float64)
    report = flt.label_issues_report_
    z = report["residual_z"].to_numpy(dtype=np.float64)
    flag = np.asarray(flt.label_issues_, dtype=bool)
    gap = ctx.labels - predictions
    n_flag, n = int(flag.sum()), ctx.n_samples
    name = ctx.target_name
    message = (
        f"{_rows(n_flag)} ({_pct(n_flag, n)}) "
        f"{'has' if n_flag == 1 else 'have'} a target far from what the other "
        f"columns predict (more than {MAX_ROBUST_Z} times the typical gap of "
        f"{_amount(flt.residual_scale_)})"
    )
    if n_flag:
        worst = int(np.argmax(np.where(flag, np.abs(gap), -np.inf)))
        message += (
            f"; the largest gap is {_amount(abs(gap[worst]))} ({name}): row "
            f"{_shown(ctx.index[worst])} has {_amount(ctx.labels[worst])}, the "
            f"model predicts {_amount(predictions[worst])}."
        )
    else:
        message += ": none is flagged."
    order = np.argsort(-z, kind="stable")
    top = order[flag[order]][:_TOP_ROWS]
    rows = pd.DataFrame(
        {
            "row": [_shown(i) for i in ctx.index[top]],
            f"given {name}": ctx.labels[top],
            "predicted (out of fold)": predictions[top].round(4),
            "gap": gap[top].round(4),
            "robust z": z[top].round(2),
        }
    )
    shown = min(n, 5000)
    return CheckResult(
        flagged=n_flag,
        unit="rows",
        severity=_clip(5.0 * n_flag / n),
        message=message,
        columns={
            "regression_residual": flag,
            "regression_residual_score": 1.0 - flt.label_quality_,
            "predicted_value": predictions,
        },
        tables={"Largest gaps": rows},
        plot={
            "given": ctx.labels[:shown].tolist(),
            "predicted": predictions[:shown].tolist(),
            "flag": flag[:shown].tolist(),
        },
    )


def _plot_residuals(data, ax):
    given = np.asarray(data["given"])
    predicted = np.asarray(data["predicted"])
    flag = np.asarray(data["flag"], dtype=bool)
    ax.scatter(predicted[~flag], given[~flag], s=6, alpha=0.5, label="kept")
    ax.scatter(predicted[flag], given[flag], s=14, color="#c44e52", label="flagged")
    low, high = (
        np.nanmin([given.min(), predicted.min()]),
        max(given.max(), predicted.max()),
    )
    ax.plot([low, high], [low, high], color="grey", linewidth=1)
    ax.set_xlabel("predicted out of fold")
    ax.set_ylabel("given")
    ax.legend()


register_check(
    Check(
        "regression_residuals",
        "Implausible targets (regression)",
        _regression_residuals,
        tasks=("regression",),
        description=(
            "For a numeric target: sklabels.noise.RegressionLabelFilter on the "
            "out-of-fold predictions of the model. Each residual is measured "
            "in robust standard deviations (1.4826 x the median absolute "
            "deviation, the typical gap) from the median residual; rows beyond "
            "3.5 are flagged, then the folds are fitted again without them and "
            "every row is judged anew (a wrong target pulls the model towards "
            "itself). Score: erf(z / sqrt 2), 1 - the two-sided normal tail "
            "(0.9995 at the cut). Severity: 5 x the flagged share."
        ),
        plot=_plot_residuals,
    )
)

# ----------------------------------------------------------------------------
# Duplicates and conflicting labels
# ----------------------------------------------------------------------------


def _duplicates(ctx):
    from sklabels.inspection import find_duplicates

    columns = ctx.content_columns()
    with ctx.progress.timed("exact duplicates"):
        found = find_duplicates(ctx.X[columns], ctx.label_keys())
    group = found["duplicate_group"].to_numpy()
    conflicting = found["conflicting_label"].to_numpy()
    dup = group >= 0
    n, n_dup, n_conf = ctx.n_samples, int(dup.sum()), int(conflicting.sum())
    n_groups = np.unique(group[conflicting]).size
    skipped = [c for c in ctx.X.columns if c not in columns]
    message = f"{_rows(n_dup)} ({_pct(n_dup, n)}) repeat another row exactly"
    if skipped:
        message += f" (ignoring {', '.join(map(_shown, skipped))})"
    if n_conf:
        message += (
            f"; {n_conf} of them, in {n_groups} group{'s' if n_groups != 1 else ''}, "
            "carry different labels for the same features: the data cannot say "
            "which is right."
        )
    elif n_dup:
        message += "; each group carries one label (they inflate a CV score)."
    else:
        message += "."
    score = np.where(conflicting, 1.0, np.where(dup, 0.5, 0.0))
    shown = np.flatnonzero(conflicting)
    shown = shown[np.lexsort((shown, group[shown]))][: 2 * _TOP_ROWS]
    rows = pd.DataFrame(
        {
            "row": [_shown(i) for i in ctx.index[shown]],
            "group": group[shown],
            "given label": ctx.shown_given(shown),
        }
    )
    return CheckResult(
        flagged=n_dup,
        unit="rows",
        severity=_clip(10.0 * n_conf / n + 2.0 * (n_dup - n_conf) / n),
        message=message,
        columns={
            "duplicate": dup,
            "duplicate_score": score,
            "duplicate_group": group,
        },
        tables={"Duplicates with conflicting labels": rows},
    )


register_check(
    Check(
        "duplicates",
        "Duplicates and conflicting labels",
        _duplicates,
        tasks=("classification", "regression", "multilabel"),
        description=(
            "Rows identical in every feature but the identifier-like columns "
            "(sklabels.inspection.find_duplicates, by hashing). Duplicates "
            "inflate a cross-validated score; duplicates with different labels "
            "(for tags: different sets of tags) cannot both be right. Score: 1 "
            "in a conflicting group, 0.5 in another group. Severity: 10 x the "
            "conflicting share + 2 x the other duplicates' share."
        ),
    )
)

# ----------------------------------------------------------------------------
# Annotators: quality, and agreement of their consensus with the target
# ----------------------------------------------------------------------------

_MIN_SKILL = 0.2  # "slight" agreement beyond chance (Landis and Koch, 1977)


def _crowd(ctx):
    def compute():
        from sklabels.aggregation import DawidSkene
        from sklabels.metrics import krippendorff_alpha

        L, names = ctx.label_matrix()
        voted = (L >= 0).any(axis=1)
        if not voted.any():
            raise ValueError("annotations hold no label for any row.")
        k = ctx.classes.size
        with ctx.progress.timed(f"annotators ({len(names)}, Dawid-Skene)"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                model = DawidSkene(n_classes=k).fit(L[voted])
            posterior = np.full((ctx.n_samples, k), np.nan)
            posterior[voted] = model.predict_proba(L[voted])
        cm = model.confusion_matrices_  # (sources, true, said)
        prior = model.class_priors_
        accuracy = np.einsum("k,skk->s", prior, cm)
        said = np.einsum("k,skl->sl", prior, cm)  # each source's label shares
        chance = said @ prior
        skill = (accuracy - chance) / np.maximum(1.0 - chance, 1e-12)
        n_labels = (L >= 0).sum(axis=0)
        consensus = np.where(voted, np.nan_to_num(posterior).argmax(axis=1), -1)
        agree = np.array(
            [
                np.mean(L[L[:, s] >= 0, s] == consensus[L[:, s] >= 0])
                if n_labels[s]
                else np.nan
                for s in range(L.shape[1])
            ]
        )
        try:
            alpha = float(krippendorff_alpha(L[voted], n_classes=k))
        except (ValueError, RuntimeWarning):
            alpha = np.nan
        return {
            "L": L,
            "names": names,
            "voted": voted,
            "posterior": posterior,
            "consensus": consensus,
            "accuracy": accuracy,
            "skill": skill,
            "agree": agree,
            "n_labels": n_labels,
            "alpha": alpha,
        }

    return ctx.cached("crowd", compute)


def _crowdlab(ctx):
    """CROWDLAB (sklabels.noise.multiannotator_label_quality) on the rows with
    an annotation and the shared out-of-fold probabilities.

    Returns ``None`` and the reason when it cannot be estimated (no row with
    two annotations), else ``(per-row DataFrame over every row, per-annotator
    DataFrame in the annotators' order)``; rows without annotation are NaN.
    """

    def compute():
        from sklabels.noise import multiannotator_label_quality

        crowd = _crowd(ctx)
        L, voted = crowd["L"], crowd["voted"]
        if not ((L[voted] >= 0).sum(axis=1) > 1).any():
            return None, "no row has two annotations"
        proba = ctx.out_of_fold().pred_probs_
        used = (L[voted] >= 0).any(axis=0)
        with ctx.progress.timed("annotators (CROWDLAB)"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                items, annotators = multiannotator_label_quality(
                    L[np.ix_(voted, used)], proba[voted]
                )
        rows = pd.DataFrame(
            {
                "consensus_label": np.full(ctx.n_samples, -1, dtype=np.int64),
                "consensus_quality_score": np.full(ctx.n_samples, np.nan),
            }
        )
        rows.loc[voted, "consensus_label"] = items["consensus_label"].to_numpy()
        rows.loc[voted, "consensus_quality_score"] = items[
            "consensus_quality_score"
        ].to_numpy()
        per_annotator = pd.DataFrame(
            {
                "annotator_quality": np.full(L.shape[1], np.nan),
                "worst_class": np.full(L.shape[1], -1, dtype=np.int64),
            }
        )
        per_annotator.loc[used, "annotator_quality"] = annotators[
            "annotator_quality"
        ].to_numpy()
        per_annotator.loc[used, "worst_class"] = annotators["worst_class"].to_numpy()
        return (rows, per_annotator), ""

    return ctx.cached("crowdlab", compute)


def _alpha_words(alpha):
    if np.isnan(alpha):
        return "cannot be measured (no row has two labels)"
    for limit, words in (
        (0.2, "agree little"),
        (0.4, "agree fairly"),
        (0.6, "agree moderately"),
        (0.8, "agree substantially"),
    ):
        if alpha < limit:
            return f"{words} (Krippendorff's alpha {alpha:.2f})"
    return f"agree almost perfectly (Krippendorff's alpha {alpha:.2f})"


def _annotator_quality(ctx):
    crowd = _crowd(ctx)
    names, skill = crowd["names"], crowd["skill"]
    active = crowd["n_labels"] > 0
    bad = active & (skill < _MIN_SKILL)
    message = f"The {int(active.sum())} annotators {_alpha_words(crowd['alpha'])}"
    if bad.any():
        who = ", ".join(
            f"{_shown(names[s])} (agreement beyond chance {skill[s]:.2f}, "
            f"{int(crowd['n_labels'][s])} labels)"
            for s in np.flatnonzero(bad)
        )
        n_bad = int(bad.sum())
        message += (
            f"; {n_bad} annotator{'s' if n_bad > 1 else ''} "
            f"label{'s' if n_bad == 1 else ''} no better than chance: {who}. "
            "Review or drop their labels."
        )
    else:
        message += "; every annotator labels clearly better than chance."
    L = crowd["L"]
    from_bad = (L[:, bad] >= 0).sum(axis=1)
    per_row = (L >= 0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(per_row > 0, from_bad / np.maximum(per_row, 1), 0.0)
    table = pd.DataFrame(
        {
            "annotator": names,
            "labels": crowd["n_labels"],
            "agreement with consensus": crowd["agree"].round(3),
            "estimated accuracy": crowd["accuracy"].round(3),
            "agreement beyond chance": skill.round(3),
            "flagged": bad,
        }
    )
    found, why_not = _crowdlab(ctx)
    if found is None:
        message += f" (CROWDLAB's annotator quality needs items shared: {why_not}.)"
    else:
        quality = found[1]["annotator_quality"].to_numpy()
        worst = found[1]["worst_class"].to_numpy()
        table["quality (CROWDLAB)"] = quality.round(3)
        table["worst class (CROWDLAB)"] = [
            ctx.label(c) if c >= 0 else "" for c in worst
        ]
        if np.isfinite(quality).any():
            low = int(np.nanargmin(quality))
            message += (
                f" CROWDLAB, which weighs the annotators with the model, rates "
                f"{_shown(names[low])} lowest (quality {quality[low]:.2f}; "
                f"its {ctx.label(worst[low])} labels miss the consensus most "
                "often)."
            )
    return CheckResult(
        flagged=int(bad.sum()),
        unit="annotators",
        severity=_clip(max(bad.sum() / max(active.sum(), 1) * 2, 0.0)),
        message=message,
        columns={
            "annotator_quality": from_bad > 0,
            "annotator_quality_score": share,
        },
        tables={"Annotators": table},
        plot={
            "labels": list(names),
            "values": skill.round(3).tolist(),
            "xlabel": "agreement beyond chance (Dawid-Skene)",
            "threshold": _MIN_SKILL,
        },
    )


def _consensus(ctx):
    crowd = _crowd(ctx)
    voted, posterior, consensus = crowd["voted"], crowd["posterior"], crowd["consensus"]
    differs = voted & (consensus != ctx.codes)
    given_p = np.where(
        voted, np.nan_to_num(posterior)[np.arange(ctx.n_samples), ctx.codes], np.nan
    )
    n, n_flag = ctx.n_samples, int(differs.sum())
    message = (
        f"On {_rows(n_flag)} ({_pct(n_flag, n)}) the annotators' consensus "
        f"(Dawid-Skene) differs from the column {_shown(ctx.target_name)}"
    )
    if n_flag:
        pairs = pd.Series(
            list(zip(ctx.codes[differs], consensus[differs], strict=True))
        ).value_counts()
        (given, agreed), count = pairs.index[0], int(pairs.iloc[0])
        lead = "most are" if count * 2 > n_flag else f"the most common ({count}):"
        message += f"; {lead} {ctx.label(agreed)} for the annotators, "
        message += f"{ctx.label(given)} in the target."
    else:
        message += "."
    if (~voted).any():
        message += f" {_rows(int((~voted).sum()))} have no annotation."
    order = np.argsort(np.nan_to_num(given_p, nan=2.0), kind="stable")
    top = order[differs[order]][:_TOP_ROWS]
    rows = pd.DataFrame(
        {
            "row": [_shown(i) for i in ctx.index[top]],
            "given label": [ctx.label(c) for c in ctx.codes[top]],
            "consensus": [ctx.label(c) for c in consensus[top]],
            "P(given | annotations)": given_p[top].round(3),
        }
    )
    columns = {"consensus": differs, "consensus_score": 1.0 - given_p}
    found, why_not = _crowdlab(ctx)
    if found is not None:
        codes = found[0]["consensus_label"].to_numpy()
        quality = found[0]["consensus_quality_score"].to_numpy()
        columns["crowdlab_consensus"] = np.where(
            codes >= 0, ctx.classes[np.maximum(codes, 0)], None
        )
        columns["crowdlab_consensus_quality"] = quality
        rows["CROWDLAB consensus"] = [ctx.label(c) for c in codes[top]]
        rows["CROWDLAB quality"] = quality[top].round(3)
        doubtful = int(np.count_nonzero(quality < 0.5))
        message += (
            f" CROWDLAB (annotators and model together) gives {_rows(doubtful)} "
            "a consensus more likely wrong than right (quality below 0.5)."
        )
    else:
        message += f" CROWDLAB cannot be estimated: {why_not}."
    return CheckResult(
        flagged=n_flag,
        unit="rows",
        severity=_clip(5.0 * n_flag / n),
        message=message,
        columns=columns,
        tables={"Rows where the annotators disagree with the target": rows},
    )


register_check(
    Check(
        "annotator_quality",
        "Annotator quality",
        _annotator_quality,
        requires=("annotations",),
        description=(
            "A Dawid-Skene model (sklabels.aggregation.DawidSkene) of the "
            "annotations gives each annotator a confusion matrix; its agreement "
            "beyond chance is (accuracy - chance) / (1 - chance), chance being "
            "the accuracy of an annotator who gives its labels at its own "
            "rates regardless of the item. Below 0.2 (slight), the annotator "
            "is flagged: a spammer or a misunderstanding of the task. The "
            "agreement of all annotators is Krippendorff's alpha "
            "(sklabels.metrics). The table adds CROWDLAB's annotator quality "
            "(sklabels.noise.multiannotator_label_quality, which weighs the "
            "annotators with the model's out-of-fold probabilities) and the "
            "class each annotator gets most often wrong; the flag stays "
            "Dawid-Skene's, which is corrected for chance. Severity: 2 x the "
            "flagged share of annotators."
        ),
        plot=_plot_bars,
    )
)

register_check(
    Check(
        "consensus",
        "Annotators against the target",
        _consensus,
        requires=("annotations",),
        description=(
            "The rows whose Dawid-Skene consensus of the annotations differs "
            "from the target column (the annotations alone: a model trained "
            "on the target would lean towards it). Score: 1 - P(given label | "
            "annotations). With rows labeled by two annotators or more, "
            "CROWDLAB's consensus and its quality (the posterior probability "
            "of the consensus given the annotators and the model) are added "
            "per row (crowdlab_consensus, crowdlab_consensus_quality). "
            "Severity: 5 x the flagged share."
        ),
    )
)

# ----------------------------------------------------------------------------
# Test data: overlap and label shift
# ----------------------------------------------------------------------------


def _test_overlap(ctx):
    from sklabels.inspection import train_test_overlap

    columns = ctx.content_columns()
    train = ctx.X[columns].reset_index(drop=True)
    test = ctx.X_test[columns].reset_index(drop=True)
    train_labels, test_labels = ctx.overlap_labels()
    with ctx.progress.timed("train/test overlap"):
        found = train_test_overlap(
            train, test, train_labels if test_labels is not None else None, test_labels
        )
    n_test = ctx.X_test.shape[0]
    n_found = found.shape[0]
    hit = np.zeros(ctx.n_samples, dtype=bool)
    hit[found["train_index"].to_numpy(dtype=np.intp)] = True
    message = (
        f"{n_found} test row{'s' if n_found != 1 else ''} ({_pct(n_found, n_test)}) "
        "repeat a training row exactly"
    )
    if "label_differs" in found and n_found:
        message += f", {int(found['label_differs'].sum())} of them with another label"
    message += (
        ": a score on them measures memory, not generalisation." if n_found else "."
    )
    table = found.head(2 * _TOP_ROWS).reset_index(names="test row")
    table["train_index"] = [_shown(i) for i in ctx.index[table["train_index"]]]
    return CheckResult(
        flagged=n_found,
        unit="test rows",
        severity=_clip(5.0 * n_found / n_test),
        message=message,
        columns={"test_overlap": hit, "test_overlap_score": hit.astype(np.float64)},
        tables={"Test rows found in training": table},
    )


_SHIFT_TV = 0.1  # total variation from which the priors count as shifted


def _label_shift(ctx):
    from sklabels.inspection import estimate_label_shift, label_distribution_report

    counts = np.bincount(ctx.codes, minlength=ctx.classes.size)
    source = counts / counts.sum()
    proba = ctx.test_proba()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        estimated = np.asarray(estimate_label_shift(proba, source, method="em"))
    observed, unseen = None, []
    if ctx.y_test is not None:
        ref = label_distribution_report(ctx.y_test, y_reference=ctx.labels).counts
        observed = np.array(
            [ref.loc[c, "proportion"] if c in ref.index else 0.0 for c in ctx.classes]
        )
        unseen = [c for c in ref.index if c not in set(ctx.classes.tolist())]
    target = observed if observed is not None else estimated
    tv = 0.5 * np.abs(target - source).sum()
    moved = np.abs(target - source) >= 0.05
    where = (
        "observed in the test labels"
        if observed is not None
        else ("estimated from the model's predictions on the test rows (EM)")
    )
    if tv >= _SHIFT_TV:
        order = np.argsort(-np.abs(target - source))[:3]
        changes = ", ".join(
            f"{ctx.label(j)} {100 * source[j]:.0f} % \u2192 {100 * target[j]:.0f} %"
            for j in order
        )
        message = (
            f"The test data has other class shares (total variation {tv:.2f}, "
            f"{where}): {changes}. Scores on it do not carry over; reweight or "
            "adapt the priors (sklabels.inspection.LabelShiftClassifier)."
        )
    else:
        message = (
            f"The class shares of the test data match training (total variation "
            f"{tv:.2f}, {where})."
        )
    if unseen:
        share = 1.0 - observed.sum()
        message += (
            f" {100 * share:.1f} % of the test rows carry labels never seen in "
            f"training: {', '.join(map(_shown, unseen[:5]))}."
        )
    labels = [str(c) for c in ctx.classes]
    table = pd.DataFrame(
        {"label": labels, "training": source.round(4), "test (estimated)": estimated}
    )
    if observed is not None:
        table["test (observed)"] = observed.round(4)
    table["test (estimated)"] = table["test (estimated)"].round(4)
    return CheckResult(
        flagged=int(moved.sum()) if tv >= _SHIFT_TV else 0,
        unit="classes",
        severity=_clip(2.0 * tv),
        message=message,
        tables={"Class shares": table},
        plot={
            "labels": labels,
            "training": source.tolist(),
            "test": target.tolist(),
        },
    )


def _plot_shift(data, ax):
    labels = [_plain(v) for v in data["labels"]]
    y = np.arange(len(labels))
    ax.barh(y - 0.2, data["training"], height=0.4, label="training")
    ax.barh(y + 0.2, data["test"], height=0.4, label="test", color="#dd8452")
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel("share of rows")
    ax.legend()


register_check(
    Check(
        "test_overlap",
        "Train/test overlap",
        _test_overlap,
        requires=("test",),
        tasks=("classification", "regression", "multilabel"),
        description=(
            "Test rows identical to a training row in every feature but the "
            "identifier-like columns (sklabels.inspection.train_test_overlap). "
            "Severity: 5 x the share of test rows repeated."
        ),
    )
)

register_check(
    Check(
        "label_shift",
        "Label shift",
        _label_shift,
        requires=("test",),
        description=(
            "The class shares of the test data, observed (with test labels) or "
            "estimated by EM from the predictions of the model fitted on every "
            "training row (sklabels.inspection.estimate_label_shift; assumes "
            "p(x | y) unchanged and calibrated probabilities). Shifted from a "
            "total variation of 0.1. Severity: 2 x the total variation."
        ),
        plot=_plot_shift,
    )
)

# ----------------------------------------------------------------------------
# Label bias across groups
# ----------------------------------------------------------------------------

_BIAS_P = 0.01


def _label_bias(ctx):
    from sklabels.inspection import label_distribution_report

    report = label_distribution_report(ctx.labels, groups=ctx.groups)
    table = report.groups
    overall = report.counts["proportion"]
    p_value = float(report.bias_test["p_value"])
    flagged_groups = table.index[table["p_value_holm"].to_numpy() < _BIAS_P]
    rates = table[list(report.counts.index)]
    gap = (rates - overall.to_numpy()).abs()
    group_pos = pd.Index(table.index).get_indexer(ctx.groups)
    row_flag = np.isin(ctx.groups, np.asarray(flagged_groups, dtype=object))
    row_score = 1.0 - table["p_value_holm"].to_numpy()[group_pos]
    name = _shown(ctx.group_name)
    if len(flagged_groups):
        g = flagged_groups[int(np.argmax(gap.loc[flagged_groups].max(axis=1)))]
        c = gap.loc[g].idxmax()
        message = (
            f"Label rates differ across {name} (chi-square p = {p_value:.2g}): in "
            f"group {_shown(g)}, {100 * rates.loc[g, c]:.0f} % are {_shown(c)} "
            f"against {100 * overall[c]:.0f} % overall. {len(flagged_groups)} "
            "group(s) differ after Holm's correction; check whether the labeling, "
            "not the groups, differs."
        )
        severity = _clip(2.0 * float(gap.loc[flagged_groups].to_numpy().max()))
    else:
        message = (
            f"Label rates do not differ clearly across {name} (chi-square p = "
            f"{p_value:.2g})."
        )
        severity = 0.0
    shown = table.reset_index()
    shown.columns = [str(c) for c in shown.columns]
    shown[shown.columns[0]] = shown[shown.columns[0]].map(_shown)
    return CheckResult(
        flagged=len(flagged_groups),
        unit="groups",
        severity=severity,
        message=message,
        columns={"label_bias": row_flag, "label_bias_score": row_score},
        tables={f"Label rates per {ctx.group_name}": shown.round(4)},
    )


register_check(
    Check(
        "label_bias",
        "Label bias across groups",
        _label_bias,
        requires=("groups",),
        description=(
            "Label rates per group, each group tested against the other rows "
            "by chi-square, p-values corrected by Holm's method "
            "(sklabels.inspection.label_distribution_report). A group is "
            "flagged below p = 0.01. A difference may be real (the groups "
            "differ) or come from the labeling. Severity: 2 x the largest gap "
            "between a flagged group's rate and the overall rate."
        ),
    )
)
