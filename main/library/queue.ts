/**
 * The queue's rows: what each queued generation asked for, on which model, and how far it
 * got. Every change is one transaction, so a crash leaves the queue as it was or as it
 * became, never half reordered.
 */
import type Database from 'better-sqlite3';
import type { QueuedRequest, QueueStatus } from '../common/contract';

export interface QueueRow {
  id: string;
  request: QueuedRequest;
  modelDir: string;
  modelId: string;
  status: QueueStatus;
  /** Waiting rows' order, ascending; meaningless for the others. */
  position: number;
  error: string | null;
  createdAt: number;
}

export type NewQueueRow = Pick<QueueRow, 'id' | 'request' | 'modelDir' | 'modelId'>;

interface StoredRow {
  id: string;
  request: string;
  model_dir: string;
  model_id: string;
  status: QueueStatus;
  position: number;
  error: string | null;
  created_at: number;
}

const toRow = (row: StoredRow): QueueRow => ({
  id: row.id,
  request: JSON.parse(row.request) as QueuedRequest,
  modelDir: row.model_dir,
  modelId: row.model_id,
  status: row.status,
  position: row.position,
  error: row.error,
  createdAt: row.created_at,
});

export class QueueStore {
  constructor(private readonly db: Database.Database) {}

  /** Adds rows at the end of the line, in order. */
  append(rows: readonly NewQueueRow[], now = Date.now()): void {
    const insert = this.db.prepare(
      `INSERT INTO queue (id, request, model_dir, model_id, status, position, created_at)
       VALUES (?, ?, ?, ?, 'waiting', (SELECT coalesce(max(position), -1) + 1 FROM queue WHERE status = 'waiting'), ?)`,
    );
    this.db.transaction(() => {
      for (const row of rows) insert.run(row.id, JSON.stringify(row.request), row.modelDir, row.modelId, now);
    })();
  }

  get(id: string): QueueRow | undefined {
    const row = this.db.prepare('SELECT * FROM queue WHERE id = ?').get(id) as StoredRow | undefined;
    return row && toRow(row);
  }

  /** Running rows, then waiting ones in order, then the latest `finishedLimit` finished ones, newest first. */
  list(finishedLimit: number): QueueRow[] {
    const active = this.db
      .prepare(`SELECT * FROM queue WHERE status IN ('running', 'waiting') ORDER BY status = 'waiting', position, created_at`)
      .all() as StoredRow[];
    const finished = this.db
      .prepare(`SELECT * FROM queue WHERE status NOT IN ('running', 'waiting') ORDER BY finished_at DESC, rowid DESC LIMIT ?`)
      .all(finishedLimit) as StoredRow[];
    return [...active, ...finished].map(toRow);
  }

  /** The ids of the waiting rows, next first. */
  waitingIds(): string[] {
    return (this.db.prepare(`SELECT id FROM queue WHERE status = 'waiting' ORDER BY position, created_at`).all() as { id: string }[]).map((row) => row.id);
  }

  /** Puts the waiting rows in exactly this order (each id once). */
  reorder(ids: readonly string[]): void {
    const update = this.db.prepare(`UPDATE queue SET position = ? WHERE id = ? AND status = 'waiting'`);
    this.db.transaction(() => ids.forEach((id, position) => update.run(position, id)))();
  }

  setStatus(id: string, status: QueueStatus, error: string | null = null, now = Date.now()): void {
    const finishedAt = status === 'waiting' || status === 'running' ? null : now;
    this.db.prepare('UPDATE queue SET status = ?, error = ?, finished_at = ? WHERE id = ?').run(status, error, finishedAt, id);
  }

  /** Cancels every waiting row; returns how many there were. */
  cancelWaiting(now = Date.now()): number {
    return this.db.prepare(`UPDATE queue SET status = 'cancelled', finished_at = ? WHERE status = 'waiting'`).run(now).changes;
  }

  /** A row left running by a process that ended goes back to the front of the line. */
  requeueInterrupted(): number {
    return this.db
      .prepare(
        `UPDATE queue SET status = 'waiting', position = (SELECT coalesce(min(position), 0) - 1 FROM queue WHERE status = 'waiting')
         WHERE status = 'running'`,
      )
      .run().changes;
  }

  /** Forgets finished rows beyond the latest `keep`. */
  pruneFinished(keep: number): void {
    this.db
      .prepare(
        `DELETE FROM queue WHERE status NOT IN ('running', 'waiting')
         AND id NOT IN (SELECT id FROM queue WHERE status NOT IN ('running', 'waiting') ORDER BY finished_at DESC, rowid DESC LIMIT ?)`,
      )
      .run(keep);
  }
}
