#!/usr/bin/env python3
"""PyTorch training-step time of the reference encoder, for bench/backend-bench.ts (and the trainer bench).

The same network and step as bench/reference-encoder.ts, written as a PyTorch user writes it:
4 x [conv3x3 (no bias) -> BatchNorm2d (batch statistics) -> ReLU], widths 32-64-128-128, strides
1-2-2-2, global average pool to 128 features, projection MLP 128-128-64, NT-Xent (T = 0.5) between
the two halves of the batch, Adam (lr 1e-3). The batch is fixed, uniform [0, 1) 28x28x1 images
(step time does not depend on pixel values); each timed step is forward + backward + Adam update.

  /usr/bin/python3 bench/reference/reference_step.py [--threads 2 --images 512 --steps 8 --warmup 2]

Prints one JSON line: {"script", "torch", "threads", "images", "step_s": [...], "median_step_s"}.
Needs torch for /usr/bin/python3 (apt-get install python3-torch).
"""
import argparse
import json
import os
import time

# Idle OpenMP threads sleep instead of spinning: on a shared 2-core box spinning threads steal the
# cores other processes (and the next timed step) need, and the figures swing.
os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.nn import functional as F  # noqa: E402

WIDTHS = (32, 64, 128, 128)
STRIDES = (1, 2, 2, 2)


def reference_encoder(in_channels=1):
    """[B, C, 28, 28] -> [B, 128]."""
    layers = []
    for width, stride in zip(WIDTHS, STRIDES):
        layers += [nn.Conv2d(in_channels, width, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(width),
                   nn.ReLU()]
        in_channels = width
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    return nn.Sequential(*layers)


def nt_xent(projections, temperature=0.5):
    """NT-Xent over [2N, D] projections whose first and second halves are the two views."""
    z = F.normalize(projections, dim=1)
    logits = (z @ z.T) / temperature
    count = logits.shape[0]
    logits = logits.masked_fill(torch.eye(count, dtype=torch.bool), float('-inf'))
    other_view = (torch.arange(count) + count // 2) % count
    return F.cross_entropy(logits, other_view)


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--images', type=int, default=512, help='images per step (two views of images / 2 sources)')
    parser.add_argument('--steps', type=int, default=8, help='timed steps')
    parser.add_argument('--warmup', type=int, default=2, help='untimed steps first')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    model = nn.Sequential(reference_encoder(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 64))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    images = torch.rand(args.images, 1, 28, 28)

    def step():
        loss = nt_xent(model(images))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        step()
        times.append(round(time.perf_counter() - start, 4))
    print(json.dumps({'script': 'reference_step.py', 'torch': torch.__version__, 'threads': torch.get_num_threads(),
                      'images': args.images, 'step_s': times, 'median_step_s': round(median(times), 4)}))


if __name__ == '__main__':
    main()
