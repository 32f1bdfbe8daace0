"""The Speech Commands side of training/train.py: reading a prepared speech_commands tree, the
`speech-commands` model (12 classes, the seed's task) and the Speech Commands clips added to `digits`.

Called from train.py with the train module itself (`tr`), so the augmentation switches set in its
main() apply here too. The tree is the one `python3 prepare.py OUT GITDIR...` builds (see
training/README.md): `<word>/<speaker>_nohash_<n>.wav`, `manifest.csv` (file, word, speaker, split).
Only the `training` split is trained on; `validation` is scored after training (model selection);
`testing` is never read here (training/evaluate.mjs scores it through Wavebench itself).
"""
import csv, hashlib, json, os, time
import numpy as np

SC_LABELS = ['_silence_', '_unknown_', 'yes', 'no', 'up', 'down', 'left', 'right', 'on', 'off', 'stop', 'go']
COMMANDS = SC_LABELS[2:]
DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']
# synthetic renditions per command word: on/off have ~10 real training clips, the others hundreds
SYNTH_PER_WORD = {'on': 360, 'off': 360}
SYNTH_DEFAULT = 48
# synthetic non-command words (so "synthetic voice" is no cue for on/off): the Speech Commands
# auxiliary words and digits, plus near neighbours of the commands
SYNTH_UNKNOWN = '''bed bird cat dog happy house marvin sheila tree wow backward forward follow learn visual
zero one two three four five six seven eight nine of all awe dawn honest often law lot odd
yet yeah less yellow not know snow now nor cup pup town found loud lift lefty light write bright
ride rope sock stock top shop gone dog goal good girl'''.split()


def need_data(ap, args):
    if not args.data:
        ap.error('--data DIR is required: the speech_commands tree built by prepare.py (see training/README.md), '
                 'or set SPEECH_COMMANDS_DIR')
    if not os.path.isfile(os.path.join(args.data, 'manifest.csv')):
        ap.error(f'--data {args.data}: no manifest.csv there (is it a tree built by prepare.py?)')


def read_manifest(data):
    with open(os.path.join(data, 'manifest.csv'), newline='') as f:
        return list(csv.DictReader(f))


def load_split(tr, data, split, keep=None):
    """[(word, audio, file)] of one split; keep(word) filters the words. The split's audio is cached
    in the work folder (int16, keyed by the manifest's rows of that split)."""
    rows = [r for r in read_manifest(data) if r['split'] == split and r['word'] != '_silence_']
    key = hashlib.sha1('\n'.join(r['file'] + r['frames'] for r in rows).encode()).hexdigest()[:12]
    cache = os.path.join(tr.WORK, f'sc_{split}_{key}.npz')
    if os.path.exists(cache):
        d = np.load(cache, allow_pickle=True)
        audio = [a.astype(np.float32) / 32768.0 for a in d['audio']]
    else:
        audio = []
        for r in rows:
            x, sr = tr.read_wav(os.path.join(data, r['file']))
            audio.append(tr.to16k(x, sr))
        np.savez(cache, audio=np.array([np.round(a * 32768).astype(np.int16) for a in audio], dtype=object))
    return [(r['word'], a, r['file']) for r, a in zip(rows, audio) if not keep or keep(r['word'])]


def place(x, rng, max_lead=0.45):
    """A trimmed word (synthetic, FSDD) put somewhere in the 1-s window, as Speech Commands clips
    are: up to max_lead s of leading silence, the word still inside the window where it fits."""
    room = 16000 - len(x)
    if room <= 0:
        return x
    lead = rng.randint(0, int(min(room, max_lead * 16000)) + 1)
    return np.concatenate([np.zeros(lead, np.float32), x]).astype(np.float32)


def make_silence_sc(tr, rng):
    """_silence_: the train.py noises, plus coloured (microphone-filtered) noise up to -15 dBFS."""
    if rng.rand() < 0.4:
        y = tr.colored_noise(rng, 16000, rng.choice(['white', 'pink', 'brown']))
        y = tr.random_eq(y, rng)
        y = y / (np.sqrt(np.mean(y ** 2)) + 1e-12) * 10 ** (rng.uniform(-75, -15) / 20)
        return np.clip(y, -1, 1).astype(np.float32)
    return tr.make_silence(rng)


