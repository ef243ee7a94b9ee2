/** Code-system URIs and the normalisation applied before comparing codes. */

export const SYSTEMS = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  ucum: 'http://unitsofmeasure.org',
  hgnc: 'http://www.genenames.org/geneId',
  pharmvar: 'http://www.pharmvar.org',
  ombRace: 'urn:oid:2.16.840.1.113883.6.238',
} as const;

/** The same code systems written as HL7 OIDs (HL7 OID registry), as some EHR exports do. */
const SYSTEM_ALIASES: Readonly<Record<string, string>> = {
  'urn:oid:2.16.840.1.113883.6.1': SYSTEMS.loinc,
  'urn:oid:2.16.840.1.113883.6.96': SYSTEMS.snomed,
  'urn:oid:2.16.840.1.113883.6.90': SYSTEMS.icd10cm,
  'urn:oid:2.16.840.1.113883.6.88': SYSTEMS.rxnorm,
  'http://snomed.info/sct/': SYSTEMS.snomed,
};

export function normalizeSystem(system: string): string {
  const s = system.trim();
  return SYSTEM_ALIASES[s] ?? s;
}

/** ICD-10-CM codes are compared without the dot and in upper case (E11.9 ≡ E119); others trimmed. */
export function normalizeCode(system: string, code: string): string {
  const c = code.trim();
  return system === SYSTEMS.icd10cm ? c.replace(/\./g, '').toUpperCase() : c;
}
