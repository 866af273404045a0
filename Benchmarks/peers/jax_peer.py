"""The JAX peer of `ganlab bench`: the same GAN epoch compiled whole with jit + lax.scan.

Same networks as `ganlab bench` (G: noise 2 -> L x N ReLU -> 2 tanh; D: 2 -> L x N ReLU -> 1 logit,
weights N(0, 1/fan_in), biases 0), two-Gaussians data, 2-D uniform noise, non-saturating loss,
SGD lr 0.01, k_D 2, k_G 1, fresh batches every update. One thread:

    XLA_FLAGS="--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1" \
        taskset -c 0 python3 Benchmarks/peers/jax_peer.py [--case default|medium|large] [--seconds 3]

Prints one JSON line per case: {"name", "epochs_per_s", "ms_per_epoch", "cpu_epochs_per_s"} (compile time
excluded; cpu_epochs_per_s is per second of the whole process's CPU time, like ganlab's per thread).
"""
import argparse
import json
import time

import jax
import jax.numpy as jnp

CASES = {"default": (2, 8, 150), "medium": (2, 64, 256), "large": (3, 256, 1024)}


def init_mlp(key, sizes):
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        key, sub = jax.random.split(key)
        params.append((jax.random.normal(sub, (fan_in, fan_out)) / jnp.sqrt(fan_in), jnp.zeros(fan_out)))
    return params


def mlp(params, x, output):
    for w, b in params[:-1]:
        x = jax.nn.relu(x @ w + b)
    w, b = params[-1]
    return output(x @ w + b)


def real_batch(key, n):
    # 1/2 N((-0.4, 0.4), 0.2^2) + 1/2 N((0.4, -0.2), diag(0.1, 0.4)^2), as Preset.gaussians.
    k1, k2 = jax.random.split(key)
    pick = jax.random.bernoulli(k1, 0.5, (n, 1))
    mean = jnp.where(pick, jnp.array([-0.4, 0.4]), jnp.array([0.4, -0.2]))
    sigma = jnp.where(pick, jnp.array([0.2, 0.2]), jnp.array([0.1, 0.4]))
    return jnp.clip(mean + sigma * jax.random.normal(k2, (n, 2)), -1, 1)


def make_epoch(batch, lr):
    def d_loss(d, g, z, real):
        fake = mlp(g, z, jnp.tanh)
        s_real, s_fake = mlp(d, real, lambda s: s), mlp(d, fake, lambda s: s)
        return jnp.mean(jax.nn.softplus(-s_real)) + jnp.mean(jax.nn.softplus(s_fake))

    def g_loss(g, d, z):
        return jnp.mean(jax.nn.softplus(-mlp(d, mlp(g, z, jnp.tanh), lambda s: s)))

    def sgd(params, grads):
        return jax.tree_util.tree_map(lambda p, q: p - lr * q, params, grads)

    def epoch(state, key):
        g, d = state
        for step in range(2):  # k_D
            kz, kr = jax.random.split(jax.random.fold_in(key, step))
            z = jax.random.uniform(kz, (batch, 2), minval=-1, maxval=1)
            d = sgd(d, jax.grad(d_loss)(d, g, z, real_batch(kr, batch)))
        z = jax.random.uniform(jax.random.fold_in(key, 7), (batch, 2), minval=-1, maxval=1)
        g = sgd(g, jax.grad(g_loss)(g, d, z))
        return (g, d), None

    return epoch


def run(name, seconds):
    layers, neurons, batch = CASES[name]
    kg, kd = jax.random.split(jax.random.PRNGKey(1))
    g = init_mlp(kg, [2] + [neurons] * layers + [2])
    d = init_mlp(kd, [2] + [neurons] * layers + [1])
    epoch = make_epoch(batch, 0.01)
    chunk = 1000 if name == "default" else (100 if name == "medium" else 4)

    @jax.jit
    def train(state, key):
        return jax.lax.scan(epoch, state, jax.random.split(key, chunk))[0]

    state = jax.block_until_ready(train((g, d), jax.random.PRNGKey(2)))  # compile + warm up
    epochs, start, cpu_start, key = 0, time.perf_counter(), time.process_time(), jax.random.PRNGKey(3)
    while time.perf_counter() - start < seconds:
        key, sub = jax.random.split(key)
        state = jax.block_until_ready(train(state, sub))
        epochs += chunk
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(json.dumps({"name": name, "epochs_per_s": round(epochs / elapsed, 1),
                      "ms_per_epoch": round(1000 * elapsed / epochs, 4), "cpu_epochs_per_s": round(epochs / cpu, 1),
                      "jax": jax.__version__}), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", choices=list(CASES) + ["all"], default="all")
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    for name in (CASES if args.case == "all" else [args.case]):
        run(name, args.seconds)
