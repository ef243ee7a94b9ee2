/**
 * The HL7 AI Transparency on FHIR IG's canonical URLs and codes (canonical
 * http://hl7.org/fhir/uv/aitransparency; profiles AI-Device, AI-Provenance, AI-ModelCard; the
 * modelCardDescription and AIconfidence extensions; the AIdeviceTypeCS and AIinputsCS code systems),
 * and the HL7 v3 ObservationValue code AIAST ("Artificial Intelligence asserted") used as a security label.
 *
 * Verified (session 5) against the IG source, HL7/aitransparency-ig main at 805d2a7 (2026-08-06,
 * sushi-config `canonical: http://hl7.org/fhir/uv/aitransparency`, version 1.0.0-current): the FSH ids
 * AI-Device, AI-Provenance, AI-ModelCard, aitransparency.modelCardDescription, aitransparency.AIKind,
 * AIconfidence (no Id: the name), CodeSystems AIdeviceTypeCS (codes Artificial-Intelligence,
 * Rule-Based-Systems, Machine-Learning-Models) and AIinputsCS (AIModelCard), and AIAST as
 * `$ObsValue#AIAST "Artificial Intelligence asserted"`. The published 1.0.0 page
 * (hl7.org/fhir/uv/aitransparency/1.0.0/en/StructureDefinition-AIconfidence.html) shows the same
 * AIconfidence URL; the other published 1.0.0 pages were not seen. Note: the 1.0.0-ballot tag named the
 * model-card code system AImodelCardCS and had no AIconfidence — these URLs follow the later text.
 */
export const IG = 'http://hl7.org/fhir/uv/aitransparency';
export const PROFILE = {
  device: `${IG}/StructureDefinition/AI-Device`,
  provenance: `${IG}/StructureDefinition/AI-Provenance`,
  modelCard: `${IG}/StructureDefinition/AI-ModelCard`,
} as const;
export const EXT = {
  modelCard: `${IG}/StructureDefinition/aitransparency.modelCardDescription`,
  aiKind: `${IG}/StructureDefinition/aitransparency.AIKind`,
  confidence: `${IG}/StructureDefinition/AIconfidence`,
} as const;
export const DEVICE_TYPE_CS = `${IG}/CodeSystem/AIdeviceTypeCS`;
export const INPUTS_CS = `${IG}/CodeSystem/AIinputsCS`;

export const AIAST = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'AIAST',
  display: 'Artificial Intelligence asserted',
} as const;

/** Augur's own identifier systems (URNs: they name, they do not resolve). */
export const AUGUR = {
  model: 'urn:augur:model',
  onnxSha256: 'urn:augur:model:onnx-sha256',
  result: 'urn:augur:result',
} as const;
