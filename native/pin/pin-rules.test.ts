import { describe, expect, it } from 'vitest';
import { CardError } from '../apdu/errors.ts';
import { encodePin, pinStatusOf } from './pin-rules.ts';

function formatErr(fn: () => unknown): CardError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CardError);
    expect((e as CardError).code).toBe('PIN_FORMAT');
    return e as CardError;
  }
  throw new Error('expected PIN_FORMAT');
}

describe('PIN format rules', () => {
  it('accepts 4 digits for the auth and kenhojo PINs, folding full-width digits', () => {
    expect(encodePin('auth', '1234').toString()).toBe('1234');
    expect(encodePin('kenhojo', '０９８７').toString()).toBe('0987');
  });

  it('refuses anything but exactly 4 digits', () => {
    for (const bad of ['123', '12345', '12a4', '', ' 1234', '1234\n', '١٢٣٤']) {
      const e = formatErr(() => encodePin('auth', bad));
      expect(e.details.pin).toBe('auth');
      expect(JSON.stringify(e)).not.toContain(bad || 'x-never');
    }
  });

  it('upper-cases the sign password and folds full-width input', () => {
    expect(encodePin('sign', 'abc123').toString()).toBe('ABC123');
    expect(encodePin('sign', 'ａｂｃ１２３').toString()).toBe('ABC123');
    expect(encodePin('sign', 'A1B2C3D4E5F6G7H8').toString()).toBe('A1B2C3D4E5F6G7H8');
  });

  it('refuses sign passwords of the wrong length, alphabet or mix, each with its rule', () => {
    expect(formatErr(() => encodePin('sign', 'AB12')).details.rule).toContain('6');
    expect(formatErr(() => encodePin('sign', 'A1B2C3D4E5F6G7H8I')).details.rule).toContain('16');
    expect(formatErr(() => encodePin('sign', 'ABC-123')).details.rule).toContain('A–Z');
    expect(formatErr(() => encodePin('sign', 'ABCDEFG')).details.rule).toContain('one digit');
    expect(formatErr(() => encodePin('sign', '1234567')).details.rule).toContain('one letter');
  });

  it('has distinct states for one try left and blocked', () => {
    expect(pinStatusOf('auth', 3).state).toBe('ok');
    expect(pinStatusOf('auth', 1).state).toBe('one-left');
    expect(pinStatusOf('sign', 0).state).toBe('blocked');
    expect(pinStatusOf('sign', 0).max).toBe(5);
  });

  it('every error code has Japanese and English text with a remedy', async () => {
    const { messagesFor } = await import('../apdu/errors.ts');
    const codes = [
      'NO_READER',
      'NO_CARD',
      'CARD_REMOVED',
      'NOT_MYNUMBER_CARD',
      'PIN_FORMAT',
      'PIN_INCORRECT',
      'PIN_BLOCKED',
      'SECURITY_STATUS',
      'SERVICE_DOWN',
      'TIMEOUT',
      'UNEXPECTED_SW',
      'MALFORMED_RESPONSE',
      'READER_BUSY',
    ] as const;
    for (const c of codes) {
      const m = messagesFor(c, { pin: 'sign', remaining: 2, sw: '6A88' });
      expect(m.ja).toMatch(/[ぁ-んァ-ン一-龥]/);
      expect(m.en.length).toBeGreaterThan(20);
      expect(m.ja).not.toBe(m.en);
    }
    expect(messagesFor('PIN_INCORRECT', { pin: 'auth', remaining: 1 }).en).toContain('ONE try left');
    expect(messagesFor('PIN_BLOCKED', { pin: 'sign' }).ja).toContain('窓口');
  });
});
