import { useEffect, useRef, useState } from "react";
import { Alert, Box, Button, CircularProgress, Slider, Stack, Typography } from "@mui/material";
import { MatchResult, predictMatches } from "./api";
import { download } from "./download";
import { matchesCsv, matchSegments } from "./matches";
import { ModelPicker } from "./ModelPicker";

const MAX_MATCHES = 2000;

function loadImage(file: File): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const im = new Image(), url = URL.createObjectURL(file);
    im.onload = () => { URL.revokeObjectURL(url); resolve(im); };
    im.onerror = (e) => { URL.revokeObjectURL(url); reject(e); };
    im.src = url;
  });
}

/** Two images in, Tiny RoMa matches out; the top-K slider redraws from the cached prediction. */
export function MatchTool() {
  const [files, setFiles] = useState<[File | null, File | null]>([null, null]);
  const [result, setResult] = useState<MatchResult | null>(null);
  const [topK, setTopK] = useState(200);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const c = canvas.current, [fa, fb] = files;
    if (!c || !result || !fa || !fb) return;
    Promise.all([loadImage(fa), loadImage(fb)]).then(([a, b]) => {
      const scale = Math.min(1, 900 / (result.W_A + result.W_B));
      c.width = (result.W_A + result.W_B) * scale; c.height = Math.max(result.H_A, result.H_B) * scale;
      const ctx = c.getContext("2d");
      if (!ctx) return;
      ctx.drawImage(a, 0, 0, result.W_A * scale, result.H_A * scale);
      ctx.drawImage(b, result.W_A * scale, 0, result.W_B * scale, result.H_B * scale);
      for (const s of matchSegments(result.kptsA, result.kptsB, result.certainty, topK, result.W_A, scale)) {
        ctx.strokeStyle = s.color; ctx.beginPath(); ctx.moveTo(s.x1, s.y1); ctx.lineTo(s.x2, s.y2); ctx.stroke();
      }
    }).catch(() => undefined);
  }, [result, topK]);

  const run = async () => {
    const [a, b] = files;
    if (!a || !b) return;
    setBusy(true); setError("");
    try { setResult(await predictMatches(a, b, MAX_MATCHES)); } catch (e) { setError(String((e as Error).message ?? e)); }
    finally { setBusy(false); }
  };
  const pick = (i: 0 | 1) => (e: React.ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0] ?? null;
    setFiles((old) => (i === 0 ? [f, old[1]] : [old[0], f]));
  };
  const saveCsv = () => result && download(new Blob([matchesCsv(result.kptsA, result.kptsB, result.certainty)],
                                                    { type: "text/csv" }), "matches.csv");
  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={2} alignItems="center">
        <ModelPicker kind="tiny-roma" onError={setError} />
        {([0, 1] as const).map((i) => (
          <Button key={i} variant="outlined" component="label">
            Image {i === 0 ? "A" : "B"}
            <input hidden type="file" accept="image/*" data-testid={`match-file-${i}`} onChange={pick(i)} />
          </Button>
        ))}
        <Button variant="contained" disabled={!files[0] || !files[1] || busy} onClick={run}>Match</Button>
        {busy && <CircularProgress size={24} />}
      </Stack>
      {error && <Alert severity="error">{error}</Alert>}
      {result && (
        <Stack spacing={1}>
          <Typography variant="body2">
            model {result.model_name}: {result.kptsA.length} matches, mean certainty{" "}
            {(result.certainty.reduce((s, c) => s + c, 0) / Math.max(1, result.certainty.length)).toFixed(3)}
          </Typography>
          <Box sx={{ width: 320 }}>
            <Typography variant="caption">top-K shown: {topK}</Typography>
            <Slider min={10} max={Math.max(10, result.kptsA.length)} step={10} value={topK}
                    onChange={(_, v) => setTopK(v as number)} />
          </Box>
          <Box><canvas ref={canvas} style={{ maxWidth: "100%" }} /></Box>
          <Box><Button size="small" onClick={saveCsv}>Download matches (CSV)</Button></Box>
        </Stack>
      )}
    </Stack>
  );
}
