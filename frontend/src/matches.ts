// Match overlay helpers: pure functions, so they are unit-tested without a canvas.

/** Colour of a certainty in [0, 1]: red (low) through yellow to green (high). */
export function certaintyColor(c: number): string {
  const x = Math.min(1, Math.max(0, c));
  const r = Math.round(255 * Math.min(1, 2 * (1 - x)));
  const g = Math.round(255 * Math.min(1, 2 * x));
  return `rgb(${r},${g},0)`;
}

export interface Segment {
  x1: number; y1: number; x2: number; y2: number; color: string;
}

/**
 * Lines from image A (left) to image B (right) in a side-by-side canvas where both images are drawn at `scale`.
 * The server orders matches so that any prefix is spread over the image: the first `k` are drawn.
 */
export function matchSegments(kptsA: [number, number][], kptsB: [number, number][], certainty: number[],
                              k: number, widthA: number, scale: number): Segment[] {
  const n = Math.max(0, Math.min(k, kptsA.length, kptsB.length));
  const out: Segment[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      x1: kptsA[i][0] * scale, y1: kptsA[i][1] * scale,
      x2: (widthA + kptsB[i][0]) * scale, y2: kptsB[i][1] * scale,
      color: certaintyColor(certainty[i] ?? 0),
    });
  }
  return out;
}

/** The matches as CSV (pixels in A and B, certainty), for the download button. */
export function matchesCsv(kptsA: [number, number][], kptsB: [number, number][], certainty: number[]): string {
  const rows = kptsA.map((a, i) => [a[0], a[1], kptsB[i][0], kptsB[i][1], certainty[i]].join(","));
  return ["xA,yA,xB,yB,certainty", ...rows].join("\n") + "\n";
}
