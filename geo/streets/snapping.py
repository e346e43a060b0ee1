"""Joining points to the nearest street segment fast: a KD-tree over points along segments.

A city has hundreds of thousands of homes or grid cells and of street segments; shapely's
nearest-geometry search takes seconds for that, a KD-tree a fraction of one. Points are
sampled at most ``SAMPLE_M`` metres apart along every segment. The segments behind a
point's ``CANDIDATES`` nearest samples give a first nearest distance ``d``; the true
nearest segment has a sample within ``d + SAMPLE_M / 2``, so where the candidates do not
already cover that radius every sample within it is checked too. The answer is exact.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

SAMPLE_M = 20.0
CANDIDATES = 6


class SegmentIndex:
    """Segments ``a[i]``–``b[i]`` (metres) searchable by nearness to points."""

    def __init__(self, a: np.ndarray, b: np.ndarray) -> None:
        self.a, self.b = a.reshape(-1, 2), b.reshape(-1, 2)
        self._ax, self._ay = self.a[:, 0], self.a[:, 1]
        self._dx, self._dy = self.b[:, 0] - self._ax, self.b[:, 1] - self._ay
        self._squared = np.maximum(self._dx**2 + self._dy**2, 1e-12)
        length = np.hypot(*(self.b - self.a).T)
        count = np.maximum(np.ceil(length / SAMPLE_M).astype(np.int64), 1) + 1
        self.segment_of = np.repeat(np.arange(len(self.a)), count)
        start = np.repeat(np.cumsum(count) - count, count)
        along = (np.arange(len(self.segment_of)) - start) / (count[self.segment_of] - 1)
        e = self.segment_of
        samples = self.a[e] + along[:, None] * (self.b[e] - self.a[e])
        self.tree = cKDTree(
            samples if len(samples) else np.zeros((0, 2)), balanced_tree=False, compact_nodes=False
        )

    def candidates(self, xy: np.ndarray, limit_m: float, count: int = CANDIDATES) -> np.ndarray:
        """Per point, the segments behind its ``count`` nearest samples within reach of
        ``limit_m`` (-1 where there are fewer)."""
        count = min(count, self.tree.n)
        if count == 0 or not len(xy):
            return np.full((len(xy), 1), -1, dtype=np.int64)
        _, found = self.tree.query(xy, k=count, distance_upper_bound=limit_m + SAMPLE_M, workers=-1)
        found = found.reshape(len(xy), count)
        missing = found >= self.tree.n
        return np.where(missing, -1, self.segment_of[np.minimum(found, self.tree.n - 1)])

    def nearest(self, xy: np.ndarray, limit_m: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per point, the nearest segment within ``limit_m`` (-1 when none), the fraction
        along it and the distance to it (inf when none)."""
        n = len(xy)
        segment, fraction, distance = np.full(n, -1), np.zeros(n), np.full(n, np.inf)
        count = min(CANDIDATES, self.tree.n)
        if count == 0 or n == 0:
            return segment, fraction, distance
        sample_m, found = self.tree.query(
            xy, k=count, distance_upper_bound=limit_m + SAMPLE_M, workers=-1
        )
        sample_m, found = sample_m.reshape(n, count), found.reshape(n, count)
        candidates = np.where(
            found >= self.tree.n, -1, self.segment_of[np.minimum(found, self.tree.n - 1)]
        )
        along, away = self.project(xy, candidates)
        rows = np.arange(n)
        best = np.argmin(away, axis=1)
        segment, fraction, distance = candidates[rows, best], along[rows, best], away[rows, best]
        radius = distance + SAMPLE_M / 2
        unsure = np.flatnonzero(np.isfinite(distance) & (sample_m[:, -1] < radius))
        if len(unsure):
            near = self.tree.query_ball_point(xy[unsure], radius[unsure], workers=-1)
            sizes = np.array([len(found) for found in near])
            owner = np.repeat(unsure, sizes)
            more = self.segment_of[np.concatenate(near).astype(np.int64)]
            more_along, more_away = self.project(xy[owner], more)
            order = np.lexsort((more_away, owner))
            first = order[np.unique(owner[order], return_index=True)[1]]
            better = more_away[first] < distance[owner[first]]
            pick = owner[first][better]
            segment[pick] = more[first][better]
            fraction[pick] = more_along[first][better]
            distance[pick] = more_away[first][better]
        out = distance > limit_m
        segment[out], distance[out] = -1, np.inf
        return segment, fraction, distance

    def project(self, xy: np.ndarray, segments: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The fraction along each of ``segments`` (indices, -1 allowed, one row per point
        or one index per point) nearest each point, and the distance to it (inf for -1)."""
        s = np.maximum(segments, 0)
        shape = (len(xy),) + (1,) * (segments.ndim - 1)
        px, py = xy[:, 0].reshape(shape), xy[:, 1].reshape(shape)
        ax, ay, dx, dy = self._ax[s], self._ay[s], self._dx[s], self._dy[s]
        fraction = np.clip(((px - ax) * dx + (py - ay) * dy) / self._squared[s], 0, 1)
        distance = np.hypot(ax + fraction * dx - px, ay + fraction * dy - py)
        return fraction, np.where(segments >= 0, distance, np.inf)
