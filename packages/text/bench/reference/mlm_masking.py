#!/usr/bin/env python3
"""PyTorch masking throughput of every masking in @selfsup/text, for bench/text-bench.ts.

Each variant is the algorithm of the reference that PyTorch users run (Hugging Face's collators;
transformers is not in Debian, so they are re-implemented here in plain torch, with the per-token
work vectorized wherever the algorithm allows):

- bert: BERT's masked-LM corruption (Devlin et al. 2019, arXiv:1810.04805, section 3.1), vectorized
  on the whole batch as DataCollatorForLanguageModeling.torch_mask_tokens: special tokens found with
  a lookup table (faster than torch.isin), each other token selected with p = 0.15 (Bernoulli); of the selected, 80 % become
  [MASK], 10 % a random id, 10 % stay; labels are the original ids where selected, -100 elsewhere.
- whole-word: DataCollatorForWholeWordMask: the words of a row (a token and the "##" pieces after
  it) in random order (random.shuffle), taken while they fit round(0.15 × non-special tokens)
  (at least 1; a word that would overshoot is skipped), then torch_mask_tokens' 80/10/10 on the
  batch. Word starts and lengths are found with batch tensor ops; the greedy choice is HF's Python
  loop per row.
- span: SpanBERT's span masking (Joshi et al. 2020, arXiv:1907.10529; its PairWithSpanMaskingScheme
  loops per row): span lengths in words from a geometric distribution (p = 0.2) truncated at 10,
  anchored at a random word not masked yet, extended over whole words until the budget
  round(0.15 × non-special tokens) is reached, never exceeded; each span replaced as a unit
  (80 % all [MASK], 10 % all random ids, 10 % kept; the kinds and random ids drawn for the batch
  with tensor ops).
- t5: T5's span corruption as DataCollatorForT5MLM (run_t5_mlm_flax.py: random_spans_noise_mask per
  row, create_sentinel_ids and filter_input_ids), in torch: per row, the non-special tokens split
  into round(0.15 L) noise tokens in round(noise / 3) spans (random segmentations), each span
  replaced by a sentinel in the inputs, the targets the sentinels followed by their spans; both end
  with [SEP]; inputs padded with [PAD], targets with -100, decoder inputs the targets shifted right.

The batch is the one bench/text-bench.ts masks, read from --ids (raw little-endian int32, --batch ×
--length), or else made here: [CLS], random ids in [999, vocab), [SEP], then [PAD] to the end, row
lengths uniform in [32, 128] (bert-base-uncased ids: [PAD] 0, [UNK] 100, [CLS] 101, [SEP] 102,
[MASK] 103; ids 1..100 are T5's sentinels, ids from --continuation-from on are "##" pieces).

  /usr/bin/python3 bench/reference/mlm_masking.py [--variant bert --threads 2 --batch 512 --length 128
      --iterations 200 --ids batch.bin]

Prints one JSON line: {"script", "variant", "torch", "threads", "batch", "length", "iterations",
"ms_per_batch", "sequences_per_s", "tokens_per_s", "selected_fraction", "mask_fraction"}: of the
non-special tokens, the share selected (t5: hidden in spans), about 0.15; of the selected, the share
that became [MASK], about 0.8 (t5: the mean span length, about 3).
Needs torch for /usr/bin/python3 (apt-get install python3-torch).
"""
import argparse
import json
import os
import random
import time

# Idle OpenMP threads sleep instead of spinning: on a shared 2-core box spinning threads steal the
# cores other processes need, and the figures swing.
os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
import torch  # noqa: E402

PAD, UNK, CLS, SEP, MASK = 0, 100, 101, 102, 103
SENTINELS = list(range(1, 101))
SENTINEL_TENSOR = torch.tensor(SENTINELS)
SPECIAL_IDS = torch.tensor(sorted({PAD, UNK, CLS, SEP, MASK, *SENTINELS}))
SPECIAL_TABLE = None  # a bool table over the vocabulary, made in main()
FIRST_WORD_ID = 999
IGNORE = -100


