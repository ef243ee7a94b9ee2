/** Loads the launch settings Augur serves next to the app (`config.json`), and checks their shape. */
import { asAppConfig, type AppConfig } from '../../../src/smart/app-config.js';
import { LaunchError } from './errors.js';

export async function loadAppConfig(page: URL = new URL(location.href)): Promise<AppConfig> {
  let body: unknown;
  try {
    const res = await fetch(new URL('config.json', page), {
      cache: 'no-store',
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    if (!res.ok) throw new Error(`config.json: ${res.status}`);
    body = await res.json();
  } catch {
    throw new LaunchError('other', "Augur's launch settings could not be loaded.");
  }
  const config = asAppConfig(body);
  if (config === undefined) throw new LaunchError('other', "Augur's launch settings are not valid.");
  return config;
}
