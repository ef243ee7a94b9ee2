/** The prose of the learned-pima-diabetes model card (kept apart from the generated numbers). */
import type { ModelManifest } from '../../src/models/manifest.js';

export const CITATIONS: ModelManifest['citations'] = [
  {
    text: 'Smith JW, Everhart JE, Dickson WC, Knowler WC, Johannes RS. Using the ADAP learning algorithm to forecast the onset of diabetes mellitus. In: Greenes RA, ed. Proc Symp Comput Appl Med Care 1988:261–265. IEEE Computer Society Press.',
  },
  {
    text: 'Ripley BD. Pattern Recognition and Neural Networks. Cambridge University Press, 1996 (source of the Pima.tr/Pima.te split).',
  },
  {
    text: 'Venables WN, Ripley BD. Modern Applied Statistics with S, 4th ed. Springer, 2002 — R package MASS 7.3-58.2, data sets Pima.tr and Pima.te (GPL-2 | GPL-3).',
    url: 'https://cran.r-project.org/package=MASS',
  },
  {
    text: 'Kingma DP, Ba J. Adam: a method for stochastic optimization. ICLR 2015 (the optimiser).',
    url: 'https://arxiv.org/abs/1412.6980',
  },
];

export const CARD_TEXT = {
  intendedUse:
    "A DEMONSTRATION of Augur's bring-your-own-model path: a small neural network trained reproducibly in TypeScript on a public research data set, exported to ONNX and served like any other package. It is NOT a validated clinical model and must NOT be used for clinical decisions, diagnosis or screening.",
  intendedUsers:
    'Augur developers and site integrators evaluating how a learned model is packaged, explained and served. Not clinicians, not patients.',
  population:
    'Women aged 21 or over, of Pima Indian heritage, living near Phoenix, Arizona, examined by the US National Institute of Diabetes and Digestive and Kidney Diseases (NIDDK) and classified diabetic or not by WHO criteria (MASS documentation). 532 complete records, collected before 1988. Nothing supports its use in men, in other populations, or today.',
  limitations: [
    'Demonstration only: not a validated clinical model, not for clinical use.',
    'Trained on 200 women (68 with diabetes) and tested on 332 (109 with diabetes) from a single indigenous community studied before 1988; no external validation in any other population, sex, era or health system.',
    'The outcome is diabetes by WHO criteria as recorded in a 1980s research cohort (MASS documentation; Smith et al. 1988 used the data to forecast onset). Diagnostic practice has changed since (fasting glucose thresholds, HbA1c).',
    'It needs a 2-hour 75 g OGTT glucose, which most adults never have measured; a fasting or random glucose is not a valid substitute.',
    'The diabetes pedigree function is a research score with no standard code; when absent it is defaulted to the training mean and flagged, which removes one of the strongest predictors.',
    'It does not beat the logistic-regression baseline on the held-out data (see development.metrics: slightly lower AUC, slightly worse Brier score, predictions too close to the average — calibration slope above 1). With 200 training rows the extra flexibility of a network buys nothing here.',
    'Outside the training ranges of the inputs the network extrapolates without any guarantee; such values are flagged.',
  ],
  method:
    'A 7-8-1 multilayer perceptron (tanh hidden units, sigmoid output) on inputs standardised by the training mean and sample SD (baked into the ONNX graph as Sub/Div). Full-batch Adam (learning rate 0.01, β₁ 0.9, β₂ 0.999) on mean binary cross-entropy plus an L2 penalty on the weights, Glorot-uniform initialisation from a seeded mulberry32 PRNG, a fixed number of epochs; the L2 penalty chosen by 5-fold cross-validated log-loss on the training set only. Plain TypeScript, no ML library; models/learned-pima-diabetes/train.ts reproduces the ONNX file byte for byte. Baseline: logistic regression on the same seven inputs by Newton-Raphson (IRLS), reproducing R glm(type ~ ., binomial, Pima.tr).',
  data: 'MASS Pima.tr (training, 200 rows) and Pima.te (held-out test, 332 rows), exported by models/learned-pima-diabetes/data/export.R and committed as CSV.',
  validation:
    'Internal hold-out only: Pima.te was used for nothing but the final metrics below (no tuning on it). Discrimination (ROC AUC), accuracy at 0.5, Brier score and logistic recalibration (Cox intercept and slope; calibration-in-the-large) for the network and for the logistic baseline on the same rows. The baseline reproduces R exactly (AUC 0.8659, 66/332 misclassified; data/r-glm-reference.txt).',
};