def synthetic_batch(rows, length, vocab, generator):
    ids = torch.randint(FIRST_WORD_ID, vocab, (rows, length), generator=generator)
    used = torch.randint(min(32, length), length + 1, (rows, 1), generator=generator)
    column = torch.arange(length).view(1, -1)
    ids[:, 0] = CLS
    ids = torch.where(column == used - 1, torch.full_like(ids, SEP), ids)
    return torch.where(column >= used, torch.full_like(ids, PAD), ids)


def replace_selected(ids, selected, vocab, mask_probability=0.8, random_half=0.5):
    """torch_mask_tokens after the selection: (corrupted ids, labels) for a bool [rows, length] selection."""
    labels = ids.clone()
    labels[~selected] = IGNORE
    ids = ids.clone()
    masked = torch.bernoulli(torch.full(ids.shape, mask_probability)).bool() & selected
    ids[masked] = MASK
    # Half of the remaining fifth: 10 % of the selected get a random id, the last 10 % stay.
    randomized = torch.bernoulli(torch.full(ids.shape, random_half)).bool() & selected & ~masked
    ids[randomized] = torch.randint(vocab, ids.shape)[randomized]
    return ids, labels


def mask_bert(ids, context, probability=0.15):
    selectable = ~SPECIAL_TABLE[ids]
    selected = torch.bernoulli(torch.full(ids.shape, probability)).bool() & selectable
    return replace_selected(ids, selected, context['vocab'])


def row_words(ids, continuation):
    """Per row: the words' first columns and lengths in tokens (lists), and each row's non-special tokens."""
    special = SPECIAL_TABLE[ids]
    before_special = torch.ones_like(special)
    before_special[:, 1:] = special[:, :-1]
    starts = ~special & (~continuation[ids] | before_special)
    word_of_token = torch.cumsum(starts, dim=1)
    words_per_row = starts.sum(dim=1)
    first_word = torch.cumsum(words_per_row, dim=0) - words_per_row
    global_word = (first_word.view(-1, 1) + word_of_token - 1)[~special]
    lengths = torch.bincount(global_word, minlength=int(words_per_row.sum())).tolist()
    columns = starts.nonzero()[:, 1].tolist()
    tokens = (~special).sum(dim=1).tolist()
    per_row = []
    first = 0
    for count in words_per_row.tolist():
        per_row.append((columns[first:first + count], lengths[first:first + count]))
        first += count
    return per_row, tokens


def mask_whole_word(ids, context, probability=0.15):
    rows, length = ids.shape
    words, tokens = row_words(ids, context['continuation'])
    positions = []
    for row, (starts, lengths) in enumerate(words):
        if not starts:
            continue
        budget = max(1, round(tokens[row] * probability))
        order = list(range(len(starts)))
        random.shuffle(order)
        covered = 0
        for word in order:
            if covered >= budget:
                break
            size = lengths[word]
            if covered + size > budget:
                continue
            covered += size
            first = row * length + starts[word]
            positions.extend(range(first, first + size))
    selected = torch.zeros(rows * length, dtype=torch.bool)
    selected[torch.tensor(positions, dtype=torch.long)] = True
    return replace_selected(ids, selected.view(rows, length), context['vocab'])


def mask_spans(ids, context, probability=0.15, geometric_p=0.2, max_span=10):
    rows, length = ids.shape
    weights = [geometric_p * (1 - geometric_p) ** (span - 1) for span in range(1, max_span + 1)]
    span_lengths = list(range(1, max_span + 1))
    words, tokens = row_words(ids, context['continuation'])
    positions = []
    span_of_position = []
    spans = 0
    for row, (starts, lengths) in enumerate(words):
        count = len(starts)
        if count == 0:
            continue
        budget = round(tokens[row] * probability)
        word_masked = [False] * count
        masked = 0
        attempt = 0
        while masked < budget and attempt < 8 * count + 16:
            attempt += 1
            span_words = random.choices(span_lengths, weights)[0]
            anchor = random.randrange(count)
            if word_masked[anchor]:
                continue
            end = anchor
            taken = 0
            while end < count and end - anchor < span_words and not word_masked[end]:
                if masked + taken + lengths[end] > budget:
                    break
                taken += lengths[end]
                word_masked[end] = True
                end += 1
            if taken == 0:
                continue
            masked += taken
            first = row * length + starts[anchor]
            positions.extend(range(first, first + taken))
            span_of_position.extend([spans] * taken)
            spans += 1
    flat_ids = ids.reshape(-1)
    labels = torch.full_like(flat_ids, IGNORE)
    corrupted = flat_ids.clone()
    if positions:
        where = torch.tensor(positions, dtype=torch.long)
        kind = torch.rand(spans)[torch.tensor(span_of_position, dtype=torch.long)]
        labels[where] = flat_ids[where]
        values = torch.where(kind < 0.8, torch.full_like(where, MASK),
                             torch.where(kind < 0.9, torch.randint(context['vocab'], where.shape), flat_ids[where]))
        corrupted[where] = values
    return corrupted.view(rows, length), labels.view(rows, length)


