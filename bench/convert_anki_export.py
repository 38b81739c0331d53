#!/usr/bin/env python3
"""Turn the neutral export of ../shared/anki/gen_collection.py into an Engram data directory.

cards.tsv: deck<TAB>front<TAB>back, line i (0-based) is Anki card id 1500000000000+i.
revlog.csv: card_id,review_time_ms,rating,duration_ms.
Writes DEST/decks/<deck>.md (one per Anki deck, card ids c<i>) and DEST/reviews.tsv with the same
history, so Engram and Anki work on identical cards and reviews. Benchmark tooling, not product.
"""
import csv
import datetime
import os
import re
import sys


def deck_id(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def main(export, dest):
    os.makedirs(os.path.join(dest, "decks"), exist_ok=True)
    decks = {}
    keys = {}
    with open(os.path.join(export, "cards.tsv"), encoding="utf-8") as f:
        for index, line in enumerate(f):
            deck, front, back = line.rstrip("\n").split("\t")
            did = deck_id(deck)
            decks.setdefault(did, (deck, []))[1].append((index, front, back))
            keys[1500000000000 + index] = f"{did}/c{index}"
    for did, (name, cards) in decks.items():
        with open(os.path.join(dest, "decks", did + ".md"), "w", encoding="utf-8") as out:
            out.write(f"# {name}\nid: {did}\ntopics: bench\ndescription: Benchmark deck.\n")
            for index, front, back in cards:
                out.write(f"\n## c{index}\nQ: {front}\nA: {back}\n")
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    with open(os.path.join(export, "revlog.csv"), encoding="utf-8") as f, open(
        os.path.join(dest, "reviews.tsv"), "w", encoding="utf-8"
    ) as out:
        out.write("# engram review log v1\ntime\tcard\trating\tduration_ms\tkind\n")
        reader = csv.reader(f)
        next(reader)
        for card_id, ms, rating, duration in reader:
            t = epoch + datetime.timedelta(milliseconds=int(ms))
            stamp = t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(ms) % 1000:03d}Z"
            out.write(f"{stamp}\t{keys[int(card_id)]}\t{rating}\t{duration}\treview\n")
    # Anki's queue limits in the generated collection: 20 new/day, 9999 reviews/day.
    with open(os.path.join(dest, "config.toml"), "w") as out:
        out.write("new_cards_per_day = 20\nreviews_per_day = 9999\n")
    print(f"{len(keys)} cards in {len(decks)} decks -> {dest}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
