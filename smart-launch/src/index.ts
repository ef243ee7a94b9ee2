/** The side app's page (index.html): complete the SMART launch, then render the results. */
import './styles/app.css';
import { renderLaunchError, startSession } from './session/index.js';
import { runApp } from './app/main.js';

const root = document.getElementById('app');
if (root !== null) {
  startSession()
    .then((session) => runApp(root, session))
    .catch((err: unknown) => {
      document.documentElement.dataset['app'] = 'error';
      renderLaunchError(root, err);
    });
}
