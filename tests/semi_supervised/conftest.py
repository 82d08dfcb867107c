import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.preprocessing import StandardScaler


@pytest.fixture(scope="module")
def iris_partial():
    """Iris, standardised, 8 labeled rows per class (24 labels) and -1 elsewhere.

    Returns ``(X, y, y_partial)``: the full labels and the partly labeled ones.
    """
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    rng = np.random.RandomState(0)
    labeled = np.zeros(y.size, dtype=bool)
    for k in range(3):
        labeled[rng.choice(np.flatnonzero(y == k), 8, replace=False)] = True
    return X, y, np.where(labeled, y, -1)
