#!/usr/bin/env python3
"""Train, evaluate and export Wavebench's bundled models on TensorFlow's own MFCC features.

    python training/train.py --model speech-commands --data TREE --fsdd FSDD   # models/speech-commands
    python training/train.py --model digits --fsdd FSDD --data TREE            # models/digits + graph fixture
    python training/train.py --model digits --fsdd FSDD --data TREE --loso     # leave-one-speaker-out first
    python training/train.py --model digits --fsdd FSDD --loso-only            # evaluation only
    python training/train.py --fsdd FSDD --aug 8 --synth-digits 200 --tts 240   # the v5 digits recipe
    python training/train.py --fsdd FSDD --aug 8 --synth-digits 200 --tts 240 --ema 0 --expander 0 --trim 0 \
        --quantize 0 --dull-reverb 0                                          # the v4 recipe
TREE: the speech_commands tree built by prepare.py (training/README.md); FSDD: its recordings/ folder.
The speech-commands side is in speech_commands.py.
    python training/train.py --coefs 40 --channels 24,48,64,64 --head gap --aug 3 --tts 0 --synth-ratio 0.5 \
        --no-strong-eq --coef-mask 0 --reverb 0 --ema 0 --expander 0 --trim 0 --quantize 0 \
        --dull-reverb 0                                         # the v2 recipe

Pipeline (identical to the TypeScript runtime at inference):
  8 kHz FSDD clip -> scipy.signal.resample_poly(x, 2, 1) -> 16 kHz float in [-1, 1]
  -> clip starts at sample 0, zero padded / cut to 16000 samples (like tf.audio.decode_wav(desired_samples=16000))
  -> tf.raw_ops.AudioSpectrogram(window_size=480, stride=160, magnitude_squared=True)
  -> tf.raw_ops.Mfcc(sample_rate=16000, upper 4000, lower 20, 40 filterbank channels, 20 coefficients) -> [98, 20]
  -> (mfcc - mean[c]) / std[c]   (per coefficient, training-set statistics, stored in metadata.json)
  -> model [batch, 98, 20, 1] -> 12 softmax probabilities.

Scratch data (synthetic voices, caches, LOSO logs) goes to --work (default training/work/, git-ignored).
"""
import argparse, glob, json, os, subprocess, sys, time, wave, hashlib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
import numpy as np
from scipy.signal import resample_poly

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORK = os.path.join(HERE, 'work')

LABELS = ['_silence_', '_unknown_', 'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']
SPEAKERS = ['george', 'jackson', 'lucas', 'nicolas', 'yweweler']
SR = 16000
CLIP = 16000
N_FRAMES, N_COEF = 98, 40

# Words for the _unknown_ class (spoken by espeak-ng). Digit words, their homophones and near
# rhymes (won, to, too, for, free, tree, sex, heaven, fine, line, ate, none, ten...) are left out.
UNKNOWN_WORDS = '''yes no up down left right on off stop go bed bird cat dog happy house marvin sheila wow
follow forward backward learn visual hello world apple orange water music table window yellow purple
green blue black white red dance play open close start begin again maybe never always today morning
evening night light sound voice paper pencil river mountain ocean little big small great good bad
cold warm hot wind rain snow please thanks sorry okay sure what where when why who how this that
there here data model wave bench signal audio record button chair coffee sugar bottle people
number letter zebra yankee hotel india juliet kilo lima mike oscar papa quebec romeo sierra tango
uniform victor whiskey xray alpha bravo charlie delta echo foxtrot golf computer phone garden
market street doctor teacher monday friday summer winter spring autumn kitchen pizza rocket
banana tomato potato guitar piano violin animal flower jungle desert island planet silver golden
'''.split()
ESPEAK_VOICES = ['en-us', 'en-gb', 'en-gb-scotland', 'en-gb-x-rp', 'en-029', 'en-gb-x-gbclan', 'en-us-nyc',
                 'en-gb-x-gbcwmd']
ESPEAK_VARIANTS = ['', '+m1', '+m2', '+m3', '+m4', '+m5', '+m6', '+m7', '+f1', '+f2', '+f3', '+klatt', '+klatt2',
                   '+croak', '+whisper']


# ----------------------------------------------------------------------------------------- data
def read_wav(path):
    with wave.open(path, 'rb') as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1, path
        sr = w.getframerate()
        x = np.frombuffer(w.readframes(w.getnframes()), dtype='<i2').astype(np.float32) / 32768.0
    return x, sr


def write_wav(path, x, sr=SR):
    x = np.clip(np.round(np.asarray(x) * 32768.0), -32768, 32767).astype('<i2')
    with wave.open(path, 'wb') as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(sr); w.writeframes(x.tobytes())


