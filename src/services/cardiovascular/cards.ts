/**
 * Assessment → the cards to show, before suppression and links: at most one cardiovascular card (the
 * PCE band, or the severe-LDL pathway; carrying the statin draft when the guideline supports one) and
 * the quiet lipid-panel card. Wording from the card data; the Markdown detail carries what a physician
 * needs to act in 10 seconds: the guideline's reading of the band, the LDL-C (reported, calculated by
 * Augur, or why it is missing), the top contributing inputs under the named reference, flagged inputs,
 * and where the rest is (PREVENT, every input and the citations live in the side app).
 */
import type { CardParts } from '../../cards/build.js';
import type { Indicator } from '../../cds/types.js';
import {
  describeInput,
  formatNumber,
  inputFlags,
  undated,
  percent,
  section,
  joinSections,
  topFactors,
  comparedWith,
} from '../../cards/build.js';
import { render } from '../../cards/data.js';
import { indicatorFor } from '../../cards/indicator-policy.js';
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
  // One card: a risk card that asks for the missing LDL-C carries the lipid-panel order itself.
  const lipids = main !== undefined && ldlNeeded(a) ? undefined : lipidCard(a, cards, o);
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
  const orderLipids = ldlNeeded(a) && !o.disabled.has('cv-lipids-missing');
  const detail = joinSections([
    head.meaning,
    showPceLine ? pceLine(a, cards) : '',
    ldlSection(a, cards),
    statinLines(a, cards),
    factorSection(a, cards),
    flagSection(a, cards),
    cards.text.detail.moreInApp,
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
      ...(orderLipids
        ? {
            selectionBehavior: 'at-most-one' as const,
            suggestions: [
              {
                label: cards.lipids.order.label,
                isRecommended: true,
                actions: [lipidPanelAction(o.patientId, head.summary, cards)],
              },
            ],
          }
        : {}),
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
      indicator: indicatorFor(offer?.rule.situation ?? cards.severeLdl.situation),
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
      indicator: indicatorFor(offer.rule.situation),
      ...(band === undefined ? {} : { band: band.id }),
    };
  }
  if (band === undefined || policy?.show !== true) return undefined;
  if (a.onStatin && !cards.pce.showWhenOnStatin) return undefined;
  if (ldlNeeded(a)) {
    return {
      key: `cv-risk:pce=${band.id};ldl=missing`,
      summary: render(t.pceLdlMissing, pceVars),
      // No band advice ("start a statin …") above a detail that says the statin rules could not be
      // applied: the two would contradict each other. The summary carries the band; the LDL-C section why.
      meaning: '',
      indicator: indicatorFor('cannot-estimate'),
      band: band.id,
    };
  }
  return {
    key: `cv-risk:pce=${band.id}`,
    summary: render(t.pce, pceVars),
    meaning: policy.meaning,
    indicator: indicatorFor('context'),
    band: band.id,
  };
}

/**
 * Only LDL-C is missing — total and HDL cholesterol are on file, so the risk was estimated, but no
 * LDL-C was reported and none could be calculated: the risk card says so and carries the lipid order.
 */
function ldlNeeded(a: Assessment): boolean {
  const l = a.lipids;
  return !a.severeLdl && l.status === 'missing' && l.missing.every((m) => m === LDL);
}

const LDL = 'ldl_cholesterol_mg_dl';
/** The first note of an input's provenance that starts with `prefix` (notes are joined by "; "). */
const noteStarting = (note: string | undefined, prefix: string): string | undefined =>
  note?.split('; ').find((n) => n.startsWith(prefix));

/**
 * The LDL-C line: the lab's value when a statin rule or the severe pathway read it; a calculated value
 * flagged "calculated by Augur (Sampson/NIH)" with its source results; or why it is missing.
 */
function ldlSection(a: Assessment, cards: CardiovascularCards): string {
  const d = cards.text.detail;
  const ldl = a.supporting[LDL];
  if (ldl === undefined) return '';
  if (ldl.value === null) {
    if (a.severeLdl) return '';
    const why = noteStarting(ldl.note, 'no LDL-C reported');
    return why === undefined ? d.ldlMissing : render(d.ldlNotCalculated, { why: capitalised(why) });
  }
  if (ldl.flags.includes('derived')) {
    // On the card the source results' values and dates; their resource ids are in the side app and trace.
    const how = (noteStarting(ldl.note, 'calculated by') ?? 'calculated by Augur').replace(
      /\([A-Z][A-Za-z]+\/[^,)]+, /g,
      '(',
    );
    return render(d.ldlCalculated, { ldl: `${formatNumber(ldl.value as number)} mg/dL`, how });
  }
  return a.severeLdl || a.statin !== undefined ? render(d.ldlLine, { ldl: describeInput(ldl) }) : '';
}

const capitalised = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

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

/**
 * Flagged inputs of the PCE (the number on the card) and a present LDL-C, each named once. PREVENT's
 * own inputs (UACR, HbA1c…) are flagged in the side app, where PREVENT is shown.
 */
function flagSection(a: Assessment, cards: CardiovascularCards): string {
  const merged: Record<string, InputProvenance> = {};
  if (a.runs.pce.status !== 'not-applicable') Object.assign(merged, a.runs.pce.inputs);
  const ldl = a.supporting[LDL];
  if (ldl !== undefined && ldl.value !== null) merged[LDL] = ldl;
  return section(cards.text.detail.checkTitle, inputFlags(merged, cards.labels));
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
  if (fhir?.source !== 'observation' && fhir?.source !== 'derived')
    throw new Error('LDL-C input is neither an observation nor derived'); // checked at load
  return fhir;
}
const lipidLookbackDays = (cards: CardiovascularCards): number => ldlBinding(cards).lookbackDays;
const staleAfterDays = (cards: CardiovascularCards): number => ldlBinding(cards).staleAfterDays;
