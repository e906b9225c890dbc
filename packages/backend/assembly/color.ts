// Color-space kernels for RGB images (NHWC, float32 in [0, 1]).

@inline
function clamp01(x: f32): f32 {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/**
 * Shifts the hue of every pixel of image n by shifts[n] (a fraction of a turn), through HSV with
 * torchvision's `_rgb2hsv`/`_hsv2rgb` formulas, in one pass. `pixels` is H·W per image.
 */
export function adjustHue(src: usize, images: i32, pixels: i32, shifts: usize, dst: usize): void {
  let s = src;
  let d = dst;
  for (let n = 0; n < images; n++) {
    const shift = load<f32>(shifts + ((<usize>n) << 2));
    for (let p = 0; p < pixels; p++) {
      const r = load<f32>(s);
      const g = load<f32>(s + 4);
      const b = load<f32>(s + 8);
      const maxc = max(max(r, g), b);
      const minc = min(min(r, g), b);
      const chroma = maxc - minc;
      const sat: f32 = chroma / (maxc == 0 ? 1 : maxc);
      const divisor: f32 = chroma == 0 ? 1 : chroma;
      const rc = (maxc - r) / divisor;
      const gc = (maxc - g) / divisor;
      const bc = (maxc - b) / divisor;
      let h: f32;
      if (maxc == r) h = bc - gc;
      else if (maxc == g) h = 2 + rc - bc;
      else h = 4 + gc - rc;
      h = h / 6 + 1;
      h = h - Mathf.floor(h);
      h = h + shift + 1;
      h = h - Mathf.floor(h);
      const scaled = h * 6;
      const sector = Mathf.floor(scaled);
      const f = scaled - sector;
      const index = (<i32>sector) % 6;
      const v = maxc;
      const pv = clamp01(v * (1 - sat));
      const qv = clamp01(v * (1 - sat * f));
      const tv = clamp01(v * (1 - sat * (1 - f)));
      let ro: f32, go: f32, bo: f32;
      if (index == 0) { ro = v; go = tv; bo = pv; }
      else if (index == 1) { ro = qv; go = v; bo = pv; }
      else if (index == 2) { ro = pv; go = v; bo = tv; }
      else if (index == 3) { ro = pv; go = qv; bo = v; }
      else if (index == 4) { ro = tv; go = pv; bo = v; }
      else { ro = v; go = pv; bo = qv; }
      store<f32>(d, ro);
      store<f32>(d + 4, go);
      store<f32>(d + 8, bo);
      s += 12;
      d += 12;
    }
  }
}
