// The settings table (workspace #15): what a trust sets once, such as its name on printed lists
// and on the nightly report, and its target for the over-62 backlog (issue #23: over62<100@2027-03-31).
import { statementCache, type Db } from './db.ts';

export const SETTING_KEYS = ['trustName', 'forecastTarget'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

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

  clear(key: SettingKey): void {
    this.sql('DELETE FROM settings WHERE key = ?').run(key);
  }

  all(): Record<SettingKey, string | null> {
    return Object.fromEntries(SETTING_KEYS.map((k) => [k, this.get(k)])) as Record<SettingKey, string | null>;
  }
}
