"""OneHotLabelEncoder: class labels to one column per class, and back."""

from numbers import Real

import numpy as np
from scipy import sparse
from sklearn.utils.validation import check_array

from sklabels.encoding._base import _BaseLabelTransformer
from sklabels.encoding._label_encoder import _ORDERS, _inner_label_encoder
from sklabels.utils._compat import (
    Interval,
    StrOptions,
    _fit_context,
    check_is_fitted,
)
from sklabels.utils._validation import _describe_positions

__all__ = ["OneHotLabelEncoder"]


def _one_hot(codes, n_classes, *, smoothing, dtype, sparse_output):
    """(n, K) rows: 1 - smoothing + smoothing / K on the class, smoothing / K
    elsewhere; all zeros where the code is negative (unknown label)."""
    n = codes.shape[0]
    known = codes >= 0
    if sparse_output:
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(known, out=indptr[1:])
        data = np.ones(int(indptr[-1]), dtype=dtype)
        return sparse.csr_matrix(
            (data, codes[known], indptr), shape=(n, n_classes), dtype=dtype
        )
    off = smoothing / n_classes
    out = (
        np.full((n, n_classes), off, dtype=dtype)
        if off
        else np.zeros((n, n_classes), dtype=dtype)
    )
    rows = np.flatnonzero(known)
    out[rows, codes[rows]] = 1 - smoothing + off
    if off and rows.size < n:
        out[~known] = 0
    return out


def _sparse_row_argmax(Y):
    """Row-wise argmax of a CSR matrix (first column on ties) and zero rows.

    Vectorised over the stored entries when they are all non-negative (one-hot
    rows, probabilities); otherwise falls back to scipy's argmax.
    """
    Y = Y.copy()
    Y.eliminate_zeros()
    Y.sort_indices()
    nnz = np.diff(Y.indptr)
    zero_rows = nnz == 0
    if Y.data.size and Y.data.min() < 0:
        return np.asarray(Y.argmax(axis=1)).ravel(), zero_rows
    codes = np.zeros(Y.shape[0], dtype=np.intp)
    if Y.data.size == 0:
        return codes, zero_rows
    row_ids = np.repeat(np.arange(Y.shape[0]), nnz)
    row_max = np.maximum.reduceat(Y.data, Y.indptr[:-1][~zero_rows])
    full_max = np.zeros(Y.shape[0], dtype=Y.data.dtype)
    full_max[~zero_rows] = row_max
    at_max = np.flatnonzero(Y.data == full_max[row_ids])
    rows, first = np.unique(row_ids[at_max], return_index=True)
    codes[rows] = Y.indices[at_max[first]]
    return codes, zero_rows


