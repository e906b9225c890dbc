"""PyTorch NT-Xent forward + backward time, for bench/losses-bench.ts. NT-Xent written as a PyTorch
user writes it (normalize, [2N, 2N] similarity matrix, diagonal masked out, F.cross_entropy against
the other view's index); the same loss as scripts/make-ntxent-golden.py. Prints one JSON line.
Needs torch (apt-get install python3-torch).

  /usr/bin/python3 bench/ntxent_torch.py --threads 2 --sizes 256,1024 --dim 128 --repeats 10
"""
import argparse
import json
import os
import time

# Idle OpenMP threads sleep instead of spinning: on a shared 2-core box spinning threads steal the
# cores other processes (and the next timed call) need, and the figures swing.
os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument('--threads', type=int, default=2)
ap.add_argument('--sizes', default='256,1024')
ap.add_argument('--dim', type=int, default=128)
ap.add_argument('--repeats', type=int, default=10)
ap.add_argument('--warmups', type=int, default=2)
ap.add_argument('--temperature', type=float, default=0.5)
a = ap.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)


def nt_xent(z1, z2, temperature):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    logits = (z @ z.T) / temperature
    count = logits.shape[0]
    logits = logits.masked_fill(torch.eye(count, dtype=torch.bool), float('-inf'))
    other_view = (torch.arange(count) + count // 2) % count
    return F.cross_entropy(logits, other_view)


out = {}
for n in map(int, a.sizes.split(',')):
    z1 = torch.randn(n, a.dim, requires_grad=True)
    z2 = torch.randn(n, a.dim, requires_grad=True)
    times = []
    for i in range(a.warmups + a.repeats):
        z1.grad = z2.grad = None
        start = time.perf_counter()
        nt_xent(z1, z2, a.temperature).backward()
        if i >= a.warmups:
            times.append(time.perf_counter() - start)
    times.sort()
    mid = len(times) // 2
    median = times[mid] if len(times) % 2 else (times[mid - 1] + times[mid]) / 2
    out[str(n)] = round(1000 * median, 3)
print(json.dumps({'threads': torch.get_num_threads(), 'dim': a.dim, 'ntxent_fwd_bwd_ms': out, 'torch': torch.__version__}))
