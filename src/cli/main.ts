// The `openptl` command line: one sub-command per job; errors are one line and a non-zero exit.
import { clockCommand } from './clock.ts';
import { CliError } from './errors.ts';
import { backlogCommand, backupCommand, importCommand, rebuildCommand } from './store-commands.ts';
import { serveCommand, tokenCommand, userCommand } from './serve-commands.ts';

type Command = (args: string[]) => void | Promise<void>;

const commands: Record<string, Command> = {
  clock: clockCommand,
  backlog: (args) => backlogCommand(args),
  import: (args) => importCommand(args),
  rebuild: (args) => rebuildCommand(args),
  backup: (args) => backupCommand(args),
  serve: (args) => serveCommand(args),
  user: (args) => userCommand(args),
  token: (args) => tokenCommand(args),
};

const USAGE = `usage: openptl <command> [options]
commands:
  clock [FILE]                  stage and Cancer Waiting Times clocks for {"asOf","events"} (FILE or stdin)
  backlog [--as-of DATE]        backlog counts as one JSON object
  import FILE                   import newline-delimited JSON events (each with pathwayId); safe to run twice
  rebuild                       drop and replay the PTL projection from the events
  backup FILE                   online backup of the database to FILE
  serve [--port N]              the HTTP API, /live websocket and dashboard (demo data when the database is empty)
  user add NAME --role ROLE     add a user (viewer, tracker or admin); asks for the password if not given
  token create NAME             print a new API token for that user
options: --db FILE (default ${'./data/openptl.db'})`;

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
