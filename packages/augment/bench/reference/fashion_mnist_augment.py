#!/usr/bin/env python3
"""PyTorch time of the Fashion-MNIST SimCLR augmentation, for bench/augment-bench.ts (and the trainer bench).

The recipe of `fashionMnistSimclrPreset` (src/fashion-mnist-simclr-preset.ts), batched the way a
PyTorch user augments a whole batch at once, on [N, 1, 28, 28] float images in [0, 1]:
1. random resized crop: area ~ U(0.3, 1) of the image, aspect ~ log-U(3/4, 4/3), sides clamped to
   the image, centre uniform where the box fits; mirrored with p = 0.5; one bilinear resample of
   each sample's box by `affine_grid` + `grid_sample` (align_corners=False, border padding);
2. with p = 0.8: brightness x b then contrast x c around the image mean, b, c ~ U(0.6, 1.4), one
   clamp to [0, 1];
3. with p = 0.5: Gaussian blur, 3 x 3, sigma ~ U(0.1, 2), reflect padding (a separable blur with
   one kernel per blurred sample).

A call makes the two views of --batch source images (one call on 2 x batch images). Images are
fixed uniform [0, 1) samples (the time does not depend on pixel values).

  /usr/bin/python3 bench/reference/fashion_mnist_augment.py [--threads 2 --batch 256 --runs 20 --warmup 3]

Prints one JSON line: {"script", "torch", "threads", "images", "runs", "median_ms", "mean_ms"}.
Needs torch for /usr/bin/python3 (apt-get install python3-torch).
"""
import argparse
import json
import math
import os
import time

# Idle OpenMP threads sleep instead of spinning: on a shared 2-core box spinning threads steal the
# cores other processes (and the next timed call) need, and the figures swing.
os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import torch  # noqa: E402
from torch.nn import functional as F  # noqa: E402


def crop_and_flip(images, size, scale=(0.3, 1.0), ratio=(3 / 4, 4 / 3), flip_probability=0.5):
    """[N, C, H, W] -> [N, C, size, size]: one random box per sample, resampled bilinearly."""
    count = images.shape[0]
    area = torch.empty(count).uniform_(*scale)
    aspect = torch.exp(torch.empty(count).uniform_(math.log(ratio[0]), math.log(ratio[1])))
    # Box sides as fractions of the image side; the grid's [-1, 1] span maps to the box.
    width = torch.sqrt(area * aspect).clamp(max=1)
    height = torch.sqrt(area / aspect).clamp(max=1)
    centre_x = (1 - width) * torch.empty(count).uniform_(-1, 1)
    centre_y = (1 - height) * torch.empty(count).uniform_(-1, 1)
    mirror = 1 - 2 * (torch.rand(count) < flip_probability).float()
    zeros = torch.zeros(count)
    theta = torch.stack([
        torch.stack([width * mirror, zeros, centre_x], dim=1),
        torch.stack([zeros, height, centre_y], dim=1),
    ], dim=1)
    grid = F.affine_grid(theta, [count, images.shape[1], size, size], align_corners=False)
    return F.grid_sample(images, grid, mode='bilinear', padding_mode='border', align_corners=False)


def brightness_contrast(images, p=0.8, strength=0.4):
    """clamp(b*c*x + b*(1 - c)*mean(x)): brightness then contrast around the brightened mean."""
    count = images.shape[0]
    applied = torch.rand(count) < p
    b = torch.where(applied, torch.empty(count).uniform_(1 - strength, 1 + strength), torch.ones(count))
    c = torch.where(applied, torch.empty(count).uniform_(1 - strength, 1 + strength), torch.ones(count))
    mean = images.mean(dim=(1, 2, 3))
    gain = (b * c).view(-1, 1, 1, 1)
    offset = (b * (1 - c) * mean).view(-1, 1, 1, 1)
    return (images * gain + offset).clamp_(0, 1)


def gaussian_blur(images, p=0.5, sigma=(0.1, 2.0), kernel_size=3):
    """Blurs a random p of the samples, each with its own sigma; the others pass unchanged."""
    chosen = (torch.rand(images.shape[0]) < p).nonzero().flatten()
    if chosen.numel() == 0:
        return images
    sigmas = torch.empty(chosen.numel()).uniform_(*sigma)
    offsets = torch.arange(kernel_size, dtype=torch.float32) - (kernel_size - 1) / 2
    weights = torch.softmax(-offsets.view(1, -1) ** 2 / (2 * sigmas.view(-1, 1) ** 2), dim=1)  # normalized 1-D
    radius = kernel_size // 2
    # The blurred samples as channels of one image, so a grouped convolution gives each its kernel.
    picked = images[chosen].transpose(0, 1)  # [C, k, H, W]
    picked = F.pad(picked, (radius, radius, radius, radius), mode='reflect')
    groups = chosen.numel()
    picked = F.conv2d(picked, weights.view(groups, 1, 1, kernel_size), groups=groups)
    picked = F.conv2d(picked, weights.view(groups, 1, kernel_size, 1), groups=groups)
    out = images.clone()
    out[chosen] = picked.transpose(0, 1)
    return out


def fashion_mnist_simclr(images, size=28):
    return gaussian_blur(brightness_contrast(crop_and_flip(images, size)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--batch', type=int, default=256, help='source images; a call makes 2 views of each')
    parser.add_argument('--runs', type=int, default=20, help='timed calls')
    parser.add_argument('--warmup', type=int, default=3, help='untimed calls first')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    sources = torch.rand(args.batch, 1, 28, 28)
    both_views = torch.cat([sources, sources])
    for _ in range(args.warmup):
        fashion_mnist_simclr(both_views)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        fashion_mnist_simclr(both_views)
        times.append(1000 * (time.perf_counter() - start))
    ordered = sorted(times)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    print(json.dumps({'script': 'fashion_mnist_augment.py', 'torch': torch.__version__,
                      'threads': torch.get_num_threads(), 'images': both_views.shape[0], 'runs': args.runs,
                      'median_ms': round(median, 3), 'mean_ms': round(sum(times) / len(times), 3)}))


if __name__ == '__main__':
    main()
