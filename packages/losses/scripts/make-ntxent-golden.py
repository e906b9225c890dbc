#!/usr/bin/env python3
"""PyTorch golden values for ntXent: writes src/fixtures/ntxent-golden.json.

NT-Xent (SimCLR, Chen et al. 2020, arXiv:2002.05709, eq. 1) on two views z1, z2 of N samples: the
2N embeddings are L2-normalized, every pair's cosine similarity is divided by the temperature, an
embedding's similarity with itself is left out, and each embedding's loss is the cross-entropy of
picking its other view among the 2N - 1 others; the loss is the mean over the 2N embeddings.

Inputs: torch.manual_seed(0); z1 = randn(8, 16); z2 = randn(8, 16) (float32). For each temperature
the loss in float64 and float32, and the float64 gradients with respect to z1 and z2.
scripts/make-pytorch-references.py reads z1 and z2 from this file, so run this one first.

  /usr/bin/python3 scripts/make-ntxent-golden.py   (needs torch: apt-get install python3-torch)
  npx biome format --write src/fixtures/ntxent-golden.json   (the committed file is biome-formatted)
"""
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'src', 'fixtures', 'ntxent-golden.json')
TEMPERATURES = [0.5, 0.1]


def nt_xent(z1, z2, temperature):
    """Mean over the 2N anchors of -log softmax(similarities / T)[other view], self excluded."""
    n = z1.shape[0]
    z = torch.cat([z1, z2])
    z = z / z.norm(dim=1, keepdim=True).clamp_min(1e-12)
    logits = (z @ z.T) / temperature
    logits = logits.masked_fill(torch.eye(2 * n, dtype=torch.bool), float('-inf'))
    other_view = (torch.arange(2 * n) + n) % (2 * n)
    positive = logits[torch.arange(2 * n), other_view]
    return (torch.logsumexp(logits, dim=1) - positive).mean()


torch.manual_seed(0)
z1 = torch.randn(8, 16)
z2 = torch.randn(8, 16)

cases = []
for temperature in TEMPERATURES:
    a = z1.double().requires_grad_(True)
    b = z2.double().requires_grad_(True)
    loss64 = nt_xent(a, b, temperature)
    loss64.backward()
    loss32 = nt_xent(z1, z2, temperature)
    cases.append({
        'temperature': temperature,
        'loss_f64': loss64.item(),
        'loss_f32': loss32.item(),
        'grad_z1_f64': a.grad.tolist(),
        'grad_z2_f64': b.grad.tolist(),
    })

with open(OUT, 'w') as f:
    json.dump({
        'source': f'packages/losses/scripts/make-ntxent-golden.py (PyTorch {torch.__version__})',
        'formula': 'SimCLR: 2N samples, cosine similarity / t, self-similarity masked out, CE over the 2N-1 others, '
                   'mean over 2N.',
        'inputs': {
            'generator': 'torch.manual_seed(0); z1 = torch.randn(8, 16); z2 = torch.randn(8, 16)',
            'dtype': 'float32',
            'shape': list(z1.shape),
            'z1': z1.tolist(),
            'z2': z2.tolist(),
        },
        'cases': cases,
    }, f, indent=2)
    f.write('\n')
print(f'wrote {OUT}: {len(cases)} temperatures', file=sys.stderr)
