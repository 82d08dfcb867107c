"""Find label issues with confident learning.

:func:`find_label_issues` flags the examples whose given label looks wrong,
from the given labels and out-of-sample predicted probabilities. It flags
exactly the examples that cleanlab's ``filter.find_label_issues`` flags for
the same input and method, but never sorts a class's examples: it selects
them with counts.

How the selection works (``prune_by_noise_rate``): for every class ``k`` and
every other class ``j``, cleanlab flags the ``m[k, j]`` examples labelled
``k`` with the largest margin ``p[j] - p[k]``, by sorting them. Here:

1. Evenly spaced rows (sampled during the counting pass) give, for each
   pair, a margin very likely below the ``m[k, j]``-th largest one; where
   the sample is too coarse, the margins of the examples predicted as ``j``
   give a second, always valid, bound.
2. One streamed pass keeps the margins above these bounds as candidates
   (a few per flagged example), each put in a coarse per-pair bucket of
   its bit pattern; the buffer is compressed if it grows past a bound, so
   memory stays proportional to the number of issues.
3. One histogram of the buckets tells each pair's cut-off bucket: what lies
   above is flagged, and a vectorised radix selection on the cut-off bucket
   finds the exact ``m[k, j]``-th largest margin and how many margins tie
   with it.
4. A pair whose bound was too high, or whose cut-off falls inside a run of
   tied margins, is redone on the class's full column; on a tie, with
   numpy's default argsort of the same values in the same order, the very
   call cleanlab makes, so that ties break the same way.
"""

from functools import partial
from itertools import islice
from numbers import Integral, Real

import numpy as np
from joblib import effective_n_jobs
from sklearn.utils.parallel import Parallel, delayed

from sklabels.noise._count import (
    _compute_stats,
    _joint_from_stats,
    _map_chunks,
    _row_dtype,
)
from sklabels.noise._rank import _SCORERS, _score_rows
from sklabels.utils._compat import Interval, StrOptions, validate_params
from sklabels.utils._progress import warn_once

__all__ = ["find_label_issues"]

# An example is never flagged if the probability of its given label plus
# this slack is the top one (cleanlab's ``count._reduce_issues``).
_EPS = 1e-6
# Bound on the rank in the sample: r + _SAFETY_SD * sqrt(r) + _SAFETY_ADD
# for an expected rank r, so that the bound is rarely above the cut-off.
_SAFETY_SD = 3.0
_SAFETY_ADD = 3.0
# Below this expected rank in the sample, also bound with the predicted rows.
_COARSE_SAMPLE = 64
# Cells of the per-round histogram of the radix selection.
_TABLE_SIZE = 2**20
# Entries handled at once when resolving the candidates (bounds temporaries).
_RESOLVE_BLOCK = 2**18
# The candidate buffer is compressed when it exceeds this many entries
# beyond twice the number of examples to select.
_BUFFER_SLACK = 2**20


# --------------------------------------------------------------------------
# Order-preserving integer keys of floats
# --------------------------------------------------------------------------


def _uint_type(dtype):
    return np.uint64 if np.dtype(dtype).itemsize == 8 else np.uint32


def _float_keys(values):
    """Unsigned integers ordered as ``values`` (``-0.0`` counts as ``0.0``).

    Positive floats keep their bits with the sign bit set; negative ones have
    all their bits flipped.
    """
    values = values + values.dtype.type(0)  # -0.0 + 0.0 is +0.0
    n_bits = 8 * values.itemsize
    signed = values.view(np.int64 if n_bits == 64 else np.int32)
    flip = (signed >> (n_bits - 1)) | signed.dtype.type(np.iinfo(signed.dtype).min)
    return (signed ^ flip).view(_uint_type(values.dtype))


def _keys_to_float(keys, dtype):
    """Inverse of :func:`_float_keys`."""
    utype = keys.dtype.type
    sign = utype(1) << utype(8 * keys.itemsize - 1)
    return np.where(keys & sign, keys ^ sign, ~keys).view(dtype)