class OneHotLabelEncoder(_BaseLabelTransformer):
    """Encode class labels as one column per class, and decode hard or soft rows.

    Unlike :class:`sklearn.preprocessing.LabelBinarizer`, it always returns
    ``n_classes`` columns (two columns for two classes, not one), can smooth
    the targets (``smoothing``), can map unseen labels to all-zero rows, and
    ``inverse_transform`` accepts soft rows (probabilities or scores, decoded
    by argmax), so that the output of a model trained on one-hot targets can
    be decoded directly.

    Read more in the :ref:`User Guide <encoding>`.

    Parameters
    ----------
    classes : array-like of shape (n_classes,), default=None
        The classes, in column order. None learns them from ``y``, sorted
        (or in the order given by ``order``).

    smoothing : float, default=0.0
        Label smoothing in [0, 1): each row is
        ``(1 - smoothing) * onehot + smoothing / n_classes`` and sums to 1.

    handle_unknown : {"error", "ignore"}, default="error"
        What ``transform`` does with a label not in ``classes_``: raise a
        ``ValueError`` naming it, or return an all-zero row.
        ``inverse_transform`` maps an all-zero row back to None.

    sparse_output : bool, default=False
        Return a CSR sparse matrix. Not available with ``smoothing > 0``
        (the rows would be dense).

    order : {"sorted", "appearance", "frequency"}, default="sorted"
        Order of learned classes; see :class:`LabelEncoder`.

    dtype : numpy dtype, default=None
        Output dtype. None gives int64 without smoothing (as scikit-learn's
        ``LabelBinarizer``) and float64 with smoothing.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class of each column.

    See Also
    --------
    LabelEncoder : Integer codes.
    sklabels.encoding.TransformedTargetClassifier : Fit any model on encoded
        targets and decode its predictions.

    Examples
    --------
    >>> from sklabels.encoding import OneHotLabelEncoder
    >>> enc = OneHotLabelEncoder().fit(["no", "yes", "no"])
    >>> enc.transform(["yes", "no"])
    array([[0, 1],
           [1, 0]])
    >>> enc.inverse_transform([[0.2, 0.8], [0.9, 0.1]])
    array(['yes', 'no'], dtype='<U3')
    >>> OneHotLabelEncoder(smoothing=0.1).fit_transform(["a", "b", "c"]).round(3)
    array([[0.933, 0.033, 0.033],
           [0.033, 0.933, 0.033],
           [0.033, 0.033, 0.933]])
    """

    _parameter_constraints: dict = {
        "classes": ["array-like", None],
        "smoothing": [Interval(Real, 0, 1, closed="left")],
        "handle_unknown": [StrOptions({"error", "ignore"})],
        "sparse_output": ["boolean"],
        "order": [StrOptions(set(_ORDERS))],
        "dtype": "no_validation",
    }

    def __init__(
        self,
        *,
        classes=None,
        smoothing=0.0,
        handle_unknown="error",
        sparse_output=False,
        order="sorted",
        dtype=None,
    ):
        self.classes = classes
        self.smoothing = smoothing
        self.handle_unknown = handle_unknown
        self.sparse_output = sparse_output
        self.order = order
        self.dtype = dtype

    def _make_label_encoder(self):
        return _inner_label_encoder(
            unknown_option="ignore",
            missing_option=None,
            classes=self.classes,
            order=self.order,
            handle_unknown=(
                "use_encoded_value" if self.handle_unknown == "ignore" else "error"
            ),
            unknown_value=-1,
        )

    def _check_params(self):
        if self.sparse_output and self.smoothing > 0:
            raise ValueError(
                f"sparse_output=True cannot hold smoothed rows (smoothing="
                f"{self.smoothing!r}): every entry would be non-zero. Use "
                "sparse_output=False or smoothing=0."
            )
        if self.dtype is not None:
            try:
                self._dtype = np.dtype(self.dtype)
            except TypeError:
                raise TypeError(
                    f"dtype must be a numpy dtype such as np.float64, got "
                    f"{self.dtype!r}."
                ) from None
            if self.smoothing and self._dtype.kind not in "fc":
                raise ValueError(
                    f"dtype={self.dtype!r} cannot hold smoothed rows (smoothing="
                    f"{self.smoothing!r}); use a float dtype such as np.float64."
                )
        else:
            self._dtype = np.dtype(np.float64 if self.smoothing else np.int64)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, y):
        """Learn the classes of ``y``.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Labels.

        Returns
        -------
        self : object
            Fitted encoder.
        """
        self._check_params()
        self.label_encoder_ = self._make_label_encoder().fit(y)
        self.classes_ = self.label_encoder_.classes_
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, y):
        """Learn the classes of ``y`` and return its one-hot rows.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Labels.

        Returns
        -------
        Y : {ndarray, sparse matrix} of shape (n_samples, n_classes)
            One-hot (or smoothed) rows.
        """
        self._check_params()
        self.label_encoder_ = self._make_label_encoder()
        codes = self.label_encoder_.fit_transform(y)
        self.classes_ = self.label_encoder_.classes_
        return self._wrap_output(self._rows(np.asarray(codes)), y)

    def _rows(self, codes):
        return _one_hot(
            codes,
            self.classes_.size,
            smoothing=self.smoothing,
            dtype=self._dtype,
            sparse_output=self.sparse_output,
        )

    def transform(self, y):
        """Encode labels as one-hot (or smoothed) rows.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Labels.

        Returns
        -------
        Y : {ndarray, sparse matrix} of shape (n_samples, n_classes)
            One row per label; all zeros for an unknown label under
            ``handle_unknown="ignore"``.
        """
        check_is_fitted(self)
        codes = self.label_encoder_.transform(y)
        return self._wrap_output(self._rows(np.asarray(codes)), y)

    def inverse_transform(self, Y):
        """Decode hard or soft rows to labels by taking each row's argmax.

        Parameters
        ----------
        Y : {array-like, sparse matrix} of shape (n_samples, n_classes)
            One-hot rows, probabilities or any real-valued scores (e.g. a
            regressor's output); ties go to the first class. A row of zeros
            means "unknown" and decodes to None under
            ``handle_unknown="ignore"``.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            The decoded labels.
        """
        check_is_fitted(self)
        Y = check_array(
            Y,
            accept_sparse="csr",
            ensure_2d=False,
            dtype="numeric",
            input_name="Y",
            ensure_min_samples=0,
        )
        n_classes = self.classes_.size
        if Y.ndim != 2 or Y.shape[1] != n_classes:
            raise ValueError(
                f"Y must have shape (n_samples, {n_classes}), one column per class "
                f"of {self.classes_.tolist()[:10]}; got shape {Y.shape}."
            )
        if sparse.issparse(Y):
            codes, zero_rows = _sparse_row_argmax(Y)
        else:
            codes = Y.argmax(axis=1)
            zero_rows = ~Y.any(axis=1)
        if not zero_rows.any():
            return self.classes_[codes]
        if self.handle_unknown != "ignore":
            raise ValueError(
                f"Y has all-zero rows, which encode no class, in "
                f"{_describe_positions(zero_rows, np.zeros(Y.shape[0]))}; set "
                "handle_unknown='ignore' to decode them as None."
            )
        labels = self.classes_.astype(object)[codes]
        labels[zero_rows] = None
        return labels

    def get_feature_names_out(self, input_features=None):
        """Output column names: the classes, as strings.

        Parameters
        ----------
        input_features : None
            Ignored; present for API consistency.

        Returns
        -------
        feature_names_out : ndarray of str objects
            One name per class.
        """
        check_is_fitted(self)
        return self._class_feature_names()
