import { defineConfig } from "vite";

// The dashboard is built into web/dist and served by the Deskpulse server at "/".
export default defineConfig({
  root: new URL(".", import.meta.url).pathname,
  base: "/",
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 2000 },
});
