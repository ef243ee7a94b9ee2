/**
 * Canary values planted in test fixtures. None may ever appear in a log line: the global teardown
 * (global-setup.ts) scans every log file the suite wrote and fails the run on a hit.
 */
export const CANARY = {
  patientName: 'Zyxcanary',
  birthDate: '1931-07-13',
  mrn: 'MRN-CANARY-7731',
  accessToken: 'tok-canary-9f1c2e7d',
  phone: '555-0199-CANARY',
} as const;

export const CANARY_VALUES: readonly string[] = Object.values(CANARY);
