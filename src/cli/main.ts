// The `openptl` command line: one sub-command per job; errors are one line and a non-zero exit.
// Each command's module is loaded only when it runs, so `openptl clock` starts fast.
import { AppError } from '../errors.ts';
import { CliError, HelpAsked } from './errors.ts';

type Command = (args: string[]) => void | Promise<void>;

const commands: Record<string, () => Promise<Command>> = {
  clock: async () => (await import('./clock.ts')).clockCommand,
  backlog: async () => (await import('./store-commands.ts')).backlogCommand,
  import: async () => (await import('./store-commands.ts')).importCommand,
  rebuild: async () => (await import('./store-commands.ts')).rebuildCommand,
  check: async () => (await import('./store-commands.ts')).checkCommand,
  backup: async () => (await import('./store-commands.ts')).backupCommand,
  serve: async () => (await import('./serve-commands.ts')).serveCommand,
  user: async () => (await import('./access-commands.ts')).userCommand,
  token: async () => (await import('./access-commands.ts')).tokenCommand,
  audit: async () => (await import('./access-commands.ts')).auditCommand,
  settings: async () => (await import('./serve-commands.ts')).settingsCommand,
  report: async () => (await import('./report.ts')).reportCommand,
  simulate: async () => (await import('./simulate.ts')).simulateCommand,
  forecast: async () => (await import('./forecast.ts')).forecastCommand, // issue #23
  // ---- national returns (issue #14) ----
  'cwt-extract': async () => (await import('./returns.ts')).cwtExtractCommand,
  canptl: async () => (await import('./returns.ts')).canptlCommand,
  codes: async () => (await import('./returns.ts')).codesCommand,
  hl7: async () => (await import('./hl7.ts')).hl7Command, // issue #17
  pathways: async () => (await import('./pathways.ts')).pathwaysCommand, // issue #26
  lookup: async () => (await import('./lookup.ts')).lookupCommand, // issue #27
  inequalities: async () => (await import('./inequalities.ts')).inequalitiesCommand, // issue #27
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
  user list|disable|enable|role|password NAME   list users; take access away or give it back; change a role; reset a password
  token create NAME             print a new API token for that user (--expires DAYS, default 90; --label TEXT)
  token list [NAME] | revoke ID the tokens (no secrets), or revoke one
  audit [--user U] [--pathway ID] [--since DATE]   the access log: who viewed which pathway, PTL queries, reports, sign-ins
  settings [--trust-name NAME]  set the trust's name (printed lists, the report); prints the settings
           [--target T]         and its backlog target, over62<100@YYYY-MM-DD (the Outlook page; none removes it)
  report --as-of DATE --out DIR the breach report for DATE as HTML, CSV and JSON
  simulate --seed S --as-of D   a synthetic history as NDJSON (--preset demo|trust|england, or --referrals-per-month N --months M)
  forecast --as-of D --weeks N  the over-62 outlook: weekly percentiles from K runs (--runs, --seed, --site, --provider),
                                levers (--capacity, --demand), a target (--target, --solve); --resources; --backtest --from D;
                                --workers W (threads; default one per core)
  cwt-extract --period YYYY-MM --out DIR [--as-at TIMESTAMP]
                                the monthly national CWT submission: CSV parts of at most 8,500 records and a validation file
  canptl --week-ending SUNDAY --out DIR
                                the weekly cancer PTL return as at 23:59 that Sunday (CSV, JSON, patient list)
  codes [set|remove|columns]    the national code lists and CSV columns the trust keeps
  hl7 send FILE [--port N]      send a file of HL7 v2 messages to an MLLP listener, one JSON line per acknowledgement
  pathways [set|remove|reset|history]   the timed pathway definitions as JSON; a trust's changes, who and when
  lookup load imd FILE | show imd   the trust's deprivation lookup: a CSV of postcode,imd_decile (1 most deprived)
  inequalities --by deprivation|age|sex|ethnicity --as-of DATE [--suppress]
                                waits, the backlog, performance, missed first appointments and early diagnosis by group
options: --db FILE (default ./data/openptl.db)`;

async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const load = commands[name];
  if (!load) throw new CliError(`unknown command "${name}"\n${USAGE}`);
  await (
    await load()
  )(args);
}

// A reader that goes away (`openptl codes | head`) ends the output quietly, not with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
});

try {
  await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof HelpAsked) process.stdout.write(`usage: ${err.usage.replace(/^usage: /, '')}\n`);
  else if (err instanceof CliError || err instanceof AppError) {
    process.stderr.write(`openptl: ${err.message}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : 2;
  } else {
    process.stderr.write(`openptl: internal error: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
