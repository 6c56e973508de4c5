/** A refusal for the person at the terminal: one line on stderr, a non-zero exit, nothing on stdout. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
