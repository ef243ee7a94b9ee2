/* global process, URL */
// `npm run sandbox`: compile what changed (server/CLI/sandbox with tsc, the side app with vite — each
// skipped when current), then run `augur sandbox` in this same process, so SIGTERM reaches it.
import { ensureAppBuilt, ensureBuilt } from './build-if-stale.mjs';

await ensureBuilt();
await ensureAppBuilt();
const { run } = await import(new URL('../dist/cli/main.js', import.meta.url).href);
process.exitCode = await run(['sandbox', ...process.argv.slice(2)]);
