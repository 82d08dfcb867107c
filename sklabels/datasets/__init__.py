"""Synthetic labels: noisy labels, noise matrices, crowd and weak labels.

Generators for benchmarking the rest of sklabels on data whose true labels
are known: :func:`make_noisy_labels` corrupts labels through a noise matrix
(drawn by :func:`make_noise_matrix`), :func:`make_crowd_labels` and
:func:`make_weak_labels` simulate annotators and labeling functions as a
label matrix.
"""

from sklabels.datasets._crowd import make_crowd_labels, make_weak_labels
from sklabels.datasets._noise import make_noise_matrix, make_noisy_labels

__all__ = [
    "make_crowd_labels",
    "make_noise_matrix",
    "make_noisy_labels",
    "make_weak_labels",
]
