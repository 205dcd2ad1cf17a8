/** The kiosk session service's public surface (DESIGN §4 "Kiosk session"). */
export {
  KioskController,
  type KioskControllerOptions,
  type KioskEndReason,
  type KioskState,
  type KioskTimers,
  systemTimers,
} from './kiosk-controller.ts';
export { KioskSessionSettings, type SettingsPort } from './session-settings.ts';
