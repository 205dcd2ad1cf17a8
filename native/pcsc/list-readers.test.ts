import { describe, expect, it } from 'vitest';
import { isCardError } from '../apdu/errors.ts';
import { FakePcscSystem } from './fake-pcsclite.ts';
import { listReaders } from './list-readers.ts';

describe('listReaders (fake pcsclite)', () => {
  it('returns every reader with card presence and ATR, and closes its context', async () => {
    const sys = new FakePcscSystem();
    sys.addReader('Virtual PCD 00 00');
    sys.addReader('Virtual PCD 00 01');
    sys.insertCard('Virtual PCD 00 01', '3BDA13');
    const readers = await listReaders({ binding: () => sys.binding });
    expect(readers).toEqual([
      { name: 'Virtual PCD 00 00', cardPresent: false, atr: '' },
      { name: 'Virtual PCD 00 01', cardPresent: true, atr: '3BDA13' },
    ]);
    expect(sys.liveContexts).toBe(0);
  });

  it('SERVICE_DOWN when pcscd is not running, without retrying afterwards', async () => {
    const sys = new FakePcscSystem();
    sys.stop();
    const err = await listReaders({ binding: () => sys.binding, retryDelaysMs: [5] }).catch((e: unknown) => e);
    expect(isCardError(err, 'SERVICE_DOWN')).toBe(true);
    const attempts = sys.created;
    await new Promise((r) => setTimeout(r, 30));
    expect(sys.created).toBe(attempts);
  });

  it('SERVICE_DOWN too when the native addon cannot be loaded', async () => {
    const err = await listReaders({
      binding: () => {
        throw new Error('libpcsclite.so.1: cannot open shared object file');
      },
    }).catch((e: unknown) => e);
    expect(isCardError(err, 'SERVICE_DOWN')).toBe(true);
  });
});
