/** A refusal for the person at the terminal: one line on stderr, a non-zero exit, nothing on stdout. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** `--help` (or `-h`) given to a command: its usage goes to stdout and the exit is 0 (main.ts). */
export class HelpAsked extends Error {
  constructor(readonly usage: string) {
    super(usage);
  }
}

/** True when the arguments ask for help: `--help` or `-h` before any `--` that ends the options. */
export function asksForHelp(args: string[]): boolean {
  const options = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  return options.includes('--help') || options.includes('-h');
}

/** Throws HelpAsked when the arguments ask for help, whatever else they say. */
export function helpIfAsked(args: string[], usage: string): void {
  if (asksForHelp(args)) throw new HelpAsked(usage);
}
