/* global process, URL */
// Builds only what changed since the last build, so an unchanged tree starts at once:
// - ensureBuilt(): the server and CLI (tsc -p tsconfig.build.json) when a source is newer than dist/.build-stamp;
// - ensureAppBuilt(): the SMART side app (vite build) when a file that went into the last app build (recorded
//   by a small Vite plugin in dist/smart-launch/.build-inputs.json), a page, or the lockfile changed.
// `npm start` (tools/start.mjs), `npm run sandbox` and `bin/augur.mjs` call them.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STAMP = join(ROOT, 'dist', '.build-stamp');
const SOURCES = [
  'src',
  'cli',
  'sandbox',
  'cards',
  'models',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
];
const APP_DIR = join(ROOT, 'smart-launch');
const APP_OUT = join(ROOT, 'dist', 'smart-launch');
const APP_INPUTS = join(APP_OUT, '.build-inputs.json');

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a deleted file changes its folder's mtime
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

/** True when dist/ is missing or older than any source. */
export function isStale() {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  return SOURCES.some((s) => newestMtime(join(ROOT, s)) > built);
}

export async function ensureBuilt({ quiet = false } = {}) {
  if (!isStale()) return;
  if (!quiet) process.stderr.write('build: sources changed, compiling…\n');
  const started = new Date();
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('build: tsc failed\n');
    process.exit(r.status ?? 1);
  }
  // Stamped with the time the build started: a source saved during the build is seen as newer next time.
  writeFileSync(STAMP, started.toISOString());
  const { utimesSync } = await import('node:fs');
  utimesSync(STAMP, started, started);
}

/** The side app's pages (every top-level *.html is an entry, as in smart-launch/vite.config.ts). */
function appPages() {
  return readdirSync(APP_DIR)
    .filter((f) => f.endsWith('.html'))
    .sort();
}

/** Why the side app needs a build, or undefined when dist/smart-launch is current. */
export function appStaleReason() {
  if (!existsSync(APP_INPUTS)) return 'no previous build';
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(APP_INPUTS, 'utf8'));
  } catch {
    return 'build record unreadable';
  }
  if (JSON.stringify(recorded.pages) !== JSON.stringify(appPages())) return 'pages added or removed';
  const built = recorded.builtAt;
  for (const file of [...recorded.inputs, 'package-lock.json', 'smart-launch/vite.config.ts']) {
    const path = join(ROOT, file);
    if (!existsSync(path)) return `${file} removed`;
    if (statSync(path).mtimeMs > built) return `${file} changed`;
  }
  return undefined;
}

/** Records every project file (not node_modules) Vite read for the build. */
function inputRecorder(inputs) {
  return {
    name: 'augur-record-inputs',
    load(id) {
      const file = id.split('?')[0];
      if (file.startsWith(ROOT) && !file.includes('/node_modules/') && existsSync(file))
        inputs.add(relative(ROOT, file));
      return null;
    },
  };
}

export async function ensureAppBuilt({ quiet = false } = {}) {
  const reason = appStaleReason();
  if (reason === undefined) return;
  if (!quiet) process.stderr.write(`build: side app (${reason}), running vite build…\n`);
  const builtAt = Date.now();
  const inputs = new Set();
  const { build } = await import('vite');
  await build({
    configFile: join(APP_DIR, 'vite.config.ts'),
    logLevel: quiet ? 'warn' : 'info',
    plugins: [inputRecorder(inputs)],
  });
  const record = { builtAt, pages: appPages(), inputs: [...inputs].sort() };
  writeFileSync(APP_INPUTS, `${JSON.stringify(record, null, 1)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await ensureBuilt();
  if (process.argv.includes('--app')) await ensureAppBuilt();
}
