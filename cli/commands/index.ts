/**
 * Every `augur` sub-command, one module each. Add a command by writing `commands/<name>.ts` exporting
 * `register(program)` and listing it here.
 */
import type { Command } from 'commander';
import { register as config } from './config.js';
import { register as history } from './history.js';
import { register as invoke } from './invoke.js';
import { register as keys } from './keys.js';
import { register as patients } from './patients.js';
import { register as sandbox } from './sandbox.js';
import { register as score } from './score.js';
import { register as scoreWorker } from './score-worker.js';

type Register = (program: Command) => void;

const COMMANDS: readonly Register[] = [config, history, invoke, keys, patients, sandbox, score, scoreWorker];

export function registerCommands(program: Command): void {
  for (const register of COMMANDS) register(program);
}
