/**
 * pcscd control for integration tests (DESIGN §9: no systemd here, pcscd runs as
 * `pcscd --foreground`). Linux only: reads /proc/net/tcp to see the vpcd listeners instead of
 * connecting to them (a TCP connect to a vpcd port *is* a card insertion, jpki-protocol §6.2).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ReaderMonitor } from '../../../native/pcsc/reader-monitor.ts';
import { waitUntil } from './events.ts';
import { vpcdPort } from './vpcd-responder.ts';

export const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
export const PCSCD_LOG = '/tmp/pcscd.log';
/** Reader names of the two vpcd slots (jpki-protocol §6.1). */
export const VPCD_READERS = ['Virtual PCD 00 00', 'Virtual PCD 00 01'] as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pcscdBinary(): string | undefined {
  for (const p of ['/usr/sbin/pcscd', '/usr/bin/pcscd', '/usr/local/sbin/pcscd']) if (existsSync(p)) return p;
  const w = spawnSync('sh', ['-c', 'command -v pcscd'], { encoding: 'utf8' });
  return w.status === 0 ? w.stdout.trim() || undefined : undefined;
}

export function isPcscdRunning(): boolean {
  return spawnSync('pgrep', ['-x', 'pcscd']).status === 0;
}

/** Ports in LISTEN state (IPv4 and IPv6), from /proc/net/tcp*. */
export function listeningPorts(): Set<number> {
  const ports = new Set<number>();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] !== '0A') continue; // TCP_LISTEN
      const port = Number.parseInt(cols[1]?.split(':')[1] ?? '', 16);
      if (Number.isFinite(port)) ports.add(port);
    }
  }
  return ports;
}

export function vpcdListening(): boolean {
  const ports = listeningPorts();
  return ports.has(vpcdPort(0)) && ports.has(vpcdPort(1));
}

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** Stops pcscd (SIGTERM via `pkill -x pcscd`) and waits until it is gone. */
export async function stopPcscd(timeoutMs = 5000): Promise<void> {
  if (!isPcscdRunning()) return;
  spawnSync('pkill', ['-x', 'pcscd']);
  await waitFor(() => !isPcscdRunning(), timeoutMs, 'pcscd to exit');
}

/**
 * Starts `pcscd --foreground` (detached, output appended to /tmp/pcscd.log, outliving the test
 * process) unless it runs already, and waits until both vpcd ports listen. Returns the time
 * that took.
 */
export async function startPcscd(timeoutMs = 10_000): Promise<number> {
  const t0 = Date.now();
  if (!isPcscdRunning()) {
    const bin = pcscdBinary();
    if (!bin) throw new Error('pcscd is not installed');
    const log = openSync(PCSCD_LOG, 'a');
    const child = spawn(bin, ['--foreground'], { detached: true, stdio: ['ignore', log, log] });
    child.unref();
  }
  await waitFor(vpcdListening, timeoutMs, 'pcscd to listen on the vpcd ports 35963/35964');
  return Date.now() - t0;
}

/** Client connections currently attached to a vpcd slot (who holds the virtual card). */
export function vpcdClients(slot: number): string[] {
  const r = spawnSync('ss', ['-tnpH', 'state', 'established', `( dport = :${vpcdPort(slot)} )`], {
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout.split('\n').filter((l) => l.trim() !== '') : [];
}

/**
 * Why the pcscd + vpcd integration tests cannot run here, or undefined when they can. Starts
 * pcscd when it is installed but not running (as CI does, DESIGN §9). `MYNA_NO_PCSC=<why>`
 * forces the skip (e.g. on a machine where pcscd serves a real reader nobody may disturb).
 */
export async function pcscUnavailableReason(): Promise<string | undefined> {
  if (process.env.MYNA_NO_PCSC) return `MYNA_NO_PCSC is set (${process.env.MYNA_NO_PCSC})`;
  if (process.platform !== 'linux') return `pcscd + vpcd tests run on Linux only (this is ${process.platform})`;
  if (!pcscdBinary()) return 'pcscd is not installed (apt-get install pcscd)';
  if (!existsSync(VPCD_DRIVER)) return `vsmartcard-vpcd is not installed (${VPCD_DRIVER} missing)`;
  try {
    createRequire(import.meta.url)('pcsclite');
  } catch (e) {
    return `the pcsclite native addon does not load: ${(e as Error).message}`;
  }
  try {
    await startPcscd();
  } catch (e) {
    return `pcscd does not come up with the vpcd readers: ${(e as Error).message}`;
  }
  return undefined;
}

/** The pcscd process ids, for the record. */
export function pcscdPids(): number[] {
  try {
    return execFileSync('pgrep', ['-x', 'pcscd'], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Waits until nobody is attached to a vpcd slot (another test run may be using the virtual
 * card); throws after `timeoutMs` naming who holds it.
 */
export async function waitForFreeSlot(slot: number, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const clients = vpcdClients(slot);
    if (clients.length === 0) return;
    if (Date.now() > end) {
      throw new Error(`vpcd slot ${slot} stays in use by another client after ${timeoutMs} ms:\n${clients.join('\n')}`);
    }
    await sleep(200);
  }
}

/**
 * A started ReaderMonitor once `reader` is free and reported empty: a card that just left it
 * (the previous test file's) is reported gone only at pcscd's next presence poll.
 */
export async function monitorWithEmptyReader(reader: string, slot: 0 | 1): Promise<ReaderMonitor> {
  await waitForFreeSlot(slot);
  const monitor = new ReaderMonitor();
  await monitor.start();
  await waitUntil(() => monitor.reader(reader)?.cardPresent === false, 3000, `${reader} to be empty`);
  return monitor;
}
