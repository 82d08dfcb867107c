"""Metrics on labels and predicted probabilities: calibration and agreement."""

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
from sklabels.metrics._plot import ReliabilityDiagramDisplay

__all__ = [
    "ReliabilityDiagramDisplay",
    "calibration_bins",
    "expected_calibration_error",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "pairwise_cohen_kappa",
    "percent_agreement",
]
