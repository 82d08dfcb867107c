"""Multi-label classification: Binary Relevance, Label Powerset, stratified folds.

Also the imbalance measures of multi-label data (IRLbl, MeanIR, SCUMBLE) and
samplers that rebalance it (MLROS, MLRUS, MLSMOTE).
"""

from sklabels.multilabel._binary_relevance import BinaryRelevance
from sklabels.multilabel._imbalance import (
    imbalance_ratio_per_label,
    mean_imbalance_ratio,
    scumble,
)
from sklabels.multilabel._label_powerset import LabelPowerset
from sklabels.multilabel._resampling import MLROS, MLRUS, MLSMOTE
from sklabels.multilabel._stratification import MultilabelStratifiedKFold

__all__ = [  # noqa: RUF022 (sorted as Python sorts: tests/test_common.py)
    "BinaryRelevance",
    "LabelPowerset",
    "MLROS",
    "MLRUS",
    "MLSMOTE",
    "MultilabelStratifiedKFold",
    "imbalance_ratio_per_label",
    "mean_imbalance_ratio",
    "scumble",
]
