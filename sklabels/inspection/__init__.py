"""Problems in a labeled data set besides wrong labels.

:func:`find_duplicates` finds exact duplicate rows (by hashing whole rows)
and near duplicates (within a distance, by a radius search), and the groups
of them that carry more than one label; :class:`ConflictingLabelFilter` is
an imbalanced-learn sampler that removes such groups or gives them their
majority label; :func:`train_test_overlap` finds the test rows that repeat
a training row. :func:`leakage_report` scores every feature alone, out of
fold, against the same score on permuted labels, and flags the features
that predict the label too well to be true (a column computed from the
label, a row id numbered after sorting by class); :class:`LeakageFilter`
drops the suspects found on the training data, as a step of a pipeline.
:func:`estimate_label_shift` estimates the class priors of new, unlabeled
data (EM of Saerens et al., 2002, or BBSE of Lipton et al., 2018), and
:class:`LabelShiftClassifier` corrects a classifier's probabilities for
them. :func:`label_distribution_report` describes the labels themselves:
class counts and imbalance, label rates per group with a chi-square test of
independence (label bias), and drift from a reference labeling.
"""

from sklabels.inspection._distribution import label_distribution_report
from sklabels.inspection._duplicates import (
    ConflictingLabelFilter,
    find_duplicates,
    train_test_overlap,
)
from sklabels.inspection._leakage import LeakageFilter, leakage_report
from sklabels.inspection._shift import LabelShiftClassifier, estimate_label_shift

__all__ = [
    "ConflictingLabelFilter",
    "LabelShiftClassifier",
    "LeakageFilter",
    "estimate_label_shift",
    "find_duplicates",
    "label_distribution_report",
    "leakage_report",
    "train_test_overlap",
]
