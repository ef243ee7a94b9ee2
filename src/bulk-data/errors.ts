/**
 * Failures of a Bulk Data export, one kind per step. Messages name the step, the HTTP status and what the
 * server said (an OAuth `error_description`, an OperationOutcome's diagnostics): never a token, and never
 * a resource's content (the NDJSON files are not read here).
 */
export type BulkDataErrorKind =
  | 'discovery'
  | 'token'
  | 'kickoff'
  | 'job'
  | 'deadline'
  | 'cancelled'
  | 'manifest'
  | 'foreign-file'
  | 'download';

export class BulkDataError extends Error {
  readonly kind: BulkDataErrorKind;
  readonly status: number | undefined;

  constructor(kind: BulkDataErrorKind, message: string, status?: number) {
    super(message);
    this.name = 'BulkDataError';
    this.kind = kind;
    this.status = status;
  }
}

/** The diagnostics of an OperationOutcome body (or OAuth error fields), for an error message. */
export function describeBody(text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text.length === 0 ? 'no body' : 'a body that is not JSON';
  }
  if (typeof body !== 'object' || body === null) return 'an unexpected body';
  const b = body as {
    resourceType?: string;
    issue?: { diagnostics?: string; details?: { text?: string }; code?: string }[];
    error?: string;
    error_description?: string;
  };
  if (b.resourceType === 'OperationOutcome') {
    const texts = (b.issue ?? []).map((i) => i.diagnostics ?? i.details?.text ?? i.code ?? '?');
    return `OperationOutcome: ${texts.join('; ')}`;
  }
  if (typeof b.error === 'string')
    return b.error_description === undefined ? b.error : `${b.error}: ${b.error_description}`;
  return 'an unexpected body';
}
