#!/usr/bin/env python3
"""TensorFlow (Python) side of the classify benchmark.

Usage:
  python bench/classify/tf_classify.py --model-dir models/digits --list FILES.txt
         [--batch 32] [--repeat 1]

Rebuilds the model from a TF.js *layers-model* folder (model.json + weight
shard(s) + metadata.json) in Keras 3, without TF.js tooling: the topology JSON
(Keras-2 or Keras-3 style, Sequential, or a Functional model that is a plain
chain) is read layer by layer and each layer is re-created from the config keys
that matter for inference; weights come from the weightsManifest and shards
(float32/int32, plus TF.js uint8/uint16/float16 quantisation).

Then it times a tf.data pipeline as a TF user would write it:
  read_file -> decode_wav(desired_channels=1, desired_samples=16000)
  -> AudioSpectrogram(480, 160, magnitude_squared) -> Mfcc(16000, 4000, 20, 40, k)
  -> coefficient selection to the model's input width (k: as many as it uses) -> (x - mean) / std from
  metadata.json (if present) -> reshape to the model input -> batch(--batch)
  -> model.predict
(map with num_parallel_calls=AUTOTUNE, prefetch; TF default threading, i.e.
all cores). One untimed warm-up predict on the first batch runs first.

Prints one JSON line on stdout: clips/s, model load seconds, wall time, peak
RSS (MB), and accuracy when labels can be inferred from each file's parent
folder name (a digit) or its name (DIGIT_SPEAKER_INDEX.wav).
"""
import argparse
import json
import math
import os
import re
import resource
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

NUM_FRAMES = 98
NUM_COEFFS = 40
DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def log(*a):
    print(*a, file=sys.stderr)


# ----------------------------------------------------------------------------
# model.json / shards

def read_weights(model_dir, manifest):
    """Returns {name: np.ndarray} and the ordered list of names."""
    import numpy as np
    out, order = {}, []
    for group in manifest:
        buf = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        off = 0
        for w in group["weights"]:
            shape = [int(d) for d in w["shape"]]
            n = int(np.prod(shape)) if shape else 1
            q = w.get("quantization")
            dtype = w.get("dtype", "float32")
            if q:
                qd = q["dtype"]
                item = {"uint8": 1, "uint16": 2, "float16": 2}[qd]
                raw = np.frombuffer(buf, dtype={"uint8": "u1", "uint16": "<u2", "float16": "<f2"}[qd],
                                    count=n, offset=off)
                off += n * item
                if qd == "float16":
                    arr = raw.astype(np.float32)
                else:
                    arr = raw.astype(np.float32) * float(q["scale"]) + float(q["min"])
                arr = arr.astype(dtype)
            else:
                npdt = {"float32": "<f4", "int32": "<i4", "bool": "u1"}[dtype]
                arr = np.frombuffer(buf, dtype=npdt, count=n, offset=off).copy()
                off += n * np.dtype(npdt).itemsize
            arr = arr.reshape(shape)
            out[w["name"]] = arr
            order.append(w["name"])
    return out, order


def unwrap_topology(topo):
    """Returns (class_name, layer list) from modelTopology in its several shapes."""
    if "model_config" in topo:
        topo = topo["model_config"]
    cls = topo.get("class_name", "Sequential")
    cfg = topo.get("config", topo)
    layers = cfg if isinstance(cfg, list) else cfg.get("layers", [])
    return cls, layers


def _tuple(v):
    return tuple(v) if isinstance(v, (list, tuple)) else v


def _act(v):
    if isinstance(v, dict):  # serialized activation
        v = v.get("config", {}).get("name") or v.get("class_name")
    return {"linear": None, None: None}.get(v, v)


