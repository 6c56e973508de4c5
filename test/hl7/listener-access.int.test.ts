// Who may send to the MLLP listener (issue #25): only the addresses the trust lists; over TLS, only
// a sender with a certificate the trust's CA signed (certificates made here with openssl); a
// connection that sends nothing is closed within the first-frame time; and idle connections, however
// many, never keep the PAS out: a new one takes the place of the oldest that has sent nothing.
import { afterAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { join } from 'node:path';
import { createLogger } from '../../src/api/logger.ts';
import { Hl7Feed } from '../../src/hl7/feed.ts';
import { allowList, startHl7Listener, type Hl7ListenerOptions, type RunningListener } from '../../src/hl7/listener.ts';
import { readAck } from '../../src/hl7/ack.ts';
import { Hl7Connection } from '../../src/hl7/sender.ts';
import { tempDir, tempStore } from '../support/store.ts';
import { hl7 } from '../support/hl7.ts';

const run = promisify(execFile);
const { store, commands, sql } = tempStore('2026-11-24T10:00:00Z');
const listeners: RunningListener[] = [];
afterAll(async () => {
  for (const l of listeners) await l.close();
});
async function listen(options: Omit<Hl7ListenerOptions, 'port'> = {}) {
  const l = await startHl7Listener(new Hl7Feed(store, commands, store.clock), createLogger({ level: 'silent' }), {
    port: 0,
    ...options,
  });
  listeners.push(l);
  return l;
}
const messages = () => sql.prepare('SELECT count(*) FROM inbound_messages').pluck().get() as number;

/** A raw TCP connection that sends nothing; `closed` resolves when the listener closes it. */
function idle(port: number): Promise<{ socket: Socket; closed: Promise<void>; isClosed: () => boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let done = false;
    const closed = new Promise<void>((r) =>
      socket.on('close', () => {
        done = true;
        r();
      }),
    );
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, closed, isClosed: () => done }));
    socket.once('error', reject);
  });
}

