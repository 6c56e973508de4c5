// The `openptl` command line: one sub-command per job; errors are one line and a non-zero exit.
// Each command's module is loaded only when it runs, so `openptl clock` starts fast.
import { AppError } from '../errors.ts';
import { CliError } from './errors.ts';

type Command = (args: string[]) => void | Promise<void>;

const commands: Record<string, () => Promise<Command>> = {
  clock: async () => (await import('./clock.ts')).clockCommand,
  backlog: async () => (await import('./store-commands.ts')).backlogCommand,
  import: async () => (await import('./store-commands.ts')).importCommand,
  rebuild: async () => (await import('./store-commands.ts')).rebuildCommand,
  check: async () => (await import('./store-commands.ts')).checkCommand,
  backup: async () => (await import('./store-commands.ts')).backupCommand,
  serve: async () => (await import('./serve-commands.ts')).serveCommand,
  user: async () => (await import('./serve-commands.ts')).userCommand,
  token: async () => (await import('./serve-commands.ts')).tokenCommand,
  report: async () => (await import('./report.ts')).reportCommand,
  simulate: async () => (await import('./simulate.ts')).simulateCommand,
  hl7: async () => (await import('./hl7.ts')).hl7Command, // issue #17
};

const USAGE = `usage: openptl <command> [options]
commands:
  clock [FILE]                  stage and Cancer Waiting Times clocks for {"asOf","events"} (FILE or stdin)
  backlog [--as-of DATE]        backlog counts as one JSON object
  import FILE                   import newline-delimited JSON events (each with pathwayId); safe to run twice
  rebuild                       drop and replay the PTL projection from the events
  check                         one JSON line per pathway flagged for review (kept history a guard rail now refuses); exit 1 if any
  backup FILE                   online backup of the database to FILE
  serve [--port N]              the HTTP API, /live websocket and dashboard (demo data when the database is empty);
                                --hl7-port N also listens for HL7 v2 over MLLP from the hospital's PAS
  user add NAME --role ROLE     add a user (viewer, tracker or admin); asks for the password if not given
  token create NAME             print a new API token for that user
  report --as-of DATE --out DIR the breach report for DATE as HTML, CSV and JSON
  simulate --seed S --as-of D   a synthetic history as NDJSON (--preset demo|trust|england, or --referrals-per-month N --months M)
  hl7 send FILE [--port N]      send a file of HL7 v2 messages to an MLLP listener, one JSON line per acknowledgement
options: --db FILE (default ./data/openptl.db)`;

async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const load = commands[name];
  if (!load) throw new CliError(`unknown command "${name}"\n${USAGE}`);
  await (await load())(args);
}

try {
  await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof CliError || err instanceof AppError) {
    process.stderr.write(`openptl: ${err.message}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : 2;
  } else {
    process.stderr.write(`openptl: internal error: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
