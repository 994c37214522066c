#!/usr/bin/env python3
"""Judge images against captions of the shapes world (shared/world/SPEC.md). Stdlib only.

  python3 judge.py IMAGE.png "a red circle above a blue square"
  python3 judge.py --batch FILE.jsonl    # lines {"png": path, "caption": text, ...}
  python3 judge.py --batch -             # the same lines from standard input

Prints one JSON object per image: {"satisfied", "background", "objects", "reason"}; in a
batch each result also keeps its line's other fields. Relative paths are relative to the
current directory. Exit status 0 on success; 2 with one line on standard error when the
input is bad (no such file, not a PNG, a caption outside the grammar, a bad batch line).
"""
import argparse
import json
import os
from pathlib import Path
import sys

sys.path.insert(0, str(Path(__file__).resolve().parent))

from world.captions import CaptionError  # noqa: E402
from world.judge import PngError, judge  # noqa: E402


class BadInput(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):    # one line instead of usage + error
        raise BadInput(message)


def judge_file(png, caption):
    try:
        return judge(png, caption)
    except FileNotFoundError:
        raise BadInput(f"no such file: {png}") from None
    except OSError as e:
        raise BadInput(f"cannot read {png}: {e.strerror}") from None
    except PngError as e:
        raise BadInput(f"{png}: {e}") from None
    except CaptionError as e:
        raise BadInput(f"caption {caption!r}: {e}") from None
    except ValueError as e:    # a readable PNG that is no canvas of the world (not square)
        raise BadInput(f"{png}: {e}") from None


def judge_batch(lines, out):
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except json.JSONDecodeError:
            request = None
        if not isinstance(request, dict):
            raise BadInput(f"line {number}: not a JSON object")
        if not isinstance(request.get("png"), str) or not isinstance(request.get("caption"), str):
            raise BadInput(f'line {number}: needs string fields "png" and "caption"')
        try:
            result = judge_file(request["png"], request["caption"])
        except BadInput as e:
            raise BadInput(f"line {number}: {e}") from None
        out.write(json.dumps({**request, **result}) + "\n")
        out.flush()


def main(argv=None):
    parser = _Parser(description=__doc__.split("\n\n")[0])
    parser.add_argument("image", nargs="?", help="a PNG file")
    parser.add_argument("caption", nargs="?", help="a caption of the grammar")
    parser.add_argument("--batch", metavar="FILE.jsonl", help='JSON lines {"png", "caption"}')
    try:
        args = parser.parse_args(argv)
        if args.batch is not None:
            if args.image is not None:
                raise BadInput("give either --batch or an image and a caption, not both")
            if args.batch == "-":
                judge_batch(sys.stdin, sys.stdout)
            else:
                try:
                    with open(args.batch, encoding="utf-8") as lines:
                        judge_batch(lines, sys.stdout)
                except OSError as e:
                    raise BadInput(f"cannot read {args.batch}: {e.strerror}") from None
                except UnicodeDecodeError:
                    raise BadInput(f"{args.batch} is not UTF-8 text") from None
        elif args.image is None or args.caption is None:
            raise BadInput("give an image and a caption, or --batch FILE.jsonl")
        else:
            print(json.dumps(judge_file(args.image, args.caption)))
    except BadInput as e:
        print(f"judge.py: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:    # the reader went away (| head): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
