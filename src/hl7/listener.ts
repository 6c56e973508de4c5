// The MLLP listener: a TCP server (node:net), or TLS with client certificates (node:tls), the
// hospital's PAS or integration engine sends HL7 v2 messages to, bound to 127.0.0.1 unless told
// otherwise. Only the addresses the trust lists may connect (loopback alone by default). Each
// connection is read frame by frame; each message is answered, in order, once the feed has stored
// it. Messages that arrive together (on one connection or several) are stored in one transaction:
// one sync to disk for all of them. A connection that breaks the framing, sends nothing within 10
// seconds of opening (issue #25: idle connections must not hold the PAS off), sends a frame too
// slowly, sits idle too long or stops reading its answers is closed. One address holds at most a
// few connections, and when the listener is full a new connection takes the place of the oldest
// one that has not yet sent a message: nothing a sender does reaches further than its own connection.
import { BlockList, createServer, isIP, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { Hl7Feed, Receipt } from './feed.ts';
import { decodeMessage } from './message.ts';
import { frame, MllpFramer } from './mllp.ts';

export interface Hl7ListenerOptions {
  port: number;
  host?: string;
  /** The addresses that may connect: addresses, subnets (10.0.0.0/8) or 'loopback' (default: loopback only). */
  allow?: readonly string[];
  /** TLS: the listener's certificate and key, and the CA that signs the senders' certificates (PEM); each sender must present one. */
  tls?: { cert: string | Buffer; key: string | Buffer; ca: string | Buffer };
  /** A message larger than this is refused (AR) unread. */
  maxMessageBytes?: number;
  /** A new connection (its TLS handshake included) must send its first message within this, or it is closed. */
  firstFrameTimeoutMs?: number;
  /** A frame begun must end within this, or the connection is closed (a stalled or half-open sender). */
  frameTimeoutMs?: number;
  /** A connection that has sent a message and then nothing for this long is closed (the sender reconnects when it has more). */
  idleTimeoutMs?: number;
  maxConnections?: number;
  /** Connections one address may hold at once. */
  maxConnectionsPerAddress?: number;
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
  allow: ['loopback'] as readonly string[],
  maxMessageBytes: 256 * 1024,
  firstFrameTimeoutMs: 10_000,
  frameTimeoutMs: 10_000,
  idleTimeoutMs: 10 * 60_000,
  maxConnections: 32,
  maxConnectionsPerAddress: 4,
  maxUnreadBytes: 1 << 20,
} satisfies Omit<Required<Hl7ListenerOptions>, 'port' | 'tls'>;

/**
 * The addresses a listener takes connections from, as node:net's BlockList: each address or
 * subnet given, 'loopback' for 127.0.0.0/8 and ::1. An IPv4 address seen as IPv6 (::ffff:10.1.2.3)
 * is read as IPv4. Throws on anything else, naming it.
 */
export function allowList(entries: readonly string[]): (address: string | undefined) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    if (entry === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4');
      list.addAddress('::1', 'ipv6');
      continue;
    }
    const [address, bits, ...more] = entry.split('/');
    const family = address ? isIP(address) : 0;
    const prefix = bits === undefined ? null : Number(bits);
    if (
      more.length ||
      family === 0 ||
      (prefix !== null && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= (family === 4 ? 32 : 128)))
    )
      throw new Error(`${entry} is not an address, a subnet (10.0.0.0/8) or loopback`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === null) list.addAddress(address!, type);
    else list.addSubnet(address!, prefix, type);
  }
  return (address) => {
    if (!address) return false;
    const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    return v4 ? list.check(v4, 'ipv4') : list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  };
}

