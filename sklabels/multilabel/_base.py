"""What BinaryRelevance and LabelPowerset share: targets, routing, tags."""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin
from sklearn.dummy import DummyClassifier

from sklabels.multilabel._validation import check_label_matrix
from sklabels.utils._compat import (
    MetadataRouter,
    MethodMapping,
    _num_samples,
    _routing_enabled,
    process_routing,
)
from sklabels.utils._delegation import inherit_input_tags
from sklabels.utils._doc_link import DocLinkMixin
from sklabels.utils._metaestimators import sample_weight_fit_params

__all__ = ["_BaseMultilabelClassifier", "_constant_estimator"]


def _constant_estimator(X, y):
    """A fitted classifier that always predicts the single value of ``y``."""
    return DummyClassifier(strategy="prior").fit(X, y)


class _BaseMultilabelClassifier(
    DocLinkMixin, MetaEstimatorMixin, ClassifierMixin, BaseEstimator
):
    """Base of the problem-transformation classifiers of a label matrix ``y``.

    Subclasses call :meth:`_check_targets` and :meth:`_fit_params` in ``fit``
    and set ``classes_`` with :meth:`_set_classes`.
    """

    def _check_targets(self, X, y):
        """Validate ``y`` against ``X``: (y as ndarray or CSC, [absent, present])."""
        return check_label_matrix(
            y, _num_samples(X), input_name="y", caller=type(self).__name__
        )

    def _fit_params(self, sample_weight, fit_params):
        """Keyword arguments for the inner ``fit``, routed when routing is on."""
        fit_params = dict(fit_params)
        if _routing_enabled():
            if sample_weight is not None:
                fit_params["sample_weight"] = sample_weight
            return process_routing(self, "fit", **fit_params).estimator.fit
        fit_params.update(sample_weight_fit_params(self.estimator, sample_weight))
        return fit_params

    def _set_classes(self, pair, n_labels):
        """``classes_`` as MultiOutputClassifier gives it: one array per label."""
        self.classes_ = [pair.copy() for _ in range(n_labels)]
        self.n_labels_ = n_labels

    def _decode(self, present):
        """Boolean (n, n_labels) matrix to the values of ``y`` seen in fit."""
        return self.classes_[0][present.astype(np.intp)]

    def get_metadata_routing(self):
        """Get metadata routing of this object.

        ``fit`` routes its metadata (``sample_weight`` included) to the
        wrapped estimator's ``fit``.

        Returns
        -------
        routing : MetadataRouter
            A :class:`~sklearn.utils.metadata_routing.MetadataRouter`
            encapsulating routing information.
        """
        return MetadataRouter(owner=self).add(
            estimator=self.estimator,
            method_mapping=MethodMapping().add(caller="fit", callee="fit"),
        )

    def __sklearn_tags__(self):
        tags = inherit_input_tags(
            super().__sklearn_tags__(),
            self.estimator,
            ("sparse", "allow_nan", "string", "categorical"),
        )
        tags.target_tags.single_output = False
        tags.target_tags.multi_output = True
        tags.classifier_tags.multi_label = True
        tags.classifier_tags.multi_class = False  # each label is binary
        return tags
