/** Every panel patient, in index order. */
import type { PatientSpec } from '../spec.js';
import { AF } from './af.js';
import { CV } from './cv.js';
import { EXAMPLE } from './example.js';
import { KIDNEY } from './kidney.js';
import { MESSY } from './messy.js';
import { PGX } from './pgx.js';

export const PANEL: readonly PatientSpec[] = [EXAMPLE, ...CV, ...AF, ...KIDNEY, ...PGX, ...MESSY];
