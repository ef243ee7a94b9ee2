/**
 * Start-up validation of cards/cardiovascular.json: the shipped file loads; each kind of bad data stops
 * the build of the service with an error naming the file and the field.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cardsDir } from '../../../src/cards/data.js';
import {
  CARDIOVASCULAR_FILE,
  loadCardiovascularCards,
  type CardiovascularCards,
} from '../../../src/services/cardiovascular/card-data.js';
import { builtInValueSets } from '../../../src/services/deps.js';

const valueSets = builtInValueSets();
const shipped = (): Record<string, unknown> =>
  JSON.parse(readFileSync(join(cardsDir(), CARDIOVASCULAR_FILE), 'utf8')) as Record<string, unknown>;
const dir = mkdtempSync(join(tmpdir(), 'augur-cv-cards-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

type Json = CardiovascularCards;

function nth<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  if (x === undefined) throw new Error(`no element ${String(i)}`);
  return x;
}

/** Writes a mutated copy of the shipped file and returns what loading it throws. */
function errorOf(mutate: (d: Json) => void): string {
  const data = shipped() as unknown as Json;
  mutate(data);
  const file = join(dir, `cv-${String(Math.random()).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(data));
  try {
    loadCardiovascularCards(valueSets, file);
  } catch (err) {
    return (err as Error).message.replaceAll(file, '<file>');
  }
  throw new Error('expected the card data to be refused');
}

describe('cards/cardiovascular.json', () => {
  it('the shipped file loads, with every band, rule and card id', () => {
    const cards = loadCardiovascularCards(valueSets);
    expect(cards.pce.bands.map((b) => [b.id, b.min, b.max])).toEqual([
      ['low', 0, 0.05],
      ['borderline', 0.05, 0.075],
      ['intermediate', 0.075, 0.2],
      ['high', 0.2, undefined],
    ]);
    expect(cards.statin.rules.map((r) => `${r.id}:${r.intensity}`)).toEqual([
      'severe-ldl:high',
      'diabetes-high-risk:high',
      'diabetes:moderate',
      'pce-high:high',
      'pce-intermediate:moderate',
    ]);
    expect(Object.keys(cards.cards)).toEqual(['cv-risk', 'cv-statin-suggestion', 'cv-lipids-missing']);
  });

  it('a template with an unknown placeholder', () => {
    expect(
      errorOf((d) => {
        d.text.summary.pce = '10-yr ASCVD risk {risk} — {colour}';
      }),
    ).toContain('<file>: text.summary.pce: unknown placeholder {colour}');
  });

  it('a summary that can exceed 139 characters when filled', () => {
    expect(
      errorOf((d) => {
        d.text.summary.lipidsStale = `Lipids last measured {date} ${'x'.repeat(120)}`;
      }),
    ).toContain('<file>: text.summary.lipidsStale: up to 152 characters when filled (max 139)');
  });

  it('a rule without a PCE band whose summary uses the risk', () => {
    expect(
      errorOf((d) => {
        nth(d.statin.rules, 2).summary = 'Diabetes, risk {risk}';
      }),
    ).toContain('<file>: statin.rules[2].summary: unknown placeholder {risk} (allowed: {ldl})');
  });

  it('a statin draft whose display is not the RxNorm name', () => {
    expect(
      errorOf((d) => {
        d.statin.medications.moderate.coding.display = 'atorvastatin 20 mg tab';
      }),
    ).toContain(
      '<file>: statin.medications.moderate.coding.display: "atorvastatin 20 mg tab" ≠ RxNorm name "atorvastatin 20 MG Oral Tablet"',
    );
  });

  it('a statin draft coded with a product that is not a statin', () => {
    const map = JSON.parse(
      readFileSync(join(cardsDir(), '..', 'models', 'rxnorm-ingredients.json'), 'utf8'),
    ) as {
      entries: { code: string; display: string }[];
    };
    const other = map.entries.find((e) => !e.display.toLowerCase().includes('statin'));
    if (other === undefined) throw new Error('no non-statin product in the map');
    expect(
      errorOf((d) => {
        d.statin.medications.high.coding = {
          system: d.statin.medications.high.coding.system,
          code: other.code,
          display: other.display,
        };
      }),
    ).toContain(
      `<file>: statin.medications.high.coding: RxNorm ${other.code} is not in the statin value set`,
    );
  });

  it('an unknown RxNorm code', () => {
    expect(
      errorOf((d) => {
        d.statin.medications.high.coding.code = '999999999';
      }),
    ).toContain(
      '<file>: statin.medications.high.coding: RxNorm 999999999 is not in models/rxnorm-ingredients.json',
    );
  });

  it('a band without its policy, and a rule naming an unknown band', () => {
    const message = errorOf((d) => {
      delete d.pce.bandPolicy.high;
      nth(d.statin.rules, 4).when.pceBands = ['moderate'];
    });
    expect(message).toContain('<file>: pce.bandPolicy: no policy for band "high"');
    expect(message).toContain('<file>: statin.rules[4].when.pceBands: unknown band "moderate"');
  });

  it('bands with a gap (schema)', () => {
    expect(
      errorOf((d) => {
        nth(d.pce.bands, 1).max = 0.07;
      }),
    ).toContain('<file>: pce.bands[1].max: bands must be contiguous');
  });

  it('an override reason without display (schema)', () => {
    expect(
      errorOf((d) => {
        delete (nth(d.cards['cv-risk'].overrideReasons, 0) as { display?: string }).display;
      }),
    ).toMatch(/<file>: cards\.cv-risk\.overrideReasons\[0\]\.display: /);
  });

  it('a band indicator that disagrees with the one indicator policy', () => {
    expect(
      errorOf((d) => {
        const band = d.pce.bands[3];
        if (band !== undefined) band.indicator = 'warning';
      }),
    ).toContain(
      '<file>: pce.bands[3].indicator: "warning" disagrees with cards/indicator-policy.json (context → info)',
    );
  });

  it('a supporting input bound to an unknown value set', () => {
    expect(
      errorOf((d) => {
        const input = d.supportingInputs[1];
        if (input?.fhir.source === 'derived') input.fhir.preferValueSet = 'loinc-ldl-typo';
      }),
    ).toContain('<file>: supportingInputs[1].fhir.preferValueSet: unknown value set "loinc-ldl-typo"');
  });
});
