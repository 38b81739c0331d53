#!/usr/bin/env python3
"""Exports the whole bench collection as an Anki package with scheduling (current format), using
Anki's own exporter, for timing `engram import` of a large .apkg. Benchmark tooling only.
Usage: export_apkg.py COLLECTION.anki2 OUT.apkg"""
import os
import shutil
import sys
import tempfile

from anki.collection import Collection, ExportAnkiPackageOptions

source, target = sys.argv[1], sys.argv[2]
scratch = tempfile.mkdtemp()
copy = os.path.join(scratch, "collection.anki2")
shutil.copy(source, copy)
col = Collection(copy)
options = ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True, with_media=False, legacy=False)
count = col.export_anki_package(out_path=target, options=options, limit=None)
col.close()
shutil.rmtree(scratch)
print(f"exported {count} notes to {target}")
