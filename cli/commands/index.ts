/**
 * Every `augur` sub-command, one module each. Add a command by writing `commands/<name>.ts` exporting
 * `register(program)` and listing it here.
 */
import type { Command } from 'commander';

type Register = (program: Command) => void;

const COMMANDS: readonly Register[] = [];

export function registerCommands(program: Command): void {
  for (const register of COMMANDS) register(program);
}