def _kth_largest(group, keys, kth, n_groups):
    """Exact per-group selection on integer keys (a vectorised radix select).

    Parameters
    ----------
    group : ndarray of shape (n_entries,), int
    keys : ndarray of shape (n_entries,), uint32 or uint64
    kth : ndarray of shape (n_groups,), int
        Rank to find in each group, 1 being the largest.
    n_groups : int

    Returns
    -------
    threshold : ndarray of shape (n_groups,)
        The ``kth``-largest key of each group (0 where undefined).
    n_at_least : ndarray of shape (n_groups,)
        Number of keys at least the threshold (more than ``kth`` on a tie).
    defined : ndarray of shape (n_groups,), dtype=bool
        Groups with ``1 <= kth <= size``.

    Each round buckets the remaining keys of every group by their leading
    bits within the group's range, keeps the bucket holding the wanted rank
    and counts the keys above it, until the keys left in a group are equal.
    """
    size = np.bincount(group, minlength=n_groups)
    defined = (kth >= 1) & (size >= kth)
    threshold = np.zeros(n_groups, dtype=keys.dtype)
    n_at_least = np.zeros(n_groups, dtype=np.int64)
    need = np.where(defined, kth, 0).astype(np.int64)
    above = np.zeros(n_groups, dtype=np.int64)
    live = defined[group]
    g, k = group[live], keys[live]
    while g.size:
        count = np.bincount(g, minlength=n_groups)
        present = np.flatnonzero(count)
        low = np.full(n_groups, np.iinfo(keys.dtype).max, dtype=keys.dtype)
        np.minimum.at(low, g, k)
        high = np.zeros(n_groups, dtype=keys.dtype)
        np.maximum.at(high, g, k)
        span = high[present] - low[present]
        flat = span == 0
        if flat.any():  # every key left in the group is the threshold
            done = present[flat]
            threshold[done] = low[done]
            n_at_least[done] = above[done] + count[done]
            still = np.ones(n_groups, dtype=bool)
            still[done] = False
            keep = still[g]
            g, k = g[keep], k[keep]
            present, span = present[~flat], span[~flat]
            if not g.size:
                break
        n_live = present.size
        # about as many buckets as keys, within a cache-sized table
        per_group = min(_TABLE_SIZE, g.size) / n_live
        bits = int(np.clip(np.floor(np.log2(max(per_group, 4.0))), 2, 10))
        n_buckets = 1 << bits
        # frexp gives the bit length of span, or one more after rounding: the
        # buckets then use fewer bits, never more (and two keys always differ
        # in bucket, since bits >= 2)
        shift = np.zeros(n_groups, dtype=keys.dtype)
        shift[present] = np.maximum(np.frexp(span.astype(np.float64))[1] - bits, 0)
        offset = np.zeros(n_groups, dtype=np.intp)
        offset[present] = np.arange(n_live) * n_buckets
        bucket = ((k - low[g]) >> shift[g]).astype(np.intp)
        hist = np.bincount(offset[g] + bucket, minlength=n_live * n_buckets)
        hist = hist.reshape(n_live, n_buckets)
        # at_least[:, b]: keys in buckets >= b (non-increasing in b)
        at_least = count[present][:, None] - np.cumsum(hist, axis=1) + hist
        rows = np.arange(n_live)
        chosen_live = np.count_nonzero(at_least >= need[present][:, None], axis=1) - 1
        skipped = at_least[rows, chosen_live] - hist[rows, chosen_live]
        above[present] += skipped
        need[present] -= skipped
        chosen = np.zeros(n_groups, dtype=np.intp)
        chosen[present] = chosen_live
        keep = bucket == chosen[g]
        g, k = g[keep], k[keep]
    return threshold, n_at_least, defined


# --------------------------------------------------------------------------
# Counts to remove, and the rows never flagged
# --------------------------------------------------------------------------


def _removal_counts(joint, min_examples_per_class, frac_noise):
    """How many examples to remove per (given, true) pair.

    Follows cleanlab's ``_keep_at_least_n_per_class`` and
    ``_reduce_prune_counts`` on the transposed confident joint, with their
    arithmetic (and memory layout, so the floats agree). Returns the matrix
    with rows as given labels: entry ``[k, j]`` (``j != k``) is the number of
    examples labelled ``k`` to flag towards ``j``; ``[k, k]`` is the number
    of examples of class ``k`` to keep.
    """
    by_true = joint.T  # rows true label, columns given label
    diagonal = np.diagonal(by_true)
    raised = np.maximum(diagonal, min_examples_per_class)
    added = raised - diagonal
    # cleanlab counts the nonzero cells of the column minus one (for the
    # diagonal, even when the diagonal is zero)
    n_noise_cells = np.maximum(np.count_nonzero(by_true, axis=0) - 1.0, 1.0)
    spread = by_true - added / n_noise_cells
    spread[spread < 0] = 0
    np.fill_diagonal(spread, raised)
    scaled = spread * frac_noise
    np.fill_diagonal(scaled, spread.diagonal())
    np.fill_diagonal(scaled, spread.diagonal() + np.sum(spread - scaled, axis=0))
    return scaled.astype(int).T  # truncated, as cleanlab does


def _near_top(stats):
    """Rows whose given label is within 1e-6 of the top prediction.

    Equals ``argmax(p + 1e-6 * onehot(label)) == label``, computed from the
    row maximum and argmax only.
    """
    labels = stats.labels
    raised = stats.self_confidence + _EPS  # in the dtype of pred_probs
    argmax = stats.argmax
    return (
        (argmax == labels)
        | (raised > stats.top)
        | ((raised == stats.top) & (labels < argmax))
    )


def _blocked_classes(counts, min_examples_per_class):
    """Classes present but never pruned, for their small size.

    cleanlab skips classes with at most min_examples_per_class examples, and
    never writes back the mask of a class with a single example.
    """
    return (counts > 0) & (counts <= max(min_examples_per_class, 1))


def _prunable_classes(stats, min_examples_per_class, *, warn=True):
    """Classes whose examples may be flagged (and a warning for the others)."""
    counts = stats.counts
    blocked = _blocked_classes(counts, min_examples_per_class)
    if warn and blocked.any():
        warn_once(
            f"Classes {np.flatnonzero(blocked).tolist()} have at most "
            f"max(min_examples_per_class, 1) = {max(min_examples_per_class, 1)} "
            "examples: none of their examples is flagged. Lower "
            "min_examples_per_class to prune classes with more than one example.",
            UserWarning,
            stacklevel=5,  # the caller of find_label_issues' wrapper
        )
    return counts > max(min_examples_per_class, 1)


