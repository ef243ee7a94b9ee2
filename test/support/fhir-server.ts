export * from '../../sandbox/fhir-server/server.js';
