/**
 * Assessment → the cards to show, before suppression and links: at most one cardiovascular card (the
 * PCE band, or the severe-LDL pathway; carrying the statin draft when the guideline supports one) and
 * the quiet lipid-panel card. Wording from the card data; the Markdown detail lists the guideline's
 * reading of the band, the top contributing inputs, flagged inputs, PREVENT as context, and the models.
 */
import type { CardParts } from '../../cards/build.js';
import type { Indicator } from '../../cds/types.js';
import {
  describeInput,
  inputFlags,
  modelLine,
  percent,
  section,
  joinSections,
  topFactors,
  comparedWith,
} from '../../cards/build.js';
import { render } from '../../cards/data.js';
import type { ModelRun } from '../../cards/run-model.js';
import type { InputProvenance } from '../../features/types.js';
import type { Assessment, LipidStatus, StatinPlan } from './assess.js';
import type { CardId, CardiovascularCards } from './card-data.js';
import { lipidPanelAction, statinAction } from './orders.js';

export interface PlannedCard {
  id: CardId;
  /** Suppression key: carries the band (or pathway), so an override holds while it is unchanged. */
  key: string;
  band?: string;
  parts: Omit<CardParts, 'links'>;
  /** `modelId@version` of each model that produced a number behind the card. */
  models: string[];
}

export interface PlanOptions {
  patientId: string;
  /** Card ids the site switched off. */
  disabled: ReadonlySet<string>;
}

const DAYS_PER_YEAR = 365;

export function planCards(a: Assessment, cards: CardiovascularCards, o: PlanOptions): PlannedCard[] {
  const main = mainCard(a, cards, o);
  const lipids = lipidCard(a, cards, o);
  return [...(main === undefined ? [] : [main]), ...(lipids === undefined ? [] : [lipids])];
}

const okModels = (a: Assessment): string[] =>
  [a.runs.pce, ...a.runs.prevent.map((p) => p.run)]
    .filter((r) => r.status === 'ok')
    .map((r) => `${r.model.id}@${r.model.version}`);

function mainCard(a: Assessment, cards: CardiovascularCards, o: PlanOptions): PlannedCard | undefined {
  const draftsOn = !o.disabled.has('cv-statin-suggestion');
  const offer = a.statin !== undefined && a.statin.withheld === undefined && draftsOn ? a.statin : undefined;
  const id: CardId = offer === undefined ? 'cv-risk' : 'cv-statin-suggestion';
  if (o.disabled.has(id)) return undefined;
  const head = headline(a, cards, offer);
  if (head === undefined) return undefined;
  const showPceLine = offer !== undefined && offer.rule.when.pceBands === undefined;
  const detail = joinSections([
    head.meaning,
    showPceLine ? pceLine(a, cards) : '',
    a.severeLdl || a.statin !== undefined ? ldlLine(a, cards) : '',
    statinLines(a, cards),
    factorSection(a, cards),
    flagSection(a, cards),
    preventSection(a, cards),
    section(cards.text.detail.modelsTitle, modelLines(a)),
  ]);
  return {
    id,
    key: head.key,
    ...(head.band === undefined ? {} : { band: head.band }),
    models: okModels(a),
    parts: {
      summary: head.summary,
      indicator: head.indicator,
      detail,
      source: cards.cards[id].source,
      overrideReasons: cards.cards[id].overrideReasons,
      ...(offer === undefined
        ? {}
        : {
            selectionBehavior: 'at-most-one' as const,
            suggestions: [
              {
                label: offer.draft.label,
                isRecommended: true,
                actions: [statinAction(o.patientId, offer.rule, offer.draft, cards)],
              },
            ],
          }),
    },
  };
}

interface Headline {
  /** Carries the band (or pathway): an override holds while it is unchanged. */
  key: string;
  summary: string;
  meaning: string;
  indicator: Indicator;
  band?: string;
}

/**
 * What the card leads with: the severe-LDL pathway, else the statin rule on offer, else the PCE band
 * (when its policy shows it). Undefined: no card.
 */
