"""``audit``: every applicable check of a labeled table, in one call."""

import json
import math
from numbers import Integral
from pathlib import Path

import numpy as np
import pandas as pd

from sklabels.report._checks import CHECKS
from sklabels.report._context import _FOREST_BELOW, AuditContext
from sklabels.report._progress import Progress
from sklabels.utils._compat import HasMethods, validate_params

__all__ = ["LabelAudit", "audit", "available_checks"]


def available_checks():
    """The names of the checks :func:`audit` can run, in the order it runs them.

    Returns
    -------
    checks : pandas.DataFrame
        Indexed by check name: ``title``, ``requires`` (the inputs the check
        needs besides ``X`` and ``y``), ``targets`` (classification,
        regression and/or multilabel) and ``description``.

    Examples
    --------
    >>> from sklabels.report import available_checks
    >>> available_checks().index.tolist()[:3]
    ['class_imbalance', 'tag_imbalance', 'leakage']
    """
    return pd.DataFrame(
        {
            "title": [c.title for c in CHECKS.values()],
            "requires": [", ".join(c.requires) for c in CHECKS.values()],
            "targets": [", ".join(c.tasks) for c in CHECKS.values()],
            "description": [c.description for c in CHECKS.values()],
        },
        index=pd.Index(list(CHECKS), name="check"),
    )


def _select(checks, ctx):
    """The checks to run and ``{name: why not}`` for those that do not run."""
    if isinstance(checks, str):
        checks = [checks]
    if checks is not None:
        checks = list(checks)
        unknown = [c for c in checks if c not in CHECKS]
        if unknown or not checks:
            raise ValueError(
                f"checks={checks!r} names no check or unknown check(s) "
                f"{unknown!r}; the checks are {', '.join(CHECKS)}."
            )
    selected, skipped = [], {}
    for name, check in CHECKS.items():
        wanted = checks is None or name in checks
        if not wanted:
            continue
        missing = check.missing(ctx)
        if ctx.task not in check.tasks:
            reason = f"applies to {' and '.join(check.tasks)} targets only"
        elif missing:
            reason = f"needs {' and '.join(missing)}"
        else:
            selected.append(check)
            continue
        if checks is not None:
            raise ValueError(
                f"checks={checks!r} asks for {name!r}, which {reason}; give the "
                "input or leave the check out."
            )
        skipped[name] = reason
    return selected, skipped