def _map_classes(func, classes, n_jobs):
    if n_jobs is None or n_jobs == 1:
        return [func(k) for k in classes]
    return Parallel(n_jobs=n_jobs, prefer="threads")(delayed(func)(k) for k in classes)


# --------------------------------------------------------------------------
# prune_by_class
# --------------------------------------------------------------------------


def _lowest(values, n_select):
    """Positions of the ``n_select`` smallest values, ties as ``np.argsort``."""
    if n_select >= values.size:
        return np.arange(values.size)
    cut = np.partition(values, n_select - 1)[n_select - 1]
    at_most = values <= cut
    if np.count_nonzero(at_most) == n_select:
        return np.flatnonzero(at_most)
    return np.argsort(values)[:n_select]  # a tie at the cut: cleanlab's order


def _prune_by_class(stats, removals, prunable, n_jobs):
    """Flag the examples of each class least confidently in it."""
    n_remove = stats.counts - np.diagonal(removals)
    classes = np.flatnonzero(prunable & (n_remove >= 1))

    def flag(k):
        rows = stats.class_rows(k)
        return rows[_lowest(stats.self_confidence[rows], int(n_remove[k]))]

    mask = np.zeros(stats.labels.size, dtype=bool)
    for rows in _map_classes(flag, classes, n_jobs):
        mask[rows] = True
    return mask


# --------------------------------------------------------------------------
# prune_by_noise_rate
# --------------------------------------------------------------------------


def _lower_bounds(stats, n_select, selecting):
    """Per-pair margins (very likely) at most the ``n_select``-th largest one.

    Two bounds, the larger one is used:

    - from the strided sample of rows: for a pair ``(k, j)`` with ``n_k``
      examples of which ``s_k`` are sampled, about ``r = n_select * s_k /
      n_k`` sampled margins reach the cut-off; the bound is the sampled
      margin of rank ``r + 3 sqrt(r) + 3`` (-inf when the sample is too
      small). It may exceed the cut-off: that is detected later and the pair
      redone exactly.
    - for pairs where ``r`` is small (a coarse sample): the ``n_select``-th
      largest margin among the examples of ``k`` predicted as ``j``, whose
      margin is the row's top probability minus its self-confidence. These
      are some of the pair's margins, so this bound is always valid.
    """
    n_classes = stats.n_classes
    bounds = np.full((n_classes, n_classes), -np.inf, dtype=stats.dtype)
    rows, margins = stats.sample
    sample_labels = stats.labels[rows]
    in_sample = np.bincount(sample_labels, minlength=n_classes)
    expected = n_select * (in_sample / np.maximum(stats.counts, 1))[:, None]
    rank = np.floor(expected + _SAFETY_SD * np.sqrt(expected) + _SAFETY_ADD) + 1
    rank = np.maximum(rank, 1)
    # position of that rank in ascending order, where the sample allows it
    position = in_sample[:, None] - rank.astype(np.int64)
    usable = selecting & (position >= 0)
    by_class = np.argsort(sample_labels.astype(np.int32), kind="stable")
    starts = np.concatenate(([0], np.cumsum(in_sample)))
    for k in np.flatnonzero(usable.any(axis=1)):
        columns = np.flatnonzero(usable[k])
        block = margins[by_class[starts[k] : starts[k + 1]]][:, columns]
        at = position[k, columns]
        block = np.partition(block.T, np.unique(at), axis=1)
        bounds[k, columns] = block[np.arange(columns.size), at]

    coarse = (selecting & (expected < _COARSE_SAMPLE)).ravel()
    if coarse.any():
        pair = stats.labels * n_classes + stats.argmax
        rows = np.flatnonzero(coarse[pair])
        if rows.size:
            keys = _float_keys(stats.top[rows] - stats.self_confidence[rows])
            wanted = np.where(coarse, n_select.ravel(), 0)
            threshold, _, defined = _kth_largest(pair[rows], keys, wanted, wanted.size)
            values = _keys_to_float(threshold, stats.dtype)
            flat = bounds.ravel()
            flat[defined] = np.maximum(flat[defined], values[defined])
    return bounds


def _concatenate(parts):
    """Concatenate arrays, releasing each part once copied (peak ~1x, not 2x)."""
    out = np.empty(sum(part.size for part in parts), dtype=parts[0].dtype)
    position = 0
    for i, part in enumerate(parts):
        out[position : position + part.size] = part
        position += part.size
        parts[i] = None
    return out


