/**
 * 券面事項入力補助AP (jpki-protocol §3): its own 4-digit PIN (EF 0011, a counter separate from
 * the JPKI auth PIN), the My Number (EF 0001) and the basic 4 information (EF 0002).
 */
import { AID, selectAid, selectEf } from '../apdu/commands.ts';
import { CardError } from '../apdu/errors.ts';
import { exchange, exchangeOk } from '../apdu/exchange.ts';
import { readTlvFile } from '../apdu/read-file.ts';
import { SW, swHex } from '../apdu/response.ts';
import type { CardChannel } from '../card-transport.ts';
import { readTlv, readTlvs } from './ber.ts';

export const KENHOJO_EF = { MY_NUMBER: 0x0001, BASIC4: 0x0002, PIN: 0x0011 } as const;

export interface BasicInfo {
  name: string;
  address: string;
  /** YYYYMMDD as stored on the card */
  birthDate: string;
  /** "1" male, "2" female, "9" not applicable (ISO 5218) */
  sex: string;
}

const MAX_KENHOJO_FILE = 4096;

export async function selectKenhojo(ch: CardChannel): Promise<void> {
  const r = await exchange(ch, selectAid(AID.KENHOJO));
  if (r.sw === SW.OK) return;
  if ((r.sw & 0xff00) === 0x6a00) throw new CardError('NOT_MYNUMBER_CARD', { sw: swHex(r.sw) });
  throw new CardError('UNEXPECTED_SW', { operation: 'select kenhojo AP', sw: swHex(r.sw) });
}

export async function selectKenhojoEf(ch: CardChannel, fid: number, operation: string): Promise<void> {
  await exchangeOk(ch, selectEf(fid), operation);
}

/** EF 0001: `DF 10 0C` + 12 ASCII digits (§3.3). */
export async function readMyNumberEf(ch: CardChannel): Promise<string> {
  await selectKenhojoEf(ch, KENHOJO_EF.MY_NUMBER, 'select My Number');
  const data = await readTlvFile(ch, { maxSize: 64, operation: 'read My Number' });
  return decodeMyNumber(data);
}

export function decodeMyNumber(data: Uint8Array): string {
  const t = readTlv(data);
  if (t.tag !== 0xdf10) throw new CardError('MALFORMED_RESPONSE', { operation: 'My Number: unexpected tag' });
  const digits = Buffer.from(t.value).toString('latin1');
  if (!/^[0-9]{12}$/.test(digits)) throw new CardError('MALFORMED_RESPONSE', { operation: 'My Number: not 12 digits' });
  return digits;
}

/** EF 0002: `FF20 { DF21 offsets, DF22 name, DF23 address, DF24 birth, DF25 sex }` (§3.4). */
export async function readBasicInfoEf(ch: CardChannel): Promise<BasicInfo> {
  await selectKenhojoEf(ch, KENHOJO_EF.BASIC4, 'select basic info');
  const data = await readTlvFile(ch, { maxSize: MAX_KENHOJO_FILE, operation: 'read basic info' });
  return decodeBasicInfo(data);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeBasicInfo(data: Uint8Array): BasicInfo {
  const outer = readTlv(data);
  if (outer.tag !== 0xff20) throw new CardError('MALFORMED_RESPONSE', { operation: 'basic info: unexpected tag' });
  const fields = new Map<number, Uint8Array>();
  for (const t of readTlvs(outer.value)) fields.set(t.tag, t.value);
  const text = (tag: number, what: string): string => {
    const v = fields.get(tag);
    if (!v) throw new CardError('MALFORMED_RESPONSE', { operation: `basic info: ${what} missing` });
    try {
      return utf8.decode(v);
    } catch {
      throw new CardError('MALFORMED_RESPONSE', { operation: `basic info: ${what} is not UTF-8` });
    }
  };
  const info = {
    name: text(0xdf22, 'name'),
    address: text(0xdf23, 'address'),
    birthDate: text(0xdf24, 'birth date'),
    sex: text(0xdf25, 'sex'),
  };
  if (!/^[0-9]{8}$/.test(info.birthDate))
    throw new CardError('MALFORMED_RESPONSE', { operation: 'basic info: birth date' });
  if (!/^[129]$/.test(info.sex)) throw new CardError('MALFORMED_RESPONSE', { operation: 'basic info: sex' });
  return info;
}
