import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.preprocessing import StandardScaler

from sklabels.datasets import make_noisy_labels


def _three_noisy_classes(n_samples):
    """Standardised 3-class data, 15% of the labels flipped: ``X, y_noisy, flipped``."""
    X, y = make_classification(
        n_samples=n_samples,
        n_features=5,
        n_informative=4,
        n_redundant=0,
        n_classes=3,
        class_sep=2.0,
        random_state=0,
    )
    X = StandardScaler().fit_transform(X)
    y_noisy, flipped = make_noisy_labels(y, noise_rate=0.15, random_state=0)
    return X, y_noisy, flipped


@pytest.fixture(scope="module")
def noisy3():
    """300 rows, 3 classes, 15% of the labels flipped."""
    return _three_noisy_classes(300)


@pytest.fixture(scope="module")
def noisy():
    """240 rows, 3 classes, 15% of the labels flipped, 40 groups of 6 rows."""
    X, y_noisy, _ = _three_noisy_classes(240)
    groups = np.arange(240) % 40
    weight = np.random.RandomState(0).uniform(0.1, 3.0, size=240)
    return X, np.asarray(y_noisy), groups, weight
