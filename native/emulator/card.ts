/**
 * The APDU processor of the software My Number Card. Behaviour traces to
 * /work/shared/research/jpki-protocol.md (section numbers in comments). Where the research marks
 * the real card's answer as unknown ([U]), the choice made here is documented at the point of use
 * and summarised in README.md of this folder.
 */
import { constants, privateEncrypt } from 'node:crypto';
import { type ParsedCommand, parseApdu } from '../apdu/command.ts';
import { SW } from '../apdu/response.ts';
import { AID, type Ap, type ApId, buildCardFiles, type Ef, type PinEf, type PinId } from './files.ts';
import { PinStore } from './pin-store.ts';
import type { CardProfile } from './profile.ts';

/** Contact ATR of the current My Number Card, T=1 (jpki-protocol §4.1). */
export const MYNA_ATR = Uint8Array.from([
  0x3b, 0xda, 0x13, 0xff, 0x81, 0x31, 0xfb, 0x46, 0x80, 0x12, 0x39, 0x2f, 0x31, 0xc1, 0x73, 0xc6, 0x01, 0xc0, 0x3b,
]);

/** Extra status words not in the shared SW table. */
const SW_WRONG_DATA = 0x6a80;
const SW_REF_NOT_FOUND = 0x6a88;
const SW_RECORD_NOT_FOUND = 0x6a83;

/** PKCS#1 v1.5 type-1 padding needs 11 bytes: at most k − 11 = 245 bytes of input for RSA-2048 (§2.4). */
const PKCS1_OVERHEAD = 11;

/** New-PIN format rules (jpki-protocol §2.3 table, §3.1). */
const PIN_RULES: Record<PinId, { min: number; max: number; chars: RegExp }> = {
  auth: { min: 4, max: 4, chars: /^[0-9]+$/ },
  kenhojo: { min: 4, max: 4, chars: /^[0-9]+$/ },
  sign: { min: 6, max: 16, chars: /^(?=.*[A-Z])(?=.*[0-9])[A-Z0-9]+$/ },
};

export interface EmulatedCardOptions {
  /** JSON file for PIN counters and changed PINs (see pin-store.ts). */
  statePath?: string;
  /** Use an existing store instead (statePath is then ignored). */
  pins?: PinStore;
}

