/**
 * The accuracy of always answering the most frequent training class (ties: the smaller label), on
 * the test labels: the floor below which a classifier has learnt nothing about the inputs.
 *
 * @param trainLabels classes of the training examples [trainCount].
 * @param testLabels classes of the held-out examples [testCount].
 * @returns a fraction in [0, 1] (0 with no test labels).
 * @example
 * majorityAccuracy([0, 1, 1], [1, 0, 1, 1]); // 0.75
 */
export function majorityAccuracy(trainLabels: readonly number[], testLabels: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const label of trainLabels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const majority = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
  return testLabels.filter((label) => label === majority).length / Math.max(1, testLabels.length);
}
