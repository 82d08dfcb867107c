"""Benchmark: LabelModel's dependency handling, on simulated and real LFs.

Accuracy of ``LabelModel()`` (default ``dependencies="downweight"``),
``LabelModel(dependencies="ignore")``, majority vote and, when ``snorkel`` is
installed, Snorkel's ``LabelModel`` (``fit(L_train, n_epochs=500,
log_freq=100, seed=123)``, as in Snorkel's spam tutorial), in four settings:

1. Five independent LFs of accuracies .95 .6 .7 .55 .8 on 10,000 items,
   two balanced classes, every LF voting on each item with probability
   ``coverage`` in 0.2 ... 1.0. Accurate LFs agree often because they are
   right: the default must not lose to "ignore" here.
2. Unipolar LFs on 3 imbalanced classes with a block of four correlated LFs
   (three near-copies of a noisy one, copy rate ``rho``), the case that
   down-weighting exists for.
3. Spam-like data: two classes near 50 / 50, nine low-coverage unipolar
   keyword-style LFs of mixed accuracy and one LF that fires wherever
   another does (a keyword and a regular expression that contains it), 1,586
   training and 250 test items (the sizes of Snorkel's spam tutorial);
   fitted on the training items, scored on the test items; 10 seeds.
4. With ``--youtube-dir``: the YouTube comments spam data (UCI "YouTube Spam
   Collection", files ``Youtube01-Psy.csv`` ... ``Youtube05-Shakira.csv``,
   columns ``CONTENT`` and ``CLASS``), split as in Snorkel's spam tutorial
   (videos 1-4 train, 250 comments of video 5 test, stratified,
   ``random_state=123``), with the tutorial's labeling functions rebuilt
   here: keywords "my", "subscribe", "http", "please" / "plz" (spam), "song"
   (ham), the pattern ``check.*out`` (spam), fewer than 5 words (ham) and,
   when ``textblob`` is installed, TextBlob polarity > 0.9 (ham) and
   subjectivity >= 0.5 (spam). Without TextBlob, two simple rules replace
   them: three or more "!" (spam) and a comment that only praises ("love",
   "best", "great", ... and no link or "subscribe") (ham). The tutorial's
   spaCy person-name LF is left out (no spaCy model is installed here).

Accuracy is over the items with at least one vote (every model abstains
elsewhere), and, for the real data, also over all test items with the
uncovered ones given the majority class of the training fit (printed as
"all"). For the real data the script also refits the two sklabels models
with EM run to ``tol=1e-10`` (the test split has 232 covered comments: one
comment is 0.43 points), and fits every model on 20 bootstrap resamples of
the training comments, scored against their gold labels. Prints markdown
tables for ``docs/benchmarks.md``.

Run::

    .venv/bin/python benchmarks/bench_label_model.py
    .venv/bin/python benchmarks/bench_label_model.py --youtube-dir DIR

Snorkel needs torch, which sklabels does not: run from a separate
environment with ``pip install torch==2.13.0 snorkel`` and sklabels on the
path (see docs/benchmarks.md).
"""

import argparse
import glob
import os
import re
import warnings

import numpy as np
import pandas as pd

from sklabels.aggregation import LabelModel, MajorityVote
from sklabels.datasets import make_weak_labels

HAM, SPAM, ABSTAIN = 0, 1, -1


# ---------------------------------------------------------------------------
# Simulated data
# ---------------------------------------------------------------------------


def independent_lfs(coverage, n_items=10_000, random_state=0):
    y = np.random.RandomState(random_state).randint(2, size=n_items)
    L = make_weak_labels(
        y,
        n_lfs=5,
        coverage=coverage,
        accuracy=[0.95, 0.6, 0.7, 0.55, 0.8],
        random_state=random_state,
    )
    return L, y