class _Buckets:
    """Coarse per-pair buckets of margin keys, assigned while streaming.

    Pair ``p`` covers keys from ``low[p]`` (its lower bound) to the key of
    1.0 in ``2**bits`` buckets (keys above go to the top one: bucketing
    stays monotonic). An entry is stored as the cell ``p * 2**bits +
    bucket``, so that one histogram of the cells, after the pass, tells for
    each pair the bucket holding its cut-off: what lies above is selected,
    only that bucket needs an exact selection.
    """

    def __init__(self, cut, n_pairs, table_size=_TABLE_SIZE):
        utype = _uint_type(cut.dtype)
        self.bits = int(np.clip(np.log2(max(table_size / n_pairs, 4)), 2, 12))
        self.low = _float_keys(cut.ravel())
        high = _float_keys(np.ones(1, dtype=cut.dtype))[0]
        span = np.where(self.low < high, high - self.low, 0).astype(np.float64)
        self.shift = np.maximum(np.frexp(span)[1] - self.bits, 0).astype(utype)
        self.cell_dtype = _row_dtype(n_pairs << self.bits)

    def cells(self, pair, keys):
        bucket = np.minimum(
            (keys - self.low[pair]) >> self.shift[pair], (1 << self.bits) - 1
        )
        return (pair.astype(self.cell_dtype) << self.bits) | bucket.astype(
            self.cell_dtype
        )

    def pairs(self, cells):
        return cells >> self.bits


def _candidates(stats, start, stop, chunk, *, cut, row_floor, buckets):
    """Entries ``(row, cell, key)`` of one chunk with margin at least ``cut``."""
    labels = stats.labels[start:stop]
    n_classes = stats.n_classes
    # largest margin of each row (rounding is monotonic, so this is exact)
    gap = stats.top[start:stop] - stats.self_confidence[start:stop]
    keep = gap >= row_floor[labels]
    n_keep = np.count_nonzero(keep)
    if n_keep == 0:
        return None
    self_conf = stats.self_confidence[start:stop]
    local = None
    if n_keep < 0.5 * labels.size:
        local = np.flatnonzero(keep)
        chunk, labels, self_conf = chunk[local], labels[local], self_conf[local]
    margins = chunk - self_conf[:, None]
    flat = np.flatnonzero(margins >= np.take(cut, labels, axis=0))
    r, j = np.divmod(flat, n_classes)
    rows = r if local is None else local[r]
    keys = _float_keys(margins.ravel()[flat])
    return (
        (start + rows).astype(_row_dtype(stats.labels.size)),
        buckets.cells(labels[r] * n_classes + j, keys),
        keys,
    )


class _CandidateBuffer:
    """Candidate margins of every pair, compressed when it grows too large.

    Holds the margins at least ``cut[k, j]`` seen so far. Compressing sets
    ``cut`` to each pair's exact ``n_select``-th largest margin among them
    (a valid lower bound for the final cut-off) and drops what lies below.
    When more margins tie at that value than places remain, the tied ones
    are dropped too and the cut becomes strict: the pair is then resolved
    by the fallback unless larger margins fill its places later.
    """

    def __init__(self, cut, n_select, buckets, capacity):
        self.cut = cut
        self.n_select = n_select.ravel()
        self.buckets = buckets
        self.capacity = capacity
        self.parts = []
        self.size = 0

    def add(self, part):
        if part is not None:
            self.parts.append(part)
            self.size += part[0].size

    def compress_if_full(self):
        if self.size > self.capacity:
            self.compress()

    def arrays(self):
        if not self.parts:
            return (
                np.zeros(0, dtype=np.intp),
                np.zeros(0, dtype=self.buckets.cell_dtype),
                np.zeros(0, dtype=_uint_type(self.cut.dtype)),
            )
        if len(self.parts) > 1:
            columns = [list(column) for column in zip(*self.parts, strict=True)]
            self.parts = []
            self.parts = [tuple(_concatenate(column) for column in columns)]
        return self.parts[0]

    def compress(self):
        rows, cells, keys = self.arrays()
        pair = self.buckets.pairs(cells)
        threshold, n_at_least, defined = _kth_largest(
            pair, keys, self.n_select, self.n_select.size
        )
        tie = defined & (n_at_least > self.n_select)
        floor = threshold + tie.astype(threshold.dtype)  # strict: one key up
        keep = ~defined[pair] | (keys >= floor[pair])
        self.parts = [(rows[keep], cells[keep], keys[keep])]
        self.size = int(np.count_nonzero(keep))
        # many tied margins may survive: do not compress again right away
        self.capacity = max(self.capacity, 2 * self.size)
        raised = defined.reshape(self.cut.shape)
        new_cut = _keys_to_float(floor, self.cut.dtype).reshape(self.cut.shape)
        self.cut[raised] = new_cut[raised]

    def resolve(self, mask):
        """Flag each pair's top entries in ``mask``; return the pairs resolved.

        A pair is resolved when it has enough candidates and no tie at its
        cut-off; the others need the fallback. Entries in buckets above a
        pair's cut-off bucket are flagged whatever happens, since they are
        larger than every value that may tie at the cut-off.
        """
        rows, cells, keys = self.arrays()
        n_pairs = self.n_select.size
        bits = self.buckets.bits
        hist = np.bincount(cells, minlength=n_pairs << bits).reshape(n_pairs, -1)
        total = hist.sum(axis=1)
        # at_least[:, b]: entries in buckets >= b
        at_least = total[:, None] - np.cumsum(hist, axis=1) + hist
        enough = (self.n_select >= 1) & (total >= self.n_select)
        chosen = np.count_nonzero(at_least >= self.n_select[:, None], axis=1) - 1
        chosen = np.maximum(chosen, 0)
        pair_rows = np.arange(n_pairs)
        above = at_least[pair_rows, chosen] - hist[pair_rows, chosen]
        # the cell of each pair's cut-off; past the pair's last cell when the
        # pair lacks candidates, so that nothing of it is flagged here
        boundary = np.where(
            enough, (pair_rows << bits) + chosen, (pair_rows + 1) << bits
        ).astype(cells.dtype)
        band = []
        for start in range(0, cells.size, _RESOLVE_BLOCK):
            block = cells[start : start + _RESOLVE_BLOCK]
            cut_cell = boundary[self.buckets.pairs(block)]
            mask[rows[start : start + block.size][block > cut_cell]] = True
            band.append(start + np.flatnonzero(block == cut_cell))
        band = np.concatenate(band) if band else np.zeros(0, dtype=np.intp)
        band_pair = self.buckets.pairs(cells[band])
        threshold, n_at_least, _ = _kth_largest(
            band_pair, keys[band], np.where(enough, self.n_select - above, 0), n_pairs
        )
        resolved = enough & (above + n_at_least == self.n_select)
        in_band = resolved[band_pair] & (keys[band] >= threshold[band_pair])
        mask[rows[band[in_band]]] = True
        return resolved


