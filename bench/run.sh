#!/usr/bin/env bash
# make bench: Engram side by side with Anki's Rust backend on identical cards and history.
# Everything it makes lives in $BENCH_DIR (default bench-data/, git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED=${ENGRAM_SHARED:-$ROOT/../shared}
BENCH_DIR=${BENCH_DIR:-$ROOT/bench-data}
RUNS=${RUNS:-5}
mkdir -p "$BENCH_DIR"
[ -f "$SHARED/anki/gen_collection.py" ] || { echo "bench: $SHARED/anki is missing (../shared beside the checkout)" >&2; exit 1; }

# 1. Anki 26.9.3 in its own virtual environment (PyPI).
VENV=$BENCH_DIR/anki-venv
if ! "$VENV/bin/python" -c "import anki" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q anki==26.9.3 genanki
fi

# 2. The collection: 100,000 cards, 20 decks, 1,000,000 reviews. Its queue depends on the study
#    day it was generated on (rollover 04:00), so regenerate when the day changes.
DAY=$(TZ=UTC date -d '-4 hours' +%F)
if [ "$(cat "$BENCH_DIR/collection.day" 2>/dev/null)" != "$DAY" ]; then
  rm -rf "$BENCH_DIR/full.anki2" "$BENCH_DIR/full.anki2.export" "$BENCH_DIR/full.media"
  TZ=UTC "$VENV/bin/python" "$SHARED/anki/gen_collection.py" "$BENCH_DIR/full.anki2"
  echo "$DAY" > "$BENCH_DIR/collection.day"
fi

# 3. The whole collection as an Anki package (Anki's exporter, with scheduling): Anki's own
#    package import (test p) and Engram's `import` both read it.
if [ ! -f "$BENCH_DIR/full.apkg" ] || [ "$BENCH_DIR/full.anki2" -nt "$BENCH_DIR/full.apkg" ]; then
  "$VENV/bin/python" bench/export_apkg.py "$BENCH_DIR/full.anki2" "$BENCH_DIR/full.apkg"
fi

# Anki's figures. bench_anki.py keeps scratch files beside itself, so run a copy here rather
# than writing into ../shared.
mkdir -p "$BENCH_DIR/anki-bench/work"
cp "$SHARED/anki/bench_anki.py" "$BENCH_DIR/anki-bench/bench_anki.py"
TZ=UTC "$VENV/bin/python" "$BENCH_DIR/anki-bench/bench_anki.py" "$BENCH_DIR/full.anki2" \
  --runs "$RUNS" --only abcdgp --apkg "$BENCH_DIR/full.apkg" --json "$BENCH_DIR/anki-results.json" > "$BENCH_DIR/anki-results.txt"

# 4. The same cards and history as an Engram data directory.
rm -rf "$BENCH_DIR/engram-home"
python3 bench/convert_anki_export.py "$BENCH_DIR/full.anki2.export" "$BENCH_DIR/engram-home"

# 6. Engram's figures beside Anki's.
TZ=UTC python3 bench/bench.py --engram "$ROOT/.build/release/engram" --home "$BENCH_DIR/engram-home" \
  --anki "$BENCH_DIR/anki-results.json" --runs "$RUNS" --out "$BENCH_DIR/results.md" \
  --import-tsv "$BENCH_DIR/full.anki2.export/cards.tsv" --apkg "$BENCH_DIR/full.apkg"

# 7. engram optimize beside fsrs-rs on synthetic learners (5k and 20k cards).
FSRS_VENV=$BENCH_DIR/fsrs-venv
if ! "$FSRS_VENV/bin/python" -c "import fsrs, fsrs_rs_python" 2>/dev/null; then
  python3 -m venv "$FSRS_VENV"
  "$FSRS_VENV/bin/pip" install -q fsrs==6.3.2 fsrs-rs-python==0.9.3
fi
"$FSRS_VENV/bin/python" bench/optimize_compare.py --engram "$ROOT/.build/release/engram" --shared "$SHARED" \
  --dir "$BENCH_DIR/optimize" --out "$BENCH_DIR/optimize-results.md"

# 8. engram simulate beside fsrs-rs's simulator: 10,000 new cards, 20/day, 365 days, retention 0.9.
"$FSRS_VENV/bin/python" bench/simulate_compare.py --engram "$ROOT/.build/release/engram" \
  --out "$BENCH_DIR/simulate-results.md"

# 9. engram optimize beside fsrs-rs on the first 50, 200 and 1,000 reviews of a synthetic learner.
"$FSRS_VENV/bin/python" bench/small_fit_compare.py --engram "$ROOT/.build/release/engram" --shared "$SHARED" \
  --dir "$BENCH_DIR/optimize" --out "$BENCH_DIR/small-fit-results.md"

# 10. Export back out: every deck with its history as an .apkg, imported by Anki's own library;
#    the counts Anki sees are printed beside what Engram wrote (issue 11).
rm -rf "$BENCH_DIR/export-home" && cp -r "$BENCH_DIR/engram-home" "$BENCH_DIR/export-home"
START=$(date +%s.%N)
ENGRAM_HOME="$BENCH_DIR/export-home" "$ROOT/.build/release/engram" export --force --all "$BENCH_DIR/engram-export.apkg"
echo "export --all: $(echo "$(date +%s.%N) - $START" | bc) s"
"$VENV/bin/python" bench/check_apkg_in_anki.py "$BENCH_DIR/engram-export.apkg" \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("per_card"); print("Anki sees:", d)'
