/** launch.html: start the SMART launch, or show why it cannot start (never a blank page). */
import { beginLaunch } from './session/authorize.js';
import { markLaunch, toLaunchError } from './session/errors.js';
import { renderIssuerChooser, renderLaunchError } from './session/render.js';

const root = document.getElementById('app') ?? document.body;

beginLaunch()
  .then((step) => {
    if (step.kind === 'choose') renderIssuerChooser(root, step.issuers, new URL(location.href));
  })
  .catch((err: unknown) => {
    renderLaunchError(root, err);
    markLaunch(`error:${toLaunchError(err).kind}`);
  });