def _pair_columns(stats, k, columns):
    """Margins ``p[j] - p[k]`` of the rows labelled ``k`` for each ``j`` given.

    Rows are read in index order in chunks, so memory is that of the result.
    """
    rows = stats.class_rows(k)
    out = np.empty((rows.size, len(columns)), dtype=stats.dtype)
    step = stats.chunk_rows
    for s in range(0, rows.size, step):
        piece = rows[s : s + step]
        block = np.asarray(stats.pred_probs[piece]).astype(stats.dtype, copy=False)
        out[s : s + step] = block[:, columns] - stats.self_confidence[piece][:, None]
    return rows, out


def _highest(values, n_select):
    """Positions of the ``n_select`` largest values, ties as cleanlab's argsort.

    cleanlab takes ``np.argsort(-values)[:n_select]``; without a tie at the
    cut-off any exact selection gives the same set.
    """
    if n_select >= values.size:
        return np.arange(values.size)
    cut = np.partition(values, values.size - n_select)[values.size - n_select]
    at_least = values >= cut
    if np.count_nonzero(at_least) == n_select:
        return np.flatnonzero(at_least)
    return np.argsort(-values)[:n_select]


def _exact_pairs(stats, k, columns, n_select):
    """Rows flagged for pairs ``(k, j)`` from the full columns of margins."""
    rows, margins = _pair_columns(stats, k, columns)
    flagged = [
        rows[_highest(np.ascontiguousarray(margins[:, i]), n_select[i])]
        for i in range(len(columns))
    ]
    return np.concatenate(flagged)


def _prune_by_noise_rate(stats, removals, prunable, n_jobs):
    """Flag, for each pair (k, j), the examples of k with largest p[j] - p[k]."""
    n_classes = stats.n_classes
    counts = stats.counts
    n_select = np.where(np.eye(n_classes, dtype=bool), 0, removals)
    n_select[~prunable] = 0
    everything = (n_select > 0) & (n_select >= counts[:, None])
    selecting = (n_select > 0) & ~everything

    mask = np.zeros(stats.labels.size, dtype=bool)
    for k in np.flatnonzero(everything.any(axis=1)):
        mask[stats.class_rows(k)] = True
    if not selecting.any():
        return mask

    cut = np.where(selecting, _lower_bounds(stats, n_select, selecting), np.inf)
    cut = cut.astype(stats.dtype)
    # About as many cells as expected candidates: a larger table only costs
    # time in ``resolve`` (small inputs), a smaller one a wider exact band.
    expected = 4 * int(n_select[selecting].sum())
    buckets = _Buckets(cut, n_classes * n_classes, min(_TABLE_SIZE, expected))
    buffer = _CandidateBuffer(
        cut,
        np.where(selecting, n_select, 0),
        buckets,
        capacity=2 * int(n_select[selecting].sum()) + _BUFFER_SLACK,
    )
    # Chunks go in waves (one chunk without threads); the buffer is only
    # compressed between waves, so that every chunk of a wave is read with
    # the same cuts and a compressed pair's cut holds for all later entries.
    wave = 1 if n_jobs is None or n_jobs == 1 else 4 * effective_n_jobs(n_jobs)
    chunks = stats.chunks()
    while batch := list(islice(chunks, wave)):
        find = partial(
            _candidates,
            stats,
            cut=buffer.cut,
            row_floor=buffer.cut.min(axis=1),
            buckets=buckets,
        )
        for part in _map_chunks(find, batch, n_jobs):
            buffer.add(part)
        buffer.compress_if_full()
    resolved = buffer.resolve(mask)

    # pairs whose bound was too high or whose cut-off falls in a tie
    redo = selecting & ~resolved.reshape(n_classes, n_classes)
    classes = np.flatnonzero(redo.any(axis=1))
    for flagged in _map_classes(
        lambda k: _exact_pairs(stats, k, np.flatnonzero(redo[k]), n_select[k][redo[k]]),
        classes,
        n_jobs,
    ):
        mask[flagged] = True
    return mask


