"""PyTorch NT-Xent forward+backward time (the peer's formulation), for bench/losses-bench.ts.
Prints one JSON line: {"N": ms, ...}. Usage: /usr/bin/python3 ntxent_torch.py --threads 2 --sizes 256,1024"""
import argparse, json, os, time
os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import torch
import torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument('--threads', type=int, default=2)
ap.add_argument('--sizes', default='256,1024')
ap.add_argument('--dim', type=int, default=128)
ap.add_argument('--repeats', type=int, default=10)
a = ap.parse_args()
torch.set_num_threads(a.threads)


def nt_xent(z1, z2, t=0.5):
    n = z1.shape[0]
    z = F.normalize(torch.cat([z1, z2], 0), dim=1)
    sim = (z @ z.t() / t).masked_fill(torch.eye(2 * n, dtype=torch.bool), float('-inf'))
    return F.cross_entropy(sim, torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]))


out = {}
for n in map(int, a.sizes.split(',')):
    z1 = torch.randn(n, a.dim, requires_grad=True)
    z2 = torch.randn(n, a.dim, requires_grad=True)
    times = []
    for i in range(a.repeats + 2):
        t0 = time.perf_counter()
        nt_xent(z1, z2).backward()
        if i >= 2:
            times.append(time.perf_counter() - t0)
    times.sort()
    out[str(n)] = round(1000 * times[len(times) // 2], 3)
print(json.dumps({'threads': a.threads, 'dim': a.dim, 'ntxent_fwd_bwd_ms': out, 'torch': torch.__version__}))
