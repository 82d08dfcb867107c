"""Semi-supervised learning from partly labeled data: pseudo-labelling."""

from sklabels.semi_supervised._pseudo_label import PseudoLabelClassifier
from sklabels.semi_supervised._scorer import make_labeled_scorer
from sklabels.semi_supervised._split import LabeledKFold

__all__ = ["LabeledKFold", "PseudoLabelClassifier", "make_labeled_scorer"]
