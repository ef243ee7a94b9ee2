/** Pharmacogenomics core (browser-safe): CPIC tables → genotype → phenotype → recommendation. */
export * from './schema.js';
export { compileTables, PgxDataError, type PgxFiles, type PgxTables } from './tables.js';
export { interpretGenotype, type Interpretation, type Interpreted } from './phenotype.js';
export { geneStatus, phenotypeLabel, type GeneStatus, type KnownGene } from './results.js';
export { matchDrug, conceptsOf, type DrugMatch } from './drugs.js';
export { recommend, findingFor, findingKey, type Finding } from './recommend.js';
