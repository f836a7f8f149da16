/// <reference types="vitest" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// `npm run dev` proxies the API to a running `nerfaug app` (port 7860); `npm run build` writes dist/,
// which the FastAPI app serves at /.
const api = "http://127.0.0.1:7860";
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: Object.fromEntries(["/api", "/health", "/tiny-roma", "/depth-anything-v2"].map((p) => [p, api])),
  },
  build: { outDir: "dist", chunkSizeWarningLimit: 1500 },
  test: { environment: "jsdom", globals: false },
});
