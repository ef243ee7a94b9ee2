/**
 * The launch/session module the side app's UI builds on. `launch.html` starts the SMART launch
 * (authorize.ts); `index.html` calls `startSession()` and renders from the session it returns, or
 * `renderLaunchError` when it throws.
 *
 * After `startSession` settles, `<html data-launch>` is `ready` or `error:<kind>` (what the end-to-end
 * tests wait for).
 */
export type { AugurSession } from './types.js';
export { LaunchError, type LaunchErrorKind } from './errors.js';
export { renderLaunchError } from './render.js';
/** Completes the SMART launch (FHIR.oauth2.ready), removes code/state from the URL, returns the session;
 *  throws LaunchError {kind: 'unknown-issuer'|'denied'|'expired'|'unreachable'|'state'|'other', message}. */
export { startSession } from './ready.js';
