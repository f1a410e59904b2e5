import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const server = 'http://127.0.0.1:3000';

/** The client lives in client/ and builds to dist/client, which the Concord server serves. */
export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 900,
  },
  server: {
    proxy: {
      '/api': { target: server },
      '/collab': { target: server, ws: true },
      '/socket.io': { target: server, ws: true },
    },
  },
});
