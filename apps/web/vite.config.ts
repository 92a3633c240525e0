import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The staff web app, built into dist/web, which the API serves at `/` (apps/api/src/bootstrap.ts).
 * `npx vite --config apps/web/vite.config.ts` serves it with hot reload against `npm start`'s API.
 */
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  // The design system's stylesheet and fonts (the package exports only its script).
  resolve: { alias: { 'dkfds/css': fileURLToPath(new URL('../../node_modules/dkfds/dist/css/dkfds.min.css', import.meta.url)) } },
  build: { outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)), emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/auth': 'http://127.0.0.1:3000' } },
});
