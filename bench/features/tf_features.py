#!/usr/bin/env python3
"""TensorFlow side of the feature-extraction benchmark.

Usage:
  python bench/features/tf_features.py --list FILES.txt [--seconds 10] [--threads 1]

FILES.txt lists WAV paths, one per line (16 kHz mono 16-bit, 1 s clips).
Per clip the measured work is:
  read file bytes -> tf.audio.decode_wav(desired_channels=1, desired_samples=16000)
  -> tf.raw_ops.AudioSpectrogram(window_size=480, stride=160, magnitude_squared=True)
  -> tf.raw_ops.Mfcc(sample_rate=16000, upper_frequency_limit=4000,
                     lower_frequency_limit=20, filterbank_channel_count=40,
                     dct_coefficient_count=40)
in two modes: eager ops, and the same ops inside one tf.function (traced once
and warmed up before timing). Each mode loops over the file list repeatedly
for about --seconds (each mode gets the full --seconds, so a run takes
about 2x --seconds plus TF start-up). File reading (tf.io.read_file) happens inside the timed loop in both modes.
Note: these ops are tiny (1 s of audio), so per-call tf.function dispatch
overhead can make the function mode slower than eager on small machines.

Prints exactly one JSON line on stdout:
  {"tool":"tensorflow","version":...,"mode_eager_clips_per_sec":...,
   "mode_function_clips_per_sec":...,"clips":N,"threads":T, ...}
TensorFlow's own log chatter goes to stderr.
"""
import argparse
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--list", required=True, help="text file with one WAV path per line")
    ap.add_argument("--seconds", type=float, default=10.0, help="time budget per mode")
    ap.add_argument("--threads", type=int, default=1,
                    help="intra- and inter-op threads for TensorFlow (0 = TF default)")
    return ap.parse_args()


def main():
    args = parse_args()
    base = os.path.dirname(os.path.abspath(args.list))
    with open(args.list) as f:
        files = [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]
    files = [p if os.path.isabs(p) else os.path.join(base, p) for p in files]
    if not files:
        sys.exit("empty file list")

    import tensorflow as tf  # after env setup

    if args.threads > 0:
        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)

    def features(wav_bytes):
        audio, _sr = tf.audio.decode_wav(wav_bytes, desired_channels=1, desired_samples=16000)
        spec = tf.raw_ops.AudioSpectrogram(input=audio, window_size=480, stride=160,
                                           magnitude_squared=True)
        return tf.raw_ops.Mfcc(spectrogram=spec, sample_rate=16000,
                               upper_frequency_limit=4000.0, lower_frequency_limit=20.0,
                               filterbank_channel_count=40, dct_coefficient_count=40)

    @tf.function(input_signature=[tf.TensorSpec([], tf.string)])
    def features_fn(path):
        return features(tf.io.read_file(path))

    def run_eager(path):
        return features(tf.io.read_file(path))

    def run_function(path):
        return features_fn(tf.constant(path))

    def bench(step, seconds):
        # warm-up: one pass over up to 10 files (includes tracing for tf.function)
        for p in files[:10]:
            out = step(p)
        shape = tuple(out.shape)
        n = 0
        t0 = time.perf_counter()
        deadline = t0 + seconds
        while True:
            p = files[n % len(files)]
            step(p).numpy()  # force completion
            n += 1
            # at least one full pass over the list, then stop at the deadline
            if n >= len(files) and time.perf_counter() >= deadline:
                break
        dt = time.perf_counter() - t0
        return n / dt, n, dt, shape

    eager_rate, eager_n, eager_dt, shape = bench(run_eager, args.seconds)
    fn_rate, fn_n, fn_dt, _ = bench(run_function, args.seconds)
    print(json.dumps({
        "tool": "tensorflow",
        "version": tf.__version__,
        "mode_eager_clips_per_sec": round(eager_rate, 2),
        "mode_function_clips_per_sec": round(fn_rate, 2),
        "clips": len(files),
        "threads": args.threads,
        "eager_processed": eager_n,
        "eager_seconds": round(eager_dt, 3),
        "function_processed": fn_n,
        "function_seconds": round(fn_dt, 3),
        "mfcc_shape": list(shape),
    }))


if __name__ == "__main__":
    main()