def _both(stats, removals, prunable, n_jobs):
    """Flagged by both prune_by_noise_rate and prune_by_class."""
    return _prune_by_class(stats, removals, prunable, n_jobs) & _prune_by_noise_rate(
        stats, removals, prunable, n_jobs
    )


def _off_diagonal(stats):
    """Examples counted off the diagonal of the confident joint."""
    mask = np.zeros(stats.labels.size, dtype=bool)
    mask[stats.off_diagonal] = True
    return mask


def _predicted_neq_given(stats):
    """Examples whose predicted class is not their given label."""
    return stats.argmax != stats.labels


# methods that select among the examples with the counts to remove
_PRUNERS = {
    "prune_by_noise_rate": _prune_by_noise_rate,
    "prune_by_class": _prune_by_class,
    "both": _both,
}
# methods that flag examples directly
_FLAGGERS = {
    "confident_learning": _off_diagonal,
    "predicted_neq_given": _predicted_neq_given,
}
# methods that flag the examples of lowest score, as many as
# :func:`_n_off_diagonal_issues` counts (cleanlab's ``num_label_issues``)
_LOW_SCORE = {
    "low_self_confidence": "self_confidence",
    "low_normalized_margin": "normalized_margin",
}
# every method, in the order of the docs (imported by the estimators)
_METHODS = (*_PRUNERS, *_FLAGGERS, *_LOW_SCORE)


def _n_off_diagonal_issues(stats):
    """Rows counted off the diagonal of the uncalibrated confident joint and
    not near their given label: cleanlab's ``count.num_label_issues`` with
    ``estimation_method="off_diagonal"``.

    ``stats`` must have been computed with ``want_off=True``.
    """
    off = stats.off_diagonal
    return int(off.size - np.count_nonzero(_near_top(stats)[off]))


def _row_scores(stats, score):
    """The label quality score ``score`` of every row (streamed if need be)."""
    if score == "self_confidence":
        return stats.self_confidence
    if not stats.streamed:
        return _score_rows(stats.labels, stats.pred_probs, score)
    scores = None
    for start, stop, chunk in stats.chunks():
        part = _score_rows(stats.labels[start:stop], chunk, score)
        if scores is None:
            scores = np.empty(stats.labels.size, dtype=part.dtype)
        scores[start:stop] = part
    return scores


def _lowest_scores(stats, score):
    """The ``num_label_issues`` rows of lowest score, ties as cleanlab's
    ``np.argsort(scores)[:num_issues]``."""
    n_issues = _n_off_diagonal_issues(stats)
    mask = np.zeros(stats.labels.size, dtype=bool)
    if n_issues:
        mask[_lowest(_row_scores(stats, score), n_issues)] = True
    return mask


def _pass_options(method):
    """What the counting pass must keep for ``method``."""
    return {
        "want_off": method == "confident_learning" or method in _LOW_SCORE,
        "sample": method in ("prune_by_noise_rate", "both"),
    }


def _issue_mask(
    stats, method, frac_noise, min_examples_per_class, n_jobs, *, warn=True
):
    """The mask of ``method`` from the statistics of a counting pass.

    The kernel behind :func:`find_label_issues` (trusts its input; the pass
    must have kept what :func:`_pass_options` asks for). ``warn=False``
    silences the warning about classes too small to prune (callers that
    report them their own way use :func:`_blocked_classes`).
    """
    if method in _PRUNERS:
        removals = _removal_counts(
            _joint_from_stats(stats), min_examples_per_class, frac_noise
        )
        prunable = _prunable_classes(stats, min_examples_per_class, warn=warn)
        mask = _PRUNERS[method](stats, removals, prunable, n_jobs)
    elif method in _FLAGGERS:
        mask = _FLAGGERS[method](stats)
    else:
        # the number of issues already leaves out the rows near the top
        return _lowest_scores(stats, _LOW_SCORE[method])
    mask &= ~_near_top(stats)
    return mask


def _ranked(stats, mask, rank_by):
    """Flagged rows sorted by quality score, ties as numpy's default argsort.

    In memory, the scores are computed on the whole array, as cleanlab does
    (row sums then run in the same order, whatever the memory layout);
    streamed, on the flagged rows, chunk by chunk.
    """
    flagged = np.flatnonzero(mask)
    if not stats.streamed:
        scores = _score_rows(stats.labels, stats.pred_probs, rank_by)[flagged]
        return flagged[np.argsort(scores)]
    scores = None
    step = stats.chunk_rows
    for s in range(0, flagged.size, step):
        piece = flagged[s : s + step]
        block = np.asarray(stats.pred_probs[piece]).astype(stats.dtype, copy=False)
        part = _score_rows(stats.labels[piece], block, rank_by)
        if scores is None:
            scores = np.empty(flagged.size, dtype=part.dtype)
        scores[s : s + step] = part
    if scores is None:
        return flagged
    return flagged[np.argsort(scores)]


