/**
 * The verification result shared by the CMS, package and login verifiers: every check with
 * its status, and every failure with an English and a Japanese reason.
 */

export type CmsCheckId =
  | 'cms-structure'
  | 'content-type'
  | 'message-digest'
  | 'signed-attributes-der'
  | 'signature'
  | 'chain'
  | 'validity'
  | 'key-usage'
  | 'policy'
  | 'signing-certificate'
  | 'revocation';

export type PackageCheckId = 'package-structure' | 'manifest-canonical' | 'manifest-signed' | 'attachments';

export type LoginCheckId =
  | 'assertion-input'
  | 'certificate'
  | 'signature'
  | 'chain'
  | 'validity'
  | 'key-usage'
  | 'policy'
  | 'revocation';

export type CheckId = CmsCheckId | PackageCheckId | LoginCheckId;

export const CMS_CHECKS: readonly CmsCheckId[] = [
  'cms-structure',
  'content-type',
  'message-digest',
  'signed-attributes-der',
  'signature',
  'chain',
  'validity',
  'key-usage',
  'policy',
  'signing-certificate',
  'revocation',
];

export const PACKAGE_CHECKS: readonly PackageCheckId[] = [
  'package-structure',
  'manifest-canonical',
  'manifest-signed',
  'attachments',
];

export const LOGIN_CHECKS: readonly LoginCheckId[] = [
  'assertion-input',
  'certificate',
  'signature',
  'chain',
  'validity',
  'key-usage',
  'policy',
  'revocation',
];

/**
 * - `pass`: checked and fine.
 * - `fail`: checked and wrong; at least one entry in `failures` says why.
 * - `not-checked`: not evaluated — either because a check it depends on already failed (the
 *   result is then invalid anyway), or, for `revocation` only, because no CRL for the issuer
 *   was given (not a failure; `detail` says so).
 */
export type CheckStatus = 'pass' | 'fail' | 'not-checked';

export interface CheckOutcome<C extends string = CheckId> {
  check: C;
  status: CheckStatus;
  detail: string;
}

export interface Failure<C extends string = CheckId> {
  check: C;
  message: string;
  messageJa: string;
}

export interface SignerSummary {
  subject: string;
  issuer: string;
  /** Lower-case hex, without a leading sign octet. */
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** 氏名, 住所, 生年月日 (YYYY-MM-DD + era digit), 性別 from the JPKI subjectAltName. */
  name?: string;
  nameAltChars?: string;
  address?: string;
  addressAltChars?: string;
  birthDate?: string;
  birthEra?: number;
  sex?: string;
}

export interface VerificationResult<C extends string = CheckId> {
  /** True only when every check passed, `revocation` being allowed to be `not-checked`. */
  valid: boolean;
  failures: Failure<C>[];
  checks: CheckOutcome<C>[];
  signer?: SignerSummary;
  /** The signingTime signed attribute (asserted by the signer, not proven), ISO 8601. */
  signingTime?: string;
  /** The encapsulated content, when the signature is attached. */
  content?: Uint8Array;
}

/**
 * The result for an unexpected exception inside a verifier (a bug, never bad input): invalid,
 * with the error named under `check`, so that a caller can never mistake it for a pass.
 */
export function internalErrorResult<C extends string>(
  order: readonly C[],
  check: C,
  error: unknown,
): VerificationResult<C> {
  const c = new CheckCollector<C>(order);
  const m = error instanceof Error ? error.message : String(error);
  c.fail(check, `internal error in the verifier: ${m}`, `検証処理の内部エラー：${m}`);
  c.skipRest('skipped: internal error');
  return { valid: false, failures: c.failures, checks: c.outcomes() };
}

/** Collects outcomes in a fixed order; a check may fail for several reasons. */
export class CheckCollector<C extends string> {
  readonly #order: readonly C[];
  readonly #status = new Map<C, CheckStatus>();
  readonly #details = new Map<C, string[]>();
  readonly failures: Failure<C>[] = [];
  readonly #optional: ReadonlySet<C>;

  /** `mayBeUnchecked`: checks whose `not-checked` does not make the result invalid. */
  constructor(order: readonly C[], mayBeUnchecked: readonly C[] = []) {
    this.#order = order;
    this.#optional = new Set(mayBeUnchecked);
  }

  /** Adds a detail without changing the status. */
  note(check: C, detail: string | undefined): void {
    this.#note(check, detail);
  }

  #note(check: C, detail: string | undefined): void {
    if (!detail) return;
    const list = this.#details.get(check) ?? [];
    list.push(detail);
    this.#details.set(check, list);
  }

  /** Records a pass unless the check already failed (then the detail is dropped). */
  pass(check: C, detail?: string): void {
    const s = this.#status.get(check);
    if (s === 'fail') return;
    if (s === undefined) this.#status.set(check, 'pass');
    this.#note(check, detail);
  }

  fail(check: C, message: string, messageJa: string): void {
    this.#status.set(check, 'fail');
    this.failures.push({ check, message, messageJa });
    this.#note(check, message);
  }

  notChecked(check: C, detail: string): void {
    if (this.#status.get(check) !== 'fail') this.#status.set(check, 'not-checked');
    this.#note(check, detail);
  }

  /** Marks every check not yet decided as not checked, with the reason. */
  skipRest(detail: string): void {
    for (const c of this.#order) if (!this.#status.has(c)) this.notChecked(c, detail);
  }

  status(check: C): CheckStatus | undefined {
    return this.#status.get(check);
  }

  failed(check: C): boolean {
    return this.#status.get(check) === 'fail';
  }

  outcomes(): CheckOutcome<C>[] {
    return this.#order.map((check) => ({
      check,
      status: this.#status.get(check) ?? 'not-checked',
      detail: (this.#details.get(check) ?? ['not evaluated']).join('; '),
    }));
  }

  valid(): boolean {
    return (
      this.failures.length === 0 &&
      this.#order.every((c) => {
        const s = this.#status.get(c);
        return s === 'pass' || (s === 'not-checked' && this.#optional.has(c));
      })
    );
  }
}
