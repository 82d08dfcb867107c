"""Validation of X for the inspection functions, and the radius search.

Exact duplicates are found by hashing (``_hashing``), which takes any
values; near duplicates by a radius search, which takes numbers only. This
module checks ``X`` for each of the two, naming the offending columns when
it refuses them, and finds the pairs within a threshold: for Euclidean and
Manhattan distances on dense data by the fastest of a grid over a
projection, a k-d tree and brute force (all exact, every pair measured by
one formula); otherwise with scikit-learn's ``NearestNeighbors``.
"""

import time

import numpy as np
import pandas as pd
import scipy.sparse as sp
from pandas.api.types import is_bool_dtype, is_numeric_dtype
from sklearn.neighbors import VALID_METRICS, VALID_METRICS_SPARSE, NearestNeighbors
from sklearn.utils.validation import check_array

__all__ = ["METRICS", "check_rows", "radius_graph", "to_numeric"]

# Metrics of NearestNeighbors that need nothing beyond their name: the ones
# that need a precomputed matrix, a NaN-aware distance or metric_params are
# left out.
METRICS = sorted(
    set().union(*map(set, VALID_METRICS.values()))
    - {"precomputed", "pyfunc", "nan_euclidean", "mahalanobis", "seuclidean"}
)


def check_rows(X, input_name="X"):
    """Check that ``X`` is a 2-D table of at least one row.

    DataFrames are returned unchanged; other input goes through
    ``check_array`` with any dtype (strings are hashed), NaN allowed and
    sparse matrices kept sparse (as CSR).
    """
    if isinstance(X, pd.DataFrame):
        if X.shape[0] < 1 or X.shape[1] < 1:
            raise ValueError(
                f"{input_name} is empty (shape={X.shape}): at least one row and "
                "one column are required."
            )
        return X
    return check_array(
        X,
        dtype=None,
        accept_sparse="csr",
        ensure_all_finite=False,
        input_name=input_name,
    )


def _column_names(X, mask):
    columns = X.columns if isinstance(X, pd.DataFrame) else np.arange(X.shape[1])
    return pd.Index(columns)[np.asarray(mask, dtype=bool)].tolist()


def to_numeric(X, threshold, input_name="X"):
    """``X`` as float64 (dense ndarray or CSR) for the radius search.

    Raises a TypeError naming the columns that are not numeric, a ValueError
    naming those that hold NaN or infinity.
    """
    hint = (
        f"The neighbour search for threshold={threshold!r} needs finite numbers; "
        "threshold=0 finds exact duplicates of any values (NaN equals NaN)."
    )
    if isinstance(X, pd.DataFrame):
        numeric = np.array(
            [is_numeric_dtype(d) or is_bool_dtype(d) for d in X.dtypes], dtype=bool
        )
        if not numeric.all():
            raise TypeError(
                f"{input_name} has non-numeric column(s) "
                f"{_column_names(X, ~numeric)!r}. Encode them as numbers first "
                f"(e.g. with OneHotEncoder), or drop them. {hint}"
            )
        values = X.to_numpy(dtype=np.float64, na_value=np.nan)
    elif sp.issparse(X):
        values = sp.csr_matrix(X)
        if values.dtype.kind not in "biuf":
            raise TypeError(
                f"{input_name} is a sparse matrix of dtype {values.dtype}, not "
                f"numbers. {hint}"
            )
        values = values.astype(np.float64)
    else:
        try:
            values = np.asarray(X, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"{input_name} holds values that are not numbers ({exc}). Encode "
                f"them as numbers first (e.g. with OneHotEncoder). {hint}"
            ) from None
    data = values.data if sp.issparse(values) else values
    for test, what in ((np.isnan, "NaN"), (np.isinf, "infinity")):
        bad = test(data)
        if bad.any():
            if sp.issparse(values):
                mask = np.zeros(values.shape[1], dtype=bool)
                mask[values.indices[bad]] = True
            else:
                mask = bad.any(axis=0)
            raise ValueError(
                f"{input_name} contains {what} in column(s) "
                f"{_column_names(X, mask)!r} ({int(bad.sum())} value(s)). Impute "
                f"or drop them first. {hint}"
            )
    return values


