"""LabelEncoder: class labels to integer codes and back."""

from numbers import Integral

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from sklabels.encoding._base import _BaseLabelTransformer
from sklabels.utils._compat import StrOptions, _fit_context, check_is_fitted
from sklabels.utils._encode import factorize_labels, lookup_codes, unique_labels
from sklabels.utils._validation import (
    _describe_positions,
    _to_1d_array,
    check_classes,
)

__all__ = ["LabelEncoder"]


def _order_sorted(uniques, counts):
    return np.argsort(uniques, kind="stable")


def _order_appearance(uniques, counts):
    return np.arange(uniques.size)


def _order_frequency(uniques, counts):
    # most frequent first; ties broken by sorted value, so the result does not
    # depend on the row order of y
    rank = np.empty(uniques.size, dtype=np.intp)
    rank[np.argsort(uniques, kind="stable")] = np.arange(uniques.size)
    return np.lexsort((rank, -counts))


_ORDERS = {
    "sorted": _order_sorted,
    "appearance": _order_appearance,
    "frequency": _order_frequency,
}


def _missing_mask(values):
    """Mask of None/NaN/pd.NA among ``values`` (any dtype)."""
    if values.dtype.kind in "fc":
        return np.isnan(values)
    if values.dtype.kind == "O":
        return np.asarray(pd.isna(values), dtype=bool)
    return np.zeros(values.shape[0], dtype=bool)


def _labels_of(arr, categorical, rows):
    """The label values at ``rows`` (works for categorical input too)."""
    if categorical is not None:
        codes, categories = categorical
        values = np.asarray(categories, dtype=object)
        return np.append(values, None)[codes[rows]]
    return arr[rows]


def _unseen_error(
    values, input_name="y", limit=10, option="use_encoded_value", fixed_classes=False
):
    """Error naming the unseen labels; ``option`` is the owner's value of
    ``handle_unknown`` that accepts them, or None when it has no such option."""
    unseen = pd.unique(values)
    try:
        unseen = np.sort(unseen)
    except TypeError:
        pass
    shown = unseen[:limit].tolist()
    more = f" and {unseen.size - limit} more" if unseen.size > limit else ""
    if fixed_classes:
        fix = "add them to classes="
        fix += f" or set handle_unknown={option!r}." if option else "."
        return ValueError(
            f"{input_name} contains labels that are not in classes: {shown}{more}; "
            f"{fix}"
        )
    fix = "Fit on data that holds every class"
    fix += (
        f", pass them with classes=, or set handle_unknown={option!r}."
        if option
        else " or pass them with classes=."
    )
    return ValueError(
        f"{input_name} contains previously unseen labels: {shown}{more}. {fix}"
    )


def _inner_label_encoder(*, unknown_option=None, missing_option=None, **params):
    """A LabelEncoder working inside another estimator.

    Its error messages name the owner's options: ``unknown_option`` /
    ``missing_option`` are the owner's values of ``handle_unknown`` /
    ``handle_missing`` that accept such labels, None when the owner has no
    such option (the message then names only the fixes that exist).
    """
    encoder = LabelEncoder(**params)
    encoder._unknown_option = unknown_option
    encoder._missing_option = missing_option
    return encoder