function sw(word: number, data?: Uint8Array): Uint8Array {
  const n = data?.length ?? 0;
  const out = new Uint8Array(n + 2);
  if (data) out.set(data, 0);
  out[n] = word >> 8;
  out[n + 1] = word & 0xff;
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export class EmulatedCard {
  readonly profile: CardProfile;
  readonly pins: PinStore;
  private readonly aps: Map<ApId, Ap>;
  private powered = false;
  private currentAp: Ap | undefined;
  private currentEf: Ef | undefined;
  /** PINs verified since the current AP was selected (volatile, jpki-protocol §1, §6.3). */
  private readonly verified = new Set<PinId>();

  constructor(profile: CardProfile, opts: EmulatedCardOptions = {}) {
    this.profile = profile;
    this.aps = buildCardFiles(profile);
    this.pins = opts.pins ?? new PinStore(profile, { statePath: opts.statePath });
    this.powerOn();
  }

  get atr(): Uint8Array {
    return MYNA_ATR.slice();
  }

  get isPowered(): boolean {
    return this.powered;
  }

  /** Volatile state is lost on every power transition; PIN counters are kept (§6.3). */
  powerOn(): void {
    this.clearSession();
    this.powered = true;
  }

  powerOff(): void {
    this.clearSession();
    this.powered = false;
  }

  reset(): void {
    this.clearSession();
    this.powered = true;
  }

  /** For tests and diagnostics only: which AP/EF is current and which PINs are verified. */
  sessionState(): { ap: ApId | undefined; ef: number | undefined; verified: PinId[] } {
    return { ap: this.currentAp?.id, ef: this.currentEf?.fid, verified: [...this.verified] };
  }

  /** Processes one C-APDU and returns the R-APDU (data ‖ SW1 SW2). Never throws. */
  handle(apdu: Uint8Array): Uint8Array {
    // A reader always powers the card before the first APDU; if a host skips that, behave as if
    // it had (an unpowered real card would simply be mute).
    if (!this.powered) this.powerOn();
    let c: ParsedCommand;
    try {
      c = parseApdu(apdu);
    } catch {
      return sw(SW.WRONG_LENGTH);
    }
    // Only the interindustry class 00 and the proprietary class 80 (COMPUTE DIGITAL SIGNATURE,
    // §2.4) exist on this card; secure messaging / logical channels are not supported.
    if (c.cla !== 0x00 && c.cla !== 0x80) return sw(SW.CLA_NOT_SUPPORTED);
    if (c.cla === 0x80) {
      return c.ins === 0x2a ? this.computeSignature(c) : sw(SW.INS_NOT_SUPPORTED);
    }
    switch (c.ins) {
      case 0xa4:
        return this.select(c);
      case 0xb0:
        return this.readBinary(c);
      case 0x20:
        return this.verify(c);
      case 0x24:
        return this.changeReferenceData(c);
      case 0x2a:
        // §2.4: the card's PSO/COMPUTE DIGITAL SIGNATURE is proprietary (CLA 80). The ISO class
        // is refused as a class error — choice, the real card's SW here is [U].
        return sw(SW.CLA_NOT_SUPPORTED);
      case 0xb2:
        // READ RECORD exists on the 住基AP (§1, myna-rs); no record files are modelled.
        return sw(SW_RECORD_NOT_FOUND);
      default:
        return sw(SW.INS_NOT_SUPPORTED);
    }
  }

  private clearSession(): void {
    this.currentAp = undefined;
    this.currentEf = undefined;
    this.verified.clear();
  }

  // ---- SELECT (§1) -----------------------------------------------------------------------

  private select(c: ParsedCommand): Uint8Array {
    // P2 0C = no response data (what every client sends); 00 = "return FCI" (jsapdu) — the FCI
    // content is [U], so 9000 without data is returned. Anything else is refused.
    if (c.p2 !== 0x0c && c.p2 !== 0x00) return sw(SW.WRONG_P1P2);
    if (c.p1 === 0x04) return this.selectAp(c.data);
    // P1 02 = EF under the current DF; P1 09 "didn't work" on the real card (OpenSC #801, §1) —
    // its exact SW is [U]; 6A86 (wrong P1/P2) like every other unsupported P1.
    if (c.p1 === 0x02) return this.selectEf(c.data);
    return sw(SW.WRONG_P1P2);
  }

  private selectAp(aid: Uint8Array): Uint8Array {
    if (aid.length < 1 || aid.length > 16) return sw(SW.WRONG_LENGTH);
    // Full DF name match only; partial-name selection (ATR historical bytes) is not modelled.
    for (const ap of this.aps.values()) {
      if (equalBytes(ap.aid, aid)) {
        // Selecting an AP (even the current one) drops every verified PIN and the current EF:
        // OpenSC's logout = re-select (§1, §8.10).
        this.clearSession();
        this.currentAp = ap;
        return sw(SW.OK);
      }
    }
    // Unknown AID: ISO "file not found", selection unchanged (§4.3; OpenSC's probes expect it).
    return sw(SW.FILE_NOT_FOUND);
  }

  private selectEf(fidBytes: Uint8Array): Uint8Array {
    if (fidBytes.length !== 2) return sw(SW.WRONG_LENGTH);
    const fid = ((fidBytes[0] as number) << 8) | (fidBytes[1] as number);
    // EF ids are relative to the current AP; with no AP selected nothing is found.
    const ef = this.currentAp?.efs.get(fid);
    if (!ef) return sw(SW.FILE_NOT_FOUND);
    this.currentEf = ef;
    return sw(SW.OK);
  }

  /** Resolves a short EF id (1..30) in the current AP, if the AP supports that form. */
  private efBySfi(sfi: number): Ef | undefined | 'unsupported' {
    if (!this.currentAp?.shortEfIds) return 'unsupported';
    for (const ef of this.currentAp.efs.values()) if (ef.fid <= 0x1f && (ef.fid & 0x1f) === sfi) return ef;
    return undefined;
  }

  // ---- READ BINARY (§2.2, §3.3, §3.4) -----------------------------------------------------

  private readBinary(c: ParsedCommand): Uint8Array {
    if (c.data.length > 0 || c.le === undefined) return sw(SW.WRONG_LENGTH);
    let ef: Ef | undefined;
    let offset: number;
    if (c.p1 & 0x80) {
      // Short EF id form P1 = 100x xxxx, offset = P2 (jsapdu `00 B0 8s 00 …`, §2.2, §5.2).
      if (c.p1 & 0x60) return sw(SW.WRONG_P1P2);
      const found = this.efBySfi(c.p1 & 0x1f);
      // JPKI AP: the SFI form is unconfirmed ([U]); refused as "not found" rather than served.
      if (found === 'unsupported' || found === undefined) return sw(SW.FILE_NOT_FOUND);
      ef = found;
      this.currentEf = ef; // ISO 7816-4: an EF read by SFI becomes the current EF
      offset = c.p2;
    } else {
      ef = this.currentEf;
      offset = (c.p1 << 8) | c.p2; // 15-bit offset (§2.2)
    }
    // No current EF → 6986 (as myna-rs's test double does, §4.3 [U]).
    if (!ef) return sw(SW.COMMAND_NOT_ALLOWED_NO_EF);
    // Keys and PINs are never readable. Choice: 6986 "command not allowed" rather than 6982,
    // because no PIN would ever make the read succeed ([U] on the real card).
    if (ef.kind !== 'binary') return sw(SW.COMMAND_NOT_ALLOWED_NO_EF);
    // Sign certificate / kenhojo data need their PIN in this AP session (§2.1, §3.1): 6982.
    if (ef.readPin && !this.verified.has(ef.readPin)) return sw(SW.SECURITY_STATUS_NOT_SATISFIED);
    // Offset at or past the end → 6B00 (ISO; the real card's SW is [U], §2.2).
    if (offset >= ef.data.length) return sw(SW.WRONG_OFFSET);
    // Le > remaining → what is left + 9000; never 61xx/6Cxx (§2.2 [I], §4.2).
    const n = Math.min(c.le, ef.data.length - offset);
    return sw(SW.OK, ef.data.subarray(offset, offset + n));
  }

  // ---- VERIFY (§2.3, §5.2) ----------------------------------------------------------------

  /**
   * Resolves the PIN a VERIFY / CHANGE REFERENCE DATA refers to via P2: 80 = the current EF
   * (§2.3), 80|SFI = the PIN EF with that short id (jsapdu `00 20 00 91`, §5.2) where the AP
   * supports short ids. Returns a status word on failure.
   */
  private pinByReference(p2: number): PinEf | number {
    if ((p2 & 0x80) === 0 || (p2 & 0x60) !== 0) return SW.WRONG_P1P2;
    const sfi = p2 & 0x1f;
    if (sfi === 0) {
      // P2 80 with a current EF that is not a PIN → 6986 (choice; real SW [U]).
      const ef = this.currentEf;
      return ef?.kind === 'pin' ? ef : SW.COMMAND_NOT_ALLOWED_NO_EF;
    }
    const found = this.efBySfi(sfi);
    // JPKI AP: `00 20 00 98`-style references are unconfirmed (§5.3 [U]) → refused (6A86).
    if (found === 'unsupported') return SW.WRONG_P1P2;
    return found?.kind === 'pin' ? found : SW_REF_NOT_FOUND;
  }

  private verify(c: ParsedCommand): Uint8Array {
    if (c.p1 !== 0x00) return sw(SW.WRONG_P1P2);
    const ref = this.pinByReference(c.p2);
    if (typeof ref === 'number') return sw(ref);
    const pin = ref.pin;
    const tries = this.pins.triesLeft(pin);
    if (c.data.length === 0) {
      // Empty VERIFY = status query, spends nothing (§2.3). On a blocked PIN the real answer is
      // [U] (63C0 or 6984). 63C0 it is: OpenSC's GET_INFO refuses the whole card unless SW1=63
      // (observed: "PKCS#15 binding failed" with 6984), and OpenSC works with real cards whose
      // PINs are blocked. Our client reads both as blocked; a VERIFY with data still gets 6984.
      return sw(SW.VERIFY_FAILED_BASE | tries);
    }
    // Data of any length is compared (a wrong-length PIN costs a try, like a wrong one); the
    // card does not upper-case the sign password — clients do (§2.3).
    const r = this.pins.verify(pin, c.data);
    if (r.ok) {
      this.verified.add(pin);
      return sw(SW.OK);
    }
    this.verified.delete(pin);
    if (r.blocked) return sw(SW.AUTH_METHOD_BLOCKED); // §2.3: blocked → 6984, no comparison
    return sw(SW.VERIFY_FAILED_BASE | r.remaining); // 63C0 on the attempt that blocks it
  }

  // ---- CHANGE REFERENCE DATA (§2.5, [U] on real cards) -----------------------------------

  private changeReferenceData(c: ParsedCommand): Uint8Array {
    // Only P1 01 (data = new value; the old one was verified before) is known (§2.5).
    if (c.p1 !== 0x01) return sw(SW.WRONG_P1P2);
    const ref = this.pinByReference(c.p2);
    if (typeof ref === 'number') return sw(ref);
    const pin = ref.pin;
    if (this.pins.isBlocked(pin)) return sw(SW.AUTH_METHOD_BLOCKED);
    if (!this.verified.has(pin)) return sw(SW.SECURITY_STATUS_NOT_SATISFIED);
    // Format of the new value: wrong length → 6700, wrong characters → 6A80 (choices).
    const rule = PIN_RULES[pin];
    if (c.data.length < rule.min || c.data.length > rule.max) return sw(SW.WRONG_LENGTH);
    const value = Buffer.from(c.data).toString('latin1');
    if (!rule.chars.test(value)) return sw(SW_WRONG_DATA);
    this.pins.change(pin, value);
    return sw(SW.OK);
  }

  // ---- COMPUTE DIGITAL SIGNATURE (§2.4) ---------------------------------------------------

  private computeSignature(c: ParsedCommand): Uint8Array {
    if (c.p1 !== 0x00 || c.p2 !== 0x80) return sw(SW.WRONG_P1P2);
    const ef = this.currentEf;
    // The key is chosen by selecting its EF first; anything else current → 6986 (choice).
    if (ef?.kind !== 'key') return sw(SW.COMMAND_NOT_ALLOWED_NO_EF);
    // Not verified in this AP session → 6982 (§2.4 [I]).
    if (!this.verified.has(ef.pin)) return sw(SW.SECURITY_STATUS_NOT_SATISFIED);
    const k = (ef.key.asymmetricKeyDetails?.modulusLength ?? 2048) / 8; // 256 for RSA-2048
    if (c.data.length === 0 || c.data.length > k - PKCS1_OVERHEAD) return sw(SW.WRONG_LENGTH);
    // Le 00 (256) is what clients send; a smaller Le cannot hold the k-byte signature and, as
    // 6Cxx is never emitted, is a length error. No Le at all is tolerated.
    if (c.le !== undefined && c.le < k) return sw(SW.WRONG_LENGTH);
    // The host supplies the DigestInfo; the card adds PKCS#1 v1.5 type-1 padding (§2.4).
    const signature = privateEncrypt({ key: ef.key, padding: constants.RSA_PKCS1_PADDING }, c.data);
    return sw(SW.OK, new Uint8Array(signature));
  }
}

/** The AIDs, re-exported for tests and tools. */
export { AID };
