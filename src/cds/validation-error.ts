import type { z } from 'zod';
import { HttpError, type IssueInput } from '../http/errors.js';

/** `a.b[0].c` from a zod path. */
export function pathString(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

/** A 400 whose OperationOutcome names every bad field (at most 10), never echoing the values. */
export function invalidRequest(error: z.ZodError, prefix = ''): HttpError {
  const issues: IssueInput[] = error.issues.slice(0, 10).map((i) => {
    const where = pathString([...(prefix === '' ? [] : [prefix]), ...i.path]) || '(body)';
    return {
      code: i.code === 'invalid_type' && i.input === undefined ? 'required' : 'invalid',
      diagnostics: `${where}: ${i.message}`,
      expression: where,
    };
  });
  return new HttpError(400, issues);
}
