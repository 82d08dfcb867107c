"""LabelSmoother: hard labels to smoothed (soft) target rows."""

from numbers import Real

import numpy as np

from sklabels.encoding._base import _BaseLabelTransformer
from sklabels.encoding._label_encoder import _inner_label_encoder
from sklabels.utils._compat import Interval, StrOptions, _fit_context, check_is_fitted
from sklabels.utils._validation import check_soft_targets

__all__ = ["LabelSmoother", "smooth_codes"]


def _uniform(codes, n_classes, alpha, prior):
    rows = np.full((codes.size, n_classes), alpha / n_classes)
    rows[np.arange(codes.size), codes] += 1.0 - alpha
    return rows


def _others(codes, n_classes, alpha, prior):
    rows = np.full((codes.size, n_classes), alpha / (n_classes - 1))
    rows[np.arange(codes.size), codes] = 1.0 - alpha
    return rows


def _prior(codes, n_classes, alpha, prior):
    rows = np.tile(alpha * prior, (codes.size, 1))
    rows[np.arange(codes.size), codes] += 1.0 - alpha
    return rows


_KINDS = {"uniform": _uniform, "others": _others, "prior": _prior}


def smooth_codes(codes, n_classes, *, alpha, kind, prior=None):
    """Soft target rows for integer class codes (a kernel: trusts its input).

    Parameters
    ----------
    codes : ndarray of shape (n_samples,)
        Class codes in ``0..n_classes-1``.
    n_classes : int
        Number of classes (at least 2).
    alpha : float
        Smoothing strength in [0, 1).
    kind : {"uniform", "others", "prior"}
        See :class:`LabelSmoother`.
    prior : ndarray of shape (n_classes,), default=None
        Class prior, required for ``kind="prior"``.

    Returns
    -------
    Y : ndarray of shape (n_samples, n_classes)
        Rows summing to 1.
    """
    return _KINDS[kind](np.asarray(codes), n_classes, alpha, prior)


class LabelSmoother(_BaseLabelTransformer):
    """Turn hard class labels into smoothed probability rows.

    Label smoothing replaces the one-hot target of each example by a mixture
    of the one-hot row and a fixed distribution over the classes. It is a
    regulariser: a model trained on smoothed targets is discouraged from
    pushing its predicted probabilities to 0 and 1, which often improves
    calibration and generalisation.

    Read more in the :ref:`User Guide <smoothing>`.

    Parameters
    ----------
    alpha : float, default=0.1
        Smoothing strength in [0, 1); 0 gives one-hot rows.

    kind : {"uniform", "others", "prior"}, default="uniform"
        How the mass ``alpha`` is spread, for a row of class ``y`` among
        ``K`` classes:

        - "uniform": ``(1 - alpha) * onehot + alpha / K``, the label
          smoothing of Szegedy et al. (2016); the given class keeps
          ``1 - alpha + alpha / K``.
        - "others": ``1 - alpha`` on the given class and ``alpha / (K - 1)``
          on each other class.
        - "prior": ``(1 - alpha) * onehot + alpha * prior``, with the class
          prior (class frequencies) learned in ``fit``.

        Every kind gives rows that sum to 1.

    classes : array-like of shape (n_classes,), default=None
        The classes, in column order. None learns them from ``y``, sorted.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class of each column.

    prior_ : ndarray of shape (n_classes,)
        Class frequencies in the ``y`` seen by ``fit`` (used by
        ``kind="prior"``).

    See Also
    --------
    sklabels.smoothing.LabelSmoothingClassifier : Train any classifier on
        smoothed labels.
    sklabels.encoding.OneHotLabelEncoder : One-hot rows, with uniform
        smoothing as an option.

    References
    ----------
    .. [1] C. Szegedy, V. Vanhoucke, S. Ioffe, J. Shlens and Z. Wojna,
       "Rethinking the Inception Architecture for Computer Vision", CVPR 2016.
    .. [2] R. Müller, S. Kornblith and G. Hinton, "When Does Label Smoothing
       Help?", NeurIPS 2019.

    Examples
    --------
    >>> from sklabels.smoothing import LabelSmoother
    >>> smoother = LabelSmoother(alpha=0.3).fit(["cat", "dog", "fox"])
    >>> smoother.transform(["cat", "fox"])
    array([[0.8, 0.1, 0.1],
           [0.1, 0.1, 0.8]])
    >>> LabelSmoother(alpha=0.3, kind="others").fit_transform(["cat", "dog", "fox"])
    array([[0.7 , 0.15, 0.15],
           [0.15, 0.7 , 0.15],
           [0.15, 0.15, 0.7 ]])
    """

    _parameter_constraints: dict = {
        "alpha": [Interval(Real, 0, 1, closed="left")],
        "kind": [StrOptions(set(_KINDS))],
        "classes": ["array-like", None],
    }

    def __init__(self, alpha=0.1, *, kind="uniform", classes=None):
        self.alpha = alpha
        self.kind = kind
        self.classes = classes

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, y):
        """Learn the classes and the class prior of ``y``.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Hard labels.

        Returns
        -------
        self : object
            Fitted smoother.
        """
        self._fit(y)
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_transform(self, y):
        """Learn the classes of ``y`` and return its smoothed rows.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Hard labels.

        Returns
        -------
        Y : ndarray of shape (n_samples, n_classes)
            Smoothed rows, each summing to 1.
        """
        return self._wrap_output(self._rows(self._fit(y)), y)

    def _fit(self, y):
        self.label_encoder_ = _inner_label_encoder(classes=self.classes)
        codes = np.asarray(self.label_encoder_.fit_transform(y))
        self.classes_ = self.label_encoder_.classes_
        n_classes = self.classes_.size
        if n_classes < 2:
            raise ValueError(
                f"LabelSmoother needs at least two classes to spread mass over, "
                f"got {n_classes}: {self.classes_.tolist()}."
            )
        self.prior_ = np.bincount(codes, minlength=n_classes) / codes.size
        return codes

    def _rows(self, codes):
        return smooth_codes(
            codes,
            self.classes_.size,
            alpha=self.alpha,
            kind=self.kind,
            prior=self.prior_,
        )

    def transform(self, y):
        """Smoothed target rows for hard labels.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Hard labels, all in ``classes_``.

        Returns
        -------
        Y : ndarray of shape (n_samples, n_classes)
            Smoothed rows, each summing to 1.
        """
        check_is_fitted(self)
        codes = np.asarray(self.label_encoder_.transform(y))
        return self._wrap_output(self._rows(codes), y)

    def inverse_transform(self, Y):
        """Labels of the largest entry of each row.

        Parameters
        ----------
        Y : array-like of shape (n_samples, n_classes)
            Smoothed or other soft rows.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Labels.
        """
        check_is_fitted(self)
        Y = check_soft_targets(Y, self.classes_.size, input_name="Y")
        return self.classes_[Y.argmax(axis=1)]

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
