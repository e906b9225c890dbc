/** Every permutation of 0..n−1, in lexicographic order. */
export function allPermutations(n: number): number[][] {
  if (n <= 1) return [Array.from({ length: n }, (_, i) => i)];
  const result: number[][] = [];
  for (const rest of allPermutations(n - 1)) {
    for (let position = 0; position <= rest.length; position++) {
      result.push([...rest.slice(0, position), n - 1, ...rest.slice(position)]);
    }
  }
  return result.sort((a, b) => {
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
    return 0;
  });
}

/**
 * Order classes of n frames where a permutation and its reverse are one class (OPN, Lee et al.
 * 2017: a forward and a backward order are equally plausible, so 4 frames give 4!/2 = 12 classes).
 * Each class is named by its lexicographically smaller member.
 *
 * @example
 * reverseInvariantOrders(4).length; // 12
 */
export function reverseInvariantOrders(n: number): number[][] {
  const seen = new Set<string>();
  const classes: number[][] = [];
  for (const permutation of allPermutations(n)) {
    const key = permutation.join();
    const reverse = [...permutation].reverse().join();
    if (seen.has(key) || seen.has(reverse)) continue;
    seen.add(key);
    classes.push(permutation);
  }
  return classes;
}

/** Whether frame numbers strictly increase or strictly decrease. */
export function isMonotonic(frames: readonly number[]): boolean {
  let increasing = true;
  let decreasing = true;
  for (let i = 1; i < frames.length; i++) {
    if ((frames[i] as number) <= (frames[i - 1] as number)) increasing = false;
    if ((frames[i] as number) >= (frames[i - 1] as number)) decreasing = false;
  }
  return increasing || decreasing;
}
