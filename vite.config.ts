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
    rollupOptions: {
      output: {
        // zod with the client's zod settings, in one chunk that runs before any chunk building schemas:
        // a schema built before `jitless` is set probes for eval, which the CSP reports as a violation.
        manualChunks(id: string) {
          if (id.includes('/node_modules/zod/') || id.endsWith('/client/zodConfig.ts')) return 'zod';
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: server },
      '/collab': { target: server, ws: true },
      '/socket.io': { target: server, ws: true },
    },
  },
});
