/**
 * The vpcd client against a fake vpcd (a TCP server speaking the vpcd side of jpki-protocol
 * §6.2), so framing, polling, removal and reconnection are tested without pcscd.
 */
import { once } from 'node:events';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CardSlot } from './card-slot.ts';
import { h, makeTestProfile, swOf, TEST_PINS, toHex } from './test-profile.ts';
import { VpcdClient, vpcdReaderName } from './vpcd-client.ts';

const SELECT_JPKI = '00A4040C0AD392F000260100000001';
const ascii = (s: string) => toHex(new TextEncoder().encode(s));
const sel = (fid: string) => `00A4020C02${fid}`;
const ATR = '3BDA13FF8131FB468012392F31C173C601C03B';

/** The vpcd end of one connection. */
class FakeVpcdConn {
  readonly socket: Socket;
  private buf = Buffer.alloc(0);
  private waiters: ((frame: Buffer) => void)[] = [];
  private frames: Buffer[] = [];
  closed: Promise<void>;

  constructor(socket: Socket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      while (this.buf.length >= 2) {
        const n = this.buf.readUInt16BE(0);
        if (this.buf.length < 2 + n) break;
        const frame = this.buf.subarray(2, 2 + n);
        this.buf = this.buf.subarray(2 + n);
        const w = this.waiters.shift();
        if (w) w(frame);
        else this.frames.push(frame);
      }
    });
  }

  private next(): Promise<Buffer> {
    const f = this.frames.shift();
    if (f) return Promise.resolve(f);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private write(payload: Uint8Array, split = false): void {
    const frame = Buffer.alloc(2 + payload.length);
    frame.writeUInt16BE(payload.length, 0);
    frame.set(payload, 2);
    if (!split) {
      this.socket.write(frame);
      return;
    }
    for (const byte of frame) this.socket.write(Uint8Array.of(byte));
  }

  ctrl(code: 0 | 1 | 2 | 4): void {
    this.write(Uint8Array.of(code));
  }

  async atr(): Promise<string> {
    this.write(Uint8Array.of(4));
    return toHex(await this.next());
  }

  async apdu(hex: string, split = false): Promise<Uint8Array> {
    this.write(h(hex), split);
    return new Uint8Array(await this.next());
  }

  async sw(hex: string): Promise<string> {
    return swOf(await this.apdu(hex));
  }
}

class FakeVpcd {
  server: Server;
  port = 0;
  private pending: ((c: FakeVpcdConn) => void)[] = [];
  private queued: FakeVpcdConn[] = [];
  private sockets = new Set<Socket>();

  constructor() {
    this.server = this.make();
  }

