// Builds the web UI into static files (dist/) that the Modelyard server serves at `/`.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const clientSources = fileURLToPath(new URL('../client/src/index.ts', import.meta.url));

export default defineConfig({
  base: '/',
  plugins: [react()],
  resolve: {
    // Build from the SDK's TypeScript sources so the UI never needs the client package built first.
    alias: { '@modelyard/client': clientSources },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // React + recharts make one ~600 kB chunk (~180 kB gzipped); fine for an internal tool.
    chunkSizeWarningLimit: 1024,
  },
  server: {
    // `npx vite` against a running server: MODELYARD_URL=http://127.0.0.1:7420 npx vite
    proxy: process.env.MODELYARD_URL ? { '/api': process.env.MODELYARD_URL } : undefined,
  },
});
