#!/usr/bin/env python3
"""Turn a review-log CSV (card_id,review_time,review_rating,...; the FSRS tools' format, as
written by ../shared/fsrs/synth_revlog.py) into an Engram data directory whose reviews.tsv holds
the same history, for benchmarking `engram optimize` against fsrs-rs. Benchmark tooling only."""
import csv
import datetime
import os
import sys


def main(source, dest):
    os.makedirs(os.path.join(dest, "decks"), exist_ok=True)
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    rows = 0
    with open(source, newline="") as f, open(os.path.join(dest, "reviews.tsv"), "w") as out:
        out.write("# engram review log v1\ntime\tcard\trating\tduration_ms\tkind\n")
        for row in csv.DictReader(f):
            ms = int(float(row["review_time"]))
            rating = int(float(row["review_rating"]))
            if not 1 <= rating <= 4:
                continue
            t = epoch + datetime.timedelta(milliseconds=ms)
            stamp = t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"
            duration = int(float(row.get("review_duration") or 0))
            out.write(f"{stamp}\tsynth/c{row['card_id']}\t{rating}\t{duration}\treview\n")
            rows += 1
    print(f"{rows} reviews -> {dest}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
