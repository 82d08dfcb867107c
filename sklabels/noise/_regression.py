"""Label errors in regression targets.

:func:`regression_quality_scores` scores each target from its given value and
an out-of-sample prediction ("outre" and "residual", the numbers of
cleanlab's ``regression.rank.get_label_quality_scores``), with memory linear
in the number of rows. :class:`RegressionLabelFilter` is an imbalanced-learn
sampler that computes out-of-fold predictions with any regressor, flags the
targets that lie too far from them given the spread of the residuals, and
removes them or replaces them by the prediction.
"""

from numbers import Integral, Real

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype
from scipy.special import erfc
from sklearn.base import clone
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import KFold, check_cv
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklabels.utils._compat import (
    ArraysTransformer,
    HasMethods,
    Interval,
    StrOptions,
    _check_method_params,
    _fit_context,
    _safe_indexing,
    validate_data,
    validate_params,
)
from sklabels.utils._cv import check_partition, cross_fit, stratified_folds
from sklabels.utils._delegation import inherit_input_tags
from sklabels.utils._docstrings import fill_doc
from sklabels.utils._fold_routing import (
    check_fold_fit_params,
    fold_metadata_router,
    n_folds_asked,
    route_fold_params,
)
from sklabels.utils._progress import Progress
from sklabels.utils._sampler import (
    KEPT,
    REMOVED,
    LabelSampler,
    _check_X,
    input_index,
)
from sklabels.utils._validation import _describe_positions

__all__ = ["RegressionLabelFilter", "regression_quality_scores"]

# What the report says of a target replaced by its out-of-fold prediction.
REPLACED = "replaced"

# cleanlab's constants: added to standard deviations (TINY), the floor of the
# distance scale (EPSILON) and of the median distance (100 machine epsilons);
# average distances below sqrt(100 eps) score exactly 1.
_TINY = 1e-100
_EPSILON = 1e-6
_EPS = np.finfo(np.float64).eps
_SCORE_ONE_BELOW = np.sqrt(100 * _EPS)
_RESIDUAL_SCALE = 5.0
_FRAC_NEIGHBORS = 0.5

# Entries of one block of the pairwise distances in the "outre" search:
# 2**21 values (8 MB in float32), whatever the number of rows.
_BLOCK_ELEMENTS = 2**21

# A median absolute deviation is turned into a standard deviation of a
# normal distribution by this factor; the mean absolute deviation by
# sqrt(pi / 2) when more than half of the residuals are equal.
_MAD_TO_SD = 1.482602218505602
_MEAN_AD_TO_SD = np.sqrt(np.pi / 2)


# --------------------------------------------------------------------------
# Validation of continuous targets
# --------------------------------------------------------------------------


def _not_numeric(input_name, values, what):
    example = next((v for v in np.asarray(values, dtype=object).ravel()), None)
    if isinstance(example, np.generic):
        example = example.item()  # 'a', not np.str_('a')
    return TypeError(
        f"{input_name} must hold numbers (a regression target), got {what} such "
        f"as {example!r}. Convert it to floats first, or for class labels use "
        "sklabels.noise.find_label_issues or ConfidentLearningFilter."
    )