def _algorithm(X, metric):
    """The fastest exact search scikit-learn has for this data and metric."""
    if sp.issparse(X):
        if metric not in VALID_METRICS_SPARSE["brute"] and not callable(metric):
            raise ValueError(
                f"metric={metric!r} does not support sparse X. Use one of "
                f"{sorted(VALID_METRICS_SPARSE['brute'] - {'precomputed'})!r}, or "
                "pass a dense X."
            )
        return "brute"
    if callable(metric):
        return "ball_tree"
    if metric in VALID_METRICS["kd_tree"]:
        return "kd_tree"
    if metric in VALID_METRICS["ball_tree"]:
        return "ball_tree"
    return "brute"


# --------------------------------------------------------------------------
# A grid over a projection: exact pairs within a small threshold
# --------------------------------------------------------------------------

# Metrics whose distance is at least the Euclidean one (Lp with p <= 2), so
# that a pair within the threshold is within it in any orthogonal projection.
_GRID_P = {"euclidean": 2, "l2": 2, "minkowski": 2, "manhattan": 1}
_GRID_P.update(cityblock=1, l1=1)
_MAX_GRID_DIMS = 6
_PCA_SAMPLE = 10_000
# candidate pairs whose distances are computed at once: about 16 MB of
# gathered rows (for 20 features)
_CHUNK = 1 << 17
_PILOT = 1000  # query rows on which a k-d tree is timed (brute force: 100)
# estimated grid candidates per row beyond which the grid is not timed
_PILOT_ESTIMATE = 5000
# Relative widening of the cells, so that rounding never puts a pair within
# the threshold two cells apart.
_SLACK = 1e-6


def _projection(X, Y):
    """Mean and leading principal directions of the rows of X and Y.

    From a fixed sample (seed 0), so that results do not vary between runs;
    any orthonormal directions keep the search exact, good ones keep it
    fast.
    """
    n_rows = X.shape[0] + (0 if Y is None else Y.shape[0])
    if n_rows > _PCA_SAMPLE:
        # the sample of the rows of X then Y, without stacking them all
        take = np.random.default_rng(0).choice(n_rows, _PCA_SAMPLE, replace=False)
        from_x = take < X.shape[0]
        rows = np.empty((_PCA_SAMPLE, X.shape[1]))
        rows[from_x] = X[take[from_x]]
        if Y is not None:
            rows[~from_x] = Y[take[~from_x] - X.shape[0]]
    else:
        rows = X if Y is None else np.vstack([X, Y])
    mean = rows.mean(axis=0)
    n_dims = min(_MAX_GRID_DIMS, rows.shape[1])
    vt = np.linalg.svd(rows - mean, full_matrices=False)[2]
    return mean, vt[:n_dims].T


class _Cells:
    """Points sorted by grid cell: the cells' keys, first positions and sizes."""

    def __init__(self, coords, low, extent):
        keys = _encode(coords, low, extent)
        self.order = np.argsort(keys, kind="stable")
        keys = keys[self.order]
        new_cell = np.ones(keys.size, dtype=bool)
        np.not_equal(keys[1:], keys[:-1], out=new_cell[1:])
        self.starts = np.flatnonzero(new_cell)
        self.keys = keys[self.starts]
        self.sizes = np.diff(np.append(self.starts, keys.size))
        self.coords = coords[self.order[self.starts]]


def _encode(coords, low, extent):
    key = np.zeros(coords.shape[0], dtype=np.int64)
    for c in range(coords.shape[1]):
        key = key * extent[c] + (coords[:, c] - low[c])
    return key