  private make(): Server {
    return createServer({ noDelay: true }, (s) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
      const c = new FakeVpcdConn(s);
      const w = this.pending.shift();
      if (w) w(c);
      else this.queued.push(c);
    });
  }

  async listen(port = 0): Promise<number> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  accept(): Promise<FakeVpcdConn> {
    const c = this.queued.shift();
    if (c) return Promise.resolve(c);
    return new Promise((resolve) => this.pending.push(resolve));
  }

  /** Stops listening and drops every connection (pcscd exits). */
  async close(): Promise<void> {
    const closed = new Promise((r) => this.server.close(r));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  async restart(): Promise<void> {
    await this.close();
    this.server = this.make();
  }
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

async function setup(slotOpts: ConstructorParameters<typeof CardSlot>[1] = {}, minRemovalMs = 0) {
  const vpcd = new FakeVpcd();
  const port = await vpcd.listen();
  const slot = new CardSlot(makeTestProfile(), slotOpts);
  const client = new VpcdClient(slot, { port, retryMs: 40, minRemovalMs });
  const events: string[] = [];
  client.on('attached', () => events.push('attached'));
  client.on('ready', () => events.push('ready'));
  client.on('detached', (r) => events.push(`detached:${r}`));
  cleanup.push(async () => {
    await client.stop();
    await vpcd.close();
  });
  const attached = once(client, 'attached');
  client.start();
  const conn = await vpcd.accept();
  await attached;
  return { vpcd, slot, client, conn, events };
}

describe('vpcd client (jpki-protocol §6)', () => {
  it('port rule and reader names', () => {
    const slot = new CardSlot(makeTestProfile());
    expect(new VpcdClient(slot).port).toBe(35963);
    const c1 = new VpcdClient(slot, { slot: 1 });
    expect([c1.port, c1.readerName]).toEqual([35964, 'Virtual PCD 00 01']);
    expect(new VpcdClient(slot, { port: 35963 }).readerName).toBe(vpcdReaderName(0));
  });

  it('answers GET_ATR, stays silent on POWER ON, answers APDUs', async () => {
    const { conn, client, events } = await setup();
    expect(await conn.atr()).toBe(ATR);
    conn.ctrl(1);
    expect(await conn.atr()).toBe(ATR); // the next frame is the ATR: POWER ON had no reply
    expect(client.attached).toBe(true);
    expect(toHex(await conn.apdu(SELECT_JPKI))).toBe('9000');
    expect(events).toEqual(['attached', 'ready']);
  });

  it('GET_ATR between the APDUs of a session does not reset anything', async () => {
    const { conn, slot } = await setup();
    conn.ctrl(1);
    await conn.sw(SELECT_JPKI);
    await conn.sw(sel('001B'));
    expect(await conn.sw(`0020008008${ascii(TEST_PINS.signPassword)}`)).toBe('9000');
    await conn.atr();
    await conn.atr();
    await conn.sw(sel('0001'));
    expect(await conn.sw('00B0000004')).toBe('9000');
    expect(slot.log.entries().filter((e) => e.kind === 'power')).toHaveLength(1); // only the POWER ON
  });

  for (const [name, code] of [
    ['POWER OFF + ON', 0],
    ['RESET', 2],
  ] as const) {
    it(`${name} clears the verified state`, async () => {
      const { conn } = await setup();
      await conn.sw(SELECT_JPKI);
      await conn.sw(sel('001B'));
      await conn.sw(`0020008008${ascii(TEST_PINS.signPassword)}`);
      conn.ctrl(code);
      if (code === 0) conn.ctrl(1);
      await conn.sw(SELECT_JPKI);
      await conn.sw(sel('0001'));
      expect(await conn.sw('00B0000004')).toBe('6982');
    });
  }

  it('reassembles frames split across TCP segments and handles extended responses', async () => {
    const { conn } = await setup();
    expect(toHex(await conn.apdu(SELECT_JPKI, true))).toBe('9000');
    await conn.sw(sel('000A'));
    const r = await conn.apdu('00B00000000000', true);
    expect(toHex(r.subarray(0, -2))).toBe(toHex(makeTestProfile().authCert));
  });

  it('--remove-after: answers APDU n, then closes (card removed); re-insertion reconnects', async () => {
    const { vpcd, conn, slot, client } = await setup({ faults: { removeAfter: 2 } });
    const detached = once(client, 'detached');
    await conn.sw(SELECT_JPKI);
    expect(await conn.sw(sel('000A'))).toBe('9000');
    await conn.closed;
    expect(await detached).toEqual(['card removed']);
    slot.insert();
    const again = await vpcd.accept();
    expect(await again.atr()).toBe(ATR);
    expect(await again.sw('00B0000004')).toBe('6986'); // fresh session
  });

  it('a re-insertion right after a removal waits minRemovalMs (so pcscd sees the card leave)', async () => {
    const { vpcd, conn, slot } = await setup({}, 300);
    slot.remove();
    await conn.closed;
    const t = performance.now();
    slot.insert();
    await vpcd.accept();
    expect(performance.now() - t).toBeGreaterThanOrEqual(250);
  });

  it('re-inserts itself when vpcd keeps polling without ever powering the card up', async () => {
    const { vpcd, conn, client } = await setup({}, 50);
    const detached = once(client, 'detached');
    for (let i = 0; i < 5; i++) expect(await conn.atr()).toBe(ATR);
    conn.ctrl(4); // the 6th poll gets its answer, then the connection closes
    await conn.closed;
    expect(await detached).toEqual(['not powered up by pcscd; re-inserting']);
    const again = await vpcd.accept();
    again.ctrl(1);
    await once(client, 'ready');
  });

  it('a removal while idle closes at once', async () => {
    const { conn, slot } = await setup();
    await conn.sw(SELECT_JPKI);
    slot.remove();
    await conn.closed;
  });

  it('re-attaches when vpcd goes away and comes back (pcscd restart)', async () => {
    const { vpcd, conn, events, client } = await setup();
    await conn.sw(SELECT_JPKI);
    const detached = once(client, 'detached');
    const port = vpcd.port;
    await vpcd.restart();
    await conn.closed;
    await detached;
    await new Promise((r) => setTimeout(r, 150)); // a few refused retries
    await vpcd.listen(port);
    const again = await vpcd.accept();
    expect(await again.atr()).toBe(ATR);
    expect(events.filter((e) => e === 'attached')).toHaveLength(2);
    expect(events).toContain('detached:connection lost');
  });

  it('keeps retrying while nothing listens, and reports it once', async () => {
    const probe = new FakeVpcd();
    const port = await probe.listen();
    await new Promise((r) => probe.server.close(r));
    const client = new VpcdClient(new CardSlot(makeTestProfile()), { port, retryMs: 30 });
    const unreachable: Error[] = [];
    client.on('unreachable', (e) => unreachable.push(e));
    client.start();
    cleanup.push(() => client.stop());
    await new Promise((r) => setTimeout(r, 200));
    expect(unreachable).toHaveLength(1);
    expect(client.attached).toBe(false);
    const vpcd = new FakeVpcd();
    await vpcd.listen(port);
    cleanup.push(() => vpcd.close());
    const conn = await vpcd.accept();
    expect(await conn.atr()).toBe(ATR);
  });

  it('stop() closes the connection and stops reconnecting', async () => {
    const { vpcd, conn, client, events } = await setup();
    const detached = once(client, 'detached');
    await client.stop();
    await detached;
    await conn.closed;
    expect(events.at(-1)).toBe('detached:stopped');
    let reconnected = false;
    vpcd.accept().then(() => {
      reconnected = true;
    });
    await new Promise((r) => setTimeout(r, 120));
    expect(reconnected).toBe(false);
  });

  it('a response delay holds the reply back, GET_ATR is answered afterwards in order', async () => {
    const { conn, slot } = await setup();
    slot.faults.setDelay(80);
    const start = performance.now();
    const r = conn.apdu(SELECT_JPKI);
    const atr = conn.atr();
    expect(toHex(await r)).toBe('9000');
    expect(await atr).toBe(ATR);
    expect(performance.now() - start).toBeGreaterThanOrEqual(75);
  });
});
