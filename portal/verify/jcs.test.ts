import { describe, expect, it } from 'vitest';
import { canonicalize, checkCanonical, isCanonical, JcsError } from './jcs.ts';

const u8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('RFC 8785 canonical JSON', () => {
  it('reproduces the RFC 8785 §3.2.2 example', () => {
    const input =
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}';
    expect(canonicalize(JSON.parse(input))).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units (RFC 8785 §3.2.3 example)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // (JS objects list integer-like keys first, so compare the text, not Object.keys of a parse)
    const text = canonicalize(input);
    const order = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'].map((k) =>
      text.indexOf(`${JSON.stringify(k)}:`),
    );
    expect(order.every((x) => x >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('serialises numbers like ECMAScript (RFC 8785 Appendix B samples)', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [1e21, '1e+21'],
      [1e20, '100000000000000000000'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [9007199254740992, '9007199254740992'],
      [-1.5, '-1.5'],
      [0.000001, '0.000001'],
      [1e-7, '1e-7'],
    ];
    for (const [n, s] of cases) expect(canonicalize(n)).toBe(s);
  });

  it('escapes only what it must, with lower-case hex', () => {
    expect(canonicalize('\u0000\u0008\u0009\u000a\u000c\u000d\u001f"\\/\u007f\u2028𠮷')).toBe(
      '"\\u0000\\b\\t\\n\\f\\r\\u001f\\"\\\\/\u007f\u2028𠮷"',
    );
  });

  it('refuses what I-JSON cannot carry', () => {
    expect(() => canonicalize(Number.NaN)).toThrow(JcsError);
    expect(() => canonicalize(Number.POSITIVE_INFINITY)).toThrow(JcsError);
    expect(() => canonicalize('\ud800')).toThrow(JcsError);
    expect(() => canonicalize({ a: undefined })).toThrow(JcsError);
    expect(() => canonicalize(new Date())).toThrow(JcsError);
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => canonicalize(deep)).toThrow(JcsError);
  });

  it('isCanonical accepts exactly the canonical bytes', () => {
    expect(isCanonical(u8('{"a":[1,2,{"b":null}],"c":"見本　花子"}'))).toBe(true);
    const not = [
      '{"c":1,"a":2}', // unsorted
      '{"a": 1}', // white space
      '{"a":1}\n', // trailing newline
      '\ufeff{"a":1}', // BOM
      '{"a":1.0}', // number form
      '{"a":1e2}',
      '{"a":"\\u00e9"}', // unnecessary escape
      '{"a":"\\/"}',
      '{"a":1,"a":1}', // duplicate name
      '{"a":"\\ud800"}', // lone surrogate
      '{"a":', // not JSON
    ];
    for (const s of not) expect(isCanonical(u8(s)), s).toBe(false);
    expect(isCanonical(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]))).toBe(false); // invalid UTF-8
  });

  it('says why a manifest is not canonical, in both languages', () => {
    const r = checkCanonical(u8('{"b":1, "a":2}'));
    expect(r.canonical).toBe(false);
    if (!r.canonical) {
      expect(r.reason).toMatch(/canonical form/);
      expect(r.reasonJa).toMatch(/正規形/);
      expect(r.value).toEqual({ a: 2, b: 1 });
    }
  });
});
