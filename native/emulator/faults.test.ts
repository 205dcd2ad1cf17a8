import { describe, expect, it } from 'vitest';
import { corruptResponse, parseCorrupt, parseForceSw } from './faults.ts';
import { h, toHex } from './test-profile.ts';

describe('fault CLI syntax', () => {
  it('parses --force-sw INS:SW and @N:SW', () => {
    expect(parseForceSw('2A:6982')).toEqual({ ins: 0x2a, sw: 0x6982 });
    expect(parseForceSw('@5:6a82')).toEqual({ apdu: 5, sw: 0x6a82 });
    expect(() => parseForceSw('2A=6982')).toThrow(/INS:SW/);
    expect(() => parseForceSw('12A:6982')).toThrow(/one byte/);
  });

  it('parses --corrupt N[:mode]', () => {
    expect(parseCorrupt('3')).toEqual({ apdu: 3, mode: 'flip' });
    expect(parseCorrupt('7:truncate')).toEqual({ apdu: 7, mode: 'truncate' });
    expect(() => parseCorrupt('7:melt')).toThrow(/flip\|truncate\|oversize/);
  });
});

describe('corruptResponse', () => {
  it('flip / truncate / oversize', () => {
    expect(toHex(corruptResponse(h('0102039000'), 'flip'))).toBe('FEFDFC9000');
    expect(toHex(corruptResponse(h('6982'), 'flip'))).toBe('967D');
    expect(toHex(corruptResponse(h('0102039000'), 'truncate'))).toBe('01');
    const big = corruptResponse(h('0102039000'), 'oversize');
    expect(big.length).toBe(261);
    expect(toHex(big.subarray(0, 4))).toBe('010203EE');
    expect(toHex(big.subarray(-3))).toBe('EE9000');
  });
});
