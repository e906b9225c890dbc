#!/usr/bin/env python3
"""PyTorch MLM training throughput of the text bench's transformer, for bench/text-bench.ts.

The same model as @selfsup/models' createTextTransformer (its defaults: width 128, 2 pre-LN blocks,
4 heads, MLP 4×; Xiong et al. 2020, arXiv:2002.04745): token plus learned position embeddings;
blocks x + MHA(LN(x)) (one qkv projection, padded keys hidden), x + MLP(LN(x)) with tanh-GELU,
layer norms with epsilon 1e-6; a final layer norm (1e-12); BERT's MLM head dense → GELU → LN(1e-12)
→ ·Eᵀ + b with E the tied token embeddings. Each step: BERT masking of a batch (15 %, 80/10/10,
vectorized as in mlm_masking.py), the encoder, the head on the selected positions only, the mean
cross-entropy there, backward, Adam (lr 1e-3) — what the bench's pretrain step does.

The batches: --batch rows of --length ids: [CLS], random ids in [105, vocab), [SEP] (the bench
trains on packed Brown text of the same shape; the cost does not depend on which ids they are).

  /usr/bin/python3 bench/reference/mlm_training.py [--threads 1 --vocab 8192 --steps 20]

Prints one JSON line: {"script", "torch", "threads", "parameters", "batch", "length", "steps",
"ms_per_step", "tokens_per_s", "first_loss", "last_loss"}.
Needs torch for /usr/bin/python3 (apt-get install python3-torch).
"""
import argparse
import json
import math
import os
import time

os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import torch  # noqa: E402
from torch import nn  # noqa: E402

PAD, UNK, CLS, SEP, MASK = 0, 1, 2, 3, 4
FIRST_WORD_ID = 105  # after the five special tokens and 100 sentinels


def gelu(x):
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x * x * x)))


class Block(nn.Module):
    def __init__(self, dim, heads, mlp_ratio):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(dim, eps=1e-6)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.ln2 = nn.LayerNorm(dim, eps=1e-6)
        self.fc1 = nn.Linear(dim, mlp_ratio * dim)
        self.fc2 = nn.Linear(mlp_ratio * dim, dim)

    def forward(self, x, blocked):
        batch, tokens, dim = x.shape
        head_size = dim // self.heads
        q, k, v = self.qkv(self.ln1(x)).view(batch, tokens, 3, self.heads, head_size).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(head_size) + blocked
        merged = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, tokens, dim)
        x = x + self.out(merged)
        return x + self.fc2(gelu(self.fc1(self.ln2(x))))


class TextTransformer(nn.Module):
    def __init__(self, vocab, max_length, dim=128, depth=2, heads=4, mlp_ratio=4):
        super().__init__()
        self.tokens = nn.Parameter(torch.randn(vocab, dim) * 0.02)
        self.positions = nn.Parameter(torch.randn(max_length, dim) * 0.02)
        self.blocks = nn.ModuleList(Block(dim, heads, mlp_ratio) for _ in range(depth))
        self.final_ln = nn.LayerNorm(dim, eps=1e-12)
        self.transform = nn.Linear(dim, dim)
        self.transform_ln = nn.LayerNorm(dim, eps=1e-12)
        self.output_bias = nn.Parameter(torch.zeros(vocab))

    def forward(self, ids, positions):
        blocked = ((ids == PAD).float() * -1e9).view(ids.shape[0], 1, 1, ids.shape[1])
        h = self.tokens[ids] + self.positions[: ids.shape[1]]
        for block in self.blocks:
            h = block(h, blocked)
        selected = self.final_ln(h).reshape(-1, h.shape[-1])[positions]
        return self.transform_ln(gelu(self.transform(selected))) @ self.tokens.t() + self.output_bias


def mask_tokens(ids, vocab, probability=0.15):
    selectable = ids >= FIRST_WORD_ID
    selected = torch.bernoulli(torch.full(ids.shape, probability)).bool() & selectable
    corrupted = ids.clone()
    masked = torch.bernoulli(torch.full(ids.shape, 0.8)).bool() & selected
    corrupted[masked] = MASK
    randomized = torch.bernoulli(torch.full(ids.shape, 0.5)).bool() & selected & ~masked
    corrupted[randomized] = torch.randint(FIRST_WORD_ID, vocab, ids.shape)[randomized]
    positions = selected.view(-1).nonzero().view(-1)
    return corrupted, positions, ids.view(-1)[positions]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--batch', type=int, default=32)
    parser.add_argument('--length', type=int, default=64)
    parser.add_argument('--vocab', type=int, default=8192)
    parser.add_argument('--steps', type=int, default=20, help='timed steps')
    parser.add_argument('--warmup', type=int, default=3, help='untimed steps first')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = TextTransformer(args.vocab, args.length)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    batches = []
    for _ in range(8):
        ids = torch.randint(FIRST_WORD_ID, args.vocab, (args.batch, args.length))
        ids[:, 0] = CLS
        ids[:, -1] = SEP
        batches.append(ids)

    def step(index):
        corrupted, positions, labels = mask_tokens(batches[index % len(batches)], args.vocab)
        loss = nn.functional.cross_entropy(model(corrupted, positions), labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss.item()

    first_loss = step(0)
    for i in range(1, args.warmup):
        step(i)
    start = time.perf_counter()
    for i in range(args.steps):
        last_loss = step(i)
    seconds = time.perf_counter() - start
    print(json.dumps({
        'script': 'mlm_training.py', 'torch': torch.__version__, 'threads': torch.get_num_threads(),
        'parameters': sum(p.numel() for p in model.parameters()), 'batch': args.batch, 'length': args.length,
        'steps': args.steps, 'ms_per_step': round(1000 * seconds / args.steps, 2),
        'tokens_per_s': round(args.steps * args.batch * args.length / seconds, 1),
        'first_loss': round(first_loss, 4), 'last_loss': round(last_loss, 4),
    }))


if __name__ == '__main__':
    main()
