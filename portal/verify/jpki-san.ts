/**
 * The four attributes a JPKI sign certificate (署名用電子証明書) carries in its subjectAltName
 * (jpki-protocol §7): otherName entries with OIDs 1.2.392.200149.8.5.5.1–.6, each value
 * `[0] EXPLICIT UTF8String`.
 */
import {
  Asn1Error,
  CLASS_CONTEXT,
  child,
  decodeInner,
  directoryString,
  expectUniversal,
  is,
  oid,
  TAG,
  type Tlv,
} from './der.ts';
import { OID } from './oids.ts';
import type { ParsedCertificate } from './x509.ts';

export interface JpkiAttributes {
  /** 氏名 */
  name?: string;
  /** 氏名代替文字の使用位置: one '0'/'1' per character of the name. */
  nameAltChars?: string;
  /** 性別: '1' male, '2' female, '9' not applicable (as on the card). */
  sex?: string;
  /** 生年月日, Gregorian, YYYY-MM-DD. */
  birthDate?: string;
  /** The era digit of `EYYYYMMDD`: 1 明治, 2 大正, 3 昭和, 4 平成, 5 令和, 0 unknown. */
  birthEra?: number;
  birthEraName?: string;
  /** 住所 */
  address?: string;
  /** 住所代替文字の使用位置 */
  addressAltChars?: string;
  /** Entries that could not be decoded or do not follow the profile (not fatal to the others). */
  problems: string[];
}

export const ERA_NAMES: Record<number, string> = { 0: '不詳', 1: '明治', 2: '大正', 3: '昭和', 4: '平成', 5: '令和' };

/** `EYYYYMMDD` → era digit and ISO date; undefined when it is not a real calendar date. */
export function parseJpkiBirthDate(s: string): { era: number; date: string } | undefined {
  const m = /^([0-5])(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return undefined;
  const [, era, y, mo, d] = m as unknown as [string, string, string, string, string];
  const dt = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (dt.getUTCFullYear() !== Number(y) || dt.getUTCMonth() !== Number(mo) - 1 || dt.getUTCDate() !== Number(d)) {
    return undefined;
  }
  return { era: Number(era), date: `${y}-${mo}-${d}` };
}

// First day of each era (the accession day itself is written in the new era; accept both).
const ERA_STARTS: [number, string][] = [
  [1, '1868-01-25'],
  [2, '1912-07-30'],
  [3, '1926-12-25'],
  [4, '1989-01-08'],
  [5, '2019-05-01'],
];

/** Whether an era digit fits a Gregorian date (0 = unknown fits anything). */
export function eraFitsDate(era: number, date: string): boolean {
  if (era === 0) return true;
  const start = ERA_STARTS.find(([e]) => e === era)?.[1];
  const next = ERA_STARTS.find(([e]) => e === era + 1)?.[1];
  if (!start || date < start) return false;
  return next === undefined || date <= next;
}

const codePoints = (s: string) => [...s].length;

/** Decodes the JPKI otherName entries of a subjectAltName extension value (DER GeneralNames). */
export function decodeJpkiSubjectAltName(extValue: Uint8Array): JpkiAttributes {
  const out: JpkiAttributes = { problems: [] };
  let names: Tlv;
  try {
    names = expectUniversal(decodeInner(extValue), TAG.SEQUENCE, 'GeneralNames');
  } catch (e) {
    out.problems.push(`subjectAltName is not valid DER: ${(e as Error).message}`);
    return out;
  }
  const raw = new Map<string, string>();
  for (const gn of names.children) {
    // otherName [0] IMPLICIT SEQUENCE { type-id OBJECT IDENTIFIER, value [0] EXPLICIT ANY }
    if (!is(gn, CLASS_CONTEXT, 0, true)) continue;
    let type = '?';
    try {
      type = oid(extValue, child(gn, 0, 'type-id'));
      if (!type.startsWith('1.2.392.200149.8.5.5.')) continue;
      const wrapper = child(gn, 1, 'otherName value');
      if (!is(wrapper, CLASS_CONTEXT, 0, true) || wrapper.children.length !== 1) {
        throw new Asn1Error('value is not [0] EXPLICIT', wrapper.start);
      }
      const v = wrapper.children[0] as Tlv;
      if (!is(v, 0, TAG.UTF8_STRING, false)) out.problems.push(`${type}: value is not a UTF8String`);
      const text = directoryString(extValue, v);
      if (raw.has(type)) out.problems.push(`${type}: appears more than once`);
      else raw.set(type, text);
    } catch (e) {
      out.problems.push(`${type}: ${(e as Error).message}`);
    }
  }
  const name = raw.get(OID.jpkiName);
  const nameAlt = raw.get(OID.jpkiNameAltChars);
  const sex = raw.get(OID.jpkiSex);
  const birth = raw.get(OID.jpkiBirthDate);
  const address = raw.get(OID.jpkiAddress);
  const addressAlt = raw.get(OID.jpkiAddressAltChars);
  if (name !== undefined) out.name = name;
  if (nameAlt !== undefined) {
    out.nameAltChars = nameAlt;
    if (!/^[01]*$/.test(nameAlt)) out.problems.push('name alternative-character positions are not 0/1 digits');
    else if (name !== undefined && nameAlt.length !== codePoints(name)) {
      out.problems.push('name alternative-character positions do not match the length of the name');
    }
  }
  if (sex !== undefined) {
    out.sex = sex;
    if (!/^[0129]$/.test(sex)) out.problems.push(`sex code ${JSON.stringify(sex)} is not 1, 2 or 9`);
  }
  if (birth !== undefined) {
    const b = parseJpkiBirthDate(birth);
    if (b) {
      out.birthDate = b.date;
      out.birthEra = b.era;
      out.birthEraName = ERA_NAMES[b.era] as string;
      if (!eraFitsDate(b.era, b.date)) {
        out.problems.push(`birth date era digit ${b.era} (${ERA_NAMES[b.era]}) does not fit ${b.date}`);
      }
    } else {
      out.problems.push(`birth date ${JSON.stringify(birth)} is not EYYYYMMDD`);
    }
  }
  if (address !== undefined) out.address = address;
  if (addressAlt !== undefined) {
    out.addressAltChars = addressAlt;
    if (!/^[01]*$/.test(addressAlt)) out.problems.push('address alternative-character positions are not 0/1 digits');
    else if (address !== undefined && addressAlt.length !== codePoints(address)) {
      out.problems.push('address alternative-character positions do not match the length of the address');
    }
  }
  return out;
}

/** The JPKI attributes of a certificate; `problems` says so when it has no subjectAltName. */
export function jpkiAttributesOf(cert: ParsedCertificate): JpkiAttributes {
  const san = cert.extensions.get(OID.subjectAltName);
  if (!san) return { problems: ['the certificate has no subjectAltName'] };
  return decodeJpkiSubjectAltName(san.value);
}
