"""Benchmark: sklabels' find_label_issues against cleanlab's, time and memory.

Both libraries run in this one process on the same synthetic data,
interleaved (ours, cleanlab, ours, cleanlab, ...), cleanlab with
``n_jobs=1`` and sklabels with its default (one thread). The data: true
labels drawn from a random class prior, noisy labels from
:func:`sklabels.datasets.make_noisy_labels` with a noise matrix from
:func:`sklabels.datasets.make_noise_matrix` (mean diagonal 0.8, half of the
noise rates zero), and ``pred_probs`` rows drawn from a Dirichlet that puts
most of its mass on the *true* class, so that the flipped rows are the ones
to find. Two in-memory shapes (float64): 1,000,000 x 10 and 200,000 x 100.

For each shape and each of the five methods the script

- asserts that both libraries flag exactly the same rows;
- times both (median of ``--repeats`` interleaved calls), in wall time
  (``time.perf_counter``) and CPU time (``time.process_time``, which the
  other jobs on a shared machine do not inflate), and reports the ratio
  sklabels / cleanlab; the target is <= 0.2 for
  ``prune_by_noise_rate``;
- expresses both CPU times in "argmax passes": the CPU time of one
  ``pred_probs.argmax(axis=1)`` on the same array;
- measures the peak extra memory of one call with ``tracemalloc`` (numpy
  reports its buffers to it), relative to ``pred_probs.nbytes`` (target < 2).

Then a 10,000,000 x 10 float32 ``pred_probs`` is written to a temporary
``.npy`` file in ``tempfile.gettempdir()`` (400 MB), opened with
``np.load(mmap_mode="r")`` and processed with ``batch_size`` in a child
process. Reported: time, the peak of the memory traced by ``tracemalloc``,
the peak growth of anonymous memory (``RssAnon`` of ``/proc/self/status``,
sampled every 5 ms: the memory the process really allocates) and the growth
of the peak resident set, which also counts the pages of the file that the
process has mapped (page cache, which the kernel can reclaim). The peak RSS
is ``VmHWM`` of ``/proc/self/status``, reset before the call by writing 5 to
``/proc/self/clear_refs``; where that is not available, ``ru_maxrss`` of
``resource.getrusage``, which on Linux a child process inherits from its
parent at ``fork`` and never resets, so that its growth can read 0. Target:
under 1 GB extra. The flags are checked against an in-memory call on the
whole array (loaded, 400 MB) for all five methods, and against cleanlab for
``prune_by_noise_rate``.

Run::

    .venv/bin/python benchmarks/bench_noise.py
    .venv/bin/python benchmarks/bench_noise.py --repeats 3 --memmap-rows 2000000
    .venv/bin/python benchmarks/bench_noise.py --no-memmap
"""

import argparse
import gc
import json
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc

import numpy as np

from sklabels.datasets import make_noise_matrix, make_noisy_labels
from sklabels.noise import find_label_issues

METHODS = (
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
)
SHAPES = ((1_000_000, 10), (200_000, 100))
MIB = 2**20


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------


def make_labels(n_samples, n_classes, seed):
    """True labels, noisy labels (about 20 % flipped) and the flipped mask."""
    rng = np.random.default_rng(seed)
    prior = rng.dirichlet(np.full(n_classes, 5.0))
    y_true = rng.choice(n_classes, size=n_samples, p=prior)
    noise_matrix = make_noise_matrix(
        n_classes, avg_trace=0.8, frac_zero_noise_rates=0.5, random_state=seed
    )
    noisy, flipped = make_noisy_labels(
        y_true, noise_matrix=noise_matrix, random_state=seed
    )
    return y_true, noisy.astype(np.intp), flipped


def make_pred_probs(y_true, n_classes, rng, dtype=np.float64):
    """Dirichlet rows with extra mass on the true class (accuracy ~ 0.9)."""
    alpha = np.full((y_true.size, n_classes), 0.3)
    alpha[np.arange(y_true.size), y_true] += 3.0
    draws = rng.standard_gamma(alpha)
    draws /= draws.sum(axis=1, keepdims=True)
    return draws.astype(dtype, copy=False)


# --------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------


def timed(func):
    """(wall seconds, CPU seconds, result) of one call."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    out = func()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def traced_peak(func):
    """Peak bytes allocated by ``func()`` on top of what was allocated before."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    out = func()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    del out
    return peak


