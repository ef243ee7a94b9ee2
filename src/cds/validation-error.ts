import type { z } from 'zod';
import { HttpError, type IssueInput } from '../http/errors.js';
import { fieldPath } from '../validation/field-path.js';

/** A 400 whose OperationOutcome names every bad field (at most 10), never echoing the values. */
export function invalidRequest(error: z.ZodError, prefix = ''): HttpError {
  const issues: IssueInput[] = error.issues.slice(0, 10).map((i) => {
    const where = fieldPath([...(prefix === '' ? [] : [prefix]), ...i.path]) || '(body)';
    return {
      code: i.code === 'invalid_type' && i.input === undefined ? 'required' : 'invalid',
      diagnostics: `${where}: ${i.message}`,
      expression: where,
    };
  });
  return new HttpError(400, issues);
}
