"""Builds samples/digits/: 10 FSDD clips per digit (2 per speaker, copied unchanged, 8 kHz) and three
generated 1-s 16 kHz _silence_ clips (digital silence, pink noise, mains hum).
Run: python training/make_samples.py FSDD_RECORDINGS_DIR  (or FSDD_DIR=...)"""
import os, shutil, sys
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train as T

OUT = os.path.join(T.ROOT, 'samples', 'digits')


def main(fsdd=T.DEFAULT_FSDD):
    if not fsdd or not os.path.isdir(fsdd):
        sys.exit('make_samples.py: needs the FSDD recordings folder (github.com/Jakobovski/free-spoken-digit-dataset, '
                 f'recordings/): pass it as the argument or set FSDD_DIR (got {fsdd!r})')
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


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else T.DEFAULT_FSDD)
