"""ConfidentLearningFilter fits its folds the same way on a dask cluster."""

import pytest
from joblib import parallel_config
from numpy.testing import assert_array_equal
from sklearn.datasets import make_classification

from sklabels.datasets import make_noisy_labels
from sklabels.noise._filter_estimator import ConfidentLearningFilter

distributed = pytest.importorskip("distributed")


def test_confident_learning_filter_dask_backend_gives_identical_results():
    X, y = make_classification(
        n_samples=120, n_features=4, n_informative=3, n_redundant=0, random_state=0
    )
    y_noisy, _ = make_noisy_labels(y, noise_rate=0.1, random_state=0)
    reference = ConfidentLearningFilter(cv=3, random_state=0).fit(X, y_noisy)

    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
        parallel_config(backend="dask"),
        distributed.get_task_stream(client) as tasks,
    ):
        on_dask = ConfidentLearningFilter(cv=3, random_state=0, n_jobs=2).fit(
            X, y_noisy
        )

    assert len(tasks.data) >= 3  # the three folds ran on the cluster

    assert_array_equal(on_dask.pred_probs_, reference.pred_probs_)
    assert_array_equal(on_dask.label_issues_, reference.label_issues_)
    assert_array_equal(on_dask.sample_indices_, reference.sample_indices_)