def block_lfs(rho, n_items=20_000, random_state=0):
    """14 unipolar LFs on 3 classes (70 / 20 / 10 %); LFs 10-13 a block."""
    rng = np.random.RandomState(random_state)
    y = rng.choice(3, size=n_items, p=[0.7, 0.2, 0.1])
    specs = [(0, 0.4, 0.05), (0, 0.3, 0.03), (0, 0.5, 0.15), (0, 0.2, 0.02)]
    specs += [(1, 0.45, 0.03), (1, 0.3, 0.02), (1, 0.5, 0.08)]
    specs += [(2, 0.4, 0.02), (2, 0.3, 0.01), (2, 0.55, 0.05)]
    specs += [(1, 0.35, 0.1)] * 4
    L = np.full((n_items, len(specs)), ABSTAIN)
    for j, (k, tpr, fpr) in enumerate(specs):
        fires = rng.random_sample(n_items) < np.where(y == k, tpr, fpr)
        if j > 10:
            fires = np.where(rng.random_sample(n_items) < rho, L[:, 10] >= 0, fires)
        L[fires, j] = k
    return L, y


SPAM_LFS = [  # name, class voted, P(fires | spam), P(fires | ham)
    ("keyword_my", SPAM, 0.35, 0.05),
    ("keyword_subscribe", SPAM, 0.20, 0.01),
    ("keyword_http", SPAM, 0.25, 0.01),
    ("keyword_please", SPAM, 0.20, 0.02),
    ("keyword_song", HAM, 0.04, 0.25),
    ("regex_check_out", SPAM, 0.30, 0.01),
    ("short_comment", HAM, 0.12, 0.35),
    ("very_positive", HAM, 0.01, 0.07),
    ("subjective", SPAM, 0.45, 0.30),
]


def spam_like_lfs(n_items, random_state=0):
    """Keyword-style LFs on comments, 48 % spam.

    Independent given the class except: "subscribe" also fires on 40 % of
    the spam that "my" fires on ("subscribe to my channel"), and the
    keyword "check" fires on every item of ``check.*out`` plus 5 % of spam
    and 12 % of ham ("check the views").
    """
    rng = np.random.RandomState(random_state)
    y = (rng.random_sample(n_items) < 0.48).astype(int)
    L = np.full((n_items, len(SPAM_LFS) + 1), ABSTAIN)
    for j, (_, k, tpr, fpr) in enumerate(SPAM_LFS):
        fires = rng.random_sample(n_items) < np.where(y == SPAM, tpr, fpr)
        if j == 1:
            fires |= (L[:, 0] >= 0) & (y == SPAM) & (rng.random_sample(n_items) < 0.4)
        L[fires, j] = k
    check = rng.random_sample(n_items) < np.where(y == SPAM, 0.05, 0.12)
    L[(L[:, 5] >= 0) | check, -1] = SPAM
    return L, y


# ---------------------------------------------------------------------------
# The YouTube comments spam data and the tutorial's LFs
# ---------------------------------------------------------------------------


def load_youtube(directory):
    """Training and test comments split as in Snorkel's spam tutorial."""
    from sklearn.model_selection import train_test_split

    files = sorted(glob.glob(os.path.join(directory, "Youtube0*.csv")))
    if len(files) != 5:
        raise SystemExit(
            f"--youtube-dir {directory!r} must hold the five files "
            f"Youtube01-Psy.csv ... Youtube05-Shakira.csv, found {files!r}."
        )
    frames = []
    for name in files:
        frame = pd.read_csv(name)
        frame.columns = [c.lower() for c in frame.columns]
        frame = frame.rename(columns={"class": "label", "content": "text"})
        frames.append(frame.sample(frac=1, random_state=123).reset_index(drop=True))
    train = pd.concat(frames[:4], ignore_index=True)
    _, test = train_test_split(
        frames[4], test_size=250, random_state=123, stratify=frames[4].label
    )
    return train, test


