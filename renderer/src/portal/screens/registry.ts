/**
 * The portal window's screens. A screen is an id (the URL hash: `#/apply`), a title for the
 * navigation and a component; the frame (layout, card panel, language) is shared. New portal
 * functions (やりとり履歴, 自己情報, お知らせ …) are added here and nowhere else.
 */
import type { ComponentType } from 'react';
import type { Text } from '../../shared/i18n.tsx';
import { ApplyScreen } from './ApplyScreen.tsx';
import { HomeScreen } from './HomeScreen.tsx';
import { OutboxScreen } from './OutboxScreen.tsx';

export interface ScreenDef {
  id: string;
  title: Text;
  component: ComponentType;
}

export const SCREENS: readonly ScreenDef[] = [
  { id: 'home', title: { ja: 'ホーム', en: 'Home' }, component: HomeScreen },
  { id: 'apply', title: { ja: '署名付きテスト申請', en: 'Signed test application' }, component: ApplyScreen },
  { id: 'outbox', title: { ja: '送信待ち', en: 'Outbox' }, component: OutboxScreen },
];

export function screenFor(hash: string): ScreenDef {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return SCREENS.find((s) => s.id === id) ?? (SCREENS[0] as ScreenDef);
}
