// The MLLP listener: a TCP server (node:net) the hospital's PAS or integration engine sends HL7 v2
// messages to, bound to 127.0.0.1 unless told otherwise. Each connection is read frame by frame;
// each message is answered, in order, once the feed has stored it. Messages that arrive together
// (on one connection or several) are stored in one transaction: one sync to disk for all of them. A connection that breaks the
// framing, sends a frame too slowly, sits idle too long or stops reading its answers is closed;
// nothing a sender does reaches further than its own connection.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Hl7Feed, Receipt } from './feed.ts';
import { decodeMessage } from './message.ts';
import { frame, MllpFramer } from './mllp.ts';

export interface Hl7ListenerOptions {
  port: number;
  host?: string;
  /** A message larger than this is refused (AR) unread. */
  maxMessageBytes?: number;
  /** A frame begun must end within this, or the connection is closed (a stalled or half-open sender). */
  frameTimeoutMs?: number;
  /** A connection with nothing sent for this long is closed (the sender reconnects when it has more). */
  idleTimeoutMs?: number;
  maxConnections?: number;
  /** Answers a sender has not read, past which its connection is closed. */
  maxUnreadBytes?: number;
}

export interface RunningListener {
  port: number;
  server: Server;
  close(): Promise<void>;
}

export const HL7_DEFAULTS = {
  host: '127.0.0.1',
  maxMessageBytes: 256 * 1024,
  frameTimeoutMs: 10_000,
  idleTimeoutMs: 10 * 60_000,
  maxConnections: 32,
  maxUnreadBytes: 1 << 20,
} satisfies Omit<Required<Hl7ListenerOptions>, 'port'>;

/** The most messages stored in one transaction. */
const MAX_BATCH = 100;

/** A message waiting to be stored, or a refusal already decided (kept in line so answers stay in order). */
interface Waiting {
  socket: Socket;
  raw?: string;
  receipt?: Receipt;
  answer: (receipt: Receipt) => void;
}

export async function startHl7Listener(
  feed: Hl7Feed,
  logger: Logger,
  options: Hl7ListenerOptions,
): Promise<RunningListener> {
  const opts = { ...HL7_DEFAULTS, ...options };
  const sockets = new Set<Socket>();
  // Group commit: frames read in one turn of the event loop, from every connection, are taken together.
  const waiting: Waiting[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batch = waiting.splice(0, MAX_BATCH);
    if (waiting.length > 0) schedule();
    const started = process.hrtime.bigint();
    const toStore = batch.filter((w) => w.raw !== undefined);
    let receipts: Receipt[];
    try {
      receipts = feed.receiveAll(toStore.map((w) => w.raw!));
    } catch (err) {
      // Not expected (the feed answers every failure it knows of): no answer is sure, so the senders
      // are cut off and send again; the listener carries on.
      logger.error({ err: err instanceof Error ? err.name : 'unknown', messages: batch.length }, 'hl7 batch failed');
      for (const w of batch) w.socket.destroy();
      return;
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    let k = 0;
    for (const w of batch) {
      const receipt = w.receipt ?? receipts[k++]!;
      w.answer(receipt);
      // No patient details: the control id, the type, what became of it and the batch's time.
      logger.info(
        {
          peer: `${w.socket.remoteAddress}:${w.socket.remotePort}`,
          controlId: receipt.controlId,
          type: receipt.messageType,
          ack: receipt.code,
          outcome: receipt.outcome,
          batch: batch.length,
          ms,
        },
        'hl7 message',
      );
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };
  const enqueue = (w: Waiting) => {
    waiting.push(w);
    schedule();
  };
  const server = createServer({ noDelay: true, keepAlive: true, keepAliveInitialDelay: 30_000 }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(socket, feed, logger, opts, enqueue);
  });
  server.maxConnections = opts.maxConnections;
  server.on('error', (err) => logger.error({ err: err.message }, 'hl7 listener error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, host: opts.host }, 'hl7 listening');
  return {
    port,
    server,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function serve(
  socket: Socket,
  feed: Hl7Feed,
  logger: Logger,
  opts: typeof HL7_DEFAULTS,
  enqueue: (w: Waiting) => void,
): void {
  const framer = new MllpFramer(opts.maxMessageBytes);
  const peer = `${socket.remoteAddress}:${socket.remotePort}`;
  let frameTimer: NodeJS.Timeout | null = null;
  const close = (reason: string) => {
    if (socket.destroyed) return;
    logger.warn({ peer, reason }, 'hl7 connection closed');
    socket.destroy();
  };
  const answer = (receipt: Receipt) => {
    if (socket.destroyed) return;
    socket.write(frame(receipt.ack));
    if (socket.writableLength > opts.maxUnreadBytes) close('the sender is not reading its acknowledgements');
  };
  socket.setTimeout(opts.idleTimeoutMs, () => close(`idle for ${opts.idleTimeoutMs / 1000} s`));
  socket.on('error', () => socket.destroy()); // a reset by the peer: nothing to answer
  socket.on('close', () => {
    if (frameTimer) clearTimeout(frameTimer);
  });
  socket.on('data', (chunk: Buffer) => {
    const outputs = framer.push(chunk);
    for (const out of outputs) {
      if (out.kind === 'malformed') {
        close(`not MLLP: ${out.reason}`);
        return;
      }
      if (out.kind === 'too_large')
        enqueue({ socket, receipt: feed.tooLarge(decodeMessage(out.head), opts.maxMessageBytes), answer });
      else enqueue({ socket, raw: decodeMessage(out.bytes), answer });
    }
    // A frame begun must be finished in good time: a sender that stalls mid-frame holds nothing for long.
    if (frameTimer && (outputs.length > 0 || !framer.partial)) {
      clearTimeout(frameTimer);
      frameTimer = null;
    }
    if (framer.partial && !frameTimer) {
      frameTimer = setTimeout(
        () => close(`a message was not completed within ${opts.frameTimeoutMs / 1000} s`),
        opts.frameTimeoutMs,
      );
    }
  });
}