class LabelEncoder(_BaseLabelTransformer):
    """Encode class labels as integers ``0..n_classes-1``, and back.

    A drop-in for :class:`sklearn.preprocessing.LabelEncoder` (same
    ``classes_`` and codes by default) that also lets you fix the class order
    (``classes=``, or order by first appearance or by frequency), encode
    labels unseen at fit time or missing labels to a marker value instead of
    failing, and read pandas Series and categoricals without copying them to
    Python objects. It hashes rather than sorts, so it is faster than
    scikit-learn's on large label vectors.

    Read more in the :ref:`User Guide <encoding>`.

    Parameters
    ----------
    classes : array-like of shape (n_classes,), default=None
        The classes, in the order of their codes. None learns them from ``y``
        in the order given by ``order``. Must not contain duplicates.

    order : {"sorted", "appearance", "frequency"}, default="sorted"
        Order of learned classes: sorted by value (as scikit-learn), by first
        appearance in ``y``, or by decreasing count (ties sorted by value).
        Ignored when ``classes`` is given.

    handle_unknown : {"error", "use_encoded_value"}, default="error"
        What ``transform`` does with a label that is not in ``classes_``:
        raise a ``ValueError`` naming it, or encode it as ``unknown_value``.
        With "error", ``fit`` with ``classes=`` also rejects labels outside
        ``classes``.

    unknown_value : int, default=-1
        Code given to unknown labels (and to missing ones when
        ``handle_missing="use_encoded_value"``). Must lie outside
        ``0..n_classes-1``. ``inverse_transform`` maps it back to None.

    handle_missing : {"error", "use_encoded_value"}, default="error"
        What to do with missing labels (None, NaN, ``pd.NA``): raise, or
        encode them as ``unknown_value``. The latter gives scikit-learn's
        semi-supervised convention, -1 for unlabeled rows.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class of each code.

    See Also
    --------
    OneHotLabelEncoder : One column per class.
    MultiLabelEncoder : Sets of labels per row.

    Examples
    --------
    >>> from sklabels.encoding import LabelEncoder
    >>> enc = LabelEncoder().fit(["paris", "tokyo", "paris", "amsterdam"])
    >>> enc.classes_
    array(['amsterdam', 'paris', 'tokyo'], dtype='<U9')
    >>> enc.transform(["tokyo", "paris"])
    array([2, 1])
    >>> enc.inverse_transform([0, 2])
    array(['amsterdam', 'tokyo'], dtype='<U9')
    >>> enc = LabelEncoder(order="frequency", handle_unknown="use_encoded_value")
    >>> enc.fit_transform(["b", "a", "b", "c", "b"])
    array([0, 1, 0, 2, 0])
    >>> enc.transform(["a", "z"])
    array([ 1, -1])
    """

    # the option values named in error messages (see _inner_label_encoder)
    _unknown_option = "use_encoded_value"
    _missing_option = "use_encoded_value"

    _parameter_constraints: dict = {
        "classes": ["array-like", None],
        "order": [StrOptions(set(_ORDERS))],
        "handle_unknown": [StrOptions({"error", "use_encoded_value"})],
        "unknown_value": [Integral],
        "handle_missing": [StrOptions({"error", "use_encoded_value"})],
    }

    def __init__(
        self,
        *,
        classes=None,
        order="sorted",
        handle_unknown="error",
        unknown_value=-1,
        handle_missing="error",
    ):
        self.classes = classes
        self.order = order
        self.handle_unknown = handle_unknown
        self.unknown_value = unknown_value
        self.handle_missing = handle_missing

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, y):
        """Learn the classes of ``y``.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Labels: list, numpy array, pandas Series or categorical. All
            strings or all numbers.

        Returns
        -------
        self : object
            Fitted encoder.
        """
        self._fit(y, need_codes=False)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, y):
        """Learn the classes of ``y`` and return its codes, in one pass.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Labels.

        Returns
        -------
        codes : ndarray of shape (n_samples,)
            Code of each label (a Series under ``set_output("pandas")``).
        """
        return self._wrap_output(self._fit(y, need_codes=True), y)

    def _fit(self, y, *, need_codes):
        try:
            return self._fit_validated(y, need_codes=need_codes)
        except TypeError as exc:
            if "unlabeled row" not in str(exc) or not self._missing_option:
                raise
            raise TypeError(
                f"{exc} Then set handle_missing={self._missing_option!r} to encode "
                "them as unknown_value."
            ) from None

    def _fit_validated(self, y, *, need_codes):
        arr, categorical = _to_1d_array(y, input_name="y")
        if arr.shape[0] == 0:
            raise ValueError("y is empty: at least one label is required to fit.")
        allow_missing = self.handle_missing == "use_encoded_value"
        if self.classes is not None:
            classes = check_classes(self.classes)
            self._set_classes(classes, y)
            codes = self._encode(arr, categorical, fitting=True)  # checks y too
            return codes if need_codes else None
        if self.order == "sorted" and not need_codes:
            found = unique_labels(
                arr, allow_missing=allow_missing, categorical=categorical
            )
            self._check_not_all_missing(found.uniques)
            self._set_classes(np.sort(found.uniques, kind="stable"), y)
            return None
        found = factorize_labels(
            arr, allow_missing=allow_missing, categorical=categorical
        )
        self._check_not_all_missing(found.uniques)
        counts = np.bincount(
            found.codes[found.codes >= 0], minlength=found.uniques.size
        )
        perm = _ORDERS[self.order](found.uniques, counts)
        self._set_classes(found.uniques[perm], y)
        if not need_codes:
            return None
        rank = np.empty(perm.size + 1, dtype=np.intp)
        rank[perm] = np.arange(perm.size)
        rank[-1] = self.unknown_value  # missing rows carry code -1
        return rank[found.codes]

    @staticmethod
    def _check_not_all_missing(uniques):
        if uniques.size == 0:
            raise ValueError("y holds only missing labels: there is no class to learn.")

    def _set_classes(self, classes, y=None):
        if isinstance(y, list) and classes.dtype == object and classes.size:
            if infer_dtype(classes, skipna=False) == "string":
                as_str = classes.astype(str)  # as numpy (and scikit-learn) would
                # unless that loses trailing NUL characters
                if np.array_equal(as_str.astype(object), classes):
                    classes = as_str
        if "use_encoded_value" in (self.handle_unknown, self.handle_missing) and (
            0 <= self.unknown_value < classes.size
        ):
            raise ValueError(
                f"unknown_value={self.unknown_value!r} is also the code of class "
                f"{classes.tolist()[self.unknown_value]!r}; choose a value outside "
                f"0..{classes.size - 1}, such as -1."
            )
        self.classes_ = classes

    def _encode(self, arr, categorical, fitting=False):
        """Codes of ``arr`` under the fitted classes, applying the policies."""
        codes = lookup_codes(arr, pd.Index(self.classes_), categorical=categorical)
        bad = np.flatnonzero(codes < 0)
        if bad.size == 0:
            return codes
        values = _labels_of(arr, categorical, bad)
        missing = _missing_mask(values)
        if missing.any() and self.handle_missing == "error":
            mask = np.zeros(codes.shape[0], dtype=bool)
            mask[bad[missing]] = True
            full = (
                arr
                if categorical is None
                else _labels_of(arr, categorical, slice(None))
            )
            fix = "remove or impute them"
            if self._missing_option:
                fix += f", or set handle_missing={self._missing_option!r}"
            raise ValueError(
                f"y contains missing labels (None/NaN) in "
                f"{_describe_positions(mask, full)}; {fix}."
            )
        if (~missing).any() and self.handle_unknown == "error":
            raise _unseen_error(
                values[~missing], option=self._unknown_option, fixed_classes=fitting
            )
        codes[bad] = self.unknown_value
        return codes

    def transform(self, y):
        """Encode labels as integer codes.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Labels.

        Returns
        -------
        codes : ndarray of shape (n_samples,)
            Code of each label (a Series under ``set_output("pandas")``).
        """
        check_is_fitted(self)
        arr, categorical = _to_1d_array(y, input_name="y")
        return self._wrap_output(self._encode(arr, categorical), y)

    def inverse_transform(self, y):
        """Turn codes back into labels.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Integer codes in ``0..n_classes-1`` (or ``unknown_value`` when a
            ``use_encoded_value`` policy is on).

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            The class of each code; an object array with None where the code
            is ``unknown_value``.
        """
        check_is_fitted(self)
        codes, _ = _to_1d_array(y, input_name="y")
        if codes.shape[0] == 0:
            return self.classes_[:0]
        if (
            codes.dtype.kind == "f"
            and np.all(np.isfinite(codes))
            and np.all(codes == np.round(codes))
        ):
            codes = codes.astype(np.intp)
        if codes.dtype.kind not in "iu":
            raise ValueError(
                f"y must hold integer codes to decode, got dtype {codes.dtype} "
                f"(first values: {codes[:5].tolist()})."
            )
        n_classes = self.classes_.size
        outside = (codes < 0) | (codes >= n_classes)
        if not outside.any():
            return self.classes_[codes]
        encoded = "use_encoded_value" in (self.handle_unknown, self.handle_missing)
        marker = outside & (codes == self.unknown_value) if encoded else outside & False
        stray = outside & ~marker
        if stray.any():
            raise ValueError(
                f"y contains previously unseen labels: "
                f"{np.unique(codes[stray])[:10].tolist()}; codes must lie in "
                f"0..{n_classes - 1}"
                + (f" or equal unknown_value={self.unknown_value}." if encoded else ".")
            )
        labels = self.classes_.astype(object)[np.where(marker, 0, codes)]
        labels[marker] = None
        return labels
