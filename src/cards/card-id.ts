/**
 * The card id (as in `cards/*.json`, what a site's `cards.disabled` names) of a stored card: the
 * cardiovascular service records it in its findings (its keys start with the risk line, not the card
 * id); the PGx patient-view card is `pgx`, a PGx order card `pgx-<drug>`; every other key starts with
 * its card id (`af-anticoagulation:band=recommended` → `af-anticoagulation`).
 */
export function cardIdOf(key: string, findings?: unknown): string {
  const declared = (findings as { cardId?: unknown } | undefined)?.cardId;
  if (typeof declared === 'string') return declared;
  if (key.startsWith('pgx:patient-view:')) return 'pgx';
  const pgx = /^pgx:([a-z]+):/.exec(key);
  if (pgx !== null) return `pgx-${pgx[1] ?? ''}`;
  return key.split(':', 1)[0] ?? key;
}
