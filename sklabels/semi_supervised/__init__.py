"""Semi-supervised learning from partly labeled data: pseudo-labelling."""

from sklabels.semi_supervised._pseudo_label import PseudoLabelClassifier
from sklabels.semi_supervised._scorer import make_labeled_scorer

__all__ = ["PseudoLabelClassifier", "make_labeled_scorer"]
