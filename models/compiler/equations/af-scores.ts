/**
 * Atrial-fibrillation points scores: CHA2DS2-VASc (stroke) and HAS-BLED (bleeding).
 * Points are clinical numbers: each cites its source beside it.
 */
import type { Tensor } from '../onnx-builder.js';
import { Features } from './common.js';
import type { Column, EquationModel } from './common.js';

/**
 * Adjusted stroke rate (%/year) by CHA2DS2-VASc score 0–9: Lip GY et al. Chest 2010;137:263–272
 * (Euro Heart Survey), as tabulated in the 2010 ESC AF guidelines (Camm AJ et al. Eur Heart J
 * 2010;31:2369–2429, Table 8). Non-monotonic at 7–8: few patients in those strata.
 */
export const CHA2DS2VASC_STROKE_RATE_PERCENT = [0, 1.3, 2.2, 3.2, 4.0, 6.7, 9.8, 9.6, 6.7, 15.2] as const;

/** HAS-BLED bleeds per 100 patient-years by score 0–5 (Pisters R et al. Chest 2010;138:1093–1100; restated in PMC3418985 Table 3). */
export const HASBLED_BLEEDS_PER_100PY = [1.13, 1.02, 1.88, 3.74, 8.7, 12.5] as const;

const CHA_COLUMNS: readonly Column[] = [
  { name: 'age_years' },
  { name: 'sex', values: ['female', 'male'] },
  { name: 'chf' },
  { name: 'hypertension' },
  { name: 'diabetes' },
  { name: 'stroke_tia_te' },
  { name: 'vascular_disease' },
];

function buildCha(): Uint8Array {
  const f = new Features('cha2ds2_vasc', CHA_COLUMNS);
  const g = f.g;
  const age = f.num('age_years');
  const b = (t: Tensor): Tensor => g.cast(t, 'float64');
  // Lip 2010 CHA2DS2-VASc point weights:
  const score = g.sum(
    f.num('chf'), // C: congestive heart failure / LV dysfunction, 1
    f.num('hypertension'), // H: hypertension, 1
    g.mul(b(g.greaterOrEqual(age, 75)), 2), // A2: age ≥ 75, 2
    f.num('diabetes'), // D: diabetes mellitus, 1
    g.mul(f.num('stroke_tia_te'), 2), // S2: stroke / TIA / thromboembolism, 2
    f.num('vascular_disease'), // V: prior MI, PAD, aortic plaque, 1
    b(g.and(g.greaterOrEqual(age, 65), g.less(age, 75))), // A: age 65–74, 1
    f.flag('sex', 'female'), // Sc: sex category female, 1
  );
  g.output('score', score, ['N']);
  const rate = g.constant(CHA2DS2VASC_STROKE_RATE_PERCENT.map((p) => p / 100));
  const idx = g.cast(score, 'int64');
  g.output('annual_stroke_rate_band', g.op('Gather', [rate, idx], { axis: { int: 0 } }), ['N']);
  return f.finish('CHA2DS2-VASc (Lip 2010) with ESC 2010 Table 8 adjusted stroke rates');
}

const HASBLED_COLUMNS: readonly Column[] = [
  { name: 'systolic_bp_mm_hg' },
  { name: 'abnormal_renal_function' },
  { name: 'abnormal_liver_function' },
  { name: 'stroke_history' },
  { name: 'bleeding_history' },
  { name: 'labile_inr' },
  { name: 'age_years' },
  { name: 'antiplatelet_or_nsaid' },
  { name: 'alcohol_excess' },
];

function buildHasBled(): Uint8Array {
  const f = new Features('has_bled', HASBLED_COLUMNS);
  const g = f.g;
  // Pisters 2010 HAS-BLED definition, 1 point each:
  const score = g.sum(
    g.cast(g.greater(f.num('systolic_bp_mm_hg'), 160), 'float64'), // H: uncontrolled hypertension, SBP > 160 mm Hg
    f.num('abnormal_renal_function'), // A: dialysis, transplant, Cr ≥ 200 µmol/L
    f.num('abnormal_liver_function'), // A: cirrhosis or bilirubin > 2×ULN with AST/ALT/ALP > 3×ULN
    f.num('stroke_history'), // S: stroke
    f.num('bleeding_history'), // B: bleeding history or predisposition
    f.num('labile_inr'), // L: labile INR (TTR < 60 %)
    g.cast(g.greater(f.num('age_years'), 65), 'float64'), // E: elderly, age > 65
    f.num('antiplatelet_or_nsaid'), // D: antiplatelet or NSAID
    f.num('alcohol_excess'), // D: alcohol ≥ 8 drinks/week
  );
  g.output('score', score, ['N']);
  return f.finish('HAS-BLED (Pisters 2010)');
}

export const cha2ds2vasc: EquationModel = {
  id: 'cha2ds2-vasc',
  inputs: CHA_COLUMNS,
  outputs: ['score', 'annual_stroke_rate_band'],
  build: buildCha,
};

export const hasBled: EquationModel = {
  id: 'has-bled',
  inputs: HASBLED_COLUMNS,
  outputs: ['score'],
  // The score is a sum of one point per criterion.
  interactions: HASBLED_COLUMNS.map((c) => [c.name]),
  build: buildHasBled,
};
