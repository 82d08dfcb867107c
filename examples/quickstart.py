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

Each result is followed by a line starting with ``->`` that says what its
numbers mean. The figures come from one split and one seed: they show how
the tools are used, and docs/benchmarks.md measures them over seeds and
data sets.
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
print(
    "-> the noise matrix keeps 80 % of the labels of a class on average and "
    "moves the others to other classes, unevenly; the true labels are kept "
    "aside to score what follows, and the test labels stay clean"
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
print(
    "-> share of the held-out test images classified right; the gap, "
    f"{clean_acc - noisy_acc:.3f}, is what the wrong training labels cost"
)

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
print(
    "-> precision: share of the flagged rows whose label was truly flipped; "
    "recall: share of the flipped labels that were flagged; recovered: test "
    "accuracy gained over training on every noisy label, out of the gap to "
    "the model trained on clean labels"
)

# %%
# The filter reports what it did to every row: given and predicted label,
# label quality, whether it was flagged and removed, and why: the most likely
# other class, the margin and the cell of the estimated noise matrix the row
# belongs to. The worst labels first (from the last filter above):
report = cl_filter.label_issues_report_.assign(truly_wrong=flipped)
worst = report.sort_values("label_quality").head(5)
# the qualities of the worst labels are tiny: three significant digits, not
# three decimals, or they would all print as 0.0
print(
    worst.to_string(
        formatters={"label_quality": "{:.2e}".format},
        float_format="{:.3f}".format,
    )
)
print(
    "-> label_quality: the out-of-fold probability of the given label (near 0: "
    "the model, never fitted on the row, is sure the label is wrong); "
    "runner_up_proba: that of the most likely other class; margin: the first "
    "minus the second; noise_rate: the estimated share of the runner-up "
    "class's true examples that carry the given label; truly_wrong: the "
    "label was flipped"
)
print("class order of the codes:", ", ".join(encoder.classes_))
print(
    "-> the sections below work on integer codes: code 0 is the first class "
    "of this list, code 1 the second, ..."
)

# %%
# Label smoothing on the noisy labels: the same model trained on smoothed
# targets (sklabels.smoothing), compared on accuracy and calibration (ECE,
# expected calibration error: the gap between how confident the model is and
# how often it is right, averaged over bins of confidence; 0 is perfect) of
# its test-set probabilities. Smoothing with ``alpha`` moves that share of
# every target towards the uniform distribution, so it lowers the model's
# confidence. That helps an over-confident model; this one, trained on labels
# of which one in five is wrong, is already under-confident on the clean
# test labels (its mean top probability is below its accuracy), so
# smoothing makes it more under-confident and its ECE grows, even though
# its accuracy improves a little here.
from sklabels.metrics import expected_calibration_error
from sklabels.smoothing import LabelSmoothingClassifier

smoothing = {}
for alpha in (0.0, 0.2):
    smoothed = make_pipeline(
        StandardScaler(),
        LabelSmoothingClassifier(LogisticRegression(max_iter=2000), alpha=alpha),
    ).fit(X_train, y_noisy)
    proba = smoothed.predict_proba(X_test)
    ece = expected_calibration_error(y_test, proba, classes=smoothed.classes_)
    accuracy, confidence = smoothed.score(X_test, y_test), proba.max(axis=1).mean()
    smoothing[alpha] = accuracy, confidence, ece
    print(
        f"noisy labels, label smoothing alpha={alpha}: test accuracy "
        f"{accuracy:.3f}, mean top probability {confidence:.3f}, ECE {ece:.3f}"
    )
(acc_0, conf_0, ece_0), (acc_2, conf_2, ece_2) = smoothing[0.0], smoothing[0.2]
state = "under" if conf_0 < acc_0 else "over"
print(
    f"-> without smoothing the model is {state}-confident (mean top probability "
    f"{conf_0:.3f}, accuracy {acc_0:.3f}); smoothing pulls every probability "
    f"towards uniform (mean top probability {conf_0:.3f} -> {conf_2:.3f}), which "
    f"{'worsens' if state == 'under' else 'can correct'} an {state}-confident "
    f"model: ECE {ece_0:.3f} -> {ece_2:.3f}, accuracy {acc_0:.3f} -> {acc_2:.3f}"
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
print("-> agreement beyond chance among the annotators: 0 is chance, 1 is perfect")
ds = DawidSkene().fit(L)
for aggregator in (MajorityVote(random_state=0).fit(L), ds):
    labels = aggregator.predict(L)
    print(
        f"crowd labels by {type(aggregator).__name__}: "
        f"{np.mean(labels == codes):.1%} right"
    )
print("-> share of the training images whose aggregated label is the true one")
print(
    "annotator accuracies (true 0.9 0.8 0.7 0.65 0.6 0.1 0.1) estimated by DawidSkene:",
    np.diagonal(ds.confusion_matrices_, axis1=1, axis2=2).mean(axis=1).round(2),
)
print(
    "-> each annotator's mean per-class accuracy, estimated from the votes "
    "alone, without the true labels"
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
print(
    "-> test accuracy of the model fitted on the labeled rows only, and of "
    "PseudoLabelClassifier, which also learns from the unlabeled rows"
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
print(
    "-> micro-F1 pools every (image, tag) decision of the test set: 1 is every "
    "tag right; '' is an image with no tag (a one)"
)

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
print(
    "-> digits holds no repeated image, so there is nothing to find here; "
    "the same calls find copies planted in it (docs/benchmarks.md)"
)
# a planted leak: a column written down from the (noisy) label itself
from_label = encoder.transform(y_noisy) + rng.normal(0, 0.1, len(y_noisy))
suspects = leakage_report(np.c_[X_train, from_label], y_noisy).query("leak_suspect")
print(f"leak suspects among 64 pixels and one planted column: {list(suspects.index)}")
pixels_flagged = len(suspects) - int("x64" in suspects.index)
print(
    "-> x64 is the planted column (the columns are numbered from x0); "
    f"{pixels_flagged} of the 64 pixels flagged"
)
drift = label_distribution_report(y_noisy, y_reference=y_test).drift
print(
    f"label drift, noisy training labels vs test labels: total variation "
    f"{drift['total_variation']:.3f}, chi-square p-value {drift['p_value']:.3f}"
)
print(
    "-> total variation: the share of labels that would have to change class "
    "to make the two label distributions equal; the chi-square test asks "
    "whether the two could be draws of one distribution (a p-value below 0.05 "
    "says they are unlikely to be): here the flipped labels moved the shares"
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
active_acc = learner.score(X_test, encoder.transform(y_test))
print(
    f"active learning, {learner.y_training_.size} labels: test accuracy "
    f"{active_acc:.3f} with 50 chosen by margin sampling, {random_acc:.3f} "
    "with 50 drawn at random"
)
print(
    f"-> the {known.sum()} random labels plus 50 more; margin sampling asks for "
    "the rows whose two most probable classes are closest; the difference, "
    f"{active_acc - random_acc:+.3f}, is what choosing the 50 gained over "
    "drawing them"
)
