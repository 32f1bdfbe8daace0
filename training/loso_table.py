"""Prints the leave-one-speaker-out table (markdown) from training/work/loso_*.json.

    python training/loso_table.py            # every loso_*.json (later files win per speaker)
    python training/loso_table.py v2_        # only loso_v2_*.json
"""
import glob, json, os, sys
import numpy as np

WORK = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'work')
rows = {}
for f in sorted(glob.glob(os.path.join(WORK, 'loso_' + (sys.argv[1] if len(sys.argv) > 1 else '') + '*.json'))):
    d = json.load(open(f))
    if 'pilot' in d['args'].get('tag', '') or 'smoke' in d['args'].get('tag', ''):
        continue
    for spk, r in d['results'].items():
        rows[spk] = r
print('| held-out speaker | top-1 accuracy (500 clips) | held-out unknown words → _unknown_ | fold time |')
print('|---|---|---|---|')
for spk in sorted(rows):
    r = rows[spk]
    print(f"| {spk} | {r['accuracy']:.3f} | {r['unknown_heldout_words']:.2f} | {r['seconds'] / 60:.0f} min |")
if rows:
    a = [r['accuracy'] for r in rows.values()]
    print(f"| **mean ({len(a)} folds)** | **{np.mean(a):.3f}** (min {np.min(a):.3f}) | | |")
