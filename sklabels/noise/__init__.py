"""Label noise: find, score and fix label errors with confident learning.

The function layer counts (:func:`confident_joint`,
:func:`estimate_noise_matrices`), scores (:func:`label_quality_scores`) and
flags (:func:`find_label_issues`) label errors from given labels and
out-of-sample predicted probabilities (Northcutt, Jiang and Chuang, 2021).
The estimators put it in a pipeline: :class:`ConfidentLearningFilter` (an
imbalanced-learn sampler that removes or relabels the flagged rows),
:class:`ConfidentLearningClassifier` (filter, then fit) and
:class:`LabelNoiseInjector` (corrupts training labels only, to measure
robustness to noise).
"""

from sklabels.noise._count import confident_joint, estimate_noise_matrices
from sklabels.noise._filter import find_label_issues
from sklabels.noise._filter_estimator import (
    ConfidentLearningClassifier,
    ConfidentLearningFilter,
)
from sklabels.noise._injector import LabelNoiseInjector
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
    "label_quality_scores",
    "regression_quality_scores",
]
