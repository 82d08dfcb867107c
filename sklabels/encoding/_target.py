"""TransformedTargetClassifier: fit any model on encoded labels, decode back."""

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if

from sklabels.encoding._label_encoder import LabelEncoder
from sklabels.encoding._scorer import make_encoded_scorer
from sklabels.utils._compat import (
    HasMethods,
    MetadataRouter,
    MethodMapping,
    _fit_context,
    _routing_enabled,
    check_is_fitted,
    process_routing,
)
from sklabels.utils._doc_link import DocLinkMixin
from sklabels.utils._metaestimators import (
    check_classification_y,
    check_default_model_features,
    copy_input_attributes,
    estimator_has,
)

__all__ = ["TransformedTargetClassifier"]

_ROUTED_METHODS = ("fit", "predict", "predict_proba", "decision_function")


def _rows_to_proba(scores):
    """Scores of shape (n, K) to probabilities: clip at 0, normalise rows.

    A row with no positive score gets the uniform distribution.
    """
    scores = np.clip(np.asarray(scores, dtype=np.float64), 0, None)
    totals = scores.sum(axis=1, keepdims=True)
    empty = totals[:, 0] <= 0
    scores[empty] = 1.0
    totals[empty] = scores.shape[1]
    return scores / totals


def _positive_proba(proba, classes):
    """P(column = 1) from per-column ``predict_proba`` outputs.

    A column that was constant in training has a single class: its
    probability of 1 is then 1 or 0 everywhere.
    """
    columns = []
    for p, column_classes in zip(proba, classes, strict=True):
        is_positive = np.asarray(column_classes) == 1
        columns.append(p[:, is_positive].sum(axis=1))
    return np.column_stack(columns)


def _as_1d_array(labels):
    """Decoded labels as a 1-D array: a list of label sets (tuples) becomes an
    object array with one tuple per row, not a 2-D array."""
    if isinstance(labels, np.ndarray):
        return labels
    if not isinstance(labels, list):  # a pandas Series, for example
        return np.asarray(labels)
    return np.fromiter(labels, dtype=object, count=len(labels))


