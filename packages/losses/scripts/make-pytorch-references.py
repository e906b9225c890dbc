#!/usr/bin/env python3
"""PyTorch reference values for @selfsup/losses (all losses but NT-Xent, whose references
scripts/make-ntxent-golden.py writes to src/fixtures/ntxent-golden.json).

Each loss is written as its paper's official code computes it; values and gradients in float64.
Inputs: z1, z2 of the NT-Xent golden file (torch.manual_seed(0); randn(8, 16) twice) plus seeded
prototypes, negatives and a center. Writes src/fixtures/pytorch-references.json.

  /usr/bin/python3 scripts/make-pytorch-references.py   (needs torch: apt-get install python3-torch)
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, '..', 'src', 'fixtures', 'ntxent-golden.json')
OUT = os.path.join(HERE, '..', 'src', 'fixtures', 'pytorch-references.json')

torch.set_default_dtype(torch.float64)
golden = json.load(open(GOLDEN))
z1 = torch.tensor(golden['inputs']['z1'])
z2 = torch.tensor(golden['inputs']['z2'])
gen = torch.Generator().manual_seed(1)
prototypes = F.normalize(torch.randn(16, 10, generator=gen), dim=0)  # [D, K], unit columns
negatives = torch.randn(5, 16, generator=gen)
center = torch.linspace(-0.2, 0.2, 16)
labels = torch.tensor([0, 1, 0, 1, 2, 2, 3, 3])


def supcon(features, lab, t):  # official SupConLoss (contrast_mode='all', base_temperature = t), anchors with positives
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


def infonce(q, k, neg, t):  # MoCo: keys and queue are constants
    q, k, neg = F.normalize(q, dim=1), F.normalize(k.detach(), dim=1), F.normalize(neg.detach(), dim=1)
    logits = torch.cat([(q * k).sum(1, keepdim=True), q @ neg.t()], 1) / t
    return F.cross_entropy(logits, torch.zeros(q.shape[0], dtype=torch.long))


def mocov3(q, k, t):  # MoCo v3 contrastive_loss without the 2t factor
    q, k = F.normalize(q, dim=1), F.normalize(k.detach(), dim=1)
    return F.cross_entropy(q @ k.t() / t, torch.arange(q.shape[0]))


def barlow(a, b, lam):  # official: BatchNorm1d(affine=False) in training mode = biased variance, eps 1e-5
    bn = lambda x: (x - x.mean(0)) / torch.sqrt(x.var(0, unbiased=False) + 1e-5)
    c = bn(a).t() @ bn(b) / a.shape[0]
    off = c.flatten()[:-1].view(c.shape[0] - 1, c.shape[0] + 1)[:, 1:].flatten()
    return (torch.diagonal(c) - 1).pow(2).sum() + lam * off.pow(2).sum()


def vicreg(x, y):  # official VICReg forward, 25/25/1
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


def swav(views, t, assign=2):  # main_swav.py loss over crops, crops_for_assign = first `assign`
    loss = 0
    for a in range(assign):
        q = sinkhorn(views[a].detach())
        sub = 0
        for v in range(len(views)):
            if v != a:
                sub -= torch.mean(torch.sum(q * F.log_softmax(views[v] / t, dim=1), dim=1))
        loss += sub / (len(views) - 1)
    return loss / assign


def dino(students, teachers, c, ts, tt):  # official DINOLoss.forward (teacher = global crops, skip same view)
    total, n = 0, 0
    for iq, t in enumerate(teachers):
        q = F.softmax((t - c) / tt, dim=-1).detach()
        for v, s in enumerate(students):
            if v == iq:
                continue
            total += torch.sum(-q * F.log_softmax(s / ts, dim=-1), dim=-1).mean()
            n += 1
    return total / n


def dino_pair(student, teacher, c, ts, tt):
    q = F.softmax((teacher - c) / tt, dim=-1).detach()
    return torch.sum(-q * F.log_softmax(student / ts, dim=-1), dim=-1).mean()


cases = []


def rounded(x):
    """Gradients to 10 significant digits (the tests compare to 1e-4): a smaller fixture."""
    return [rounded(v) for v in x] if isinstance(x, list) else float(f'{x:.10g}')


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
        'gradients': {k: (rounded(v.grad.tolist()) if v.grad is not None else None) for k, v in leaves.items()},
    })


s1, s2 = F.normalize(z1, dim=1) @ prototypes, F.normalize(z2, dim=1) @ prototypes
record('supCon', {'temperature': 0.07, 'labels': labels.tolist()}, lambda features: supcon(features, labels, 0.07), {'features': torch.stack([z1, z2], 1)})
record('supConSingleView', {'temperature': 0.1, 'labels': labels.tolist()}, lambda features: supcon(features.unsqueeze(1), labels, 0.1), {'features': z1})
record('infoNce', {'temperature': 0.2}, lambda query, positiveKey, negatives: infonce(query, positiveKey, negatives, 0.2), {'query': z1, 'positiveKey': z2, 'negatives': negatives})
record('infoNceInBatch', {'temperature': 0.2}, lambda query, positiveKey: mocov3(query, positiveKey, 0.2), {'query': z1, 'positiveKey': z2})
record('negativeCosineSimsiam', {'form': 'simsiam'}, lambda p, z: -F.cosine_similarity(p, z.detach(), dim=1).mean(), {'p': z1, 'z': z2})
record('negativeCosineByol', {'form': 'byol'}, lambda p, z: (2 - 2 * F.cosine_similarity(p, z.detach(), dim=1)).mean(), {'p': z1, 'z': z2})
record('barlowTwins', {'lambda': 5e-3}, lambda z1, z2: barlow(z1, z2, 5e-3), {'z1': z1, 'z2': z2})
record('vicreg', {'simCoeff': 25, 'stdCoeff': 25, 'covCoeff': 1}, lambda z1, z2: vicreg(z1, z2), {'z1': z1, 'z2': z2})
record('swav', {'temperature': 0.1, 'sinkhornIterations': 3, 'epsilon': 0.05}, lambda scores1, scores2: swav([scores1, scores2], 0.1), {'scores1': s1, 'scores2': s2})
record('swavMultiCrop', {'temperature': 0.1, 'assignmentViews': 2}, lambda v0, v1, v2: swav([v0, v1, v2], 0.1), {'v0': s1, 'v1': s2, 'v2': torch.flip(s1, [0])})
record('dino', {'studentTemp': 0.1, 'teacherTemp': 0.04, 'center': center.tolist()}, lambda studentOut, teacherOut: dino_pair(studentOut, teacherOut, center, 0.1, 0.04), {'studentOut': z1, 'teacherOut': z2})
record('dinoMultiCrop', {'studentTemp': 0.1, 'teacherTemp': 0.04, 'center': center.tolist()}, lambda s0, s1, s2, t0, t1: dino([s0, s1, s2], [t0, t1], center, 0.1, 0.04), {'s0': z1, 's1': z2, 's2': torch.flip(z1, [0]), 't0': z2, 't1': z1})
record('tripletMargin', {'margin': 1.0}, lambda anchor, positive, negative: F.triplet_margin_loss(anchor, positive, negative, margin=1.0), {'anchor': z1, 'positive': z2, 'negative': torch.flip(z1, [0]) * 0.5})

json.dump({
    'source': f'scripts/make-pytorch-references.py, PyTorch {torch.__version__}, float64; z1, z2 from ntxent-golden.json',
    'inputs': {'z1': z1.tolist(), 'z2': z2.tolist(), 'prototypes': prototypes.tolist(), 'negatives': negatives.tolist()},
    'cases': cases,
}, open(OUT, 'w'), indent=1)
print(f'wrote {OUT}: {len(cases)} cases', file=sys.stderr)
