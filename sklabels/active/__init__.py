"""Active learning: choose which rows to label next."""

from sklabels.active._curve import active_learning_curve
from sklabels.active._learner import ActiveLearner
from sklabels.active._plot import ActiveLearningCurveDisplay
from sklabels.active._ranked_batch import RankedBatch
from sklabels.active._strategies import (
    DensityWeighted,
    DiverseBatch,
    QueryByCommittee,
    RandomSampling,
    UncertaintySampling,
)

__all__ = [
    "ActiveLearner",
    "ActiveLearningCurveDisplay",
    "DensityWeighted",
    "DiverseBatch",
    "QueryByCommittee",
    "RandomSampling",
    "RankedBatch",
    "UncertaintySampling",
    "active_learning_curve",
]
