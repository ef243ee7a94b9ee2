/** Every equation package Augur compiles, by model id. */
import { cha2ds2vasc, hasBled } from './af-scores.js';
import type { EquationModel } from './common.js';
import { iwpc } from './iwpc.js';
import { kfre } from './kfre.js';
import { pce } from './pce.js';
import { prevent10, prevent30 } from './prevent.js';

export const EQUATION_MODELS: readonly EquationModel[] = [
  pce,
  prevent10,
  prevent30,
  kfre,
  cha2ds2vasc,
  hasBled,
  iwpc,
];
