"""
Quickstart: labels in scikit-learn with sklabels
================================================

A short tour on scikit-learn's built-in digits data, growing as sklabels
grows. It injects realistic label noise with :mod:`sklabels.datasets`, trains
on string class names with :mod:`sklabels.encoding`, finds the wrong labels
from out-of-fold predictions, and measures how much accuracy removing them
recovers. Run it with ``make demo``.
"""

# %%
# Data: digits with readable class names, and 20 % of the training labels
# flipped by a realistic (non-uniform) noise matrix.
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklabels.datasets import make_noise_matrix, make_noisy_labels
from sklabels.encoding import LabelEncoder, TransformedTargetClassifier

NAMES = np.array(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
)
X, digit = load_digits(return_X_y=True)
y = NAMES[digit]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)
encoder = LabelEncoder().fit(y_train)
noise_matrix = make_noise_matrix(10, avg_trace=0.8, random_state=0)
y_noisy, flipped = make_noisy_labels(y_train, noise_matrix=noise_matrix, random_state=0)
print(
    f"training rows: {len(y_train)}, labels flipped: {flipped.sum()} "
    f"({flipped.mean():.1%})"
)


# %%
# A classifier that takes the class names directly: TransformedTargetClassifier
# encodes them for the model and decodes its predictions.
def model():
    return TransformedTargetClassifier(
        make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
        transformer=LabelEncoder(),
    )


clean_acc = model().fit(X_train, y_train).score(X_test, y_test)
noisy_acc = model().fit(X_train, y_noisy).score(X_test, y_test)
print(f"test accuracy, trained on clean labels: {clean_acc:.3f}")
print(f"test accuracy, trained on noisy labels: {noisy_acc:.3f}")

# %%
# Find the wrong labels: out-of-fold predictions that disagree with the given
# label (the simplest detector; confident learning in sklabels.noise refines
# it with per-class thresholds).
pred = cross_val_predict(model(), X_train, y_noisy, cv=5)
flagged = pred != y_noisy
found = (flagged & flipped).sum()
print(
    f"flagged {flagged.sum()} rows: {found} truly wrong "
    f"(precision {found / flagged.sum():.2f}, recall {found / flipped.sum():.2f})"
)

# %%
# Train again without the flagged rows.
kept_acc = model().fit(X_train[~flagged], y_noisy[~flagged]).score(X_test, y_test)
print(
    f"test accuracy, trained without flagged rows: {kept_acc:.3f} "
    f"(recovered {kept_acc - noisy_acc:+.3f} of the {clean_acc - noisy_acc:.3f} "
    "lost to noise)"
)
print("a few flagged rows (given -> predicted, truly wrong?):")
for i in np.flatnonzero(flagged)[:5]:
    print(f"  row {i}: {y_noisy[i]} -> {pred[i]} ({bool(flipped[i])})")
print("class order of the codes:", ", ".join(encoder.classes_))

# %%
# Label smoothing on the noisy labels: the same model trained on smoothed
# targets (sklabels.smoothing), compared on accuracy and calibration (ECE)
# of its test-set probabilities.
from sklabels.metrics import expected_calibration_error
from sklabels.smoothing import LabelSmoothingClassifier

for alpha in (0.0, 0.2):
    smoothed = make_pipeline(
        StandardScaler(),
        LabelSmoothingClassifier(LogisticRegression(max_iter=2000), alpha=alpha),
    ).fit(X_train, y_noisy)
    proba = smoothed.predict_proba(X_test)
    ece = expected_calibration_error(y_test, proba, classes=smoothed.classes_)
    print(
        f"noisy labels, label smoothing alpha={alpha}: test accuracy "
        f"{smoothed.score(X_test, y_test):.3f}, ECE {ece:.3f}"
    )
