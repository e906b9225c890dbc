// Straight ports of torchvision 0.14's tensor functional ops (torchvision/transforms/functional_tensor.py),
// one image at a time in float64, used as references by the tests. Images are flat HWC arrays.

const LUMA = [0.2989, 0.587, 0.114] as const;

/** `_rgb2hsv` for one pixel. */
export function rgbToHsvPixel(r: number, g: number, b: number): [number, number, number] {
  const maxc = Math.max(r, g, b);
  const minc = Math.min(r, g, b);
  const eqc = maxc === minc;
  const cr = maxc - minc;
  const s = cr / (eqc ? 1 : maxc);
  const crDivisor = eqc ? 1 : cr;
  const rc = (maxc - r) / crDivisor;
  const gc = (maxc - g) / crDivisor;
  const bc = (maxc - b) / crDivisor;
  const hr = maxc === r ? bc - gc : 0;
  const hg = maxc === g && maxc !== r ? 2 + rc - bc : 0;
  const hb = maxc !== g && maxc !== r ? 4 + gc - rc : 0;
  const h = ((((hr + hg + hb) / 6 + 1) % 1) + 1) % 1;
  return [h, s, maxc];
}

/** `_hsv2rgb` for one pixel. */
export function hsvToRgbPixel(h: number, s: number, v: number): [number, number, number] {
  const i0 = Math.floor(h * 6);
  const f = h * 6 - i0;
  const clamp = (x: number) => Math.min(Math.max(x, 0), 1);
  const p = clamp(v * (1 - s));
  const q = clamp(v * (1 - s * f));
  const t = clamp(v * (1 - s * (1 - f)));
  const i = ((i0 % 6) + 6) % 6;
  const table: Array<[number, number, number]> = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ];
  return table[i] as [number, number, number];
}

/** `adjust_hue` of one RGB image. */
export function adjustHueImage(image: ArrayLike<number>, shift: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < image.length; i += 3) {
    const [h, s, v] = rgbToHsvPixel(image[i] as number, image[i + 1] as number, image[i + 2] as number);
    out.push(...hsvToRgbPixel((((h + shift) % 1) + 1) % 1, s, v));
  }
  return out;
}

function gray(image: ArrayLike<number>, channels: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < image.length; i += channels) {
    out.push(
      channels === 1
        ? (image[i] as number)
        : LUMA[0] * (image[i] as number) + LUMA[1] * (image[i + 1] as number) + LUMA[2] * (image[i + 2] as number),
    );
  }
  return out;
}

const blend = (a: number, b: number, ratio: number) => Math.min(Math.max(ratio * a + (1 - ratio) * b, 0), 1);

/** `adjust_brightness`, `adjust_contrast` and `adjust_saturation` of one image with C channels. */
export function adjustImage(
  image: ArrayLike<number>,
  channels: number,
  op: 'brightness' | 'contrast' | 'saturation',
  factor: number,
): number[] {
  const values = Array.from(image);
  if (op === 'brightness') return values.map((x) => blend(x, 0, factor));
  const g = gray(image, channels);
  if (op === 'contrast') {
    const mean = g.reduce((a, b) => a + b, 0) / g.length;
    return values.map((x) => blend(x, mean, factor));
  }
  if (channels === 1) return values;
  return values.map((x, i) => blend(x, g[Math.floor(i / channels)] as number, factor));
}

/** `_get_gaussian_kernel1d`. */
export function gaussianKernel(size: number, sigma: number): number[] {
  const half = (size - 1) / 2;
  const pdf = Array.from({ length: size }, (_, i) => Math.exp(-0.5 * ((-half + i) / sigma) ** 2));
  const total = pdf.reduce((a, b) => a + b, 0);
  return pdf.map((p) => p / total);
}

/** `gaussian_blur` (reflect padding, separable kernel) of one [H, W, C] image. */
export function gaussianBlurImage(
  image: ArrayLike<number>,
  [h, w, c]: number[],
  size: number,
  sigma: number,
): number[] {
  const kernel = gaussianKernel(size, sigma);
  const half = (size - 1) / 2;
  const reflect = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
  const [height, width, channels] = [h as number, w as number, c as number];
  const pass = (source: ArrayLike<number>, vertical: boolean) => {
    const out = new Array<number>(height * width * channels).fill(0);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let k = 0; k < channels; k++) {
          let sum = 0;
          for (let t = -half; t <= half; t++) {
            const yy = vertical ? reflect(y + t, height) : y;
            const xx = vertical ? x : reflect(x + t, width);
            sum += (kernel[t + half] as number) * (source[(yy * width + xx) * channels + k] as number);
          }
          out[(y * width + x) * channels + k] = sum;
        }
      }
    }
    return out;
  };
  return pass(pass(image, true), false);
}

/** `equalize` of one uint8 channel (values 0–255), as `_scale_channel`. */
export function equalizeChannel(levels: readonly number[]): number[] {
  const hist = new Array<number>(256).fill(0);
  for (const l of levels) hist[l] = (hist[l] as number) + 1;
  const nonzero = hist.filter((v) => v !== 0);
  const step = Math.floor(nonzero.slice(0, -1).reduce((a, b) => a + b, 0) / 255);
  if (step === 0) return [...levels];
  const lut: number[] = [0];
  let cumulative = 0;
  for (let l = 0; l < 255; l++) {
    cumulative += hist[l] as number;
    lut.push(Math.min(255, Math.floor((cumulative + Math.floor(step / 2)) / step)));
  }
  return levels.map((l) => lut[l] as number);
}
