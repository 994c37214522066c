/** Prompt history: every prompt with the settings it was last used with, its use count and pin. */
import type Database from 'better-sqlite3';
import type { PromptEntry, SamplingSettings } from '../common/contract';
import { promptSearch } from './images';

interface PromptRow {
  id: number;
  text: string;
  settings: string;
  last_used_at: number;
  count: number;
  pinned: number;
}

const toEntry = (row: PromptRow): PromptEntry => ({
  id: row.id,
  text: row.text,
  settings: JSON.parse(row.settings) as SamplingSettings,
  lastUsedAt: row.last_used_at,
  count: row.count,
  pinned: row.pinned === 1,
});

export class PromptStore {
  constructor(private readonly db: Database.Database) {}

  /** Counts one more use of `text` (trimmed), remembering the settings it was used with. */
  record(text: string, settings: SamplingSettings, now = Date.now()): PromptEntry {
    const row = this.db
      .prepare(
        `INSERT INTO prompts (text, settings, last_used_at, count) VALUES (?, ?, ?, 1)
         ON CONFLICT (text) DO UPDATE SET settings = excluded.settings, last_used_at = excluded.last_used_at, count = count + 1
         RETURNING *`,
      )
      .get(text.trim(), JSON.stringify(settings), now) as PromptRow;
    return toEntry(row);
  }

  /** Pinned first, then most recently used. */
  list(query: { search: string; limit: number }): PromptEntry[] {
    const search = promptSearch(query.search, 'text');
    const rows = this.db
      .prepare(`SELECT * FROM prompts WHERE 1 = 1${search.sql} ORDER BY pinned DESC, last_used_at DESC, id DESC LIMIT ?`)
      .all(...search.params, query.limit) as PromptRow[];
    return rows.map(toEntry);
  }

  pin(id: number, pinned: boolean): PromptEntry | undefined {
    const row = this.db.prepare('UPDATE prompts SET pinned = ? WHERE id = ? RETURNING *').get(pinned ? 1 : 0, id) as
      | PromptRow
      | undefined;
    return row && toEntry(row);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM prompts').get() as { n: number }).n;
  }
}
