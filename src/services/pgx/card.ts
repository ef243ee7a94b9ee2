/**
 * A PGx finding for one draft order → CDS Hooks card parts: summary (≤ 139), Markdown detail with the
 * genotype → phenotype reasoning, result date and source, the CPIC recommendation and its strength,
 * the guideline and its version; suggestions (replace, remove, reduce dose, order the test) and the
 * override reasons from cards/pgx/cards.json.
 */
import { indicatorFor } from '../../cards/indicator-policy.js';
import type { MedicationRequest } from 'fhir/r4.js';
import { render } from '../../cards/data.js';
import { joinSections, section, type CardParts } from '../../cards/build.js';
import type { Finding } from '../../pgx/recommend.js';
import type { GeneStatus } from '../../pgx/results.js';
import type { PgxTables } from '../../pgx/tables.js';
import type { DrugMatch } from '../../pgx/drugs.js';
import type { ReplaceStyle } from '../../config/schema.js';
import { createAlternative, deleteDraft, reducedDraft, replaceDraft, testRequest } from './suggestions.js';

type Suggestion = NonNullable<CardParts['suggestions']>[number];

/** "CYP2C19 *2/*2 → poor metabolizer (genotype; Observation/g1, 2023-06-01)". */
export function reasoning(s: GeneStatus): string {
  if (s.status === 'untested') return `${s.gene}: no result on file`;
  if (s.status === 'uninterpretable')
    return `${s.gene}: result on file could not be interpreted (${s.sources.join(', ') || 'Observation'})`;
  const from =
    s.basis === 'genotype'
      ? `${s.diplotype ?? ''}${s.activityScore === undefined ? '' : ` (activity score ${String(s.activityScore)})`} → `
      : 'reported phenotype: ';
  return `${s.gene} ${from}${s.label} (${s.source ?? 'Observation'}, ${s.date?.slice(0, 10) ?? 'undated'})`;
}

/** `clopidogrel` → `Clopidogrel`, for a card summary. */
export const drugName = (d: string): string => d.charAt(0).toUpperCase() + d.slice(1);

function citationLine(f: Finding): string {
  const g = f.guideline;
  return `${g.citation.text} Guideline version: ${g.guidelineVersion} (${g.guidelineDate}).${g.citation.url === undefined ? '' : ` ${g.citation.url}`}`;
}

function testSuggestion(
  tables: PgxTables,
  f: Finding,
  order: MedicationRequest,
  genes: readonly string[],
): Suggestion {
  const labels = tables.files.cards.labels;
  return {
    label: render(labels.test, { genes: genes.join(' + ') }),
    actions: [
      {
        type: 'create',
        description: render(labels.testAction, { genes: genes.join(' + ') }),
        resource: testRequest(tables, genes, order.subject, f.drug),
      },
    ],
  };
}

/** The actions replacing `order` with alternative `id`, in the site's style (`suggestions.replaceStyle`). */
function replaceActions(
  tables: PgxTables,
  order: MedicationRequest,
  id: string,
  style: ReplaceStyle,
  words: { drug: string; short: string; alternative: string; dosage: string },
): NonNullable<Suggestion['actions']> | undefined {
  const labels = tables.files.cards.labels;
  if (style === 'update') {
    const update = replaceDraft(tables, order, id, render(labels.replaceAction, words));
    return update === undefined ? undefined : [update];
  }
  const create = createAlternative(tables, order, id, render(labels.createAction, words));
  return create === undefined ? undefined : [deleteDraft(order, render(labels.cancelAction, words)), create];
}

function actionSuggestions(
  tables: PgxTables,
  f: Extract<Finding, { kind: 'actionable' }>,
  order: MedicationRequest,
  style: ReplaceStyle,
): Suggestion[] {
  const labels = tables.files.cards.labels;
  const action = f.row.action;
  const short = f.row.short ?? '';
  const drug = f.drug;
  if (action === undefined) return [];
  switch (action.kind) {
    case 'cancel':
      return [
        {
          label: render(labels.cancel, { drug }),
          actions: [deleteDraft(order, render(labels.cancelAction, { drug, short }))],
        },
      ];
    case 'replace':
      return action.alternatives.flatMap((id) => {
        const alt = tables.alternatives.get(id);
        if (alt === undefined) return [];
        const words = { drug, short, alternative: alt.display, dosage: alt.dosage };
        const actions = replaceActions(tables, order, id, style, words);
        return actions === undefined
          ? []
          : [{ label: render(labels.replace, { drug, alternative: alt.display }), actions }];
      });
    case 'dose': {
      const reduced = action.factor === undefined ? undefined : reducedDraft(order, action.factor);
      if (reduced === undefined) return [];
      return [
        {
          label: render(labels.dose, { drug, dose: reduced.dose }),
          actions: [
            {
              type: 'update',
              description: render(labels.doseAction, { drug, dose: reduced.dose, short }),
              resource: reduced.resource,
            },
          ],
        },
      ];
    }
  }
}

