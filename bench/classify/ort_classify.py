#!/usr/bin/env python3
"""onnxruntime-python side of bench/classify/onnx.mjs.

Usage: python3 bench/classify/ort_classify.py --model-dir test/fixtures/onnx/mfcc_nchw --list FILES.txt

What a PyTorch/ONNX user would write for the mfcc_nchw fixture: read_file -> decode_wav(16000 samples)
-> AudioSpectrogram(480, 160) -> Mfcc(40) in a tf.data pipeline (map AUTOTUNE, batch 32) -> transpose to
[batch, 1, 40, 98] -> onnxruntime InferenceSession.run (CPU, default threads) -> softmax. Prints one JSON
line: clips, seconds from the first read to the last probability (model load excluded), load seconds.
"""
import argparse, json, os, time
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
import numpy as np
import onnxruntime as ort
import tensorflow as tf

ap = argparse.ArgumentParser()
ap.add_argument('--model-dir', required=True)
ap.add_argument('--list', required=True)
a = ap.parse_args()
files = [l for l in open(a.list).read().split('\n') if l]
t0 = time.perf_counter()
sess = ort.InferenceSession(os.path.join(a.model_dir, 'model.onnx'), providers=['CPUExecutionProvider'])
load = time.perf_counter() - t0


def feats(path):
    audio, _ = tf.audio.decode_wav(tf.io.read_file(path), desired_channels=1, desired_samples=16000)
    spec = tf.raw_ops.AudioSpectrogram(input=audio, window_size=480, stride=160, magnitude_squared=True)
    m = tf.raw_ops.Mfcc(spectrogram=spec, sample_rate=16000, upper_frequency_limit=4000.0,
                        lower_frequency_limit=20.0, filterbank_channel_count=40, dct_coefficient_count=40)
    return tf.transpose(m, [0, 2, 1])  # [1, 40, 98]


t1 = time.perf_counter()
ds = tf.data.Dataset.from_tensor_slices(files).map(feats, num_parallel_calls=tf.data.AUTOTUNE).batch(32)
n = 0
for x in ds.prefetch(2):
    logits = sess.run(None, {sess.get_inputs()[0].name: x.numpy()})[0]
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    n += len(p)
print(json.dumps({'clips': n, 'sec': time.perf_counter() - t1, 'loadSec': load}))
