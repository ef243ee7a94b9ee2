import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root (the nearest folder holding package.json), found from src/ or from dist/. */
export function repoRoot(from: string = import.meta.dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
