/**
 * The one seam between the card protocol code and whatever carries APDUs (DESIGN §5):
 * pcsclite in production and integration tests, the in-process emulator in unit tests and
 * the demo fallback.
 */
export interface CardChannel {
  /** Sends one C-APDU, returns the raw R-APDU (data ‖ SW1 SW2). */
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
}

export interface CardTransport {
  /** Human-readable reader name, e.g. "Virtual PCD 00 00" or "emulator". */
  readonly readerName: string;
  /** The ATR of the card currently present (empty when none). */
  atr(): Uint8Array;
  /**
   * Runs `fn` with exclusive access to the card: one PC/SC transaction, serialised with every
   * other operation of this transport. `resetAfter` asks the transport to reset the card when
   * the operation ends, so that a verified PIN does not outlive it.
   */
  withCard<T>(fn: (ch: CardChannel) => Promise<T>, opts?: { resetAfter?: boolean }): Promise<T>;
  /**
   * Increments whenever a card is inserted (or the reader reconnects), so that what was learnt
   * about "the card" — cached public certificates, tries left — is dropped with it. Optional:
   * without it nothing is cached between operations.
   */
  cardGeneration?(): number;
  close(): Promise<void>;
}
