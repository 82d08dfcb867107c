"""Multi-label classification: Binary Relevance, Label Powerset, stratified folds."""

from sklabels.multilabel._binary_relevance import BinaryRelevance
from sklabels.multilabel._label_powerset import LabelPowerset
from sklabels.multilabel._stratification import MultilabelStratifiedKFold

__all__ = ["BinaryRelevance", "LabelPowerset", "MultilabelStratifiedKFold"]
