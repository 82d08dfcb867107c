"""Label smoothing and training on soft (probabilistic) labels."""

from sklabels.smoothing._smoother import LabelSmoother
from sklabels.smoothing._soft import LabelSmoothingClassifier, SoftLabelClassifier

__all__ = ["LabelSmoother", "LabelSmoothingClassifier", "SoftLabelClassifier"]