/** A connection as the listener keeps it: when it came, and whether it has sent a message yet. */
interface Held {
  socket: Socket;
  address: string;
  sentMessage: boolean;
}

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
  const connections = new Connections(opts, logger);
  const server = createListener(opts, logger, (socket) => {
    const h = connections.of(socket);
    if (h) serve(socket, feed, logger, opts, enqueue, () => (h.sentMessage = true));
    else socket.destroy();
  });
  server.prependListener('connection', (socket: Socket) => connections.admit(socket));
  server.on('error', (err) => logger.error({ err: err.message }, 'hl7 listener error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, host: opts.host, tls: Boolean(opts.tls), allow: opts.allow }, 'hl7 listening');
  return {
    port,
    server,
    close: async () => {
      connections.closeAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The TCP server, or TLS with client certificates (a sender without a certificate the CA signed is refused in the handshake). */
function createListener(
  opts: typeof HL7_DEFAULTS & Pick<Hl7ListenerOptions, 'tls'>,
  logger: Logger,
  start: (socket: Socket) => void,
): Server {
  if (!opts.tls) return createServer({ noDelay: true, keepAlive: true, keepAliveInitialDelay: 30_000 }, start);
  const server = createTlsServer(
    {
      cert: opts.tls.cert,
      key: opts.tls.key,
      ca: opts.tls.ca,
      requestCert: true,
      rejectUnauthorized: true,
      handshakeTimeout: opts.firstFrameTimeoutMs,
      minVersion: 'TLSv1.2',
    },
    (socket: TLSSocket) => start(socket),
  );
  server.on('tlsClientError', (err: Error, socket: Socket) => {
    logger.warn({ peer: socket.remoteAddress, reason: `TLS: ${err.message}` }, 'hl7 connection refused');
  });
  return server;
}

/**
 * The connections held, oldest first: who may connect (the allow-list), how many (per address and
 * in all, making room by closing the oldest that has sent nothing), and the first frame's deadline.
 */
class Connections {
  private readonly held: Held[] = [];
  private readonly allowed;
  // A TLS connection is the raw one it was admitted as, known by its address and port.
  private readonly byPeer = new Map<string, Held>();

  constructor(
    private readonly opts: typeof HL7_DEFAULTS,
    private readonly logger: Logger,
  ) {
    this.allowed = allowList(opts.allow);
  }

  /** A raw connection, before any TLS: refused unless its address is listed and there is room. */
  admit(socket: Socket): void {
    const address = socket.remoteAddress ?? '';
    const refuse = (reason: string) => {
      this.logger.warn({ peer: address, reason }, 'hl7 connection refused');
      socket.destroy();
    };
    if (!this.allowed(address)) return refuse('address not allowed (--hl7-allow)');
    if (!this.makeRoom(address)) return refuse('too many connections from this address');
    const h: Held = { socket, address, sentMessage: false };
    const peer = peerOf(socket);
    this.held.push(h);
    this.byPeer.set(peer, h);
    // Nothing within the first frame's time (a TLS handshake included): closed, whatever the sender meant.
    const firstFrame = setTimeout(() => {
      if (h.sentMessage || socket.destroyed) return;
      this.close(h, `no message within ${this.opts.firstFrameTimeoutMs / 1000} s of connecting`);
    }, this.opts.firstFrameTimeoutMs);
    socket.on('close', () => {
      clearTimeout(firstFrame);
      this.forget(h);
      this.byPeer.delete(peer);
    });
  }

  /** The connection admitted for this socket (itself, or the raw one under TLS), if any. */
  of(socket: Socket): Held | undefined {
    return this.byPeer.get(peerOf(socket));
  }

  closeAll(): void {
    for (const h of this.held.splice(0)) h.socket.destroy();
  }

  /** Room for a new connection from `address`: false if it would take the place of one that has sent messages. */
  private makeRoom(address: string): boolean {
    const evict = (among: Held[], limit: number): boolean => {
      if (among.length < limit) return true;
      const idle = among.find((h) => !h.sentMessage); // the oldest that has sent nothing yet
      if (!idle) return false;
      this.close(idle, 'making room for a new connection');
      return true;
    };
    return (
      evict(
        this.held.filter((h) => h.address === address),
        this.opts.maxConnectionsPerAddress,
      ) && evict(this.held, this.opts.maxConnections)
    );
  }

  private close(h: Held, reason: string): void {
    this.logger.warn({ peer: h.address, reason }, 'hl7 connection closed');
    h.socket.destroy();
    this.forget(h);
  }

  private forget(h: Held): void {
    const i = this.held.indexOf(h);
    if (i >= 0) this.held.splice(i, 1);
  }
}

const peerOf = (socket: Socket) => `${socket.remoteAddress}|${socket.remotePort}`;

function serve(
  socket: Socket,
  feed: Hl7Feed,
  logger: Logger,
  opts: typeof HL7_DEFAULTS,
  enqueue: (w: Waiting) => void,
  sentMessage: () => void,
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
  let idleSet = false;
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
      // A message: the sender is one, and may now stay connected while idle for the longer time.
      sentMessage();
      if (!idleSet) {
        idleSet = true;
        socket.setTimeout(opts.idleTimeoutMs, () => close(`idle for ${opts.idleTimeoutMs / 1000} s`));
      }
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
