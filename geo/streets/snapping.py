"""Joining points to the nearest street segment fast: a KD-tree over points along segments.

A city has hundreds of thousands of homes or grid cells and of street segments; shapely's
nearest-geometry search takes seconds for that, a KD-tree a fraction of one. Points are
sampled every ``SAMPLE_M`` metres along every segment; the segments behind the nearest
``CANDIDATES`` samples are the candidates, and the exact nearest point on each is then
computed, so the answer is the exact nearest segment unless more than ``CANDIDATES``
samples of other segments lie nearer than the right one's nearest sample (which needs
that many segments crowded within a few metres).
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

    def project(self, xy: np.ndarray, segments: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The fraction along each of ``segments`` (an array of indices, -1 allowed, of the
        shape ``xy[:, 0]`` broadcasts to) nearest each point, and the distance to it (inf
        for -1)."""
        s = np.maximum(segments, 0)
        a, b = self.a[s], self.b[s]
        d = b - a
        p = xy.reshape(xy.shape[0], *([1] * (segments.ndim - 1)), 2)
        squared = np.maximum((d**2).sum(axis=-1), 1e-12)
        fraction = np.clip(((p - a) * d).sum(axis=-1) / squared, 0, 1)
        foot = a + fraction[..., None] * d
        distance = np.hypot(*np.moveaxis(p - foot, -1, 0))
        return fraction, np.where(segments >= 0, distance, np.inf)