def _offsets(n_dims, half):
    """Neighbouring cell offsets in {-1, 0, 1}^n_dims (one of each +/- pair)."""
    grid = np.stack(
        np.meshgrid(*[[-1, 0, 1]] * n_dims, indexing="ij"), axis=-1
    ).reshape(-1, n_dims)
    if not half:
        return grid
    first = np.argmax(grid != 0, axis=1)
    sign = grid[np.arange(grid.shape[0]), first]
    return grid[sign >= 0]  # the zero offset, and offsets starting with +1


def _cell_pairs(cells_q, cells_f, low, extent, self_search):
    """Pairs of neighbouring cells (query cell, fit cell) and their offsets."""
    n_dims = cells_q.coords.shape[1]
    pairs_q, pairs_f, same = [], [], []
    for offset in _offsets(n_dims, self_search):
        shifted = cells_q.coords + offset
        inside = ((shifted >= low) & (shifted < low + extent)).all(axis=1)
        keys = np.full(shifted.shape[0], -1, dtype=np.int64)
        keys[inside] = _encode(shifted[inside], low, extent)
        pos = np.minimum(np.searchsorted(cells_f.keys, keys), cells_f.keys.size - 1)
        found = np.flatnonzero(inside & (cells_f.keys[pos] == keys))
        pairs_q.append(found)
        pairs_f.append(pos[found])
        same.append(np.full(found.size, self_search and not offset.any()))
    return np.concatenate(pairs_q), np.concatenate(pairs_f), np.concatenate(same)