def check_regression_target(values, input_name="y"):
    """Return ``values`` as a finite float64 vector, or say what is wrong.

    Numbers only: strings, categoricals, booleans and other objects are
    refused with a ``TypeError``; NaN and infinity with a ``ValueError`` that
    lists the rows. A column vector (n, 1) or a one-column DataFrame is
    accepted as a vector.
    """
    if values is None:
        raise ValueError(
            f"{input_name} is None; expected an array-like of numbers, one per row."
        )
    if hasattr(values, "toarray"):
        raise TypeError(
            f"{input_name} must be a dense 1d array-like of numbers, got a sparse "
            f"matrix of shape {values.shape}."
        )
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise ValueError(
                f"{input_name} should be a 1d array of numbers, got a DataFrame of "
                f"shape {values.shape}. Pass one column."
            )
        values = values.iloc[:, 0]
    if isinstance(values, (str, bytes)) or np.isscalar(values):
        raise ValueError(
            f"{input_name} should be a 1d array-like of numbers, got the scalar "
            f"{values!r} instead."
        )
    if isinstance(values, (pd.Series, pd.Index)):
        dtype = values.dtype
        if isinstance(dtype, pd.CategoricalDtype) or dtype.kind not in "iuf":
            if dtype.kind == "O" and infer_dtype(values, skipna=True) in (
                "integer",
                "floating",
                "mixed-integer-float",
                "empty",
            ):
                values = values.to_numpy(dtype=np.float64, na_value=np.nan)
            else:
                raise _not_numeric(input_name, values, f"values of dtype {dtype}")
        else:
            values = values.to_numpy(dtype=np.float64, na_value=np.nan)
    arr = np.asarray(values)
    if arr.dtype.kind == "O":
        kind = infer_dtype(arr.ravel(), skipna=True)
        if kind not in ("integer", "floating", "mixed-integer-float", "empty"):
            present = [v for v in arr.ravel() if not pd.isna(v)] or list(arr.ravel())
            raise _not_numeric(input_name, present, f"values of kind {kind!r}")
        arr = np.asarray(pd.to_numeric(arr.ravel()), dtype=np.float64).reshape(
            arr.shape
        )
    elif arr.dtype.kind == "b":
        raise TypeError(
            f"{input_name} holds booleans, which are class labels, not a "
            "regression target. For two classes use sklabels.noise."
            "find_label_issues or ConfidentLearningFilter; to score them as "
            f"numbers pass {input_name}.astype(float)."
        )
    elif arr.dtype.kind == "c":
        raise ValueError(
            f"Complex data not supported: {input_name} has complex values such "
            f"as {arr.ravel()[0].item()!r}; pass the real part or the modulus."
        )
    elif arr.dtype.kind not in "iuf":
        raise _not_numeric(input_name, arr, f"values of dtype {arr.dtype}")
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise ValueError(
            f"{input_name} should be a 1d array of numbers, got an array of shape "
            f"{arr.shape} instead."
        )
    arr = arr.astype(np.float64, copy=False)
    if arr.size == 0:
        raise ValueError(f"{input_name} is empty: at least one value is required.")
    finite = np.isfinite(arr)
    if not finite.all():
        bad = ~finite
        raise ValueError(
            f"{input_name} contains NaN or infinity in "
            f"{_describe_positions(bad, arr.tolist())}; drop or impute those "
            "rows first."
        )
    return arr


# --------------------------------------------------------------------------
# regression_quality_scores
# --------------------------------------------------------------------------


def _residual_scores(y, predictions):
    """``exp(-|prediction - y|)`` (the kernel: trusts its input)."""
    scores = np.subtract(predictions, y)
    np.abs(scores, out=scores)
    np.negative(scores, out=scores)
    return np.exp(scores, out=scores)


