#!/usr/bin/env python3
"""Reference values for @selfsup/losses, computed with PyTorch from each paper's official formula.

Inputs: z1, z2 of ../shared/golden/ntxent.json (torch.manual_seed(0); randn(8, 16)) when present,
else generated the same way. Writes src/fixtures/reference-values.json: per loss, its options, the
float64 value and the float64 gradients w.r.t. the inputs that carry gradient.

  /usr/bin/python3 scripts/make-reference-values.py   (needs: apt-get install python3-torch)
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, '..', '..', '..', '..', 'shared', 'golden', 'ntxent.json')
OUT = os.path.join(HERE, '..', 'src', 'fixtures', 'reference-values.json')

torch.set_default_dtype(torch.float64)
if os.path.exists(SHARED):
    golden = json.load(open(SHARED))
    z1 = torch.tensor(golden['inputs']['z1'])
    z2 = torch.tensor(golden['inputs']['z2'])
    source = 'inputs of ../shared/golden/ntxent.json'
else:
    torch.manual_seed(0)
    z1 = torch.randn(8, 16, dtype=torch.float32).double()
    z2 = torch.randn(8, 16, dtype=torch.float32).double()
    source = 'torch.manual_seed(0); randn(8, 16) twice'

gen = torch.Generator().manual_seed(1)
prototypes = F.normalize(torch.randn(16, 10, generator=gen), dim=0)
negatives = torch.randn(5, 16, generator=gen)
center = torch.linspace(-0.2, 0.2, 16)
labels = torch.tensor([0, 1, 0, 1, 2, 2, 3, 3])


def ntxent(a, b, t):
    n = a.shape[0]
    z = F.normalize(torch.cat([a, b]), dim=1)
    sim = (z @ z.t() / t).masked_fill(torch.eye(2 * n, dtype=torch.bool), float('-inf'))
    return F.cross_entropy(sim, torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]))


def supcon(features, lab, t):  # official SupConLoss, contrast_mode='all'
    b, v = features.shape[0], features.shape[1]
    f = F.normalize(features, dim=2)
    contrast = torch.cat(torch.unbind(f, dim=1))
    mask = torch.eq(lab.view(-1, 1), lab.view(1, -1)).double().repeat(v, v)
    logits = contrast @ contrast.t() / t
    logits = logits - logits.max(dim=1, keepdim=True)[0].detach()
    logits_mask = 1 - torch.eye(b * v)
    mask = mask * logits_mask
    log_prob = logits - torch.log((torch.exp(logits) * logits_mask).sum(1, keepdim=True))
    mean_log_prob_pos = (mask * log_prob).sum(1) / mask.sum(1).clamp(min=1)
    valid = mask.sum(1) > 0
    return -mean_log_prob_pos[valid].mean()


def infonce(q, k, neg, t):
    q, k, neg = F.normalize(q, dim=1), F.normalize(k.detach(), dim=1), F.normalize(neg.detach(), dim=1)  # MoCo: keys and queue are constants
    logits = torch.cat([(q * k).sum(1, keepdim=True), q @ neg.t()], 1) / t
    return F.cross_entropy(logits, torch.zeros(q.shape[0], dtype=torch.long))


def barlow(a, b, lam):
    bn = lambda x: (x - x.mean(0)) / torch.sqrt(x.var(0, unbiased=False) + 1e-5)
    c = bn(a).t() @ bn(b) / a.shape[0]
    off = c.flatten()[:-1].view(c.shape[0] - 1, c.shape[0] + 1)[:, 1:].flatten()
    return (torch.diagonal(c) - 1).pow(2).sum() + lam * off.pow(2).sum()


def vicreg(x, y):
    n, d = x.shape
    repr_loss = F.mse_loss(x, y)
    x, y = x - x.mean(0), y - y.mean(0)
    std_x, std_y = torch.sqrt(x.var(0) + 1e-4), torch.sqrt(y.var(0) + 1e-4)
    std_loss = torch.mean(F.relu(1 - std_x)) / 2 + torch.mean(F.relu(1 - std_y)) / 2
    off = lambda m: m.flatten()[:-1].view(d - 1, d + 1)[:, 1:].flatten()
    cov_x, cov_y = x.t() @ x / (n - 1), y.t() @ y / (n - 1)
    cov_loss = off(cov_x).pow(2).sum() / d + off(cov_y).pow(2).sum() / d
    return 25 * repr_loss + 25 * std_loss + cov_loss, [repr_loss, std_loss, cov_loss]


@torch.no_grad()
def sinkhorn(out, eps=0.05, iters=3):  # SwAV's distributed_sinkhorn on one process
    q = torch.exp(out / eps).t()
    b, k = q.shape[1], q.shape[0]
    q /= q.sum()
    for _ in range(iters):
        q /= q.sum(dim=1, keepdim=True); q /= k
        q /= q.sum(dim=0, keepdim=True); q /= b
    return (q * b).t()


def swav(s1, s2, t):
    q1, q2 = sinkhorn(s1), sinkhorn(s2)
    return -0.5 * ((q1 * F.log_softmax(s2 / t, dim=1)).sum(1).mean() + (q2 * F.log_softmax(s1 / t, dim=1)).sum(1).mean())


def dino(student, teacher, c, ts, tt):
    t = F.softmax((teacher.detach() - c) / tt, dim=1)
    return (-(t * F.log_softmax(student / ts, dim=1)).sum(1)).mean()


cases = []


def record(name, options, fn, inputs):
    leaves = {k: v.clone().requires_grad_(True) for k, v in inputs.items()}
    value = fn(**leaves)
    components = None
    if isinstance(value, tuple):
        value, components = value
    value.backward()
    cases.append({
        'loss': name,
        'options': options,
        'value': value.item(),
        'components': None if components is None else [c.item() for c in components],
        'gradients': {k: (v.grad.tolist() if v.grad is not None else None) for k, v in leaves.items()},
    })


for t in (0.5, 0.1):
    record('ntXent', {'temperature': t}, lambda z1, z2, t=t: ntxent(z1, z2, t), {'z1': z1, 'z2': z2})
record('supCon', {'temperature': 0.07, 'labels': labels.tolist()}, lambda features: supcon(features, labels, 0.07), {'features': torch.stack([z1, z2], 1)})
record('supConSingleView', {'temperature': 0.1, 'labels': labels.tolist()}, lambda features: supcon(features.unsqueeze(1), labels, 0.1), {'features': z1})
record('infoNCE', {'temperature': 0.2}, lambda query, positiveKey, negatives: infonce(query, positiveKey, negatives, 0.2), {'query': z1, 'positiveKey': z2, 'negatives': negatives})
record('negativeCosineSimsiam', {'form': 'simsiam'}, lambda p, z: -F.cosine_similarity(p, z.detach(), dim=1).mean(), {'p': z1, 'z': z2})
record('negativeCosineByol', {'form': 'byol'}, lambda p, z: (2 - 2 * F.cosine_similarity(p, z.detach(), dim=1)).mean(), {'p': z1, 'z': z2})
record('barlowTwins', {'lambda': 5e-3}, lambda z1, z2: barlow(z1, z2, 5e-3), {'z1': z1, 'z2': z2})
record('vicreg', {'simCoeff': 25, 'stdCoeff': 25, 'covCoeff': 1}, vicreg, {'x': z1, 'y': z2})
record('swav', {'temperature': 0.1, 'sinkhornIterations': 3, 'epsilon': 0.05}, lambda s1, s2: swav(s1, s2, 0.1), {'s1': F.normalize(z1, dim=1) @ prototypes, 's2': F.normalize(z2, dim=1) @ prototypes})
record('dino', {'studentTemp': 0.1, 'teacherTemp': 0.04, 'center': center.tolist()}, lambda student, teacher: dino(student, teacher, center, 0.1, 0.04), {'student': z1, 'teacher': z2})
record('tripletMargin', {'margin': 1.0}, lambda a, p, n: F.triplet_margin_loss(a, p, n, margin=1.0), {'a': z1, 'p': z2, 'n': torch.flip(z1, [0]) * 0.5})

json.dump({
    'source': f'scripts/make-reference-values.py, PyTorch {torch.__version__}, float64, {source}',
    'inputs': {'z1': z1.tolist(), 'z2': z2.tolist(), 'prototypes': prototypes.tolist(), 'negatives': negatives.tolist()},
    'cases': cases,
}, open(OUT, 'w'), indent=1)
print(f'wrote {OUT}: {len(cases)} cases', file=sys.stderr)
