/**
 * Builds the side app (every top-level *.html page is an entry: launch.html, index.html) into
 * dist/smart-launch/, which Augur serves at /smart-launch/ under a strict CSP. Nothing may be inlined:
 * no module-preload polyfill (an inline script), no data: URLs for assets, CSS in files.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;
const pages = Object.fromEntries(
  readdirSync(root)
    .filter((f) => f.endsWith('.html'))
    .map((f) => [f.slice(0, -'.html'.length), join(root, f)]),
);

export default defineConfig({
  root,
  base: '/smart-launch/',
  publicDir: false,
  // fhirclient's "pure" browser build: native fetch/AbortController instead of the cross-fetch ponyfill.
  define: { FHIRCLIENT_PURE: 'true' },
  build: {
    outDir: resolve(root, '..', 'dist', 'smart-launch'),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    cssCodeSplit: true,
    sourcemap: false,
    rollupOptions: { input: pages },
    // node_modules/isomorphic-webcrypto is a symlink into vendor/ (see package.json overrides): Vite
    // resolves the real path, which is outside node_modules, so name it for the CommonJS transform.
    commonjsOptions: { include: [/node_modules/, /smart-launch[\\/]vendor[\\/]/] },
  },
});