@validate_params(
    {
        "X": ["array-like"],
        "y": ["array-like", "sparse matrix", str, Integral],
        "estimator": [HasMethods(["fit"]), None],
        "cv": ["cv_object"],
        "annotations": ["array-like", None],
        "groups": ["array-like", str, None],
        "X_test": ["array-like", None],
        "y_test": ["array-like", None],
        "checks": [list, tuple, str, None],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    },
    prefer_skip_nested_validation=True,
)
def audit(
    X,
    y,
    *,
    estimator=None,
    cv=5,
    annotations=None,
    groups=None,
    X_test=None,
    y_test=None,
    checks=None,
    n_jobs=None,
    random_state=None,
    verbose=0,
):
    """Audit a labeled table: what is wrong with the labels, and where.

    Runs every check whose inputs are given (see :func:`available_checks`):
    class balance, leakage suspects, label issues (confident learning),
    duplicates with conflicting labels; with ``annotations``, annotator
    quality and the annotators' consensus against ``y``; with ``X_test``,
    train/test overlap and label shift; with ``groups``, label bias. A
    numeric target gets the regression checks instead of the class ones
    (:class:`~sklabels.noise.RegressionLabelFilter`), a multi-label target
    (several 0/1 target columns, or a set of tags per row) the multi-label
    ones (tag balance, :func:`~sklabels.noise.find_multilabel_issues`,
    duplicates, leakage tag by tag, train/test overlap). Every check that
    needs a model reads one set of out-of-fold probabilities (or
    predictions), computed once (the folds in parallel).

    Read more in the :ref:`User Guide <audit>`.

    Parameters
    ----------
    X : {array-like, dataframe} of shape (n_samples, n_features)
        The features. DataFrame columns may be numeric, boolean, datetime,
        strings or categoricals; NaN is a missing value.

    y : array-like of shape (n_samples,) or (n_samples, n_tags), or str
        The labels (strings or numbers, no missing value), or the name of
        the column of ``X`` that holds them (it is then taken out of the
        features, and out of ``X_test`` as its labels). A multi-label
        target is a DataFrame, array or sparse matrix of 0/1 (or booleans)
        with one column per tag (the DataFrame's column names are the
        tags), a list of column names of ``X`` (taken out like a single
        name), or a sequence of label sets, one list / tuple / set of tags
        per row (``y.str.split("|")`` turns delimited strings into one). A
        Python list of equal-length 0/1 lists is ambiguous and refused.

    estimator : estimator object, default=None
        The model of the checks that need one: a classifier with
        ``predict_proba`` (a regressor for a numeric ``y``; for a
        multi-label ``y``, a binary classifier fitted once per tag through
        :class:`~sklabels.multilabel.BinaryRelevance`, or a sklabels
        multi-label classifier used as it is), cloned for every fold. None
        means histogram gradient boosting with the string and categorical
        columns as categories (255 at most, the rarest merged), or below
        5,000 rows a random forest of 200 trees on the same encoding
        (boosting overfits few rows). Its input leaves out the columns that
        look like row identifiers and the leak suspects of
        :func:`~sklabels.inspection.leakage_report` (computed for this even
        when the leakage check does not run).

    cv : int, cross-validation splitter or iterable, default=5
        Folds of the out-of-fold probabilities (and of the leakage scores).
        An int gives stratified folds (iterative stratification,
        :class:`~sklabels.multilabel.MultilabelStratifiedKFold`, for a
        multi-label target), unshuffled when ``random_state`` is None.

    annotations : pandas.DataFrame or array-like, default=None
        Labels from several annotators: a long table with columns ``item``
        (the row's index label in ``X``), ``annotator`` (or ``source``) and
        ``label``; or a label matrix of shape (n_samples, n_annotators)
        holding the position of the class in the sorted classes of ``y``,
        -1 for none.

    groups : array-like of shape (n_samples,) or str, default=None
        A group per row (e.g. a site or a sensitive attribute), or the name
        of a column of ``X`` holding it (taken out of the features), for
        the label bias check.

    X_test : {array-like, dataframe} of shape (n_test, n_features), default=None
        Test rows with the features of ``X`` (matched by column name).

    y_test : array-like of shape (n_test,), default=None
        Labels of the test rows.

    checks : list of str or str, default=None
        The checks to run; None runs every check whose inputs are given.
        Asking for a check whose inputs are missing is an error.

    n_jobs : int, default=None
        Folds (and features of the leakage scores) in parallel. None means
        1; -1 all processors. The result does not depend on it.

    random_state : int, RandomState instance or None, default=None
        Shuffling of the folds and seed of the default model. None gives
        unshuffled folds and a model seeded with 0: the same report on
        every call.

    verbose : int, default=0
        Print the progress of the long steps on stderr.

    Returns
    -------
    audit : LabelAudit
        The findings: ``summary_``, ``issues_``, and the HTML / JSON writers.

    See Also
    --------
    sklabels.noise.find_label_issues : The label issues alone.
    sklabels.inspection.leakage_report : The leakage scores alone.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn.datasets import load_iris
    >>> from sklabels.report import audit
    >>> X, y = load_iris(return_X_y=True, as_frame=True)
    >>> y = y.map({0: "setosa", 1: "versicolor", 2: "virginica"})
    >>> y.iloc[[10, 120]] = ["virginica", "setosa"]  # two wrong labels
    >>> result = audit(X, y, checks=["label_issues", "duplicates"])
    >>> result.summary_[["flagged", "unit", "severity"]]
                  flagged  unit  severity
    check
    label_issues        3  rows     0.100
    duplicates          2  rows     0.027
    >>> print(result.summary_.loc["label_issues", "message"])
    3 rows (2.0 %) probably carry the wrong label; ...
    >>> result.issues_.loc[[10, 120], ["given_label", "label_issue", "suggested_label"]]
        given_label  label_issue suggested_label
    10    virginica         True          setosa
    120      setosa         True       virginica
    """
    progress = Progress(verbose)
    ctx = AuditContext(
        X,
        y,
        estimator=estimator,
        cv=cv,
        annotations=annotations,
        groups=groups,
        X_test=X_test,
        y_test=y_test,
        n_jobs=n_jobs,
        random_state=random_state,
        progress=progress,
    )
    selected, skipped = _select(checks, ctx)
    results = {}
    for check in selected:
        with progress.timed(f"check {check.name}"):
            results[check.name] = check.func(ctx)
    return LabelAudit(ctx, selected, results, skipped)