def build_layer(keras, class_name, c):
    L = keras.layers
    name = c.get("name")
    common = {"name": name} if name else {}
    if class_name in ("Conv2D", "Convolution2D"):
        return L.Conv2D(c["filters"], _tuple(c["kernel_size"]), strides=_tuple(c.get("strides", 1)),
                        padding=c.get("padding", "valid"), data_format=c.get("data_format") or "channels_last",
                        dilation_rate=_tuple(c.get("dilation_rate", 1)), activation=_act(c.get("activation")),
                        use_bias=c.get("use_bias", True), **common)
    if class_name == "DepthwiseConv2D":
        return L.DepthwiseConv2D(_tuple(c["kernel_size"]), strides=_tuple(c.get("strides", 1)),
                                 padding=c.get("padding", "valid"),
                                 depth_multiplier=c.get("depth_multiplier", 1),
                                 data_format=c.get("data_format") or "channels_last",
                                 dilation_rate=_tuple(c.get("dilation_rate", 1)),
                                 activation=_act(c.get("activation")), use_bias=c.get("use_bias", True), **common)
    if class_name == "SeparableConv2D":
        return L.SeparableConv2D(c["filters"], _tuple(c["kernel_size"]), strides=_tuple(c.get("strides", 1)),
                                 padding=c.get("padding", "valid"), depth_multiplier=c.get("depth_multiplier", 1),
                                 activation=_act(c.get("activation")), use_bias=c.get("use_bias", True), **common)
    if class_name == "BatchNormalization":
        axis = c.get("axis", -1)
        if isinstance(axis, list):
            axis = axis[0] if len(axis) == 1 else axis
        return L.BatchNormalization(axis=axis, momentum=c.get("momentum", 0.99), epsilon=c.get("epsilon", 1e-3),
                                    center=c.get("center", True), scale=c.get("scale", True), **common)
    if class_name == "Activation":
        return L.Activation(_act(c.get("activation")) or "linear", **common)
    if class_name == "ReLU":
        return L.ReLU(max_value=c.get("max_value"), negative_slope=c.get("negative_slope", 0.0),
                      threshold=c.get("threshold", 0.0), **common)
    if class_name == "LeakyReLU":
        return L.LeakyReLU(negative_slope=c.get("negative_slope", c.get("alpha", 0.3)), **common)
    if class_name == "Softmax":
        return L.Softmax(axis=c.get("axis", -1), **common)
    if class_name in ("MaxPooling2D", "MaxPool2D", "AveragePooling2D", "AvgPool2D"):
        cls = L.MaxPooling2D if class_name.startswith("Max") else L.AveragePooling2D
        return cls(pool_size=_tuple(c.get("pool_size", 2)), strides=_tuple(c.get("strides")),
                   padding=c.get("padding", "valid"), data_format=c.get("data_format") or "channels_last", **common)
    if class_name in ("GlobalAveragePooling2D", "GlobalAvgPool2D", "GlobalMaxPooling2D", "GlobalMaxPool2D"):
        cls = L.GlobalAveragePooling2D if "Av" in class_name else L.GlobalMaxPooling2D
        return cls(data_format=c.get("data_format") or "channels_last", keepdims=c.get("keepdims", False), **common)
    if class_name == "Dropout":
        return L.Dropout(c.get("rate", 0.0), **common)
    if class_name == "SpatialDropout2D":
        return L.SpatialDropout2D(c.get("rate", 0.0), **common)
    if class_name == "Dense":
        return L.Dense(c["units"], activation=_act(c.get("activation")), use_bias=c.get("use_bias", True), **common)
    if class_name == "Flatten":
        return L.Flatten(**common)
    if class_name == "Reshape":
        return L.Reshape(tuple(c["target_shape"]), **common)
    if class_name == "Permute":
        return L.Permute(tuple(c["dims"]), **common)
    if class_name == "ZeroPadding2D":
        return L.ZeroPadding2D(padding=c.get("padding", 1), **common)
    if class_name == "Rescaling":
        return L.Rescaling(c.get("scale", 1.0), offset=c.get("offset", 0.0), **common)
    if class_name == "Normalization":
        return L.Normalization(axis=c.get("axis", -1), **common)
    raise ValueError(f"unsupported layer class {class_name!r} (layer {name!r})")


# Keras 3 variable name -> names TF.js / Keras 2 may use for the same weight
ALIASES = {
    "kernel": ["kernel", "depthwise_kernel"],
    "depthwise_kernel": ["depthwise_kernel", "kernel"],
    "pointwise_kernel": ["pointwise_kernel"],
    "bias": ["bias"],
    "gamma": ["gamma"],
    "beta": ["beta"],
    "moving_mean": ["moving_mean"],
    "moving_variance": ["moving_variance"],
    "mean": ["mean"],
    "variance": ["variance"],
    "count": ["count"],
}