def _sentiment_lfs():
    try:
        from textblob import TextBlob
    except ImportError:
        praise = re.compile(r"\b(love|best|great|awesome|beautiful|amazing|nice)\b")

        def shouting(text):
            return SPAM if text.count("!") >= 3 else ABSTAIN

        def only_praise(text):
            low = text.lower()
            if praise.search(low) and "http" not in low and "subscrib" not in low:
                return HAM
            return ABSTAIN

        return "simple rules (no TextBlob)", [shouting, only_praise]

    def polarity(text):
        return HAM if TextBlob(text).sentiment.polarity > 0.9 else ABSTAIN

    def subjectivity(text):
        return SPAM if TextBlob(text).sentiment.subjectivity >= 0.5 else ABSTAIN

    return "TextBlob", [polarity, subjectivity]


def youtube_label_matrix(texts):
    """The tutorial's LFs (rebuilt) applied to the comments."""

    def keyword(words, label):
        return lambda text: label if any(w in text.lower() for w in words) else ABSTAIN

    lfs = [
        keyword(["my"], SPAM),
        keyword(["subscribe"], SPAM),
        keyword(["http"], SPAM),
        keyword(["please", "plz"], SPAM),
        keyword(["song"], HAM),
        lambda text: SPAM if re.search(r"check.*out", text, flags=re.I) else ABSTAIN,
        lambda text: HAM if len(text.split()) < 5 else ABSTAIN,
    ]
    kind, sentiment = _sentiment_lfs()
    lfs += sentiment
    return kind, np.array([[lf(t) for lf in lfs] for t in texts], dtype=np.int64)


# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------


def _models():
    models = {
        "LabelModel() (default)": LabelModel,
        'LabelModel(dependencies="ignore")': lambda: LabelModel(dependencies="ignore"),
        "MajorityVote": lambda: MajorityVote(random_state=0),
    }
    try:
        from snorkel.labeling.model import LabelModel as SnorkelLabelModel
    except ImportError:
        return models, False

    class Snorkel:
        def fit(self, L):
            self.model = SnorkelLabelModel(cardinality=2, verbose=False)
            self.model.fit(L, n_epochs=500, log_freq=100, seed=123, progress_bar=False)
            return self

        def predict(self, L):
            pred = self.model.predict(L, tie_break_policy="random")
            return np.where((L >= 0).any(axis=1), pred, -1)

    models["Snorkel LabelModel"] = Snorkel
    return models, True


def _covered_accuracy(pred, L, y):
    covered = (L >= 0).any(axis=1)
    return float(np.mean(pred[covered] == y[covered]))


