export * from '../../../sandbox/fhir-server/medplum.js';
