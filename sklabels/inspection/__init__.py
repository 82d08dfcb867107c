"""Problems in a labeled data set besides wrong labels: label shift and label bias.

:func:`estimate_label_shift` estimates the class priors of new, unlabeled
data (EM of Saerens et al., 2002, or BBSE of Lipton et al., 2018), and
:class:`LabelShiftClassifier` corrects a classifier's probabilities for them.
:func:`label_distribution_report` describes the labels themselves: class
counts and imbalance, label rates per group with a chi-square test of
independence (label bias), and drift from a reference labeling.
"""

from sklabels.inspection._distribution import label_distribution_report
from sklabels.inspection._shift import LabelShiftClassifier, estimate_label_shift

__all__ = [
    "LabelShiftClassifier",
    "estimate_label_shift",
    "label_distribution_report",
]
