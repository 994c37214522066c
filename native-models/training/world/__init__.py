"""The shapes world (shared/world/SPEC.md v1): constants, scenes, captions, rendering, judging.

Everything here except render.py uses the standard library only, so the judge runs
without numpy or PyTorch (npm run eval and CI call it directly).
"""