describe('the allow-list (--hl7-allow)', () => {
  it('reads addresses, subnets and loopback (IPv4 seen as IPv6 too), and refuses anything else, naming it', () => {
    const allowed = allowList(['loopback', '10.1.0.0/16', '192.168.4.7', 'fd00::/8']);
    expect(
      ['127.0.0.1', '::ffff:127.0.0.1', '::1', '10.1.200.3', '::ffff:10.1.2.3', '192.168.4.7', 'fd12::1'].map(allowed),
    ).toEqual([true, true, true, true, true, true, true]);
    expect(['10.2.0.1', '192.168.4.8', '8.8.8.8', 'fe80::1', undefined].map(allowed)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    for (const bad of ['10.0.0.0/33', 'example.org', '10.0.0.1/8/2', ''])
      expect(() => allowList([bad]), bad).toThrow(/is not an address, a subnet/);
  });

  it('takes loopback by default, and closes a connection from an address not listed before it can send', async () => {
    const open = await listen();
    const c = await Hl7Connection.open('127.0.0.1', open.port);
    expect(readAck(await c.send(hl7({ type: 'ADT^A31', id: 'AL1' })))!.code).toBe('AA');
    c.close();
    const closedToLoopback = await listen({ allow: ['10.9.9.9'] });
    const before = messages();
    const refused = await idle(closedToLoopback.port);
    refused.socket.write(Buffer.from(`\x0b${hl7({ type: 'ADT^A31', id: 'AL2' })}\x1c\r`));
    await refused.closed;
    expect(messages()).toBe(before);
  });
});

describe('idle connections', () => {
  it('are closed when they send nothing within the first-frame time; a sender that has sent stays for the idle time', async () => {
    const l = await listen({ firstFrameTimeoutMs: 300, idleTimeoutMs: 600_000 });
    const silent = await idle(l.port);
    const sender = await Hl7Connection.open('127.0.0.1', l.port);
    expect(readAck(await sender.send(hl7({ type: 'ADT^A31', id: 'ID1' })))!.code).toBe('AA');
    await silent.closed; // within the first-frame time
    await new Promise((r) => setTimeout(r, 600)); // twice that: the sender is still there
    expect(readAck(await sender.send(hl7({ type: 'ADT^A31', id: 'ID2' })))!.code).toBe('AA');
    sender.close();
  });

  it('never cut the PAS off: 40 idle connections from its own address, then the PAS connects and is answered (issue #25)', async () => {
    // First-frame time of a minute: only the room-making can let the PAS in during this test.
    const l = await listen({ firstFrameTimeoutMs: 60_000 });
    const squatters: Awaited<ReturnType<typeof idle>>[] = [];
    for (let i = 0; i < 40; i++) squatters.push(await idle(l.port));
    const pas = await Hl7Connection.open('127.0.0.1', l.port);
    expect(readAck(await pas.send(hl7({ type: 'ADT^A31', id: 'PAS1' })))).toMatchObject({ code: 'AA' });
    // One address holds at most four connections: the PAS and the three newest idle ones.
    await expect.poll(() => squatters.filter((s) => !s.isClosed()).length).toBe(3);
    // A fresh squatter takes the place of an idle one, never the PAS's.
    squatters.push(await idle(l.port));
    expect(readAck(await pas.send(hl7({ type: 'ADT^A31', id: 'PAS2' })))).toMatchObject({ code: 'AA' });
    pas.close();
    for (const s of squatters) s.socket.destroy();
  });

  it('refuse a fifth connection from an address whose four have all sent messages', async () => {
    const l = await listen({ maxConnectionsPerAddress: 4 });
    const senders: Hl7Connection[] = [];
    for (let i = 0; i < 4; i++) {
      const c = await Hl7Connection.open('127.0.0.1', l.port);
      expect(readAck(await c.send(hl7({ type: 'ADT^A31', id: `FULL${i}` })))!.code).toBe('AA');
      senders.push(c);
    }
    const fifth = await idle(l.port);
    await fifth.closed;
    expect(readAck(await senders[0]!.send(hl7({ type: 'ADT^A31', id: 'FULL9' })))!.code).toBe('AA');
    for (const c of senders) c.close();
  });
});

describe('TLS with client certificates (--hl7-tls-cert, --hl7-tls-key, --hl7-tls-ca)', () => {
  const dir = tempDir();
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  // The trust's CA; the listener's certificate for 127.0.0.1; a sender's, signed by the CA; and a stranger's, self-signed.
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Trust CA',
  );
  const signed = (name: string, san?: string) => {
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${name}`,
    );
    if (san) writeFileSync(file(`${name}.ext`), `subjectAltName=${san}\n`);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      ...(san ? ['-extfile', `${name}.ext`] : []),
    );
  };
  signed('listener', 'IP:127.0.0.1');
  signed('pas');
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'stranger.key',
    '-out',
    'stranger.pem',
    '-days',
    '2',
    '-subj',
    '/CN=stranger',
  );
  const read = (name: string) => readFileSync(file(name));
  const tls = { cert: read('listener.pem'), key: read('listener.key'), ca: read('ca.pem') };

  it('answers a sender with a certificate the CA signed; refuses one with none, a stranger, and plain MLLP', async () => {
    const l = await listen({ tls, firstFrameTimeoutMs: 2000 });
    const pas = await Hl7Connection.open('127.0.0.1', l.port, 5000, {
      ca: read('ca.pem'),
      cert: read('pas.pem'),
      key: read('pas.key'),
    });
    expect(readAck(await pas.send(hl7({ type: 'ADT^A31', id: 'TLS1' })))).toMatchObject({
      code: 'AA',
      controlId: 'TLS1',
    });
    pas.close();
    const before = messages();
    const refusedWith = (options: object) =>
      new Promise<string>((resolve) => {
        const socket = connectTls({ host: '127.0.0.1', port: l.port, ca: read('ca.pem'), ...options });
        socket.on('secureConnect', () =>
          socket.write(Buffer.from(`\x0b${hl7({ type: 'ADT^A31', id: 'TLS2' })}\x1c\r`)),
        );
        socket.on('data', () => resolve('answered'));
        socket.on('error', () => resolve('refused'));
        socket.on('close', () => resolve('refused'));
      });
    expect(await refusedWith({})).toBe('refused'); // no certificate
    expect(await refusedWith({ cert: read('stranger.pem'), key: read('stranger.key') })).toBe('refused');
    const plain = await idle(l.port);
    plain.socket.write(Buffer.from(`\x0b${hl7({ type: 'ADT^A31', id: 'TLS3' })}\x1c\r`));
    await plain.closed;
    expect(messages()).toBe(before);
  });

  it('`openptl hl7 send --tls-ca --tls-cert --tls-key` sends over it; `serve` wants all three files', async () => {
    const l = await listen({ tls });
    const messagesFile = file('day.hl7');
    writeFileSync(messagesFile, hl7({ type: 'ADT^A31', id: 'TLS4' }));
    const bin = join(import.meta.dirname, '../../bin/openptl.js');
    // Not spawnSync: the listener is in this process, and must go on answering while the command runs.
    const sent = await run(process.execPath, [
      bin,
      'hl7',
      'send',
      messagesFile,
      '--port',
      String(l.port),
      '--tls-ca',
      file('ca.pem'),
      '--tls-cert',
      file('pas.pem'),
      '--tls-key',
      file('pas.key'),
    ]);
    expect(JSON.parse(sent.stdout)).toMatchObject({ controlId: 'TLS4', ack: 'AA' });
    const half = spawnSync(
      process.execPath,
      [bin, 'serve', '--db', file('x.db'), '--hl7-port', '0', '--hl7-tls-cert', file('listener.pem')],
      { encoding: 'utf8' },
    );
    expect([half.status, half.stderr]).toEqual([
      2,
      expect.stringMatching(/--hl7-tls-ca, --hl7-tls-cert and --hl7-tls-key go together/),
    ]);
    const badAllow = spawnSync(
      process.execPath,
      [bin, 'serve', '--db', file('x.db'), '--hl7-port', '0', '--hl7-allow', 'pas.trust'],
      {
        encoding: 'utf8',
      },
    );
    expect([badAllow.status, badAllow.stderr]).toEqual([
      2,
      expect.stringMatching(/--hl7-allow: pas.trust is not an address/),
    ]);
  });
});