def _table(header, rows):
    print("\n| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


def bench_independent(models):
    names = list(models)
    rows = []
    for coverage in [0.2, 0.4, 0.6, 0.8, 1.0]:
        L, y = independent_lfs(coverage)
        acc = [_covered_accuracy(models[n]().fit(L).predict(L), L, y) for n in names]
        rows.append([f"{coverage:.1f}"] + [f"{a:.4f}" for a in acc])
    print("\n1. Five independent LFs (accuracies .95 .6 .7 .55 .8), 10,000 items")
    _table(["coverage", *names], rows)


def bench_block(models):
    names = [n for n in models if "Snorkel" not in n]  # Snorkel: K = 3 here
    rows = []
    for rho in [0.0, 0.5, 0.9]:
        L, y = block_lfs(rho)
        acc = [_covered_accuracy(models[n]().fit(L).predict(L), L, y) for n in names]
        rows.append([f"{rho:.1f}"] + [f"{a:.4f}" for a in acc])
    print("\n2. Correlated block (14 unipolar LFs, K = 3), 20,000 items")
    _table(["copy rate rho", *names], rows)


def bench_spam_like(models, seeds=10):
    names = list(models)
    acc = {n: [] for n in names}
    for seed in range(seeds):
        L, y = spam_like_lfs(1586 + 250, random_state=seed)
        train, test, y_test = L[:1586], L[1586:], y[1586:]
        for n in names:
            pred = models[n]().fit(train).predict(test)
            acc[n].append(_covered_accuracy(pred, test, y_test))
    print(
        f"\n3. Spam-like keyword LFs, 1,586 train / 250 test items, {seeds} seeds "
        "(test accuracy on covered items)"
    )
    _table(
        ["model", "mean", "min", "max"],
        [
            [n, f"{np.mean(a):.4f}", f"{np.min(a):.4f}", f"{np.max(a):.4f}"]
            for n, a in acc.items()
        ],
    )


def bench_youtube(models, directory, bootstraps=20):
    train, test = load_youtube(directory)
    kind, L_train = youtube_label_matrix(train.text)
    _, L_test = youtube_label_matrix(test.text)
    y_test = test.label.to_numpy()
    covered = (L_test >= 0).any(axis=1)
    rows = []
    for name, make in models.items():
        model = make().fit(L_train)
        pred = model.predict(L_test)
        majority = HAM if (L_train == HAM).sum() >= (L_train == SPAM).sum() else SPAM
        if hasattr(model, "class_priors_"):
            majority = int(np.argmax(model.class_priors_))
        filled = np.where(pred < 0, majority, pred)
        rows.append(
            [
                name,
                f"{_covered_accuracy(pred, L_test, y_test):.4f}",
                f"{np.mean(filled == y_test):.4f}",
            ]
        )
    print(
        f"\n4. YouTube comments spam data: {len(train)} train / {len(test)} test "
        f"comments, {L_train.shape[1]} LFs (sentiment: {kind}), "
        f"{covered.mean():.1%} of test comments covered"
    )
    _table(["model", "test accuracy (covered)", "test accuracy (all)"], rows)

    # EM stopped by a much tighter tolerance: how much of the figures above
    # depends on where tol=1e-5 stops.
    rows = []
    for name, make in [
        ("LabelModel() (default)", LabelModel),
        (
            'LabelModel(dependencies="ignore")',
            lambda: LabelModel(dependencies="ignore"),
        ),
    ]:
        tight = make().set_params(max_iter=10_000, tol=1e-10).fit(L_train)
        pred = tight.predict(L_test)
        rows.append([name, f"{_covered_accuracy(pred, L_test, y_test):.4f}"])
    print("\n4b. The same, EM run to tol=1e-10 (max_iter=10,000)")
    _table(["model", "test accuracy (covered)"], rows)

    # Bootstrap resamples of the training comments, scored against their
    # own gold labels (no test comment involved).
    y_train = train.label.to_numpy()
    acc = {name: [] for name in models}
    for seed in range(bootstraps):
        rows = np.random.RandomState(seed).randint(len(y_train), size=len(y_train))
        L_b, y_b = L_train[rows], y_train[rows]
        for name, make in models.items():
            acc[name].append(_covered_accuracy(make().fit(L_b).predict(L_b), L_b, y_b))
    print(
        f"\n4c. {bootstraps} bootstrap resamples of the training comments, accuracy "
        "on the covered resampled comments (fit and scored on the resample)"
    )
    _table(
        ["model", "mean", "min", "max"],
        [
            [n, f"{np.mean(a):.4f}", f"{np.min(a):.4f}", f"{np.max(a):.4f}"]
            for n, a in acc.items()
        ],
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--youtube-dir",
        default=None,
        help="folder with Youtube01-Psy.csv ... Youtube05-Shakira.csv",
    )
    parser.add_argument("--skip-simulated", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    models, has_snorkel = _models()
    if not has_snorkel:
        print("snorkel is not installed: Snorkel's LabelModel was not run.")
    if not args.skip_simulated:
        bench_independent(models)
        bench_block(models)
        bench_spam_like(models)
    if args.youtube_dir is not None:
        bench_youtube(models, args.youtube_dir)


if __name__ == "__main__":
    main()