class TransformedTargetClassifier(
    DocLinkMixin, MetaEstimatorMixin, ClassifierMixin, BaseEstimator
):
    """Fit a model on encoded labels and decode its predictions.

    The label counterpart of :class:`sklearn.compose.TransformedTargetRegressor`.
    ``fit`` encodes ``y`` with ``transformer`` (any label transformer with
    ``fit_transform`` / ``inverse_transform``, such as :class:`LabelEncoder`,
    :class:`OneHotLabelEncoder` or :class:`MultiLabelEncoder`) and fits
    ``classifier`` on the codes; ``predict`` decodes. Because
    :class:`OneHotLabelEncoder` decodes soft rows, a *regressor* trained on
    (optionally smoothed) one-hot targets, such as
    :class:`~sklearn.neural_network.MLPRegressor`, becomes a classifier with
    ``predict``, ``predict_proba`` and ``classes_``. With
    :class:`MultiLabelEncoder`, a multi-label model is fitted on label sets
    (or tag strings) and predicts an array of them; score it with
    :func:`make_encoded_scorer`, since scikit-learn's scorers would compare
    whole tag strings as classes.

    Both sub-estimators are cloned, so their parameters can be tuned with
    :class:`~sklearn.model_selection.GridSearchCV` (``classifier__C``,
    ``transformer__smoothing``).

    Read more in the :ref:`User Guide <encoding>`.

    Parameters
    ----------
    classifier : estimator, default=None
        Model fitted on the encoded labels: a classifier, or a regressor
        when the transformer outputs one column per class. None means
        :class:`~sklearn.linear_model.LogisticRegression`, which needs
        numeric features (string columns raise a ``ValueError`` that says
        to pass a pipeline with an encoder).

    transformer : label transformer, default=None
        Encoder of ``y``. None means :class:`LabelEncoder`.

    Attributes
    ----------
    classifier_ : estimator
        The fitted clone of ``classifier``.

    transformer_ : label transformer
        The fitted clone of ``transformer``.

    classes_ : ndarray of shape (n_classes,)
        The classes (the transformer's ``classes_``); columns of
        ``predict_proba`` follow this order.

    n_features_in_ : int
        Number of features seen during fit (from the classifier).

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    sklearn.compose.TransformedTargetRegressor : The same idea for regression.
    make_encoded_scorer : Score on encoded labels (label sets as indicator rows).

    Notes
    -----
    ``predict_proba`` of a regressor on one-hot targets clips its outputs at
    0 and normalises each row to sum to 1 (a row with no positive output
    becomes uniform). For a classifier fitted on an indicator matrix, whose
    ``predict_proba`` is a list of per-column arrays, the probability of
    each column's positive class is taken: with a one-hot transformer rows
    are then normalised likewise; with a multi-label transformer each column
    stays the independent probability that the label is present.

    ``y`` rows that the transformer encodes as missing or unknown (a negative
    code) are refused in ``fit`` rather than learned as a class.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.neural_network import MLPRegressor
    >>> from sklabels.encoding import OneHotLabelEncoder, TransformedTargetClassifier
    >>> X, y = load_iris(return_X_y=True, as_frame=True)
    >>> names = y.map(dict(enumerate(["setosa", "versicolor", "virginica"])))
    >>> clf = TransformedTargetClassifier(
    ...     MLPRegressor(hidden_layer_sizes=(16,), max_iter=2000, random_state=0),
    ...     transformer=OneHotLabelEncoder(smoothing=0.1),
    ... ).fit(X, names)
    >>> clf.classes_
    array(['setosa', 'versicolor', 'virginica'], dtype=object)
    >>> clf.predict(X.iloc[[0, 100]])
    array(['setosa', 'virginica'], dtype=object)
    >>> clf.predict_proba(X.iloc[[0]]).sum().round(6)
    np.float64(1.0)
    """

    _parameter_constraints: dict = {
        "classifier": [HasMethods(["fit", "predict"]), None],
        "transformer": [HasMethods(["fit_transform", "inverse_transform"]), None],
    }

    def __init__(self, classifier=None, *, transformer=None):
        self.classifier = classifier
        self.transformer = transformer

    def _make_classifier(self):
        if self.classifier is None:
            return LogisticRegression()
        return clone(self.classifier)

    def _unfitted_classifier(self):
        """The classifier parameter (its default when None), not cloned."""
        return LogisticRegression() if self.classifier is None else self.classifier

    def _make_transformer(self):
        if self.transformer is None:
            return LabelEncoder()
        return clone(self.transformer)

    def _routed(self, method, params):
        if _routing_enabled():
            return process_routing(self, method, **params).classifier[method]
        return params

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Encode ``y``, then fit the classifier on ``X`` and the codes.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, passed unchanged to the classifier.

        y : array-like of shape (n_samples,) or sequence of label sets
            Labels, in any form the transformer accepts.

        **fit_params : dict
            Passed to the classifier's ``fit`` (routed through metadata
            routing when it is enabled), e.g. ``sample_weight``.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        check_classification_y(self, y)
        self.transformer_ = self._make_transformer()
        y_encoded = self.transformer_.fit_transform(y)
        if not sparse.issparse(y_encoded):
            y_encoded = np.asarray(y_encoded)
        if y_encoded.ndim == 1 and (np.asarray(y_encoded) < 0).any():
            raise ValueError(
                "y contains rows that the transformer encoded as missing or "
                f"unknown (code {np.asarray(y_encoded).min()}); a classifier "
                "cannot learn them as a class. Drop those rows, or use "
                "sklabels.semi_supervised for partly labeled data."
            )
        self.classes_ = self.transformer_.classes_
        self._y_ndim = y_encoded.ndim
        if self.classifier is None:
            check_default_model_features(
                X, owner=self, param="classifier", default="LogisticRegression()"
            )
        self.classifier_ = self._make_classifier()
        self.classifier_.fit(X, y_encoded, **self._routed("fit", fit_params))
        copy_input_attributes(self, self.classifier_)
        return self

    def predict(self, X, **predict_params):
        """Predict with the classifier and decode to labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        **predict_params : dict
            Passed to the classifier's ``predict``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Decoded predictions. For label sets, an object array with one
            entry per row: a tuple of labels, or a delimited string when the
            transformer has ``sep``.
        """
        check_is_fitted(self)
        pred = self.classifier_.predict(X, **self._routed("predict", predict_params))
        if not sparse.issparse(pred):
            pred = np.asarray(pred)
            if self._y_ndim == 2 and pred.ndim == 1:  # single-column targets
                pred = pred.reshape(-1, 1)
        return _as_1d_array(self.transformer_.inverse_transform(pred))

    def _can_predict_proba(self):
        fitted = hasattr(self, "classifier_")
        est = self.classifier_ if fitted else self._unfitted_classifier()
        if hasattr(est, "predict_proba"):
            return True
        if hasattr(self, "_y_ndim"):
            one_column_per_class = self._y_ndim == 2
        else:  # before fit: transformers with a column per class name them
            transformer = (
                LabelEncoder() if self.transformer is None else self.transformer
            )
            one_column_per_class = hasattr(transformer, "get_feature_names_out")
        if one_column_per_class and get_tags(est).estimator_type == "regressor":
            return True
        # say why: available_if chains this error as the cause of its own
        reason = (
            f"The fitted classifier_ ({type(est).__name__}) has no predict_proba"
            if fitted
            else f"{type(est).__name__} has no predict_proba before fit"
        )
        raise AttributeError(
            f"{reason}, and it is not a regressor fitted on one column per class "
            "(whose outputs would be normalised into probabilities)."
            + (
                ""
                if fitted
                else " Models that only gain predict_proba when fitted (such as a "
                "GridSearchCV whose best model has it) are looked at again once "
                "this estimator is fitted."
            )
        )

    @available_if(_can_predict_proba)
    def predict_proba(self, X, **predict_proba_params):
        """Class probabilities, one column per entry of ``classes_``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        **predict_proba_params : dict
            Passed to the classifier's ``predict_proba`` (or ``predict`` for
            a regressor).

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Rows sum to 1.
        """
        check_is_fitted(self)
        if not hasattr(self.classifier_, "predict_proba"):
            scores = self.classifier_.predict(
                X, **self._routed("predict_proba", predict_proba_params)
            )
            return _rows_to_proba(np.reshape(scores, (len(scores), -1)))
        proba = self.classifier_.predict_proba(
            X, **self._routed("predict_proba", predict_proba_params)
        )
        if isinstance(proba, list):  # one array per indicator column
            positive = _positive_proba(proba, self.classifier_.classes_)
            if get_tags(self.transformer_).target_tags.two_d_labels:
                return positive  # label sets: independent P(label present)
            return _rows_to_proba(positive)
        if self._y_ndim == 2 and proba.shape[1] != self.classes_.size:
            # a single indicator column, learned as a binary target
            positive = _positive_proba([proba], [self.classifier_.classes_])
            if get_tags(self.transformer_).target_tags.two_d_labels:
                return positive
            return _rows_to_proba(positive)
        if self._y_ndim == 2 or proba.shape[1] == self.classes_.size:
            return proba
        # some codes never reached the classifier's classes_: give them 0
        full = np.zeros((proba.shape[0], self.classes_.size), dtype=proba.dtype)
        full[:, np.asarray(self.classifier_.classes_, dtype=np.intp)] = proba
        return full

    @available_if(
        estimator_has(
            "decision_function",
            fitted="classifier_",
            unfitted=lambda self: self._unfitted_classifier(),
        )
    )
    def decision_function(self, X, **decision_function_params):
        """Decision function of the classifier, columns in ``classes_`` order.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        **decision_function_params : dict
            Passed to the classifier's ``decision_function``.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The classifier's scores.
        """
        check_is_fitted(self)
        return self.classifier_.decision_function(
            X, **self._routed("decision_function", decision_function_params)
        )

    def score(self, X, y, sample_weight=None):
        """Accuracy of the predictions (exact-set accuracy for label sets).

        Label sets are compared as sets, on their indicator rows (so a true
        ``"b|a"`` matches a predicted ``"a|b"``), as
        ``make_encoded_scorer("accuracy")`` does.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Test samples.

        y : array-like of shape (n_samples,) or sequence of label sets
            True labels.

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            Mean accuracy.
        """
        check_is_fitted(self)
        if get_tags(self.transformer_).target_tags.two_d_labels:
            # label sets: compare indicator rows (a decoded "b|a" is "a|b")
            return make_encoded_scorer("accuracy")(
                self, X, y, sample_weight=sample_weight
            )
        return accuracy_score(y, self.predict(X), sample_weight=sample_weight)

    def get_metadata_routing(self):
        """Get metadata routing of this object.

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter`
            encapsulating routing information.
        """
        mapping = MethodMapping()
        for method in _ROUTED_METHODS:
            mapping.add(caller=method, callee=method)
        return MetadataRouter(owner=self).add(
            classifier=self._make_classifier(), method_mapping=mapping
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self._make_classifier())
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.string = inner.input_tags.string
        tags.input_tags.categorical = inner.input_tags.categorical
        if self.transformer is not None:
            target = get_tags(self.transformer).target_tags
            if target.two_d_labels:
                tags.classifier_tags.multi_label = True
        return tags