@validate_params(
    {
        "labels": ["array-like"],
        "pred_probs": ["array-like"],
        "method": [StrOptions(set(_METHODS))],
        "frac_noise": [Interval(Real, 0, 1, closed="both")],
        "min_examples_per_class": [Interval(Integral, 0, None, closed="left")],
        "return_indices_ranked_by": [StrOptions(set(_SCORERS)), None],
        "n_jobs": [Integral, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
    },
    prefer_skip_nested_validation=True,
)
def find_label_issues(
    labels,
    pred_probs,
    method="prune_by_noise_rate",
    frac_noise=1.0,
    min_examples_per_class=1,
    return_indices_ranked_by=None,
    n_jobs=None,
    batch_size=None,
):
    """Flag the examples whose given label is likely wrong (confident learning).

    From the given labels and out-of-sample predicted probabilities, estimate
    how many examples of each class are mislabelled as each other class
    (the confident joint), then flag that many examples, the least
    plausible ones first. For the same input and method the flagged examples
    are exactly those of cleanlab's ``filter.find_label_issues(labels,
    pred_probs, filter_by=method)``, found without sorting each class.

    Read more in the :ref:`User Guide <noise>`.

    Parameters
    ----------
    labels : array-like of shape (n_samples,)
        Given, possibly noisy, labels as integer class indices
        ``0..n_classes-1`` (column ``k`` of ``pred_probs`` is class ``k``).

    pred_probs : array-like of shape (n_samples, n_classes)
        Out-of-sample predicted class probabilities (e.g. from
        ``cross_val_predict(..., method="predict_proba")``): non-negative,
        rows summing to 1 (within
        1e-6; 1e-4 for float32 and 4e-3 for float16 arrays, as close as
        their rounding allows; float16 is computed in float64). float32
        arrays are compared in float32, as cleanlab does. An ``np.memmap``
        works, best with ``batch_size``.

    method : {"prune_by_noise_rate", "prune_by_class", "both", \
            "confident_learning", "predicted_neq_given", \
            "low_self_confidence", "low_normalized_margin"}, \
            default="prune_by_noise_rate"
        Which examples to flag (see Notes):

        - ``"prune_by_noise_rate"``: for each pair of given class ``k`` and
          other class ``j``, the examples of ``k`` with the largest margin
          ``p[j] - p[k]``, as many as the estimated number of ``k``-labelled
          examples that truly belong to ``j``.
        - ``"prune_by_class"``: for each class, the examples with the lowest
          ``p[label]``, as many as the estimated number of mislabelled
          examples in the class.
        - ``"both"``: flagged by both of the above.
        - ``"confident_learning"``: the examples counted off the diagonal of
          the confident joint.
        - ``"predicted_neq_given"``: the examples whose predicted class
          (argmax) differs from the given label.
        - ``"low_self_confidence"``, ``"low_normalized_margin"``: the
          examples with the lowest score (:func:`label_quality_scores`), as
          many as :func:`num_label_issues` estimates.

    frac_noise : float in [0, 1], default=1.0
        Flag only about this fraction of the estimated issues of each pair
        (the most severe ones). Used by the three pruning methods only.

    min_examples_per_class : int, default=1
        Examples of a class are not flagged if the class has at most this
        many; and the pruning keeps at least this many examples per class.
        Used by the three pruning methods only.

    return_indices_ranked_by : {"self_confidence", "normalized_margin", \
            "confidence_weighted_entropy"}, default=None
        None returns a boolean mask. Otherwise return the indices of the
        flagged examples sorted by this label quality score
        (:func:`label_quality_scores`), most likely mislabelled first.

    n_jobs : int, default=None
        Number of threads for the passes over ``pred_probs`` and the
        per-class work. None means 1; -1 means all processors. The result
        does not depend on it.

    batch_size : int, default=None
        Read ``pred_probs`` in chunks of this many rows, validating each
        chunk, so that a memmap larger than memory can be used: extra memory
        is a few arrays of ``n_samples`` entries, the candidates (a few per
        flagged example) and one chunk. None validates the whole array at
        once and reads it in cache-sized chunks. The result does not depend
        on it.

    Returns
    -------
    label_issues : ndarray of shape (n_samples,), dtype=bool, or ndarray of \
            shape (n_issues,), dtype=int
        A boolean mask, True for the flagged examples; or, with
        ``return_indices_ranked_by``, the indices of the flagged examples,
        lowest score first.

    See Also
    --------
    confident_joint : The counts the pruning methods start from.
    label_quality_scores : Scores that rank the examples.
    num_label_issues : The estimated number of label issues.

    Notes
    -----
    Confident learning [1]_ assumes class-conditional noise: an example of
    true class ``j`` is given label ``k`` with a probability that depends on
    ``j`` and ``k`` only. It counts each example into the confident joint
    ``C[given, true]`` (see :func:`confident_joint`), calibrated so that row
    ``k`` sums to the number of examples labelled ``k``; ``C[k, j]`` for
    ``j != k`` then estimates how many examples labelled ``k`` belong to
    ``j``. The methods differ in which examples they flag:

    - ``"prune_by_noise_rate"`` (the paper's "Prune by Noise Rate"): for
      each off-diagonal cell ``(k, j)``, the ``C[k, j]`` examples labelled
      ``k`` with the largest margin ``p[j] - p[k]``: the examples most
      likely to be ``j`` rather than ``k``. The default, and cleanlab's.
    - ``"prune_by_class"`` ("Prune by Class"): for each class ``k``, the
      ``n_k - C[k, k]`` examples labelled ``k`` with the lowest ``p[k]``,
      whatever the class they seem to belong to.
    - ``"both"`` ("C+NR"): the intersection of the two; the most
      conservative pruning.
    - ``"confident_learning"`` (``C_{y~, y*}``): the examples counted off
      the diagonal of the (uncalibrated) confident joint, i.e. confidently
      predicted as another class; no ranking, so ``frac_noise`` does not
      apply.
    - ``"predicted_neq_given"``: the argmax baseline (``C_confusion``), every
      example whose predicted class is not its given label.
    - ``"low_self_confidence"`` / ``"low_normalized_margin"``: the
      :func:`num_label_issues` examples (``estimation_method=
      "off_diagonal"``) of lowest self-confidence / normalized margin
      (computed without ``adjust_pred_probs``), ties broken as numpy's
      default ``argsort`` of all the scores, as cleanlab does. The count is
      that of ``"confident_learning"``, but the examples can differ: the
      lowest scores rather than the off-diagonal ones.

    Before pruning, like cleanlab: the counts are adjusted so that at least
    ``min_examples_per_class`` examples stay in each class (the diagonal is
    raised and the increase subtracted evenly from the column's nonzero
    cells, the diagonal counted among them even when it is zero), then the
    off-diagonal counts are multiplied by ``frac_noise`` and truncated (not
    rounded) to integers, even when ``frac_noise=1``.

    Other cleanlab quirks reproduced:

    - a class with at most ``min_examples_per_class`` examples is not
      pruned (a ``UserWarning`` lists such classes), and a class with a
      single example is never pruned, whatever ``min_examples_per_class``
      (cleanlab does not write back a one-example class's mask);
    - with ``"prune_by_noise_rate"``, a cell asking for more examples than
      the class has flags the whole class;
    - every method, ``"confident_learning"`` and ``"predicted_neq_given"``
      included, finally unflags the examples whose given label becomes the
      argmax once 1e-6 is added to its probability (between equal
      probabilities the lower class index wins, as in ``np.argmax``),
      except the two ``"low_*"`` methods, which flag exactly as many
      examples as :func:`num_label_issues` counts (those examples are left
      out of that count instead);
    - when examples tie at a pruning cut-off, the ones flagged are the
      first in numpy's default (unstable) ``argsort`` of the class's values
      in row order, the call cleanlab makes; ranked indices are likewise
      ordered by numpy's default ``argsort`` of the flagged examples' scores
      (computed without ``adjust_pred_probs``);
    - ``frac_noise`` and ``min_examples_per_class`` are ignored by
      ``"confident_learning"``, ``"predicted_neq_given"`` and the two
      ``"low_*"`` methods (a ``UserWarning`` says so when they are not the
      defaults; cleanlab warns about ``frac_noise`` only).

    Parity holds for float32 and float64 ``pred_probs``. Other dtypes
    (float16, integers) are converted to float64, exactly, and the result
    equals cleanlab's on that float64 array; cleanlab run on a float16 array
    computes in float16 (its class thresholds rounded to float16, the 1e-6
    slack lost below float16's resolution), so it can differ where values
    tie at that resolution.
    with cleanlab run by the same numpy build: its tie order is that of
    numpy's sort for the CPU at hand. cleanlab's ``n_jobs`` does not change
    its result, nor does ours.

    References
    ----------
    .. [1] C. G. Northcutt, L. Jiang and I. L. Chuang, "Confident Learning:
       Estimating Uncertainty in Dataset Labels", Journal of Artificial
       Intelligence Research, 70, 1373-1411, 2021.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.noise import find_label_issues
    >>> labels = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> pred_probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.3], [0.1, 0.9],
    ...                        [0.2, 0.8], [0.1, 0.9], [0.3, 0.7], [0.9, 0.1]])
    >>> find_label_issues(labels, pred_probs)
    array([False, False, False,  True, False, False, False,  True])
    >>> find_label_issues(labels, pred_probs,
    ...                   return_indices_ranked_by="self_confidence")
    array([3, 7])
    """
    ignores_counts = method in _FLAGGERS or method in _LOW_SCORE
    if ignores_counts and (frac_noise != 1.0 or min_examples_per_class != 1):
        warn_once(
            f"frac_noise={frac_noise!r} and min_examples_per_class="
            f"{min_examples_per_class!r} are ignored by method={method!r}; they "
            f"apply to the methods {list(_PRUNERS)}.",
            UserWarning,
            stacklevel=3,  # the caller of the validate_params wrapper
        )
    stats = _compute_stats(
        labels,
        pred_probs,
        batch_size=batch_size,
        n_jobs=n_jobs,
        **_pass_options(method),
    )
    mask = _issue_mask(stats, method, frac_noise, min_examples_per_class, n_jobs)
    if return_indices_ranked_by is not None:
        return _ranked(stats, mask, return_indices_ranked_by)
    return mask
