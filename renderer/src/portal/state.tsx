/**
 * What every screen of the portal window shares: the bridge, the app info, the portal API
 * client, the card state (live from onCardEvent), the logged-in resident, and a counter that
 * tells PIN-status views to re-read after a card operation.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import type { MynaApi } from '../../../electron/ipc/bridge.ts';
import type { CardEvent, CardState, ResponseOf } from '../../../electron/ipc/contract.ts';
import { call, type UiError } from '../shared/errors.ts';
import { type Me, PortalApi } from './api.ts';

export type AppInfo = ResponseOf<'app:info'>;

export interface PortalState {
  myna: MynaApi;
  info: AppInfo;
  api: PortalApi;
  card: CardState | undefined;
  cardError: UiError | undefined;
  lastCardEvent: CardEvent | undefined;
  refreshCard(): void;
  /** undefined while the page asks the portal; null when nobody is logged in. */
  me: Me | null | undefined;
  setMe(me: Me | null): void;
  pinsVersion: number;
  bumpPins(): void;
}

const Ctx = createContext<PortalState | undefined>(undefined);

export function usePortal(): PortalState {
  const s = useContext(Ctx);
  if (!s) throw new Error('usePortal outside PortalProvider');
  return s;
}

export function PortalProvider({ myna, info, children }: { myna: MynaApi; info: AppInfo; children: ReactNode }) {
  const [api] = useState(() => new PortalApi(info.apiBase));
  const [card, setCard] = useState<CardState>();
  const [cardError, setCardError] = useState<UiError>();
  const [lastCardEvent, setLastCardEvent] = useState<CardEvent>();
  const [me, setMe] = useState<Me | null>();
  const [pinsVersion, setPinsVersion] = useState(0);

  const refreshCard = useCallback(() => {
    void call(() => myna.getCardState()).then((r) => {
      if (r.ok) {
        setCard(r.value);
        setCardError(undefined);
      } else setCardError(r.error);
    });
  }, [myna]);

  useEffect(() => {
    refreshCard();
    const off = myna.onCardEvent((event) => {
      setLastCardEvent(event);
      refreshCard();
      if (event.type === 'card-inserted') setPinsVersion((v) => v + 1);
    });
    return off;
  }, [myna, refreshCard]);

  useEffect(() => {
    void api.get<Me>('/api/v1/me').then((r) => setMe(r.ok ? r.value : null));
  }, [api]);

  const bumpPins = useCallback(() => setPinsVersion((v) => v + 1), []);

  return (
    <Ctx.Provider
      value={{
        myna,
        info,
        api,
        card,
        cardError,
        lastCardEvent,
        refreshCard,
        me,
        setMe,
        pinsVersion,
        bumpPins,
      }}
    >
      {children}
    </Ctx.Provider>
  );
}
