/** The codes of the problem documents the app:// handler answers itself (portal-proxy.ts, app-handler.ts). */
export const PROBLEM_CODES = {
  NOT_FOUND: { title: 'No such resource', titleJa: '指定されたページ・APIはありません' },
  METHOD_NOT_ALLOWED: { title: 'This method is not allowed here', titleJa: 'この操作はここでは使えません' },
  BAD_REQUEST: { title: 'The request cannot be processed', titleJa: 'リクエストを処理できません' },
  BODY_TOO_LARGE: { title: 'The body is too large', titleJa: 'リクエスト本文が大きすぎます' },
  RESPONSE_TOO_LARGE: { title: 'The portal answer is too large', titleJa: 'ポータルの応答が大きすぎます' },
  PORTAL_UNREACHABLE: {
    title: 'The portal cannot be reached',
    titleJa: 'ポータルに接続できません。ネットワークを確認してください',
  },
} as const;
