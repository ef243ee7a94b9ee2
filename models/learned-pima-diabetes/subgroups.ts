/**
 * The network's discrimination and calibration on the held-out Pima.te rows by age band (the test
 * metrics by subgroup that HTI-1 (b)(11)(iv)(B)(7)(ii) asks for), written by train.ts into the
 * package's source-attributes.json `subgroupPerformance`. Sex: every record is a woman, so there is no
 * sex subgroup to report — said so in the file rather than left out.
 */
import type { SubgroupPerformance } from '../../src/transparency/schema.js';
import type { Dataset } from './dataset.js';
import { FEATURES } from './dataset.js';
import { evaluate } from './metrics.js';
import type { Mlp } from './mlp.js';
import { mlpPredict } from './mlp.js';

/** Age bands chosen for ≥ 25 events each in Pima.te (197/42, 90/42, 45/25 women/with diabetes). */
export const AGE_BANDS = [
  { label: '21–29', min: 21, max: 29 },
  { label: '30–44', min: 30, max: 44 },
  { label: '45 and over', min: 45, max: Infinity },
] as const;

const MASS = {
  text: 'Venables WN, Ripley BD. Modern Applied Statistics with S, 4th ed. Springer, 2002 — R package MASS, data sets Pima.tr and Pima.te (held-out test rows; metrics computed by models/learned-pima-diabetes/train.ts).',
};

const round = (v: number): number => Number(v.toFixed(4));

/** Per age band: ROC AUC, Brier score, calibration intercept, slope and in-the-large of the network. */
export function subgroupPerformance(network: Mlp, te: Dataset): SubgroupPerformance[] {
  const ageColumn = FEATURES.indexOf('age');
  const rows = AGE_BANDS.flatMap((band) => {
    const idx = te.x.flatMap((r, i) => {
      const age = r[ageColumn] ?? NaN;
      return age >= band.min && age <= band.max ? [i] : [];
    });
    const p = idx.map((i) => mlpPredict(network, te.x[i] ?? []));
    const y = idx.map((i) => te.y[i] ?? NaN);
    const m = evaluate(p, y);
    const events = y.filter((v) => v === 1).length;
    const dataset = `MASS Pima.te, ages ${band.label} (n = ${String(m.n)}, ${String(events)} with diabetes)`;
    const entry = (metric: string, value: number): SubgroupPerformance => ({
      subgroup: `Age ${band.label}`,
      data: 'test',
      dataset,
      metric,
      value: round(value),
      citation: MASS,
    });
    return [
      entry('ROC AUC', m.auc),
      entry('Brier score', m.brier),
      entry('calibration intercept (Cox)', m.calibrationIntercept),
      entry('calibration slope (Cox)', m.calibrationSlope),
      entry('calibration-in-the-large', m.calibrationInTheLarge),
    ];
  });
  return [
    ...rows,
    {
      subgroup: 'By sex',
      data: 'test',
      dataset: 'MASS Pima.te',
      metric: 'ROC AUC',
      notReported: 'every record is a woman: no sex subgroup exists in the data',
      citation: MASS,
    },
  ];
}
