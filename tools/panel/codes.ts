/**
 * Code systems and the displays of the codes the panel uses (LOINC, SNOMED CT, ICD-10-CM, RxNorm,
 * CDC race and ethnicity). Displays are what a chart shows; Augur matches on system + code only.
 */
import type { Coding, Reference } from 'fhir/r4.js';

/** The clinician every panel order and report names. */
export const PRACTITIONER_ID = 'augur-panel-clinician';
export const PRACTITIONER: Reference = {
  reference: `Practitioner/${PRACTITIONER_ID}`,
  display: 'Dr. Panel Clinician',
};

export const SYSTEM = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  icd10: 'http://hl7.org/fhir/sid/icd-10-cm',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  ucum: 'http://unitsofmeasure.org',
  cdcRace: 'urn:oid:2.16.840.1.113883.6.238',
  obsCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  condCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  condClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  condVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  pharmvar: 'http://www.pharmvar.org',
  hgnc: 'http://www.genenames.org/geneId',
  v2Diagnostic: 'http://terminology.hl7.org/CodeSystem/v2-0074',
  medStatementCategory: 'http://terminology.hl7.org/CodeSystem/medication-statement-category',
  medRequestCategory: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
} as const;

/** LOINC codes used by the panel, with their long common names. */
export const LOINC: Readonly<Record<string, string>> = {
  '2093-3': 'Cholesterol [Mass/volume] in Serum or Plasma',
  '14647-2': 'Cholesterol [Moles/volume] in Serum or Plasma',
  '2085-9': 'Cholesterol in HDL [Mass/volume] in Serum or Plasma',
  '14646-4': 'Cholesterol in HDL [Moles/volume] in Serum or Plasma',
  '13457-7': 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation',
  '18262-6': 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay',
  '22748-8': 'Cholesterol in LDL [Moles/volume] in Serum or Plasma',
  '2571-8': 'Triglyceride [Mass/volume] in Serum or Plasma',
  '14927-8': 'Triglyceride [Moles/volume] in Serum or Plasma',
  '85354-9': 'Blood pressure panel with all children optional',
  '55284-4': 'Blood pressure systolic and diastolic',
  '8480-6': 'Systolic blood pressure',
  '8462-4': 'Diastolic blood pressure',
  '72166-2': 'Tobacco smoking status',
  '39156-5': 'Body mass index (BMI) [Ratio]',
  '8302-2': 'Body height',
  '29463-7': 'Body weight',
  '2160-0': 'Creatinine [Mass/volume] in Serum or Plasma',
  '14682-9': 'Creatinine [Moles/volume] in Serum or Plasma',
  '98979-8':
    'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)',
  '9318-7': 'Albumin/Creatinine [Mass Ratio] in Urine',
  '4548-4': 'Hemoglobin A1c/Hemoglobin.total in Blood',
  '6301-6': 'INR in Platelet poor plasma by Coagulation assay',
  '84413-4': 'Genotype display name',
  '48018-6': 'Gene studied [ID]',
  '51969-4': 'Genetic analysis report',
  '53040-2': 'Genetic variation’s effect on drug metabolism',
  '79713-4':
    'TPMT gene product metabolic activity interpretation in Blood or Tissue by Molecular genetics method Narrative',
  '79716-7':
    'CYP2C9 gene product metabolic activity interpretation in Blood or Tissue by Molecular genetics method Narrative',
};

/** UCUM units and how a lab prints them. */
export const UNIT_TEXT: Readonly<Record<string, string>> = {
  'mg/dL': 'mg/dL',
  'mmol/L': 'mmol/L',
  'umol/L': 'µmol/L',
  'mm[Hg]': 'mmHg',
  'kg/m2': 'kg/m2',
  cm: 'cm',
  kg: 'kg',
  'mg/g': 'mg/g',
  '%': '%',
  '{INR}': 'INR',
  'mL/min/{1.73_m2}': 'mL/min/1.73m2',
};

/** The observation category (US Core): laboratory, vital-signs or social-history. */
export type ObservationCategory = 'laboratory' | 'vital-signs' | 'social-history';

export const loincCoding = (code: string): Coding => {
  const display = LOINC[code];
  if (display === undefined) throw new Error(`LOINC ${code} has no display in tools/panel/codes.ts`);
  return { system: SYSTEM.loinc, code, display };
};

/** OMB race categories (US Core race extension). */
export const RACE = {
  white: { code: '2106-3', display: 'White' },
  black: { code: '2054-5', display: 'Black or African American' },
  asian: { code: '2028-9', display: 'Asian' },
  aian: { code: '1002-5', display: 'American Indian or Alaska Native' },
} as const;
export type Race = keyof typeof RACE;

/** OMB ethnicity categories (US Core ethnicity extension). */
export const ETHNICITY = {
  hispanic: { code: '2135-2', display: 'Hispanic or Latino' },
  'not-hispanic': { code: '2186-5', display: 'Not Hispanic or Latino' },
} as const;
export type Ethnicity = keyof typeof ETHNICITY;

/** Smoking status answers (US Core smoking status value set). */
export const SMOKING = {
  never: { code: '266919005', display: 'Never smoked tobacco' },
  former: { code: '8517006', display: 'Ex-smoker' },
  current: { code: '449868002', display: 'Smokes tobacco daily' },
  /** Not in Augur's answer value sets: an answer it cannot map. */
  unknown: { code: '266927001', display: 'Tobacco smoking consumption unknown' },
} as const;
export type Smoking = keyof typeof SMOKING;

/** HGNC gene ids (Genomics Reporting IG gene-studied component). */
export const HGNC = {
  CYP2C19: 'HGNC:2621',
  CYP2C9: 'HGNC:2623',
  CYP2D6: 'HGNC:2625',
  VKORC1: 'HGNC:23663',
  SLCO1B1: 'HGNC:10959',
  TPMT: 'HGNC:12014',
  NUDT15: 'HGNC:23063',
  DPYD: 'HGNC:3012',
  'HLA-B': 'HGNC:4932',
} as const;
export type Gene = keyof typeof HGNC;
