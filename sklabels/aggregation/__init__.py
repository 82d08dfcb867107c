"""Aggregation of noisy labels: crowdsourcing and weak supervision.

Crowd annotations and labeling-function votes share one format, the label
matrix: an integer array of shape ``(n_items, n_sources)`` with class codes
``0..K-1`` and ``-1`` where a source gave no label (or a labeling function
abstained). :func:`to_label_matrix` builds it from a long table; the
aggregators turn it into one (probabilistic) label per item;
:class:`CrowdLab` also weighs the votes against a model of the items'
features.
"""

from sklabels.aggregation._aggregate import aggregate
from sklabels.aggregation._crowdlab import CrowdLab
from sklabels.aggregation._dawid_skene import DawidSkene
from sklabels.aggregation._glad import GLAD
from sklabels.aggregation._kos import KOS
from sklabels.aggregation._label_model import LabelModel
from sklabels.aggregation._lf import LFApplier, labeling_function
from sklabels.aggregation._mace import MACE
from sklabels.aggregation._matrix import to_label_matrix
from sklabels.aggregation._mmsr import MMSR
from sklabels.aggregation._one_coin import OneCoinDawidSkene
from sklabels.aggregation._skills import Wawa, ZeroBasedSkill
from sklabels.aggregation._summary import lf_summary
from sklabels.aggregation._voting import MajorityVote, WeightedMajorityVote

# Plainly sorted (tests/test_common.py checks it), not isort-style.
__all__ = [  # noqa: RUF022
    "CrowdLab",
    "DawidSkene",
    "GLAD",
    "KOS",
    "LFApplier",
    "LabelModel",
    "MACE",
    "MMSR",
    "MajorityVote",
    "OneCoinDawidSkene",
    "Wawa",
    "WeightedMajorityVote",
    "ZeroBasedSkill",
    "aggregate",
    "labeling_function",
    "lf_summary",
    "to_label_matrix",
]