def assign_weights(model, weights, order):
    import numpy as np
    used = set()
    cursor = 0  # for order-based fallback
    report = []
    for layer in model.layers:
        vars_ = layer.weights
        if not vars_:
            continue
        lname = layer.name
        cands = {n: a for n, a in weights.items()
                 if n.rsplit("/", 1)[0] == lname or n.rsplit("/", 1)[0].endswith("/" + lname)}
        vals, how = [], "name"
        for v in vars_:
            vname = v.name.split("/")[-1].split(":")[0]
            found = None
            for alias in ALIASES.get(vname, [vname]):
                for n in cands:
                    if n.rsplit("/", 1)[-1] == alias and n not in used:
                        found = n
                        break
                if found:
                    break
            if found is None:
                vals = None
                break
            vals.append(found)
        if vals is None:  # fall back to manifest order
            how = "order"
            vals = []
            while cursor < len(order) and order[cursor] in used:
                cursor += 1
            for _ in vars_:
                if cursor >= len(order):
                    raise ValueError(f"ran out of manifest weights at layer {lname}")
                vals.append(order[cursor])
                cursor += 1
        arrays = []
        for v, n in zip(vars_, vals):
            a = weights[n]
            if tuple(a.shape) != tuple(v.shape):
                raise ValueError(f"layer {lname}: weight {n} has shape {a.shape}, model wants {tuple(v.shape)}")
            arrays.append(a)
            used.add(n)
        layer.set_weights(arrays)
        report.append((lname, how, vals))
    unused = [n for n in order if n not in used]
    if unused:
        raise ValueError(f"manifest weights not used: {unused}")
    return report


def load_tfjs_layers_model(model_dir):
    import keras
    with open(os.path.join(model_dir, "model.json")) as f:
        mj = json.load(f)
    topo = mj["modelTopology"]
    cls, layer_specs = unwrap_topology(topo)
    if cls not in ("Sequential", "Model", "Functional"):
        raise ValueError(f"unsupported model class {cls}")
    input_shape = None
    layers = []
    for spec in layer_specs:
        lc, c = spec["class_name"], spec.get("config", {})
        shp = c.get("batch_input_shape") or c.get("batch_shape")
        if shp is None and c.get("input_shape"):
            shp = [None] + list(c["input_shape"])
        if shp is not None and input_shape is None:
            input_shape = tuple(shp[1:])
        if lc == "InputLayer":
            continue
        layers.append(build_layer(keras, lc, c))
    if input_shape is None:
        raise ValueError("no input shape in topology (batch_input_shape / batch_shape)")
    model = keras.Sequential([keras.Input(shape=input_shape)] + layers)
    weights, order = read_weights(model_dir, mj.get("weightsManifest", []))
    report = assign_weights(model, weights, order)
    return model, input_shape, report


# ----------------------------------------------------------------------------
# metadata.json

def _find(d, keys, depth=0):
    """First value for any of `keys` found in nested dicts (breadth-first)."""
    if not isinstance(d, dict) or depth > 4:
        return None
    for k in keys:
        if k in d:
            return d[k]
    for v in d.values():
        r = _find(v, keys, depth + 1)
        if r is not None:
            return r
    return None


def read_metadata(model_dir):
    p = os.path.join(model_dir, "metadata.json")
    if not os.path.exists(p):
        return {}
    with open(p) as f:
        return json.load(f)


def normalisation_from(meta):
    mean = _find(meta, ["mean", "featureMean", "feature_mean", "means"])
    std = _find(meta, ["std", "stddev", "stdev", "featureStd", "feature_std", "stds"])
    if std is None:
        var = _find(meta, ["variance", "var"])
        if var is not None:
            std = [math.sqrt(v) for v in var] if isinstance(var, list) else math.sqrt(var)
    if mean is None and std is None:
        return None, None
    return mean if mean is not None else 0.0, std if std is not None else 1.0


def labels_from(meta):
    labs = _find(meta, ["labels", "words", "classes", "classNames", "class_names", "wordLabels"])
    return [str(x) for x in labs] if isinstance(labs, list) else None


def drop_first_from(meta):
    v = _find(meta, ["dropFirstCoefficient", "dropCoefficient0", "drop_first_coefficient",
                     "dropC0", "skipFirstCoefficient", "dropFirst"])
    if v is not None:
        return bool(v)
    first = _find(meta, ["firstCoefficient", "first_coefficient", "coefficientStart"])
    return bool(first) if first is not None else None


# ----------------------------------------------------------------------------

def label_of(path):
    parent = os.path.basename(os.path.dirname(path))
    if re.fullmatch(r"\d", parent):
        return parent
    if parent.lower() in DIGIT_WORDS:
        return str(DIGIT_WORDS.index(parent.lower()))
    m = re.match(r"(\d)_", os.path.basename(path))
    return m.group(1) if m else None


def canon(label):
    s = str(label).strip().lower()
    return str(DIGIT_WORDS.index(s)) if s in DIGIT_WORDS else s


