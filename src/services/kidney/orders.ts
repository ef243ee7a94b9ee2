/**
 * What is already ordered: an open nephrology referral, an open urine ACR order (ServiceRequests that
 * are active, on hold or still draft), matched by code or — for referrals, often coded locally — by
 * the words of the order. Pure.
 */
import type { Coding, ServiceRequest } from 'fhir/r4.js';
import type { FhirResource } from '../../features/types.js';
import { referenceOf } from '../../features/types.js';
import { normalizeCode, normalizeSystem } from '../../features/systems.js';
import type { KidneyCards } from './data.js';

const OPEN = new Set(['active', 'on-hold', 'draft']);

export interface OpenOrder {
  ref: string;
  text: string;
  date?: string;
}

const key = (c: { system?: string | undefined; code?: string | undefined }): string => {
  const s = normalizeSystem(c.system ?? '');
  return `${s}|${normalizeCode(s, c.code ?? '')}`;
};

function textOf(sr: ServiceRequest): string[] {
  return [
    ...(sr.code?.text === undefined ? [] : [sr.code.text]),
    ...(sr.code?.coding ?? []).flatMap((c) => (c.display === undefined ? [] : [c.display])),
  ];
}

function find(
  resources: readonly FhirResource[],
  codes: readonly Coding[],
  pattern?: RegExp,
): OpenOrder | undefined {
  const wanted = new Set(codes.map(key));
  for (const r of resources) {
    if (r.resourceType !== 'ServiceRequest' || !OPEN.has(r.status)) continue;
    const coded = (r.code?.coding ?? []).some((c) => wanted.has(key(c)));
    const texts = textOf(r);
    if (!coded && (pattern === undefined || !texts.some((t) => pattern.test(t)))) continue;
    const date = r.authoredOn;
    return {
      ref: referenceOf(r) ?? 'ServiceRequest',
      text: texts[0] ?? r.code?.coding?.[0]?.code ?? 'order',
      ...(date === undefined ? {} : { date: date.slice(0, 10) }),
    };
  }
  return undefined;
}

export function openOrders(data: KidneyCards, resources: readonly FhirResource[]) {
  return {
    referral: find(resources, data.referral.codes, new RegExp(data.referral.textPattern, 'i')),
    acr: find(resources, data.acr.codes),
  };
}
