"""The inputs of an audit, validated once, and what the checks share.

:class:`AuditContext` holds the features, the labels and the optional
inputs (annotations, groups, test data), and computes on demand, once, what
several checks need: the out-of-fold probabilities of the one model (through
:class:`~sklabels.noise.ConfidentLearningFilter`), a model fitted on every
row (for the test data), the columns that look like row identifiers, the
leakage report and the annotators' label matrix.
"""

import numbers
import warnings

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OrdinalEncoder
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import type_of_target

from sklabels.inspection._leakage import _RARE_CLASS, _frame_column, _identifier
from sklabels.report._progress import Progress
from sklabels.utils._validation import check_labels

__all__ = ["MAX_ROBUST_Z", "AuditContext", "default_model"]

_MAX_CATEGORIES = 255  # HistGradientBoosting's limit on categories


def _is_categorical(series):
    dtype = series.dtype
    return not (
        pd.api.types.is_numeric_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
        or pd.api.types.is_datetime64_any_dtype(dtype)
        or pd.api.types.is_timedelta64_dtype(dtype)
    )


def model_frame(X):
    """``X`` as the default model takes it.

    Numbers and booleans as floats, dates and durations as floats
    (nanoseconds), every other column (strings, categoricals, objects) as
    strings with missing values kept missing.
    """
    out = {}
    for name in X.columns:
        series = X[name]
        if _is_categorical(series):
            missing = series.isna().to_numpy()
            values = series.astype(object).to_numpy()
            values = np.array([str(v) for v in values], dtype=object)
            values[missing] = np.nan
            out[name] = values
        elif pd.api.types.is_datetime64_any_dtype(
            series.dtype
        ) or pd.api.types.is_timedelta64_dtype(series.dtype):
            values = np.asarray(series.array.asi8, dtype=np.float64)
            values[series.isna().to_numpy()] = np.nan
            out[name] = values
        else:
            out[name] = series.to_numpy(dtype=np.float64, na_value=np.nan)
    return pd.DataFrame(out, index=X.index, columns=X.columns)


_FOREST_BELOW = 5000  # rows; below, a random forest; from there, boosting

# Iglewicz and Hoaglin's cut on the robust z-score of the residuals: the
# threshold the report gives RegressionLabelFilter (whose default is 2).
MAX_ROBUST_Z = 3.5


def default_model(X, task, random_state):
    """The default model: categories ordinal-encoded, then a tree ensemble.

    ``X`` is a frame from :func:`model_frame`; its string columns are
    encoded as ordinal categories (at most 255 each, the rarest merged;
    unknown and missing categories are missing values). From 5,000 rows,
    histogram gradient boosting with these columns as categorical features;
    below, a random forest of 200 trees, whose probabilities are smoother
    on few rows (boosting overfits them, and confident learning then flags
    too many). Seeded, so that early stopping and bootstrap are
    reproducible.
    """
    categorical = [c for c in X.columns if _is_categorical(X[c])]
    seed = 0 if random_state is None else random_state
    cat_index = list(range(len(categorical))) or None
    if X.shape[0] >= _FOREST_BELOW:
        if task == "classification":
            model = HistGradientBoostingClassifier(
                categorical_features=cat_index, random_state=seed
            )
        else:
            model = HistGradientBoostingRegressor(
                categorical_features=cat_index, random_state=seed
            )
    elif task == "classification":
        model = RandomForestClassifier(n_estimators=200, random_state=seed)
    else:
        model = RandomForestRegressor(n_estimators=200, random_state=seed)
    encode = ColumnTransformer(
        [
            (
                "categories",
                OrdinalEncoder(
                    handle_unknown="use_encoded_value",
                    unknown_value=np.nan,
                    encoded_missing_value=np.nan,
                    max_categories=_MAX_CATEGORIES,
                ),
                categorical,
            )
        ],
        remainder="passthrough",
    )
    return Pipeline([("encode", encode), ("model", model)])


def _shown(value):
    """A label or name as a user reads it: ``'cat'`` for strings, ``3`` else."""
    if isinstance(value, (np.generic,)):
        value = value.item()
    return f"'{value}'" if isinstance(value, str) else str(value)


