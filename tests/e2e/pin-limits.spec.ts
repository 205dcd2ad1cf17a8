/**
 * The last try and the blocked state, on resident-05's card (auth PIN: 1 try left): the hard
 * warning before the first attempt, then a wrong PIN blocks it, and the consent window shows
 * how to recover instead of a PIN field — also when asked again.
 */
import { expect, test } from './fixtures.ts';

test.use({ resident: 'resident-05' });

test('one try left: a hard warning before the attempt; a wrong PIN blocks, and the way out is shown', async ({
  portal,
  consent,
}) => {
  await expect(portal.getByTestId('pin-auth')).toHaveAttribute('data-remaining', '1');
  await expect(portal.getByTestId('pin-auth')).toContainText('残り1回です');

  await portal.getByTestId('login').click();
  await expect(consent.getByTestId('consent-remaining')).toHaveAttribute('data-remaining', '1');
  await expect(consent.getByTestId('consent-last-try')).toContainText('次に間違えるとロックされ');

  await consent.getByTestId('pin').fill('0000');
  await consent.getByTestId('consent-submit').click();
  await expect(consent.getByTestId('consent')).toHaveAttribute('data-state', 'blocked');
  await expect(consent.getByTestId('consent-blocked')).toContainText('市区町村の窓口で、暗証番号の初期化・再設定');
  await expect(consent.getByTestId('pin')).toHaveCount(0);

  await consent.getByTestId('consent-cancel').click();
  const error = portal.getByTestId('login-error');
  await expect(error).toHaveAttribute('data-code', 'PIN_BLOCKED');
  await expect(error).toContainText('窓口');
  await expect(portal.getByTestId('pin-auth')).toHaveAttribute('data-remaining', '0');
  await expect(portal.getByTestId('pin-auth')).toContainText('初期化・再設定');

  // Asked again: main reads the counter first and opens the window in the blocked state.
  await portal.getByTestId('login').click();
  await expect(consent.getByTestId('consent')).toHaveAttribute('data-state', 'blocked');
  await expect(consent.getByTestId('pin')).toHaveCount(0);
  await consent.getByTestId('consent-cancel').click();
  await expect(portal.getByTestId('login-error')).toHaveAttribute('data-code', 'PIN_BLOCKED');
});
