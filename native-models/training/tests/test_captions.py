"""The caption grammar of spec v1: normalising, parsing, describing scenes."""
from pathlib import Path
import random
import sys
import unittest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from world.captions import (Caption, CaptionError, Phrase, describe,  # noqa: E402
                            is_evaluation_caption, normalize, parse)
from world.scene import sample_scene, satisfies  # noqa: E402


class NormalizeTest(unittest.TestCase):
    def test_folds_case_punctuation_and_spaces(self):
        self.assertEqual(normalize("  A Red  Circle, at the Top-left. "),
                         "a red circle at the top left")
        self.assertEqual(normalize("Top-left."), "top left")
        self.assertEqual(normalize("\tBIG\nsquare!!"), "big square")


class ParseTest(unittest.TestCase):
    def test_one_object_with_every_optional_part(self):
        self.assertEqual(parse("a circle"), Caption((Phrase("circle"),)))
        self.assertEqual(
            parse("a little orange triangle in the middle on a black background"),
            Caption((Phrase("triangle", "orange", "small", (1, 1)),), background="black"))
        self.assertEqual(parse("a big cross at the bottom right").objects,
                         (Phrase("cross", size="large", cell=(2, 2)),))

    def test_synonyms_and_positions(self):
        self.assertEqual(parse("a little square").objects[0].size, "small")
        self.assertEqual(parse("a big square").objects[0].size, "large")
        self.assertEqual(parse("a square in the middle"), parse("a square at the center"))
        for words, cell in [("top", (0, 1)), ("left", (1, 0)), ("right", (1, 2)),
                            ("bottom", (2, 1)), ("top left", (0, 0)), ("bottom right", (2, 2))]:
            with self.subTest(words):
                self.assertEqual(parse(f"a square at the {words}").objects[0].cell, cell)

    def test_two_objects_with_positions(self):
        caption = parse("a red square at the top and an orange circle in the left "
                        "on a white background")
        self.assertEqual(caption.form, "positions")
        self.assertEqual(caption.objects, (Phrase("square", "red", cell=(0, 1)),
                                           Phrase("circle", "orange", cell=(1, 0))))
        self.assertEqual(caption.background, "white")

    def test_relations(self):
        for relation in ["above", "below", "to the left of", "to the right of"]:
            with self.subTest(relation):
                caption = parse(f"a small blue cross {relation} a yellow triangle")
                self.assertEqual(caption.form, "relation")
                self.assertEqual(caption.relation, relation)
                self.assertEqual(caption.objects, (Phrase("cross", "blue", "small"),
                                                   Phrase("triangle", "yellow")))

    def test_either_article_and_messy_typing(self):
        self.assertEqual(parse("an circle"), parse("a circle"))
        self.assertEqual(parse("A Big, RED Square -- at the Top-Right."),
                         parse("a big red square at the top right"))

    def test_errors_say_where(self):
        for text, message in [
            ("", "empty"),
            ("red circle", "expected 'a' or 'an' but found 'red'"),
            ("a red", "expected a shape"),
            ("a circle at the", "expected a position but found 'the end'"),
            ("a circle at the top and a square", "expected 'at the' or 'in the'"),
            ("a circle near a square", "unexpected 'near'"),
            ("a circle on a pink background", "expected a background colour"),
            ("a circle above a square at the top", "unexpected 'at'"),
        ]:
            with self.subTest(text):
                with self.assertRaisesRegex(CaptionError, message):
                    parse(text)


class DescribeTest(unittest.TestCase):
    def test_captions_of_a_scene_parse_and_hold(self):
        rng = random.Random(5)
        forms = set()
        for _ in range(2000):
            scene = sample_scene(rng)
            text = describe(rng, scene)
            with self.subTest(text=text, scene=scene):
                self.assertEqual(text, normalize(text))
                caption = parse(text)
                forms.add(caption.form)
                self.assertTrue(satisfies(scene.objects, scene.background, caption))
        self.assertEqual(forms, {"single", "positions", "relation"})

    def test_article_an_before_vowels_only(self):
        rng = random.Random(6)
        for _ in range(1000):
            words = describe(rng, sample_scene(rng)).split()
            for article, following in zip(words, words[1:]):
                if article in ("a", "an"):
                    with self.subTest(words=words):
                        self.assertEqual(article == "an", following[0] in "aeiou")

    def test_forms_on_request(self):
        rng = random.Random(7)
        scene = sample_scene(rng, n_objects=2)
        self.assertEqual(parse(describe(rng, scene, form="relation")).form, "relation")
        self.assertEqual(parse(describe(rng, scene, form="positions")).form, "positions")


class EvaluationSplitTest(unittest.TestCase):
    def test_a_fixed_tenth_is_reserved(self):
        rng = random.Random(8)
        texts = {describe(rng, sample_scene(rng)) for _ in range(5000)}
        share = sum(map(is_evaluation_caption, texts)) / len(texts)
        self.assertAlmostEqual(share, 0.1, delta=0.02)


if __name__ == "__main__":
    unittest.main()
