/**
 * Runs the software My Number Card in a pcscd reader through vsmartcard-vpcd (DESIGN §6, §9).
 *   npm run emulator -- --slot 0 --resident resident-01
 */
import { parseArgs } from 'node:util';
import { ApduLog } from './apdu-log.ts';
import { CardSlot } from './card-slot.ts';
import { type FaultConfig, parseCorrupt, parseForceSw } from './faults.ts';
import type { PinId } from './files.ts';
import { loadProfileFile, loadResident } from './load-profile.ts';
import { VpcdClient } from './vpcd-client.ts';

const HELP = `Usage: npm run emulator -- [options]

Puts a software My Number Card (JPKI AP + 券面事項入力補助AP) into a pcscd reader via
vsmartcard-vpcd. vpcd must be loaded by pcscd (Debian: package vsmartcard-vpcd, then restart
pcscd; without systemd run \`pcscd --foreground\`).

Reader / connection
  --slot N            vpcd slot (default 0). Port rule: port = 35963 + N;
                      slot 0 = "Virtual PCD 00 00" (35963), slot 1 = "Virtual PCD 00 01" (35964)
  --port P            connect to this port instead of 35963 + slot
  --host H            vpcd host (default 127.0.0.1)
  --retry-ms MS       reconnect interval when pcscd is down or restarts (default 500)

Card
  --resident ID       demo resident from resources/demo/cards/<ID>.json (default resident-01)
  --card FILE         any CardProfileJson file instead of a demo resident
  --state FILE        keep PIN tries-left counters and changed PINs in this JSON file
                      (written atomically after every change; a corrupt file is an error)

Diagnostics
  --log FILE          append every APDU as one JSON line (header, Lc, Le, SW, timings; never
                      PINs, signing input or card data)

Faults (APDU numbers count from start-up, APDUs only — not power/ATR messages)
  --remove-after N    remove the card (close the vpcd connection) right after answering APDU N
  --reinsert-after MS re-insert the card MS milliseconds after a removal (default: stay removed)
  --delay MS          delay every response by MS milliseconds
  --force-sw INS:SW   answer the next APDU with this INS (hex) with SW instead, e.g. 2A:6982;
                      @N:SW forces SW on APDU N. Repeatable.
  --corrupt N[:MODE]  corrupt the response to APDU N; MODE flip (default: data bytes XOR FF),
                      truncate (1 byte) or oversize (256 extra bytes). Repeatable.
  --lock-pin PIN      set the tries of auth | sign | kenhojo to 0 at start. Repeatable.

Signals
  SIGUSR1 removes the card, SIGUSR2 inserts it; SIGTERM / SIGINT detach and exit 0.

Prints "emulator ready: <card> on <reader> (<host>:<port>)" on stdout when pcscd has picked the
card up; attach/detach lines go to stderr.
`;

function int(name: string, v: string | undefined, min = 0): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} expects an integer ≥ ${min}, got "${v}"`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      help: { type: 'boolean', short: 'h' },
      slot: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'retry-ms': { type: 'string' },
      resident: { type: 'string' },
      card: { type: 'string' },
      state: { type: 'string' },
      log: { type: 'string' },
      'remove-after': { type: 'string' },
      'reinsert-after': { type: 'string' },
      delay: { type: 'string' },
      'force-sw': { type: 'string', multiple: true },
      corrupt: { type: 'string', multiple: true },
      'lock-pin': { type: 'string', multiple: true },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const slot = int('slot', values.slot) ?? 0;
  const port = int('port', values.port, 1);
  const lockPins = (values['lock-pin'] ?? []).map((p) => {
    if (p !== 'auth' && p !== 'sign' && p !== 'kenhojo')
      throw new Error(`--lock-pin expects auth|sign|kenhojo, got "${p}"`);
    return p as PinId;
  });
  const faults: FaultConfig = {
    removeAfter: int('remove-after', values['remove-after'], 1),
    delayMs: int('delay', values.delay),
    forceSw: (values['force-sw'] ?? []).map(parseForceSw),
    corrupt: (values.corrupt ?? []).map(parseCorrupt),
    lockPins,
  };
  const reinsertAfter = int('reinsert-after', values['reinsert-after']);

  const profile = values.card ? loadProfileFile(values.card) : await loadResident(values.resident ?? 'resident-01');
  const log = new ApduLog({ file: values.log });
  const cardSlot = new CardSlot(profile, { statePath: values.state, faults, log });
  const client = new VpcdClient(cardSlot, {
    slot,
    port,
    host: values.host,
    retryMs: int('retry-ms', values['retry-ms'], 10),
  });
  const where = `${client.readerName} (${client.host}:${client.port})`;

  client.on('unreachable', (e) =>
    console.error(`emulator: vpcd at ${client.host}:${client.port} not reachable (${e.message}); retrying`),
  );
  client.on('attached', () => console.error(`emulator: attached to ${where}`));
  client.on('ready', () => console.log(`emulator ready: ${profile.id} on ${where}`));
  client.on('detached', (reason) => console.error(`emulator: detached from ${where}: ${reason}`));
  let reinsertTimer: NodeJS.Timeout | undefined;
  cardSlot.on('removed', () => {
    console.error('emulator: card removed');
    if (reinsertAfter !== undefined) reinsertTimer = setTimeout(() => cardSlot.insert(), reinsertAfter);
  });
  cardSlot.on('inserted', () => console.error('emulator: card inserted'));

  process.on('SIGUSR1', () => cardSlot.remove());
  process.on('SIGUSR2', () => cardSlot.insert());
  const done = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  // While the card is out there is no socket and no timer: keep the process alive until a signal.
  const keepAlive = setInterval(() => {}, 1 << 30);
  client.start();
  await done;
  clearInterval(keepAlive);
  clearTimeout(reinsertTimer);
  await client.stop();
  cardSlot.card.pins.flush();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`emulator: ${(e as Error).message}`);
    process.exit(2);
  },
);
