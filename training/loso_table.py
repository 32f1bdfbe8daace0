"""Prints the leave-one-speaker-out table (markdown) from training/work/loso_*.json.

    python training/loso_table.py            # every loso_*.json
    python training/loso_table.py v5_s       # only loso_v5_s*.json
    python training/loso_table.py v5_s --ensemble   # also: the runs' probabilities averaged per speaker
                                                    # (loso_<tag>_<speaker>.npz, written by --save-probs)

A speaker evaluated in several runs (several seeds) gets the mean of its runs, each run listed: one
run's accuracy on one speaker moves by several points from seed to seed.
"""
import glob, json, os, sys
import numpy as np

WORK = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'work')
args = [a for a in sys.argv[1:] if not a.startswith('--')]
prefix = args[0] if args else ''
rows = {}
probs = {}
for f in sorted(glob.glob(os.path.join(WORK, 'loso_' + prefix + '*.json'))):
    d = json.load(open(f))
    if 'pilot' in d['args'].get('tag', '') or 'smoke' in d['args'].get('tag', ''):
        continue
    for spk, r in d['results'].items():
        rows.setdefault(spk, []).append(dict(r, seed=d['args'].get('seed', 0)))
        npz = f[:-len('.json')] + f'_{spk}.npz'
        if os.path.exists(npz):
            probs.setdefault(spk, []).append(np.load(npz))
print('| held-out speaker | top-1 accuracy (500 clips) | runs (seed: accuracy) | held-out unknown words → _unknown_ | fold time |')
print('|---|---|---|---|---|')
for spk in sorted(rows):
    rs = rows[spk]
    acc = np.mean([r['accuracy'] for r in rs])
    runs = ', '.join(f"{r['seed']}: {r['accuracy']:.3f}" for r in rs)
    unk = np.mean([r['unknown_heldout_words'] for r in rs])
    mins = np.mean([r['seconds'] for r in rs]) / 60
    print(f"| {spk} | {acc:.3f} | {runs} | {unk:.2f} | {mins:.0f} min |")
if rows:
    a = [np.mean([r['accuracy'] for r in rs]) for rs in rows.values()]
    every = [r['accuracy'] for rs in rows.values() for r in rs]
    print(f"| **mean ({len(a)} speakers)** | **{np.mean(a):.3f}** (min {np.min(a):.3f}) | lowest single run {np.min(every):.3f} | | |")
if '--ensemble' in sys.argv:
    print()
    print('| held-out speaker | runs averaged | top-1 of the averaged probabilities |')
    print('|---|---|---|')
    accs = []
    for spk in sorted(probs):
        ps = probs[spk]
        acc = float((sum(p['p'] for p in ps).argmax(1) == ps[0]['y']).mean())
        accs.append(acc)
        print(f'| {spk} | {len(ps)} | {acc:.3f} |')
    if accs:
        print(f'| **mean** | | **{np.mean(accs):.3f}** (min {np.min(accs):.3f}) |')