def synth_words(tr, words, counts, tag, seed):
    """espeak-ng (1/3) and flite/festival (2/3) renditions of each word; cached in the work folder."""
    cache = os.path.join(tr.WORK, f'synth_{tag}.npz')
    if os.path.exists(cache):
        d = np.load(cache, allow_pickle=True)
        return list(d['audio']), list(d['word'])
    audio, word = [], []
    n_es = {w: counts[w] // 3 for w in words}
    n_tts = {w: counts[w] - n_es[w] for w in words}
    a, lab, _ = tr.make_espeak_list(words, n_es, f'espeak_{tag}', seed)
    audio += a; word += [words[i] for i in lab]
    a, lab, _ = tr.make_tts_list(words, n_tts, f'tts_{tag}', seed + 1)
    audio += a; word += [words[i] for i in lab]
    np.savez(cache, audio=np.array(audio, dtype=object), word=np.array(word))
    return audio, word


class SCBank:
    def __init__(self, tr, args):
        t0 = time.time()
        self.tr = tr
        train = load_split(tr, args.data, 'training')
        self.real = {w: [] for w in COMMANDS}
        self.unknown_real = []
        for w, x, _ in train:
            (self.real[w] if w in self.real else self.unknown_real).append(x)
        self.val = load_split(tr, args.data, 'validation')
        counts = {w: SYNTH_PER_WORD.get(w, SYNTH_DEFAULT) for w in COMMANDS}
        sa, sw = synth_words(tr, COMMANDS, counts, 'sc_commands', 777)
        self.synth = {w: [] for w in COMMANDS}
        for x, w in zip(sa, sw):
            self.synth[str(w)].append(x)
        ua, _ = synth_words(tr, SYNTH_UNKNOWN, {w: 6 for w in SYNTH_UNKNOWN}, 'sc_unknown', 888)
        ew, eg = tr.make_espeak_words(np.random.RandomState(0))
        self.synth_unknown = ua + [x for x, g in zip(ew, eg) if tr.UNKNOWN_WORDS[g] not in COMMANDS]
        self.fsdd = [c['audio'] for c in tr.load_fsdd(args.fsdd)] if args.fsdd else []
        print('data: ' + ', '.join(f'{w} {len(self.real[w])}+{len(self.synth[w])}s' for w in COMMANDS)
              + f'; unknown {len(self.unknown_real)} real + {len(self.synth_unknown)} synthetic + '
              f'{len(self.fsdd)} fsdd; validation {len(self.val)} [{time.time() - t0:.0f}s]', flush=True)

    def build(self, args, rng):
        tr = self.tr
        N = args.per_class
        audio, y, clean = [], [], []

        def add(x, label, is_clean=False):
            if is_clean:
                clean.append(len(audio))
            audio.append(x); y.append(label)
        for li, w in enumerate(SC_LABELS):
            if li < 2:
                continue
            real, syn = self.real[w], self.synth[w]
            n_syn = int(N * (args.synth_share_rare if len(real) < 100 else 0.08))
            n_real = max(N - n_syn, len(real))  # every real clip at least once, clean
            for k in range(n_real):
                x = real[k % len(real)]
                add(tr.fit_window(x) if k < len(real) else tr.augment(x, rng), li, k < len(real))
            for k in range(n_syn):
                add(tr.augment(place(syn[rng.randint(len(syn))], rng), rng), li)
        # _unknown_: real other words and digits (clean once, then augmented), synthetic words, FSDD
        # digits, noise bursts
        ur = self.unknown_real
        n_ur = int(N * 0.45)
        for k in range(n_ur):
            x = ur[k % len(ur)]
            add(tr.fit_window(x) if k < len(ur) else tr.augment(x, rng), 1, k < len(ur))
        for k in range(int(N * 0.3)):
            add(tr.augment(place(self.synth_unknown[rng.randint(len(self.synth_unknown))], rng), rng), 1)
        n_f = int(N * 0.15) if self.fsdd else 0
        for k in range(n_f):
            add(tr.augment(place(self.fsdd[rng.randint(len(self.fsdd))], rng), rng), 1)
        while sum(1 for v in y if v == 1) < N:
            add(tr.make_burst(rng), 1)
        for k in range(N):
            add(make_silence_sc(tr, rng), 0, k < N // 5)
        t0 = time.time()
        x = tr.mfcc_batch(np.stack(audio))
        print(f'features: {len(x)} examples, mfcc {time.time() - t0:.0f}s', flush=True)
        return x, np.array(y), np.array(clean)


def label_of(word):
    return SC_LABELS.index(word) if word in SC_LABELS else 1


def evaluate(tr, model, mean, std, clips):
    """Top-1 and confusion on [(word, audio, file)] clips, the clip at sample 0 as at inference."""
    x = tr.mfcc_batch(np.stack([tr.fit_window(a) for _, a, _ in clips]))
    p = tr.predict(model, x, mean, std)
    yt = np.array([label_of(w) for w, _, _ in clips])
    conf = np.zeros((12, 12), int)
    for a, b in zip(yt, p.argmax(1)):
        conf[a, b] += 1
    return float((p.argmax(1) == yt).mean()), conf


def train_speech_commands(tr, args):
    t0 = time.time()
    if args.export_only:  # re-export WORK/speech-commands.keras
        model = tr.tf().keras.models.load_model(os.path.join(tr.WORK, 'speech-commands.keras'))
        d = np.load(os.path.join(tr.WORK, 'speech-commands_norm.npz'))
        export(tr, model, d['mean'], d['std'], 'speech-commands')
        return model
    feat_cache = os.path.join(tr.WORK, f'sc_features_{args.tag}_seed{args.seed}_n{args.per_class}.npz')
    bank = SCBank(tr, args)
    rng = np.random.RandomState(args.seed)
    if os.path.exists(feat_cache):
        d = np.load(feat_cache)
        x, y, ci = d['x'], d['y'], d['ci']
    else:
        x, y, ci = bank.build(args, rng)
        np.savez(feat_cache, x=x, y=y, ci=ci)
    mean, std = tr.normalisation(x[ci])
    tfeat = time.time() - t0
    print(f'{len(x)} training examples, features ready in {tfeat:.0f}s', flush=True)
    model = tr.train_model(x, y, mean, std, args, args.seed)
    ttrain = time.time() - t0
    name = 'speech-commands'
    model.save(os.path.join(tr.WORK, f'{name}.keras'))
    np.savez(os.path.join(tr.WORK, f'{name}_norm.npz'), mean=mean, std=std)
    val_acc, val_conf = evaluate(tr, model, mean, std, bank.val)
    flops = tr.count_flops(model)
    print(f'validation top-1 {val_acc:.4f}; {flops / 1e6:.1f} MFLOP/clip; total {ttrain:.0f}s', flush=True)
    for i, l in enumerate(SC_LABELS):
        row = val_conf[i]
        if row.sum():
            print(f'  {l:10s} recall {row[i] / row.sum():.3f} ({row[i]}/{row.sum()})', flush=True)
    stats = dict(examples=int(len(x)), feature_seconds=round(tfeat, 1), total_seconds=round(ttrain, 1),
                 params=int(model.count_params()), mflops=round(flops / 1e6, 2), validation_accuracy=val_acc,
                 validation_confusion=val_conf.tolist(), args={k: v for k, v in vars(args).items()})
    with open(os.path.join(tr.WORK, f'{name}_stats.json'), 'w') as f:
        json.dump(stats, f, indent=1)
    if not args.no_export:
        export(tr, model, mean, std, name)
    return model


def export(tr, model, mean, std, name):
    out = os.path.join(tr.ROOT, 'models', name)
    os.makedirs(out, exist_ok=True)
    tr.export_layers_model(model, out)
    with open(os.path.join(out, 'metadata.json'), 'w') as f:
        json.dump(tr.metadata(mean, std, name, SC_LABELS), f, indent=1)
    print(f'exported models/{name}', flush=True)


def sc_digit_clips(tr, data):
    """The training split's digit clips: [(label index in train.LABELS, audio)]."""
    return [(tr.LABELS.index(w), x) for w, x, _ in load_split(tr, data, 'training', lambda w: w in DIGIT_WORDS)]


def sc_other_clips(tr, data):
    """The training split's non-digit words (real _unknown_ material for `digits`)."""
    return [x for w, x, _ in load_split(tr, data, 'training', lambda w: w not in DIGIT_WORDS)]
