#!/usr/bin/env python3
"""Builds anki_features.colpkg (a whole-collection package) with Anki's own library (anki==26.9.3):
note types and features the shared fixtures do not cover. Run with the bench's Anki venv:
  bench-data/anki-venv/bin/python Tests/EngramStoreTests/Fixtures/make_anki_fixtures.py Tests/EngramStoreTests/Fixtures
The tests' expected values come from the content written below, not from Engram's output."""
import os, sys, tempfile
from anki.collection import Collection, ExportAnkiPackageOptions, DeckIdLimit

out = sys.argv[1]
tmp = tempfile.mkdtemp()
col = Collection(os.path.join(tmp, "features.anki2"))
with open(os.path.join(col.media.dir(), "dog.jpg"), "wb") as f:
    f.write(b"\xff\xd8\xff\xe0 not really a jpeg")

verbs = col.decks.id("Lang::Spanish::Verbs")
nouns = col.decks.id("Lang::Spanish")

def add(model, fields, deck, tags=()):
    note = col.new_note(col.models.by_name(model))
    for key, value in fields.items():
        note[key] = value
    note.tags = list(tags)
    col.add_note(note, deck)
    return note

perro = add("Basic (and reversed card)", {"Front": "perro", "Back": "dog <img src=\"dog.jpg\">"}, nouns, ["animals"])
comer = add("Basic (optional reversed card)", {"Front": "comer", "Back": "to eat", "Add Reverse": ""}, verbs)
vivir = add("Basic (optional reversed card)", {"Front": "vivir", "Back": "to live", "Add Reverse": "y"}, verbs)
typed = add("Basic (type in the answer)", {"Front": "gato", "Back": "cat"}, nouns)
capital = add("Cloze", {"Text": "{{c1::Madrid::city}} is the capital of {{c2::Spain}}", "Back Extra": "Since 1561."}, nouns, ["geo::capitals"])

# Review the first card of perro three times (Good, Again, Good) and capital's c2 once (Easy).
def review(card, ease):
    card = col.get_card(card.id)
    card.start_timer()
    col.sched.answerCard(card, ease)

col.decks.select(nouns)
first = perro.cards()[0]
for ease in (3, 1, 3):
    review(first, ease)
review(capital.cards()[1], 4)
# Forget vivir's reversed card: a manual revlog entry (ease 0), not a review.
review(vivir.cards()[1], 3)
col.sched.schedule_cards_as_new([vivir.cards()[1].id])
# Suspend capital's c1 card.
col.sched.suspend_cards([capital.cards()[0].id])

col.export_collection_package(out_path=os.path.join(out, "anki_features.colpkg"), include_media=True, legacy=False)
col.close()
print("wrote", os.path.join(out, "anki_features.colpkg"))
