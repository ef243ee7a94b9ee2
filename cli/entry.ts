/** Process entry for the compiled CLI (bin/augur.mjs imports this after making sure dist/ is current). */
import { run } from './main.js';

process.exitCode = await run(process.argv.slice(2));