def _as_frame(X, name="X"):
    if sp.issparse(X):
        raise TypeError(
            f"{name} is a sparse matrix; audit reads tables: give a pandas "
            "DataFrame or a dense array (e.g. X.toarray())."
        )
    if isinstance(X, pd.DataFrame):
        frame = X
    else:
        if isinstance(X, (str, bytes)) or not hasattr(X, "__len__"):
            raise TypeError(
                f"{name} must be a pandas DataFrame or a 2-D array-like, got "
                f"{type(X).__name__} {X!r}."
            )
        arr = np.asarray(X, dtype=object if not hasattr(X, "dtype") else None)
        if arr.ndim != 2:
            raise ValueError(
                f"{name} must be 2-D (rows x features), got an array of shape "
                f"{arr.shape}; reshape it or give a DataFrame."
            )
        frame = pd.DataFrame(arr, columns=[f"x{j}" for j in range(arr.shape[1])])
        frame = frame.infer_objects()
    if frame.shape[0] == 0:
        raise ValueError(f"{name} is empty: it has no rows; give a table to audit.")
    if frame.shape[1] == 0:
        raise ValueError(
            f"{name} has no feature columns (shape {frame.shape}); give the "
            "features the labels were assigned from."
        )
    if not frame.columns.is_unique:
        dup = frame.columns[frame.columns.duplicated()].tolist()
        raise ValueError(
            f"{name} has duplicated column names {dup!r}; give every column its "
            "own name."
        )
    return frame


def _pop_column(X, key, what, name="X"):
    """Take column ``key`` out of the DataFrame ``X``: (X without it, column)."""
    if not isinstance(X, pd.DataFrame):
        raise TypeError(
            f"{what}={key!r} names a column, which needs {name} as a pandas "
            f"DataFrame, got {type(X).__name__}."
        )
    if key not in X.columns:
        raise ValueError(
            f"{what}={key!r} is not a column of {name}; its columns are "
            f"{', '.join(map(str, X.columns))}."
        )
    return X.drop(columns=[key]), X[key]


def _task(labels, name="y"):
    """Classification or regression, decided as leakage_report decides it."""
    kind = type_of_target(labels, input_name=name)
    if kind == "multiclass" and labels.dtype.kind in "iuf":
        # whole numbers most of which are rare: amounts, not classes
        counts = np.unique(labels, return_counts=True)[1]
        if np.count_nonzero(counts < _RARE_CLASS) > counts.size / 2:
            kind = "continuous"
    if kind in ("binary", "multiclass"):
        return "classification"
    if kind == "continuous":
        return "regression"
    raise ValueError(
        f"{name} looks {kind!r}; audit takes one class label or one number per "
        "row (classification or regression)."
    )


_LABEL_SET_TYPES = (list, tuple, set, frozenset, np.ndarray)


def _holds_label_sets(values):
    """Whether the entries of a 1-D sequence are label sets (lists, sets...)."""
    return any(issubclass(t, _LABEL_SET_TYPES) for t in set(map(type, values)))


def _indicator_values(arr, names, name):
    """An indicator matrix of 0/1 (or booleans) as bool, or a ValueError."""
    if arr.dtype.kind == "b":
        return arr
    numeric = arr
    if arr.dtype.kind not in "iuf":
        missing = pd.isna(arr)
        if missing.any():
            i, j = np.argwhere(missing)[0]
            raise ValueError(
                f"{name} as a multi-label target has a missing value in column "
                f"{_shown(names[j])}, row {i}; give 0 or 1 (True or False) "
                "everywhere."
            )
        try:
            numeric = arr.astype(np.float64)
        except (TypeError, ValueError):
            value = next(v for v in arr.ravel() if not isinstance(v, (bool, int)))
            raise ValueError(
                f"{name} has {arr.shape[1]} target columns; as a multi-label "
                f"target they must hold 0 and 1 (or True and False), got "
                f"{value!r}. For one target give one column; for tags written "
                "in one column, split them (y.str.split('|'))."
            ) from None
    bad = ~((numeric == 0) | (numeric == 1))
    if bad.any():
        i, j = np.argwhere(bad)[0]
        value = arr[i, j]
        if isinstance(value, np.generic):
            value = value.item()
        raise ValueError(
            f"{name} has {arr.shape[1]} target columns; as a multi-label target "
            f"they must hold 0 and 1 (or True and False), got {value!r} in column "
            f"{_shown(names[j])}, row {i}. For one target give one column."
        )
    return numeric == 1


