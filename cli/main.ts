/**
 * The `augur` command line (commander). Each command lives in its own module under `commands/` and
 * registers itself here; production code (src/) never imports anything from cli/.
 *
 * Why commander: the most used, well-kept Node CLI parser; typed options, sub-commands, generated help
 * and "unknown option / missing argument" errors that name the argument.
 */
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';
import { CliError } from './errors.js';

export function buildProgram(): Command {
  const program = new Command('augur')
    .description('Augur — clinical decision support over CDS Hooks: tools for integration testers and sites')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerCommands(program);
  return program;
}

/** Runs the CLI; returns the process exit code (0 ok, 1 a refused or failed operation, 2 bad usage). */
export async function run(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are "errors" to commander with exit code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof CliError) {
      process.stderr.write(`augur: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
