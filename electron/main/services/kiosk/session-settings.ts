/**
 * The settings the page sees in kiosk mode (DESIGN §4 "Kiosk session", issue 5: "no files
 * written"): a resident's settings:set (the language) is kept in memory for their session only,
 * on top of the provisioned file, and dropped at the session end — it never reaches the disk
 * and never greets the next resident.
 *
 * It accepts what the service accepts of a provisioned kiosk (settings-service.ts): the patch is
 * parsed with the contract's SettingsPatchSchema, and the preferred reader, which a provisioned
 * kiosk's administrator fixes, is refused with the same typed errors. A settings file from a
 * newer app (read-only) does not stop a resident from switching the language: nothing is saved.
 */
import { type SettingsPatch, SettingsPatchSchema, type SettingsView } from '../../../ipc/contract.ts';
import { SettingsError } from '../settings/index.ts';

/** What the IPC handlers need of settings (handlers.ts `settings`). */
export interface SettingsPort {
  view(): SettingsView;
  update(patch: SettingsPatch): SettingsView;
}

type Override = { language?: SettingsView['language'] };

export class KioskSessionSettings implements SettingsPort {
  private readonly base: { view(): SettingsView };
  private override: Override = {};

  constructor(base: { view(): SettingsView }) {
    this.base = base;
  }

  /** The provisioned settings with this session's changes on top. */
  view(): SettingsView {
    return { ...this.base.view(), ...this.override };
  }

  /** The page's settings:set: validated like the provisioned service, kept in memory only. */
  update(patch: unknown): SettingsView {
    const parsed = SettingsPatchSchema.safeParse(patch);
    if (!parsed.success) {
      throw new SettingsError('SETTINGS_INVALID', { field: parsed.error.issues[0]?.path.join('.') || '(patch)' });
    }
    const p = parsed.data;
    if (p.preferredReader !== undefined) throw new SettingsError('SETTINGS_PROVISIONED', { field: 'preferredReader' });
    if (p.language !== undefined) this.override = { ...this.override, language: p.language };
    return this.view();
  }

  /** Kiosk session end: back to the provisioned settings. */
  clear(): void {
    this.override = {};
  }
}
