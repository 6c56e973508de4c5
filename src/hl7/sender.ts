// Sending HL7 v2 messages over MLLP: for `openptl hl7 send` (replaying a file, to test or to
// catch up after an outage), the tests and the benchmark.
import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { decodeMessage } from './message.ts';
import { frame, MllpFramer } from './mllp.ts';

/**
 * The messages in a file: each begins with an MSH segment; segments may be separated by CR, LF or
 * CRLF; MLLP framing characters and batch or file headers and trailers (FHS, BHS, BTS, FTS) are dropped.
 */
export function messagesInFile(text: string): string[] {
  const messages: string[][] = [];
  for (const line of text.replace(/[\x0b\x1c]/g, '\n').split(/\r\n|\r|\n/)) {
    if (line.trim() === '' || /^(FHS|BHS|BTS|FTS)\|/.test(line)) continue;
    if (line.startsWith('MSH')) messages.push([]);
    if (messages.length === 0)
      throw new Error(`the file must begin with an MSH segment (found ${JSON.stringify(line.slice(0, 20))})`);
    messages[messages.length - 1]!.push(line);
  }
  return messages.map((segments) => `${segments.join('\r')}\r`);
}

/** One MLLP connection. Answers come back in the order sent, so several may be in flight. */
export class Hl7Connection {
  private readonly waiting: { resolve: (ack: string) => void; reject: (err: Error) => void; timer: NodeJS.Timeout }[] =
    [];
  private readonly framer = new MllpFramer(1 << 20);
  private failure: Error | null = null;

  private constructor(
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    socket.on('data', (chunk: Buffer) => {
      for (const out of this.framer.push(chunk)) {
        if (out.kind !== 'frame') return this.fail(new Error('the answer was not an MLLP frame'));
        const next = this.waiting.shift();
        if (!next) return this.fail(new Error('an answer came for no message'));
        clearTimeout(next.timer);
        next.resolve(decodeMessage(out.bytes));
      }
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('the listener closed the connection')));
  }

  /** With `tls`, over TLS: the CA that signed the listener's certificate, and this sender's own certificate and key. */
  static open(
    host: string,
    port: number,
    timeoutMs = 30_000,
    tls?: { ca: string | Buffer; cert: string | Buffer; key: string | Buffer },
  ): Promise<Hl7Connection> {
    return new Promise((resolve, reject) => {
      const socket = tls
        ? connectTls({ host, port, ca: tls.ca, cert: tls.cert, key: tls.key })
        : connect({ host, port, noDelay: true });
      socket.once(tls ? 'secureConnect' : 'connect', () => resolve(new Hl7Connection(socket, timeoutMs)));
      socket.once('error', (err) =>
        reject(
          new Error(`could not connect to ${host}:${port} (${(err as NodeJS.ErrnoException).code ?? err.message})`),
        ),
      );
    });
  }

  /** Sends one message; resolves with its acknowledgement's text. */
  send(message: string): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(new Error(`no acknowledgement within ${this.timeoutMs / 1000} s`)),
        this.timeoutMs,
      );
      this.waiting.push({ resolve, reject, timer });
      this.socket.write(frame(message));
    });
  }

  close(): void {
    this.failure ??= new Error('closed');
    this.socket.destroy();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.splice(0)) {
      clearTimeout(w.timer);
      w.reject(this.failure);
    }
    this.socket.destroy();
  }
}
