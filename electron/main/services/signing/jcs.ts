/**
 * JSON Canonicalization Scheme, RFC 8785 — our own implementation (the portal's verifier has
 * its own). Input must be I-JSON (RFC 7493): plain objects, arrays, strings without lone
 * surrogates, finite numbers, booleans, null. Anything else throws JcsError rather than being
 * silently dropped or coerced as JSON.stringify would (undefined, functions, NaN, Infinity,
 * bigint, Date, Map, cycles, sparse arrays, symbol keys).
 *
 *  - object keys sorted by their UTF-16 code units (RFC 8785 §3.2.3) — what Array#sort does
 *    with no comparator, since it compares strings by code unit;
 *  - numbers serialised as ECMAScript Number::toString (§3.2.2.3), -0 as 0;
 *  - strings with the minimal escapes of JSON.stringify (§3.2.2.2): \" \\ \b \f \n \r \t,
 *    other controls as \u00xx (lower-case hex), everything else literal;
 *  - no white space; UTF-8 output.
 */
import { isWellFormed } from './unicode.ts';

export class JcsError extends TypeError {
  /** Where in the value, e.g. `$.children[1].name`. */
  readonly path: string;
  readonly rule: string;

  constructor(path: string, rule: string) {
    super(`${path}: ${rule}`);
    this.name = 'JcsError';
    this.path = path;
    this.rule = rule;
  }
}

const MAX_DEPTH = 64;

export function canonicalize(value: unknown): string {
  const parts: string[] = [];
  write(value, '$', 0, new Set(), parts);
  return parts.join('');
}

export function canonicalizeToBytes(value: unknown): Uint8Array {
  return new Uint8Array(Buffer.from(canonicalize(value), 'utf8'));
}

function write(v: unknown, path: string, depth: number, ancestors: Set<object>, out: string[]): void {
  switch (typeof v) {
    case 'string':
      if (!isWellFormed(v)) throw new JcsError(path, 'string with a lone surrogate');
      out.push(JSON.stringify(v));
      return;
    case 'number':
      if (!Number.isFinite(v)) throw new JcsError(path, 'number is not finite');
      out.push(Object.is(v, -0) ? '0' : String(v));
      return;
    case 'boolean':
      out.push(v ? 'true' : 'false');
      return;
    case 'object':
      break;
    default:
      throw new JcsError(path, `${typeof v} is not JSON`);
  }
  if (v === null) {
    out.push('null');
    return;
  }
  if (depth >= MAX_DEPTH) throw new JcsError(path, `nested deeper than ${MAX_DEPTH}`);
  if (ancestors.has(v)) throw new JcsError(path, 'cycle');
  ancestors.add(v);
  if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (!Object.hasOwn(v, i)) throw new JcsError(`${path}[${i}]`, 'sparse array');
      if (i > 0) out.push(',');
      write(v[i], `${path}[${i}]`, depth + 1, ancestors, out);
    }
    out.push(']');
  } else {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw new JcsError(path, 'not a plain object');
    if (Object.getOwnPropertySymbols(v).length > 0) throw new JcsError(path, 'symbol keys');
    const rec = v as Record<string, unknown>;
    const keys = Object.keys(rec).sort();
    out.push('{');
    keys.forEach((k, i) => {
      if (!isWellFormed(k)) throw new JcsError(path, 'key with a lone surrogate');
      if (i > 0) out.push(',');
      out.push(JSON.stringify(k), ':');
      write(rec[k], `${path}${memberPath(k)}`, depth + 1, ancestors, out);
    });
    out.push('}');
  }
  ancestors.delete(v);
}

function memberPath(k: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k)
    ? `.${k}`
    : `[${JSON.stringify(k.length > 40 ? `${k.slice(0, 40)}…` : k)}]`;
}
