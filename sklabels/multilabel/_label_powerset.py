"""Label Powerset: each distinct label set is one class of a multiclass problem."""

import numpy as np
from sklearn.base import clone
from sklearn.utils.metaestimators import available_if

from sklabels.multilabel._base import _BaseMultilabelClassifier, _constant_estimator
from sklabels.multilabel._validation import positive_mask
from sklabels.utils._compat import HasMethods, _fit_context, check_is_fitted
from sklabels.utils._metaestimators import copy_input_attributes, estimator_has

__all__ = ["LabelPowerset"]


def _label_sets(present):
    """Distinct rows of a boolean sparse matrix and the index of each row's set.

    Rows are packed into bits (``n_labels / 8`` bytes a row) and the packed
    rows sorted once, so the cost is that of sorting ``n_samples`` short
    byte strings, whatever the number of labels.
    """
    present = present.tocsr()
    n_samples, n_labels = present.shape
    n_bytes = max(1, (n_labels + 7) // 8)
    rows = np.repeat(np.arange(n_samples), np.diff(present.indptr))
    cols = present.indices
    packed = np.bincount(
        rows * n_bytes + cols // 8,
        weights=np.left_shift(1, 7 - cols % 8),
        minlength=n_samples * n_bytes,
    )
    packed = packed.astype(np.uint8).reshape(n_samples, n_bytes)
    sets, codes = np.unique(packed, axis=0, return_inverse=True)
    label_sets = np.unpackbits(sets, axis=1, count=n_labels).astype(bool)
    return label_sets, codes.ravel()


class LabelPowerset(_BaseMultilabelClassifier):
    """One multiclass classifier whose classes are the distinct label sets.

    Label Powerset turns a multi-label problem into a multiclass one: every
    distinct row of the label matrix ``y`` (a label set, such as "politics
    and economics") becomes one class, and ``estimator`` learns to predict
    it. Unlike :class:`BinaryRelevance` it models the dependencies between
    labels, but it can only predict label sets seen in training, and the
    number of classes can grow up to ``min(n_samples, 2 ** n_labels)``,
    leaving few examples per class.

    Read more in the :ref:`User Guide <multilabel>`.

    Parameters
    ----------
    estimator : estimator object
        A multiclass classifier with ``fit`` and ``predict``
        (``predict_proba`` for :meth:`predict_proba`).

    Attributes
    ----------
    estimator_ : estimator object
        The fitted classifier; its classes are the row indices of
        ``label_sets_``. When ``y`` has a single label set, a fitted
        :class:`~sklearn.dummy.DummyClassifier` that predicts it.

    label_sets_ : ndarray of shape (n_label_sets, n_labels), dtype=bool
        The distinct label sets seen in training, one per class of
        ``estimator_``.

    classes_ : list of n_labels ndarray of shape (2,)
        ``[absent, present]`` for each label, as
        :class:`~sklearn.multioutput.MultiOutputClassifier` exposes it.

    n_labels_ : int
        Number of labels (columns of ``y``).

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    BinaryRelevance : One binary classifier per label.

    Notes
    -----
    ``predict`` returns the most probable label set; ``predict_proba`` the
    marginal probability of each label (the sum of the probabilities of the
    label sets that contain it). The two can disagree: the labels whose
    marginal exceeds 0.5 need not form the most probable set.

    ``y`` is validated as in :class:`BinaryRelevance` (0/1 or booleans,
    dense or sparse).

    References
    ----------
    .. [1] Tsoumakas, G. and Katakis, I. (2007). "Multi-Label Classification:
       An Overview". International Journal of Data Warehousing and Mining,
       3(3), 1-13.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklabels.multilabel import LabelPowerset
    >>> X = np.array([[0.0], [0.1], [1.0], [1.1], [2.0], [2.1]])
    >>> Y = np.array([[1, 0], [1, 0], [1, 1], [1, 1], [0, 1], [0, 1]])
    >>> clf = LabelPowerset(LogisticRegression(C=10)).fit(X, Y)
    >>> clf.label_sets_
    array([[False,  True],
           [ True, False],
           [ True,  True]])
    >>> clf.predict([[0.05], [1.05], [2.05]])
    array([[1, 0],
           [1, 1],
           [0, 1]])
    >>> clf.predict_proba([[1.05]]).round(2)
    array([[0.84, 0.84]])
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"])],
    }

    def __init__(self, estimator):
        self.estimator = estimator

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit the classifier on the label sets.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, passed unchanged to the classifier.

        y : {array-like, sparse matrix} of shape (n_samples, n_labels)
            Label matrix: binary indicators (0/1 or booleans), one column
            per label.

        sample_weight : array-like of shape (n_samples,), default=None
            Row weights, passed to the classifier's ``fit``.

        **fit_params : dict
            Passed to the classifier's ``fit`` (routed through metadata
            routing when it is enabled).

        Returns
        -------
        self : object
            Fitted estimator.
        """
        Y, pair = self._check_targets(X, y)
        params = self._fit_params(sample_weight, fit_params)
        self.label_sets_, codes = _label_sets(positive_mask(Y, pair))
        if self.label_sets_.shape[0] == 1:  # one label set: learned as constant
            self.estimator_ = _constant_estimator(X, codes)
        else:
            self.estimator_ = clone(self.estimator).fit(X, codes, **params)
        self._set_classes(pair, Y.shape[1])
        copy_input_attributes(self, self.estimator_)
        return self

    def predict(self, X):
        """Predict the most probable label set of each row.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        Y_pred : ndarray of shape (n_samples, n_labels)
            Indicator matrix, in the values (and dtype) of ``y`` in ``fit``.
        """
        check_is_fitted(self)
        codes = np.asarray(self.estimator_.predict(X), dtype=np.intp)
        return self._decode(self.label_sets_[codes])

    @available_if(estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Marginal probability that each label is present.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_labels)
            For each label, the summed probability of the label sets that
            contain it.
        """
        check_is_fitted(self)
        proba = self.estimator_.predict_proba(X)
        sets = self.label_sets_[np.asarray(self.estimator_.classes_, dtype=np.intp)]
        return proba @ sets.astype(np.float64)