function headline(
  a: Assessment,
  cards: CardiovascularCards,
  offer: StatinPlan | undefined,
): Headline | undefined {
  const t = cards.text.summary;
  const ldlValue = a.supporting['ldl_cholesterol_mg_dl']?.value;
  const ldl = typeof ldlValue === 'number' ? Math.round(ldlValue) : '?';
  if (a.severeLdl) {
    if (offer === undefined && a.onStatin && !cards.severeLdl.showWhenOnStatin) return undefined;
    return {
      key: offer === undefined ? 'cv-risk:ldl=severe' : `cv-risk:ldl=severe;statin=${offer.rule.intensity}`,
      summary:
        offer === undefined
          ? render(t.severeLdl, { ldl, threshold: cards.severeLdl.minMgDl })
          : render(offer.rule.summary, { ldl }),
      meaning: cards.severeLdl.meaning,
      indicator: offer?.rule.indicator ?? cards.severeLdl.indicator,
    };
  }
  const band = a.band;
  const pceVars =
    band === undefined || a.pceRisk === undefined ? {} : { risk: percent(a.pceRisk), band: band.label };
  const policy = band === undefined ? undefined : cards.pce.bandPolicy[band.id];
  if (offer !== undefined) {
    const banded = offer.rule.when.pceBands !== undefined;
    const base = band === undefined ? `cv-risk:rule=${offer.rule.id}` : `cv-risk:pce=${band.id}`;
    return {
      key: `${base};statin=${offer.rule.intensity}`,
      summary: render(offer.rule.summary, { ldl, ...pceVars }),
      meaning: banded ? (policy?.meaning ?? '') : '',
      indicator: offer.rule.indicator,
      ...(band === undefined ? {} : { band: band.id }),
    };
  }
  if (band === undefined || policy?.show !== true) return undefined;
  if (a.onStatin && !cards.pce.showWhenOnStatin) return undefined;
  return {
    key: `cv-risk:pce=${band.id}`,
    summary: render(t.pce, pceVars),
    meaning: policy.meaning,
    indicator: band.indicator,
    band: band.id,
  };
}

/** The LDL-C a statin rule or the severe pathway read, with its unit and date. */
function ldlLine(a: Assessment, cards: CardiovascularCards): string {
  const ldl = a.supporting['ldl_cholesterol_mg_dl'];
  return ldl === undefined || ldl.value === null
    ? ''
    : render(cards.text.detail.ldlLine, { ldl: describeInput(ldl) });
}

function pceLine(a: Assessment, cards: CardiovascularCards): string {
  if (a.band === undefined || a.pceRisk === undefined) return '';
  return render(cards.text.detail.pceLine, { risk: percent(a.pceRisk), band: a.band.label });
}

/** The guideline line when a draft is offered; otherwise why none is (when a rule matched). */
function statinLines(a: Assessment, cards: CardiovascularCards): string {
  const d = cards.text.detail;
  const lines: string[] = [];
  if (a.statin !== undefined)
    lines.push(render(d.recommendation, { recommendation: a.statin.rule.recommendation }));
  if (a.statin?.withheld === 'stale-lipids') lines.push(d.statinWithheldStaleLipids);
  if (a.statin?.withheld === 'medications-unknown') lines.push(d.statinWithheldMedsUnknown);
  if (a.onStatin && !a.severeLdl) lines.push(cards.pce.onStatinNote);
  if (!a.severeLdl && a.supporting['ldl_cholesterol_mg_dl']?.value === null) lines.push(d.ldlMissing);
  return lines.join('\n\n');
}

function factorSection(a: Assessment, cards: CardiovascularCards): string {
  const pce = a.runs.pce;
  if (pce.status !== 'ok') return '';
  const labels = Object.fromEntries(
    cards.factorInputs.flatMap((name) => {
      const l = cards.labels[name];
      return l === undefined ? [] : [[name, l] as const];
    }),
  );
  return section(
    `${cards.text.detail.factorsTitle} ${comparedWith(pce, cards.pce.output)}:`,
    topFactors(pce, cards.pce.output, labels, 3),
  );
}

/** Flagged inputs of every run that read inputs, plus the supporting LDL-C, each named once. */
function flagSection(a: Assessment, cards: CardiovascularCards): string {
  const merged: Record<string, InputProvenance> = {};
  for (const r of [a.runs.pce, ...a.runs.prevent.map((p) => p.run)])
    if (r.status !== 'not-applicable') Object.assign(merged, r.inputs);
  const ldl = a.supporting['ldl_cholesterol_mg_dl'];
  if (ldl !== undefined) merged['ldl_cholesterol_mg_dl'] = ldl;
  return section(cards.text.detail.checkTitle, inputFlags(merged, cards.labels));
}

