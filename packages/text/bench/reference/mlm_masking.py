#!/usr/bin/env python3
"""PyTorch BERT masking throughput, for bench/text-bench.ts.

BERT's masked-LM corruption (Devlin et al. 2019, arXiv:1810.04805, section 3.1) as PyTorch users
run it, vectorized on a whole batch the way Hugging Face's DataCollatorForLanguageModeling does:
special tokens found with torch.isin, each other token selected with p = 0.15 (Bernoulli); of the
selected, 80 % become [MASK], 10 % a random id of the vocabulary, 10 % stay; labels are the
original ids where selected and -100 elsewhere.

The batch is the one bench/text-bench.ts masks: --batch rows of --length ids, each row [CLS],
random ids in [999, vocab), [SEP], then [PAD] to the end, row lengths uniform in [32, 128]
(bert-base-uncased ids: [PAD] 0, [UNK] 100, [CLS] 101, [SEP] 102, [MASK] 103). Each timed call
masks a fresh copy of it.

  /usr/bin/python3 bench/reference/mlm_masking.py [--threads 2 --batch 512 --length 128 --iterations 200]

Prints one JSON line: {"script", "torch", "threads", "batch", "length", "iterations", "ms_per_batch",
"sequences_per_s", "tokens_per_s", "selected_fraction", "mask_fraction"} (the last two: of the
selectable tokens, of the selected ones; 0.15 and 0.8 when the corruption is right).
Needs torch for /usr/bin/python3 (apt-get install python3-torch).
"""
import argparse
import json
import os
import time

# Idle OpenMP threads sleep instead of spinning: on a shared 2-core box spinning threads steal the
# cores other processes need, and the figures swing.
os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import torch  # noqa: E402

PAD, UNK, CLS, SEP, MASK = 0, 100, 101, 102, 103
SPECIAL_IDS = torch.tensor([PAD, UNK, CLS, SEP, MASK])
FIRST_WORD_ID = 999


def synthetic_batch(rows, length, vocab, generator):
    ids = torch.randint(FIRST_WORD_ID, vocab, (rows, length), generator=generator)
    used = torch.randint(min(32, length), length + 1, (rows, 1), generator=generator)
    column = torch.arange(length).view(1, -1)
    ids[:, 0] = CLS
    ids = torch.where(column == used - 1, torch.full_like(ids, SEP), ids)
    return torch.where(column >= used, torch.full_like(ids, PAD), ids)


def mask_tokens(ids, vocab, probability=0.15):
    """Returns (corrupted ids, labels) for [rows, length] int64 ids."""
    ids = ids.clone()
    labels = ids.clone()
    selectable = ~torch.isin(ids, SPECIAL_IDS)
    selected = torch.bernoulli(torch.full(ids.shape, probability)).bool() & selectable
    labels[~selected] = -100
    masked = torch.bernoulli(torch.full(ids.shape, 0.8)).bool() & selected
    ids[masked] = MASK
    # Half of the remaining fifth: 10 % of the selected get a random id, the last 10 % stay.
    randomized = torch.bernoulli(torch.full(ids.shape, 0.5)).bool() & selected & ~masked
    ids[randomized] = torch.randint(vocab, ids.shape)[randomized]
    return ids, labels


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--batch', type=int, default=512)
    parser.add_argument('--length', type=int, default=128)
    parser.add_argument('--vocab', type=int, default=30522)
    parser.add_argument('--iterations', type=int, default=200, help='timed calls')
    parser.add_argument('--warmup', type=int, default=5, help='untimed calls first')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    batch = synthetic_batch(args.batch, args.length, args.vocab, torch.Generator().manual_seed(0))

    # A check that the corruption is BERT's, from the warm-up calls.
    selectable = (~torch.isin(batch, SPECIAL_IDS)).sum().item()
    selected = masked = 0
    for _ in range(max(args.warmup, 1)):
        ids, labels = mask_tokens(batch, args.vocab)
        chosen = labels != -100
        selected += chosen.sum().item()
        masked += (chosen & (ids == MASK)).sum().item()
    calls = max(args.warmup, 1)

    start = time.perf_counter()
    for _ in range(args.iterations):
        mask_tokens(batch, args.vocab)
    seconds = time.perf_counter() - start
    print(json.dumps({
        'script': 'mlm_masking.py', 'torch': torch.__version__, 'threads': torch.get_num_threads(),
        'batch': args.batch, 'length': args.length, 'iterations': args.iterations,
        'ms_per_batch': round(1000 * seconds / args.iterations, 3),
        'sequences_per_s': round(args.iterations * args.batch / seconds, 1),
        'tokens_per_s': round(args.iterations * args.batch * args.length / seconds, 1),
        'selected_fraction': round(selected / (calls * selectable), 4),
        'mask_fraction': round(masked / selected, 4),
    }))


if __name__ == '__main__':
    main()
