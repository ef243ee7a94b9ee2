/**
 * What a service is handed when it runs for population scoring instead of a hook call:
 * - a store that keeps the results the service stores (the same payloads `GET /api/results/{id}`
 *   serves) and has no card history, so nothing is suppressed: a worklist lists every gap, whatever a
 *   clinician did with last week's alert (suppression is about interrupting, not about the gap);
 * - a trace recorder that also keeps each ModelRun it is told about (services tell it every model
 *   run and every "no card, because…"), so runs without a card still give a RiskAssessment.
 * Everything else a Store does is not part of scoring and throws if called.
 */
import type { ModelRun } from '../cards/run-model.js';
import type { Store, StoredResult } from '../store/types.js';
import { TraceRecorder } from '../trace/recorder.js';

export class RunCapture extends TraceRecorder {
  /** By model id: the last run told (services re-tell a run to add its band). */
  readonly runs = new Map<string, { run: ModelRun; band?: string }>();

  override model(run: ModelRun, band?: string): void {
    const before = this.runs.get(run.model.id);
    const kept = band ?? before?.band;
    this.runs.set(run.model.id, kept === undefined ? { run } : { run, band: kept });
    super.model(run, band);
  }
}

const notInScoring = (what: string) => (): never => {
  throw new Error(`population scoring does not ${what}`);
};

/** A store holding only what one service call stored. */
export function captureStore(results: StoredResult[]): Store {
  return {
    migrate: notInScoring('migrate a store'),
    recordFeedback: notInScoring('record feedback'),
    recordCardsShown: notInScoring('record cards shown'),
    recordCall: notInScoring('record a hook call'),
    findCardHistory: () => Promise.resolve([]),
    findCardShown: () => Promise.resolve(undefined),
    cardRates: notInScoring('read card rates'),
    resetCardHistory: notInScoring('reset card history'),
    appendAudit: () => Promise.resolve(),
    readAudit: notInScoring('read the audit trail'),
    putResult: (r) => {
      results.push(r);
      return Promise.resolve();
    },
    getResult: notInScoring('read stored results'),
    deleteExpiredResults: notInScoring('delete results'),
    binResults: notInScoring('count results into drift bins'),
    inputBins: notInScoring('read drift bins'),
    ping: () => Promise.resolve(true),
    close: () => Promise.resolve(),
  };
}
