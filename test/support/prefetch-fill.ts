/** Prefetch filled as an EHR fills it: the logic lives in cli/invoke (augur invoke uses it too). */
export { fillPrefetch, resolveTemplate, type FillOptions } from '../../cli/invoke/prefetch-fill.js';
