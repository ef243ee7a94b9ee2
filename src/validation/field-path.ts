/**
 * One way to name a field in a validation message everywhere Augur reports one (config files, hook
 * requests, model manifests): `clients[0].algorithms[1]`, `context.selections[0]`, `inputs[2].range.min`.
 */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}
