#!/usr/bin/python3
"""The synthesizer's training iteration written the usual PyTorch way (CTGAN's): the PyTorch reference for
TrainStepBenchmark.synthIteration, which ../shared/bench/torch_step.py has no case for.

  /usr/bin/python3 src/test/scripts/torch_synth_step.py --columns 10 [--batch 128] [--pac 8] [--threads 1]

Same shapes as SynthStepFixture: 70% numeric columns (a tanh scalar + 5 mode slots each), 30% categorical with
5 categories, conditioned on a categorical column (one-hot of every categorical column's width), noise 32,
G (noise + cond) -> 128 -> 128 -> out (ReLU), D pac x (out + cond) -> 128 -> 128 -> 1 (LeakyReLU 0.2), Adam
(lr 2e-4, betas 0.5/0.9). One iteration = one D step (G forward without grad, D on real and fake, WGAN loss +
10 x gradient penalty on per-group interpolates by double backprop) and one G step (G forward, Gumbel-softmax
tau 0.2, D on fake, -mean D + conditional cross-entropy). Prints median and p90 microseconds per iteration, like
torch_step.py; --cpu times by thread CPU time instead of wall time.
"""
import argparse
import os
import statistics
import time

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("--columns", type=int, default=10)
ap.add_argument("--batch", type=int, default=128)
ap.add_argument("--pac", type=int, default=8)
ap.add_argument("--hidden", type=int, default=128)
ap.add_argument("--noise", type=int, default=32)
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--steps", type=int, default=300)
ap.add_argument("--warmup", type=int, default=50)
ap.add_argument("--cpu", action="store_true", help="time by thread CPU time")
a = ap.parse_args()
for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[v] = str(a.threads)

import torch  # noqa: E402
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(a.threads)
torch.manual_seed(0)
clock = time.thread_time_ns if a.cpu else time.perf_counter_ns

numeric = max(1, round(a.columns * 0.7))
categorical = a.columns - numeric
modes, cats = 5, 5
out_dims = numeric * (1 + modes) + categorical * cats
cond_dims = categorical * cats
b, pac, h = a.batch, a.pac, a.hidden
G = nn.Sequential(nn.Linear(a.noise + cond_dims, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU(), nn.Linear(h, out_dims))
D = nn.Sequential(nn.Linear(pac * (out_dims + cond_dims), h), nn.LeakyReLU(0.2), nn.Linear(h, h),
                  nn.LeakyReLU(0.2), nn.Linear(h, 1))
og = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.9))
od = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.9))

# a fixed pool of encoded real rows: one-hot modes/categories, alphas in [-1, 1]
pool = 4096
parts = []
for _ in range(numeric):
    parts.append(torch.rand(pool, 1) * 2 - 1)
    parts.append(F.one_hot(torch.randint(0, modes, (pool,)), modes).float())
for _ in range(categorical):
    parts.append(F.one_hot(torch.randint(0, cats, (pool,)), cats).float())
real_pool = torch.cat(parts, 1)
cond_col = torch.randint(0, max(1, categorical), (pool,))
cond_cat = torch.randint(0, cats, (pool,))
cond_pool = torch.zeros(pool, cond_dims)
if categorical:
    cond_pool[torch.arange(pool), cond_col * cats + cond_cat] = 1
cat_start = numeric * (1 + modes)


def activate(z):
    outs, s = [], 0
    for _ in range(numeric):
        outs.append(torch.tanh(z[:, s:s + 1]))
        outs.append(F.gumbel_softmax(z[:, s + 1:s + 1 + modes], tau=0.2))
        s += 1 + modes
    for _ in range(categorical):
        outs.append(F.gumbel_softmax(z[:, s:s + cats], tau=0.2))
        s += cats
    return torch.cat(outs, 1)


def packed(x, c):
    return torch.cat([x, c], 1).reshape(-1, pac * (out_dims + cond_dims))


def step():
    idx = torch.randint(0, pool, (b,))
    real, cond = real_pool[idx], cond_pool[idx]
    # D step
    with torch.no_grad():
        fake = activate(G(torch.cat([torch.randn(b, a.noise), cond], 1)))
    pr, pf = packed(real, cond), packed(fake, cond)
    eps = torch.rand(pr.shape[0], 1)
    x = (eps * pr + (1 - eps) * pf).requires_grad_(True)
    grad = torch.autograd.grad(D(x).sum(), x, create_graph=True)[0]
    penalty = 10 * ((grad.norm(2, dim=1) - 1) ** 2).mean()
    loss_d = D(pf).mean() - D(pr).mean() + penalty
    od.zero_grad()
    loss_d.backward()
    od.step()
    # G step
    z = G(torch.cat([torch.randn(b, a.noise), cond], 1))
    fake = activate(z)
    loss_g = -D(packed(fake, cond)).mean()
    if categorical:
        logits = z[:, cat_start:].reshape(b, categorical, cats)[torch.arange(b), cond_col[idx]]
        loss_g = loss_g + F.cross_entropy(logits, cond_cat[idx])
    og.zero_grad()
    loss_g.backward()
    og.step()


for _ in range(a.warmup):
    step()
times = []
for _ in range(a.steps):
    t0 = clock()
    step()
    times.append((clock() - t0) / 1000)
times.sort()
print("torch %s synth columns=%d threads=%d batch=%d out=%d cond=%d: median %.1f us/step, p90 %.1f us/step" % (
    torch.__version__, a.columns, a.threads, b, out_dims, cond_dims, statistics.median(times),
    times[int(0.9 * len(times))]))
