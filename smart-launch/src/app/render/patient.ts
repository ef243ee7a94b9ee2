/** Who this is (so the clinician can confirm the chart): name, sex, birth date — from the launch patient. */
import type { Patient } from 'fhir/r4.js';
import { h } from '../dom.js';
import { dateText } from '../format.js';

function nameOf(p: Patient): string {
  const n = p.name?.find((x) => x.use === 'official') ?? p.name?.[0];
  if (n === undefined) return 'Unnamed patient';
  return n.text ?? [...(n.given ?? []), n.family ?? ''].join(' ').trim();
}

export function patientBanner(p: Patient): HTMLElement {
  const bits = [p.gender, p.birthDate === undefined ? undefined : `born ${dateText(p.birthDate)}`].filter(
    (x): x is string => x !== undefined,
  );
  return h(
    'p',
    { class: 'patient-banner' },
    h('strong', {}, nameOf(p) || 'Unnamed patient'),
    bits.length === 0 ? '' : ` · ${bits.join(' · ')}`,
  );
}