function alternativeCautions(tables: PgxTables, f: Extract<Finding, { kind: 'actionable' }>): string[] {
  if (f.row.action?.kind !== 'replace') return [];
  return f.row.action.alternatives.flatMap((id) => {
    const caution = tables.alternatives.get(id)?.caution;
    return caution === undefined ? [] : [caution];
  });
}

/** Card parts for a finding about `order`, or undefined for a normal result with nothing to review. */
export function findingCardParts(
  tables: PgxTables,
  f: Finding,
  order: MedicationRequest,
  match: DrugMatch,
  orderNotes: readonly string[] = [],
  replaceStyle: ReplaceStyle = 'update',
): CardParts | undefined {
  const cards = tables.files.cards;
  const drug = drugName(f.drug);
  const genes = f.guideline.genes.join(' + ');
  const untested = f.genes.filter((s) => s.status === 'untested').map((s) => s.gene);
  const notes = [
    ...f.warnings,
    ...orderNotes,
    ...(match.byText
      ? [`Order matched to ${f.drug} by its name ("${match.ordered}"), not by an RxNorm code`]
      : []),
  ];
  const common = {
    source: f.guideline.source,
    detail: '',
  };
  const reasoningSection = section('Genotype → phenotype', f.genes.map(reasoning));
  switch (f.kind) {
    case 'normal':
      if (f.warnings.length === 0) return undefined;
      return {
        ...common,
        summary: render(cards.summaries.uninterpretable, { drug, gene: genes }),
        indicator: indicatorFor('cannot-estimate'),
        detail: joinSections([reasoningSection, section('Review', notes), `**Source:** ${citationLine(f)}`]),
        overrideReasons: cards.overrideReasons.finding,
      };
    case 'actionable': {
      const strength = cards.strengthWords[f.row.strength];
      const suggestions = [
        ...actionSuggestions(tables, f, order, replaceStyle),
        ...(untested.length > 0 ? [testSuggestion(tables, f, order, untested)] : []),
      ];
      return {
        ...common,
        summary: render(cards.summaries.finding, {
          drug,
          gene: f.matched.map((m) => m.gene).join(' + '),
          phenotype: f.matched.map((m) => m.label).join(' + '),
          short: f.row.short ?? '',
        }),
        indicator: indicatorFor(f.row.situation ?? 'action-recommended'),
        detail: joinSections([
          reasoningSection,
          `**CPIC recommendation** (${strength}): ${f.row.recommendation}`,
          f.guideline.scope === undefined ? '' : `**Scope:** ${f.guideline.scope}`,
          section('Alternatives', alternativeCautions(tables, f)),
          untested.length > 0 ? `**Not tested:** ${untested.join(', ')} — ${f.guideline.test}` : '',
          section('Notes', notes),
          `**Source:** ${citationLine(f)}`,
        ]),
        ...(suggestions.length > 0 ? { suggestions, selectionBehavior: 'at-most-one' as const } : {}),
        overrideReasons: cards.overrideReasons.finding,
      };
    }
    case 'untested':
      return {
        ...common,
        summary: render(cards.summaries.untested, { drug, genes: f.missing.join(' + ') }),
        indicator: indicatorFor('action-to-consider'),
        detail: joinSections([
          reasoningSection,
          `**What a result would change:** ${f.guideline.test}`,
          section('Notes', notes),
          `**Source:** ${citationLine(f)}`,
        ]),
        suggestions: [testSuggestion(tables, f, order, f.missing)],
        selectionBehavior: 'at-most-one',
        overrideReasons: cards.overrideReasons.test,
      };
    case 'uninterpretable':
      return {
        ...common,
        summary: render(cards.summaries.uninterpretable, { drug, gene: genes }),
        // The card carries the action (a test to make the genotype interpretable).
        indicator: indicatorFor('action-recommended'),
        detail: joinSections([
          reasoningSection,
          section('Why', f.reasons),
          `**What a result would change:** ${f.guideline.test}`,
          section(
            'Notes',
            notes.filter((n) => !f.reasons.includes(n)),
          ),
          `**Source:** ${citationLine(f)}`,
        ]),
        overrideReasons: cards.overrideReasons.finding,
      };
  }
}
