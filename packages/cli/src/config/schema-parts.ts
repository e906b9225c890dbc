import { z } from 'zod';

/** The pieces config sections are made of: the same as every package's options schemas. */
export { imageSize, numberRange, positiveInteger, probability, section } from '@selfsup/pretext/option-schemas';

/** Free-form options of a registered entry (validated by the entry's own schema). */
export const entryOptions = () =>
  z
    .record(z.string(), z.unknown())
    .prefault({})
    .describe("the entry's options (see its table below); unknown options are rejected");
