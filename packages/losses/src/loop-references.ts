// Straightforward loop implementations of each loss's formula, for tests only: no tensors, no
// vectorization, float64. Written from the papers' equations independently of the tfjs code.

type Matrix = number[][];

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] as number), 0);
const norm = (a: number[]) => Math.sqrt(dot(a, a));
const unit = (a: number[]) => {
  const n = Math.max(norm(a), 1e-12);
  return a.map((x) => x / n);
};
const logSumExp = (xs: number[]) => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
};

export function ntXentLoop(views: Matrix[], temperature: number): number {
  const n = (views[0] as Matrix).length;
  const z = views.flat().map(unit);
  let total = 0;
  for (let i = 0; i < z.length; i++) {
    const others: number[] = [];
    for (let k = 0; k < z.length; k++) if (k !== i) others.push(dot(z[i] as number[], z[k] as number[]) / temperature);
    const denominator = logSumExp(others);
    let sum = 0;
    let count = 0;
    for (let p = 0; p < z.length; p++) {
      if (p !== i && p % n === i % n) {
        sum += dot(z[i] as number[], z[p] as number[]) / temperature - denominator;
        count++;
      }
    }
    total += -sum / count;
  }
  return total / z.length;
}

export function supConLoop(features: Matrix, labels: number[], temperature: number): number {
  const z = features.map(unit);
  let total = 0;
  let anchors = 0;
  for (let i = 0; i < z.length; i++) {
    const positives = labels.map((l, p) => (p !== i && l === labels[i] ? p : -1)).filter((p) => p >= 0);
    if (positives.length === 0) continue;
    const denominator = logSumExp(z.flatMap((zk, k) => (k === i ? [] : [dot(z[i] as number[], zk) / temperature])));
    total +=
      -positives.reduce((s, p) => s + dot(z[i] as number[], z[p] as number[]) / temperature - denominator, 0) /
      positives.length;
    anchors++;
  }
  return total / anchors;
}

export function infoNceLoop(query: Matrix, keys: Matrix, negatives: Matrix, temperature: number): number {
  return (
    query.reduce((total, q, i) => {
      const u = unit(q);
      const positive = dot(u, unit(keys[i] as number[])) / temperature;
      return total - (positive - logSumExp([positive, ...negatives.map((n) => dot(u, unit(n)) / temperature)]));
    }, 0) / query.length
  );
}

export function negativeCosineLoop(p: Matrix, z: Matrix, form: 'simsiam' | 'byol'): number {
  const cosines = p.map((row, i) => dot(unit(row), unit(z[i] as number[])));
  const mean = cosines.reduce((s, c) => s + c, 0) / cosines.length;
  return form === 'byol' ? 2 - 2 * mean : -mean;
}

function columnStats(z: Matrix, unbiased: boolean): { mean: number[]; variance: number[] } {
  const n = z.length;
  const d = (z[0] as number[]).length;
  const mean = Array.from({ length: d }, (_, j) => z.reduce((s, r) => s + (r[j] as number), 0) / n);
  const variance = Array.from(
    { length: d },
    (_, j) => z.reduce((s, r) => s + ((r[j] as number) - (mean[j] as number)) ** 2, 0) / (unbiased ? n - 1 : n),
  );
  return { mean, variance };
}

export function barlowTwinsLoop(z1: Matrix, z2: Matrix, lambda: number): number {
  const n = z1.length;
  const d = (z1[0] as number[]).length;
  const standardize = (z: Matrix) => {
    const { mean, variance } = columnStats(z, false);
    return z.map((r) => r.map((x, j) => (x - (mean[j] as number)) / Math.sqrt((variance[j] as number) + 1e-5)));
  };
  const a = standardize(z1);
  const b = standardize(z2);
  let loss = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let c = 0;
      for (let k = 0; k < n; k++) c += ((a[k] as number[])[i] as number) * ((b[k] as number[])[j] as number);
      c /= n;
      loss += i === j ? (1 - c) ** 2 : lambda * c * c;
    }
  }
  return loss;
}

