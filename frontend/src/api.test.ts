import { afterEach, describe, expect, it, vi } from "vitest";
import { errorMessage, figureUrl, selectModel } from "./api";

afterEach(() => vi.unstubAllGlobals());

describe("errorMessage", () => {
  it("shows FastAPI's detail string and its validation lists", async () => {
    const r1 = new Response(JSON.stringify({ detail: "unknown model 'x'" }), { status: 400 });
    expect(await errorMessage(r1)).toBe("400: unknown model 'x'");
    const r2 = new Response(JSON.stringify({ detail: [{ msg: "Field required" }] }), { status: 422 });
    expect(await errorMessage(r2)).toBe("422: Field required");
  });
});

describe("selectModel", () => {
  it("posts {model_name} as JSON and raises the server's message on 400", async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ detail: "unknown model" }), { status: 400 }));
    vi.stubGlobal("fetch", fetchMock);
    await expect(selectModel("tiny-roma", "nope")).rejects.toThrow("400: unknown model");
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/tiny-roma/select");
    expect(JSON.parse(String(init.body))).toEqual({ model_name: "nope" });
  });
});

describe("figureUrl", () => {
  it("escapes run names", () => {
    expect(figureUrl("a b", "study", "summary.png")).toBe("/api/runs/a%20b/figures/study/summary.png");
  });
});
