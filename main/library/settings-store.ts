/** Key-value JSON settings kept in the library database (so they commit as durably as images). */
import type Database from 'better-sqlite3';

export class SettingsStore {
  constructor(private readonly db: Database.Database) {}

  /** The stored JSON value, or undefined when absent or unreadable. */
  get(key: string): unknown {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    if (!row) return undefined;
    try {
      return JSON.parse(row.value) as unknown;
    } catch {
      return undefined;
    }
  }

  set(key: string, value: unknown): void {
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, JSON.stringify(value));
  }
}
