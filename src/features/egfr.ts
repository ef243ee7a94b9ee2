/**
 * eGFR by the race-free CKD-EPI 2021 creatinine equation:
 * Inker LA et al., N Engl J Med 2021;385:1737–1749 (models.md §2):
 *   eGFR = 142 · min(Scr/κ, 1)^α · max(Scr/κ, 1)^−1.200 · 0.9938^age · 1.012 [if female]
 *   κ = 0.7 (female) / 0.9 (male); α = −0.241 (female) / −0.302 (male); Scr in mg/dL; mL/min/1.73 m².
 */
const K_FEMALE = 0.7; // Inker 2021
const K_MALE = 0.9; // Inker 2021
const ALPHA_FEMALE = -0.241; // Inker 2021
const ALPHA_MALE = -0.302; // Inker 2021
const EXPONENT_ABOVE_KAPPA = -1.2; // Inker 2021
const AGE_BASE = 0.9938; // Inker 2021, per year of age
const FEMALE_FACTOR = 1.012; // Inker 2021
const CONSTANT = 142; // Inker 2021

export function ckdEpi2021(creatinineMgDl: number, ageYears: number, sex: 'female' | 'male'): number {
  const female = sex === 'female';
  const ratio = creatinineMgDl / (female ? K_FEMALE : K_MALE);
  const alpha = female ? ALPHA_FEMALE : ALPHA_MALE;
  return (
    CONSTANT *
    Math.min(ratio, 1) ** alpha *
    Math.max(ratio, 1) ** EXPONENT_ABOVE_KAPPA *
    AGE_BASE ** ageYears *
    (female ? FEMALE_FACTOR : 1)
  );
}
