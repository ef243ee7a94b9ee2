/**
 * The page: read the patient's data with the app's token, run every model through the same
 * pre-evaluation step as the cards and Augur's evaluate API, and render — the card's stored result
 * beside the live one when launched from a card, then every applicable model, trends and PGx.
 */
import rxnormIngredients from '../../../models/rxnorm-ingredients.json';
import valueSetsJson from '../../../models/valuesets.json';
import { resolveMedicationClass } from '../../../src/features/medications.js';
import { getValueSet, loadValueSets } from '../../../src/features/valuesets.js';
import type { ResultPayload } from '../../../src/cards/result.js';
import type { AugurSession } from '../session/index.js';
import { AugurApi } from './augur-api.js';
import { runLive } from './compute.js';
import { h, replaceChildren } from './dom.js';
import { loadPatientData } from './fhir-data.js';
import { dateTimeText } from './format.js';
import { labelOf } from './labels.js';
import { storedPgx } from './pgx-view.js';
import { selectModels, WARFARIN_VALUE_SET, warfarinUse, type Omitted } from './model-selection.js';
import { summaryText } from './render/headline.js';
import { sharedInputs, sharedInputsTable } from './render/inputs-table.js';
import { modelSection, notApplicableList, sectionId, type StatinUse } from './render/model.js';
import { patientBanner } from './render/patient.js';
import { pgxSection } from './render/pgx.js';
import { storedComparison } from './render/stored.js';
import { storedSurvival } from './render/survival-curve.js';
import { trendsSection } from './render/trends.js';
import { trendSeries } from './trends.js';
import type { ModelCard, ModelRun } from './types.js';

const VALUE_SETS = loadValueSets(valueSetsJson, { rxnormIngredients });

/** An active statin order or statement (value set `statin-medications`), if any. */
function statinUse(resources: Parameters<typeof resolveMedicationClass>[0]): StatinUse | undefined {
  const r = resolveMedicationClass(resources, getValueSet(VALUE_SETS, 'statin-medications'));
  return r.value === true ? { source: r.source } : undefined;
}

/** Links to a collapsed section open it (the overview's jump links). */
function openOnJump(root: HTMLElement): void {
  root.addEventListener('click', (e) => {
    const a = e.target instanceof Element ? e.target.closest('a[href^="#"]') : null;
    const id = a?.getAttribute('href')?.slice(1);
    const target = id === undefined || id === '' ? null : document.getElementById(id);
    const details = target instanceof HTMLDetailsElement ? target : target?.querySelector(':scope > details');
    if (details instanceof HTMLDetailsElement) details.open = true;
  });
}

/** A page section whose body is collapsed under its heading. */
function foldedSection(section: HTMLElement): HTMLElement {
  const heading = section.querySelector(':scope > h2');
  if (heading === null) return section;
  const rest = [...section.childNodes].filter((n) => n !== heading);
  const details = h('details', { class: 'fold section-fold' }, h('summary', {}, heading));
  details.append(...rest);
  section.replaceChildren(details);
  return section;
}

function overview(
  models: readonly ModelCard[],
  runs: ReadonlyMap<string, ModelRun>,
  pgxFirst: boolean,
): HTMLElement {
  const items = models.flatMap((m) => {
    const run = runs.get(m.id);
    if (run === undefined || run.status === 'not-applicable') return [];
    const text =
      run.status === 'ok'
        ? summaryText(m, run)
        : run.missing.length === 0
          ? 'no estimate — data missing'
          : `no estimate — ${run.missing.map((n) => labelOf(m, n)).join(', ')} missing`;
    return [
      h(
        'li',
        { 'data-model': m.id },
        h('a', { href: `#${sectionId(m)}` }, m.name),
        ': ',
        h('span', { class: 'overview-value' }, text),
      ),
    ];
  });
  return h(
    'nav',
    { class: 'overview', 'aria-labelledby': 'overview-h' },
    h('h2', { id: 'overview-h' }, 'Results for this patient'),
    items.length === 0 ? h('p', {}, 'No model applies to this patient.') : h('ul', {}, items),
    h(
      'p',
      { class: 'jump' },
      pgxFirst ? '' : [h('a', { href: '#trends' }, 'Trends'), ' · '],
      h('a', { href: '#pgx' }, 'Pharmacogenomics'),
      pgxFirst ? [' · ', h('a', { href: '#trends' }, 'Trends')] : '',
      ' · ',
      h('a', { href: '#not-applicable' }, 'Models that do not apply'),
      ' · ',
      h('a', { href: '#inputs' }, 'Inputs on file'),
    ),
  );
}

