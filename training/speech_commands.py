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
# synthetic renditions per command word (synth_words tag 'sc_commands_v3'): on/off have ~10 real
# training clips, the others hundreds; every command gets enough renditions that a synthetic voice is
# no cue for on/off (v2 had 48 of each other word against 360 of on/off, and "off" came out "up")
SYNTH_PER_WORD = {'on': 720, 'off': 720}
SYNTH_DEFAULT = 300
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


def _rms_to(y, db):
    return (y / (np.sqrt(np.mean(y ** 2)) + 1e-12) * 10 ** (db / 20)).astype(np.float32)


def noise_scene(tr, rng, n=16000):
    """A second of synthetic everyday background, the kinds speech_commands' _background_noise_
    holds (no recording of them is used: the test split's _silence_ clips are cut from them):
    running water (band noise with a slow random level), dishes (clinks: damped resonances at
    random times over room noise), a machine (a periodic thump and whine: an exercise bike, a fan),
    a voice-like hum (harmonics gliding in pitch, as in a person mimicking a cat), noise bursts and
    tones. Unit RMS."""
    from scipy.signal import butter, lfilter
    t = np.arange(n) / 16000
    kind = rng.choice(['water', 'dishes', 'machine', 'glide', 'bursts'])
    if kind == 'water':
        lo, hi = sorted(rng.uniform(200, 7000, 2))
        b, a = butter(2, [lo / 8000, max(hi, lo + 300) / 8000], 'band')
        y = lfilter(b, a, rng.standard_normal(n))
        env = np.interp(t, np.linspace(0, 1, 12), rng.uniform(0.4, 1.0, 12))
        y = y * env
    elif kind == 'dishes':
        y = tr.colored_noise(rng, n, rng.choice(['pink', 'brown'])) * rng.uniform(0.02, 0.3)
        for _ in range(rng.randint(1, 7)):
            st = rng.randint(0, n - 400)
            ln = n - st
            tt = np.arange(ln) / 16000
            f = rng.uniform(800, 7000)
            clink = np.sin(2 * np.pi * f * tt) * np.exp(-tt * rng.uniform(15, 120))
            y[st:] += clink * rng.uniform(1, 8)
    elif kind == 'machine':
        f0 = rng.uniform(0.8, 4)  # rev/s
        phase = (t * f0) % 1
        thump = np.exp(-phase * rng.uniform(8, 30)) * tr.colored_noise(rng, n, 'brown')
        whine = np.sin(2 * np.pi * rng.uniform(80, 900) * t + rng.uniform(0, 6)) * rng.uniform(0, 0.5)
        y = thump + whine + tr.colored_noise(rng, n, 'pink') * rng.uniform(0.05, 0.5)
    elif kind == 'glide':
        f = np.interp(t, np.linspace(0, 1, 5), rng.uniform(250, 900, 5))
        ph = 2 * np.pi * np.cumsum(f) / 16000
        y = sum(np.sin(h * ph) / h ** rng.uniform(0.5, 1.5) for h in range(1, 8))
        on = np.zeros(n)
        st = rng.randint(0, n // 2); on[st:st + rng.randint(3000, 12000)] = 1
        y = y * np.convolve(on, np.hanning(800) / 400, mode='same')
        y = y + tr.colored_noise(rng, n, 'pink') * rng.uniform(0.01, 0.2)
    else:
        y = tr.make_burst(rng, n) + tr.colored_noise(rng, n, 'pink') * 10 ** (rng.uniform(-60, -30) / 20)
    return _rms_to(np.asarray(y, np.float64), 0)


def make_silence_sc(tr, rng):
    """_silence_: the train.py noises (digital silence, white/pink/brown noise, hum), coloured
    (microphone-filtered) noise, and everyday background (noise_scene), up to -10 dBFS."""
    r = rng.rand()
    if r < 0.3:
        y = tr.colored_noise(rng, 16000, rng.choice(['white', 'pink', 'brown']))
        y = tr.random_eq(y, rng)
        return np.clip(_rms_to(y, rng.uniform(-75, -15)), -1, 1)
    if r < 0.7:
        y = noise_scene(tr, rng)
        if rng.rand() < 0.5:
            y = tr.random_eq(y, rng)
        return np.clip(_rms_to(y, rng.uniform(-65, -10)), -1, 1)
    return tr.make_silence(rng)


def with_background(tr, x, rng, share):
    """speech_commands' background mixing: with probability `share`, an everyday background
    (noise_scene) under the whole example at 0-25 dB below the speech."""
    if rng.rand() >= share:
        return x
    sp = np.sqrt(np.mean(x[np.abs(x) > 0.1 * np.abs(x).max()] ** 2) + 1e-12) if np.any(x) else 1e-3
    y = x + noise_scene(tr, rng) * sp * 10 ** (-rng.uniform(3, 25) / 20)
    return np.clip(y, -1, 1).astype(np.float32)


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
        sa, sw = synth_words(tr, COMMANDS, counts, 'sc_commands_v3', 777)
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
        """N = --per-class examples for every label. A command: its real training clips clean once,
        augmented copies, and --synth-share (--synth-share-rare for on/off) synthetic renditions.
        _unknown_: real other words and digits (half), synthetic words, FSDD digits. _silence_:
        make_silence_sc. --background: share of the augmented word examples given an everyday
        background (speech_commands mixes its background noises into 80 % of the clips)."""
        tr = self.tr
        N = args.per_class
        bg = args.background
        audio, y, clean = [], [], []

        def add(x, label, is_clean=False):
            if is_clean:
                clean.append(len(audio))
            audio.append(x); y.append(label)

        def aug(x):
            return with_background(tr, tr.augment(x, rng), rng, bg)
        for li, w in enumerate(SC_LABELS):
            if li < 2:
                continue
            real, syn = self.real[w], self.synth[w]
            n_syn = int(N * (args.synth_share_rare if len(real) < 100 else args.synth_share))
            n_real = max(N - n_syn, len(real))  # every real clip at least once, clean
            for k in range(n_real):
                x = real[k % len(real)]
                add(tr.fit_window(x) if k < len(real) else aug(x), li, k < len(real))
            for k in range(n_syn):
                add(aug(place(syn[rng.randint(len(syn))], rng)), li)
        # _unknown_: real other words and digits (clean once, then augmented), synthetic words, FSDD digits
        ur = self.unknown_real
        n_f = int(N * 0.15) if self.fsdd else 0
        n_s = int(N * args.synth_share_unknown)
        for k in range(N - n_f - n_s):
            x = ur[k % len(ur)]
            add(tr.fit_window(x) if k < len(ur) else aug(x), 1, k < len(ur))
        for k in range(n_s):
            add(aug(place(self.synth_unknown[rng.randint(len(self.synth_unknown))], rng)), 1)
        for k in range(n_f):
            add(aug(place(self.fsdd[rng.randint(len(self.fsdd))], rng)), 1)
        for k in range(N):
            add(make_silence_sc(tr, rng), 0, k < N // 5)
        t0 = time.time()
        x = tr.mfcc_batch(np.stack(audio))
        print(f'features: {len(x)} examples, mfcc {time.time() - t0:.0f}s', flush=True)
        return x, np.array(y), np.array(clean)


def label_of(word, labels=SC_LABELS):
    """speech_commands' rule: a word the model has is its label, any other word `_unknown_` (index 1)."""
    return labels.index(word) if word in labels else 1


def evaluate(tr, model, mean, std, clips, labels=SC_LABELS):
    """Top-1 and confusion on [(word, audio, file)] clips, the clip at sample 0 as at inference;
    `labels`: the model's (train.LABELS for digits)."""
    x = tr.mfcc_batch(np.stack([tr.fit_window(a) for _, a, _ in clips]))
    p = tr.predict(model, x, mean, std)
    yt = np.array([label_of(w, labels) for w, _, _ in clips])
    conf = np.zeros((len(labels), len(labels)), int)
    for a, b in zip(yt, p.argmax(1)):
        conf[a, b] += 1
    return float((p.argmax(1) == yt).mean()), conf


def train_speech_commands(tr, args):
    t0 = time.time()
    if args.export_only:  # re-export WORK/speech-commands.keras (or WORK/speech-commands_RUN.keras)
        stem = 'speech-commands' + (f'_{args.run}' if args.run else '')
        model = tr.tf().keras.models.load_model(os.path.join(tr.WORK, f'{stem}.keras'))
        d = np.load(os.path.join(tr.WORK, f'{stem}_norm.npz'))
        export(tr, model, d['mean'], d['std'], 'speech-commands', args.export_to)
        return model
    bank = SCBank(tr, args)
    xs, ys, cis, n = [], [], [], 0
    for draw in range(args.draws):  # --draws N: N augmentation draws (seeds seed, seed+1000, ...), each cached
        seed = args.seed + 1000 * draw
        feat_cache = os.path.join(tr.WORK, f'sc_features_{args.tag}_seed{seed}_n{args.per_class}.npz')
        if os.path.exists(feat_cache):
            d = np.load(feat_cache)
            x, y, ci = d['x'], d['y'], d['ci']
        else:
            x, y, ci = bank.build(args, np.random.RandomState(seed))
            np.savez(feat_cache + '.tmp.npz', x=x, y=y, ci=ci)
            os.replace(feat_cache + '.tmp.npz', feat_cache)
        xs.append(x); ys.append(y); cis.append(ci + n); n += len(x)
    x, y, ci = np.concatenate(xs), np.concatenate(ys), np.concatenate(cis)
    del xs, ys
    if args.features_only:
        print(f'{len(x)} training examples in {feat_cache}', flush=True)
        return None
    mean, std = tr.normalisation(x[ci])
    tfeat = time.time() - t0
    print(f'{len(x)} training examples, features ready in {tfeat:.0f}s', flush=True)
    model = tr.train_model(x, y, mean, std, args, args.seed)
    ttrain = time.time() - t0
    name = 'speech-commands'
    run = args.run or args.tag
    for stem in (name, f'{name}_{run}'):  # the last run, and this run by name (--export-only --run RUN)
        model.save(os.path.join(tr.WORK, f'{stem}.keras'))
        np.savez(os.path.join(tr.WORK, f'{stem}_norm.npz'), mean=mean, std=std)
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
    for stem in (name, f'{name}_{run}'):
        with open(os.path.join(tr.WORK, f'{stem}_stats.json'), 'w') as f:
            json.dump(stats, f, indent=1)
    if not args.no_export:
        export(tr, model, mean, std, name)
    return model


def export(tr, model, mean, std, name, out=None):
    out = out or os.path.join(tr.ROOT, 'models', name)
    os.makedirs(out, exist_ok=True)
    tr.export_layers_model(model, out)
    with open(os.path.join(out, 'metadata.json'), 'w') as f:
        json.dump(tr.metadata(mean, std, name, SC_LABELS), f, indent=1)
    print(f'exported {out}', flush=True)


def sc_digit_clips(tr, data):
    """The training split's digit clips: [(label index in train.LABELS, audio)]."""
    return [(tr.LABELS.index(w), x) for w, x, _ in load_split(tr, data, 'training', lambda w: w in DIGIT_WORDS)]


def sc_other_clips(tr, data):
    """The training split's non-digit words (real _unknown_ material for `digits`)."""
    return [x for w, x, _ in load_split(tr, data, 'training', lambda w: w not in DIGIT_WORDS)]
