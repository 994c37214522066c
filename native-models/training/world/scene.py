"""Scenes (what an image holds) and the rule that decides whether a caption describes one.

Standard library only: the judge uses `satisfies` on objects it reads from pixels, the data
pipeline on objects it sampled.
"""
from dataclasses import dataclass, asdict
import itertools
import random

from .spec import (BACKGROUND_NAMES, COLOR_NAMES, GRID, HELD_OUT_PAIRS, JITTER, SHAPES,
                   SIZE_EXTENT, cell_center)


@dataclass(frozen=True)
class SceneObject:
    color: str
    shape: str
    size: str          # "small" | "large"
    row: int
    col: int
    cx: float = 0.0    # centre in canvas units (cell centre + jitter)
    cy: float = 0.0

    @property
    def extent(self):
        return SIZE_EXTENT[self.size]


@dataclass(frozen=True)
class Scene:
    background: str
    objects: tuple

    def to_json(self):
        return {"background": self.background, "objects": [asdict(o) for o in self.objects]}

    @staticmethod
    def from_json(data):
        return Scene(data["background"], tuple(SceneObject(**o) for o in data["objects"]))


def sample_scene(rng: random.Random, n_objects=None, allow_held_out=False, constraints=None):
    """A random scene. `constraints` (a parsed caption) pins the attributes it states."""
    if constraints is not None:
        return _sample_scene_for(rng, constraints, allow_held_out)
    n = n_objects or rng.choice([1, 2])
    cells = rng.sample([(r, c) for r in range(GRID) for c in range(GRID)], n)
    colors = rng.sample(COLOR_NAMES, n)
    objects = []
    for (row, col), color in zip(cells, colors):
        shape = rng.choice(SHAPES)
        while not allow_held_out and (color, shape) in HELD_OUT_PAIRS:
            shape = rng.choice(SHAPES)
        objects.append(place_object(rng, color, shape, rng.choice(["small", "large"]), row, col))
    return Scene(rng.choice(BACKGROUND_NAMES), tuple(objects))


def place_object(rng, color, shape, size, row, col):
    cx, cy = cell_center(row, col)
    return SceneObject(color, shape, size, row, col,
                       cx + rng.uniform(-JITTER, JITTER), cy + rng.uniform(-JITTER, JITTER))


def _sample_scene_for(rng, caption, allow_held_out):
    """A random scene that satisfies a parsed caption: stated attributes pinned, the rest free."""
    for _ in range(1000):
        objects = []
        for phrase in caption.objects:
            color = phrase.color or rng.choice(COLOR_NAMES)
            held_out_ok = allow_held_out or phrase.color is not None
            size = phrase.size or rng.choice(["small", "large"])
            row, col = phrase.cell or (rng.randrange(GRID), rng.randrange(GRID))
            if not held_out_ok and (color, phrase.shape) in HELD_OUT_PAIRS:
                continue
            objects.append(place_object(rng, color, phrase.shape, size, row, col))
        if len(objects) != len(caption.objects):
            continue
        background = caption.background or rng.choice(BACKGROUND_NAMES)
        if _valid(objects) and satisfies(objects, background, caption):
            return Scene(background, tuple(objects))
    raise ValueError("no scene satisfies this caption")


def _valid(objects):
    """Spec: objects sit in different cells and never share a colour."""
    return (len({(o.row, o.col) for o in objects}) == len(objects)
            and len({o.color for o in objects}) == len(objects))


def relation_holds(relation, a_row, a_col, b_row, b_col):
    return {
        "above": a_row < b_row,
        "below": a_row > b_row,
        "to the left of": a_col < b_col,
        "to the right of": a_col > b_col,
    }[relation]


def phrase_matches(phrase, obj):
    return ((phrase.color is None or phrase.color == obj.color)
            and (phrase.shape == obj.shape)
            and (phrase.size is None or phrase.size == obj.size)
            and (phrase.cell is None or phrase.cell == (obj.row, obj.col)))


def satisfies(objects, background, caption):
    """Spec, judging step 5: exact count, one-to-one match of phrases, relation, background."""
    if len(objects) != len(caption.objects):
        return False
    if caption.background is not None and caption.background != background:
        return False
    for perm in itertools.permutations(objects):
        if all(phrase_matches(p, o) for p, o in zip(caption.objects, perm)):
            if caption.relation is None:
                return True
            a, b = perm
            if relation_holds(caption.relation, a.row, a.col, b.row, b.col):
                return True
    return False
