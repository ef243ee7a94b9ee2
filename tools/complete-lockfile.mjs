#!/usr/bin/env node
/**
 * Makes package-lock.json acceptable to `npm ci` (npm 11) on machines whose registry mirror does not
 * serve other platforms' optional native packages (e.g. `@rollup/rollup-android-arm64` answers 404 here).
 *
 * npm 11's `npm ci` insists that every entry in a package's `optionalDependencies` has a lockfile entry,
 * but `npm install` cannot write one for a package the registry will not describe. This adds a minimal
 * entry (version, `optional: true`) for each such dependency. On install, npm skips it: an optional
 * package that cannot be fetched is not an error. Run it after any change to dependencies:
 *   npm install && node tools/complete-lockfile.mjs
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { stdout } from 'node:process';
import { URL } from 'node:url';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;

/** Whether `name` resolves from the package at `owner` (walking up the node_modules nesting). */
function resolvable(owner, name) {
  let base = owner;
  for (;;) {
    if (packages[`${base === '' ? '' : `${base}/`}node_modules/${name}`] !== undefined) return true;
    if (base === '') return false;
    const i = base.lastIndexOf('/node_modules/');
    base = i >= 0 ? base.slice(0, i) : '';
  }
}

const added = [];
for (const [owner, pkg] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(pkg.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (resolvable(owner, name) || packages[key] !== undefined) continue;
    packages[key] = { version: String(spec).replace(/^[\^~=]/, ''), optional: true };
    added.push(name);
  }
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
stdout.write(
  `complete-lockfile: ${added.length} optional entr${added.length === 1 ? 'y' : 'ies'} added${added.length ? `: ${added.join(', ')}` : ''}`,
);
