"""Materialized paths: each unit's path is its ancestors' ids and its own, base-36, 6 chars a step.

Built from ids rather than sibling positions so a path never needs renumbering: a move rewrites
one prefix, and bulk creation can compute paths without reading the tree.
"""

from __future__ import annotations

STEP = 6
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def encode_step(unit_id: int) -> str:
    if unit_id <= 0:
        raise ValueError("unit id must be positive")
    out = []
    n = unit_id
    while n:
        n, r = divmod(n, 36)
        out.append(_DIGITS[r])
    step = "".join(reversed(out))
    if len(step) > STEP:
        raise ValueError("unit id too large for a path step")
    return step.rjust(STEP, "0")


def child_path(parent_path: str, unit_id: int) -> str:
    return parent_path + encode_step(unit_id)


def ancestor_paths(path: str) -> list[str]:
    """Paths of every ancestor, root first, excluding the path itself."""
    return [path[:i] for i in range(STEP, len(path), STEP)]


def ancestor_ids(path: str) -> list[int]:
    return [int(path[i : i + STEP], 36) for i in range(0, len(path) - STEP, STEP)]


def depth_of(path: str) -> int:
    return len(path) // STEP
