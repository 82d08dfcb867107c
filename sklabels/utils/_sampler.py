"""The base of the samplers that decide from the labels.

Used by sklabels.noise and sklabels.inspection.

They remove or relabel rows and report every row they removed or changed;
this module holds what they share: the base class, the report's words and
the index of the report.
"""

import numpy as np
import pandas as pd
from imblearn.base import BaseSampler
from imblearn.utils import check_sampling_strategy, check_target_type
from sklearn.preprocessing import label_binarize
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array

from sklabels.utils._compat import ArraysTransformer, validate_data
from sklabels.utils._doc_link import DocLinkMixin
from sklabels.utils._metaestimators import check_classification_y
from sklabels.utils._validation import check_labels

__all__ = [
    "KEPT",
    "RELABELED",
    "REMOVED",
    "LabelSampler",
    "check_missing_labels",
    "input_index",
]

# What the report says was done with each row.
KEPT, REMOVED, RELABELED = "kept", "removed", "relabeled"


# --------------------------------------------------------------------------
# A sampler that works on the labels
# --------------------------------------------------------------------------


def _check_X(X):
    """Check the shape of ``X`` only; DataFrames pass through unchanged.

    The samplers of this module do not compute on ``X`` themselves: they hand
    it to a classifier (or return it), which validates its values.
    """
    if hasattr(X, "iloc") and hasattr(X, "columns"):  # a DataFrame
        if X.shape[0] < 1:
            raise ValueError(
                f"Found array with {X.shape[0]} sample(s) (shape={X.shape}) while "
                "a minimum of 1 is required."
            )
        return X
    return check_array(
        X, dtype=None, accept_sparse=["csr", "csc"], ensure_all_finite=False
    )


def check_missing_labels(y):
    """Refuse None / NaN labels with a message that lists the rows.

    scikit-learn's own target checks either fail on them with a sorting
    error (strings mixed with None) or say "Input y contains NaN" without
    saying where. Label indicator matrices (2-D with several columns) are
    left to imbalanced-learn.
    """
    if y is None:
        return
    if not isinstance(y, (pd.Series, pd.DataFrame, np.ndarray)):
        y = np.asarray(y, dtype=object)
    dtypes = y.dtypes if isinstance(y, pd.DataFrame) else [y.dtype]
    if any(getattr(dtype, "kind", None) == "c" for dtype in dtypes):
        return  # refused by check_classification_y
    if y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1):
        check_labels(y, input_name="y")


def input_index(X, y):
    """Index for reports: that of a pandas ``y``, else of a DataFrame ``X``."""
    for data in (y, X):
        index = getattr(data, "index", None)
        if isinstance(index, pd.Index):
            return index
    return None


class LabelSampler(DocLinkMixin, BaseSampler):
    """A sampler that reads the labels and leaves the values of ``X`` alone.

    imbalanced-learn samplers balance classes according to a
    ``sampling_strategy``; these samplers decide from the labels (and a
    model), so they have no such parameter: ``_sampling_type="bypass"``, as
    imbalanced-learn's ``FunctionSampler``. ``X`` is only checked for shape
    (DataFrames pass through unchanged, so a pipeline inside the filter can
    select columns by name); its values are validated by the classifier that
    reads them.

    Subclasses write ``_fit_resample(X, y)`` and a ``fit_resample`` that
    calls ``_validate_and_resample`` under ``_fit_context``; ``fit`` runs
    ``fit_resample``.
    """

    _sampling_type = "bypass"

    def _check_X_y(self, X, y, accept_sparse=None):
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        X = _check_X(X)
        X, y = validate_data(self, X=X, y=y, reset=True, skip_check_array=True)
        if X.shape[0] != len(y):
            raise ValueError(
                "X and y must have the same number of rows, got X with "
                f"{X.shape[0]} rows and y with {len(y)} labels."
            )
        return X, y, binarize_y

    def _validate_and_resample(self, X, y, **params):
        """imbalanced-learn's ``fit_resample``, with our label checks first.

        ``params`` go to ``_fit_resample`` unchanged.
        """
        check_missing_labels(y)
        check_classification_y(self, y)
        check_classification_targets(y)
        arrays_transformer = ArraysTransformer(X, y)
        X, y, binarize_y = self._check_X_y(X, y)
        classes = pd.unique(y).tolist()
        if len(classes) < 2:
            raise ValueError(
                f"y holds only one class ({classes[0]!r}): {type(self).__name__} "
                "needs labels of at least two classes."
            )
        # "bypass": the strategy is returned unchanged; kept for imblearn's API
        self.sampling_strategy_ = check_sampling_strategy(
            "auto", y, self._sampling_type
        )
        X_res, y_res = self._fit_resample(X, y, **params)
        if binarize_y:
            y_res = label_binarize(y_res, classes=np.unique(y))
        return arrays_transformer.transform(X_res, y_res)

    def fit(self, X, y, **params):
        """Run the sampler and keep its fitted attributes.

        Unlike most imbalanced-learn samplers, ``fit`` does all the work of
        :meth:`fit_resample` (and sets the same attributes); only the
        resampled data is not returned.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Data.

        y : array-like of shape (n_samples,)
            Labels.

        **params : dict
            Passed to :meth:`fit_resample`, for samplers whose
            ``fit_resample`` takes metadata (``groups``, ``sample_weight``).

        Returns
        -------
        self : object
            Fitted sampler.
        """
        self.fit_resample(X, y, **params)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.sampler_tags.sample_indices = True
        return tags
