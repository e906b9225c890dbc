import { type Scalar, type Tensor2D, type Tensor4D, tf } from '@selfsup/backend';
import type { TrainingCallback } from './callbacks.js';

/** The name of the step metric the joint-embedding methods report: {@link embeddingStd} of the batch's projections. */
export const EMBEDDING_STD_METRIC = 'embeddingStd';

/**
 * Below this mean per-dimension std of L2-normalized embeddings a representation counts as
 * collapsed (every input mapped to nearly one point). A healthy D-dimensional one sits near
 * 1/√D (0.09 for D = 128).
 */
export const COLLAPSE_STD_THRESHOLD = 1e-4;

/**
 * How spread out a batch of embeddings is: each row L2-normalized, the standard deviation of each
 * dimension over the batch, averaged over the dimensions (SimSiam, Chen & He 2021,
 * arXiv:2011.10566, §4.1: ≈ 1/√D when healthy, 0 when collapsed). A scalar tensor the caller
 * disposes, so a step's metrics are read together, asynchronously (`readScalars`).
 *
 * Shapes: `embeddings` `[N, D]` → `[]`.
 *
 * @example
 * const { spread } = await readScalars({ spread: embeddingStd(projections) }); // 0.088 for healthy 128-d projections
 */
export function embeddingStd(embeddings: Tensor2D): Scalar {
  return tf.tidy(() => {
    const normalized = tf.div(embeddings, tf.maximum(tf.norm(embeddings, 2, 1, true), 1e-12));
    const { variance } = tf.moments(normalized, 0);
    return tf.mean(tf.sqrt(variance)) as Scalar;
  });
}

/** Rows of the first view that {@link viewsEmbeddingStd} embeds by default: enough to tell a spread from ~0, cheap beside a step. */
export const SPREAD_SAMPLE = 16;

/**
 * {@link embeddingStd} of the embeddings of a step's first view, its first `sample` rows
 * (`[n, H, W, C]` → `embed` → `[n, D]` → `[]`), for a method's `metrics`: one extra forward pass of
 * `sample` images whenever metrics are computed (every 10 steps by default) — about 0.3 % of a
 * SimCLR step. `embed` runs without a gradient tape and should not update state (batch norm in
 * inference mode).
 *
 * @example
 * metrics: ({ views }) => ({ [EMBEDDING_STD_METRIC]: viewsEmbeddingStd(views, (x) => projector.apply(encoder.apply(x, eval), eval)) })
 */
export function viewsEmbeddingStd(
  views: Tensor4D[],
  embed: (batch: Tensor4D) => Tensor2D,
  sample = SPREAD_SAMPLE,
): Scalar {
  const first = views[0];
  if (first === undefined) return tf.scalar(Number.NaN);
  return tf.tidy(() => embeddingStd(embed(first.slice(0, Math.min(sample, first.shape[0])) as Tensor4D)));
}

/** What {@link collapseWatchCallback} found: the first step a collapse was seen at, and its std. */
export interface CollapseWarning {
  step: number;
  embeddingStd: number;
  /** The warning in words (as logged and kept in the result's `warnings`). */
  message: string;
}

/**
 * Watches the {@link EMBEDDING_STD_METRIC} of each step's metrics and warns once when it falls below
 * `threshold` (default {@link COLLAPSE_STD_THRESHOLD}): a collapsed representation trains on with a
 * finite, flat loss, so without this it passes silently. A warning, not a stop.
 *
 * @example
 * const watch = collapseWatchCallback({ log: console.warn });
 * await pretrain({ …, callbacks: [watch] });
 * watch.warning(); // undefined, or { step, embeddingStd, message }
 */
export function collapseWatchCallback(
  options: { threshold?: number; log?: (line: string) => void } = {},
): TrainingCallback & { warning(): CollapseWarning | undefined } {
  const threshold = options.threshold ?? COLLAPSE_STD_THRESHOLD;
  let warning: CollapseWarning | undefined;
  return {
    onStepEnd(record) {
      const spread = record.metrics?.[EMBEDDING_STD_METRIC];
      if (warning !== undefined || spread === undefined || !(spread < threshold)) return;
      warning = {
        step: record.step,
        embeddingStd: spread,
        message: `representation collapse at step ${record.step}: the embeddings' mean per-dimension std is ${spread.toExponential(2)} (below ${threshold}), so every input maps to nearly the same point; lower the learning rate, check the augmentations, or use a method with a collapse guard`,
      };
      options.log?.(`warning: ${warning.message}`);
    },
    warning: () => warning,
  };
}
