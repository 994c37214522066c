"""Caption grammar of spec v1: sampling captions that describe a scene, and parsing them.

Standard library only. `parse` accepts exactly the grammar (after `normalize`), with either
article; it raises CaptionError with a readable message for anything else.
"""
from dataclasses import dataclass
import re
import zlib

from .spec import COLOR_NAMES, POSITION_CELLS, RELATIONS, SHAPES, SIZE_WORDS, BACKGROUND_NAMES

_CELL_WORDS = {}
for _pos, _cell in POSITION_CELLS.items():
    _CELL_WORDS.setdefault(_cell, []).append(_pos)
_SIZE_SYNONYMS = {"small": ["small", "little"], "large": ["large", "big"]}


class CaptionError(ValueError):
    pass


@dataclass(frozen=True)
class Phrase:
    shape: str
    color: str = None
    size: str = None       # canonical "small" | "large"
    cell: tuple = None     # (row, col)


@dataclass(frozen=True)
class Caption:
    objects: tuple         # Phrase, in caption order
    relation: str = None   # relation of objects[0] to objects[1]
    background: str = None

    @property
    def form(self):
        if self.relation is not None:
            return "relation"
        return "positions" if len(self.objects) == 2 else "single"


def normalize(text):
    """Spec: fold case, punctuation to spaces, collapse white space (`Top-left.` -> `top left`)."""
    return " ".join(re.sub(r"[^0-9a-z\s]", " ", text.lower()).split())


def is_evaluation_caption(caption_text):
    """A fixed tenth of all captions is reserved for evaluation and never used in training."""
    return zlib.crc32(caption_text.encode()) % 10 == 0


# ---- sampling ----

def _article(next_word):
    return "an" if next_word[0] in "aeiou" else "a"


def _obj_text(rng, obj, with_size, with_color):
    words = []
    if with_size:
        words.append(rng.choice(_SIZE_SYNONYMS[obj.size]))
    if with_color:
        words.append(obj.color)
    words.append(obj.shape)
    return _article(words[0]) + " " + " ".join(words)


def _loc_text(rng, obj):
    return rng.choice(["at the", "in the"]) + " " + rng.choice(_CELL_WORDS[(obj.row, obj.col)])


def _bg_text(background):
    return f"on a {background} background"


def describe(rng, scene, form=None, p_size=0.5, p_color=0.75, p_loc=0.6, p_bg=0.4):
    """A random caption that `scene` satisfies; optional parts are dropped at random."""
    objs = scene.objects
    if len(objs) == 1:
        parts = [_obj_text(rng, objs[0], rng.random() < p_size, rng.random() < p_color)]
        if rng.random() < p_loc:
            parts.append(_loc_text(rng, objs[0]))
    else:
        a, b = rng.sample(list(objs), 2)
        true_relations = [r for r in RELATIONS if _holds(r, a, b)]
        form = form or rng.choice(["positions", "relation"])
        obj_a = _obj_text(rng, a, rng.random() < p_size, rng.random() < p_color)
        obj_b = _obj_text(rng, b, rng.random() < p_size, rng.random() < p_color)
        if form == "relation":
            parts = [obj_a, rng.choice(true_relations), obj_b]
        else:
            parts = [obj_a, _loc_text(rng, a), "and", obj_b, _loc_text(rng, b)]
    if rng.random() < p_bg:
        parts.append(_bg_text(scene.background))
    return " ".join(parts)


def _holds(relation, a, b):
    from .scene import relation_holds
    return relation_holds(relation, a.row, a.col, b.row, b.col)


# ---- parsing ----

class _Words:
    def __init__(self, text):
        self.words = text.split()
        self.i = 0

    def peek(self, n=1):
        return " ".join(self.words[self.i:self.i + n])

    def take(self, phrase):
        n = len(phrase.split())
        if self.peek(n) == phrase:
            self.i += n
            return True
        return False

    def take_one_of(self, options):
        for option in sorted(options, key=lambda o: -len(o.split())):
            if self.take(option):
                return option
        return None

    def expect(self, what, options):
        got = self.take_one_of(options)
        if got is None:
            found = self.peek() or "the end"
            raise CaptionError(f"expected {what} but found '{found}'")
        return got

    def done(self):
        return self.i >= len(self.words)


def _parse_obj(w):
    w.expect("'a' or 'an'", ["a", "an"])
    size = w.take_one_of(SIZE_WORDS)
    color = w.take_one_of(COLOR_NAMES)
    shape = w.expect("a shape (" + ", ".join(SHAPES) + ")", SHAPES)
    return Phrase(shape=shape, color=color, size=SIZE_WORDS[size] if size else None)


def _parse_loc(w, phrase, required):
    if w.take_one_of(["at the", "in the"]) is None:
        if required:
            raise CaptionError(f"expected 'at the' or 'in the' but found '{w.peek() or 'the end'}'")
        return phrase
    pos = w.expect("a position", POSITION_CELLS)
    return Phrase(phrase.shape, phrase.color, phrase.size, POSITION_CELLS[pos])


def _parse_bg(w):
    if not w.take("on a"):
        return None
    bg = w.expect("a background colour", BACKGROUND_NAMES)
    w.expect("'background'", ["background"])
    return bg


def parse(text):
    """Parse a normalised caption into a Caption; CaptionError says where it went wrong."""
    w = _Words(normalize(text))
    if w.done():
        raise CaptionError("the caption is empty")
    first = _parse_obj(w)
    relation = w.take_one_of(RELATIONS)
    if relation is not None:
        objects = (first, _parse_obj(w))
    elif w.peek(2) in ("at the", "in the"):
        first = _parse_loc(w, first, required=True)
        if w.take("and"):
            objects = (first, _parse_loc(w, _parse_obj(w), required=True))
        else:
            objects = (first,)
    else:
        objects = (first,)
    background = _parse_bg(w)
    if not w.done():
        raise CaptionError(f"unexpected '{w.peek()}'")
    return Caption(objects=objects, relation=relation, background=background)


# ---- writing a parsed caption back as text ----

def caption_text(caption):
    """The canonical text of a Caption (first synonym of everything)."""
    def obj(p):
        words = ([p.size] if p.size else []) + ([p.color] if p.color else []) + [p.shape]
        return _article(words[0]) + " " + " ".join(words)

    def loc(p):
        return "" if p.cell is None else " at the " + _CELL_WORDS[p.cell][0]

    if caption.relation is not None:
        text = f"{obj(caption.objects[0])} {caption.relation} {obj(caption.objects[1])}"
    else:
        text = " and ".join(obj(p) + loc(p) for p in caption.objects)
    if caption.background is not None:
        text += " " + _bg_text(caption.background)
    return text
