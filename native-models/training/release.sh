#!/usr/bin/env bash
# Turn a trained run into the shipped package, measured:
#   bash native-models/training/release.sh RUN [OUT=native-models/shapes-v1]
# 1. picks the default guidance on validation prompts (seed 777, 60 per category; never the
#    evaluation seed),
# 2. measures the image tokenizer and prompt following (200 prompts per category, seed
#    20261128, with the guidance and reranking sweeps),
# 3. exports the package with those defaults and figures in its manifest, plus parity vectors.
# Run from the repository root. Writes its measurements to RUN/release/.
set -euo pipefail
RUN=${1:?usage: release.sh RUN [OUT]}
OUT=${2:-native-models/shapes-v1}
PY=/usr/bin/python3
T=native-models/training
R=$RUN/release
mkdir -p "$R"

for g in 1.0 1.25 1.5 2.0; do
  [ -s "$R/select-$g.json" ] || $PY $T/evaluate.py model --run-dir "$RUN" --per-category 60 --seed 777 \
    --guidance "$g" --candidates 8 --out "$R/select-$g.json" > /dev/null
done
GUIDANCE=$($PY - "$R" <<'EOF'
import json, sys, glob
# The guidance whose worst margin over the three goals is best (held-out pairs have no goal).
goals = {"one_object": 0.95, "two_positions": 0.85, "relation": 0.80}
def margin(path):
    d = json.load(open(path))["default"]
    return min(d[c]["satisfied"] - goal for c, goal in goals.items())
paths = sorted(glob.glob(sys.argv[1] + "/select-*.json"))
print(max(paths, key=margin).rsplit("select-", 1)[1][:-5])
EOF
)
echo "default guidance: $GUIDANCE" >&2

[ -s "$R/tokenizer.json" ] || $PY $T/evaluate.py tokenizer --run-dir "$RUN" --out "$R/tokenizer.json" > /dev/null
[ -s "$R/model.json" ] || $PY $T/evaluate.py model --run-dir "$RUN" --per-category 200 --guidance "$GUIDANCE" \
  --candidates 8 --sweep --sweep-per-category 100 --out "$R/model.json" > /dev/null

$PY - "$R" "$GUIDANCE" > "$R/metrics.json" <<'EOF'
import json, sys, glob
r, guidance = sys.argv[1], float(sys.argv[2])
tokenizer = json.load(open(r + "/tokenizer.json"))
tokenizer.pop("failures", None)
selection = {p.rsplit("select-", 1)[1][:-5]: json.load(open(p))["default"] for p in sorted(glob.glob(r + "/select-*.json"))}
print(json.dumps({"imageTokenizer": tokenizer, "promptFollowing": json.load(open(r + "/model.json")),
                  "guidanceSelection": {"seed": 777, "promptsPerCategory": 60, "candidates": 8, "chosen": guidance,
                                        "byGuidance": selection}}, indent=1))
EOF
$PY $T/export.py --run-dir "$RUN" --out "$OUT" --id shapes-v1 --parity-dir test/fixtures/parity/shapes-v1 \
  --guidance "$GUIDANCE" --candidates 8 --metrics "$R/metrics.json"
$PY $T/tables.py "$R/metrics.json" | tee "$R/tables.md"
