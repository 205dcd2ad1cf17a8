/**
 * The card as the app and the CLI use it: one method per operation, each inside one
 * transaction (CardTransport.withCard), each at the protocol minimum of jpki-protocol §5.3.
 * PIN rules (DESIGN §5): the format is checked before anything is sent; nothing is retried; a
 * PIN known to be blocked is refused without a single APDU; every PIN buffer is zero-filled.
 */
import { atrAdvertisesExtendedLength } from './apdu/atr.ts';
import { changeReferenceData } from './apdu/commands.ts';
import { CardError, type PinKind } from './apdu/errors.ts';
import { errorForSw, exchange } from './apdu/exchange.ts';
import { SW } from './apdu/response.ts';
import type { CardChannel, CardTransport } from './card-transport.ts';
import {
  type CertKind,
  JPKI_EF,
  type KeyKind,
  readCertificateEf,
  readToken,
  selectJpki,
  selectJpkiEf,
  signWithKey,
} from './jpki/jpki-ap.ts';
import {
  type BasicInfo,
  KENHOJO_EF,
  readBasicInfoEf,
  readMyNumberEf,
  selectKenhojo,
  selectKenhojoEf,
} from './kenhojo/kenhojo-ap.ts';
import { encodePin, PIN_MAX_TRIES, type PinStatus } from './pin/pin-rules.ts';
import { readTriesLeft, verifyPin } from './pin/pin-verify.ts';

export type ExtendedLengthPolicy = 'auto' | 'never' | 'always';

export interface MynaCardOptions {
  /** 'auto' (default): extended READ only when the ATR advertises it (DESIGN §5). */
  extendedLength?: ExtendedLengthPolicy;
}

export type CardKind = 'mynumber-card' | 'juki-card' | 'smartphone-jpki' | 'unknown-jpki';

export interface CardIdentity {
  kind: CardKind;
  token: string;
}

const TOKEN_KIND: Record<string, CardKind> = {
  JPKIAPICCTOKEN2: 'mynumber-card',
  JPKIAPICCTOKEN: 'juki-card',
  JPKIAPGPSETOKEN: 'smartphone-jpki',
};

const PIN_EF: Record<PinKind, number> = {
  auth: JPKI_EF.AUTH_PIN,
  sign: JPKI_EF.SIGN_PIN,
  kenhojo: KENHOJO_EF.PIN,
};

export class MynaCard {
  readonly transport: CardTransport;
  private readonly policy: ExtendedLengthPolicy;
  private generation = -1;
  private readonly certCache = new Map<CertKind, Uint8Array>();
  private readonly knownTries = new Map<PinKind, number>();

  constructor(transport: CardTransport, opts: MynaCardOptions = {}) {
    this.transport = transport;
    this.policy = opts.extendedLength ?? 'auto';
  }

  /** SELECT JPKI AP + token: tells a My Number Card from anything else (3 APDUs). */
  identify(): Promise<CardIdentity> {
    return this.run(async (ch) => {
      await selectJpki(ch);
      const token = await readToken(ch);
      return { kind: TOKEN_KIND[token] ?? 'unknown-jpki', token };
    });
  }

  /** Tries left for one PIN without spending one (3 APDUs). */
  pinStatus(pin: PinKind): Promise<PinStatus> {
    return this.run(async (ch) => {
      await this.selectAp(ch, pin);
      return this.readTries(ch, pin);
    });
  }

  /** Tries left for every PIN in one transaction. */
  pinStatuses(): Promise<PinStatus[]> {
    return this.run(async (ch) => {
      await selectJpki(ch);
      const out: PinStatus[] = [];
      for (const pin of ['auth', 'sign'] as const) {
        await selectJpkiEf(ch, PIN_EF[pin], `select ${pin} PIN`);
        out.push(await this.readTries(ch, pin));
      }
      await selectKenhojo(ch);
      await selectKenhojoEf(ch, PIN_EF.kenhojo, 'select kenhojo PIN');
      out.push(await this.readTries(ch, 'kenhojo'));
      return out;
    });
  }

  /**
   * A public certificate: auth, auth-ca or sign-ca (2 + ceil(size/256) APDUs, 3 with extended
   * length; 0 when cached for this card). The sign certificate needs the password: see
   * readSignCertificate.
   */
  readCertificate(kind: Exclude<CertKind, 'sign'>): Promise<Uint8Array> {
    return this.run(async (ch) => {
      const cached = this.certCache.get(kind);
      if (cached) return cached.slice();
      await selectJpki(ch);
      const der = await readCertificateEf(ch, kind, this.extendedReads());
      this.certCache.set(kind, der);
      return der.slice();
    });
  }

  /** The sign certificate is PIN-protected on the card (§2.1): SELECT 001B, VERIFY, then read. */
  async readSignCertificate(password: string): Promise<Uint8Array> {
    const encoded = this.encodeChecked('sign', password);
    return this.run(
      async (ch) => {
        await this.selectAp(ch, 'sign');
        await this.verify(ch, 'sign', encoded);
        return readCertificateEf(ch, 'sign', this.extendedReads());
      },
      { resetAfter: true },
      encoded,
    );
  }

  /** Signs a DigestInfo with the auth or sign key: exactly 5 APDUs. */
  async sign(key: KeyKind, digestInfo: Uint8Array, pin: string): Promise<Uint8Array> {
    const encoded = this.encodeChecked(key, pin);
    return this.run(
      async (ch) => {
        await this.selectAp(ch, key);
        await this.verify(ch, key, encoded);
        return signWithKey(ch, key, digestInfo);
      },
      { resetAfter: true },
      encoded,
    );
  }

