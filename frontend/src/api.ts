// Typed calls to the nerfaug REST API (same origin; `npm run dev` proxies to the server).

export type ModelKind = "depth-anything-v2" | "tiny-roma";

export interface ModelSpec {
  name: string;
  kind: string;
  run?: string | null;
  dataset?: string | null;
  seed?: number | null;
  size?: string | null;
  metrics?: Record<string, number | null>;
}

export interface Current {
  status: "ok" | "none";
  current: { model_name?: string } & Partial<ModelSpec>;
}

export interface DepthResult {
  model_name: string;
  height: number;
  width: number;
  depth: number[];
  min_m: number;
  max_m: number;
}

export interface MatchResult {
  model_name: string;
  kptsA: [number, number][];
  kptsB: [number, number][];
  certainty: number[];
  F: number[][] | null;
  H_A: number;
  W_A: number;
  H_B: number;
  W_B: number;
}

export interface RunInfo {
  run: string;
  chapters: string[];
  has_report: boolean;
}

/** The server's error message: FastAPI's `detail` (a string, or a list of validation errors). */
export async function errorMessage(r: Response): Promise<string> {
  try {
    const body = await r.json();
    const d = body?.detail;
    if (typeof d === "string") return `${r.status}: ${d}`;
    if (Array.isArray(d)) return `${r.status}: ${d.map((e) => e?.msg ?? JSON.stringify(e)).join("; ")}`;
    return `${r.status}: ${JSON.stringify(body)}`;
  } catch {
    return `${r.status}: ${r.statusText}`;
  }
}

async function json<T>(r: Response): Promise<T> {
  if (!r.ok) throw new Error(await errorMessage(r));
  return (await r.json()) as T;
}

export const listModels = (kind: ModelKind) => fetch(`/${kind}/models`).then((r) => json<ModelSpec[]>(r));
export const currentModel = (kind: ModelKind) => fetch(`/${kind}/current`).then((r) => json<Current>(r));

export function selectModel(kind: ModelKind, model_name: string): Promise<Current> {
  return fetch(`/${kind}/select`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ model_name }),
  }).then((r) => json<Current>(r));
}

export function predictDepth(file: Blob): Promise<DepthResult> {
  const form = new FormData();
  form.append("file", file, (file as File).name ?? "image.png");
  return fetch("/depth-anything-v2/predict", { method: "POST", body: form }).then((r) => json<DepthResult>(r));
}

export function predictMatches(a: Blob, b: Blob, topK: number): Promise<MatchResult> {
  const form = new FormData();
  form.append("file1", a, (a as File).name ?? "a.png");
  form.append("file2", b, (b as File).name ?? "b.png");
  form.append("top_k", String(topK));
  return fetch("/tiny-roma/predict", { method: "POST", body: form }).then((r) => json<MatchResult>(r));
}

export const listRuns = () => fetch("/api/runs").then((r) => json<RunInfo[]>(r));
export const runReport = (run: string) =>
  fetch(`/api/runs/${encodeURIComponent(run)}/report`).then((r) => json<{ run: string; markdown: string }>(r));
export const figureUrl = (run: string, chapter: string, name: string) =>
  `/api/runs/${encodeURIComponent(run)}/figures/${encodeURIComponent(chapter)}/${encodeURIComponent(name)}`;
