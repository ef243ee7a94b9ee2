import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4.js';

/** FHIR issue-type codes Augur uses (http://hl7.org/fhir/issue-type). */
export type IssueCode =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'security'
  | 'login'
  | 'forbidden'
  | 'not-found'
  | 'not-supported'
  | 'too-costly'
  | 'throttled'
  | 'timeout'
  | 'incomplete'
  | 'exception'
  | 'processing'
  | 'transient'
  | 'informational';

export interface IssueInput {
  code: IssueCode;
  diagnostics: string;
  /** FHIRPath-ish location of the offending field, e.g. `context.patientId`. */
  expression?: string;
  severity?: OperationOutcomeIssue['severity'];
}

export function operationOutcome(issues: readonly IssueInput[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((i) => ({
      severity: i.severity ?? 'error',
      code: i.code,
      diagnostics: i.diagnostics,
      ...(i.expression === undefined ? {} : { expression: [i.expression] }),
    })),
  };
}

/**
 * An error that knows its HTTP status and carries the OperationOutcome the client receives.
 * Messages must never contain PHI or secrets: they go to the client and to logs.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly outcome: OperationOutcome;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    issues: IssueInput | readonly IssueInput[],
    headers: Record<string, string> = {},
  ) {
    const list = Array.isArray(issues) ? (issues as readonly IssueInput[]) : [issues as IssueInput];
    super(list.map((i) => i.diagnostics).join('; '));
    this.name = 'HttpError';
    this.status = status;
    this.outcome = operationOutcome(list);
    this.headers = headers;
  }
}

export const badRequest = (diagnostics: string, expression?: string): HttpError =>
  new HttpError(400, { code: 'invalid', diagnostics, ...(expression === undefined ? {} : { expression }) });

export const notFound = (diagnostics: string): HttpError =>
  new HttpError(404, { code: 'not-found', diagnostics });

/** 412: data the service requires could not be obtained (CDS Hooks 2.0 §Prefetch). */
export const preconditionFailed = (diagnostics: string, expression?: string): HttpError =>
  new HttpError(412, {
    code: 'incomplete',
    diagnostics,
    ...(expression === undefined ? {} : { expression }),
  });
