"""Builds the bundled samples.

samples/digits/: 10 FSDD clips per digit (2 per speaker, copied unchanged, 8 kHz) and three generated
1-s 16 kHz _silence_ clips (digital silence, pink noise, mains hum).
samples/speech-commands/: 3 clips of each of the ten command words, of `_silence_` and of other words
(`_unknown_/`), all from the Speech Commands TEST split (speakers no bundled model was trained on),
copied unchanged; each from a different speaker, chosen by a fixed hash of the file name.

    python training/make_samples.py --fsdd FSDD/recordings --data SPEECH_COMMANDS_TREE
(either option alone builds only its folder)"""
import argparse, csv, hashlib, os, shutil, sys
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train as T

OUT = os.path.join(T.ROOT, 'samples', 'digits')


def make_digits(fsdd):
    for d in range(10):
        lab = T.LABELS[2 + d]
        os.makedirs(os.path.join(OUT, lab), exist_ok=True)
        for s in T.SPEAKERS:
            for idx in (d % 5 * 10 + 1, d % 5 * 10 + 6):  # spread over the recording indexes
                name = f'{d}_{s}_{idx}.wav'
                shutil.copyfile(os.path.join(fsdd, name), os.path.join(OUT, lab, name))
    sil = os.path.join(OUT, '_silence_')
    os.makedirs(sil, exist_ok=True)
    rng = np.random.RandomState(7)
    T.write_wav(os.path.join(sil, 'digital_silence.wav'), np.zeros(16000, np.float32))
    T.write_wav(os.path.join(sil, 'pink_noise_-50dBFS.wav'), T.colored_noise(rng, 16000, 'pink') * 10 ** (-50 / 20))
    t = np.arange(16000) / 16000
    hum = sum(np.sin(2 * np.pi * 50 * h * t) / h for h in range(1, 5))
    hum = hum / np.sqrt(np.mean(hum ** 2)) * 10 ** (-45 / 20) + T.colored_noise(rng, 16000, 'white') * 10 ** (-70 / 20)
    T.write_wav(os.path.join(sil, 'hum_50Hz_-45dBFS.wav'), hum)


SC_OUT = os.path.join(T.ROOT, 'samples', 'speech-commands')
SC_WORDS = ['yes', 'no', 'up', 'down', 'left', 'right', 'on', 'off', 'stop', 'go']


def make_speech_commands(data, per_label=3):
    with open(os.path.join(data, 'manifest.csv'), newline='') as f:
        rows = [r for r in csv.DictReader(f) if r['split'] == 'testing']
    key = lambda r: hashlib.sha1(r['file'].encode()).hexdigest()
    if os.path.isdir(SC_OUT):
        for d in os.listdir(SC_OUT):
            if os.path.isdir(os.path.join(SC_OUT, d)):
                shutil.rmtree(os.path.join(SC_OUT, d))
    chosen = []
    for label in SC_WORDS + ['_silence_', '_unknown_']:
        if label == '_unknown_':
            cand = [r for r in rows if r['word'] not in SC_WORDS and r['word'] != '_silence_']
        else:
            cand = [r for r in rows if r['word'] == label]
        seen, picked = set(), []
        for r in sorted(cand, key=key):
            spk = r['speaker'] or r['file']
            if spk in seen or (label == '_unknown_' and r['word'] in {p['word'] for p in picked}):
                continue
            seen.add(spk); picked.append(r)
            if len(picked) == per_label:
                break
        os.makedirs(os.path.join(SC_OUT, label), exist_ok=True)
        for r in picked:
            name = os.path.basename(r['file'])
            if label == '_unknown_':
                name = f"{r['word']}_{name}"
            shutil.copyfile(os.path.join(data, r['file']), os.path.join(SC_OUT, label, name))
            chosen.append((label, name, r['word'], r['speaker'], r['repository'], r['path']))
    with open(os.path.join(SC_OUT, 'SOURCES.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['file', 'word', 'speaker', 'repository', 'path'])
        for label, name, word, spk, repo, path in chosen:
            w.writerow([f'{label}/{name}', word, spk, repo, path])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--fsdd', default=os.environ.get('FSDD_DIR'), help='FSDD recordings folder (env FSDD_DIR)')
    ap.add_argument('--data', default=os.environ.get('SPEECH_COMMANDS_DIR'),
                    help='speech_commands tree built by prepare.py (env SPEECH_COMMANDS_DIR)')
    args = ap.parse_args()
    if not args.fsdd and not args.data:
        ap.error('give --fsdd DIR (samples/digits) and/or --data TREE (samples/speech-commands)')
    if args.fsdd:
        make_digits(args.fsdd)
    if args.data:
        make_speech_commands(args.data)


if __name__ == '__main__':
    main()
