/** PC/SC access (DESIGN §2 native/pcsc): reader presence, the pcsclite CardTransport, listing. */
export type { PcscBinding } from './binding.ts';
export { describeState, SCARD_STATE } from './card-state.ts';
export { listReaders } from './list-readers.ts';
export { mapPcscError, type PcscErrorContext, type PcscOperation, parsePcscError, SCARD } from './pcsc-errors.ts';
export { MAX_RESPONSE_LENGTH, PcscTransport, type PcscTransportOptions } from './pcsc-transport.ts';
export {
  type MonitorState,
  type ReaderInfo,
  ReaderMonitor,
  type ReaderMonitorEvents,
  type ReaderMonitorOptions,
} from './reader-monitor.ts';
