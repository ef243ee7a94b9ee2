/** FHIR → model inputs (browser-safe). See extract.ts for the entry point. */
export { extractInputs } from './extract.js';
export { resourcesOf } from './bundle.js';
export { loadValueSets, getValueSet, inValueSet, conceptInValueSet, ValueSetError } from './valuesets.js';
export type { CompiledValueSet, ValueSetIndex } from './valuesets.js';
export { convertQuantity } from './units.js';
export { ckdEpi2021 } from './egfr.js';
export { resolveGenotype } from './genotype.js';
export { parseStarDiplotype, parseVkorc1 } from './genotype-parse.js';
export { FLAGS } from './types.js';
export type {
  ExtractContext,
  ExtractResult,
  FhirResource,
  Flag,
  InputProvenance,
  InputValue,
  Settings,
} from './types.js';
export { FhirBinding } from './binding.js';
