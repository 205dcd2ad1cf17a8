/**
 * The handful of commands the My Number Card understands (jpki-protocol §1, §2). Each builder
 * returns a CommandApdu; nothing here talks to a card.
 */
import type { CommandApdu } from './command.ts';

export const AID = {
  /** JPKI AP (公的個人認証) — jpki-protocol §1 */
  JPKI: Uint8Array.from([0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01]),
  /** 券面事項入力補助AP — jpki-protocol §1 */
  KENHOJO: Uint8Array.from([0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08]),
} as const;

/** SELECT by DF name, no FCI (P2=0C): `00 A4 04 0C 0A <AID>` — §1 */
export function selectAid(aid: Uint8Array): CommandApdu {
  return { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: aid };
}

/** SELECT EF by 2-byte id: `00 A4 02 0C 02 <FID>` — §1 (P1=09 does not work on the card) */
export function selectEf(fid: number): CommandApdu {
  return { cla: 0x00, ins: 0xa4, p1: 0x02, p2: 0x0c, data: Uint8Array.from([fid >> 8, fid & 0xff]) };
}

/** READ BINARY at a 15-bit offset — §2.2 */
export function readBinary(offset: number, le: number, extended = false): CommandApdu {
  if (offset < 0 || offset > 0x7fff) throw new RangeError('READ BINARY offset out of range');
  return { cla: 0x00, ins: 0xb0, p1: offset >> 8, p2: offset & 0xff, le, extended };
}

/** VERIFY against the current PIN EF (P2=80). Without data it only asks for tries left — §2.3 */
export function verify(pin?: Uint8Array): CommandApdu {
  return pin && pin.length > 0
    ? { cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80, data: pin }
    : { cla: 0x00, ins: 0x20, p1: 0x00, p2: 0x80 };
}

/** CHANGE REFERENCE DATA, P1=01: data is the new value only (old one verified first) — §2.5 */
export function changeReferenceData(newPin: Uint8Array): CommandApdu {
  return { cla: 0x00, ins: 0x24, p1: 0x01, p2: 0x80, data: newPin };
}

/** COMPUTE DIGITAL SIGNATURE over a DigestInfo with the selected key EF: `80 2A 00 80 Lc … 00` — §2.4 */
export function computeSignature(digestInfo: Uint8Array): CommandApdu {
  return { cla: 0x80, ins: 0x2a, p1: 0x00, p2: 0x80, data: digestInfo, le: 256 };
}
