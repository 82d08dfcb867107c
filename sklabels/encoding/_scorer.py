"""Scorers that compare encoded labels: tags and label sets as indicator rows."""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.metrics import get_scorer, make_scorer
from sklearn.pipeline import Pipeline
from sklearn.utils.metaestimators import available_if

__all__ = ["make_encoded_scorer"]


def _fitted_transformer(estimator):
    """The fitted label transformer of a TransformedTargetClassifier.

    Looks through a :class:`~sklearn.pipeline.Pipeline` (its last step) and
    a fitted search (``best_estimator_``).
    """
    current = estimator
    for _ in range(100):  # nested pipelines and searches, never a cycle
        if hasattr(current, "transformer_"):
            return current.transformer_
        if isinstance(current, Pipeline):
            current = current.steps[-1][1]
        elif hasattr(current, "best_estimator_"):
            current = current.best_estimator_
        else:
            break
    raise TypeError(
        "make_encoded_scorer scores a fitted TransformedTargetClassifier (or a "
        "Pipeline or fitted search ending in one), whose fitted transformer_ "
        f"encodes the labels; got {type(estimator).__name__}, which has none. "
        "Score other estimators with an ordinary scoring= string."
    )


def _encoder_for(transformer, y_true):
    """``transformer`` and ``y_true`` encoded by it; when ``y_true`` holds
    labels that it never saw, a copy that knows them too (as classes after
    its own), so that they count as missed rather than fail or vanish."""
    try:
        return transformer, transformer.transform(y_true)
    except ValueError as exc:
        error = exc
    if "classes" not in transformer.get_params():
        raise error
    seen = np.asarray(transformer.classes_)
    try:
        found = clone(transformer).set_params(classes=None).fit(y_true).classes_
    except ValueError:
        raise error from None
    found = np.asarray(found)
    extra = found[~np.isin(found, seen)]
    if extra.size == 0:
        raise error  # not an unseen label: the transformer's own error holds
    encoder = clone(transformer).set_params(
        classes=np.concatenate([seen.astype(object), extra.astype(object)])
    )
    return encoder, encoder.fit_transform(y_true)