  /**
   * Reads the sign certificate and signs with the sign key under one VERIFY, in one
   * transaction: CAdES puts the certificate's hash inside what is signed, so the caller's
   * `prepare` turns the certificate into the DigestInfo to sign. If `prepare` throws, nothing
   * is signed. 5 + 1 + ceil(size/256) APDUs (one extended READ when the ATR allows).
   */
  async signWithSignCertificate(
    password: string,
    prepare: (signCertificate: Uint8Array) => Uint8Array | Promise<Uint8Array>,
  ): Promise<{ signature: Uint8Array; certificate: Uint8Array }> {
    const encoded = this.encodeChecked('sign', password);
    return this.run(
      async (ch) => {
        await this.selectAp(ch, 'sign');
        await this.verify(ch, 'sign', encoded);
        const certificate = await readCertificateEf(ch, 'sign', this.extendedReads());
        const digestInfo = await prepare(certificate.slice());
        const signature = await signWithKey(ch, 'sign', digestInfo);
        return { signature, certificate };
      },
      { resetAfter: true },
      encoded,
    );
  }

  /** Name, address, birth date, sex from the kenhojo AP: 5 APDUs. */
  async readBasicInfo(pin: string): Promise<BasicInfo> {
    const encoded = this.encodeChecked('kenhojo', pin);
    return this.run(
      async (ch) => {
        await this.selectAp(ch, 'kenhojo');
        await this.verify(ch, 'kenhojo', encoded);
        return readBasicInfoEf(ch);
      },
      { resetAfter: true },
      encoded,
    );
  }

  /** The 12-digit My Number: 5 APDUs. Only where a form needs it (DESIGN §1). */
  async readMyNumber(pin: string): Promise<string> {
    const encoded = this.encodeChecked('kenhojo', pin);
    return this.run(
      async (ch) => {
        await this.selectAp(ch, 'kenhojo');
        await this.verify(ch, 'kenhojo', encoded);
        return readMyNumberEf(ch);
      },
      { resetAfter: true },
      encoded,
    );
  }

  /** CHANGE REFERENCE DATA after verifying the current PIN (§2.5): 4 APDUs. */
  async changePin(pin: PinKind, current: string, next: string): Promise<void> {
    const oldEncoded = this.encodeChecked(pin, current);
    let newEncoded: Buffer;
    try {
      newEncoded = encodePin(pin, next);
    } catch (e) {
      oldEncoded.fill(0);
      throw e;
    }
    return this.run(
      async (ch) => {
        await this.selectAp(ch, pin);
        await this.verify(ch, pin, oldEncoded);
        let sw: number;
        try {
          sw = (await exchange(ch, changeReferenceData(newEncoded))).sw;
        } finally {
          newEncoded.fill(0);
        }
        if (sw !== SW.OK) throw errorForSw(sw, `change ${pin} PIN`);
      },
      { resetAfter: true },
      oldEncoded,
      newEncoded,
    );
  }

  /** Forget what is cached about the card (e.g. on card-removed). */
  forget(): void {
    this.certCache.clear();
    this.knownTries.clear();
  }

  private extendedReads(): boolean {
    if (this.policy === 'auto') return atrAdvertisesExtendedLength(this.transport.atr());
    return this.policy === 'always';
  }

  private encodeChecked(pin: PinKind, typed: string): Buffer {
    this.syncGeneration();
    if (this.knownTries.get(pin) === 0) throw new CardError('PIN_BLOCKED', { pin, remaining: 0 });
    return encodePin(pin, typed);
  }

  /** SELECT the AP that holds `pin`, then its PIN EF. */
  private async selectAp(ch: CardChannel, pin: PinKind): Promise<void> {
    if (pin === 'kenhojo') {
      await selectKenhojo(ch);
      await selectKenhojoEf(ch, PIN_EF.kenhojo, 'select kenhojo PIN');
    } else {
      await selectJpki(ch);
      await selectJpkiEf(ch, PIN_EF[pin], `select ${pin} PIN`);
    }
  }

  private async readTries(ch: CardChannel, pin: PinKind): Promise<PinStatus> {
    const st = await readTriesLeft(ch, pin);
    this.knownTries.set(pin, st.remaining);
    return st;
  }

  /** One VERIFY on the selected PIN EF; the outcome updates what we know of the counter. */
  private async verify(ch: CardChannel, pin: PinKind, encoded: Buffer): Promise<void> {
    try {
      await verifyPin(ch, pin, encoded);
      this.knownTries.set(pin, PIN_MAX_TRIES[pin]);
    } catch (e) {
      if (e instanceof CardError && (e.code === 'PIN_INCORRECT' || e.code === 'PIN_BLOCKED')) {
        this.knownTries.set(pin, e.details.remaining ?? 0);
      }
      throw e;
    }
  }

  private syncGeneration(): void {
    const g = this.transport.cardGeneration?.();
    if (g === undefined || g !== this.generation) {
      this.forget();
      this.generation = g ?? -1;
    }
  }

  private async run<T>(
    fn: (ch: CardChannel) => Promise<T>,
    opts: { resetAfter?: boolean } = {},
    ...secrets: Buffer[]
  ): Promise<T> {
    try {
      this.syncGeneration();
      return await this.transport.withCard(fn, opts);
    } finally {
      for (const s of secrets) s.fill(0);
    }
  }
}
