"""Seeded random streams: the same seed and the same stream name give the same numbers.

Every part of the generator draws from its own named stream (``Stream(seed, "energy",
credit_code)``), so adding an enterprise or a table does not shift the numbers of the others,
and the output does not depend on the order in which parts are generated. Python's
``random.Random`` seeded with a string hashes it with SHA-512, which is stable across runs,
platforms and ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


class Stream:
    """A named, seeded source of random numbers."""

    def __init__(self, seed: int, *path: str | int) -> None:
        self._random = random.Random("ecplan-demo|" + "|".join(str(p) for p in (seed, *path)))

    def uniform(self, low: float, high: float) -> float:
        return self._random.uniform(low, high)

    def normal(self, mean: float = 0.0, sd: float = 1.0) -> float:
        return self._random.gauss(mean, sd)

    def factor(self, sd: float) -> float:
        """A positive multiplicative noise factor with mean 1 (log-normal, log-sd ``sd``)."""
        return math.exp(self._random.gauss(-0.5 * sd * sd, sd))

    def integer(self, low: int, high: int) -> int:
        """An integer in ``[low, high]``."""
        return self._random.randint(low, high)

    def choice(self, items: Sequence[T]) -> T:
        return items[self._random.randrange(len(items))]

    def shuffled(self, items: Sequence[T]) -> list[T]:
        out = list(items)
        self._random.shuffle(out)
        return out

    def chance(self, probability: float) -> bool:
        return self._random.random() < probability
