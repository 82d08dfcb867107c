"""Small helpers shared by the meta-estimators (estimators that wrap another)."""

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.pipeline import Pipeline
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import has_fit_parameter

__all__ = [
    "check_classification_y",
    "check_default_model_features",
    "check_sample_weight_support",
    "copy_input_attributes",
    "sample_weight_fit_params",
]


def check_classification_y(estimator, y):
    """Refuse a missing, complex or continuous ``y`` the way scikit-learn does.

    Label sets and other targets that ``type_of_target`` cannot read are let
    through: the caller's label transformer validates them.
    """
    if y is None:
        raise ValueError(
            f"{type(estimator).__name__} requires y to be passed, but the target y "
            "is None."
        )
    if getattr(getattr(y, "dtype", None), "kind", None) == "c":
        raise ValueError("Complex data not supported: y has complex values.")
    try:
        # NaN labels make type_of_target cast NaN to int; the label encoder
        # reports them properly, so silence numpy's cast warning here
        with np.errstate(invalid="ignore"):
            target_type = type_of_target(y, input_name="y")
    except (ValueError, TypeError):
        return
    if target_type in ("continuous", "continuous-multioutput"):
        raise ValueError(
            f"Unknown label type: {target_type}. y holds continuous values, not "
            "class labels; use a regressor for regression targets."
        )


def _not_float(values):
    """Whether ``values`` cannot be read as floats (as a linear model reads them).

    Only ``ValueError`` (a string that is no number) counts: other errors
    (a dict in an object array) are left to the model, which raises its own.
    """
    try:
        np.asarray(values, dtype=np.float64)
    except ValueError:
        return True
    return False


def _non_numeric_columns(X):
    """Columns of ``X`` (names, or positions for arrays) that are not numbers."""
    if sparse.issparse(X):
        return []
    if isinstance(X, pd.DataFrame):
        candidates = [
            name
            for name, dtype in X.dtypes.items()  # one entry per column
            if not (
                pd.api.types.is_numeric_dtype(dtype)
                or pd.api.types.is_bool_dtype(dtype)
            )
        ]
        return [name for name in candidates if _not_float(X[name])]
    X = np.asarray(X)
    if X.ndim != 2 or X.dtype.kind not in "USO":
        return []
    if X.dtype.kind in "US":
        return list(range(X.shape[1]))
    if not _not_float(X):
        return []
    return [j for j in range(X.shape[1]) if _not_float(X[:, j])]


def check_default_model_features(X, *, owner, param, default):
    """Refuse non-numeric features before fitting a default numeric model.

    Estimators that fall back on a linear model when ``param`` is None call
    this before fitting it, so that a DataFrame with string or categorical
    columns gets a message that says what to do instead of numpy's "could not
    convert string to float".

    Parameters
    ----------
    X : {array-like, dataframe, sparse matrix}
    owner : estimator, named in the message
    param : str, name of the parameter left at None
    default : str, the default model as it would be written
    """
    columns = _non_numeric_columns(X)
    if not columns:
        return
    shown = columns[:10]
    more = f" (and {len(columns) - 10} more)" if len(columns) > 10 else ""
    raise ValueError(
        f"{type(owner).__name__} with {param}=None fits its default model "
        f"{default}, which needs numeric features, but X has non-numeric "
        f"column(s) {shown!r}{more}. Pass a pipeline that encodes them as "
        f"{param}=, e.g. {param}=make_pipeline(make_column_transformer("
        f"(OneHotEncoder(handle_unknown='ignore'), {shown!r}), "
        f"remainder=StandardScaler()), {default}) (from sklearn.pipeline, "
        "sklearn.compose and sklearn.preprocessing), or encode the columns "
        "before."
    )


def copy_input_attributes(meta, inner):
    """Copy ``n_features_in_`` / ``feature_names_in_`` from a fitted inner model."""
    for attr in ("n_features_in_", "feature_names_in_"):
        if hasattr(inner, attr):
            setattr(meta, attr, getattr(inner, attr))


def _final_estimator(estimator):
    """The last step of a Pipeline (recursively), or the estimator itself."""
    while isinstance(estimator, Pipeline):
        estimator = estimator.steps[-1][1]
    return estimator


