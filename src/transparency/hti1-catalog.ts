/**
 * The HTI-1 source attributes (45 CFR 170.315(b)(11)(iv), ONC HTI-1 final rule, 89 FR 1192, 9 January
 * 2024; in force for certified health IT since 1 January 2025) as data: one entry per attribute with
 * its regulatory paragraph, the rule's wording, a short label for people, and — where Augur's manifest
 * already holds the fact — the manifest field it is read from. Versioned: a change of the rule is a new
 * CATALOG_VERSION, and every served attribute set names the version it was resolved against.
 *
 * Wording verified (session 5) against a second transcription: OpenEMR's (a certified EHR) upgrade SQL,
 * lists `dsi_predictive_source_attributes` (31 entries) and `dsi_evidence_source_attributes` (13),
 * commented "Populate list with ONC default values" (repository openemr/openemr, sql/ upgrade scripts;
 * found through code search — the exact file was not identified). Same 31 + 13 attributes in the same
 * order; five wordings were corrected to it: (A)(3)/(B)(1)(ii) funding source, (A)(5)–(13) "as expressed
 * in the standards in § 170.213" (OpenEMR prefixes "Intervention"), (B)(3)(ii) "… of the intervention",
 * (B)(4)(iii)/(B)(6)(iii) "… input features in the intervention", (B)(7)(v) "hyperlinks". The eCFR /
 * Federal Register text itself (89 FR 1192) was NOT reachable here: both transcriptions are secondary
 * (searched again in session trust6 — stored pages, code and exact-string search, file-name look-ups — and
 * still not found; see src/transparency/README.md).
 * (B)(4)(ii) keeps the list of (A)(5)–(13) variables in parentheses as an expansion of the cross-reference.
 */

export const CATALOG_VERSION = 'hti-1-170.315(b)(11)(iv)-2024-01-09';

/** Where a value comes from when the package does not state it itself. */
export type ManifestSource =
  | 'citations'
  | 'intendedUse'
  | 'intendedUsers'
  | 'population.description'
  | 'limitations'
  | 'development.data'
  | 'development.method'
  | 'outputs'
  | 'demographic-inputs'
  | 'subgroupPerformance'
  | 'local-monitoring';

export interface AttributeDef {
  /** The paragraph of 170.315(b)(11)(iv), e.g. "(B)(1)(i)". */
  readonly id: string;
  readonly group: string;
  /** The rule's wording (shortened only where it cross-references other paragraphs). */
  readonly wording: string;
  /** A short label for the side app. */
  readonly label: string;
  /** The manifest field that answers it (absent: the package's source-attributes.json must). */
  readonly from?: ManifestSource;
}

const DEMOGRAPHICS =
  'race, ethnicity, language, sexual orientation, gender identity, sex, date of birth, social determinants of health, health status assessments';

/** (iv)(A): evidence-based DSIs (13 attributes). */
export const EVIDENCE_BASED: readonly AttributeDef[] = [
  {
    id: '(A)(1)',
    group: 'Source',
    label: 'Bibliographic citation',
    wording: 'Bibliographic citation of the intervention (clinical research or guideline)',
    from: 'citations',
  },
  {
    id: '(A)(2)',
    group: 'Source',
    label: 'Developer',
    wording: 'Developer of the intervention (translation from clinical research or guideline)',
  },
  {
    id: '(A)(3)',
    group: 'Source',
    label: 'Funding source',
    wording: 'Funding source of the technical implementation for the intervention(s) development',
  },
  {
    id: '(A)(4)',
    group: 'Source',
    label: 'Release and revision dates',
    wording: 'Release and, if applicable, revision dates of the intervention or reference source',
  },
  ...(
    [
      ['(A)(5)', 'race'],
      ['(A)(6)', 'ethnicity'],
      ['(A)(7)', 'language'],
      ['(A)(8)', 'sexual orientation'],
      ['(A)(9)', 'gender identity'],
      ['(A)(10)', 'sex'],
      ['(A)(11)', 'date of birth'],
      ['(A)(12)', 'social determinants of health data'],
      ['(A)(13)', 'health status assessments data'],
    ] as const
  ).map(([id, v]) => ({
    id,
    group: 'Use of demographic and social variables',
    label: `Use of ${v}`,
    wording: `Use of ${v} as expressed in the standards in § 170.213`,
    from: 'demographic-inputs' as const,
  })),
];

