/**
 * The HL7 AI Transparency on FHIR IG's canonical URLs and codes (canonical
 * http://hl7.org/fhir/uv/aitransparency; profiles AI-Device, AI-Provenance, AI-ModelCard; the
 * modelCardDescription and AIconfidence extensions; the AIdeviceTypeCS and AIinputsCS code systems),
 * and the HL7 v3 ObservationValue code AIAST ("Artificial Intelligence asserted") used as a security label.
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
