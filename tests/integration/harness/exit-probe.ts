/**
 * Child process for the "close() lets the process exit" check: uses a monitor, a transport and
 * listReaders against the real pcscd, closes them, and then does nothing. If any native handle
 * or timer were left, the process would not exit on its own. Prints one JSON line.
 */
import { listReaders } from '../../../native/pcsc/list-readers.ts';
import { PcscTransport } from '../../../native/pcsc/pcsc-transport.ts';
import { ReaderMonitor } from '../../../native/pcsc/reader-monitor.ts';

const reader = process.argv[2] ?? 'Virtual PCD 00 00';
const readers = await listReaders();
const monitor = new ReaderMonitor();
await monitor.start();
const transport = new PcscTransport(reader, { monitor });
let result: string;
try {
  result = Buffer.from(
    await transport.withCard(async (ch) => ch.transmit(Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x02, 0xd3, 0x92))),
  ).toString('hex');
} catch (e) {
  result = (e as { code?: string }).code ?? String(e);
}
await transport.close();
await monitor.close();
process.stdout.write(`${JSON.stringify({ readers: readers.map((r) => r.name), result, closedAt: Date.now() })}\n`);
