/** Band lookup, browser-safe (the side app shows the same band as the card). */
import type { Band } from './schemas.js';

/** The band `value` falls in (bands are contiguous, `[min, max)`). */
export function bandFor(bands: readonly Band[], value: number): Band {
  const band = bands.find(
    (b) => (b.min === undefined || value >= b.min) && (b.max === undefined || value < b.max),
  );
  if (band === undefined) throw new Error(`no band for ${String(value)}`); // unreachable for validated bands
  return band;
}
