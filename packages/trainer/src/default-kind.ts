import { z } from 'zod';

type DistributiveOmit<Type, Key extends PropertyKey> = Type extends unknown ? Omit<Type, Key> : never;

/**
 * A section chosen by `kind` (a discriminated union) that takes `kind` left out as `kind`: the
 * fields given merge into that kind's defaults instead of being rejected as "kind: missing" — so a
 * partial override (`--set schedule.learningRate=0.01`, `optimizer: { weightDecay: 0.1 }`) keeps
 * the default kind and every other default. A section that names a kind validates against it.
 *
 * @example withDefaultKind(scheduleUnion, 'warmup-cosine').parse({ learningRate: 0.01 }); // { kind: 'warmup-cosine', learningRate: 0.01, … }
 */
export function withDefaultKind<Union extends z.ZodType<{ kind: string }, { kind: string }>, Kind extends string>(
  union: Union,
  kind: Kind,
) {
  type WithoutKind = DistributiveOmit<Extract<z.input<Union>, { kind: Kind }>, 'kind'> & { kind?: undefined };
  return z.preprocess(
    (value: z.input<Union> | WithoutKind) =>
      typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === undefined
        ? { ...value, kind }
        : value,
    union,
  );
}
