"""Hard negatives for the reranker: a caption with one stated attribute changed, and an
image with one object too many or too few."""
import dataclasses

from world.captions import Caption, caption_text, parse
from world.scene import Scene, place_object, satisfies
from world.spec import BACKGROUND_NAMES, COLOR_NAMES, GRID, HELD_OUT_PAIRS, POSITION_CELLS, RELATIONS, SHAPES


def _changed(rng, value, options):
    return rng.choice([o for o in options if o != value])


def perturb(rng, caption_string):
    """A caption differing from `caption_string` in one stated attribute."""
    c = parse(caption_string)
    choices = []
    for i, p in enumerate(c.objects):
        choices.append(("shape", i))
        if p.color:
            choices.append(("color", i))
        if p.size:
            choices.append(("size", i))
        if p.cell:
            choices.append(("cell", i))
    if c.relation:
        choices.append(("relation", None))
    if c.background:
        choices.append(("background", None))
    what, i = rng.choice(choices)
    if what == "relation":
        return caption_text(dataclasses.replace(c, relation=_changed(rng, c.relation, RELATIONS)))
    if what == "background":
        return caption_text(dataclasses.replace(c, background=_changed(rng, c.background, BACKGROUND_NAMES)))
    p = c.objects[i]
    options = {"shape": SHAPES, "color": COLOR_NAMES, "size": ["small", "large"],
               "cell": sorted(set(POSITION_CELLS.values()))}[what]
    p = dataclasses.replace(p, **{what: _changed(rng, getattr(p, what), options)})
    objects = c.objects[:i] + (p,) + c.objects[i + 1:]
    return caption_text(Caption(objects, c.relation, c.background))


def hard_negative(rng, caption_string, scene, tries=5):
    """A perturbed caption that the scene does not satisfy, or None."""
    for _ in range(tries):
        text = perturb(rng, caption_string)
        if not satisfies(scene.objects, scene.background, parse(text)):
            return text
    return None


def miscounted(rng, scene):
    """The scene with one object more or, for two objects, sometimes one fewer.

    The extra object is usually a copy of one already there: strongly guided sampling fails
    by drawing a named object twice, and the reranker must rank such images last.
    """
    if len(scene.objects) == 2 and rng.random() < 0.25:
        return Scene(scene.background, (rng.choice(scene.objects),))
    taken = {(o.row, o.col) for o in scene.objects}
    row, col = rng.choice([(r, c) for r in range(GRID) for c in range(GRID) if (r, c) not in taken])
    if rng.random() < 0.6:
        source = rng.choice(scene.objects)
        color, shape = source.color, source.shape
    else:
        color = rng.choice([c for c in COLOR_NAMES if c not in {o.color for o in scene.objects}])
        shape = rng.choice([s for s in SHAPES if (color, s) not in HELD_OUT_PAIRS])
    extra = place_object(rng, color, shape, rng.choice(["small", "large"]), row, col)
    return Scene(scene.background, scene.objects + (extra,))