def _candidate_count(cells_q, cells_f, pairs_q, pairs_f, same):
    size_q, size_f = cells_q.sizes[pairs_q], cells_f.sizes[pairs_f]
    return np.where(same, size_q * (size_q - 1) // 2, size_q * size_f)


def _distances(A, B, p):
    diff = np.abs(A - B)
    return np.sqrt(np.einsum("ij,ij->i", diff, diff)) if p == 2 else diff.sum(axis=1)


class _Grid:
    """Candidate pairs from a grid over a projection of the rows.

    The rows are projected on their leading principal directions; a pair
    within ``threshold`` in the metric (an Lp distance with p <= 2) is
    within it along each direction, so it lies in the same or neighbouring
    cells of a grid of side ``threshold``, and within it in the projection
    as a whole (the Euclidean distance of the projection is at most the
    Euclidean distance, which is at most the Lp one). :meth:`measure`
    screens the candidate pairs by their projected distance, a range at a
    time, and measures the survivors directly in X: all of them give the
    result of an exact search.
    """

    @classmethod
    def plan(cls, X_fit, X_query, threshold, p, max_estimate):
        """The grid with the fewest dimensions for its cost, or None.

        None when the rows are too spread for integer cells, or when the
        estimated number of candidates exceeds ``max_estimate``.
        """
        self_search = X_query is None
        mean, basis = _projection(X_fit, X_query)
        side = threshold * (1 + _SLACK)
        proj_f = (X_fit - mean) @ basis / side
        proj_q = proj_f if self_search else (X_query - mean) @ basis / side
        bound = np.abs(proj_f).max()
        if not self_search:
            bound = max(bound, np.abs(proj_q).max())
        # beyond 2**20 sides from the centre, the rounding of the projection
        # could approach the widening of the cells
        if not np.isfinite(bound) or bound > 2.0**20:
            return None
        # cell coordinates along every direction, once; a grid of n_dims
        # dimensions takes the leading n_dims of them
        floor_f = np.floor(proj_f).astype(np.int64)
        floor_q = floor_f if self_search else np.floor(proj_q).astype(np.int64)
        low_all, high_all = floor_f.min(axis=0), floor_f.max(axis=0)
        if not self_search:
            low_all = np.minimum(low_all, floor_q.min(axis=0))
            high_all = np.maximum(high_all, floor_q.max(axis=0))
        low_all = low_all - 1
        best = None
        for n_dims in range(1, basis.shape[1] + 1):
            coords_f, coords_q = floor_f[:, :n_dims], floor_q[:, :n_dims]
            low = low_all[:n_dims]
            extent = high_all[:n_dims] - low + 2
            if np.sum(np.log2(extent.astype(np.float64))) > 62:
                break
            cells_f = _Cells(coords_f, low, extent)
            # candidates if neighbouring cells were as full as each cell;
            # each offset also costs a pass over the cells
            estimate = np.sum(cells_f.sizes.astype(np.float64) ** 2) * 3**n_dims
            cost = estimate * X_fit.shape[1] / 8 + 4 * cells_f.keys.size * 3**n_dims
            if best is None or cost < best[0]:
                best = (cost, estimate, coords_q, cells_f, low, extent)
        if best is None or best[1] > max_estimate:
            return None
        grid = cls()
        _, _, coords_q, grid.cells_f, low, extent = best
        grid.cells_q = grid.cells_f if self_search else _Cells(coords_q, low, extent)
        # the projections in cell order: a pair further apart than one side
        # in the projection is further apart than the threshold in X, so
        # only the pairs within it are gathered in full. The limit allows
        # for the rounding of the projection (coordinates below 2**20).
        grid.proj_f = proj_f[grid.cells_f.order]
        grid.proj_q = grid.proj_f if self_search else proj_q[grid.cells_q.order]
        rounding = 8 * X_fit.shape[1] * np.finfo(np.float64).eps * (bound + 1)
        grid.limit = (1 + rounding) ** 2
        grid.pairs = _cell_pairs(grid.cells_q, grid.cells_f, low, extent, self_search)
        grid.counts = _candidate_count(grid.cells_q, grid.cells_f, *grid.pairs)
        grid.ends = np.cumsum(grid.counts)
        grid.n_candidates = int(grid.ends[-1]) if grid.ends.size else 0
        grid.X_fit, grid.X_query = X_fit, X_fit if self_search else X_query
        grid.self_search, grid.threshold, grid.p = self_search, threshold, p
        return grid

    def measure(self, lo, hi):
        """Rows, columns and distances of candidates lo..hi-1 within reach."""
        pairs_q, pairs_f, same = self.pairs
        hi = min(hi, self.n_candidates)
        if hi <= lo:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty, np.empty(0)
        # the cell pairs that candidates lo..hi-1 fall in, each repeated
        # once per candidate; q numbers the candidates within their pair
        first, last = np.searchsorted(self.ends, [lo, hi - 1], side="right")
        counts = self.counts[first : last + 1]
        pair = np.repeat(np.arange(first, last + 1), counts)
        begin = self.ends[first] - self.counts[first]
        q = np.arange(begin, self.ends[last]) - np.repeat(
            self.ends[first : last + 1] - counts, counts
        )
        pair, q = pair[lo - begin : hi - begin], q[lo - begin : hi - begin]
        size_f = self.cells_f.sizes[pairs_f[pair]]
        a, b = q // size_f, q % size_f
        is_same = same[pair]
        if is_same.any():
            # pairs inside one cell: enumerate a < b of a square block
            n = self.cells_q.sizes[pairs_q[pair[is_same]]]
            a[is_same], b[is_same] = _triangle(q[is_same], n)
        # positions in cell order; the projection screens, X decides
        a += self.cells_q.starts[pairs_q[pair]]
        b += self.cells_f.starts[pairs_f[pair]]
        diff = self.proj_q[a] - self.proj_f[b]
        near = np.einsum("ij,ij->i", diff, diff) <= self.limit
        i = self.cells_q.order[a[near]]
        j = self.cells_f.order[b[near]]
        d = _distances(self.X_query[i], self.X_fit[j], self.p)
        keep = d <= self.threshold
        return i[keep], j[keep], d[keep]

    def graph(self, parts):
        """CSR of the measured pairs (both directions for a self search)."""
        empty = (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))
        rows, cols, dists = (
            np.concatenate(column) for column in zip(empty, *parts, strict=False)
        )
        if self.self_search:
            rows, cols = np.r_[rows, cols], np.r_[cols, rows]
            dists = np.r_[dists, dists]
        shape = (self.X_query.shape[0], self.X_fit.shape[0])
        return sp.csr_matrix((dists, (rows, cols)), shape=shape)

    def measure_all(self):
        return [
            self.measure(lo, lo + _CHUNK) for lo in range(0, self.n_candidates, _CHUNK)
        ]

    def time_per_candidate(self, n_probes=8):
        """CPU seconds per candidate, timed on ranges spread over all of them.

        Candidates differ in cost along the range (pairs inside one cell
        come first and cost more), so one block would mislead. A first
        range warms up (memory first touched); nothing measured here is
        kept.
        """
        size = max(1, min(_CHUNK // n_probes, self.n_candidates // (2 * n_probes)))
        self.measure(0, size)
        starts = np.linspace(0, self.n_candidates - size, n_probes).astype(np.int64)
        start = time.process_time()
        for lo in starts:
            self.measure(lo, lo + size)
        return (time.process_time() - start) / (n_probes * size)


def _grid_pairs(X_fit, X_query, threshold, p, max_candidates):
    """All pairs within ``threshold`` by a grid, or None past ``max_candidates``."""
    grid = _Grid.plan(X_fit, X_query, threshold, p, 20 * max_candidates)
    if grid is None or grid.n_candidates > max_candidates:
        return None
    return grid.graph(grid.measure_all())


def _triangle(q, n):
    """The q-th pair (a, b), a < b, of n items, in row order."""
    # row a starts at a * n - a * (a + 1) / 2; invert the quadratic, then fix
    # the rounding of the square root
    qf = q.astype(np.float64)
    a = np.floor(((2 * n - 1) - np.sqrt((2 * n - 1) ** 2 - 8 * qf)) / 2).astype(
        np.int64
    )
    a = np.clip(a, 0, n - 2)
    start = a * n - a * (a + 1) // 2
    low = q < start
    a[low] -= 1
    start = a * n - a * (a + 1) // 2
    high = q - start >= n - a - 1
    a[high] += 1
    start = a * n - a * (a + 1) // 2
    return a, a + 1 + (q - start)


def _measured(X_fit, query, rows, cols, threshold, p, symmetric=False):
    """CSR of the pairs (rows, cols) within ``threshold``, measured directly.

    With ``symmetric`` (a self search given each pair once), every pair kept
    is stored in both directions.
    """
    keep_rows, keep_cols = [np.empty(0, np.int64)], [np.empty(0, np.int64)]
    dists = [np.empty(0)]
    for lo in range(0, rows.size, _CHUNK):
        i, j = rows[lo : lo + _CHUNK], cols[lo : lo + _CHUNK]
        d = _distances(query[i], X_fit[j], p)
        keep = d <= threshold
        keep_rows.append(i[keep])
        keep_cols.append(j[keep])
        dists.append(d[keep])
    rows, cols = np.concatenate(keep_rows), np.concatenate(keep_cols)
    dists = np.concatenate(dists)
    if symmetric:
        rows, cols = np.r_[rows, cols], np.r_[cols, rows]
        dists = np.r_[dists, dists]
    return sp.csr_matrix((dists, (rows, cols)), shape=(query.shape[0], X_fit.shape[0]))


def _fastest(seconds):
    """The search with the least estimated time."""
    return min(seconds, key=seconds.get)


def _search_lp(X_fit, X_query, threshold, p, n_jobs):
    """Pairs within ``threshold`` for a Euclidean or Manhattan distance.

    Three exact searches: the grid (``_Grid``), a k-d tree and brute force.
    The grid runs at once when it has few candidates. Otherwise, on large
    data, each is timed in CPU time on a sample (the grid on ranges of
    candidates spread over all of them; the tree on 1,000 fixed query
    rows; brute force on 100) and the fastest runs; on small
    data the grid runs if within its budget, else the tree. Candidates of
    the tree and brute force come from a radius widened by a relative 1e-6
    and every pair is measured directly,
    so the result does not depend on the search chosen.
    """
    self_search = X_query is None
    query = X_fit if self_search else X_query
    n_rows = X_fit.shape[0] + (0 if self_search else query.shape[0])
    budget = 50 * n_rows + 100_000
    radius = threshold * (1 + _SLACK)
    metric = "euclidean" if p == 2 else "manhattan"
    # distances do not change under a shift; centred rows make the
    # matrix-product distances of brute force more precise
    center = X_fit.mean(axis=0)
    X_fit = X_fit - center
    query = X_fit if self_search else query - center
    piloted = query.shape[0] >= 10 * _PILOT
    # on large data the grid competes with the tree on a timed sample, up
    # to a candidate count that keeps its planning a small part of its work
    max_estimate = _PILOT_ESTIMATE * n_rows if piloted else 20 * budget
    grid = _Grid.plan(X_fit, None if self_search else query, threshold, p, max_estimate)
    if grid is not None and grid.n_candidates <= 10 * n_rows + 100_000:
        return grid.graph(grid.measure_all())
    if not piloted and grid is not None and grid.n_candidates <= budget:
        return grid.graph(grid.measure_all())

    def search(algorithm):
        return NearestNeighbors(
            radius=radius, algorithm=algorithm, metric=metric, n_jobs=n_jobs
        ).fit(X_fit)

    searches = {"kd_tree": search("kd_tree")}
    if piloted:
        seconds = {}
        if grid is not None:
            seconds["grid"] = grid.time_per_candidate() * grid.n_candidates
        sample = np.random.default_rng(0).choice(query.shape[0], _PILOT, False)
        largest = np.abs(X_fit).max()
        if not self_search:
            largest = max(largest, np.abs(query).max())
        norm = largest * np.sqrt(X_fit.shape[1])
        # brute force computes |x|^2 + |y|^2 - 2 x.y: its rounding (about
        # 1e-16 |x|^2) must stay below the widening of the radius
        brute_ok = p == 1 or norm <= 1e4 * threshold
        if brute_ok:
            searches["brute"] = search("brute")
        for algorithm, n_pilot in (("kd_tree", _PILOT), ("brute", _PILOT // 10)):
            if algorithm in searches:
                start = time.process_time()
                searches[algorithm].radius_neighbors(
                    query[sample[:n_pilot]], return_distance=False
                )
                used = time.process_time() - start
                seconds[algorithm] = used * query.shape[0] / n_pilot
        best = _fastest(seconds)
        if best == "grid":
            return grid.graph(grid.measure_all())
    else:
        best = "kd_tree"
    links = searches[best].radius_neighbors_graph(query, mode="connectivity")
    links = sp.csr_matrix(links)
    rows = np.repeat(np.arange(query.shape[0]), np.diff(links.indptr))
    cols = links.indices.astype(np.int64)
    if self_search:
        # each pair is found from both ends: measure it once, store it twice
        upper = rows < cols
        rows, cols = rows[upper], cols[upper]
    return _measured(X_fit, query, rows, cols, threshold, p, symmetric=self_search)


def radius_graph(X_fit, X_query, threshold, metric, n_jobs):
    """Pairs within ``threshold``, as a CSR matrix of distances.

    Rows are the query rows (``X_fit`` itself, each row not its own
    neighbour, when ``X_query`` is None), columns the rows of ``X_fit``.
    Zero distances are stored: read ``indices`` / ``data``, never rely on
    stored values being non-zero.

    Dense data with a Euclidean or Manhattan metric is searched by the
    fastest of a grid over a projection, a k-d tree and brute force
    (``_search_lp``); other metrics and sparse data with scikit-learn's
    ``NearestNeighbors``.
    """
    if not sp.issparse(X_fit) and isinstance(metric, str) and metric in _GRID_P:
        return _search_lp(X_fit, X_query, threshold, _GRID_P[metric], n_jobs)
    nn = NearestNeighbors(
        radius=threshold,
        algorithm=_algorithm(X_fit, metric),
        metric=metric,
        n_jobs=n_jobs,
    ).fit(X_fit)
    graph = nn.radius_neighbors_graph(X_query, mode="distance", sort_results=False)
    return sp.csr_matrix(graph)
