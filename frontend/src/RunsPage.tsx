import { useEffect, useState } from "react";
import { Alert, Box, List, ListItemButton, ListItemText, Stack, Typography } from "@mui/material";
import { figureUrl, listRuns, runReport, RunInfo } from "./api";

/** Runs under the server's --runs folder and the chosen run's study report (markdown shown as text). */
export function RunsPage() {
  const [runs, setRuns] = useState<RunInfo[]>([]);
  const [run, setRun] = useState("");
  const [report, setReport] = useState("");
  const [error, setError] = useState("");
  useEffect(() => { listRuns().then(setRuns).catch((e) => setError(String(e.message ?? e))); }, []);
  useEffect(() => {
    if (!run) return;
    setReport(""); setError("");
    runReport(run).then((r) => setReport(r.markdown)).catch((e) => setError(String(e.message ?? e)));
  }, [run]);
  return (
    <Stack direction="row" spacing={3}>
      <List dense sx={{ minWidth: 200 }}>
        {runs.map((r) => (
          <ListItemButton key={r.run} selected={r.run === run} onClick={() => setRun(r.run)}>
            <ListItemText primary={r.run} secondary={`${r.chapters.length} chapters${r.has_report ? ", report" : ""}`} />
          </ListItemButton>
        ))}
        {runs.length === 0 && <Typography variant="body2">no runs yet (make study)</Typography>}
      </List>
      <Box sx={{ flex: 1 }}>
        {error && <Alert severity="warning">{error}</Alert>}
        {run && report && (
          <>
            <img src={figureUrl(run, "study", "summary.png")} alt="summary" style={{ maxWidth: "100%" }} />
            <Typography component="pre" sx={{ whiteSpace: "pre-wrap", fontSize: 13 }}>{report}</Typography>
          </>
        )}
      </Box>
    </Stack>
  );
}