def random_segmentation(items, segments, width):
    """T5's _random_segmentation for every row at once: a uniformly random composition of items[r] into
    segments[r] positive parts (segments - 1 distinct cuts among the items - 1 gaps), as part lengths
    [rows, width], zero past segments[r]."""
    rows = items.numel()
    gap = torch.arange(width - 1).view(1, -1)
    keys = torch.rand(rows, width - 1).masked_fill(gap >= (items - 1).view(-1, 1), 2.0)
    rank = keys.argsort(dim=1).argsort(dim=1)
    cut = rank < (segments - 1).view(-1, 1)
    # The cut after gap g ends a part at item g + 1; the last part ends at items.
    ends = torch.where(cut, gap + 1, torch.full_like(gap, width + 1))
    ends = torch.cat([ends, torch.full((rows, 1), width + 1)], dim=1).sort(dim=1).values
    part = torch.arange(width).view(1, -1)
    ends = torch.where(part == (segments - 1).view(-1, 1), items.view(-1, 1), ends)
    ends = torch.where(part >= segments.view(-1, 1), items.view(-1, 1), ends)
    return torch.diff(ends, dim=1, prepend=torch.zeros(rows, 1, dtype=ends.dtype))


def with_sentinels(content, mask, valid, fill):
    """create_sentinel_ids + filter_input_ids on every row: each masked span becomes the next sentinel and
    the rest of it is dropped; rows packed left, [SEP] after them, `fill` after that."""
    rows, length = content.shape
    previous = torch.cat([torch.zeros(rows, 1, dtype=torch.bool), mask[:, :-1]], dim=1)
    starts = mask & ~previous & valid
    span = (torch.cumsum(starts.long(), dim=1) - 1).clamp(min=0)
    full = torch.where(starts, SENTINEL_TENSOR[span.clamp(max=len(SENTINELS) - 1)], content)
    kept = valid & (~mask | starts)
    count = kept.sum(dim=1)
    out = torch.full((rows, length + 2), fill, dtype=content.dtype)
    out.scatter_(1, torch.where(kept, torch.cumsum(kept.long(), dim=1) - 1, length + 1), full)
    out.scatter_(1, count.view(-1, 1), SEP)
    return out[:, :int(count.max()) + 1]


def corrupt_spans(ids, context, noise_density=0.15, mean_span=3.0):
    rows, length = ids.shape
    special = SPECIAL_TABLE[ids]
    # The non-special tokens packed left (a stable sort puts them first, in order).
    order = special.to(torch.int8).sort(dim=1, stable=True).indices
    content = ids.gather(1, order)
    total = (~special).sum(dim=1)
    valid = torch.arange(length).view(1, -1) < total.view(-1, 1)
    noise = torch.minimum(torch.round(total * noise_density).long().clamp(min=1), total - 1).clamp(min=0)
    spans = torch.minimum(torch.minimum(torch.round(noise / mean_span).long().clamp(min=1), noise), total - noise)
    # random_spans_noise_mask: kept and noise parts interleaved, kept first; rows under 2 tokens keep all.
    kept_parts = random_segmentation((total - noise).clamp(min=1), spans.clamp(min=1), length)
    noise_parts = random_segmentation(noise.clamp(min=1), spans.clamp(min=1), length)
    interleaved = torch.stack([kept_parts, noise_parts], dim=2).view(rows, 2 * length)
    span_start = torch.zeros(rows, length + 1, dtype=torch.long)
    span_start.scatter_add_(1, torch.cumsum(interleaved, dim=1)[:, :-1].clamp(max=length),
                            torch.ones(rows, 2 * length - 1, dtype=torch.long))
    is_noise = (torch.cumsum(span_start[:, :length], dim=1) % 2 == 1) & valid & (spans > 0).view(-1, 1)
    input_batch = with_sentinels(content, is_noise, valid, PAD)
    labels = with_sentinels(content, ~is_noise & valid, valid & (spans > 0).view(-1, 1), IGNORE)
    decoder_inputs = torch.full_like(labels, PAD)
    decoder_inputs[:, 1:] = labels[:, :-1]
    decoder_inputs[decoder_inputs == IGNORE] = PAD
    return input_batch, labels


