import { createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import * as A from '/work/main/packages/augment/src/index.ts';

await initBackend({ backend: 'wasm', log: false });
function time(name: string, f: () => tf.Tensor | tf.Tensor[], reps = 10) {
  for (let i = 0; i < 2; i++) tf.dispose(f());
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    const o = f();
    (Array.isArray(o) ? o : [o]).forEach((x) => x.dataSync());
    ts.push(performance.now() - t);
    tf.dispose(o);
  }
  ts.sort((a, b) => a - b);
  console.log(name.padEnd(50), ts[Math.floor(reps / 2)]!.toFixed(2), 'ms');
}
for (const [s, c] of [
  [28, 1],
  [32, 3],
  [96, 3],
] as const) {
  const x = createRng(1).uniformTensor([512, s, s, c]) as Tensor4D;
  console.log(`--- ${s}x${s}x${c} batch 512`);
  time('crop', () => A.randomResizedCrop({ size: [s, s], flipProbability: 0.5 })(x, createRng(1)));
  time('jitter bc fixed', () =>
    A.colorJitter({ brightness: 0.4, contrast: 0.4, p: 0.8, randomOrder: false })(x, createRng(1)),
  );
  time('blur 3', () => A.gaussianBlur({ kernelSize: 3, p: 0.5 })(x, createRng(1)));
  if (c === 3) {
    time('jitter full', () =>
      A.colorJitter({ brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.2, p: 0.8 })(x, createRng(1)),
    );
    time('hue only', () =>
      A.adjustHue(
        x,
        Array.from({ length: 512 }, () => 0.1),
      ),
    );
    time('sat only', () =>
      A.adjustSaturation(
        x,
        Array.from({ length: 512 }, () => 0.5),
      ),
    );
    time('contrast only', () =>
      A.adjustContrast(
        x,
        Array.from({ length: 512 }, () => 0.5),
      ),
    );
    time('bright only', () =>
      A.adjustBrightness(
        x,
        Array.from({ length: 512 }, () => 0.5),
      ),
    );
    time('gray', () => A.randomGrayscale({ p: 0.2 })(x, createRng(1)));
    time(`blur ${A.blurKernelFor([s, s])}`, () =>
      A.gaussianBlur({ kernelSize: A.blurKernelFor([s, s]), p: 0.5 })(x, createRng(1)),
    );
  }
  time('simclr pipeline', () => A.simclrPreset({ size: [s, s], channels: c })(x, createRng(1)), 5);
  x.dispose();
}
