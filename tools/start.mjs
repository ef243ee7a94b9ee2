/* global URL */
// `npm start`: compile what changed (server/CLI with tsc, the side app with vite — each skipped when
// current), then run the server in this same process. No shell and no second node process between npm
// and the server, so the SIGTERM a process manager (or npm) sends reaches the server's own handler,
// which drains and exits 0.
import { ensureAppBuilt, ensureBuilt } from './build-if-stale.mjs';

await ensureBuilt();
await ensureAppBuilt();
await import(new URL('../dist/src/main.js', import.meta.url).href);
