#!/usr/bin/env node
// `augur` (package.json bin; `npx augur …` after `npm ci`): compiles the TypeScript sources when they
// changed since the last build (fast when nothing did), then runs the compiled CLI.
import { ensureBuilt } from '../tools/build-if-stale.mjs';

await ensureBuilt({ quiet: true });
await import('../dist/cli/entry.js');
