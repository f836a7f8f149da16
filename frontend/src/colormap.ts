// Depth to colour: the turbo colormap (Google's polynomial fit), near = red, far = blue, as in the Gradio tab.

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** Turbo colormap: t in [0, 1] -> [r, g, b] in 0..255. */
export function turbo(t: number): [number, number, number] {
  const x = clamp01(t);
  const r = 0.13572138 + x * (4.6153926 + x * (-42.66032258 + x * (132.13108234 + x * (-152.94239396 + x * 59.28637943))));
  const g = 0.09140261 + x * (2.19418839 + x * (4.84296658 + x * (-14.18503333 + x * (4.27729857 + x * 2.82956604))));
  const b = 0.1066733 + x * (12.64194608 + x * (-60.58204836 + x * (110.36276771 + x * (-89.90310912 + x * 27.34824973))));
  return [Math.round(255 * clamp01(r)), Math.round(255 * clamp01(g)), Math.round(255 * clamp01(b))];
}

/** Robust display range: the 2nd and 98th percentiles of the finite values (metres). */
export function depthRange(depth: ArrayLike<number>): [number, number] {
  const v = Array.from(depth).filter((d) => Number.isFinite(d)).sort((a, b) => a - b);
  if (v.length === 0) return [0, 1];
  const q = (p: number) => v[Math.min(v.length - 1, Math.max(0, Math.round(p * (v.length - 1))))];
  const lo = q(0.02), hi = q(0.98);
  return hi > lo ? [lo, hi] : [lo, lo + 1e-6];
}

/** Row-major depth (metres) -> RGBA pixels for an ImageData; near is red (t = 1), far is blue (t = 0). */
export function depthToRGBA(depth: ArrayLike<number>, range: [number, number]): Uint8ClampedArray<ArrayBuffer> {
  const [lo, hi] = range;
  const out = new Uint8ClampedArray(depth.length * 4);
  for (let i = 0; i < depth.length; i++) {
    const d = depth[i];
    const [r, g, b] = Number.isFinite(d) ? turbo(1 - (d - lo) / (hi - lo)) : [0, 0, 0];
    out.set([r, g, b, 255], 4 * i);
  }
  return out;
}
