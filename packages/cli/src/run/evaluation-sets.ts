import { type LabeledTrainTest, type LabeledTrainTestSource, readLabeledTrainTest } from '@selfsup/data';
import { CliError } from '../cli-error.js';

/**
 * `@selfsup/data`'s {@link readLabeledTrainTest} at the encoder's input (`inputShape` [H, W, C]).
 * @throws CliError('data') when labels are unreadable, or a split would leave a side empty.
 */
export async function evaluationSets(
  source: LabeledTrainTestSource,
  inputShape: readonly number[],
): Promise<LabeledTrainTest> {
  const [height, width, channels] = inputShape as [number, number, 1 | 3];
  try {
    return await readLabeledTrainTest(source, { size: [height, width], channels });
  } catch (error) {
    throw new CliError('data', (error as Error).message, { cause: error });
  }
}