class _EncodedView(ClassifierMixin, BaseEstimator):
    """A fitted classifier seen through an encoder: predictions are encoded.

    What scikit-learn's scorers receive, so that a scorer computes its metric
    on the encoded labels (indicator rows, codes) with all its own logic
    (response method, sign, ``pos_label``, keyword arguments).
    """

    def __init__(self, estimator=None, encoder=None, n_outputs=None):
        self.estimator = estimator
        self.encoder = encoder
        self.n_outputs = n_outputs  # columns of 2-D encoded labels, else None

    @property
    def classes_(self):
        if self.n_outputs is not None:  # indicator columns, as MultiOutput...
            return [np.array([0, 1])] * self.n_outputs
        return np.arange(len(self.encoder.classes_))

    def predict(self, X):
        return self.encoder.transform(self.estimator.predict(X))

    @available_if(lambda self: hasattr(self.estimator, "predict_proba"))
    def predict_proba(self, X):
        return self.estimator.predict_proba(X)

    @available_if(lambda self: hasattr(self.estimator, "decision_function"))
    def decision_function(self, X):
        return self.estimator.decision_function(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = self.n_outputs is not None
        return tags


class _EncodedScorer:
    """Scorer of :func:`make_encoded_scorer` (see there)."""

    def __init__(self, scorer, description):
        self._scorer = scorer
        self._description = description

    def __call__(self, estimator, X, y_true, sample_weight=None, **kwargs):
        transformer = _fitted_transformer(estimator)
        encoder, y_encoded = _encoder_for(transformer, y_true)
        if hasattr(y_encoded, "toarray"):
            y_encoded = y_encoded.toarray()
        y_encoded = np.asarray(y_encoded)
        two_d = y_encoded.ndim == 2
        view = _EncodedView(
            estimator, encoder, n_outputs=y_encoded.shape[1] if two_d else None
        )
        if sample_weight is not None:
            kwargs["sample_weight"] = sample_weight
        return self._scorer(view, X, y_encoded, **kwargs)

    def set_score_request(self, **kwargs):
        """Request metadata for the metric, as a scikit-learn scorer does.

        Only used when metadata routing is enabled
        (``sklearn.set_config(enable_metadata_routing=True)``), e.g.
        ``make_encoded_scorer("f1_micro").set_score_request(sample_weight=True)``.

        Parameters
        ----------
        **kwargs : dict
            Metadata names mapped to True, False, None or an alias.

        Returns
        -------
        self : object
            The scorer.
        """
        self._scorer.set_score_request(**kwargs)
        return self

    def get_metadata_routing(self):
        """Metadata routing of the metric (see ``set_score_request``).

        Returns
        -------
        routing : MetadataRequest
            What the metric requests.
        """
        return self._scorer.get_metadata_routing()

    def __repr__(self):
        return f"make_encoded_scorer({self._description})"


def make_encoded_scorer(
    scoring, *, response_method="predict", greater_is_better=True, **kwargs
):
    """Scorer that compares labels in their encoded form (label sets as rows).

    A :class:`TransformedTargetClassifier` decodes its predictions: with a
    :class:`MultiLabelEncoder` it predicts tags such as ``"news|sports"``. A
    plain ``scoring="f1_micro"`` then compares those strings as if each were
    one class, so a row with one tag wrong counts as wholly wrong, and
    ``"sports|news"`` differs from ``"news|sports"``: the score is silently
    wrong. This scorer encodes the true labels and the predictions with the
    fitted transformer (``transformer_``) before the metric, so the metric
    sees indicator rows, as for a multi-label model fitted on an indicator
    matrix.

    Read more in the :ref:`User Guide <encoding>`.

    Parameters
    ----------
    scoring : str or callable
        A scikit-learn scoring name (``"f1_micro"``, ``"f1_samples"``,
        ``"jaccard_macro"``, ``"roc_auc"``, ``"neg_hamming_loss"`` ... see
        :func:`sklearn.metrics.get_scorer_names`), used with its own response
        method and sign; or a metric ``metric(y_true, y_pred, **kwargs)``.

    response_method : {"predict", "predict_proba", "decision_function"}, \
default="predict"
        Only for a callable ``scoring``: what the metric gets as ``y_pred``.
        ``"predict"`` gives the encoded predictions (indicator rows for label
        sets, codes for :class:`LabelEncoder`); the others give the model's
        scores, one column per entry of ``classes_``.

    greater_is_better : bool, default=True
        Only for a callable ``scoring``: False negates the metric, as
        :func:`sklearn.metrics.make_scorer` does for losses.

    **kwargs : dict
        Only for a callable ``scoring``: passed to the metric (for example
        ``average="micro"``).

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y_true, sample_weight=None)``, usable as
        ``scoring=`` in :func:`~sklearn.model_selection.cross_val_score`,
        :func:`~sklearn.model_selection.cross_validate` and
        :class:`~sklearn.model_selection.GridSearchCV`. ``estimator`` must be
        a fitted :class:`TransformedTargetClassifier`, or a
        :class:`~sklearn.pipeline.Pipeline` or fitted search that ends in
        one.

    See Also
    --------
    TransformedTargetClassifier : Fit a model on encoded labels.
    sklearn.metrics.make_scorer : Scorer from a metric, on decoded labels.

    Notes
    -----
    Labels of ``y_true`` that the transformer never saw in ``fit`` (a tag
    present only in a test fold) are encoded as extra columns (or codes)
    after the known ones, which the model never predicts: they count as
    missed, not dropped. Score-based metrics (``"roc_auc"``) then refuse the
    mismatched number of columns rather than ignore the label.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_val_score
    >>> from sklabels.encoding import (MultiLabelEncoder,
    ...     TransformedTargetClassifier, make_encoded_scorer)
    >>> from sklabels.multilabel import BinaryRelevance
    >>> X = [[0.0], [0.5], [1.0], [1.5], [2.0], [2.5], [3.0], [3.5]] * 3
    >>> tags = ["news", "news|tech", "news|sports", "sports", "sports|tech",
    ...         "tech", "news|tech", "sports"] * 3
    >>> clf = TransformedTargetClassifier(
    ...     BinaryRelevance(LogisticRegression()),
    ...     transformer=MultiLabelEncoder(sep="|"))
    >>> scorer = make_encoded_scorer("f1_micro")
    >>> cross_val_score(clf, X, tags, scoring=scorer, cv=3).round(3)
    array([0.667, 0.667, 0.667])

    The plain scoring name compares whole tag strings instead, a much lower
    (and wrong) figure:

    >>> cross_val_score(clf, X, tags, scoring="f1_micro", cv=3).round(3)
    array([0.25, 0.25, 0.25])
    """
    if isinstance(scoring, str):
        if kwargs or response_method != "predict" or not greater_is_better:
            raise TypeError(
                f"make_encoded_scorer({scoring!r}) takes the response method, "
                "sign and options of that scoring name; response_method, "
                "greater_is_better and metric keywords are only for a callable "
                f"scoring. Got response_method={response_method!r}, "
                f"greater_is_better={greater_is_better!r}, keywords "
                f"{sorted(kwargs)}."
            )
        scorer = get_scorer(scoring)
        description = repr(scoring)
    elif callable(scoring):
        if response_method not in ("predict", "predict_proba", "decision_function"):
            raise ValueError(
                "response_method must be 'predict', 'predict_proba' or "
                f"'decision_function', got {response_method!r}."
            )
        scorer = make_scorer(
            scoring,
            response_method=response_method,
            greater_is_better=greater_is_better,
            **kwargs,
        )
        name = getattr(scoring, "__name__", type(scoring).__name__)
        description = name + "".join(f", {k}={v!r}" for k, v in kwargs.items())
    else:
        raise TypeError(
            "scoring must be a scikit-learn scoring name such as 'f1_micro' or a "
            f"metric function metric(y_true, y_pred), got {scoring!r}."
        )
    return _EncodedScorer(scorer, description)
