/** Public surface of the software My Number Card (DESIGN §6). */

export { type ApduEntry, ApduLog, type EventEntry, type LogEntry, readApduLogFile } from './apdu-log.ts';
export { EmulatedCard, type EmulatedCardOptions, MYNA_ATR } from './card.ts';
export { CardSlot, type CardSlotOptions } from './card-slot.ts';
export { type CorruptMode, type FaultConfig, Faults, type ForceSwRule } from './faults.ts';
export { AID, type ApId, JPKI_EF, KENHOJO_EF, type PinId } from './files.ts';
export { InProcessTransport, type InProcessTransportOptions } from './in-process-transport.ts';
export { loadProfileFile, loadResident } from './load-profile.ts';
export { PinStore, StateFileError } from './pin-store.ts';
export { VPCD_BASE_PORT, VpcdClient, type VpcdClientOptions, vpcdReaderName } from './vpcd-client.ts';