def multilabel_target(y, name="y"):
    """``(indicator, tag names)`` when ``y`` is a multi-label target, else None.

    Multi-label: a DataFrame with two columns or more, a 2-D array or sparse
    matrix with two columns or more (0/1 or booleans; the tags are then the
    column positions), or a sequence whose entries are label sets (lists,
    tuples, sets: encoded by :class:`~sklabels.encoding.MultiLabelEncoder`).
    """
    if sp.issparse(y):
        if y.shape[1] < 2:
            return None
        names = np.arange(y.shape[1])
        return _indicator_values(y.toarray(), names, name), names
    if isinstance(y, pd.DataFrame):
        if y.shape[1] < 2:
            return None
        names = np.asarray(y.columns, dtype=object)
        return _indicator_values(y.to_numpy(), names, name), names
    if isinstance(y, np.ndarray) and y.ndim == 2:
        if y.shape[1] < 2:
            return None
        names = np.arange(y.shape[1])
        return _indicator_values(y, names, name), names
    if isinstance(y, (str, bytes)) or not hasattr(y, "__len__"):
        return None
    is_sequence = isinstance(y, (list, tuple, pd.Series)) or (
        isinstance(y, np.ndarray) and y.ndim == 1
    )
    if not (is_sequence and len(y) and _holds_label_sets(y)):
        return None
    rows = y.tolist() if isinstance(y, pd.Series) else list(y)
    if isinstance(y, (list, tuple)):
        try:
            square = np.asarray(rows)
        except ValueError:  # ragged: label lists
            square = None
        if (
            square is not None
            and square.ndim == 2
            and square.shape[1] >= 2
            and square.dtype.kind in "biu"
            and np.isin(square, (0, 1)).all()
        ):
            raise ValueError(
                f"{name} is a list of {square.shape[0]} lists of {square.shape[1]} "
                "zeros and ones: an indicator matrix or label lists? Pass "
                f"np.asarray({name}) for an indicator matrix (one column per tag), "
                "or the tags of each row by name."
            )
    from sklabels.encoding import MultiLabelEncoder

    encoder = MultiLabelEncoder()
    indicator = np.asarray(encoder.fit_transform(rows)) == 1
    return indicator, np.asarray(encoder.classes_, dtype=object)


def label_sets(indicator, names):
    """The tags of each row, as tuples (in the order of ``names``)."""
    rows, cols = np.nonzero(indicator)
    counts = np.bincount(rows, minlength=indicator.shape[0])
    out = np.empty(indicator.shape[0], dtype=object)
    out[:] = [tuple(g) for g in np.split(names[cols], np.cumsum(counts)[:-1])]
    return out


def _set_codes(*indicators):
    """One integer per distinct set of tags, shared by the indicator matrices."""
    packed = np.packbits(np.vstack(indicators), axis=1)
    codes = np.unique(packed, axis=0, return_inverse=True)[1].ravel()
    return np.split(codes, np.cumsum([m.shape[0] for m in indicators])[:-1])


def _column_names(y, X):
    """The columns of ``X`` that ``y`` names (a list of names), or None."""
    if not isinstance(X, pd.DataFrame) or not isinstance(y, (list, tuple)) or not y:
        return None
    if not all(isinstance(c, (str, numbers.Number)) for c in y):
        return None
    if not all(c in X.columns for c in y):
        return None
    if len(y) == X.shape[0]:
        raise ValueError(
            f"y={list(y)[:5]!r}... names columns of X but has one entry per row: "
            "labels or target columns? Give the labels as a pandas Series, or the "
            "target columns as y=X[columns] and X without them."
        )
    return list(y)


