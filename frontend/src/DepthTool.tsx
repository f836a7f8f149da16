import { useEffect, useRef, useState } from "react";
import { Alert, Box, Button, CircularProgress, Stack, Typography } from "@mui/material";
import { DepthResult, predictDepth } from "./api";
import { depthRange, depthToRGBA, turbo } from "./colormap";
import { download } from "./download";
import { ModelPicker } from "./ModelPicker";

/** Upload an image, predict metric depth, show it in colour with a range bar, and download it. */
export function DepthTool() {
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<DepthResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const canvas = useRef<HTMLCanvasElement>(null);
  const range: [number, number] = result ? depthRange(result.depth) : [0, 1];

  useEffect(() => {
    const c = canvas.current;
    if (!c || !result) return;
    c.width = result.width; c.height = result.height;
    const ctx = c.getContext("2d");
    if (!ctx) return;
    ctx.putImageData(new ImageData(depthToRGBA(result.depth, range), result.width, result.height), 0, 0);
  }, [result]);

  const run = async () => {
    if (!file) return;
    setBusy(true); setError("");
    try { setResult(await predictDepth(file)); } catch (e) { setError(String((e as Error).message ?? e)); }
    finally { setBusy(false); }
  };
  const savePng = () => canvas.current?.toBlob((b) => b && download(b, "depth.png"));
  const saveJson = () => result && download(new Blob([JSON.stringify(result)], { type: "application/json" }),
                                            "depth_m.json");
  const bar = Array.from({ length: 32 }, (_, i) => turbo(1 - i / 31)).map(([r, g, b]) => `rgb(${r},${g},${b})`);

  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={2} alignItems="center">
        <ModelPicker kind="depth-anything-v2" onError={setError} />
        <Button variant="outlined" component="label">
          Image
          <input hidden type="file" accept="image/*" data-testid="depth-file"
                 onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </Button>
        <Typography variant="body2">{file?.name ?? "no image chosen"}</Typography>
        <Button variant="contained" disabled={!file || busy} onClick={run} data-testid="depth-predict">
          Predict depth
        </Button>
        {busy && <CircularProgress size={24} />}
      </Stack>
      {error && <Alert severity="error" data-testid="depth-error">{error}</Alert>}
      {result && (
        <Stack spacing={1}>
          <Typography variant="body2">
            model {result.model_name}: {result.width}x{result.height}, depth {range[0].toFixed(2)}–{range[1].toFixed(2)} m
          </Typography>
          <Box><canvas ref={canvas} data-testid="depth-canvas" style={{ maxWidth: "100%", imageRendering: "pixelated" }} /></Box>
          <Stack direction="row" alignItems="center" spacing={1}>
            <Typography variant="caption">{range[0].toFixed(2)} m</Typography>
            <Box sx={{ width: 240, height: 12, background: `linear-gradient(to right, ${bar.join(",")})` }} />
            <Typography variant="caption">{range[1].toFixed(2)} m</Typography>
          </Stack>
          <Stack direction="row" spacing={1}>
            <Button size="small" onClick={savePng}>Download PNG</Button>
            <Button size="small" onClick={saveJson}>Download depth (m, JSON)</Button>
          </Stack>
        </Stack>
      )}
    </Stack>
  );
}
