import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console is served by the API at /admin, so every asset URL starts there. `cspNonce` marks
 * every script and style tag (and a `<meta property="csp-nonce">`) with a placeholder that the
 * server replaces with a fresh nonce on each request for index.html; Emotion reads the meta tag,
 * so the styles it injects at run time carry the nonce too and no 'unsafe-inline' is needed.
 */
export default defineConfig(({ command }) => {
  // A build is always the production bundle, whatever NODE_ENV the shell (or Jest) has set.
  if (command === 'build') process.env.NODE_ENV = 'production';
  return config;
});

const config = {
  base: '/admin/',
  plugins: [react()],
  html: { cspNonce: '__CSP_NONCE__' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2500,
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/files': 'http://localhost:3000' } },
};
