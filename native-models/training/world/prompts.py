"""Evaluation prompts per category, standard library only.

Every prompt is a caption that captions.is_evaluation_caption reserves for evaluation (so
training never sees it), is satisfiable (scene.sample_scene finds a scene for it), and is
distinct within its sample. Captions are drawn the way training captions are (a random
scene, then captions.describe with its optional parts), then kept if they fit the category:
- one_object:    obj [loc] [bg]
- two_positions: obj loc and obj loc [bg]
- relation:      obj rel obj [bg]
- held_out:      any form in which a phrase states a colour and shape of spec.HELD_OUT_PAIRS
The first three never state a held-out pair.
"""
import random

from .captions import describe, is_evaluation_caption, parse
from .scene import sample_scene
from .spec import HELD_OUT_PAIRS

CATEGORIES = ("one_object", "two_positions", "relation", "held_out")
_FORM_CATEGORY = {"single": "one_object", "positions": "two_positions", "relation": "relation"}
# Draws allowed per prompt asked for: about one held-out draw in 60 is kept.
_DRAWS_PER_PROMPT = 2000


def states_held_out_pair(caption):
    """Whether a parsed caption has a phrase naming a held-out colour with its shape."""
    return any((p.color, p.shape) in HELD_OUT_PAIRS for p in caption.objects)


def category_of(text):
    """The evaluation category of a caption in the grammar."""
    caption = parse(text)
    return "held_out" if states_held_out_pair(caption) else _FORM_CATEGORY[caption.form]


def is_satisfiable(text, allow_held_out):
    try:
        sample_scene(random.Random(text), constraints=parse(text), allow_held_out=allow_held_out)
    except ValueError:
        return False
    return True


def sample_prompts(category, n, seed):
    """n distinct evaluation prompts of a category, the same for the same seed."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; one of {', '.join(CATEGORIES)}")
    rng = random.Random(f"{category}:{seed}")
    held_out = category == "held_out"
    prompts, seen = [], set()
    for _ in range(_DRAWS_PER_PROMPT * max(n, 1)):
        if len(prompts) == n:
            break
        text = _draw(rng, category)
        if (text in seen or not is_evaluation_caption(text) or category_of(text) != category
                or not is_satisfiable(text, allow_held_out=held_out)):
            continue
        seen.add(text)
        prompts.append(text)
    if len(prompts) < n:
        raise ValueError(f"found only {len(prompts)} distinct {category} prompts")
    return prompts


def _draw(rng, category):
    if category == "one_object":
        scene = sample_scene(rng, n_objects=1)
        return describe(rng, scene)
    if category == "held_out":
        scene = sample_scene(rng, allow_held_out=True)
        return describe(rng, scene, form=rng.choice(["positions", "relation"]))
    scene = sample_scene(rng, n_objects=2)
    return describe(rng, scene, form="positions" if category == "two_positions" else "relation")
