"""
Quickstart: labels in scikit-learn with sklabels
================================================

A short tour on scikit-learn's built-in digits data, growing as sklabels
grows. It injects realistic label noise with :mod:`sklabels.datasets`, trains
on string class names with :mod:`sklabels.encoding`, finds the wrong labels
by confident learning (:mod:`sklabels.noise`) and measures how much accuracy
removing them recovers, smooths labels (:mod:`sklabels.smoothing`),
aggregates the votes of simulated annotators (:mod:`sklabels.aggregation`,
:mod:`sklabels.metrics`), learns from 5 % of the labels
(:mod:`sklabels.semi_supervised`), predicts sets of tags
(:mod:`sklabels.multilabel`), looks for duplicates, leaks and label drift
(:mod:`sklabels.inspection`) and chooses which rows to label next
(:mod:`sklabels.active`). Run it with ``make demo``.
"""

# %%
# Data: digits with readable class names, and 20 % of the training labels
# flipped by a realistic (non-uniform) noise matrix.
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklabels.datasets import make_noise_matrix, make_noisy_labels
from sklabels.encoding import LabelEncoder, TransformedTargetClassifier

NAMES = np.array(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
)
X, digit = load_digits(return_X_y=True)
y = NAMES[digit]
X_train, X_test, y_train, y_test, d_train, d_test = train_test_split(
    X, y, digit, test_size=0.3, stratify=y, random_state=0
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
# Find the wrong labels by confident learning: ConfidentLearningFilter fits
# the model on 5 folds, estimates from the out-of-fold probabilities how often
# each class is mistaken for each other, and removes as many rows of each
# kind of mistake as those counts say, the least likely labels first
# ("prune_by_noise_rate"). "predicted_neq_given" removes every row whose
# out-of-fold prediction disagrees with its label: more errors found, but
# more good rows lost. The filter is an imbalanced-learn sampler, so it also
# drops into imblearn's Pipeline; here it is used on its own.
from sklabels.noise import ConfidentLearningFilter

for method in ("prune_by_noise_rate", "predicted_neq_given"):
    cl_filter = ConfidentLearningFilter(model(), method=method, random_state=0)
    X_kept, y_kept = cl_filter.fit_resample(X_train, y_noisy)
    flagged = cl_filter.label_issues_
    found = (flagged & flipped).sum()
    kept_acc = model().fit(X_kept, y_kept).score(X_test, y_test)
    print(
        f"{method}: flagged {flagged.sum()} rows, {found} truly wrong (precision "
        f"{found / flagged.sum():.2f}, recall {found / flipped.sum():.2f}); test "
        f"accuracy trained without them {kept_acc:.3f} (recovered "
        f"{kept_acc - noisy_acc:+.3f} of the {clean_acc - noisy_acc:.3f} lost)"
    )

# %%
# The filter reports what it did to every row: given and predicted label,
# label quality, whether it was flagged and removed. The worst labels first:
report = cl_filter.label_issues_report_.assign(truly_wrong=flipped)
print(report.sort_values("label_quality").head(5).round(3).to_string())
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

# %%
# Crowdsourcing: seven annotators label each training image three times over
# (each image gets 3 of them), two of them spammers who answer at random.
# DawidSkene learns each annotator's confusion matrix without ground truth
# and outvotes the spammers that a majority vote trusts; Fleiss' kappa says
# how much the crowd agrees beyond chance.
from sklabels.aggregation import DawidSkene, MajorityVote
from sklabels.datasets import make_crowd_labels
from sklabels.metrics import fleiss_kappa

codes = encoder.transform(y_train)
L = make_crowd_labels(
    codes,
    n_sources=7,
    accuracy=[0.9, 0.8, 0.7, 0.65, 0.6, 0.1, 0.1],
    labels_per_item=3,
    random_state=0,
)
print(f"crowd: Fleiss' kappa {fleiss_kappa(L):.3f}")
ds = DawidSkene().fit(L)
for aggregator in (MajorityVote(random_state=0).fit(L), ds):
    labels = aggregator.predict(L)
    print(
        f"crowd labels by {type(aggregator).__name__}: "
        f"{np.mean(labels == codes):.1%} right"
    )
print(
    "annotator accuracies (true 0.9 0.8 0.7 0.65 0.6 0.1 0.1) estimated by DawidSkene:",
    np.diagonal(ds.confusion_matrices_, axis1=1, axis2=2).mean(axis=1).round(2),
)

# %%
# Few labels: keep 5 % of the training labels (-1 marks the rest) and let
# PseudoLabelClassifier label the others with its own confident predictions.
from sklabels.semi_supervised import PseudoLabelClassifier

rng = np.random.RandomState(0)
partial = np.where(rng.random_sample(codes.size) < 0.05, codes, -1)
known = partial != -1
base = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
supervised_acc = base.fit(X_train[known], partial[known]).score(
    X_test, encoder.transform(y_test)
)
pseudo = PseudoLabelClassifier(base, random_state=0).fit(X_train, partial)
print(
    f"{known.sum()} labels: test accuracy {supervised_acc:.3f} on them alone, "
    f"{pseudo.score(X_test, encoder.transform(y_test)):.3f} with pseudo-labels"
)

# %%
# Multi-label: a set of tags per image instead of one class. MultiLabelEncoder
# turns "|"-separated tag strings into an indicator matrix, BinaryRelevance
# fits one classifier per tag, and TransformedTargetClassifier gives tag
# strings back.
from sklabels.encoding import MultiLabelEncoder, make_encoded_scorer
from sklabels.multilabel import BinaryRelevance

TAGS = np.array(  # the tags of the digits 0..9
    [
        "even",
        "",
        "even|prime",
        "prime",
        "even",
        "large|prime",
        "even|large",
        "large|prime",
        "even|large",
        "large",
    ]
)
tagger = TransformedTargetClassifier(
    BinaryRelevance(make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))),
    transformer=MultiLabelEncoder(sep="|"),
).fit(X_train, TAGS[d_train])
predicted = tagger.predict(X_test)
# scikit-learn's "f1_micro" would read each tag string "even|prime" as one
# class; make_encoded_scorer encodes both sides into label sets first, so it
# is the scorer to give cross_val_score or GridSearchCV.
micro_f1 = make_encoded_scorer("f1_micro")(tagger, X_test, TAGS[d_test])
print(f"tags: micro-F1 {micro_f1:.3f}; first test images: {list(predicted[:4])}")

