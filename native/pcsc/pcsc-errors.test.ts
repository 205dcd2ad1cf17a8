import { describe, expect, it } from 'vitest';
import { CardError } from '../apdu/errors.ts';
import { mapPcscError, type PcscOperation, parsePcscError } from './pcsc-errors.ts';

// Messages exactly as node-pcsclite builds them (src/common.h), several of them observed live.
const msg = (fn: string, text: string, code: string) => new Error(`${fn} error: ${text}(0x${code})`);

describe('parsePcscError', () => {
  it('reads the function and the code', () => {
    expect(parsePcscError(msg('SCardConnect', 'Sharing violation.', '8010000b'))).toEqual({
      method: 'SCardConnect',
      code: 0x8010000b,
    });
  });
  it('copes with Windows-style text and errors without a code', () => {
    expect(parsePcscError(new Error('SCardTransmit error: The smart card has been removed.\r\n(0x80100069)'))).toEqual({
      method: 'SCardTransmit',
      code: 0x80100069,
    });
    expect(parsePcscError(new Error('Card Reader not connected'))).toEqual({});
    expect(parsePcscError('weird')).toEqual({});
  });
});

describe('mapPcscError', () => {
  const cases: Array<[string, string, string, PcscOperation, string]> = [
    // observed on this machine (pcscd 1.9.9 + vpcd)
    ['SCardEstablishContext', 'Service not available.', '8010001d', 'context', 'SERVICE_DOWN'],
    ['SCardGetStatusChange', 'RPC transport error.', '80100013', 'context', 'SERVICE_DOWN'],
    ['SCardTransmit', 'Service not available.', '8010001d', 'transmit', 'SERVICE_DOWN'],
    ['SCardConnect', 'Service not available.', '8010001d', 'connect', 'SERVICE_DOWN'],
    ['SCardConnect', 'No smart card inserted.', '8010000c', 'connect', 'NO_CARD'],
    ['SCardConnect', 'Sharing violation.', '8010000b', 'connect', 'READER_BUSY'],
    ['SCardTransmit', 'Transaction failed.', '80100016', 'transmit', 'CARD_REMOVED'],
    ['SCardTransmit', 'Card was removed.', '80100069', 'transmit', 'CARD_REMOVED'],
    // from the PC/SC specification / pcsc-lite sources
    ['SCardConnect', 'Card was removed.', '80100069', 'connect', 'NO_CARD'],
    ['SCardConnect', 'Unknown reader specified.', '80100009', 'connect', 'NO_READER'],
    ['SCardTransmit', 'Reader is unavailable.', '80100017', 'transmit', 'CARD_REMOVED'],
    ['SCardConnect', 'Cannot find a smart card reader.', '8010002e', 'connect', 'NO_READER'],
    ['SCardConnect', 'Card is unresponsive.', '80100066', 'connect', 'TIMEOUT'],
    ['SCardTransmit', 'Command timeout.', '8010000a', 'transmit', 'TIMEOUT'],
    ['SCardConnect', 'Card protocol mismatch.', '8010000f', 'connect', 'NOT_MYNUMBER_CARD'],
    ['SCardTransmit', 'Card was reset.', '80100068', 'transmit', 'CARD_REMOVED'],
    ['SCardTransmit', 'Invalid handle.', '80100003', 'transmit', 'CARD_REMOVED'],
    ['SCardEstablishContext', 'Service was stopped.', '8010001e', 'context', 'SERVICE_DOWN'],
  ];
  it.each(cases)('%s %s(0x%s) during %s → %s', (fn, text, code, op, expected) => {
    const e = mapPcscError(msg(fn, text, code), { operation: op, reader: 'R' });
    expect(e).toBeInstanceOf(CardError);
    expect(e.code).toBe(expected);
    expect(e.details.reader).toBe('R');
    expect(e.details.operation).toBe(`${fn} 0x${code.toUpperCase()}`);
  });

  it('falls back by operation when the error is unknown', () => {
    const weird = new Error('SCardTransmit error: Insufficient buffer.(0x80100008)');
    expect(mapPcscError(weird, { operation: 'transmit' }).code).toBe('CARD_REMOVED');
    expect(mapPcscError(new Error('Card Reader not connected'), { operation: 'transmit' }).code).toBe('CARD_REMOVED');
    expect(mapPcscError(new Error('libpcsclite.so.1: cannot open'), { operation: 'context' }).code).toBe(
      'SERVICE_DOWN',
    );
    expect(mapPcscError(undefined, { operation: 'connect' }).code).toBe('NO_CARD');
  });

  it('keeps the original as cause, and passes CardErrors through', () => {
    const orig = msg('SCardConnect', 'Sharing violation.', '8010000b');
    expect(mapPcscError(orig, { operation: 'connect' }).cause).toBe(orig);
    const ce = new CardError('TIMEOUT');
    expect(mapPcscError(ce, { operation: 'transmit' })).toBe(ce);
  });
});
