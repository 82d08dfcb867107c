"""
Label smoothing on digits: log-loss and calibration
===================================================

Label smoothing trains a classifier on targets slightly softer than one-hot
rows, to keep it from becoming over-confident. This example tunes the
smoothing strength ``alpha`` of
:class:`~sklabels.smoothing.LabelSmoothingClassifier` with
:class:`~sklearn.model_selection.GridSearchCV` for a weakly regularised
logistic regression and for a small neural network on scikit-learn's digits,
then compares the unsmoothed (``alpha=0``) and the tuned models on held-out
data: accuracy, log-loss, expected calibration error (ECE) and reliability
diagrams.
"""

# %%
# Data: the 8x8 digits, with a stratified 30 % held out for testing.
import matplotlib.pyplot as plt
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklabels.metrics import ReliabilityDiagramDisplay, expected_calibration_error
from sklabels.smoothing import LabelSmoothingClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)
print(f"training rows: {len(y_train)}, test rows: {len(y_test)}, classes: 10")

# %%
# Two classifiers that can become over-confident: a logistic regression with a
# very weak penalty (large ``C``) and a small MLP (whose ``fit`` accepts
# ``sample_weight`` since scikit-learn 1.7, which the smoothing needs). The
# scaler stays outside the wrapper: it is fitted once on the original rows,
# and the wrapper gets a classifier whose ``fit`` takes ``sample_weight``
# (a Pipeline's does not).
ALPHAS = [0.0, 0.01, 0.02, 0.05, 0.1]
base_models = {
    "LogisticRegression": LogisticRegression(C=1000.0, max_iter=1000),
    "MLPClassifier": MLPClassifier(
        hidden_layer_sizes=(64,), max_iter=300, early_stopping=False, random_state=0
    ),
}


def smoothed(estimator):
    return make_pipeline(StandardScaler(), LabelSmoothingClassifier(estimator))


# %%
# Tune ``alpha`` by 3-fold cross-validated log-loss; ``alpha=0`` (the plain
# classifier on hard labels) is one of the candidates.
searches = {}
for name, estimator in base_models.items():
    search = GridSearchCV(
        smoothed(estimator),
        {"labelsmoothingclassifier__alpha": ALPHAS},
        scoring="neg_log_loss",
        cv=3,
        n_jobs=2,
    ).fit(X_train, y_train)
    searches[name] = search
    cv_log_loss = -search.cv_results_["mean_test_score"]
    cv_loss = ", ".join(
        f"{alpha:g}: {loss:.3f}"
        for alpha, loss in zip(ALPHAS, cv_log_loss, strict=True)
    )
    print(f"{name} CV log-loss by alpha: {cv_loss}")

# %%
# On the test set: the unsmoothed model (``alpha=0``, refitted on the whole
# training set) against the tuned one. The ECE uses 10 equal-width bins.
fitted = {}
print(f"{'model':<20}{'alpha':>7}{'accuracy':>10}{'log-loss':>10}{'ECE':>8}")
for name, search in searches.items():
    best_alpha = search.best_params_["labelsmoothingclassifier__alpha"]
    plain = clone(search.estimator).set_params(labelsmoothingclassifier__alpha=0.0)
    fitted[name] = [
        ("unsmoothed", 0.0, plain.fit(X_train, y_train)),
        ("tuned", best_alpha, search.best_estimator_),
    ]
    for _, alpha, model in fitted[name]:
        proba = model.predict_proba(X_test)
        acc = accuracy_score(y_test, model.predict(X_test))
        loss = log_loss(y_test, proba, labels=model.classes_)
        ece = expected_calibration_error(y_test, proba, n_bins=10)
        print(f"{name:<20}{alpha:>7g}{acc:>10.3f}{loss:>10.3f}{ece:>8.3f}")

# %%
# Reliability diagrams on the test set, unsmoothed (left) and tuned (right):
# bars below the diagonal mean over-confidence, bars above it
# under-confidence; the legend gives the ECE.
fig, axes = plt.subplots(2, 2, figsize=(10, 10), layout="constrained")
for row, (name, models) in zip(axes, fitted.items(), strict=True):
    for ax, (kind, alpha, model) in zip(row, models, strict=True):
        ReliabilityDiagramDisplay.from_estimator(
            model, X_test, y_test, n_bins=10, name=f"alpha={alpha:g}", ax=ax
        )
        ax.set_title(f"{name}, alpha={alpha:g} ({kind})")
plt.show()

# %%
# What the numbers show
# ---------------------
#
# TODO after running.
