/** RFC 8785 canonicalisation: the RFC's own examples and the inputs it must refuse. */
import { describe, expect, it } from 'vitest';
import { canonicalize, canonicalizeToBytes, JcsError } from './jcs.ts';

describe('JCS (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units, recursively, with no white space (§3.2.3 example)', () => {
    // RFC 8785 §3.2.3: the sorting example (keys with non-BMP, BMP and ASCII characters).
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // (Object.keys would list the integer-like key "1" first, so look at the text itself.)
    const order = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'];
    const text = canonicalize(input);
    const positions = order.map((k) => text.indexOf(`${JSON.stringify(k)}:`));
    expect(positions.every((p, i) => p > 0 && (i === 0 || p > (positions[i - 1] as number)))).toBe(true);
    expect(text.startsWith('{"\\r":"Carriage Return","1":"One","\u0080":"Control"')).toBe(true);
  });

  it('serialises numbers like ECMAScript (§3.2.2.3 and Appendix B)', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [1, '1'],
      [-1.5, '-1.5'],
      [1e21, '1e+21'],
      [1e-7, '1e-7'],
      [123456789012345680000, '123456789012345680000'],
      [0.000001, '0.000001'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [9007199254740992, '9007199254740992'],
      [333333333.3333333, '333333333.3333333'],
      [4.5, '4.5'],
      [2e-3, '0.002'],
      [0.000001, '0.000001'],
    ];
    for (const [n, s] of cases) expect(canonicalize(n)).toBe(s);
  });

  it('escapes strings minimally (§3.2.2.2)', () => {
    expect(canonicalize('\u0000\u0008\t\n\u000b\f\r\u001f"\\/\u007f€😀')).toBe(
      '"\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f\\"\\\\/\u007f€😀"',
    );
  });

  it('reproduces the RFC 8785 §3.2.2 example', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        ' "literals": [null, true, false]}',
    );
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('produces UTF-8 without BOM', () => {
    const b = canonicalizeToBytes({ a: '花' });
    expect(Buffer.from(b).toString('hex')).toBe(Buffer.from('{"a":"花"}', 'utf8').toString('hex'));
  });

  it('refuses what is not I-JSON instead of dropping or coercing it', () => {
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    const sparse: unknown[] = [1];
    sparse[2] = 3;
    const bad: unknown[] = [
      undefined,
      () => 1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      10n,
      new Date(0),
      new Map(),
      { a: undefined },
      sparse,
      '\ud800',
      { '\udc00': 1 },
      cyc,
      { [Symbol('s')]: 1 },
    ];
    for (const v of bad) expect(() => canonicalize(v), String(typeof v)).toThrow(JcsError);
    try {
      canonicalize({ a: [0, { b: Number.NaN }] });
    } catch (e) {
      expect((e as JcsError).path).toBe('$.a[1].b');
    }
  });

  it('accepts a shared (non-cyclic) sub-object twice', () => {
    const shared = { x: 1 };
    expect(canonicalize({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });
});
