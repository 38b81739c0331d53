#!/usr/bin/env python3
"""Imports an Engram-written .apkg into a fresh collection with Anki's own library (anki==26.9.3)
and prints what Anki sees, as JSON: note, card and revlog counts, and each card's review count
keyed by "<note guid> <card ord>". Used by the test suite (AnkiExportTests) and `make bench`.
  python check_apkg_in_anki.py FILE.apkg"""
import json, os, sys, tempfile
from anki.collection import Collection, ImportAnkiPackageRequest, ImportAnkiPackageOptions

path = sys.argv[1]
tmp = tempfile.mkdtemp()
col = Collection(os.path.join(tmp, "check.anki2"))
col.import_anki_package(ImportAnkiPackageRequest(
    package_path=path, options=ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=True)))
per_card = {}
for guid, ord_, reps in col.db.all(
        "select n.guid, c.ord, (select count() from revlog r where r.cid = c.id) from cards c join notes n on n.id = c.nid"):
    per_card[f"{guid} {ord_}"] = reps
result = {
    "notes": col.note_count(),
    "cards": col.card_count(),
    "revlog": col.db.scalar("select count() from revlog"),
    "suspended": col.db.scalar("select count() from cards where queue = -1"),
    "review_cards": col.db.scalar("select count() from cards where type = 2"),
    "decks": sorted(d.name for d in col.decks.all_names_and_ids() if d.name != "Default"),
    "per_card": per_card,
}
col.close()
print(json.dumps(result))