def main():
    ap = argparse.ArgumentParser(description="TF Python classify benchmark")
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--list", required=True)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--repeat", type=int, default=1, help="passes over the list in the timed run")
    args = ap.parse_args()

    base = os.path.dirname(os.path.abspath(args.list))
    with open(args.list) as f:
        files = [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]
    files = [p if os.path.isabs(p) else os.path.join(base, p) for p in files]
    if not files:
        sys.exit("empty file list")

    t_start = time.perf_counter()
    import numpy as np
    import tensorflow as tf
    import keras
    t_import = time.perf_counter() - t_start

    t0 = time.perf_counter()
    model, input_shape, report = load_tfjs_layers_model(args.model_dir)
    meta = read_metadata(args.model_dir)
    load_s = time.perf_counter() - t0
    for lname, how, names in report:
        log(f"weights {lname}: by {how}: {names}")

    # How the 40 MFCC coefficients map to the model input.
    in_elems = int(np.prod(input_shape))
    if in_elems % NUM_FRAMES:
        sys.exit(f"model input {input_shape} is not {NUM_FRAMES} frames x k coefficients")
    width = in_elems // NUM_FRAMES
    drop_first = drop_first_from(meta)
    if drop_first is None:
        drop_first = width == NUM_COEFFS - 1
    c0 = 1 if drop_first else 0
    if c0 + width > NUM_COEFFS:
        sys.exit(f"model wants {width} coefficients from index {c0}, MFCC has {NUM_COEFFS}")

    mean, std = normalisation_from(meta)
    norm_desc = "none"
    if mean is not None:
        def vec(v):
            a = np.asarray(v, dtype=np.float32).reshape(-1)
            if a.size == 1:
                return a.reshape(())
            if a.size == NUM_COEFFS and width != NUM_COEFFS:
                return a[c0:c0 + width]
            if a.size == width:
                return a
            sys.exit(f"normalisation vector of length {a.size} fits neither {width} nor {NUM_COEFFS}")
        mean_t = tf.constant(vec(mean))
        std_t = tf.constant(vec(std))
        norm_desc = f"(x - mean) / std, {'scalar' if mean_t.shape.rank == 0 else 'per-coefficient'}"

    labels = labels_from(meta)

    def load(path):
        audio, _ = tf.audio.decode_wav(tf.io.read_file(path), desired_channels=1, desired_samples=16000)
        spec = tf.raw_ops.AudioSpectrogram(input=audio, window_size=480, stride=160, magnitude_squared=True)
        mfcc = tf.raw_ops.Mfcc(spectrogram=spec, sample_rate=16000, upper_frequency_limit=4000.0,
                               lower_frequency_limit=20.0, filterbank_channel_count=40,
                               dct_coefficient_count=c0 + width)[0]  # [98, c0 + width]: only what is used
        x = mfcc[:, c0:c0 + width]
        if mean is not None:
            x = (x - mean_t) / std_t
        return tf.reshape(x, input_shape)

    def dataset(paths):
        return (tf.data.Dataset.from_tensor_slices(paths)
                .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                .batch(args.batch)
                .prefetch(tf.data.AUTOTUNE))

    # warm-up (tracing, first predict): not timed
    t0 = time.perf_counter()
    model.predict(dataset(files[:args.batch]), verbose=0)
    warm_s = time.perf_counter() - t0

    timed = files * max(1, args.repeat)
    t0 = time.perf_counter()
    probs = model.predict(dataset(timed), verbose=0)
    run_s = time.perf_counter() - t0

    pred = np.argmax(probs[:len(files)], axis=-1)
    truth = [label_of(p) for p in files]
    acc, n_lab = None, sum(t is not None for t in truth)
    if n_lab:
        correct = 0
        for p, t in zip(pred, truth):
            if t is None:
                continue
            guess = labels[p] if labels and p < len(labels) else str(p)
            correct += canon(guess) == canon(t)
        acc = correct / n_lab

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB
    print(json.dumps({
        "tool": "tensorflow-python",
        "version": tf.__version__,
        "keras_version": keras.__version__,
        "clips_per_sec": round(len(timed) / run_s, 2),
        "clips": len(files),
        "clips_timed": len(timed),
        "batch": args.batch,
        "model_load_seconds": round(load_s, 3),
        "tf_import_seconds": round(t_import, 3),
        "warmup_seconds": round(warm_s, 3),
        "run_seconds": round(run_s, 3),
        "wall_seconds": round(time.perf_counter() - t_start, 3),
        "peak_rss_mb": round(rss_mb, 1),
        "accuracy": None if acc is None else round(acc, 4),
        "labelled": n_lab,
        "model_input_shape": list(input_shape),
        "coefficients": [c0, c0 + width],
        "normalisation": norm_desc,
        "params": int(model.count_params()),
        "threads": "tf-default",
        "cpus": os.cpu_count(),
    }))


if __name__ == "__main__":
    main()