def _mean_knn_distances(
    points, k, *, queries=None, dtype=np.float64, block_elements=_BLOCK_ELEMENTS
):
    """Mean Euclidean distance of query points to their ``k`` nearest points.

    ``points`` is (n, 2), float64; ``queries`` indexes the rows to answer
    for (all by default). A point is its own nearest neighbour (distance 0),
    as when scikit-learn's ``NearestNeighbors.kneighbors`` is queried with
    the data it was fitted on. The squared distances of a block of query
    rows to every point are partitioned at ``k`` (which neighbours are
    picked among equal distances does not change the sum), then the ``k``
    smallest are square-rooted and averaged (in float64).

    The coordinate differences are computed in float64 and stored in
    ``dtype``: with float32 each distance is within 2e-7 of its value
    (relative), whatever the coordinates, and the search moves half the
    memory of float64. Time O(n x queries), memory O(block_elements + n):
    the n x n matrix is never held.
    """
    n = points.shape[0]
    u, v = points[:, 0], points[:, 1]
    queries = np.arange(n) if queries is None else np.asarray(queries)
    rows = min(max(1, block_elements // n), queries.shape[0])
    squared = np.empty((rows, n), dtype=dtype)
    dv = np.empty((rows, n), dtype=dtype)
    means = np.empty(queries.shape[0])
    for start in range(0, queries.shape[0], rows):
        block = queries[start : start + rows]
        sq, d = squared[: block.shape[0]], dv[: block.shape[0]]
        np.subtract(u[block, None], u[None, :], out=sq, casting="same_kind")
        np.square(sq, out=sq)
        np.subtract(v[block, None], v[None, :], out=d, casting="same_kind")
        np.square(d, out=d)
        sq += d
        if k < n:
            sq.partition(k - 1, axis=1)
        nearest = sq[:, :k]
        np.sqrt(nearest, out=nearest)
        means[start : start + block.shape[0]] = nearest.mean(axis=1, dtype=np.float64)
    return means


def _outre_distances(points, k):
    """Mean distances to the ``k`` nearest points, within 3e-7 relative.

    The search stores distances in float32 (see ``_mean_knn_distances``);
    the scores ``exp(-d / median(d))`` then move by less than 2e-7. Only
    cleanlab's cut, where a mean below sqrt(100 eps) scores exactly 1, is
    sensitive to such an error: rows whose mean is within a factor 2 of it
    are searched again in float64.
    """
    means = _mean_knn_distances(points, k, dtype=np.float32)
    near_cut = np.flatnonzero(means < 2 * _SCORE_ONE_BELOW)
    if near_cut.size:
        means[near_cut] = _mean_knn_distances(points, k, queries=near_cut)
    return means


def _outre_scores(y, predictions):
    """OUTRE scores (the kernel: trusts its input; at least 2 rows)."""
    residual = predictions - y
    labels = (y - y.mean()) / (y.std() + _TINY)
    residual = _RESIDUAL_SCALE * (
        (residual - residual.mean()) / (residual.std() + _TINY)
    )
    k = int(np.ceil(_FRAC_NEIGHBORS * y.shape[0]))
    distances = _outre_distances(np.column_stack([labels, residual]), k)
    scale = float(max(np.median(distances), 100 * _EPS))
    scores = np.exp(-distances / max(scale, _EPSILON))
    scores[distances < _SCORE_ONE_BELOW] = 1.0
    return scores


_QUALITY_SCORERS = {"outre": _outre_scores, "residual": _residual_scores}


@validate_params(
    {
        "y": ["array-like"],
        "predictions": ["array-like"],
        "method": [StrOptions(set(_QUALITY_SCORERS))],
    },
    prefer_skip_nested_validation=True,
)
def regression_quality_scores(y, predictions, *, method="outre"):
    """Score how likely each regression target is to be correct.

    Each row gets a score in [0, 1] from its given target and an
    out-of-sample prediction of it; the lower the score, the more likely the
    target is wrong. Sorting by the score ranks the rows to review first.
    The numbers are those of cleanlab's
    ``regression.rank.get_label_quality_scores`` (within 1e-6), computed
    with memory linear in the number of rows.

    Read more in the :ref:`User Guide <regression_noise>`.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Given targets: finite numbers (ints or floats; computed in float64).

    predictions : array-like of shape (n_samples,)
        Out-of-sample predictions of the targets (for example
        ``cross_val_predict(regressor, X, y)``): finite numbers. In-sample
        predictions follow the errors they should expose.

    method : {"outre", "residual"}, default="outre"
        The score:

        - "outre": Zhou, Tkachenko and Mueller's outlier score of the
          residuals (2023). Each row is a point ``(y, 5 * residual)``, both
          standardised; its score is ``exp(-d / median(d))``, where ``d``
          is its mean Euclidean distance to its ``ceil(n / 2)`` nearest
          points (itself included). A residual is thus judged against the
          residuals of rows with similar targets. Needs at least 2 rows.
        - "residual": ``exp(-|prediction - y|)``; depends on the units of
          ``y``.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        Scores in [0, 1]; low means likely wrong.

    See Also
    --------
    RegressionLabelFilter : Out-of-fold predictions, flags and a sampler.

    Notes
    -----
    *Cost.* "residual" is one vectorised expression, O(n). "outre" needs,
    for every row, the sum of its distances to half of the rows: an exact
    search takes O(n^2) time. cleanlab runs it with scikit-learn's
    ``NearestNeighbors``, whose answer is an ``n x n / 2`` matrix (O(n^2)
    memory: 3.4 GB at 20,000 rows). Here the distances of a block of rows
    to all rows (at most 2**21 values, 16 MB) are partitioned at the
    ``ceil(n / 2)``-th smallest and reduced to their mean before the next
    block, so memory is O(n) and time O(n^2) with a small constant: the
    distances are stored in float32 (differences taken in float64, so each
    is within 2e-7 of its value; rows near cleanlab's score-1 cut are
    searched again in float64). Measured: 0.03 x cleanlab's time at 4,000
    rows; 100 s of CPU and a 25 MB peak at 200,000 rows. Ties need no
    rule: which of several equidistant rows is picked does not change the
    distances.

    References
    ----------
    .. [1] Y. Zhou, J. Tkachenko and J. Mueller, "Detecting Errors in
       Numerical Data via any Regression Model", arXiv:2305.16583, 2023.

    Examples
    --------
    >>> from sklabels.noise import regression_quality_scores
    >>> y = [1, 2, 3, 4]
    >>> predictions = [2, 2, 5, 4.1]
    >>> regression_quality_scores(y, predictions).round(5)
    array([0.21624, 0.62586, 0.20275, 0.62586])
    >>> regression_quality_scores(y, predictions, method="residual").round(3)
    array([0.368, 1.   , 0.135, 0.905])
    """
    y = check_regression_target(y, "y")
    predictions = check_regression_target(predictions, "predictions")
    if predictions.shape[0] != y.shape[0]:
        raise ValueError(
            f"predictions has {predictions.shape[0]} values but y has "
            f"{y.shape[0]}: give one prediction per target."
        )
    if method == "outre" and y.shape[0] < 2:
        raise ValueError(
            f"method='outre' compares each row with the other rows and needs at "
            f"least 2 rows, got y of length {y.shape[0]}. Use method='residual'."
        )
    return _QUALITY_SCORERS[method](y, predictions)


# --------------------------------------------------------------------------
# Flagging rule of the filter
# --------------------------------------------------------------------------


def _robust_z(residual):
    """Distances of the residuals to their median, in robust standard deviations.

    Returns ``z`` and the scale (a standard deviation, in the units of the
    residuals).

    The scale is 1.4826 x the median absolute deviation (a standard
    deviation for normal residuals, untouched by a minority of wild ones);
    when more than half of the residuals equal the median, the mean absolute
    deviation x sqrt(pi / 2) instead; when every residual equals the median,
    every z is 0.
    """
    deviation = np.abs(residual - np.median(residual))
    scale = _MAD_TO_SD * np.median(deviation)
    if scale <= 0:
        scale = _MEAN_AD_TO_SD * deviation.mean()
    if scale <= 0:
        return np.zeros_like(deviation), 0.0
    return deviation / scale, float(scale)


def _flag(z, threshold, frac_flagged):
    """Rows flagged: ``z > threshold``, or the ``frac_flagged`` largest ``z``."""
    if frac_flagged is None:
        return z > threshold
    n_flagged = int(np.floor(frac_flagged * z.shape[0] + 0.5))
    flags = np.zeros(z.shape[0], dtype=bool)
    # stable: among equal z, the first rows are flagged first
    flags[np.argsort(-z, kind="stable")[:n_flagged]] = True
    return flags


def _fit_predict_fold(estimator, X, y, train, test, fit_params):
    """Fit ``estimator`` on the training rows; predictions of the test rows."""
    fit_params = _check_method_params(X, fit_params, indices=train)
    estimator.fit(_safe_indexing(X, train), y[train], **fit_params)
    predictions = np.asarray(estimator.predict(_safe_indexing(X, test)))
    return predictions.reshape(len(test), -1)[:, 0].astype(np.float64)


def _default_estimator():
    return make_pipeline(
        StandardScaler(with_mean=False), RidgeCV(alphas=np.logspace(-3, 3, 13))
    )


# --------------------------------------------------------------------------
# RegressionLabelFilter
# --------------------------------------------------------------------------


@fill_doc
class RegressionLabelFilter(LabelSampler):
    """Find wrong regression targets and remove or replace them.

    An imbalanced-learn sampler for a continuous ``y``:
    ``fit_resample(X, y)`` computes out-of-fold predictions of ``y`` with
    ``estimator``, flags the rows whose target lies too far from its
    prediction given the spread of all the residuals, and returns the data
    without them (``action="remove"``) or with their targets replaced by the
    out-of-fold prediction (``action="replace"``). In an imbalanced-learn
    :class:`~imblearn.pipeline.Pipeline` it acts at fit time only: the
    regressor after it is trained on the cleaned data, and prediction sees
    every row.

    The rule, in two passes: out-of-fold predictions give residuals
    ``y - prediction``; each is measured in robust standard deviations
    ``z = |r - median(r)| / (1.4826 MAD(r))``, and rows with ``z >
    threshold`` are flagged. The folds are then fitted again without the
    flagged rows (a wrong target pulls the model towards itself and masks
    its neighbours), every row is predicted anew and the rule is applied to
    the new residuals. With ``frac_flagged``, the given fraction of rows
    with the largest ``z`` is flagged instead of a threshold.

    Every input row is accounted for: ``label_issues_`` flags the rows
    found, ``sample_indices_`` lists the rows returned and
    ``label_issues_report_`` says, row by row, what was done and why.

    Read more in the :ref:`User Guide <regression_noise>`.

    Parameters
    ----------
    estimator : estimator object, default=None
        Regressor (any object with ``fit`` and ``predict``, a Pipeline
        included) whose out-of-fold predictions judge the targets; cloned
        for each fold. It receives ``X`` as given (a DataFrame stays a
        DataFrame). None means ``make_pipeline(StandardScaler(
        with_mean=False), RidgeCV(alphas=np.logspace(-3, 3, 13)))``: a
        ridge regression with its penalty chosen by efficient leave-one-out
        cross-validation; fast (the filter fits ``2 * cv`` models),
        deterministic, for dense and sparse ``X``. Pass a more flexible
        regressor (e.g. ``HistGradientBoostingRegressor``) when the target
        is far from linear in the features: the better the predictions,
        the smaller the wrong targets that can be told apart.

    cv : int, cross-validation splitter or iterable of splits, default=5
        Folds for the out-of-fold predictions. An int is the number of
        folds of a ``KFold``: unshuffled when ``random_state`` is None (as
        scikit-learn's ``cv=int``), shuffled with a seed drawn from
        ``random_state`` otherwise. None means 5. A splitter (e.g.
        ``GroupKFold``) is called as ``cv.split(X, y, groups)``; an
        iterable yields ``(train, test)`` index arrays (give a list: a
        generator is used up by the first pass). The test parts must put
        every row in exactly one test fold.

    frac_flagged : float in [0, 1], default=None
        Flag this fraction of the rows (rounded to the nearest count), those
        with the largest robust z-scores, instead of using ``threshold``.
        For a known or budgeted error rate.

    threshold : float, default=2.0
        Flag the rows whose residual lies more than ``threshold`` robust
        standard deviations from the median residual. For normal residuals
        2.0 flags 4.6 % of correct rows (3.0: 0.27 %); a lower threshold
        finds smaller errors and flags more correct rows. Ignored when
        ``frac_flagged`` is given.

    action : {"remove", "replace"}, default="remove"
        "remove" drops the flagged rows; "replace" keeps every row and
        replaces each flagged target by its out-of-fold prediction (from
        models that did not see the flagged rows).

    n_jobs : int, default=None
        Number of folds fitted in parallel.
        %(joblib_context)s
        The result does not depend on it.

    random_state : int, RandomState instance or None, default=None
        Shuffling of the folds when ``cv`` is an int. None gives unshuffled
        folds, the same on every fit; an int (or RandomState) gives folds
        shuffled with a seed drawn from it. It does not seed ``estimator``:
        give it its own ``random_state`` if it is random.

    verbose : int, default=0
        Progress on stderr: 0 says nothing, 1 the start and end of the
        cross-fitting and the number of issues found, 2 also each fold as it is
        fitted.

    Attributes
    ----------
    predictions_ : ndarray of shape (n_samples,)
        Out-of-fold predictions of the targets, from the second pass (models
        fitted without the rows flagged by the first).

    label_quality_ : ndarray of shape (n_samples,)
        ``erfc(z / sqrt(2))``: the probability that a normal residual lies at
        least as far from the median as this one; in [0, 1], low means likely
        wrong. ``threshold`` t flags the rows below ``erfc(t / sqrt(2))``.

    label_issues_ : ndarray of shape (n_samples,), dtype=bool
        Which input rows have a wrong target.

    residual_scale_ : float
        The robust standard deviation of the second-pass residuals, in the
        units of ``y``: a row is flagged when its residual is more than
        ``threshold * residual_scale_`` from the median residual.

    sample_indices_ : ndarray of shape (n_samples_out,)
        Indices of the input rows returned by ``fit_resample``, in order:
        the rows not flagged for "remove", every row for "replace".

    label_issues_report_ : pandas.DataFrame of shape (n_samples, 6)
        One row per input row, indexed like ``y`` (or a DataFrame ``X``):
        ``given_target``, ``predicted_target`` (``predictions_``),
        ``residual_z`` (robust z-score), ``label_quality``,
        ``is_label_issue`` and ``action``, one of "kept", "removed" or
        "replaced".

    n_splits_ : int
        Number of cross-validation folds used.

    sampling_strategy_ : str
        Always "auto": rows are selected by their targets, not to balance
        classes (imbalanced-learn's "bypass" sampling type).

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    regression_quality_scores : cleanlab's scores, given predictions.
    ConfidentLearningFilter : The same for class labels.

    Notes
    -----
    *Assumptions.* The rule reads residuals as roughly symmetric with one
    spread for all rows: a target is wrong when it is far from its
    prediction compared with how far the other targets are from theirs. It
    misleads when the noise of the correct targets grows with the target
    (flagging the large, correct values: model ``log(y)`` instead), when
    the residuals are heavy-tailed, or when the model fits too poorly for
    an error to stand out. More than half of the targets must be correct
    (the median and MAD break down beyond that).

    *Cost.* ``2 * n_splits_`` model fits, against about 80 for cleanlab's
    ``regression.learn.CleanLearning.find_label_issues`` (which also
    bootstraps the model to estimate its uncertainty).

    *Groups and weights.* ``fit_resample(X, y, groups=g)`` passes ``g`` to
    ``cv.split`` (``cv`` must then be a group splitter such as
    ``GroupKFold``); ``fit_resample(X, y, sample_weight=w)`` fits each fold
    model with the weights of its training rows. With metadata routing
    enabled they go where they are requested instead.

    ``fit`` does the same work as ``fit_resample``. The fold models are not
    kept.

    References
    ----------
    .. [1] Y. Zhou, J. Tkachenko and J. Mueller, "Detecting Errors in
       Numerical Data via any Regression Model", arXiv:2305.16583, 2023.
    .. [2] P. J. Rousseeuw and C. Croux, "Alternatives to the Median
       Absolute Deviation", Journal of the American Statistical
       Association, 88(424), 1273-1283, 1993.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_diabetes
    >>> from sklabels.noise import RegressionLabelFilter
    >>> X, y = load_diabetes(return_X_y=True)
    >>> y_noisy = y.copy()
    >>> y_noisy[[10, 20, 30]] += 300  # three wrong targets
    >>> flt = RegressionLabelFilter(threshold=3.0)
    >>> X_clean, y_clean = flt.fit_resample(X, y_noisy)
    >>> np.flatnonzero(flt.label_issues_)
    array([10, 20, 30])
    >>> X_clean.shape
    (439, 10)
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "cv": ["cv_object"],
        "frac_flagged": [Interval(Real, 0, 1, closed="both"), None],
        "threshold": [Interval(Real, 0, None, closed="neither")],
        "action": [StrOptions({"remove", "replace"})],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        cv=5,
        frac_flagged=None,
        threshold=2.0,
        action="remove",
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.estimator = estimator
        self.cv = cv
        self.frac_flagged = frac_flagged
        self.threshold = threshold
        self.action = action
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _make_estimator(self):
        if self.estimator is None:
            return _default_estimator()
        return clone(self.estimator)

    def _n_folds(self):
        """The number of folds asked for, or None for a splitter / iterable."""
        return n_folds_asked(self.cv)

    # prefer_skip_nested_validation=False: the parameters of the user's
    # estimator are validated when it is fitted
    @_fit_context(prefer_skip_nested_validation=False)
    def fit_resample(self, X, y, **params):
        """Flag the wrong targets and return the data without (or with) them.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Data, passed to ``estimator`` as given.

        y : array-like of shape (n_samples,)
            Given (possibly wrong) targets: finite numbers.

        **params : dict
            Without metadata routing: ``groups`` (passed to ``cv.split``;
            ``cv`` must then be a splitter or iterable) and
            ``sample_weight`` (passed to the ``fit`` of each fold model,
            restricted to its training rows). With metadata routing
            enabled, any metadata, routed to ``estimator.fit`` and
            ``cv.split`` as they request them.

        Returns
        -------
        X_resampled : {array-like, dataframe, sparse matrix} of shape \
(n_samples_out, n_features)
            The rows ``sample_indices_`` of ``X``, in the container given.

        y_resampled : array-like of shape (n_samples_out,)
            Their targets: unchanged for "remove"; for "replace", flagged
            targets replaced by ``predictions_`` (float).
        """
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y "
                "is None. Pass the regression targets, one per row of X."
            )
        fit_params, split_params = self._route(params)
        index = input_index(X, y)
        arrays_transformer = ArraysTransformer(X, y)
        y_float = check_regression_target(y, "y")
        y_given = np.asarray(y.iloc[:, 0] if isinstance(y, pd.DataFrame) else y)
        y_given = y_given.reshape(y_float.shape[0], -1)[:, 0]
        X = _check_X(X)
        X = validate_data(self, X=X, reset=True, skip_check_array=True)
        if X.shape[0] != y_float.shape[0]:
            raise ValueError(
                "X and y must have the same number of rows, got X with "
                f"{X.shape[0]} rows and y with {y_float.shape[0]} values."
            )
        self.sampling_strategy_ = "auto"
        X_res, y_res = self._fit_resample(
            X, y_float, y_given, fit_params=fit_params, split_params=split_params
        )
        if y_res.dtype != y_given.dtype:  # integer targets, some replaced
            arrays_transformer.y_props["dtypes"] = y_res.dtype
        output = arrays_transformer.transform(X_res, y_res)
        if index is not None:
            self.label_issues_report_.index = index
        return output

    def _route(self, params):
        """Metadata for the fold models' ``fit`` and for ``cv.split``."""
        groups_error = None
        if self._n_folds() is not None:
            groups_error = (
                f"groups were given but cv={self.cv!r} gives folds that "
                "ignore them, so the rows of a group would be split between "
                "folds. Pass a group splitter, e.g. cv=GroupKFold(5)."
            )
        return route_fold_params(self, params, groups_error=groups_error)

    def _splits(self, X, y, split_params):
        """Train/test index pairs whose test parts partition the rows."""
        n_samples = y.shape[0]
        n_folds = self._n_folds()
        if n_folds is not None:
            if n_folds > n_samples:
                raise ValueError(
                    f"cv={self.cv!r} is larger than the number of samples: "
                    f"n_samples={n_samples}. Every fold needs at least one row; "
                    f"use cv <= {n_samples}."
                )
            # the seed rule of the classification filters, on plain folds
            stratified = stratified_folds(n_folds, self.random_state)
            cv = KFold(
                n_splits=n_folds,
                shuffle=stratified.shuffle,
                random_state=stratified.random_state,
            )
            splits = list(cv.split(np.zeros((n_samples, 1))))
        else:
            cv = check_cv(self.cv, y, classifier=False)
            splits = list(cv.split(X, y, **split_params))
            check_partition(splits, n_samples, self.cv, "predictions")
        return [
            (np.asarray(train, dtype=np.intp), np.asarray(test, dtype=np.intp))
            for train, test in splits
        ]

    def _out_of_fold(self, estimator, X, y, splits, fit_params, keep):
        """Predictions of every test row by models fitted on kept rows only."""
        folds = [(train[keep[train]], test) for train, test in splits]
        results = cross_fit(
            _fit_predict_fold,
            [(clone(estimator), X, y, tr, te, fit_params) for tr, te in folds],
            n_jobs=self.n_jobs,
            progress=Progress(self, self.verbose),
        )
        predictions = np.empty(y.shape[0])
        for (_, test), fold_predictions in zip(folds, results, strict=True):
            predictions[test] = fold_predictions
        if not np.isfinite(predictions).all():
            bad = ~np.isfinite(predictions)
            raise ValueError(
                f"estimator={estimator!r} predicted NaN or infinity for "
                f"{_describe_positions(bad, predictions.tolist())}; targets cannot be "
                "judged against them. Check the estimator and the features."
            )
        return predictions

    def _fit_resample(self, X, y, y_given, *, fit_params, split_params):
        fit_params = check_fold_fit_params(fit_params, X)
        estimator = self._make_estimator()
        splits = self._splits(X, y, split_params)
        n_samples = y.shape[0]
        # first pass: every row trains; second pass: the flagged rows do not
        # (skipped when nothing was flagged, or when a training fold would
        # be left without rows)
        keep = np.ones(n_samples, dtype=bool)
        predictions = self._out_of_fold(estimator, X, y, splits, fit_params, keep)
        z, scale = _robust_z(y - predictions)
        issues = _flag(z, self.threshold, self.frac_flagged)
        if issues.any() and all((~issues[train]).any() for train, _ in splits):
            predictions = self._out_of_fold(
                estimator, X, y, splits, fit_params, ~issues
            )
            z, scale = _robust_z(y - predictions)
            issues = _flag(z, self.threshold, self.frac_flagged)

        self.n_splits_ = len(splits)
        self.predictions_ = predictions
        self.residual_scale_ = scale
        self.label_quality_ = erfc(z / np.sqrt(2))
        self.label_issues_ = issues

        action = np.full(n_samples, KEPT, dtype=object)
        if self.action == "remove":
            self.sample_indices_ = np.flatnonzero(~issues)
            X_res = _safe_indexing(X, self.sample_indices_)
            y_res = y_given[self.sample_indices_]
            action[issues] = REMOVED
        else:
            self.sample_indices_ = np.arange(n_samples)
            X_res = X
            dtype = y_given.dtype if y_given.dtype.kind == "f" else np.float64
            y_res = y_given.astype(dtype, copy=True)
            y_res[issues] = predictions[issues]
            action[issues] = REPLACED
        self.label_issues_report_ = pd.DataFrame(
            {
                "given_target": y_given,
                "predicted_target": predictions,
                "residual_z": z,
                "label_quality": self.label_quality_,
                "is_label_issue": issues,
                "action": action,
            }
        )
        return X_res, y_res

    def get_metadata_routing(self):
        """Get metadata routing of this object.

        ``fit_resample`` (and ``fit``) route metadata to ``estimator.fit``
        and to ``cv.split`` (a ``KFold`` for an int ``cv``).

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter`
            encapsulating routing information.
        """
        splitter = KFold() if self._n_folds() is not None else self.cv
        return fold_metadata_router(self, splitter)

    def __sklearn_tags__(self):
        tags = inherit_input_tags(
            super().__sklearn_tags__(),
            self._make_estimator(),
            ("sparse", "allow_nan", "string"),
        )
        tags.target_tags.required = True
        return tags
