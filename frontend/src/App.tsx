import { useState } from "react";
import { AppBar, Box, Container, Link, Tab, Tabs, Toolbar, Typography } from "@mui/material";
import { DepthTool } from "./DepthTool";
import { MatchTool } from "./MatchTool";
import { RunsPage } from "./RunsPage";

const PAGES = ["Tiny RoMa", "Depth-Anything-V2", "Runs"] as const;

export function App() {
  const [page, setPage] = useState(1);
  return (
    <Box>
      <AppBar position="static">
        <Toolbar>
          <Typography variant="h6" sx={{ flexGrow: 1 }}>nerfaug</Typography>
          <Link color="inherit" href="/docs" sx={{ mr: 2 }}>API</Link>
          <Link color="inherit" href="/ui/">Gradio</Link>
        </Toolbar>
        <Tabs value={page} onChange={(_, v) => setPage(v)} textColor="inherit" indicatorColor="secondary">
          {PAGES.map((p) => <Tab key={p} label={p} />)}
        </Tabs>
      </AppBar>
      <Container sx={{ py: 3 }}>
        {page === 0 && <MatchTool />}
        {page === 1 && <DepthTool />}
        {page === 2 && <RunsPage />}
      </Container>
    </Box>
  );
}