function preventSection(a: Assessment, cards: CardiovascularCards): string {
  const d = cards.text.detail;
  const lines = a.runs.prevent.flatMap(({ horizon, run }) => {
    if (run.status === 'ok') {
      const risks = cards.prevent.outputs
        .flatMap((out) => {
          const v = run.outputs[out.name];
          return v === undefined ? [] : [`${out.label} ${percent(v)}`];
        })
        .join(', ');
      const code = String(run.outputs['variant'] ?? 0);
      const variant = cards.prevent.variants[code] ?? `variant ${code}`;
      return [render(d.preventLine, { horizon, risks, variant })];
    }
    if (run.status === 'insufficient-data') {
      const inputs = run.missing.map((m) => cards.labels[m] ?? m).join(', ');
      return [render(d.notEstimated, { model: horizon, inputs })];
    }
    return []; // Not applicable (e.g. 30-year above 59): kept in the stored result, not shown.
  });
  if (lines.length === 0) return '';
  return section(d.preventTitle, [cards.prevent.contextNote, ...lines]);
}

function modelLines(a: Assessment): string[] {
  const runs: ModelRun[] = [a.runs.pce, ...a.runs.prevent.map((p) => p.run)];
  return runs.filter((r) => r.status === 'ok').map(modelLine);
}

function lipidCard(a: Assessment, cards: CardiovascularCards, o: PlanOptions): PlannedCard | undefined {
  if (o.disabled.has('cv-lipids-missing')) return undefined;
  const l = a.lipids;
  if (l.status !== 'missing' && l.status !== 'stale') return undefined;
  const t = cards.text;
  const years = Math.round(lipidLookbackDays(cards) / DAYS_PER_YEAR);
  const summary =
    l.status === 'missing'
      ? l.missing.length === cards.lipids.inputs.length
        ? render(t.summary.lipidsMissingAll, { years })
        : render(t.summary.lipidsMissing, {
            missing: l.missing.map((m) => cards.lipids.names[m] ?? m).join(' or '),
            years,
          })
      : render(t.summary.lipidsStale, { date: l.lastDate });
  const def = cards.cards['cv-lipids-missing'];
  return {
    id: 'cv-lipids-missing',
    key: l.status === 'missing' ? 'cv-lipids:missing' : `cv-lipids:stale-since=${l.lastDate}`,
    models: okModels(a),
    parts: {
      summary,
      indicator: 'info',
      detail: joinSections([t.detail.lipidsWhy, section(t.detail.checkTitle, lipidLines(l, cards, years))]),
      source: def.source,
      overrideReasons: def.overrideReasons,
      selectionBehavior: 'at-most-one',
      suggestions: [
        {
          label: cards.lipids.order.label,
          isRecommended: true,
          actions: [lipidPanelAction(o.patientId, summary, cards)],
        },
      ],
    },
  };
}

const undated = ({ date: _date, ...rest }: InputProvenance): InputProvenance => rest;

const labelOf = (cards: CardiovascularCards, name: string): string => cards.labels[name] ?? name;

function lipidLines(l: LipidStatus, cards: CardiovascularCards, years: number): string[] {
  const d = cards.text.detail;
  if (l.status === 'missing')
    return l.missing.map((m) => render(d.lipidsMissingLine, { label: labelOf(cards, m), years }));
  if (l.status !== 'stale') return [];
  const staleAfter = staleAfterDays(cards);
  return l.stale.map(({ name, p }) =>
    render(d.lipidsStaleLine, {
      label: labelOf(cards, name),
      value: describeInput(undated(p)),
      date: p.date?.slice(0, 10) ?? '',
      days: staleAfter,
    }),
  );
}

/** The lipid windows are the supporting LDL-C input's (the same as the models' TC and HDL). */
function ldlBinding(cards: CardiovascularCards): { lookbackDays: number; staleAfterDays: number } {
  const fhir = cards.supportingInputs.find((s) => s.name === 'ldl_cholesterol_mg_dl')?.fhir;
  if (fhir?.source !== 'observation') throw new Error('LDL-C input is not an observation'); // checked at load
  return fhir;
}
const lipidLookbackDays = (cards: CardiovascularCards): number => ldlBinding(cards).lookbackDays;
const staleAfterDays = (cards: CardiovascularCards): number => ldlBinding(cards).staleAfterDays;
