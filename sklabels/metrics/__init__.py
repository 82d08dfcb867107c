"""Metrics on labels and predicted probabilities: calibration and agreement.

The displays draw them, and the label noise, annotators and labeling
functions of a data set (matplotlib, the ``plot`` extra).
"""

from sklabels.metrics._agreement import (
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    pairwise_cohen_kappa,
    percent_agreement,
)
from sklabels.metrics._calibration import (
    calibration_bins,
    expected_calibration_error,
)
from sklabels.metrics._displays import (
    AnnotatorConfusionDisplay,
    LabelIssuesDisplay,
    LFSummaryDisplay,
    NoiseMatrixDisplay,
)
from sklabels.metrics._plot import ReliabilityDiagramDisplay

__all__ = [
    "AnnotatorConfusionDisplay",
    "LFSummaryDisplay",
    "LabelIssuesDisplay",
    "NoiseMatrixDisplay",
    "ReliabilityDiagramDisplay",
    "calibration_bins",
    "expected_calibration_error",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "pairwise_cohen_kappa",
    "percent_agreement",
]
