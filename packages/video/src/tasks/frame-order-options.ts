/** Checks that an option is an integer in [minimum, maximum]. */
export function checkInteger(owner: string, key: string, value: number, minimum: number, maximum = Infinity): void {
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    const range = maximum === Infinity ? `≥ ${minimum}` : `in ${minimum}–${maximum}`;
    throw new Error(`${owner}: ${key} must be an integer ${range}; got ${value}`);
  }
}

/** Checks that an option is a number in [0, 1] (or [0, 1) with `open`). */
export function checkFraction(owner: string, key: string, value: number, open = false): void {
  if (!(value >= 0 && (open ? value < 1 : value <= 1))) {
    throw new Error(`${owner}: ${key} must be in [0, 1${open ? ')' : ']'}; got ${value}`);
  }
}

/** The options the frame-order tasks share: how windows are drawn and the widths of the fusion head. */
export interface FrameOrderSharedOptions {
  /** Windows are drawn among those whose motion is at or above this quantile (in [0, 1)). */
  motionQuantile?: number;
  itemHiddenSize: number;
  hiddenSize?: number;
  pairHiddenSize?: number;
}

/**
 * Checks the options every frame-order task has (those it has of them): `motionQuantile` in
 * [0, 1), then each layer width of its {@link createFrameFusionHead} a positive integer — after
 * the task's own options, so a task's first complaint is about what is its own.
 *
 * @throws naming `owner` and the option, with the value it got.
 */
export function checkFrameOrderOptions(owner: string, options: FrameOrderSharedOptions): void {
  if (options.motionQuantile !== undefined) checkFraction(owner, 'motionQuantile', options.motionQuantile, true);
  for (const key of ['itemHiddenSize', 'hiddenSize', 'pairHiddenSize'] as const) {
    const width = options[key];
    if (width !== undefined) checkInteger(owner, key, width, 1);
  }
}