def _py(value):
    """A JSON value: numpy scalars as Python, NaN and infinity as None."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (pd.Timestamp, pd.Timedelta)):
        return str(value)
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (tuple, list)):  # the tags of a row
        return [_py(v) for v in value]
    return str(value)


def _frame_json(frame):
    return {
        "index": [_py(v) for v in frame.index],
        "columns": {str(c): [_py(v) for v in frame[c].tolist()] for c in frame.columns},
    }


class LabelAudit:
    """The findings of :func:`audit`, for people and for machines.

    Made by :func:`audit`; not meant to be built directly.

    Attributes
    ----------
    summary_ : pandas.DataFrame of shape (n_checks, 5)
        One row per check run, indexed by check name, in the order they
        ran: ``title``, ``flagged`` (how many ``unit`` the check flagged),
        ``unit`` ("rows", "features", "annotators", "test rows", "classes"
        or "groups"), ``severity`` (0 = nothing found, 1 = serious; each
        check's rule is in :func:`available_checks`) and ``message``, a
        sentence naming the labels and columns found.

    issues_ : pandas.DataFrame of shape (n_samples, n_columns)
        One row per row of ``X``, indexed like ``X``: ``given_label`` (a
        tuple of tags for a multi-label target), then
        for each check about rows a flag column named after the check and
        a score column ``<check>_score`` in [0, 1] (higher = more
        suspicious), and a few more (``suggested_label``,
        ``duplicate_group``...). Checks about columns, annotators or the
        whole data (leakage, label shift) add no column.

    details_ : dict
        ``{check: {table title: DataFrame}}``, the tables of the report.

    skipped_ : dict
        ``{check: why}`` for the checks that did not run (missing input,
        other kind of target).

    task_ : str
        "classification", "regression" or "multilabel".

    classes_ : ndarray or None
        The sorted classes of ``y``, the tags of a multi-label ``y`` (in
        column order), None for regression.

    excluded_features_ : dict
        ``{feature: why}`` for the columns the model did not use.

    target_name_ : str
        The name of the target (the column name, or a pandas ``y``'s name,
        else "target").

    model_ : str
        The model of the checks that need one, in words.

    Examples
    --------
    >>> from sklearn.datasets import load_wine
    >>> from sklabels.report import audit
    >>> X, y = load_wine(return_X_y=True, as_frame=True)
    >>> result = audit(X, y, checks=["class_imbalance", "duplicates"])
    >>> result.summary_["flagged"].tolist()
    [0, 0]
    >>> html = result.to_html()
    >>> html.startswith("<!DOCTYPE html>")
    True
    """

    def __init__(self, ctx, checks, results, skipped):
        self._checks = checks
        self._results = results
        self.skipped_ = skipped
        self.task_ = ctx.task
        self.classes_ = ctx.classes
        self.target_name_ = ctx.target_name
        self.n_features_ = ctx.X.shape[1]
        self.excluded_features_ = dict(ctx.excluded)
        model = ctx.estimator
        if model is not None:
            self.model_ = repr(model)
        elif ctx.n_samples >= _FOREST_BELOW:
            self.model_ = "histogram gradient boosting (the default)"
        else:
            self.model_ = "random forest (the default under 5,000 rows)"
        if ctx.task == "multilabel":
            self.model_ += ", one per tag (BinaryRelevance)"
        self.cv_ = ctx.cv
        issues = pd.DataFrame({"given_label": ctx.labels}, index=ctx.index)
        for result in results.values():
            for name, values in result.columns.items():
                issues[name] = values
        self.issues_ = issues
        self.summary_ = pd.DataFrame(
            {
                "title": [c.title for c in checks],
                "flagged": [results[c.name].flagged for c in checks],
                "unit": [results[c.name].unit for c in checks],
                "severity": [round(results[c.name].severity, 3) for c in checks],
                "message": [results[c.name].message for c in checks],
            },
            index=pd.Index([c.name for c in checks], name="check"),
        )
        self.details_ = {name: r.tables for name, r in results.items()}

    def __repr__(self):
        lines = [
            f"LabelAudit of {self.issues_.shape[0]} rows, target "
            f"{self.target_name_!r} ({self.task_}):"
        ]
        for name, row in self.summary_.iterrows():
            lines.append(f"  {name} [{row['severity']:.2f}]: {row['message']}")
        return "\n".join(lines)

    def to_html(self, path=None):
        """The report as one self-contained HTML page.

        The page has a summary table, then one section per check (its
        finding, how it works, a figure when matplotlib is installed, and
        its tables). Styles and figures are inline (no network); every
        string from the data is HTML-escaped and the page holds no script.

        Parameters
        ----------
        path : str or path-like, default=None
            Where to write the page (UTF-8). None only returns it.

        Returns
        -------
        html : str
            The page.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklabels.report import audit
        >>> X, y = load_iris(return_X_y=True, as_frame=True)
        >>> page = audit(X, y.astype(str), checks="class_imbalance").to_html()
        >>> "<table" in page and "<script" not in page
        True
        """
        from sklabels.report._html import render_page

        page = render_page(self)
        if path is not None:
            Path(path).write_text(page, encoding="utf-8")
        return page

    def _repr_html_(self):
        from sklabels.report._html import render_fragment

        return render_fragment(self)

    def to_dict(self):
        """The findings as plain Python data (what :meth:`to_json` writes).

        Returns
        -------
        data : dict
            ``target``, ``task``, ``n_rows``, ``classes``, ``model``,
            ``summary`` and ``issues`` (each ``{"index": [...], "columns":
            {name: [...]}}``), ``details`` (``{check: {title: table}}``),
            ``skipped`` and ``excluded_features``. NaN is None.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklabels.report import audit
        >>> X, y = load_iris(return_X_y=True, as_frame=True)
        >>> data = audit(X, y, checks="class_imbalance").to_dict()
        >>> data["summary"]["columns"]["flagged"]
        [0]
        """
        from sklabels import __version__

        return {
            "sklabels_version": __version__,
            "target": self.target_name_,
            "task": self.task_,
            "n_rows": int(self.issues_.shape[0]),
            "classes": None
            if self.classes_ is None
            else [_py(c) for c in self.classes_],
            "model": self.model_,
            "excluded_features": {
                str(k): v for k, v in self.excluded_features_.items()
            },
            "summary": _frame_json(self.summary_),
            "issues": _frame_json(self.issues_),
            "details": {
                name: {title: _frame_json(t) for title, t in tables.items()}
                for name, tables in self.details_.items()
            },
            "skipped": dict(self.skipped_),
        }

    def to_json(self, path=None):
        """The findings as JSON (standard: NaN written as null).

        Parameters
        ----------
        path : str or path-like, default=None
            Where to write the file (UTF-8). None only returns the text.

        Returns
        -------
        text : str
            The JSON text of :meth:`to_dict`.

        Examples
        --------
        >>> import json
        >>> from sklearn.datasets import load_iris
        >>> from sklabels.report import audit
        >>> X, y = load_iris(return_X_y=True, as_frame=True)
        >>> text = audit(X, y, checks="class_imbalance").to_json()
        >>> json.loads(text)["task"]
        'classification'
        """
        text = json.dumps(self.to_dict(), indent=1, allow_nan=False)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text
