/** The side app's HTI-1 section: grouped rows with human labels, reasons, and missing attributes named. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceAttributesView } from '../../../smart-launch/src/app/source-attributes-view.js';
import { resolveSourceAttributes } from '../../../src/transparency/resolve.js';
import { LOCAL_MONITORING } from '../../../src/transparency/local-monitoring.js';
import { BYO, REPO, model } from '../../models/helpers.js';

describe('source attributes view', () => {
  it('groups a built-in card’s 31 attributes in the rule’s nine groups, none missing', async () => {
    const m = await model(join(REPO, 'models', 'kfre-4v'));
    const view = sourceAttributesView(m.sourceAttributes);
    expect(view?.groups.map((g) => g.group)).toEqual([
      'Details and output',
      'Purpose',
      'Cautioned out-of-scope use',
      'Development details and input features',
      'Fairness in development',
      'External validation',
      'Quantitative performance',
      'Ongoing maintenance',
      'Update schedule',
    ]);
    expect(view?.title).toMatch(/all answered/);
    expect(view?.missingNote).toBe('');
    const local = view?.groups[7]?.rows.find((r) => r.id === '(B)(8)(ii)');
    expect(local?.label).toBe('Validity on local data');
    expect(local?.text).toMatch(/^Not available: Augur never receives the outcomes/);
  });

  it('names what a bring-your-own model does not state', async () => {
    const m = await model(BYO);
    const view = sourceAttributesView(resolveSourceAttributes(m.manifest, undefined, LOCAL_MONITORING));
    expect(view?.title).toMatch(/\d+ missing$/);
    expect(view?.missingNote).toContain('Developer and contact');
    expect(view?.missingNote).toContain('Funding source');
    const row = view?.groups[0]?.rows[0];
    expect(row).toMatchObject({ label: 'Developer and contact', status: 'missing' });
  });

  it('is absent when the card carries no attributes', () => {
    expect(sourceAttributesView(undefined)).toBeUndefined();
  });
});
