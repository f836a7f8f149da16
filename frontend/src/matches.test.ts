import { describe, expect, it } from "vitest";
import { certaintyColor, matchesCsv, matchSegments } from "./matches";

const A: [number, number][] = [[1, 2], [3, 4], [5, 6]];
const B: [number, number][] = [[7, 8], [9, 10], [11, 12]];

describe("matchSegments", () => {
  it("draws the first k matches, B shifted right by A's width, both scaled", () => {
    const s = matchSegments(A, B, [0.9, 0.5, 0.1], 2, 100, 0.5);
    expect(s).toHaveLength(2);
    expect(s[0]).toMatchObject({ x1: 0.5, y1: 1, x2: 53.5, y2: 4 });
    expect(s[1].x2).toBeCloseTo((100 + 9) * 0.5);
  });
  it("clamps k to the number of matches and to zero", () => {
    expect(matchSegments(A, B, [1, 1, 1], 99, 10, 1)).toHaveLength(3);
    expect(matchSegments(A, B, [1, 1, 1], -5, 10, 1)).toHaveLength(0);
  });
});

describe("certaintyColor", () => {
  it("is red when unsure and green when sure", () => {
    expect(certaintyColor(0)).toBe("rgb(255,0,0)");
    expect(certaintyColor(1)).toBe("rgb(0,255,0)");
    expect(certaintyColor(2)).toBe(certaintyColor(1));
  });
});

describe("matchesCsv", () => {
  it("writes a header and one row per match", () => {
    const csv = matchesCsv(A.slice(0, 2), B.slice(0, 2), [0.25, 0.75]);
    expect(csv.trim().split("\n")).toEqual(["xA,yA,xB,yB,certainty", "1,2,7,8,0.25", "3,4,9,10,0.75"]);
  });
});
