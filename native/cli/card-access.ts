/**
 * Which card the CLI talks to: a PC/SC reader (named with --reader, else the first one holding
 * a card) or, with --emulator, a demo resident's card in-process.
 */
import { CardError } from '../apdu/errors.ts';
import type { CardTransport } from '../card-transport.ts';
import { InProcessTransport } from '../emulator/in-process-transport.ts';
import { loadResident } from '../emulator/load-profile.ts';
import { listReaders } from '../pcsc/list-readers.ts';
import { PcscTransport } from '../pcsc/pcsc-transport.ts';
import type { ReaderInfo } from '../pcsc/reader-monitor.ts';

export type { ReaderInfo };

export interface CardAccessOptions {
  reader?: string | undefined;
  /** Demo resident id for the in-process emulator. */
  emulator?: string | undefined;
}

export interface CardAccess {
  transport: CardTransport;
  readerName: string;
  close(): Promise<void>;
}

export function listReadersForCli(): Promise<ReaderInfo[]> {
  return listReaders();
}

export async function openCardAccess(o: CardAccessOptions): Promise<CardAccess> {
  if (o.emulator) {
    const t = new InProcessTransport(await loadResident(o.emulator), { readerName: `emulator (${o.emulator})` });
    return { transport: t, readerName: t.readerName, close: () => t.close() };
  }
  const readers = await listReaders();
  let name: string;
  if (o.reader) {
    const r = readers.find((x) => x.name === o.reader);
    if (!r) throw new CardError('NO_READER', { reader: o.reader });
    if (!r.cardPresent) throw new CardError('NO_CARD', { reader: o.reader });
    name = r.name;
  } else {
    if (readers.length === 0) throw new CardError('NO_READER');
    const r = readers.find((x) => x.cardPresent);
    if (!r) throw new CardError('NO_CARD');
    name = r.name;
  }
  const t = new PcscTransport(name);
  return { transport: t, readerName: name, close: () => t.close() };
}
