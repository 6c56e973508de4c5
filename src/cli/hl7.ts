// `openptl hl7 send FILE`: replays a file of HL7 v2 messages to an MLLP listener (an `openptl
// serve --hl7-port N`), one at a time, each after the last was acknowledged: to test, and to catch
// up after an outage (a message already taken is answered as before and changes nothing); over TLS
// with a client certificate when the listener asks for one. `openptl hl7 purge`: the PAS feed's
// retention now (the server runs it hourly, issue #25).
import { readFileSync } from 'node:fs';
import { readAck } from '../hl7/ack.ts';
import { decodeMessage } from '../hl7/message.ts';
import { Hl7Connection, messagesInFile } from '../hl7/sender.ts';
import { CliError } from './errors.ts';
import { DEFAULT_DB, openDatabase, options } from './store-commands.ts';
import { systemClock, type WallClock } from '../wall-clock.ts';
import { purgeKeptMessages } from '../hl7/retention.ts';
import { cliActor } from './audit-entry.ts';

export const DEFAULT_HL7_PORT = 2575; // IANA's port for HL7 over MLLP

export async function hl7Command(args: string[], clock: WallClock = systemClock): Promise<void> {
  if (args[0] === 'purge') return purgeCommand(args.slice(1), clock);
  const usage = `openptl hl7 send FILE [--port N] [--host ADDR] [--timeout SECONDS] [--tls-ca FILE --tls-cert FILE --tls-key FILE]  (default port ${DEFAULT_HL7_PORT}, host 127.0.0.1)
       openptl hl7 purge [--db FILE]`;
  const { values, positionals } = options(
    args,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      timeout: { type: 'string' },
      'tls-ca': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
    },
    usage,
  );
  const [verb, file] = positionals;
  if (verb !== 'send' || !file || positionals.length > 2) throw new CliError(`usage: ${usage}`);
  const port = Number(values.port ?? DEFAULT_HL7_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new CliError(`--port: must be a whole number from 1 to 65535 (got ${values.port})`);
  const timeout = Number(values.timeout ?? 30);
  if (!(timeout > 0 && timeout <= 3600))
    throw new CliError(`--timeout: must be a number of seconds from 1 to 3600 (got ${values.timeout})`);
  let messages: string[];
  try {
    messages = messagesInFile(decodeMessage(readFileSync(file))); // UTF-8, or ISO 8859-1; sent as UTF-8
  } catch (err) {
    throw new CliError(
      `${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
  if (messages.length === 0) throw new CliError(`${file}: no messages (each begins with an MSH segment)`);
  const tls = tlsFiles(values, '--tls');
  let connection: Hl7Connection;
  try {
    connection = await Hl7Connection.open(values.host ?? '127.0.0.1', port, timeout * 1000, tls ?? undefined);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const counts: Record<string, number> = { AA: 0, AE: 0, AR: 0 };
  try {
    for (const [i, message] of messages.entries()) {
      let answer: string;
      try {
        answer = await connection.send(message);
      } catch (err) {
        throw new CliError(
          `message ${i + 1} of ${messages.length}: ${(err as Error).message}; ${i} were acknowledged (sending the file again is safe)`,
        );
      }
      const msa = readAck(answer);
      const code = msa?.code ?? 'none';
      counts[code] = (counts[code] ?? 0) + 1;
      process.stdout.write(
        `${JSON.stringify({ message: i + 1, controlId: msa?.controlId ?? null, ack: code, text: msa?.text ?? '' })}\n`,
      );
    }
  } finally {
    connection.close();
  }
  process.stderr.write(
    `openptl: ${messages.length} messages sent: ${Object.entries(counts)
      .map(([c, n]) => `${n} ${c}`)
      .join(', ')}\n`,
  );
  if (counts.AA !== messages.length) process.exitCode = 1;
}

/**
 * The three TLS files (a CA, a certificate and its key, PEM), read; null when none is given. All
 * three or none: `prefix` names the options in the message (--tls, --hl7-tls).
 */
export function tlsFiles(
  values: Record<string, unknown>,
  prefix: string,
): { ca: Buffer; cert: Buffer; key: Buffer } | null {
  const names = ['ca', 'cert', 'key'] as const;
  const given = names.filter((n) => values[`${prefix.slice(2)}-${n}`] !== undefined);
  if (given.length === 0) return null;
  if (given.length < 3)
    throw new CliError(`${prefix}-ca, ${prefix}-cert and ${prefix}-key go together: give all three (PEM files)`);
  const read = (n: (typeof names)[number]) => {
    const file = String(values[`${prefix.slice(2)}-${n}`]);
    try {
      return readFileSync(file);
    } catch (err) {
      throw new CliError(`${prefix}-${n}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  return { ca: read('ca'), cert: read('cert'), key: read('key') };
}

/** `openptl hl7 purge`: the messages for no open pathway past the trust's retention, purged now. */
function purgeCommand(args: string[], clock: WallClock): void {
  const usage = 'openptl hl7 purge [--db FILE]';
  const { values, positionals } = options(args, { db: { type: 'string' } }, usage);
  if (positionals.length) throw new CliError(`unexpected argument ${positionals[0]}\nusage: ${usage}`);
  const { inbox, settings, access } = openDatabase(values.db ?? DEFAULT_DB, clock);
  const result = purgeKeptMessages({ inbox, settings, access, clock }, cliActor());
  access.flush();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