def _status_kib(field):
    """A ``kB`` field of ``/proc/self/status`` (Linux), or None."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


class PeakRSS:
    """Growth of the peak resident set size from now on."""

    def __init__(self):
        self.source = "VmHWM"
        try:
            with open("/proc/self/clear_refs", "w") as clear_refs:
                clear_refs.write("5")  # resets VmHWM to the current RSS
            self.base = _status_kib("VmRSS")
        except OSError:
            self.base = None
        if self.base is None:
            self.source = "ru_maxrss"
            self.base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def growth(self):
        """(bytes, source) of the growth of the peak RSS."""
        if self.source == "VmHWM":
            peak = _status_kib("VmHWM")
        else:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return (peak - self.base) * 1024, self.source


class AnonSampler:
    """Peak of ``RssAnon`` while a block runs, sampled in a thread."""

    def __init__(self, interval=0.005):
        self.interval = interval
        self.peak = self.base = _status_kib("RssAnon")
        self._stop = threading.Event()

    def _run(self):
        while not self._stop.is_set():
            value = _status_kib("RssAnon")
            if value is not None and value > self.peak:
                self.peak = value
            time.sleep(self.interval)

    def __enter__(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def growth(self):
        if self.base is None:
            return None
        return (self.peak - self.base) * 1024


# --------------------------------------------------------------------------
# In-memory comparison with cleanlab
# --------------------------------------------------------------------------


def bench_shape(n_samples, n_classes, methods, repeats, seed):
    from cleanlab.filter import find_label_issues as cleanlab_find

    y_true, labels, flipped = make_labels(n_samples, n_classes, seed)
    pred_probs = make_pred_probs(y_true, n_classes, np.random.default_rng(seed + 1))
    rows = []
    argmax_runs = []  # one argmax pass, timed in each round too
    for method in methods:

        def ours(method=method):
            return find_label_issues(labels, pred_probs, method=method)

        def theirs(method=method):
            return cleanlab_find(labels, pred_probs, filter_by=method, n_jobs=1)

        mask_ours, mask_theirs = ours(), theirs()
        assert np.array_equal(mask_ours, mask_theirs), (
            f"{method}: sklabels and cleanlab flag different rows on "
            f"{n_samples} x {n_classes}: "
            f"{np.flatnonzero(mask_ours != mask_theirs)[:10]}"
        )
        walls = {"ours": [], "theirs": []}
        cpus = {"ours": [], "theirs": []}
        for _ in range(repeats):  # interleaved
            for name, func in (("ours", ours), ("theirs", theirs)):
                wall, cpu, _ = timed(func)
                walls[name].append(wall)
                cpus[name].append(cpu)
            argmax_runs.append(timed(lambda: pred_probs.argmax(axis=1))[:2])
        wall = {name: statistics.median(values) for name, values in walls.items()}
        cpu = {name: statistics.median(values) for name, values in cpus.items()}
        rows.append(
            {
                "method": method,
                "wall": wall,
                "cpu": cpu,
                "peak_ours": traced_peak(ours),
                "peak_theirs": traced_peak(theirs),
                "flagged": int(mask_ours.sum()),
            }
        )
    # median (wall, CPU) of one pass; each time in argmax passes (CPU / CPU)
    one_pass = tuple(
        statistics.median(values) for values in zip(*argmax_runs, strict=True)
    )
    for row in rows:
        row["passes"] = {name: t / one_pass[1] for name, t in row["cpu"].items()}
    info = {
        "nbytes": pred_probs.nbytes,
        "one_pass": one_pass,
        "n_flipped": int(flipped.sum()),
    }
    return rows, info


def print_shape(n_samples, n_classes, rows, info, repeats):
    nbytes = info["nbytes"]
    print(
        f"\n### {n_samples:,} x {n_classes} float64 pred_probs "
        f"({nbytes / MIB:.0f} MiB), {info['n_flipped']:,} labels flipped\n"
    )
    print(
        f"Median of {repeats} interleaved calls; one argmax pass (timed in "
        "every round) = "
        f"{info['one_pass'][0] * 1e3:.1f} ms wall, "
        f"{info['one_pass'][1] * 1e3:.1f} ms CPU (argmax passes below: CPU "
        "time / CPU time of one pass). Masks identical to cleanlab's for every "
        "method (asserted).\n"
    )
    print(
        "| method | flagged | sklabels wall (s) | cleanlab wall (s) | ratio wall "
        "| sklabels CPU (s) | cleanlab CPU (s) | ratio CPU "
        "| argmax passes (sklabels / cleanlab) "
        "| peak extra memory sklabels (MiB, x pred_probs) "
        "| peak extra memory cleanlab (MiB, x pred_probs) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        wall, cpu, passes = row["wall"], row["cpu"], row["passes"]
        print(
            f"| {row['method']} | {row['flagged']:,} "
            f"| {wall['ours']:.3f} | {wall['theirs']:.3f} "
            f"| {wall['ours'] / wall['theirs']:.2f} "
            f"| {cpu['ours']:.3f} | {cpu['theirs']:.3f} "
            f"| {cpu['ours'] / cpu['theirs']:.2f} "
            f"| {passes['ours']:.1f} / {passes['theirs']:.1f} "
            f"| {row['peak_ours'] / MIB:.1f} ({row['peak_ours'] / nbytes:.2f}) "
            f"| {row['peak_theirs'] / MIB:.1f} ({row['peak_theirs'] / nbytes:.2f}) |"
        )


# --------------------------------------------------------------------------
# memmap, in a child process
# --------------------------------------------------------------------------


def write_memmap(path, labels_path, n_samples, n_classes, seed, block=1_000_000):
    """Write float32 pred_probs to ``path`` and the labels to ``labels_path``."""
    y_true, labels, flipped = make_labels(n_samples, n_classes, seed)
    np.save(labels_path, labels)
    out = np.lib.format.open_memmap(
        path, mode="w+", dtype=np.float32, shape=(n_samples, n_classes)
    )
    rng = np.random.default_rng(seed + 1)
    for start in range(0, n_samples, block):
        stop = min(start + block, n_samples)
        out[start:stop] = make_pred_probs(y_true[start:stop], n_classes, rng)
    out.flush()
    del out
    return int(flipped.sum())


def memmap_child(path, labels_path, batch_size, methods, repeats, with_cleanlab):
    """Runs in a fresh process: measure, then check; print one JSON line."""
    labels = np.load(labels_path)
    pred_probs = np.load(path, mmap_mode="r")
    method = "prune_by_noise_rate"

    def call(method=method):
        return find_label_issues(
            labels, pred_probs, method=method, batch_size=batch_size
        )

    result = {
        "nbytes": int(pred_probs.nbytes),
        "batch_size": batch_size,
        "repeats": repeats,
    }
    # memory first, in the fresh process: nothing allocated before is reused
    gc.collect()
    peak_rss = PeakRSS()
    with AnonSampler() as sampler:
        mask = call()
    result["rss_growth"], result["rss_source"] = peak_rss.growth()
    result["anon_growth"] = sampler.growth
    result["traced_peak"] = traced_peak(call)
    runs = [timed(call)[:2] for _ in range(repeats)]
    result["wall"], result["cpu"] = (
        statistics.median(values) for values in zip(*runs, strict=True)
    )
    result["flagged"] = int(mask.sum())

    # the same flags as in memory (the whole array, 400 MB: fine to load)
    in_memory = np.load(path)
    same = {}
    for other in methods:
        streamed = (
            mask
            if other == method
            else find_label_issues(
                labels, pred_probs, method=other, batch_size=batch_size
            )
        )
        same[other] = bool(
            np.array_equal(streamed, find_label_issues(labels, in_memory, method=other))
        )
    result["same_in_memory"] = same
    if with_cleanlab:
        from cleanlab.filter import find_label_issues as cleanlab_find

        theirs = cleanlab_find(labels, in_memory, filter_by=method, n_jobs=1)
        result["same_cleanlab"] = bool(np.array_equal(mask, theirs))
    print(json.dumps(result))


def bench_memmap(
    n_samples, n_classes, batch_size, methods, repeats, seed, with_cleanlab
):
    tmp = tempfile.gettempdir()
    stem = os.path.join(tmp, f"sklabels_bench_noise_{os.getpid()}")
    path, labels_path = stem + "_pred_probs.npy", stem + "_labels.npy"
    try:
        start = time.perf_counter()
        n_flipped = write_memmap(path, labels_path, n_samples, n_classes, seed)
        written = time.perf_counter() - start
        command = [
            sys.executable,
            __file__,
            "--memmap-child",
            path,
            labels_path,
            "--batch-size",
            str(batch_size),
            "--repeats",
            str(repeats),
            "--methods",
            *methods,
        ]
        if not with_cleanlab:
            command.append("--no-cleanlab")
        child = subprocess.run(command, capture_output=True, text=True, check=False)
        if child.returncode != 0:
            sys.stderr.write(child.stderr)
            raise RuntimeError("the memmap child process failed")
        result = json.loads(child.stdout.strip().splitlines()[-1])
    finally:
        for file in (path, labels_path):
            if os.path.exists(file):
                os.remove(file)
    result["n_flipped"] = n_flipped
    result["written"] = written
    return result


def print_memmap(n_samples, n_classes, result):
    nbytes = result["nbytes"]
    print(
        f"\n### {n_samples:,} x {n_classes} float32 memmap "
        f"({nbytes / MIB:.0f} MiB file in {tempfile.gettempdir()}), "
        f"batch_size={result['batch_size']:,}, method=prune_by_noise_rate\n"
    )
    print(
        f"{result['n_flipped']:,} labels flipped, {result['flagged']:,} flagged. "
        f"The file was just written ({result['written']:.1f} s), so it is read "
        "from the page cache, not from disk.\n"
    )
    anon = result["anon_growth"]
    anon_text = "n/a" if anon is None else f"{anon / MIB:.0f}"
    print("| measure | value |")
    print("|---|---:|")
    print(f"| wall time, median of {result['repeats']} (s) | {result['wall']:.2f} |")
    print(f"| CPU time, median of {result['repeats']} (s) | {result['cpu']:.2f} |")
    traced = result["traced_peak"] / MIB
    print(f"| peak traced extra memory, tracemalloc (MiB) | {traced:.0f} |")
    print(f"| peak anonymous memory growth, RssAnon (MiB) | {anon_text} |")
    print(
        f"| peak RSS growth ({result['rss_source']}), incl. mapped file pages "
        f"(MiB) | {result['rss_growth'] / MIB:.0f} |"
    )
    same = result["same_in_memory"]
    print(
        "\nSame flags as an in-memory call on the whole array: "
        + ", ".join(f"{m} {'yes' if ok else 'NO'}" for m, ok in same.items())
        + "."
    )
    if "same_cleanlab" in result:
        print(
            "Same flags as cleanlab (in memory, prune_by_noise_rate): "
            f"{'yes' if result['same_cleanlab'] else 'NO'}."
        )
    assert all(same.values()), "memmap and in-memory flags differ"
    assert result.get("same_cleanlab", True), "memmap and cleanlab flags differ"


# --------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply the in-memory row counts"
    )
    parser.add_argument("--no-memmap", action="store_true", help="skip the memmap")
    parser.add_argument("--memmap-rows", type=int, default=10_000_000)
    parser.add_argument("--batch-size", type=int, default=200_000)
    parser.add_argument(
        "--no-cleanlab", action="store_true", help="memmap: skip cleanlab's check"
    )
    parser.add_argument("--memmap-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.memmap_child:
        memmap_child(
            *args.memmap_child,
            args.batch_size,
            args.methods,
            args.repeats,
            not args.no_cleanlab,
        )
        return

    import cleanlab

    print(
        f"sklabels vs cleanlab {cleanlab.__version__} (n_jobs=1), numpy "
        f"{np.__version__}, {os.cpu_count()} CPUs"
    )
    print(f"\nCommand: `.venv/bin/python {shlex.join(sys.argv)}`")
    summary = []
    for n_samples, n_classes in SHAPES:
        n_samples = int(n_samples * args.scale)
        rows, info = bench_shape(
            n_samples, n_classes, args.methods, args.repeats, args.seed
        )
        print_shape(n_samples, n_classes, rows, info, args.repeats)
        summary.extend((n_samples, n_classes, row, info) for row in rows)

    if not args.no_memmap:
        result = bench_memmap(
            args.memmap_rows,
            10,
            args.batch_size,
            args.methods,
            args.repeats,
            args.seed,
            not args.no_cleanlab,
        )
        print_memmap(args.memmap_rows, 10, result)

    print("\n### Targets\n")
    for n_samples, n_classes, row, info in summary:
        if row["method"] != "prune_by_noise_rate":
            continue
        ratio = row["wall"]["ours"] / row["wall"]["theirs"]
        ratio_cpu = row["cpu"]["ours"] / row["cpu"]["theirs"]
        memory = row["peak_ours"] / info["nbytes"]
        print(
            f"- {n_samples:,} x {n_classes}, prune_by_noise_rate: time ratio "
            f"{ratio:.2f} wall, {ratio_cpu:.2f} CPU (target <= 0.2: "
            f"{'met' if max(ratio, ratio_cpu) <= 0.2 else 'NOT met'}); "
            f"{row['passes']['ours']:.1f} argmax passes (aim < 10); peak extra "
            f"memory {memory:.2f} x pred_probs (target < 2: "
            f"{'met' if memory < 2 else 'NOT met'})"
        )
    if not args.no_memmap:
        extra = max(result["traced_peak"], result["anon_growth"] or 0)
        print(
            f"- {args.memmap_rows:,} x 10 float32 memmap: peak extra memory "
            f"{extra / MIB:.0f} MiB (tracemalloc / RssAnon; target < 1 GB: "
            f"{'met' if extra < 2**30 else 'NOT met'}); peak RSS growth "
            f"including the mapped file {result['rss_growth'] / MIB:.0f} MiB"
        )


if __name__ == "__main__":
    main()
