// The settings table (workspace #15): what a trust sets once, such as its name on printed lists
// and on the nightly report; its target for the over-62 backlog (issue #23: over62<100@2027-03-31);
// and (issue #25) how many patients a user may read in an hour before the Audit page flags it, and
// how many days the PAS feed's messages for no open pathway are kept.
import { statementCache, type Db } from './db.ts';

export const SETTING_KEYS = ['trustName', 'forecastTarget', 'auditPatientsPerHour', 'hl7KeepDays'] as const;
/** Names by ODS code (issue #28): JSON objects, the trust's own over the national ones (src/vocabulary/providers.ts). */
export const NAME_SETTINGS = ['providerNames', 'sites'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number] | (typeof NAME_SETTINGS)[number];

/** What a number setting is when the trust has not set it. */
export const SETTING_DEFAULTS = { auditPatientsPerHour: 500, hl7KeepDays: 30 } as const;
export type NumberSetting = keyof typeof SETTING_DEFAULTS;

export class Settings {
  private readonly sql;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  get(key: SettingKey): string | null {
    return (this.sql('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
  }

  set(key: SettingKey, value: string): void {
    this.sql('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(key, value);
  }

  /** A number setting, or its default. */
  number(key: NumberSetting): number {
    const value = this.get(key);
    return value === null ? SETTING_DEFAULTS[key] : Number(value);
  }

  clear(key: SettingKey): void {
    this.sql('DELETE FROM settings WHERE key = ?').run(key);
  }

  /** A setting that holds names by code (providerNames, sites); null when not set. */
  names(key: (typeof NAME_SETTINGS)[number]): Record<string, string> | null {
    const value = this.get(key);
    return value === null ? null : (JSON.parse(value) as Record<string, string>);
  }

  all(): Record<(typeof SETTING_KEYS)[number], string | null> {
    return Object.fromEntries(SETTING_KEYS.map((k) => [k, this.get(k)])) as Record<
      (typeof SETTING_KEYS)[number],
      string | null
    >;
  }
}
