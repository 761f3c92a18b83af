"""Keras's REC-Net training step, for comparison with segqa's benchmarks.

The network and step of `go test -bench 'UNet/d4_f32_128px_b16/train' ./graphs`:
a U-Net of depth 4 with 32 filters at 128 px (two 3x3 conv + ReLU per level,
2x2 max pooling, 2x2 stride-2 transposed convolutions, skip concatenations,
a 1x1 head and tanh), L1 loss, Adam, batch 16, one step per call of a
tf.function. Run by `make bench-keras` on the TensorFlow wheel whose C
library segqa links, once per precision policy; prints one line per
policy in Go's benchmark format so that benchstat reads both.
"""

import argparse
import time

import numpy as np
import tensorflow as tf


def unet(depth, filters, px):
    x = inp = tf.keras.Input((px, px, 1))
    skips = []
    f = filters
    for _ in range(depth):
        x = tf.keras.layers.Conv2D(f, 3, padding="same", activation="relu")(x)
        x = tf.keras.layers.Conv2D(f, 3, padding="same", activation="relu")(x)
        skips.append(x)
        x = tf.keras.layers.MaxPool2D()(x)
        f *= 2
    x = tf.keras.layers.Conv2D(f, 3, padding="same", activation="relu")(x)
    x = tf.keras.layers.Conv2D(f, 3, padding="same", activation="relu")(x)
    for skip in reversed(skips):
        f //= 2
        x = tf.keras.layers.Conv2DTranspose(f, 2, strides=2)(x)
        x = tf.keras.layers.Concatenate()([skip, x])
        x = tf.keras.layers.Conv2D(f, 3, padding="same", activation="relu")(x)
        x = tf.keras.layers.Conv2D(f, 3, padding="same", activation="relu")(x)
    x = tf.keras.layers.Conv2D(1, 1)(x)
    # The head in float32, as Keras's mixed-precision guide advises.
    out = tf.keras.layers.Activation("tanh", dtype="float32")(x)
    return tf.keras.Model(inp, out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--policy", default="float32", choices=["float32", "mixed_bfloat16"])
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--depth", type=int, default=4)
    ap.add_argument("--filters", type=int, default=32)
    ap.add_argument("--px", type=int, default=128)
    ap.add_argument("--batch", type=int, default=16)
    a = ap.parse_args()
    tf.config.threading.set_intra_op_parallelism_threads(a.threads)
    tf.config.threading.set_inter_op_parallelism_threads(min(a.threads, 2))
    tf.keras.mixed_precision.set_global_policy(a.policy)
    model = unet(a.depth, a.filters, a.px)
    opt = tf.keras.optimizers.Adam(1e-3)
    rng = np.random.default_rng(1)
    x = tf.constant(rng.uniform(-1, 1, (a.batch, a.px, a.px, 1)).astype("float32"))

    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.abs(model(x, training=True) - x))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    step(x).numpy()  # trace and warm up
    start = time.perf_counter()
    for _ in range(a.steps):
        loss = step(x)
    loss.numpy()
    sec = (time.perf_counter() - start) / a.steps
    name = f"BenchmarkKerasUNet/d{a.depth}_f{a.filters}_{a.px}px_b{a.batch}/train/{a.policy}"
    print(f"{name}-{a.threads}\t{a.steps}\t{sec * 1e9:.0f} ns/op\t{a.batch / sec:.4g} img/s")


if __name__ == "__main__":
    main()