/** A section that fails to build says so in place; the rest of the page still renders. */
function safeSection(id: string, title: string, build: () => HTMLElement): HTMLElement {
  try {
    return build();
  } catch (err) {
    return h(
      'section',
      { id, 'aria-labelledby': `${id}-h` },
      h('h2', { id: `${id}-h` }, title),
      h(
        'p',
        { class: 'attention', role: 'alert' },
        `This section could not be shown: ${err instanceof Error ? err.message : 'unexpected error'}.`,
      ),
    );
  }
}

export async function runApp(root: HTMLElement, session: AugurSession): Promise<void> {
  const status = h('p', { class: 'status', role: 'status' }, 'Reading the patient record…');
  replaceChildren(root, patientBanner(session.patient), status);
  const api = new AugurApi(session.augurBase);
  const [models, settings, stored] = await Promise.all([
    api.models(),
    api.siteSettings(),
    session.result().catch((): ResultPayload | undefined => undefined),
  ]);
  // Learned models are never listed (model-selection.ts), so their data is not read either.
  const data = await loadPatientData(
    session,
    models.filter((m) => m.kind !== 'learned'),
    VALUE_SETS,
  );
  const selection = selectModels(models, {
    cardModelIds: stored?.runs.map((r) => r.model.id) ?? [],
    warfarin: warfarinUse(data.resources, getValueSet(VALUE_SETS, WARFARIN_VALUE_SET)),
  });
  status.textContent = 'Computing results…';
  const now = new Date();
  const ctx = { now, settings, valueSets: VALUE_SETS };
  const runs = new Map<string, ModelRun>();
  await Promise.all(
    selection.listed.map(async (m) => {
      runs.set(m.id, await runLive(api, m, data.resources, ctx));
    }),
  );
  const applicable = selection.listed.flatMap((m) => {
    const run = runs.get(m.id);
    return run === undefined || run.status === 'not-applicable' ? [] : [{ model: m, run }];
  });
  const notApplicable = selection.listed.flatMap((m) => {
    const run = runs.get(m.id);
    return run?.status === 'not-applicable' ? [{ model: m, run }] : [];
  });
  const notShown: Omitted[] = selection.omitted.filter((o) => o.mention);
  const fromPgxCard = stored === undefined ? undefined : storedPgx(stored);
  const pgxFirst = fromPgxCard !== undefined;
  const pgxBuilt = safeSection('pgx', 'Pharmacogenomics (CPIC)', () =>
    pgxSection(data.resources, fromPgxCard),
  );
  // Opened from a PGx card, its findings are the headline; otherwise the section is collapsed.
  const pgx = pgxFirst ? pgxBuilt : foldedSection(pgxBuilt);
  const statin = statinUse(data.resources);
  const inputsOnFile = h(
    'section',
    { class: 'inputs-on-file', id: 'inputs', 'aria-labelledby': 'inputs-h' },
    h('h2', { id: 'inputs-h' }, 'Inputs on file'),
    sharedInputsTable(sharedInputs(applicable)),
  );
  replaceChildren(
    root,
    patientBanner(session.patient),
    h(
      'p',
      { class: 'as-of' },
      `Computed now (${dateTimeText(now)}) from the record, with this app's own access.`,
    ),
    data.failed.length === 0
      ? ''
      : h(
          'p',
          { class: 'attention', role: 'alert' },
          `Some data could not be read (${data.failed.map((f) => f.query).join(', ')}): results may be incomplete.`,
        ),
    stored === undefined ? '' : storedComparison(stored, models, runs),
    stored === undefined ? '' : storedSurvival(stored, models),
    pgxFirst ? pgx : '',
    overview(selection.listed, runs, pgxFirst),
    applicable.map(({ model, run }) => modelSection(api, model, run, statin)),
    foldedSection(inputsOnFile),
    foldedSection(trendsSection(trendSeries(selection.listed, data.resources, VALUE_SETS, now), now)),
    pgxFirst ? '' : pgx,
    ((na) => (typeof na === 'string' ? na : foldedSection(na)))(notApplicableList(notApplicable, notShown)),
  );
  openOnJump(root);
  document.documentElement.dataset['app'] = 'ready';
}
