/** What the resident is agreeing to, exactly as main computed it (DESIGN §3 "Consent window"). */
import { Fragment } from 'react';
import type { ConsentPurpose } from '../../../electron/ipc/contract.ts';
import { formatBytes, type Text, useT } from '../shared/i18n.tsx';
import { PIN_NAMES } from '../shared/pins.ts';

const FIELD_NAMES: Record<string, Text> = {
  name: { ja: '氏名', en: 'Name' },
  address: { ja: '住所', en: 'Address' },
  birthDate: { ja: '生年月日', en: 'Date of birth' },
  sex: { ja: '性別', en: 'Sex' },
  nameKana: { ja: 'フリガナ', en: 'Name (kana)' },
  myNumber: { ja: '個人番号', en: 'My Number' },
  phone: { ja: '電話番号', en: 'Phone' },
  postalCode: { ja: '郵便番号', en: 'Postal code' },
  occupation: { ja: '職業', en: 'Occupation' },
  pension: { ja: '加入している年金', en: 'Pension scheme' },
  employerName: { ja: '勤務先', en: 'Employer' },
  relationship: { ja: '続柄', en: 'Relationship' },
  email: { ja: 'メールアドレス', en: 'E-mail' },
};

/** The applicant's fields in the order a form lists them; others follow in main's order. */
const APPLICANT_ORDER = ['name', 'nameKana', 'birthDate', 'sex', 'postalCode', 'address', 'phone', 'myNumber'];

function applicantRows(applicant: Record<string, string>): [string, string][] {
  const rank = (k: string) => {
    const i = APPLICANT_ORDER.indexOf(k);
    return i < 0 ? APPLICANT_ORDER.length : i;
  };
  return Object.entries(applicant).sort(([a], [b]) => rank(a) - rank(b));
}

export function purposeTitle(p: ConsentPurpose): Text {
  switch (p.kind) {
    case 'login':
      return { ja: 'ログインの確認', en: 'Confirm login' };
    case 'sign-application':
      return { ja: '電子申請への署名の確認', en: 'Confirm signing an application' };
    case 'read-basic-info':
      return { ja: 'カード情報の読み取りの確認', en: 'Confirm reading card information' };
    case 'change-pin':
      return { ja: '暗証番号の変更', en: 'Change a PIN' };
  }
}

export function Purpose({ purpose }: { purpose: ConsentPurpose }) {
  const t = useT();
  switch (purpose.kind) {
    case 'login':
      return (
        <div className="purpose" data-testid="purpose" data-kind="login">
          <p>
            {t({
              ja: '次のサイトへのログインに、マイナンバーカードの利用者証明用電子証明書を使います。',
              en: 'Your My Number Card’s user-authentication certificate will be used to log in to:',
            })}
          </p>
          <p className="origin" data-testid="consent-origin">
            {purpose.origin}
          </p>
          <p className="muted">
            {t({
              ja: '心当たりのない場合は「やめる」を押してください。',
              en: 'If you did not start this, press Cancel.',
            })}
          </p>
        </div>
      );
    case 'sign-application':
      return (
        <div className="purpose" data-testid="purpose" data-kind="sign-application">
          <p>
            {t({
              ja: '次の申請に、署名用電子証明書で電子署名します。署名した内容は変更できません。',
              en: 'The following application will be signed with your signature certificate. Signed content cannot be changed.',
            })}
          </p>
          <dl className="facts">
            <dt>{t({ ja: '手続', en: 'Procedure' })}</dt>
            <dd data-testid="consent-procedure">{purpose.procedureName ?? purpose.procedureId}</dd>
            <dt>{t({ ja: '提出先', en: 'Municipality' })}</dt>
            <dd>
              {purpose.municipalityName ? `${purpose.municipalityName} ` : ''}({purpose.municipalityCode})
            </dd>
            {purpose.applicant &&
              applicantRows(purpose.applicant).map(([k, v]) => (
                <Fragment key={k}>
                  <dt>
                    {t({ ja: '申請者', en: 'Applicant' })}：{t(FIELD_NAMES[k] ?? { ja: k, en: k })}
                  </dt>
                  <dd>{v}</dd>
                </Fragment>
              ))}
            <dt>{t({ ja: '添付書類', en: 'Attachments' })}</dt>
            <dd>
              {purpose.attachments.length === 0 ? (
                t({ ja: 'なし', en: 'none' })
              ) : (
                <ul className="attachments" data-testid="consent-attachments">
                  {purpose.attachments.map((a) => (
                    <li key={a.name}>
                      {a.name}{' '}
                      <span className="muted">
                        ({a.mediaType}, {formatBytes(a.size)})
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              <span className="muted">
                {t({ ja: '合計', en: 'Total' })} {formatBytes(purpose.attachmentsTotalBytes)}
              </span>
            </dd>
            <dt>{t({ ja: '署名する内容の指紋（SHA-256）', en: 'Fingerprint of what is signed (SHA-256)' })}</dt>
            <dd>
              <code className="fingerprint" data-testid="consent-fingerprint">
                {purpose.fingerprint}
              </code>
            </dd>
            <dt>{t({ ja: '使う電子証明書', en: 'Certificate' })}</dt>
            <dd>{t({ ja: '署名用電子証明書', en: 'Signature certificate (署名用電子証明書)' })}</dd>
          </dl>
        </div>
      );
    case 'read-basic-info':
      return (
        <div className="purpose" data-testid="purpose" data-kind="read-basic-info">
          <p>
            {t({
              ja: 'カードから次の情報を読み取り、申請書の入力に使います。アプリには保存されません。',
              en: 'The following will be read from your card to fill in the form. The app does not keep it.',
            })}
          </p>
          <ul className="fields">
            {purpose.fields.map((f) => (
              <li key={f}>{t(FIELD_NAMES[f] ?? { ja: f, en: f })}</li>
            ))}
          </ul>
          <dl className="facts">
            <dt>{t({ ja: '目的', en: 'Purpose' })}</dt>
            <dd>{purpose.purpose}</dd>
          </dl>
        </div>
      );
    case 'change-pin':
      return (
        <div className="purpose" data-testid="purpose" data-kind="change-pin">
          <p>
            {t({
              ja: `${PIN_NAMES[purpose.pin].ja}を変更します。`,
              en: `You are changing the ${PIN_NAMES[purpose.pin].en}.`,
            })}
          </p>
        </div>
      );
  }
}