class AuditContext:
    """Validated inputs of an audit and the results the checks share."""

    def __init__(
        self,
        X,
        y,
        *,
        estimator=None,
        cv=5,
        annotations=None,
        groups=None,
        X_test=None,
        y_test=None,
        n_jobs=None,
        random_state=None,
        progress=None,
    ):
        target_name = None
        target_columns = _column_names(y, X)
        if target_columns is not None:
            target_name = ", ".join(map(str, target_columns))
            y = X[target_columns]
            X = X.drop(columns=target_columns)
            if isinstance(X_test, pd.DataFrame):
                present = [c for c in target_columns if c in X_test.columns]
                if y_test is None and len(present) == len(target_columns):
                    y_test = X_test[target_columns]
                X_test = X_test.drop(columns=present)
            if y.shape[1] == 1:
                y = y.iloc[:, 0]
                if isinstance(y_test, pd.DataFrame):
                    y_test = y_test.iloc[:, 0]
        elif isinstance(y, str) or (
            isinstance(y, (numbers.Number,)) and isinstance(X, pd.DataFrame)
        ):
            target_name = y
            X, y = _pop_column(X, y, "y")
            if (
                isinstance(X_test, pd.DataFrame)
                and y_test is None
                and target_name in X_test.columns
            ):
                X_test, y_test = _pop_column(X_test, target_name, "y", "X_test")
        group_name = None
        if isinstance(groups, str):
            group_name = groups
            X, groups = _pop_column(X, groups, "groups")
            if isinstance(X_test, pd.DataFrame) and group_name in X_test.columns:
                X_test = X_test.drop(columns=[group_name])
        x_is_frame = isinstance(X, pd.DataFrame)
        X = _as_frame(X)
        multi = multilabel_target(y)
        self.Y = None
        if multi is not None:
            self.Y, tags = multi
            labels = label_sets(self.Y, tags)
        else:
            labels, _ = check_labels(y, input_name="y")
        if labels.shape[0] != X.shape[0]:
            raise ValueError(
                f"X and y have different lengths: X has {X.shape[0]} rows and y "
                f"has {labels.shape[0]}; give one label per row of X."
            )
        self.target_name = "target" if target_name is None else str(target_name)
        if target_name is None and isinstance(y, pd.Series) and y.name is not None:
            self.target_name = str(y.name)
        if target_name is None and multi is not None:
            columns = getattr(y, "columns", None)
            self.target_name = "tags"
            if columns is not None and columns.name is not None:
                self.target_name = str(columns.name)
        self.task = "multilabel" if multi is not None else _task(labels)
        if self.task == "multilabel":
            self.classes, self.codes = tags, None
            counts = self.Y.sum(axis=0)
            if not ((counts > 0) & (counts < self.Y.shape[0])).any():
                raise ValueError(
                    f"y gives its {tags.size} tags ({', '.join(map(_shown, tags[:5]))}"
                    f"{', ...' if tags.size > 5 else ''}) to every row or to none: "
                    "there is nothing to audit; give tags that differ between rows."
                )
        elif self.task == "classification":
            classes, codes = np.unique(labels, return_inverse=True)
            if classes.size < 2:
                raise ValueError(
                    f"y holds a single class ({_shown(classes[0])} on all "
                    f"{labels.size} rows): there is nothing to audit about labels "
                    "that never differ; give a target with at least two classes."
                )
            self.classes, self.codes = classes, codes.astype(np.intp)
        else:
            self.classes, self.codes = None, None
            labels = labels.astype(np.float64)
            if np.ptp(labels) == 0:
                raise ValueError(
                    f"y is constant (every value is {labels[0]!r}); give a target "
                    "that varies."
                )
        self.X = X
        self.labels = labels
        if not x_is_frame and isinstance(y, pd.Series):
            self.X = X.set_axis(y.index, axis=0)
        self.index = self.X.index
        self.n_samples = labels.size
        self.groups = None
        self.group_name = "group" if group_name is None else str(group_name)
        if groups is not None:
            self.groups, _ = check_labels(groups, input_name="groups")
            if self.groups.shape[0] != self.n_samples:
                raise ValueError(
                    f"groups has {self.groups.shape[0]} entries but X has "
                    f"{self.n_samples} rows; give one group per row."
                )
            if isinstance(groups, pd.Series) and groups.name is not None:
                self.group_name = str(groups.name)
        self.X_test, self.y_test = None, None
        if X_test is not None:
            self.X_test = self._check_test(X_test)
        if y_test is not None:
            if self.X_test is None:
                raise ValueError(
                    "y_test was given without X_test; give the test rows too."
                )
            if self.task == "multilabel":
                found = multilabel_target(y_test, "y_test")
                if found is None:
                    raise ValueError(
                        "y_test must be multi-label like y (an indicator matrix or "
                        f"label sets), got {type(y_test).__name__} of shape "
                        f"{np.shape(y_test)}."
                    )
                y_test = found
                n_test = y_test[0].shape[0]
            else:
                y_test, _ = check_labels(y_test, input_name="y_test")
                n_test = y_test.shape[0]
            if n_test != self.X_test.shape[0]:
                raise ValueError(
                    f"y_test has {n_test} labels but X_test has "
                    f"{self.X_test.shape[0]} rows; give one label per test row."
                )
            self.y_test = y_test
        self.annotations = annotations
        self.estimator = estimator
        self.cv = cv
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.progress = Progress(0) if progress is None else progress
        self.excluded = {}  # feature -> why the model leaves it out
        self._cache = {}

    # ------------------------------------------------------------------
    def _check_test(self, X_test):
        X_test = _as_frame(X_test, "X_test")
        if not isinstance(X_test.columns, pd.RangeIndex) or not isinstance(
            self.X.columns, pd.RangeIndex
        ):
            missing = [c for c in self.X.columns if c not in X_test.columns]
            if missing:
                raise ValueError(
                    f"X_test lacks the column(s) {missing!r} of X; give the test "
                    "rows the same features."
                )
            return X_test[list(self.X.columns)]
        if X_test.shape[1] != self.X.shape[1]:
            raise ValueError(
                f"X_test has {X_test.shape[1]} columns but X has {self.X.shape[1]}; "
                "give the test rows the same features."
            )
        return X_test

    def label_keys(self):
        """One comparable value per row: the label, or a code per set of tags."""
        if self.task != "multilabel":
            return self.labels
        return self.cached("label_keys", lambda: _set_codes(self.Y)[0])

    def shown_given(self, rows):
        """The given labels of ``rows`` as a user reads them."""
        if self.task != "multilabel":
            return [_shown(v) for v in self.labels[rows]]
        return [
            ", ".join(map(_shown, tags)) or "(no tag)" for tags in self.labels[rows]
        ]

    def overlap_labels(self):
        """Labels of training and test rows, comparable (None without y_test)."""
        if self.y_test is None:
            return self.labels, None
        if self.task == "multilabel":
            Yt, names_t = self.y_test
            names = list(dict.fromkeys([*self.classes.tolist(), *names_t.tolist()]))
            where = {t: j for j, t in enumerate(names)}
            train = np.zeros((self.n_samples, len(names)), dtype=bool)
            test = np.zeros((Yt.shape[0], len(names)), dtype=bool)
            train[:, [where[t] for t in self.classes.tolist()]] = self.Y
            test[:, [where[t] for t in names_t.tolist()]] = Yt
            return tuple(_set_codes(train, test))
        same_kind = (self.y_test.dtype.kind in "biuf") == (
            self.labels.dtype.kind in "biuf"
        )
        return self.labels, (self.y_test if same_kind else None)

    def label(self, code):
        """Class ``code`` as the user reads it (``'cat'``)."""
        return _shown(self.classes[code])

    def seed(self):
        """A fixed integer seed derived from ``random_state`` (0 for None)."""
        if self.random_state is None:
            return 0
        return int(check_random_state(self.random_state).randint(2**31 - 1))

    def cached(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    # ------------------------------------------------------------------
    def identifier_columns(self):
        """``{column: why}`` for the columns that look like row identifiers.

        The rules of :func:`sklabels.inspection.leakage_report` (many
        distinct whole numbers or strings, values that only increase...),
        without the model.
        """

        def compute():
            codes = self.codes if self.task == "classification" else None
            found = {}
            for name in self.X.columns:
                try:
                    column = _frame_column(self.X[name], name)
                except TypeError:
                    continue
                why = _identifier(column, codes)[1]
                if why:
                    found[name] = why
            return found

        return self.cached("identifiers", compute)

    def content_columns(self):
        """The columns that describe a row: those of the model (no identifier,
        no leak suspect: a column computed from the label differs between
        copies of a row that carry different labels)."""
        return self.model_columns()

    def model_columns(self):
        """Features of the model: no identifier, no leak suspect.

        The leakage report is computed here (once) whether or not the
        leakage check runs: a column computed from the given label would
        make every given label look right to the model.
        """
        for name in self.leakage().index[self.leakage()["leak_suspect"].to_numpy()]:
            self.excluded.setdefault(name, "a leak suspect")
        for name, why in self.identifier_columns().items():
            self.excluded.setdefault(name, f"looks like a row identifier ({why})")
        kept = [c for c in self.X.columns if c not in self.excluded]
        return kept or list(self.X.columns)

    def _model(self, X):
        if self.estimator is not None:
            return clone(self.estimator)
        task = "regression" if self.task == "regression" else "classification"
        return default_model(X, task, self.seed())

    def _model_input(self, X):
        columns = self.model_columns()
        return model_frame(X[columns]) if self.estimator is None else X[columns]

    def out_of_fold(self):
        """The fitted :class:`ConfidentLearningFilter`: one set of out-of-fold
        probabilities (``pred_probs_``) and confident learning on them."""

        def compute():
            from sklabels.noise import ConfidentLearningFilter

            if self.estimator is not None and not is_classifier(self.estimator):
                raise ValueError(
                    f"estimator={self.estimator!r} is not a classifier, but y "
                    "holds class labels; give a classifier with predict_proba."
                )
            Xm = self._model_input(self.X)
            cl = ConfidentLearningFilter(
                estimator=self._model(Xm),
                cv=self.cv,
                action="relabel",
                n_jobs=self.n_jobs,
                random_state=self.random_state,
            )
            with self.progress.timed(
                f"out-of-fold probabilities ({self.n_samples} rows, "
                f"{Xm.shape[1]} features, cv={self.cv!r})"
            ):
                cl.fit(Xm, self.labels)
            return cl

        return self.cached("out_of_fold", compute)

    def out_of_fold_regression(self):
        """The fitted :class:`~sklabels.noise.RegressionLabelFilter`: one set of
        out-of-fold predictions of a numeric target (``predictions_``) and
        its flags (``label_issues_``, ``residual_scale_``)."""

        def compute():
            from sklabels.noise import RegressionLabelFilter

            if self.estimator is not None and not is_regressor(self.estimator):
                raise ValueError(
                    f"estimator={self.estimator!r} is not a regressor, but y holds "
                    "numbers to regress; give a regressor."
                )
            Xm = self._model_input(self.X)
            flt = RegressionLabelFilter(
                estimator=self._model(Xm),
                cv=self.cv,
                threshold=MAX_ROBUST_Z,
                n_jobs=self.n_jobs,
                random_state=self.random_state,
            )
            with self.progress.timed(
                f"out-of-fold predictions ({self.n_samples} rows, "
                f"{Xm.shape[1]} features, cv={self.cv!r})"
            ):
                flt.fit(Xm, self.labels)
            return flt

        return self.cached("out_of_fold_regression", compute)

    def out_of_fold_predictions(self):
        """Out-of-fold predictions of a regression target (shared)."""
        return self.out_of_fold_regression().predictions_

    def out_of_fold_multilabel(self):
        """Out-of-fold P(tag) of a multi-label target, shape (n, n_tags).

        One classifier per tag (:class:`~sklabels.multilabel.BinaryRelevance`
        of the default model, or of ``estimator``; a sklabels multi-label
        classifier is used as it is), cross-fitted on the folds of
        :class:`~sklabels.multilabel.MultilabelStratifiedKFold` (an int
        ``cv``; unshuffled when ``random_state`` is None), the folds in
        parallel.
        """

        def compute():
            from sklearn.model_selection import check_cv
            from sklearn.utils.parallel import Parallel, delayed

            from sklabels.multilabel import (
                BinaryRelevance,
                LabelPowerset,
                MultilabelStratifiedKFold,
            )
            from sklabels.utils._cv import (
                check_partition,
                fit_predict_fold,
                stratified_folds,
            )

            if self.estimator is not None and not is_classifier(self.estimator):
                raise ValueError(
                    f"estimator={self.estimator!r} is not a classifier, but y holds "
                    "tags; give a binary classifier with predict_proba (it is "
                    "fitted once per tag)."
                )
            Xm = self._model_input(self.X)
            if isinstance(self.estimator, (BinaryRelevance, LabelPowerset)):
                model = clone(self.estimator)
            else:
                model = BinaryRelevance(self._model(Xm))
            cv = self.cv
            if isinstance(cv, numbers.Integral):
                rule = stratified_folds(cv, self.random_state)
                cv = MultilabelStratifiedKFold(
                    cv, shuffle=rule.shuffle, random_state=rule.random_state
                )
            Y = self.Y.astype(np.int8)
            splits = list(check_cv(cv).split(Xm, Y))
            check_partition(splits, self.n_samples, self.cv, "probabilities")
            with self.progress.timed(
                f"out-of-fold probabilities of {Y.shape[1]} tags ({self.n_samples} "
                f"rows, {Xm.shape[1]} features, cv={self.cv!r})"
            ):
                results = Parallel(n_jobs=self.n_jobs)(
                    delayed(fit_predict_fold)(clone(model), Xm, Y, train, test, {})
                    for train, test in splits
                )
            proba = np.empty(Y.shape, dtype=np.float64)
            for (_, test), (fold_proba, _) in zip(splits, results, strict=True):
                proba[test] = fold_proba
            return proba

        return self.cached("out_of_fold_multilabel", compute)

    def test_proba(self):
        """Probabilities of the test rows from the model fitted on every row."""

        def compute():
            Xm = self._model_input(self.X)
            model = self._model(Xm)
            with self.progress.timed("model on every row, for the test data"):
                model.fit(Xm, self.labels)
                proba = model.predict_proba(self._model_input(self.X_test))
            order = np.searchsorted(self.classes, np.asarray(model.classes_))
            out = np.zeros((proba.shape[0], self.classes.size))
            out[:, order] = proba
            return out

        return self.cached("test_proba", compute)

    def leakage(self):
        """:func:`sklabels.inspection.leakage_report` on every feature."""

        def compute():
            from sklabels.inspection import leakage_report

            if self.task == "multilabel":
                return self._leakage_per_tag()
            with self.progress.timed(f"leakage scores of {self.X.shape[1]} features"):
                return leakage_report(
                    self.X,
                    self.labels,
                    cv=self.cv,
                    n_jobs=self.n_jobs,
                    random_state=self.random_state,
                    task=self.task,
                )

        return self.cached("leakage", compute)

    def _leakage_per_tag(self):
        """leakage_report per tag (it needs one target), the worst tag per
        feature: a suspect for any tag is a suspect (with column ``tag``)."""
        from sklabels.inspection import leakage_report

        counts = self.Y.sum(axis=0)
        varying = np.flatnonzero((counts >= 2) & (counts <= self.n_samples - 2))
        if varying.size == 0:
            varying = np.flatnonzero((counts > 0) & (counts < self.n_samples))
        reports = []
        with self.progress.timed(
            f"leakage scores of {self.X.shape[1]} features, for each of "
            f"{varying.size} tags"
        ):
            for j in varying:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)
                    reports.append(
                        leakage_report(
                            self.X,
                            self.Y[:, j],
                            cv=self.cv,
                            n_jobs=self.n_jobs,
                            random_state=self.random_state,
                            task="classification",
                        )
                    )
        suspect = np.stack([r["leak_suspect"].to_numpy() for r in reports])
        score = np.stack([r["score"].to_numpy(dtype=np.float64) for r in reports])
        best = np.argmax(suspect * 10.0 + np.nan_to_num(score, nan=-1.0), axis=0)
        columns = np.arange(score.shape[1])
        rows = [reports[t].iloc[[f]] for f, t in zip(columns, best, strict=True)]
        combined = pd.concat(rows)
        combined.insert(0, "tag", self.classes[varying[best]])
        combined.attrs = dict(reports[0].attrs)
        return combined

    def label_matrix(self):
        """The annotations as a label matrix aligned with the rows.

        Returns ``(L, annotator names)``; ``L[i, s]`` is the code (in
        ``self.classes``) of the label annotator ``s`` gave row ``i``, -1 for
        none.
        """
        return self.cached("label_matrix", self._label_matrix)

    def _label_matrix(self):
        from sklabels.aggregation import to_label_matrix

        ann = self.annotations
        if not isinstance(ann, pd.DataFrame):
            L = np.asarray(ann)
            if L.ndim != 2 or L.shape[0] != self.n_samples or L.shape[1] == 0:
                raise ValueError(
                    f"annotations as a label matrix must have shape (n_samples, "
                    f"n_annotators) = ({self.n_samples}, ...), got shape {L.shape}; "
                    "or give a long table with columns item, annotator, label."
                )
            if L.dtype.kind not in "iu" or L.min() < -1 or L.max() >= self.classes.size:
                raise ValueError(
                    "annotations as a label matrix must hold class codes "
                    f"0..{self.classes.size - 1} (positions in the sorted classes of "
                    f"y) and -1 for no label, got values from {L.min().item()!r} "
                    f"to {L.max().item()!r}."
                )
            return L.astype(np.int64), [f"annotator {s}" for s in range(L.shape[1])]
        source = next((c for c in ("annotator", "source") if c in ann.columns), None)
        missing = [c for c in ("item", "label") if c not in ann.columns]
        if source is None or missing:
            lacking = missing + ([] if source else ["annotator (or source)"])
            raise ValueError(
                f"annotations lack the column(s) {lacking}; its columns are "
                f"{', '.join(map(str, ann.columns))}. Give a long table with "
                "columns item, annotator and label."
            )
        if ann.shape[0] == 0:
            raise ValueError("annotations is empty: it has no rows.")
        if not self.index.is_unique:
            raise ValueError(
                "annotations are matched to rows by the index of X, which has "
                "repeated values; give X a unique index (e.g. X.reset_index())."
            )
        items = ann["item"]
        positions = self.index.get_indexer(items)
        if (positions < 0).all():
            positions = pd.Index(self.index.astype(str)).get_indexer(items.astype(str))
        unmatched = positions < 0
        if unmatched.all():
            shown = ", ".join(map(_shown, pd.unique(items)[:3]))
            raise ValueError(
                f"annotations: none of the item ids ({shown}, ...) matches a row "
                f"(row ids such as {', '.join(map(_shown, self.index[:3]))}); item "
                "must hold the row ids (the index of X, or the --id column)."
            )
        if unmatched.any():
            shown = ", ".join(map(_shown, pd.unique(items[unmatched])[:5]))
            raise ValueError(
                f"annotations: {int(unmatched.sum())} annotation(s) name items that "
                f"match no row ({shown}); remove them or fix the ids."
            )
        labels = ann["label"]
        known = set(self.classes.tolist())
        present = pd.unique(labels[labels.notna()])
        if not set(present.tolist()) <= known:
            as_text = {str(v): v for v in self.classes.tolist()}
            if {str(v) for v in present.tolist()} <= set(as_text):
                labels = labels.map(lambda v: v if pd.isna(v) else as_text[str(v)])
            else:
                unknown = [v for v in present.tolist() if v not in known][:5]
                raise ValueError(
                    f"annotations hold label(s) {unknown!r} that are not classes "
                    f"of y ({', '.join(map(_shown, self.classes[:10]))}); "
                    "annotators and target must use the same labels."
                )
        long = pd.DataFrame(
            {"item": positions, "source": ann[source].to_numpy(), "label": labels}
        )
        L, _, sources, _ = to_label_matrix(
            long,
            classes=self.classes,
            items=np.arange(self.n_samples),
        )
        return np.asarray(L), [str(s) for s in sources]
