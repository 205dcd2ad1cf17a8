/**
 * `npm start` until the Electron shell exists: put a demo resident's card where PC/SC programs
 * can see it and run `myna selftest` against it. A real card in a real reader wins over the
 * emulator (DESIGN §1). Without pcscd + vpcd the selftest runs against the in-process emulator.
 */
import { isCardError } from '../apdu/errors.ts';
import { CardSlot } from '../emulator/card-slot.ts';
import { loadResident } from '../emulator/load-profile.ts';
import { VpcdClient, vpcdReaderName } from '../emulator/vpcd-client.ts';
import { listReaders } from '../pcsc/list-readers.ts';
import { main as myna } from './main.ts';

const resident = process.env.MYNA_DEMO_RESIDENT ?? 'resident-01';
const slot = 0;

async function start(): Promise<number> {
  let readers: Awaited<ReturnType<typeof listReaders>> | undefined;
  try {
    readers = await listReaders();
  } catch (e) {
    if (!isCardError(e, 'SERVICE_DOWN')) throw e;
  }
  const real = readers?.find((r) => r.cardPresent && !r.name.startsWith('Virtual PCD'));
  if (real) {
    console.log(`A card is present in ${real.name}: using it, not the emulator.\n`);
    return myna(['selftest', '--reader', real.name]);
  }
  const vpcd = readers?.find((r) => r.name === vpcdReaderName(slot));
  if (!vpcd) {
    console.log(
      readers
        ? 'pcscd runs but has no vsmartcard-vpcd reader: using the in-process emulator.\n'
        : 'pcscd is not running: using the in-process emulator. (Debian: apt-get install pcscd vsmartcard-vpcd; pcscd --foreground &)\n',
    );
    return myna(['selftest', '--resident', resident]);
  }
  if (vpcd.cardPresent) {
    console.log(`${vpcd.name} already holds a card (another emulator?): testing that one.\n`);
    return myna(['selftest', '--reader', vpcd.name]);
  }

  const cardSlot = new CardSlot(await loadResident(resident));
  const client = new VpcdClient(cardSlot, { slot });
  const ready = new Promise<void>((resolve) => client.once('ready', () => resolve()));
  client.start();
  await ready;
  // pcscd notices the new card on its next presence poll (~0.44 s, jpki-protocol §6.3)
  await new Promise((r) => setTimeout(r, 1000));
  console.log(`Demo card of ${resident} inserted into ${client.readerName}.\n`);
  const code = await myna(['selftest', '--reader', client.readerName]);
  console.log(`
The emulated card stays in "${client.readerName}" until you press Ctrl-C. Try, in another terminal:
  scripts/myna status
  scripts/myna cert auth --pem
  scripts/myna basic-info          (kenhojo PIN of ${resident}: see resources/demo/residents.json)
  pkcs15-tool --reader "${client.readerName}" --list-certificates
`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await client.stop();
  return code;
}

start().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`start failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