def check_sample_weight_support(estimator, *, why=None, fix=None):
    """Raise a TypeError unless ``estimator.fit`` accepts ``sample_weight``.

    A :class:`~sklearn.pipeline.Pipeline` is judged by its final step (nested
    pipelines included).

    Parameters
    ----------
    estimator : estimator
        The (unfitted) wrapped model.
    why : str, default=None
        Why the weights are needed, for the message (e.g. "sample_weight was
        passed to fit"); None says the wrapping estimator always needs them.
    fix : str, default=None
        A way out other than wrapping another classifier, for the message.
    """
    final = _final_estimator(estimator)
    if has_fit_parameter(final, "sample_weight"):
        return
    name = type(final).__name__
    if why is None:
        message = (
            f"{name}.fit does not accept sample_weight, which this estimator "
            "needs to train it; wrap a classifier that does"
        )
    else:
        either = f"Either {fix}, or wrap" if fix else "Wrap"
        message = (
            f"{name}.fit does not accept sample_weight, but {why}. {either} a "
            "classifier whose fit accepts sample_weight"
        )
    raise TypeError(
        message + " (e.g. LogisticRegression, SGDClassifier, "
        "HistGradientBoostingClassifier)."
    )


def sample_weight_fit_params(estimator, sample_weight):
    """Keyword arguments that pass ``sample_weight`` to ``estimator.fit``.

    A :class:`~sklearn.pipeline.Pipeline` receives it as
    ``<last step>__sample_weight`` (nested pipelines included), so wrapping a
    pipeline works without enabling metadata routing. With
    ``sample_weight=None`` nothing is passed (and nothing is checked).

    Raises
    ------
    TypeError
        When weights are given and the estimator (the pipeline's final step)
        has no ``sample_weight`` in its ``fit``; see
        :func:`check_sample_weight_support` to check before any weight exists.
    """
    if sample_weight is None:
        return {}
    check_sample_weight_support(estimator)
    key = "sample_weight"
    while isinstance(estimator, Pipeline):
        name, estimator = estimator.steps[-1]
        key = f"{name}__{key}"
    return {key: sample_weight}


def estimator_has(attr, *, fitted="estimator_", unfitted="estimator"):
    """``available_if`` check: whether the wrapped model has ``attr``.

    Once the meta-estimator is fitted, its fitted model(s) decide: some models
    gain a method only when fitted (a
    :class:`~sklearn.model_selection.GridSearchCV` over
    ``SGDClassifier(loss=...)`` has ``predict_proba`` only if the best loss
    gives one), so ``hasattr`` must look at what ``fit`` built. Before fit the
    unfitted model decides.

    Parameters
    ----------
    attr : str
        The method looked for.
    fitted : str or callable, default="estimator_"
        Name of the fitted model attribute, or ``fitted(meta)`` returning
        ``(name, model)`` pairs of the fitted models that serve ``attr`` (None
        before fit).
    unfitted : str or callable, default="estimator"
        Name of the unfitted model parameter, or ``unfitted(meta)`` returning
        the model.

    Returns
    -------
    check : callable
        ``check(meta)`` is True when ``attr`` is available; otherwise it
        raises an ``AttributeError`` saying which model lacks it and why,
        which ``available_if`` chains as the cause of its own error.
    """

    def check(self):
        if callable(fitted):
            models = fitted(self)
        elif hasattr(self, fitted):
            models = [(fitted, getattr(self, fitted))]
        else:
            models = None
        if models is not None:
            lacking = [(name, m) for name, m in models if not hasattr(m, attr)]
            if lacking:
                names = ", ".join(name for name, _ in lacking[:5])
                more = f" and {len(lacking) - 5} more" if len(lacking) > 5 else ""
                kinds = sorted({type(m).__name__ for _, m in lacking})
                raise AttributeError(
                    f"The fitted model(s) {names}{more} ({', '.join(kinds)}) of "
                    f"this {type(self).__name__} have no attribute {attr!r}."
                )
            return True
        model = unfitted(self) if callable(unfitted) else getattr(self, unfitted)
        if not hasattr(model, attr):
            raise AttributeError(
                f"{type(model).__name__} has no attribute {attr!r} before fit, so "
                f"this unfitted {type(self).__name__} has none either. Models "
                f"that only gain {attr!r} when fitted (such as a GridSearchCV "
                "whose best model has it) are looked at again once this "
                "estimator is fitted."
            )
        return True

    return check


def spread_columns(values, columns, n_classes, fill):
    """Put per-class ``values`` of shape (n, len(columns)) in ``columns`` of an
    (n, n_classes) array, filling the classes the inner model never saw."""
    if len(columns) == n_classes:
        return values
    full = np.full((values.shape[0], n_classes), fill, dtype=float)
    full[:, columns] = values
    return full