def to16k(x, sr):
    if sr == 16000:
        return x.astype(np.float32)
    if sr == 8000:
        return resample_poly(x, 2, 1).astype(np.float32)
    from math import gcd
    g = gcd(16000, sr)
    return resample_poly(x, 16000 // g, sr // g).astype(np.float32)


def fit_window(x, n=CLIP):
    """Clip at sample 0, zero padded at the end or cut: what decode_wav(desired_samples=n) does."""
    out = np.zeros(n, np.float32)
    m = min(n, len(x))
    out[:m] = x[:m]
    return out


def load_fsdd(fsdd_dir):
    if not fsdd_dir or not os.path.isdir(fsdd_dir):
        sys.exit('train.py: needs the FSDD recordings (github.com/Jakobovski/free-spoken-digit-dataset, '
                 f'its recordings/ folder): pass --fsdd DIR or set FSDD_DIR (got {fsdd_dir!r})')
    clips = []
    for path in sorted(glob.glob(os.path.join(fsdd_dir, '*.wav'))):
        d, spk, idx = os.path.splitext(os.path.basename(path))[0].split('_')
        if spk not in SPEAKERS:
            continue
        x, sr = read_wav(path)
        clips.append(dict(audio=to16k(x, sr), label=LABELS.index(LABELS[2 + int(d)]), speaker=spk,
                          name=os.path.basename(path)))
    return clips


def trim(x, thresh_db=-40.0):
    """Cut leading/trailing silence (espeak-ng output has some) so words start near sample 0 like FSDD."""
    if len(x) == 0:
        return x
    fr = 160
    n = len(x) // fr
    e = np.sqrt(np.mean(x[:n * fr].reshape(n, fr) ** 2, axis=1) + 1e-12)
    db = 20 * np.log10(e / (e.max() + 1e-12))
    idx = np.where(db > thresh_db)[0]
    if len(idx) == 0:
        return x
    return x[max(0, idx[0] - 1) * fr:(idx[-1] + 2) * fr]


def to_clip(x, sr):
    """A synthetic word as training audio: 16 kHz, silence trimmed, at most 1 s, peak 0.5; None if
    shorter than 100 ms."""
    x = trim(to16k(x, sr))
    if len(x) < 1600:
        return None
    return x[:CLIP] / (np.abs(x).max() + 1e-9) * 0.5


def espeak(text, voice, speed, pitch, fn):
    """espeak-ng renders `text` to `fn`; returns it through to_clip."""
    subprocess.run(['espeak-ng', '-v', voice, '-s', str(speed), '-p', str(pitch), '-w', fn, text],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return to_clip(*read_wav(fn))


def make_espeak_words(rng):
    """Synthesise _unknown_ words with espeak-ng (several voices, variants, speeds, pitches). Cached."""
    out_dir = os.path.join(WORK, 'espeak')
    os.makedirs(out_dir, exist_ok=True)
    cache = os.path.join(WORK, 'espeak_words.npz')
    if os.path.exists(cache):
        d = np.load(cache, allow_pickle=True)
        return list(d['audio']), list(d['group'])
    audio, group = [], []
    r = np.random.RandomState(1234)
    for wi, word in enumerate(UNKNOWN_WORDS):
        for k in range(4):
            voice = ESPEAK_VOICES[r.randint(len(ESPEAK_VOICES))] + ESPEAK_VARIANTS[r.randint(len(ESPEAK_VARIANTS))]
            speed = int(r.randint(110, 210)); pitch = int(r.randint(20, 80))
            x = espeak(word, voice, speed, pitch, os.path.join(out_dir, f'{word}_{k}.wav'))
            if x is None:
                continue
            audio.append(x)
            group.append(wi)  # word id: used to split words between folds
    np.savez(cache, audio=np.array(audio, dtype=object), group=np.array(group))
    return audio, group


DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']
SYNTH_VOICES = ['en-us', 'en-gb', 'en-gb-scotland', 'en-029', 'en-gb-x-rp', 'en-us-nyc', 'en-gb-x-gbclan',
                'en-gb-x-gbcwmd']
SYNTH_VARIANTS = ['', '+m1', '+m2', '+m3', '+m4', '+m5', '+m6', '+m7', '+f1', '+f2', '+f3', '+f4', '+f5',
                  '+klatt', '+klatt2', '+klatt3']


def make_espeak_list(words, counts, tag, seed):
    """counts[word] renditions of each word by espeak-ng with random voice + variant, speed 120-200 wpm,
    pitch 20-80. Returns (audio, index of the word in `words`, voice). Cached as WORK/tag.npz."""
    out_dir = os.path.join(WORK, tag)
    os.makedirs(out_dir, exist_ok=True)
    cache = os.path.join(WORK, f'{tag}.npz')
    if os.path.exists(cache):
        d = np.load(cache, allow_pickle=True)
        return list(d['audio']), list(d['label']), list(d['voice'])
    audio, label, voices = [], [], []
    r = np.random.RandomState(seed)
    for di, word in enumerate(words):
        for k in range(counts[word]):
            voice = SYNTH_VOICES[r.randint(len(SYNTH_VOICES))] + SYNTH_VARIANTS[r.randint(len(SYNTH_VARIANTS))]
            speed = int(r.randint(120, 201)); pitch = int(r.randint(20, 81))
            x = espeak(word, voice, speed, pitch, os.path.join(out_dir, f'{word}_{k}.wav'))
            if x is None:
                continue
            audio.append(x)
            label.append(di)
            voices.append(f'{voice} s{speed} p{pitch}')
    np.savez(cache, audio=np.array(audio, dtype=object), label=np.array(label), voice=np.array(voices))
    return audio, label, voices


def make_espeak_digits(n_per_digit):
    """Synthetic digit words (extra training data for the digit classes): n_per_digit renditions of each
    digit by espeak-ng with random voice + variant, speed 120-200 wpm, pitch 20-80. Cached."""
    a, lab, v = make_espeak_list(DIGIT_WORDS, {w: n_per_digit for w in DIGIT_WORDS}, f'espeak_digits_{n_per_digit}', 4321)
    return a, [2 + int(i) for i in lab], v


FLITE_VOICES = ['kal', 'kal16', 'awb', 'rms', 'slt', 'awb_time']
FESTIVAL_VOICES = ['voice_kal_diphone', 'voice_ked_diphone', 'voice_cmu_us_slt_arctic_hts']


def festival_voices_installed():
    try:
        for v in FESTIVAL_VOICES:
            subprocess.run(['festival', '-b', f'({v})'], check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=60)
        return True
    except (OSError, subprocess.SubprocessError):
        return False


def make_tts_list(words, counts, tag, seed):
    """Synthetic words from voices built on recordings of real people: flite 2.2 (kal, awb,
    rms, slt: diphone and clustergen voices) and festival 2.5 (kal, ked diphones; slt HTS), with
    random duration stretch 0.8-1.4 and f0 target, then half of them pitch-shifted by sox (+-400 cents,
    formants kept). 3/4 of the renditions are flite, 1/4 festival. Returns (audio, index of the word in `words`,
    voice). Cached as WORK/tag.npz."""
    from concurrent.futures import ThreadPoolExecutor
    out_dir = os.path.join(WORK, tag)
    os.makedirs(out_dir, exist_ok=True)
    cache = os.path.join(WORK, f'{tag}.npz')
    if os.path.exists(cache):
        d = np.load(cache, allow_pickle=True)
        return list(d['audio']), list(d['label']), list(d['voice'])
    r = np.random.RandomState(seed)
    festival_ok = festival_voices_installed()
    if not festival_ok:
        print('festival voices (festvox-kallpc16k, festvox-kdlpc16k, festvox-us-slt-hts) not installed: '
              'flite renders their share', flush=True)
    jobs, fest = [], {v: [] for v in FESTIVAL_VOICES}
    for di, word in enumerate(words):
        for k in range(counts[word]):
            text = word + ['', '.', '!', '?'][r.randint(4)]
            stretch = round(float(r.uniform(0.8, 1.4)), 3)
            shift = int(r.randint(-400, 401)) if r.rand() < 0.5 else 0
            fn = os.path.join(out_dir, f'{word}_{k}.wav')
            if k % 4 == 3 and festival_ok:
                v = FESTIVAL_VOICES[r.randint(len(FESTIVAL_VOICES))]
                fest[v].append((fn, text, stretch))
                jobs.append((fn, di, f'festival {v} x{stretch} {shift:+d}c', None, shift))
            else:
                v = FLITE_VOICES[r.randint(len(FLITE_VOICES))]
                f0 = int(r.randint(140, 231)) if v == 'slt' else int(r.randint(85, 161))
                cmd = ['flite', '-voice', v, '--setf', f'duration_stretch={stretch}', '--setf',
                       f'int_f0_target_mean={f0}', '-t', text, '-o', fn]
                jobs.append((fn, di, f'flite {v} x{stretch} f0 {f0} {shift:+d}c', cmd, shift))
    for v, items in fest.items():  # one festival process per voice
        if not items:
            continue
        script = [f'({v})']
        for fn, text, stretch in items:
            script.append(f"(Parameter.set 'Duration_Stretch {stretch})")
            script.append(f'(utt.save.wave (SynthText "{text}") "{fn}" \'riff)')
        scm = os.path.join(out_dir, f'{v}.scm')
        with open(scm, 'w') as f:
            f.write('\n'.join(script) + '\n')
        subprocess.run(['festival', '-b', scm], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def render(job):
        fn, di, desc, cmd, shift = job
        if cmd:
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # 16-bit mono 16 kHz (festival's slt is 32 kHz), optional pitch shift
        tmp = fn[:-4] + '_16k.wav'
        fx = ['pitch', str(shift)] if shift else []
        # -D: no dither, so the clips are the same on every run (sox dithers randomly by default)
        subprocess.run(['sox', '-D', fn, '-r', '16000', '-b', '16', '-c', '1', tmp] + fx, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return to_clip(*read_wav(tmp)), di, desc
    audio, label, voices = [], [], []
    with ThreadPoolExecutor(4) as ex:
        for x, di, desc in ex.map(render, jobs):
            if x is None:
                continue
            audio.append(x)
            label.append(di)
            voices.append(desc)
    np.savez(cache, audio=np.array(audio, dtype=object), label=np.array(label), voice=np.array(voices))
    return audio, label, voices


def make_tts_digits(n_per_digit):
    """make_tts_list for the ten digits (the `digits` model's extra digit examples)."""
    a, lab, v = make_tts_list(DIGIT_WORDS, {w: n_per_digit for w in DIGIT_WORDS}, f'tts_digits_{n_per_digit}', 2468)
    return a, [2 + int(i) for i in lab], v


def colored_noise(rng, n, kind):
    w = rng.standard_normal(n).astype(np.float32)
    if kind == 'white':
        y = w
    else:
        f = np.fft.rfftfreq(n); f[0] = f[1]
        spec = np.fft.rfft(w) / (f ** (0.5 if kind == 'pink' else 1.0))
        y = np.fft.irfft(spec, n).astype(np.float32)
    return y / (np.sqrt(np.mean(y ** 2)) + 1e-12)


def make_silence(rng, n=CLIP):
    """_silence_: digital silence, white/pink/brown noise, mains hum, at low levels."""
    kind = rng.choice(['zero', 'white', 'pink', 'brown', 'hum', 'mix'], p=[0.12, 0.2, 0.2, 0.2, 0.13, 0.15])
    if kind == 'zero':
        return np.zeros(n, np.float32)
    t = np.arange(n) / SR
    if kind == 'hum' or kind == 'mix':
        f0 = rng.choice([50.0, 60.0])
        y = sum(rng.uniform(0.1, 1.0) / h * np.sin(2 * np.pi * f0 * h * t + rng.uniform(0, 6.3)) for h in range(1, 6))
        y = y / (np.sqrt(np.mean(y ** 2)) + 1e-12)
        if kind == 'mix':
            y = y * rng.uniform(0.2, 1) + colored_noise(rng, n, rng.choice(['white', 'pink', 'brown']))
            y = y / (np.sqrt(np.mean(y ** 2)) + 1e-12)
    else:
        y = colored_noise(rng, n, kind)
    level_db = rng.uniform(-90, -30)
    y = y * 10 ** (level_db / 20)
    if rng.rand() < 0.3:  # silence/noise that stops partway (short file, zero padded at inference)
        y[int(rng.uniform(0.2, 0.9) * n):] = 0
    return y.astype(np.float32)


def make_burst(rng, n=CLIP):
    """Part of _unknown_: short noise bursts / clicks / tones that are not words."""
    y = np.zeros(n, np.float32)
    for _ in range(rng.randint(1, 4)):
        ln = int(rng.uniform(0.02, 0.4) * SR)
        st = rng.randint(0, max(1, n - ln)) if rng.rand() < 0.5 else rng.randint(0, 1600)
        kind = rng.choice(['white', 'pink', 'brown', 'tone'])
        if kind == 'tone':
            b = np.sin(2 * np.pi * rng.uniform(150, 3500) * np.arange(ln) / SR).astype(np.float32)
        else:
            b = colored_noise(rng, ln, kind)
        b *= np.hanning(ln).astype(np.float32) ** rng.uniform(0.1, 1)
        y[st:st + ln] += b[:n - st] * 10 ** (rng.uniform(-40, -6) / 20)
    return y


# ------------------------------------------------------------------------------------ augmentation
def peaking_band(y, rng):
    """One peaking biquad (RBJ cookbook) at a random frequency 150-4000 Hz, +-12 dB, Q 0.5-3."""
    from scipy.signal import lfilter
    f0 = 10 ** rng.uniform(np.log10(150), np.log10(4000)); gain = rng.uniform(-12, 12); q = rng.uniform(0.5, 3)
    A = 10 ** (gain / 40); w0 = 2 * np.pi * f0 / SR; al = np.sin(w0) / (2 * q)
    b = [1 + al * A, -2 * np.cos(w0), 1 - al * A]; aa = [1 + al / A, -2 * np.cos(w0), 1 - al / A]
    return lfilter(b, aa, y)


def random_eq(x, rng):
    from scipy.signal import lfilter, butter
    # first-order tilt: y[n] = x[n] - a x[n-1] (a<0 dulls, a>0 brightens)
    a = rng.uniform(-0.7, 0.9)
    y = peaking_band(lfilter([1.0, -a], [1.0], x), rng)
    if STRONG_EQ:  # a second peaking band, and band limits of other microphones / codecs
        y = peaking_band(y, rng)
        if rng.rand() < (0.5 if EQ_WIDE else 0.4):
            lo = 1800 if EQ_WIDE else 2500
            bl, al2 = butter(4, rng.uniform(lo, 3900) / (SR / 2), 'low'); y = lfilter(bl, al2, y)
        if rng.rand() < 0.4:
            bh, ah = butter(2, rng.uniform(60, 400) / (SR / 2), 'high'); y = lfilter(bh, ah, y)
    return y.astype(np.float32)


def expander(x, rng):
    """Downward expansion: the quiet parts of the clip (weak fricatives, breath, the word's tails) made
    quieter still, below a random threshold 12-30 dB under the loudest 20 ms, at a ratio of 1.5-3.
    Some microphones / recording chains do this (a noise gate, or just a lot less high-frequency
    sensitivity): FSDD's jackson has his /s/ and /th/ 40 dB under the vowel, the others 20-30 dB."""
    n = 320
    env = np.sqrt(np.convolve(x.astype(np.float64) ** 2, np.ones(n) / n, mode='same') + 1e-12)
    env_db = 20 * np.log10(env / env.max())
    thr = rng.uniform(-30, -12)
    ratio = rng.uniform(1.5, 3.0)
    gain_db = np.maximum(np.minimum(env_db - thr, 0) * (ratio - 1), -40)
    gain_db = np.convolve(gain_db, np.ones(160) / 160, mode='same')  # 10 ms smoothing: no clicks
    return (x * 10 ** (gain_db / 20)).astype(np.float32)


def hard_trim(x, rng):
    """Cuts the clip where its 10-ms level first / last comes within a random 6-25 dB (start) and
    12-30 dB (end) of the loudest: what an aggressive silence trimmer leaves. FSDD's nicolas has
    "four" starting straight at the vowel (no /f/) and words ending 15-20 dB under their peak."""
    n = 160
    k = len(x) // n
    if k < 4:
        return x
    fr = np.sqrt((x[:k * n].astype(np.float64) ** 2).reshape(k, n).mean(1) + 1e-12)
    db = 20 * np.log10(fr / fr.max())
    a = np.where(db > -rng.uniform(6, 25))[0][0]
    b = np.where(db > -rng.uniform(12, 30))[0][-1]
    return x[a * n:(b + 1) * n] if b > a else x


SPEED_RANGE = (0.82, 1.2)
TRIM = 0.0  # --trim
DULL_REVERB = 0.0  # --dull-reverb
QUANTIZE = 0.0  # --quantize
EXPANDER = 0.0  # --expander
SHIFT_MAX = 1600  # --shift-ms
CMN_DB = 0.0  # --cmn (a feature transform, so evaluation only: the runtime has no such step)
TEMPO = 0.0  # --tempo
STRONG_EQ = False  # --strong-eq
REVERB = 0.0  # --reverb
EQ_WIDE = False  # --eq-wide


def augment(x, rng, strong=True):
    """Speed/pitch, gain, time shift, additive noise. Returns a 16000-sample window."""
    if TRIM and rng.rand() < TRIM:
        x = hard_trim(x, rng)
    if rng.rand() < 0.8:  # speed +-: changes tempo and pitch/formants together (other voices)
        f = rng.uniform(*SPEED_RANGE)
        x = resample_poly(x, 100, int(round(100 * f))).astype(np.float32)
        if TEMPO and rng.rand() < 0.7:  # decouple: formants scaled by f, tempo by its own factor u
            import librosa
            u = rng.uniform(1 - TEMPO, 1 + TEMPO)
            x = librosa.effects.time_stretch(x, rate=u / f, n_fft=512, hop_length=128).astype(np.float32)
    if rng.rand() < 0.7:  # random microphone / room colouring: spectral tilt and a peaking band
        x = random_eq(x, rng)
    if EXPANDER and rng.rand() < EXPANDER:
        x = expander(x, rng)
    if REVERB and rng.rand() < REVERB:  # a small room: exponentially decaying noise impulse response
        from scipy.signal import fftconvolve
        dull = DULL_REVERB and rng.rand() < DULL_REVERB  # rooms whose late sound is mostly low frequencies
        rt60 = rng.uniform(0.15, 0.7) if dull else rng.uniform(0.08, 0.5)
        n = int(rt60 * SR)
        ir = rng.standard_normal(n)
        if dull:
            from scipy.signal import butter, lfilter
            bl, al = butter(2, rng.uniform(300, 1500) / (SR / 2), 'low'); ir = lfilter(bl, al, ir)
        ir = ir * np.exp(-6.9 * np.arange(n) / n)
        ir[0] = rng.uniform(1, 8) * np.abs(ir).max()   # direct sound
        x = fftconvolve(x, ir / np.sqrt(np.sum(ir ** 2)))[:len(x) + n // 2].astype(np.float32)
    peak = np.abs(x).max() + 1e-9
    target = 10 ** rng.uniform(np.log10(0.01), np.log10(0.95))  # peak level 0.01..0.95 of full scale
    x = x * (target / peak)
    shift = 0
    r = rng.rand()
    if r < 0.25:
        shift = rng.randint(0, SHIFT_MAX)  # up to 100 ms late (--shift-ms)
    elif r < 0.4:
        x = x[rng.randint(0, 800):]        # start up to 50 ms early (cut)
    y = np.zeros(CLIP, np.float32)
    m = min(CLIP - shift, len(x))
    y[shift:shift + m] = x[:m]
    r = rng.rand()
    if r < 0.35:    # noise over the whole window at an SNR relative to the speech
        sp = np.sqrt(np.mean(x ** 2) + 1e-12)
        snr = rng.uniform(5, 40)
        y = y + colored_noise(rng, CLIP, rng.choice(['white', 'pink', 'brown'])) * sp * 10 ** (-snr / 20)
    elif r < 0.6:   # very low-level noise under the whole window (no log-floor padding)
        y = y + colored_noise(rng, CLIP, rng.choice(['white', 'pink', 'brown'])) * 10 ** (rng.uniform(-90, -55) / 20)
    y = np.clip(y, -1, 1)
    if QUANTIZE and rng.rand() < QUANTIZE:  # 8-bit recording (nicolas's clips are multiples of 256)
        y = np.round(y * 128) / 128
    return y.astype(np.float32)


# ----------------------------------------------------------------------------------------- features
_tf = None


def tf():
    global _tf
    if _tf is None:
        import tensorflow
        _tf = tensorflow
    return _tf


def mfcc_batch(audio):
    """audio [N, 16000] float32 -> [N, 98, 40] with TensorFlow's AudioSpectrogram + Mfcc ops.
    The N clips are passed as the op's channels (each channel is processed independently)."""
    T = tf()
    out = []
    for i in range(0, len(audio), 1024):
        a = T.constant(np.ascontiguousarray(np.asarray(audio[i:i + 1024], np.float32).T))
        spec = T.raw_ops.AudioSpectrogram(input=a, window_size=480, stride=160, magnitude_squared=True)
        m = T.raw_ops.Mfcc(spectrogram=spec, sample_rate=16000, upper_frequency_limit=4000.0,
                           lower_frequency_limit=20.0, filterbank_channel_count=40, dct_coefficient_count=N_COEF)
        out.append(m.numpy())
    x = np.concatenate(out).astype(np.float32)
    return cepstral_mean_norm(x) if CMN_DB else x


def cepstral_mean_norm(x):
    """Speech-frame cepstral mean normalisation: in each clip, the frames whose energy (c0) is within
    CMN_DB of the loudest frame have their mean of coefficients 1.. subtracted (a fixed microphone
    colouring is a constant offset of those coefficients). c0 (the level) and the quieter frames are kept."""
    # c0 = sqrt(2/40) * sum of 40 log mel magnitudes: a level change of D dB moves it by sqrt(2/40)*40*D/20*ln(10)
    delta = np.sqrt(2.0 / 40) * 40 * CMN_DB / 20 * np.log(10)
    c0 = x[:, :, 0]
    m = (c0 >= c0.max(1, keepdims=True) - delta).astype(np.float32)[..., None]
    mean = (x * m).sum(1, keepdims=True) / m.sum(1, keepdims=True)
    mean[:, :, 0] = 0
    return (x - m * mean).astype(np.float32)


# ------------------------------------------------------------------------------------------- model
def build_model(seed=0, dropout=0.2, channels=(24, 48, 64, 64), head='gap', arch='conv'):
    """Conv 3x3 blocks (batch norm, ReLU; 2x2 max-pool after every block but the last), global
    average pooling or flatten, dropout, dense softmax. arch 'separable': every block after the first
    is a depthwise 3x3 convolution (batch norm, ReLU) then a pointwise 1x1 one (DS-CNN)."""
    T = tf()
    K = T.keras
    L = K.layers
    K.utils.set_random_seed(seed)
    model = K.Sequential(name='sequential')
    model.add(L.Input(shape=(N_FRAMES, N_COEF, 1), name='mfcc'))
    for i, ch in enumerate(channels):
        sfx = '' if i == 0 else f'_{i}'
        if arch == 'separable' and i > 0:
            model.add(L.DepthwiseConv2D(3, padding='same', use_bias=False, name='depthwise_conv2d' + sfx))
            model.add(L.BatchNormalization(name='batch_normalization_dw' + sfx))
            model.add(L.ReLU(name='re_lu_dw' + sfx))
            model.add(L.Conv2D(ch, 1, use_bias=False, name='conv2d' + sfx))
        else:
            model.add(L.Conv2D(ch, 3, padding='same', use_bias=False, name='conv2d' + sfx))
        model.add(L.BatchNormalization(name='batch_normalization' + sfx))
        model.add(L.ReLU(name='re_lu' + sfx))
        if i < len(channels) - 1:
            model.add(L.MaxPooling2D(2, name='max_pooling2d' + sfx))
    if head == 'flatten':  # keeps where in the window each feature is (the word starts at frame 0)
        model.add(L.Flatten(name='flatten'))
    else:
        model.add(L.GlobalAveragePooling2D(name='global_average_pooling2d'))
    model.add(L.Dropout(dropout, name='dropout'))
    model.add(L.Dense(len(LABELS), activation='softmax', name='dense'))
    return model


def count_flops(model):
    """Multiply-adds x2 of conv/dense layers (what dominates), in FLOPs per clip."""
    fl = 0
    for layer in model.layers:
        cls = layer.__class__.__name__
        if cls in ('Conv2D', 'DepthwiseConv2D'):  # depthwise kernel: (kh, kw, channels, 1)
            _, h, w, c = layer.output.shape
            kh, kw, cin, cout = layer.kernel.shape
            fl += 2 * h * w * kh * kw * cin * cout
        elif cls == 'Dense':
            fl += 2 * int(np.prod(layer.kernel.shape))
        elif cls == 'BatchNormalization':
            fl += 2 * int(np.prod(layer.output.shape[1:]))
    return fl


# ------------------------------------------------------------------------------------------ dataset
class Bank:
    """All training material as raw audio plus group/speaker tags; features made per fold."""

    def __init__(self, args):
        rng = np.random.RandomState(args.seed)
        t0 = time.time()
        self.digits = load_fsdd(args.fsdd)
        words, wgroup = make_espeak_words(rng)
        self.words = words
        self.wgroup = np.array(wgroup)
        self.synth, self.synth_y = [], []
        if args.synth_digits > 0:
            self.synth, self.synth_y, _ = make_espeak_digits(args.synth_digits)
        if args.tts > 0:
            a, l, _ = make_tts_digits(args.tts)
            self.synth, self.synth_y = self.synth + a, self.synth_y + l
        self.sc_digits, self.sc_other = [], []
        if args.data:  # Speech Commands training split: real digit clips and real non-digit words
            import speech_commands as SC
            me = sys.modules[__name__]
            self.sc_digits = SC.sc_digit_clips(me, args.data)
            other = SC.sc_other_clips(me, args.data)
            pick = np.random.RandomState(99).permutation(len(other))[:args.sc_unknown]
            self.sc_other = [other[i] for i in sorted(pick)]
            print(f'speech commands: {len(self.sc_digits)} digit clips, {len(self.sc_other)} other words '
                  f'(of {len(other)}) as _unknown_', flush=True)
        print(f'data: {len(self.digits)} fsdd clips, {len(words)} espeak-ng words '
              f'({len(set(wgroup))} distinct), {len(self.synth)} synthetic digits [{time.time() - t0:.1f}s]', flush=True)

    def placed(self, x, rng):
        """A trimmed word (FSDD, synthetic): with Speech Commands data, half of the time put later in
        the window (Speech Commands clips have the word anywhere in the second), else at sample 0."""
        if not self.sc_digits or rng.rand() < 0.5:
            return x
        import speech_commands as SC
        return SC.place(x, rng)

    def build(self, train_speakers, word_ids, args, rng, n_aug):
        """Features for training: each digit clip clean once + n_aug augmented copies;
        _unknown_ and _silence_ roughly as many examples as one digit class."""
        audio, y = [], []
        clean_idx = []
        for c in self.digits:
            if c['speaker'] not in train_speakers:
                continue
            clean_idx.append(len(audio))
            audio.append(fit_window(c['audio'])); y.append(c['label'])
            for _ in range(n_aug):
                audio.append(augment(self.placed(c['audio'], rng), rng)); y.append(c['label'])
        # Speech Commands digit clips (1-s windows, the word anywhere): clean once + args.sc_aug copies
        for lab, a in self.sc_digits:
            clean_idx.append(len(audio))
            audio.append(fit_window(a)); y.append(lab)
            for _ in range(args.sc_aug):
                audio.append(augment(a, rng)); y.append(lab)
        n_real = len(audio)
        # synthetic espeak-ng digits: args.synth_copies augmented examples each (never clean, never in the
        # normalisation statistics), capped so they stay at most args.synth_ratio of the real digit examples
        n_syn = min(int(n_real * args.synth_ratio), len(self.synth) * args.synth_copies)
        order = rng.permutation(len(self.synth) * args.synth_copies)[:n_syn] if n_syn else []
        for k in order:
            i = k % len(self.synth)
            audio.append(augment(self.placed(self.synth[i], rng), rng)); y.append(self.synth_y[i])
        per_class = len(audio) // 10
        # real non-digit words (Speech Commands), up to half of _unknown_: clean once, then augmented
        n_sc = min(per_class // 2, 2 * len(self.sc_other))
        for k in range(n_sc):
            a = self.sc_other[k % len(self.sc_other)]
            if k < len(self.sc_other):
                clean_idx.append(len(audio)); audio.append(fit_window(a))
            else:
                audio.append(augment(a, rng))
            y.append(1)
        wi = [i for i, g in enumerate(self.wgroup) if g in word_ids]
        n_unk_words = int(per_class * 0.8) - n_sc
        for k in range(n_unk_words):
            i = wi[k % len(wi)]
            if k < len(wi):
                clean_idx.append(len(audio)); audio.append(fit_window(self.words[i]))
            else:
                audio.append(augment(self.words[i], rng))
            y.append(1)
        for k in range(per_class - n_unk_words):
            audio.append(make_burst(rng)); y.append(1)
        for k in range(per_class):
            s = make_silence(rng)
            if k < per_class // 5:
                clean_idx.append(len(audio))
            audio.append(s); y.append(0)
        x = mfcc_batch(np.stack(audio))
        return x, np.array(y), np.array(clean_idx)


def normalisation(x_clean):
    mean = x_clean.mean(axis=(0, 1)).astype(np.float32)
    std = x_clean.std(axis=(0, 1)).astype(np.float32)
    return mean, np.maximum(std, 1e-6).astype(np.float32)


def dct_matrix(n=N_COEF):
    """The DCT TensorFlow's Mfcc op applies to the log mel filterbank (mfcc_dct.cc)."""
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing='ij')
    return np.sqrt(2.0 / n) * np.cos(np.pi / n * (j + 0.5) * i)


class FeatureAug:
    """Augmentation on raw MFCC frames, then per-coefficient normalisation.
    - tempo: the speech part (frames above the log floor) is stretched/compressed in time, padding
      frames stay at the floor, so the clip still starts at frame 0 like at inference;
    - vocal tract length perturbation: the log-mel spectrum (inverse DCT) is warped along the mel
      axis by a factor alpha, then transformed back;
    - time masks."""

    def __init__(self, mean, std, on=True):
        self.mean, self.std, self.on = mean, std, on
        self.warps = []
        self.floor = mfcc_batch(np.zeros((1, CLIP), np.float32))[0, 0]
        if not on:
            return
        C = dct_matrix()
        Ci = np.linalg.inv(C)
        self.alphas = np.linspace(0.84, 1.18, 35)
        k = np.arange(N_COEF, dtype=np.float64)
        for a in self.alphas:
            src = np.clip(k * a, 0, N_COEF - 1)
            W = np.zeros((N_COEF, N_COEF))
            lo = np.floor(src).astype(int); hi = np.minimum(lo + 1, N_COEF - 1); fr = src - lo
            W[np.arange(N_COEF), lo] += 1 - fr
            W[np.arange(N_COEF), hi] += fr
            self.warps.append((C @ W @ Ci).T.astype(np.float32))  # row-vector form: frame @ M

    def __call__(self, xb, yb, rng, args):
        out = np.empty_like(xb)
        for j in range(len(xb)):
            f = xb[j]
            if self.on and yb[j] >= 1 and rng.rand() < 0.7:
                f = f @ self.warps[rng.randint(len(self.warps))]
            if self.on and yb[j] >= 1 and rng.rand() < 0.6:
                above = np.where(f[:, 0] > self.floor[0] + 1.0)[0]
                L = (above[-1] + 1) if len(above) else 0
                if 4 < L < N_FRAMES - 2:
                    r = rng.uniform(0.75, 1.35)
                    L2 = min(N_FRAMES, max(4, int(round(L * r))))
                    t = np.linspace(0, L - 1, L2)
                    i0 = np.floor(t).astype(int); i1 = np.minimum(i0 + 1, L - 1); w = (t - i0)[:, None]
                    g = np.empty_like(f); g[:] = self.floor
                    g[:L2] = f[i0] * (1 - w) + f[i1] * w
                    f = g
            f = (f - self.mean) / self.std
            if rng.rand() < 0.5:
                t0 = rng.randint(0, N_FRAMES - 10); f = f.copy(); f[t0:t0 + rng.randint(1, 8)] = 0
            if args.coef_mask and rng.rand() < 0.5:  # cepstral band dropout (after normalisation: 0 = the mean)
                c0 = rng.randint(1, N_COEF - 2); f = f.copy(); f[:, c0:c0 + rng.randint(1, args.coef_mask + 1)] = 0
            out[j] = f
        return out.astype(np.float32)


def train_model(x, y, mean, std, args, seed, x_val=None, y_val=None, log=None, soft=None):
    """Trains one network. `soft`: target probabilities per example (distillation) instead of the labels."""
    T = tf()
    K = T.keras
    xn = ((x - mean) / std)[..., None].astype(np.float32)
    model = build_model(seed, channels=tuple(int(c) for c in args.channels.split(',')), head=args.head, arch=args.arch)
    if getattr(args, 'init_from', None):
        init_weights(model, args.init_from)
    steps = int(np.ceil(len(xn) / args.batch)) * args.epochs
    sched = K.optimizers.schedules.CosineDecay(args.lr * 0.1, steps, warmup_target=args.lr,
                                               warmup_steps=min(300, steps // 10), alpha=0.01)
    opt = K.optimizers.Adam(sched, use_ema=args.ema > 0, ema_momentum=args.ema or 0.99)
    model.compile(optimizer=opt, metrics=['accuracy'],
                  loss=K.losses.CategoricalCrossentropy(label_smoothing=0.0 if soft is not None else 0.1))
    yy = K.utils.to_categorical(y, len(LABELS)) if soft is None else soft.astype(np.float32)
    rng = np.random.RandomState(seed)

    fa = FeatureAug(mean, std, args.feature_aug)

    def gen():  # on-the-fly feature-domain augmentation (tempo, vocal-tract warp, time masks)
        n = len(xn)
        while True:
            p = rng.permutation(n)
            for i in range(0, n - args.batch + 1, args.batch):
                b = p[i:i + args.batch]
                xb, yb = fa(x[b], y[b], rng, args), yy[b]
                if args.mixup > 0:  # mixup: each example blended with another of the batch, labels likewise
                    lam = rng.beta(args.mixup, args.mixup, size=len(b)).astype(np.float32)
                    lam = np.maximum(lam, 1 - lam)  # the example keeps the larger share
                    q = rng.permutation(len(b))
                    xb = lam[:, None, None] * xb + (1 - lam[:, None, None]) * xb[q]
                    yb = lam[:, None] * yb + (1 - lam[:, None]) * yb[q]
                yield xb[..., None], yb
    ds = T.data.Dataset.from_generator(gen, output_signature=(
        T.TensorSpec((args.batch, N_FRAMES, N_COEF, 1), T.float32), T.TensorSpec((args.batch, len(LABELS)), T.float32)))
    ds = ds.prefetch(4)
    val = None
    if x_val is not None:
        val = (((x_val - mean) / std)[..., None], K.utils.to_categorical(y_val, len(LABELS)))
    hist = model.fit(ds, steps_per_epoch=len(xn) // args.batch, epochs=args.epochs, verbose=2 if args.verbose else 0,
                     validation_data=val, validation_freq=max(1, args.epochs // 4) if val else 1)
    if log is not None:
        log.append({k: [float(v) for v in vs] for k, vs in hist.history.items()})
    return model


def init_weights(model, path):
    """--init-from: every layer but the last (the dense softmax, whose labels differ) starts from the
    same-named layer of another trained network of the same shape (transfer: the speech-commands
    network has heard thousands of real speakers; digits has ~190 real Speech Commands clips)."""
    src = tf().keras.models.load_model(path)
    by_name = {l.name: l for l in src.layers}
    copied = 0
    for layer in model.layers[:-1]:
        s = by_name.get(layer.name)
        if s is None or [w.shape for w in s.get_weights()] != [w.shape for w in layer.get_weights()]:
            raise SystemExit(f'--init-from {path}: layer {layer.name} is missing or another shape there '
                             f'(train both networks with the same --channels and --head)')
        layer.set_weights(s.get_weights())
        copied += 1
    print(f'initialised {copied} layers from {path}', flush=True)


def training_normalisation(x_clean, args):
    """The per-coefficient statistics of the clean training features, or with --init-from the
    statistics the initialising network was trained with (its first layer expects them)."""
    if getattr(args, 'init_from', None):
        d = np.load(args.init_from[:-len('.keras')] + '_norm.npz')
        return d['mean'], d['std']
    return normalisation(x_clean)


def train_distilled(x, y, mean, std, args, seed, more_data=None):
    """--distill N: N teachers (seeds seed+1..seed+N), then one network of the same size trained towards
    0.8 x the teachers' mean probabilities + 0.2 x the label. The teachers train on the same examples
    as the student, or with --distill-own-data each on its own augmentation draw (`more_data(k)` gives
    teacher k's examples). Returns the student and the teachers."""
    teachers = []
    for k in range(args.distill):
        xk, yk = more_data(k) if more_data else (x, y)
        teachers.append(train_model(xk, yk, mean, std, args, seed + 1 + k))
        del xk, yk
    pt = np.mean([predict(t, x, mean, std, batch_size=512) for t in teachers], axis=0)
    soft = 0.8 * pt + 0.2 * np.eye(len(LABELS), dtype=np.float32)[y]
    return train_model(x, y, mean, std, args, seed, soft=soft), teachers


def predict(model, x, mean, std, batch_size=256):
    """The model's probabilities for MFCC features x [N, frames, coefficients], normalised as in training."""
    return model.predict(((x - mean) / std)[..., None].astype(np.float32), batch_size=batch_size, verbose=0)


def eval_fsdd(model, clips, mean, std):
    x = mfcc_batch(np.stack([fit_window(c['audio']) for c in clips]))
    p = predict(model, x, mean, std)
    y = np.array([c['label'] for c in clips])
    return float((p.argmax(1) == y).mean()), p, y


def run_loso(bank, args):
    results = {}
    speakers = args.speakers.split(',') if args.speakers else SPEAKERS
    word_ids = sorted(set(bank.wgroup.tolist()))
    for fi, spk in enumerate(speakers):
        t0 = time.time()
        rng = np.random.RandomState(args.seed + 100 + fi)
        # hold out a fifth of the espeak words too, to measure _unknown_ on unseen words
        held = set(word_ids[fi::5])
        train_words = set(word_ids) - held
        train_speakers = [s for s in SPEAKERS if s != spk]
        x, y, ci = bank.build(train_speakers, train_words, args, rng, args.aug)
        mean, std = training_normalisation(x[ci], args)
        test = [c for c in bank.digits if c['speaker'] == spk]
        xv = mfcc_batch(np.stack([fit_window(c['audio']) for c in test]))
        yv = np.array([c['label'] for c in test])
        tfeat = time.time() - t0
        teacher_acc = None
        if args.distill:
            def more_data(k):  # teacher k's own augmentation draw (called within this fold)
                r = np.random.RandomState(args.seed + 100 + fi + 1000 * (k + 1))
                xk, yk, _ = bank.build(train_speakers, train_words, args, r, args.aug)
                return xk, yk
            model, teachers = train_distilled(x, y, mean, std, args, args.seed,
                                              more_data if args.distill_own_data else None)
            pt = np.mean([predict(t, xv, mean, std) for t in teachers], axis=0)
            teacher_acc = float((pt.argmax(1) == yv).mean())
        else:
            model = train_model(x, y, mean, std, args, args.seed, xv if args.verbose else None, yv if args.verbose else None)
        # the held-out speaker's features were made once above (xv): no second pass through mfcc_batch
        p = predict(model, xv, mean, std)
        acc = float((p.argmax(1) == yv).mean())
        conf = np.zeros((12, 12), int)
        for a, b in zip(yv, p.argmax(1)):
            conf[a, b] += 1
        # unknown words never seen in training (other words, same synthetic voices)
        hw = [i for i, g in enumerate(bank.wgroup) if g in held]
        xu = mfcc_batch(np.stack([fit_window(bank.words[i]) for i in hw]))
        pu = predict(model, xu, mean, std, batch_size=32)
        unk_acc = float((pu.argmax(1) == 1).mean())
        if args.save_probs:
            np.savez(os.path.join(WORK, f'loso_{args.tag}_{spk}.npz'), p=p, y=yv, pu=pu)
        results[spk] = dict(accuracy=acc, unknown_heldout_words=unk_acc, train_examples=int(len(x)),
                            seconds=round(time.time() - t0, 1), feature_seconds=round(tfeat, 1),
                            confusion=conf.tolist())
        if teacher_acc is not None:
            results[spk]['teachers_ensemble_accuracy'] = teacher_acc
        print(f'LOSO {spk:9s} acc {acc:.3f}  (held-out unknown words -> _unknown_ {unk_acc:.2f}) '
              f'{len(x)} train ex, {time.time() - t0:.0f}s'
              + (f', teachers\' ensemble {teacher_acc:.3f}' if teacher_acc is not None else ''), flush=True)
        with open(os.path.join(WORK, f'loso_{args.tag}.json'), 'w') as f:
            json.dump(dict(args=vars(args), results=results), f, indent=1)
    accs = [r['accuracy'] for r in results.values()]
    print(f'LOSO mean {np.mean(accs):.3f} min {np.min(accs):.3f}', flush=True)
    return results


# -------------------------------------------------------------------------------------------- export
def layers_topology(model):
    """Keras-2 style JSON config (what tfjs-layers 4.x parses), written by hand from the Keras 3 model."""
    def init(name, cfg=None):
        return {'class_name': name, 'config': cfg or {}}
    layers = [{'class_name': 'InputLayer', 'config': {'batch_input_shape': [None, N_FRAMES, N_COEF, 1],
                                                      'dtype': 'float32', 'sparse': False, 'ragged': False,
                                                      'name': 'mfcc'}}]
    for layer in model.layers:
        cls = layer.__class__.__name__
        c = layer.get_config()
        base = {'name': layer.name, 'trainable': True, 'dtype': 'float32'}
        if cls == 'Conv2D':
            cfg = dict(base, filters=c['filters'], kernel_size=list(c['kernel_size']), strides=list(c['strides']),
                       padding=c['padding'], data_format='channels_last', dilation_rate=list(c['dilation_rate']),
                       groups=1, activation=c['activation'], use_bias=c['use_bias'],
                       kernel_initializer=init('GlorotUniform', {'seed': None}), bias_initializer=init('Zeros'),
                       kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                       kernel_constraint=None, bias_constraint=None)
        elif cls == 'BatchNormalization':
            cfg = dict(base, axis=-1, momentum=c['momentum'], epsilon=c['epsilon'], center=c['center'],
                       scale=c['scale'], beta_initializer=init('Zeros'), gamma_initializer=init('Ones'),
                       moving_mean_initializer=init('Zeros'), moving_variance_initializer=init('Ones'),
                       beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None)
        elif cls == 'ReLU':
            cfg = dict(base, max_value=None, negative_slope=0.0, threshold=0.0)
        elif cls == 'MaxPooling2D':
            cfg = dict(base, pool_size=list(c['pool_size']), padding=c['padding'], strides=list(c['strides']),
                       data_format='channels_last')
        elif cls == 'GlobalAveragePooling2D':
            cfg = dict(base, data_format='channels_last', keepdims=False)
        elif cls == 'Flatten':
            cfg = dict(base, data_format='channels_last')
        elif cls == 'Dropout':
            cfg = dict(base, rate=c['rate'], noise_shape=None, seed=None)
        elif cls == 'Dense':
            cfg = dict(base, units=c['units'], activation=c['activation'], use_bias=c['use_bias'],
                       kernel_initializer=init('GlorotUniform', {'seed': None}), bias_initializer=init('Zeros'),
                       kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                       kernel_constraint=None, bias_constraint=None)
        else:
            raise ValueError('no tfjs export for ' + cls)
        layers.append({'class_name': cls, 'config': cfg})
    return {'class_name': 'Sequential', 'config': {'name': 'sequential', 'layers': layers},
            'keras_version': '2.15.0', 'backend': 'tensorflow'}


def layer_weights(model):
    out = []
    for layer in model.layers:
        cls = layer.__class__.__name__
        names = {'Conv2D': ['kernel', 'bias'], 'Dense': ['kernel', 'bias'],
                 'BatchNormalization': ['gamma', 'beta', 'moving_mean', 'moving_variance']}.get(cls)
        if not names:
            continue
        ws = layer.get_weights()
        if cls in ('Conv2D', 'Dense') and not layer.use_bias:
            names = names[:1]
        assert len(ws) == len(names), (layer.name, len(ws))
        for n, w in zip(names, ws):
            out.append((f'{layer.name}/{n}', np.asarray(w, np.float32)))
    return out


def write_weights(out_dir, named):
    manifest, buf = [], []
    for name, arr in named:
        manifest.append({'name': name, 'shape': list(arr.shape), 'dtype': 'float32'})
        buf.append(np.ascontiguousarray(arr, dtype='<f4').tobytes())
    with open(os.path.join(out_dir, 'group1-shard1of1.bin'), 'wb') as f:
        f.write(b''.join(buf))
    return [{'paths': ['group1-shard1of1.bin'], 'weights': manifest}]


def export_layers_model(model, out_dir):
    import tensorflow as T
    os.makedirs(out_dir, exist_ok=True)
    mj = {'format': 'layers-model', 'generatedBy': f'keras (TensorFlow {T.__version__}) via training/train.py',
          'convertedBy': 'training/train.py (hand-written TensorFlow.js layers-model export)',
          'modelTopology': layers_topology(model),
          'weightsManifest': write_weights(out_dir, layer_weights(model))}
    with open(os.path.join(out_dir, 'model.json'), 'w') as f:
        json.dump(mj, f)


def folded_params(model):
    """Conv weights with the following batch norm folded in: [(kernel, bias)] + dense (kernel, bias)."""
    convs = []
    layers = model.layers
    for i, layer in enumerate(layers):
        if layer.__class__.__name__ == 'Conv2D':
            k = layer.get_weights()[0].astype(np.float64)
            bn = layers[i + 1]
            g, b, mu, var = [w.astype(np.float64) for w in bn.get_weights()]
            s = g / np.sqrt(var + bn.epsilon)
            convs.append(((k * s).astype(np.float32), (b - mu * s).astype(np.float32)))
    dk, db = layers[-1].get_weights()
    return convs, (dk.astype(np.float32), db.astype(np.float32))


def export_graph_model(model, out_dir):
    """Frozen GraphDef (batch norm folded into the convolutions) in the tfjs graph-model format."""
    T = tf()
    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2
    from google.protobuf import json_format
    convs, (dk, db) = folded_params(model)
    cvars = [(T.Variable(k, name=f'conv{i}_kernel'), T.Variable(b, name=f'conv{i}_bias')) for i, (k, b) in enumerate(convs)]
    dkv, dbv = T.Variable(dk, name='dense_kernel'), T.Variable(db, name='dense_bias')

    @T.function(input_signature=[T.TensorSpec([None, N_FRAMES, N_COEF, 1], T.float32, name='mfcc')])
    def net(x):
        h = x
        for i, (k, b) in enumerate(cvars):
            h = T.nn.relu(T.nn.bias_add(T.nn.conv2d(h, k, 1, 'SAME'), b))
            if i < len(cvars) - 1:
                h = T.nn.max_pool2d(h, 2, 2, 'VALID')
        if any(l.__class__.__name__ == 'Flatten' for l in model.layers):
            h = T.reshape(h, [-1, int(np.prod(h.shape[1:]))])
        else:
            h = T.reduce_mean(h, axis=[1, 2])
        return T.nn.softmax(T.nn.bias_add(T.matmul(h, dkv), dbv), name='probabilities')

    frozen = convert_variables_to_constants_v2(net.get_concrete_function())
    gd = frozen.graph.as_graph_def()
    weights = []
    nodes = []
    out_name = None
    for node in gd.node:
        nd = json_format.MessageToDict(node)
        if node.op == 'Const':
            t = T.make_ndarray(node.attr['value'].tensor)
            dtype = {np.dtype('float32'): 'float32', np.dtype('int32'): 'int32'}[t.dtype]
            weights.append((node.name, t, dtype))
            nd['attr'] = {'dtype': nd['attr']['dtype'], 'value': {'tensor': {
                'dtype': nd['attr']['value']['tensor']['dtype'],
                'tensorShape': nd['attr']['value']['tensor'].get('tensorShape', {})}}}
        if node.op == 'NoOp':
            continue
        nodes.append(nd)
    # the output node: the Identity fed by the softmax
    for node in gd.node:
        if node.op == 'Identity':
            out_name = node.name
    # drop the ReadVariableOp Identity nodes between the frozen constants and their users
    alias = {n['name']: n['input'][0] for n in nodes if n['op'] == 'Identity' and n.get('input')
             and n['input'][0] in {w[0] for w in weights}}
    nodes = [n for n in nodes if n['name'] not in alias]
    for n in nodes:
        if 'input' in n:
            n['input'] = [alias.get(i, i) for i in n['input'] if not i.startswith('^')]
            if not n['input']:
                del n['input']
    os.makedirs(out_dir, exist_ok=True)
    manifest, buf = [], []
    for name, t, dtype in weights:
        manifest.append({'name': name, 'shape': list(t.shape), 'dtype': dtype})
        buf.append(np.ascontiguousarray(t, dtype='<f4' if dtype == 'float32' else '<i4').tobytes())
    with open(os.path.join(out_dir, 'group1-shard1of1.bin'), 'wb') as f:
        f.write(b''.join(buf))
    topo = {'node': nodes, 'library': {}, 'versions': json_format.MessageToDict(gd.versions)}
    mj = {'format': 'graph-model', 'generatedBy': T.__version__,
          'convertedBy': 'training/train.py (hand-written TensorFlow.js graph-model export)',
          'modelTopology': topo,
          'weightsManifest': [{'paths': ['group1-shard1of1.bin'], 'weights': manifest}],
          'signature': {'inputs': {'mfcc:0': {'name': 'mfcc:0', 'dtype': 'DT_FLOAT',
                                              'tensorShape': {'dim': [{'size': '-1'}, {'size': str(N_FRAMES)},
                                                                      {'size': str(N_COEF)}, {'size': '1'}]}}},
                        'outputs': {f'{out_name}:0': {'name': f'{out_name}:0', 'dtype': 'DT_FLOAT',
                                                      'tensorShape': {'dim': [{'size': '-1'}, {'size': '12'}]}}}}}
    with open(os.path.join(out_dir, 'model.json'), 'w') as f:
        json.dump(mj, f)
    # check the frozen graph against Keras
    x = np.random.RandomState(0).standard_normal((4, N_FRAMES, N_COEF, 1)).astype(np.float32)
    d = np.abs(frozen(T.constant(x))[0].numpy() - model.predict(x, verbose=0)).max()
    print(f'graph-model: {len(nodes)} nodes, output {out_name}, frozen vs keras max diff {d:.2e}', flush=True)
    return out_name


def metadata(mean, std, name='digits', labels=None):
    return {'name': name, 'version': '2.0.0', 'labels': labels or LABELS, 'sampleRate': 16000, 'clipDurationMs': 1000,
            'windowSizeMs': 30, 'windowStrideMs': 10,
            'features': {'type': 'mfcc', 'binCount': N_COEF, 'lowerFrequencyHz': 20, 'upperFrequencyHz': 4000,
                         'filterbankChannels': 40, 'normalize': 'dataset',
                         'mean': [float(v) for v in mean], 'std': [float(v) for v in std]}}


def train_final(bank, args):
    t0 = time.time()
    rng = np.random.RandomState(args.seed)
    word_ids = set(bank.wgroup.tolist())
    x, y, ci = bank.build(SPEAKERS, word_ids, args, rng, args.aug)
    mean, std = training_normalisation(x[ci], args)
    tfeat = time.time() - t0
    model = train_model(x, y, mean, std, args, args.seed)
    ttrain = time.time() - t0
    acc, _, _ = eval_fsdd(model, bank.digits, mean, std)
    params = int(model.count_params())
    flops = count_flops(model)
    print(f'final: {len(x)} examples, features {tfeat:.0f}s, total {ttrain:.0f}s, params {params}, '
          f'{flops / 1e6:.1f} MFLOP/clip, training-set accuracy (clean) {acc:.3f}', flush=True)
    if args.data:  # the validation split's Speech Commands digit clips (other speakers than training)
        import speech_commands as SC
        me = sys.modules[__name__]
        val = SC.load_split(me, args.data, 'validation', lambda w: w in SC.DIGIT_WORDS)
        _, conf = SC.evaluate(me, model, mean, std, val, LABELS)
        print(f'validation split digit clips: {int(np.trace(conf))}/{len(val)}', flush=True)
    for stem in ['digits'] + ([f'digits_{args.run}'] if args.run else []):  # --export-only --run RUN
        model.save(os.path.join(WORK, f'{stem}.keras'))
        np.savez(os.path.join(WORK, f'{stem}_norm.npz'), mean=mean, std=std)
    with open(os.path.join(WORK, 'final_stats.json'), 'w') as f:
        json.dump(dict(examples=int(len(x)), feature_seconds=round(tfeat, 1), total_seconds=round(ttrain, 1),
                       params=params, mflops=round(flops / 1e6, 2), train_clean_accuracy=acc, args=vars(args)), f, indent=1)
    if not args.no_export:
        export_all(model, mean, std, bank)
    return model, mean, std


def export_all(model, mean, std, bank):
    out = os.path.join(ROOT, 'models', 'digits')
    os.makedirs(out, exist_ok=True)
    meta = metadata(mean, std)
    export_layers_model(model, out)
    with open(os.path.join(out, 'metadata.json'), 'w') as f:
        json.dump(meta, f, indent=1)
    gdir = os.path.join(ROOT, 'test', 'fixtures', 'models', 'digits-graph')
    export_graph_model(model, gdir)
    with open(os.path.join(gdir, 'metadata.json'), 'w') as f:
        json.dump(meta, f, indent=1)
    # verification input for training/verify_tfjs.mjs: normalised MFCC of a few clips + Keras probabilities
    sel = [c for c in bank.digits if c['name'].endswith('_0.wav') or c['name'].endswith('_7.wav')][:32]
    xv = mfcc_batch(np.stack([fit_window(c['audio']) for c in sel]))
    sil = mfcc_batch(np.stack([make_silence(np.random.RandomState(i)) for i in range(4)]))
    xv = np.concatenate([xv, sil])
    xn = ((xv - mean) / std).astype('<f4')
    pk = model.predict(xn[..., None], verbose=0).astype('<f4')
    xn.tofile(os.path.join(WORK, 'verify_input.f32'))
    pk.tofile(os.path.join(WORK, 'verify_keras_probs.f32'))
    with open(os.path.join(WORK, 'verify.json'), 'w') as f:
        json.dump({'n': int(len(xn)), 'inputShape': [int(len(xn)), N_FRAMES, N_COEF, 1], 'classes': 12}, f)


def main():
    global WORK
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--model', default='digits', choices=['digits', 'speech-commands'], help='which bundled model to train')
    ap.add_argument('--data', default=os.environ.get('SPEECH_COMMANDS_DIR'),
                    help='the speech_commands tree built by prepare.py (training/README.md); env SPEECH_COMMANDS_DIR')
    ap.add_argument('--fsdd', default=os.environ.get('FSDD_DIR'),
                    help='folder of FSDD wavs (DIGIT_SPEAKER_INDEX.wav); env FSDD_DIR. Required for digits; '
                         'for speech-commands FSDD digits are extra _unknown_ material')
    ap.add_argument('--work', default=os.environ.get('WAVEBENCH_TRAIN_WORK', WORK),
                    help='scratch folder (synthetic voices, feature caches, logs); env WAVEBENCH_TRAIN_WORK')
    ap.add_argument('--per-class', type=int, default=2600, help='speech-commands: training examples per class')
    ap.add_argument('--synth-share-rare', type=float, default=0.6,
                    help='speech-commands: share of synthetic examples in a class with < 100 real clips (on, off)')
    ap.add_argument('--sc-aug', type=int, default=12, help='digits: augmented copies of each Speech Commands digit clip')
    ap.add_argument('--sc-unknown', type=int, default=2000, help='digits: Speech Commands non-digit clips used as _unknown_')
    ap.add_argument('--no-export', action='store_true', help='train and score, leave models/ untouched')
    ap.add_argument('--loso', action='store_true', help='run leave-one-speaker-out evaluation before the final model')
    ap.add_argument('--loso-only', action='store_true', help='only the leave-one-speaker-out evaluation')
    ap.add_argument('--speakers', default='', help='comma list of speakers to hold out (LOSO), default all')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--epochs', type=int, default=None, help='default: 5 (digits), 10 (speech-commands)')
    ap.add_argument('--aug', type=int, default=5, help='augmented copies per digit clip')
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--lr', type=float, default=3e-3)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--tag', default='run', help='names the cached features (speech-commands) and the LOSO outputs')
    ap.add_argument('--run', default='', help='names this run\'s saved network (WORK/speech-commands_RUN.keras, digits_RUN.keras; for speech-commands default: --tag)')
    ap.add_argument('--init-from', default=None, help='digits: start from this trained network (a .keras with its _norm.npz beside it; same --channels/--head), all layers but the softmax')
    ap.add_argument('--export-to', default=None, help='speech-commands --export-only: write the model folder here instead of models/speech-commands (to score a candidate with evaluate.mjs --model DIR)')
    ap.add_argument('--draws', type=int, default=None, help='speech-commands: augmentation draws of --per-class examples each, 4 by default (more distinct augmented examples)')
    ap.add_argument('--features-only', action='store_true', help='speech-commands: build and cache the training features, then stop')
    ap.add_argument('--synth-share', type=float, default=0.3,
                    help='speech-commands: share of synthetic renditions in the commands with hundreds of real clips')
    ap.add_argument('--synth-share-unknown', type=float, default=0.3, help='speech-commands: share of synthetic words in _unknown_')
    ap.add_argument('--background', type=float, default=0.3,
                    help='speech-commands: share of augmented word examples mixed with an everyday background')
    ap.add_argument('--feature-aug', action='store_true',
                    help='also tempo / vocal-tract-length warping on the MFCC (measured worse on george, off by default)')
    ap.add_argument('--synth-digits', type=int, default=100, help='espeak-ng renditions per digit added to training')
    ap.add_argument('--synth-copies', type=int, default=2, help='augmented examples per espeak-ng digit')
    ap.add_argument('--synth-ratio', type=float, default=1.0, help='max synthetic : real digit examples')
    ap.add_argument('--speed', type=float, default=None, help='speed (resampling) perturbation +- (default 0.82..1.2)')
    ap.add_argument('--coefs', type=int, default=20, help='MFCC coefficients kept (the dct_coefficient_count)')
    ap.add_argument('--channels', default=None, help='conv channels per block (2x2 max-pool between blocks); default 16,32,48,64')
    ap.add_argument('--arch', default='conv', choices=['conv', 'separable'], help='full 3x3 convolutions, or depthwise + pointwise after the first (DS-CNN; LOSO experiment)')
    ap.add_argument('--head', default='flatten', choices=['gap', 'flatten'], help='global average pooling or flatten before the dense layer')
    ap.add_argument('--tempo', type=float, default=0.0, help='tempo +- set apart from the speed change (librosa time stretch; 0: off)')
    ap.add_argument('--strong-eq', action=argparse.BooleanOptionalAction, default=True, help='two peaking bands plus random low/high-pass (other microphones)')
    ap.add_argument('--eq-wide', action='store_true', help='low-pass down to 1.8 kHz, half of the coloured examples')
    ap.add_argument('--coef-mask', type=int, default=4, help='mask up to N consecutive MFCC coefficients (half of the examples)')
    ap.add_argument('--reverb', type=float, default=0.3, help='share of augmented examples given a synthetic room (RT60 80-500 ms)')
    ap.add_argument('--tts', type=int, default=120, help='flite/festival renditions per digit added to the synthetic digits')
    ap.add_argument('--cmn', type=float, default=0.0, help='speech-frame cepstral mean normalisation: frames within this many dB of the loudest (0: off; 35 measured worse: george 0.814, jackson 0.790)')
    ap.add_argument('--expander', type=float, default=0.4, help='share of augmented examples given a downward expander (quiet parts quieter; 0: off)')
    ap.add_argument('--shift-ms', type=float, default=100, help='largest late start of the word in a quarter of the augmented examples (250 measured worse on jackson: 0.784)')
    ap.add_argument('--trim', type=float, default=None, help='share of augmented examples cut by an aggressive silence trimmer (0: off; default 0.3 digits, 0 speech-commands)')
    ap.add_argument('--quantize', type=float, default=0.2, help='share of augmented examples quantised to 8 bits (0: off)')
    ap.add_argument('--dull-reverb', type=float, default=0.5, help='share of the rooms whose reverberation is low-passed (300-1500 Hz) and up to 0.7 s long')
    ap.add_argument('--mixup', type=float, default=0.0, help='mixup of the normalised features within a batch, Beta(a, a) (0: off)')
    ap.add_argument('--ema', type=float, default=0.995, help='keep an exponential moving average of the weights with this momentum (0: off)')
    ap.add_argument('--distill', type=int, default=0, help='train N teacher networks, then one network towards their mean probabilities (LOSO experiment; 0: off)')
    ap.add_argument('--distill-own-data', action='store_true', help='with --distill: each teacher on its own augmentation draw')
    ap.add_argument('--save-probs', action='store_true', help='save each fold\'s probabilities (loso_TAG_SPEAKER.npz) for ensembles')
    ap.add_argument('--export-only', action='store_true', help='re-export WORK/digits.keras (or WORK/speech-commands.keras)')
    ap.add_argument('--verbose', action='store_true')
    args = ap.parse_args()
    WORK = os.path.abspath(args.work)
    os.makedirs(WORK, exist_ok=True)
    sc = args.model == 'speech-commands'
    if args.epochs is None:
        args.epochs = 10 if sc else 5
    if args.channels is None:  # the shipped networks (speech-commands v3, digits v7); digits v5/v6 were 12,24,32,48
        args.channels = '16,32,48,64'
    if args.draws is None:
        args.draws = 4 if sc else 1
    if args.trim is None:
        args.trim = 0.0 if sc else 0.3
    import speech_commands as SC
    if sc:
        SC.need_data(ap, args)
    elif not args.fsdd:
        ap.error('--fsdd DIR is required for the digits model: the FSDD recordings folder (or set FSDD_DIR)')
    global SPEED_RANGE, N_COEF, TEMPO, STRONG_EQ, REVERB, EQ_WIDE, CMN_DB, EXPANDER, SHIFT_MAX, TRIM, QUANTIZE, DULL_REVERB
    EXPANDER = args.expander
    TRIM = args.trim
    DULL_REVERB = args.dull_reverb
    QUANTIZE = args.quantize
    SHIFT_MAX = int(args.shift_ms * SR / 1000)
    CMN_DB = args.cmn
    N_COEF = args.coefs
    TEMPO = args.tempo
    STRONG_EQ = args.strong_eq
    REVERB = args.reverb
    EQ_WIDE = args.eq_wide
    if args.distill and not args.loso_only:
        ap.error('--distill is a leave-one-speaker-out experiment (--loso-only); the final model is trained without it')
    if args.arch != 'conv' and not args.loso_only:
        ap.error('--arch separable is a leave-one-speaker-out experiment (--loso-only): the exporters write plain convolutions only')
    if CMN_DB and not args.loso_only:
        ap.error('--cmn is an experiment for --loso-only: metadata.json cannot describe it, so an exported model would get other features at inference')
    if args.feature_aug and N_COEF != 40:
        ap.error('--feature-aug needs --coefs 40')
    if args.speed is not None:
        SPEED_RANGE = (1 - args.speed, 1 + args.speed)
    T = tf()
    T.config.threading.set_intra_op_parallelism_threads(args.threads)
    T.config.threading.set_inter_op_parallelism_threads(1)
    if sc:
        SC.train_speech_commands(sys.modules[__name__], args)
        return
    bank = Bank(args)
    if args.loso or args.loso_only:
        run_loso(bank, args)
    if args.export_only:
        T = tf()
        stem = 'digits' + (f'_{args.run}' if args.run else '')
        model = T.keras.models.load_model(os.path.join(WORK, f'{stem}.keras'))
        d = np.load(os.path.join(WORK, f'{stem}_norm.npz'))
        export_all(model, d['mean'], d['std'], bank)
    elif not args.loso_only:
        train_final(bank, args)


if __name__ == '__main__':
    main()
