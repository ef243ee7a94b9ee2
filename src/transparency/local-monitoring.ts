/**
 * What Augur itself says about ongoing maintenance ((b)(11)(iv)(B)(8)) for every predictive model it
 * serves: what its monitoring measures on local data, and plainly what it cannot (it never receives
 * the outcomes the models predict, so local discrimination and calibration are not measured).
 */
import type { LocalMonitoringStatements } from './resolve.js';

const NO_OUTCOMES =
  'Augur never receives the outcomes these models predict (events months or years after the visit), so it cannot measure discrimination or calibration on local data; a site that links its own outcomes (registry or EHR follow-up) to the stored results can. What Augur does measure locally is use: see (B)(8)(i) and GET /metrics.';

export const LOCAL_MONITORING: LocalMonitoringStatements = {
  '(B)(8)(i)': {
    value:
      "Continuously, while Augur runs: GET /metrics (Prometheus format, bearer-token protected) counts every model evaluation per model, every card by service, card id and indicator, suppressed cards by reason, and physician feedback (accepted / overridden per card id and per override reason) — the site scrapes it at its own interval; GET /api/monitoring/card-rates gives acceptance and override rates per card per day from the stored card history (the alert-fatigue signal); every 10 minutes Augur counts each model input into the bins of the model's development distribution and GET /api/monitoring/drift (and the augur_input_psi gauge) gives the population stability index per input per week (0.1 moderate, 0.25 significant shift) for models that ship a development-distribution.json — a shifted population is a warning that the published validity may not hold here. Outcome-based validity is not monitored by Augur (see (B)(8)(ii)).",
  },
  '(B)(8)(ii)': { notAvailable: NO_OUTCOMES },
  '(B)(8)(iii)': {
    value:
      'Augur exports no per-patient or per-subgroup data (aggregates only, no PHI), so subgroup fairness is not monitored by Augur itself; the published subgroup performance is listed under (B)(7)(ii) and (B)(7)(iv). A site assesses local fairness by linking outcomes to stored results by subgroup.',
  },
  '(B)(8)(iv)': { notAvailable: NO_OUTCOMES },
};
