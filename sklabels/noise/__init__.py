"""Label noise: find, score and fix label errors with confident learning.

The function layer counts (:func:`confident_joint`,
:func:`estimate_noise_matrices`), scores (:func:`label_quality_scores`) and
flags (:func:`find_label_issues`) label errors from given labels and
out-of-sample predicted probabilities (Northcutt, Jiang and Chuang, 2021).
The estimators put it in a pipeline: :class:`ConfidentLearningFilter` (an
imbalanced-learn sampler that removes or relabels the flagged rows),
:class:`ConfidentLearningClassifier` (filter, then fit) and
:class:`LabelNoiseInjector` (corrupts training labels only, to measure
robustness to noise). The health functions (:func:`health_summary`,
:func:`rank_classes_by_label_quality`, :func:`find_overlapping_classes`,
:func:`overall_label_health_score`, :func:`num_label_issues`) summarise a
whole data set.

Beyond single-label classification: :func:`find_multilabel_issues` and
:func:`multilabel_quality_scores` for tag sets (one-vs-rest),
:func:`regression_quality_scores` and :class:`RegressionLabelFilter` for a
continuous target, and :func:`multiannotator_label_quality`, which finds the
consensus of several annotators per item and scores it (CROWDLAB).
"""

from sklabels.noise._count import confident_joint, estimate_noise_matrices
from sklabels.noise._filter import find_label_issues
from sklabels.noise._filter_estimator import (
    ConfidentLearningClassifier,
    ConfidentLearningFilter,
)
from sklabels.noise._health import (
    find_overlapping_classes,
    health_summary,
    num_label_issues,
    overall_label_health_score,
    rank_classes_by_label_quality,
)
from sklabels.noise._injector import LabelNoiseInjector
from sklabels.noise._multiannotator import multiannotator_label_quality
from sklabels.noise._multilabel import find_multilabel_issues, multilabel_quality_scores
from sklabels.noise._rank import label_quality_scores
from sklabels.noise._regression import (
    RegressionLabelFilter,
    regression_quality_scores,
)

__all__ = [
    "ConfidentLearningClassifier",
    "ConfidentLearningFilter",
    "LabelNoiseInjector",
    "RegressionLabelFilter",
    "confident_joint",
    "estimate_noise_matrices",
    "find_label_issues",
    "find_multilabel_issues",
    "find_overlapping_classes",
    "health_summary",
    "label_quality_scores",
    "multiannotator_label_quality",
    "multilabel_quality_scores",
    "num_label_issues",
    "overall_label_health_score",
    "rank_classes_by_label_quality",
    "regression_quality_scores",
]