# %%
# Other problems of a labeled data set: rows that appear twice with
# different labels, test rows that repeat training rows, features that leak
# the label, and labels whose distribution moved (sklabels.inspection).
from sklabels.inspection import (
    find_duplicates,
    label_distribution_report,
    leakage_report,
    train_test_overlap,
)

dups = find_duplicates(X_train, y_noisy)
overlap = train_test_overlap(X_train, X_test, y_noisy, y_test)
print(
    f"duplicates: {(dups['duplicate_group'] >= 0).sum()} training rows repeat "
    f"another, {dups['conflicting_label'].sum()} of them with another label; "
    f"{len(overlap)} test rows repeat a training row"
)
# a planted leak: a column written down from the (noisy) label itself
from_label = encoder.transform(y_noisy) + rng.normal(0, 0.1, len(y_noisy))
suspects = leakage_report(np.c_[X_train, from_label], y_noisy).query("leak_suspect")
print(f"leak suspects among 64 pixels and one planted column: {list(suspects.index)}")
drift = label_distribution_report(y_noisy, y_reference=y_test).drift
print(
    f"label drift, noisy training labels vs test labels: total variation "
    f"{drift['total_variation']:.3f}, chi-square p-value {drift['p_value']:.3f}"
)

# %%
# Choosing what to label: from the same 5 % of labels, ActiveLearner asks
# for 50 more, 10 at a time, picked by margin uncertainty (the true labels
# play the annotator); the same number of random labels is the baseline.
from sklabels.active import ActiveLearner, UncertaintySampling

learner = ActiveLearner(base, UncertaintySampling("margin"), batch_size=10)
learner.fit(X_train, partial)
asked_for = partial.copy()
for _ in range(5):
    pool = np.flatnonzero(asked_for == -1)
    asked = pool[learner.query(X_train[pool])]
    learner.teach(X_train[asked], codes[asked])
    asked_for[asked] = codes[asked]
extra = rng.choice(np.flatnonzero(~known), 50, replace=False)
random_rows = np.sort(np.concatenate([np.flatnonzero(known), extra]))
random_acc = (
    make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    .fit(X_train[random_rows], codes[random_rows])
    .score(X_test, encoder.transform(y_test))
)
print(
    f"active learning, {learner.y_training_.size} labels: test accuracy "
    f"{learner.score(X_test, encoder.transform(y_test)):.3f} with 50 chosen by "
    f"margin sampling, {random_acc:.3f} with 50 drawn at random"
)
