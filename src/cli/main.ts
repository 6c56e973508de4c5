// The `openptl` command line: one sub-command per job; errors are one line and a non-zero exit.
import { clockCommand } from './clock.ts';
import { CliError } from './errors.ts';

type Command = (args: string[]) => void | Promise<void>;

const commands: Record<string, Command> = {
  clock: clockCommand,
};

const USAGE = `usage: openptl <command> [options]
commands:
  clock [FILE]      stage and Cancer Waiting Times clocks for {"asOf","events"} (FILE or stdin)`;

async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const command = commands[name];
  if (!command) throw new CliError(`unknown command "${name}"\n${USAGE}`);
  await command(args);
}

try {
  await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof CliError) {
    process.stderr.write(`openptl: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`openptl: internal error: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
