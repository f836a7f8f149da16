import { describe, expect, it } from "vitest";
import { depthRange, depthToRGBA, turbo } from "./colormap";

describe("turbo", () => {
  it("runs from dark through blue and green to dark red and clamps outside [0, 1]", () => {
    const [rb, , bb] = turbo(0.15), [r1, , b1] = turbo(1), [, g5] = turbo(0.5);
    expect(turbo(0).reduce((s, v) => s + v, 0)).toBeLessThan(150);
    expect(bb).toBeGreaterThan(rb);
    expect(r1).toBeGreaterThan(b1);
    expect(g5).toBeGreaterThan(200);
    expect(turbo(-3)).toEqual(turbo(0));
    expect(turbo(7)).toEqual(turbo(1));
  });
});

describe("depthRange", () => {
  it("ignores NaN and infinities and uses the 2nd/98th percentiles", () => {
    const d = Array.from({ length: 101 }, (_, i) => i / 10).concat([NaN, Infinity]);
    const [lo, hi] = depthRange(d);
    expect(lo).toBeCloseTo(0.2, 6);
    expect(hi).toBeCloseTo(9.8, 6);
  });
  it("never returns an empty range", () => {
    const [lo, hi] = depthRange([2, 2, 2]);
    expect(hi).toBeGreaterThan(lo);
    expect(depthRange([])).toEqual([0, 1]);
  });
});

describe("depthToRGBA", () => {
  it("colours near red, far blue, invalid black, all opaque", () => {
    const px = depthToRGBA([1, 2.7, NaN], [1, 3]);
    expect(px.length).toBe(12);
    expect(px[0]).toBeGreaterThan(px[2]);      // near: more red than blue
    expect(px[6]).toBeGreaterThan(px[4]);      // far: more blue than red
    expect(Array.from(px.slice(8, 11))).toEqual([0, 0, 0]);
    expect([px[3], px[7], px[11]]).toEqual([255, 255, 255]);
  });
});
