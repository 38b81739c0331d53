#!/usr/bin/env python3
"""Builds anki_notes_html_true.txt and anki_notes_html_false.txt: the same five notes exported by
Anki's own "Notes in Plain Text" exporter (anki==26.9.3, export_note_csv), once with HTML and media
references kept and once without, with GUID, note type, deck and tag columns. The notes carry what a
package's fields carry: MathJax inline and display, Anki's [$]/[$$]/[latex] LaTeX, furigana, a cloze
with a hint and a formula, an image and a sound. Run with the bench's Anki venv:
  bench-data/anki-venv/bin/python Tests/EngramStoreTests/Fixtures/make_anki_text_fixtures.py Tests/EngramStoreTests/Fixtures
The tests' expected values come from the content written below, not from Engram's output."""
import os, sys, tempfile
from anki.collection import Collection, DeckIdLimit

out = sys.argv[1]
col = Collection(os.path.join(tempfile.mkdtemp(), "text.anki2"))
deck = col.decks.id("Maths::Greek")

def add(model, fields, tags=()):
    note = col.new_note(col.models.by_name(model))
    for key, value in fields.items():
        note[key] = value
    note.tags = list(tags)
    col.add_note(note, deck)

add("Basic", {"Front": "Area of a circle <b>of radius</b> r", "Back": "\\(\\pi r^2\\)"}, ["geometry"])
add("Basic", {"Front": "[$]\\alpha + \\beta[/$]", "Back": "[$$]\\frac{1}{2}[/$$]"})
add("Basic", {"Front": "日本語[にほんご]を 勉強[べんきょう]する", "Back": "to study Japanese<br>a second line"})
add("Cloze", {"Text": "{{c1::\\(\\sqrt{x}\\)::root}} of x", "Back Extra": "[latex]\\sum_{i} x_i[/latex]"})
add("Basic", {"Front": "dog <img src=\"dog.jpg\">", "Back": "perro [sound:perro.mp3]"})
for html in (True, False):
    path = os.path.join(out, f"anki_notes_html_{str(html).lower()}.txt")
    col.export_note_csv(out_path=path, limit=DeckIdLimit(deck), with_html=html, with_tags=True, with_deck=True,
                        with_notetype=True, with_guid=True)
    print("wrote", path)
col.close()