/** (iv)(B): predictive DSIs (31 attributes in nine groups). */
export const PREDICTIVE: readonly AttributeDef[] = [
  {
    id: '(B)(1)(i)',
    group: 'Details and output',
    label: 'Developer and contact',
    wording: 'Name and contact information for the intervention developer',
  },
  {
    id: '(B)(1)(ii)',
    group: 'Details and output',
    label: 'Funding source',
    wording: 'Funding source of the technical implementation for the intervention(s) development',
  },
  {
    id: '(B)(1)(iii)',
    group: 'Details and output',
    label: 'Output value',
    wording: 'Description of value that the intervention produces as an output',
    from: 'outputs',
  },
  {
    id: '(B)(1)(iv)',
    group: 'Details and output',
    label: 'Output type',
    wording:
      'Whether the intervention output is a prediction, classification, recommendation, evaluation, analysis, or other type of output',
  },
  {
    id: '(B)(2)(i)',
    group: 'Purpose',
    label: 'Intended use',
    wording: 'Intended use of the intervention',
    from: 'intendedUse',
  },
  {
    id: '(B)(2)(ii)',
    group: 'Purpose',
    label: 'Intended patient population',
    wording: "Intended patient population(s) for the intervention's use",
    from: 'population.description',
  },
  {
    id: '(B)(2)(iii)',
    group: 'Purpose',
    label: 'Intended users',
    wording: 'Intended user(s)',
    from: 'intendedUsers',
  },
  {
    id: '(B)(2)(iv)',
    group: 'Purpose',
    label: 'Decision-making role',
    wording:
      'Intended decision-making role for which the intervention was designed to be used/for (e.g., informs, augments, replaces clinical management)',
  },
  {
    id: '(B)(3)(i)',
    group: 'Cautioned out-of-scope use',
    label: 'Tasks, situations, populations to avoid',
    wording:
      'Description of tasks, situations, or populations where a user is cautioned against applying the intervention',
  },
  {
    id: '(B)(3)(ii)',
    group: 'Cautioned out-of-scope use',
    label: 'Known risks and limitations',
    wording:
      'Known risks, inappropriate settings, inappropriate uses, or known limitations of the intervention',
    from: 'limitations',
  },
  {
    id: '(B)(4)(i)',
    group: 'Development details and input features',
    label: 'Training data inclusion/exclusion',
    wording: 'Exclusion and inclusion criteria that influenced the training data set',
    from: 'development.data',
  },
  {
    id: '(B)(4)(ii)',
    group: 'Development details and input features',
    label: 'Demographic variables used as inputs',
    wording: `Use of variables in paragraph (b)(11)(iv)(A)(5)–(13) (${DEMOGRAPHICS}) as input features`,
    from: 'demographic-inputs',
  },
  {
    id: '(B)(4)(iii)',
    group: 'Development details and input features',
    label: 'Demographic representativeness',
    wording:
      'Description of demographic representativeness according to variables in paragraph (b)(11)(iv)(A)(5)–(13) including, at a minimum, those used as input features in the intervention',
  },
  {
    id: '(B)(4)(iv)',
    group: 'Development details and input features',
    label: 'Relevance of training data',
    wording: 'Description of relevance of training data to intended deployed setting',
  },
  {
    id: '(B)(5)(i)',
    group: 'Fairness in development',
    label: 'Approach to fair output',
    wording:
      "Description of the approach the intervention developer has taken to ensure that the intervention's output is fair",
  },
  {
    id: '(B)(5)(ii)',
    group: 'Fairness in development',
    label: 'Managing bias',
    wording: 'Description of approaches to manage, reduce, or eliminate bias',
  },
  {
    id: '(B)(6)(i)',
    group: 'External validation',
    label: 'External data source and setting',
    wording:
      "Description of the data source, clinical setting, or environment where an intervention's validity and fairness has been assessed, other than the source of training and testing data",
  },
  {
    id: '(B)(6)(ii)',
    group: 'External validation',
    label: 'Who tested externally',
    wording: 'Party that conducted the external testing',
  },
  {
    id: '(B)(6)(iii)',
    group: 'External validation',
    label: 'External data representativeness',
    wording:
      'Description of demographic representativeness of external data according to variables in paragraph (b)(11)(iv)(A)(5)–(13) including, at a minimum, those used as input features in the intervention',
  },
  {
    id: '(B)(6)(iv)',
    group: 'External validation',
    label: 'External validation process',
    wording: 'Description of external validation process',
  },
  {
    id: '(B)(7)(i)',
    group: 'Quantitative performance',
    label: 'Validity on test data',
    wording:
      'Validity of intervention in test data derived from the same source as the initial training data',
  },
  {
    id: '(B)(7)(ii)',
    group: 'Quantitative performance',
    label: 'Fairness on test data',
    wording:
      'Fairness of intervention in test data derived from the same source as the initial training data',
    from: 'subgroupPerformance',
  },
  {
    id: '(B)(7)(iii)',
    group: 'Quantitative performance',
    label: 'Validity on external data',
    wording:
      'Validity of intervention in data external to or from a different source than the initial training data',
  },
  {
    id: '(B)(7)(iv)',
    group: 'Quantitative performance',
    label: 'Fairness on external data',
    wording:
      'Fairness of intervention in data external to or from a different source than the initial training data',
    from: 'subgroupPerformance',
  },
  {
    id: '(B)(7)(v)',
    group: 'Quantitative performance',
    label: 'Outcome evaluations',
    wording:
      'References to evaluation of use of the intervention on outcomes, including, bibliographic citations or hyperlinks to evaluations of how well the intervention reduced morbidity, mortality, length of stay, or other outcomes',
  },
  {
    id: '(B)(8)(i)',
    group: 'Ongoing maintenance',
    label: 'Validity monitoring',
    wording:
      "Description of process and frequency by which the intervention's validity is monitored over time",
    from: 'local-monitoring',
  },
  {
    id: '(B)(8)(ii)',
    group: 'Ongoing maintenance',
    label: 'Validity on local data',
    wording: 'Validity of intervention in local data',
    from: 'local-monitoring',
  },
  {
    id: '(B)(8)(iii)',
    group: 'Ongoing maintenance',
    label: 'Fairness monitoring',
    wording:
      "Description of the process and frequency by which the intervention's fairness is monitored over time",
    from: 'local-monitoring',
  },
  {
    id: '(B)(8)(iv)',
    group: 'Ongoing maintenance',
    label: 'Fairness on local data',
    wording: 'Fairness of intervention in local data',
    from: 'local-monitoring',
  },
  {
    id: '(B)(9)(i)',
    group: 'Update schedule',
    label: 'Update process and frequency',
    wording: 'Description of process and frequency by which the intervention is updated',
  },
  {
    id: '(B)(9)(ii)',
    group: 'Update schedule',
    label: 'Performance correction',
    wording:
      "Description of frequency by which the intervention's performance is corrected when risks related to validity and fairness are identified",
  },
];

export type AttributeSet = 'predictive' | 'evidence-based';

/** The attribute definitions for a set. */
export function catalogFor(set: AttributeSet): readonly AttributeDef[] {
  return set === 'predictive' ? PREDICTIVE : EVIDENCE_BASED;
}
