import { afterEach, describe, expect, it, vi } from "vitest";
import { act } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";

afterEach(() => { vi.unstubAllGlobals(); document.body.innerHTML = ""; });

describe("App", () => {
  it("shows the three pages and fills the depth model list from the API", async () => {
    const models = [{ name: "base", kind: "pretrained" }, { name: "living_room_nerf", kind: "finetuned" }];
    const fetchMock = vi.fn(async (url: string) => new Response(JSON.stringify(
      url.endsWith("/models") ? models : { status: "ok", current: { model_name: "base" } })));
    vi.stubGlobal("fetch", fetchMock);
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
    const el = document.createElement("div"); document.body.appendChild(el);
    await act(async () => { createRoot(el).render(<App />); });
    const text = el.textContent ?? "";
    for (const page of ["Tiny RoMa", "Depth-Anything-V2", "Runs"]) expect(text).toContain(page);
    expect(fetchMock).toHaveBeenCalledWith("/depth-anything-v2/models");
    expect(fetchMock).toHaveBeenCalledWith("/depth-anything-v2/current");
    expect(el.querySelector("[data-testid=depth-file]")).not.toBeNull();
  });
});