export function vicregLoop(
  z1: Matrix,
  z2: Matrix,
): { loss: number; invariance: number; variance: number; covariance: number } {
  const n = z1.length;
  const d = (z1[0] as number[]).length;
  let invariance = 0;
  for (let k = 0; k < n; k++)
    for (let j = 0; j < d; j++)
      invariance += (((z1[k] as number[])[j] as number) - ((z2[k] as number[])[j] as number)) ** 2;
  invariance /= n * d;
  let variance = 0;
  let covariance = 0;
  for (const z of [z1, z2]) {
    const { mean, variance: v } = columnStats(z, true);
    variance += v.reduce((s, x) => s + Math.max(0, 1 - Math.sqrt(x + 1e-4)), 0) / d / 2;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        if (i === j) continue;
        let c = 0;
        for (let k = 0; k < n; k++)
          c +=
            (((z[k] as number[])[i] as number) - (mean[i] as number)) *
            (((z[k] as number[])[j] as number) - (mean[j] as number));
        covariance += (c / (n - 1)) ** 2 / d;
      }
    }
  }
  return { loss: 25 * invariance + 25 * variance + covariance, invariance, variance, covariance };
}

export function sinkhornLoop(scores: Matrix, iterations: number, epsilon: number): Matrix {
  const b = scores.length;
  const k = (scores[0] as number[]).length;
  let q = scores.map((r) => r.map((s) => Math.exp(s / epsilon)));
  const total = q.flat().reduce((s, x) => s + x, 0);
  q = q.map((r) => r.map((x) => x / total));
  for (let it = 0; it < iterations; it++) {
    for (let j = 0; j < k; j++) {
      const column = q.reduce((s, r) => s + (r[j] as number), 0);
      for (const r of q) r[j] = (r[j] as number) / column / k;
    }
    for (const r of q) {
      const row = r.reduce((s, x) => s + x, 0);
      for (let j = 0; j < k; j++) r[j] = (r[j] as number) / row / b;
    }
  }
  return q.map((r) => r.map((x) => x * b));
}

export function swavLoop(s1: Matrix, s2: Matrix, temperature: number): number {
  const q1 = sinkhornLoop(s1, 3, 0.05);
  const q2 = sinkhornLoop(s2, 3, 0.05);
  const crossEntropy = (q: Matrix, s: Matrix) =>
    -s.reduce((total, row, n) => {
      const lse = logSumExp(row.map((x) => x / temperature));
      return total + row.reduce((sum, x, j) => sum + ((q[n] as number[])[j] as number) * (x / temperature - lse), 0);
    }, 0) / s.length;
  return 0.5 * (crossEntropy(q1, s2) + crossEntropy(q2, s1));
}

export function dinoLoop(
  students: Matrix[],
  teachers: Matrix[],
  center: number[],
  studentTemp: number,
  teacherTemp: number,
): number {
  const single = students.length === 1 && teachers.length === 1;
  let total = 0;
  let pairs = 0;
  teachers.forEach((teacher, t) => {
    students.forEach((student, s) => {
      if (s === t && !single) return;
      let sum = 0;
      teacher.forEach((row, n) => {
        const logits = row.map((x, j) => (x - (center[j] as number)) / teacherTemp);
        const lseT = logSumExp(logits);
        const studentRow = (student[n] as number[]).map((x) => x / studentTemp);
        const lseS = logSumExp(studentRow);
        sum += -logits.reduce((acc, l, j) => acc + Math.exp(l - lseT) * ((studentRow[j] as number) - lseS), 0);
      });
      total += sum / teacher.length;
      pairs++;
    });
  });
  return total / pairs;
}

export function tripletMarginLoop(anchor: Matrix, positive: Matrix, negative: Matrix, margin: number): number {
  const distance = (a: number[], b: number[]) =>
    Math.sqrt(a.reduce((s, x, i) => s + (x - (b[i] as number) + 1e-6) ** 2, 0));
  return (
    anchor.reduce(
      (s, a, i) =>
        s + Math.max(0, distance(a, positive[i] as number[]) - distance(a, negative[i] as number[]) + margin),
      0,
    ) / anchor.length
  );
}