VARIANTS = {'bert': mask_bert, 'whole-word': mask_whole_word, 'span': mask_spans, 't5': corrupt_spans}


def check(variant, batch, outputs):
    """Of the non-special tokens, the share selected (t5: hidden in noise spans); of the selected, the share
    that became [MASK] (t5: noise tokens per sentinel, the mean span length), over some calls."""
    non_special = (~SPECIAL_TABLE[batch]).sum().item() * len(outputs)
    selected = masked = 0
    for ids, labels in outputs:
        if variant == 't5':
            sentinels = torch.isin(labels, SENTINEL_TENSOR)
            selected += ((labels != IGNORE) & ~sentinels & (labels != SEP)).sum().item()
            masked += sentinels.sum().item()
        else:
            chosen = labels != IGNORE
            selected += chosen.sum().item()
            masked += (chosen & (ids == MASK)).sum().item()
    return selected / non_special, (selected / max(masked, 1) if variant == 't5' else masked / max(selected, 1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--variant', choices=sorted(VARIANTS), default='bert')
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--batch', type=int, default=512)
    parser.add_argument('--length', type=int, default=128)
    parser.add_argument('--vocab', type=int, default=30522)
    parser.add_argument('--continuation-from', type=int, default=20000, help='ids from here on are "##" pieces')
    parser.add_argument('--ids', help='raw int32 ids, batch × length (default: a synthetic batch)')
    parser.add_argument('--iterations', type=int, default=200, help='timed calls')
    parser.add_argument('--warmup', type=int, default=5, help='untimed calls first')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    random.seed(0)
    if args.ids:
        with open(args.ids, 'rb') as file:
            batch = torch.frombuffer(bytearray(file.read()), dtype=torch.int32).to(torch.long)
        batch = batch.view(args.batch, args.length)
    else:
        batch = synthetic_batch(args.batch, args.length, args.vocab, torch.Generator().manual_seed(0))
    global SPECIAL_TABLE
    SPECIAL_TABLE = torch.zeros(args.vocab, dtype=torch.bool)
    SPECIAL_TABLE[SPECIAL_IDS] = True
    continuation = torch.zeros(args.vocab, dtype=torch.bool)
    continuation[args.continuation_from:] = True
    context = {'vocab': args.vocab, 'continuation': continuation}
    mask = VARIANTS[args.variant]

    # The warm-up calls check that the corruption is the variant's.
    selected_fraction, mask_fraction = check(
        args.variant, batch, [mask(batch, context) for _ in range(max(args.warmup, 1))])

    start = time.perf_counter()
    for _ in range(args.iterations):
        mask(batch, context)
    seconds = time.perf_counter() - start
    print(json.dumps({
        'script': 'mlm_masking.py', 'variant': args.variant, 'torch': torch.__version__,
        'threads': torch.get_num_threads(), 'batch': args.batch, 'length': args.length,
        'iterations': args.iterations, 'ms_per_batch': round(1000 * seconds / args.iterations, 3),
        'sequences_per_s': round(args.iterations * args.batch / seconds, 1),
        'tokens_per_s': round(args.iterations * args.batch * args.length / seconds, 1),
        'selected_fraction': round(selected_fraction, 4), 'mask_fraction': round(mask_fraction, 4),
    }))


if __name__ == '__main__':
    main()
