/** The library's SQLite schema, migrated by `PRAGMA user_version`. */
import type Database from 'better-sqlite3';

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE images (
    id          TEXT PRIMARY KEY,
    file        TEXT NOT NULL UNIQUE,          -- file name inside images/ (or trash/ when trashed)
    prompt      TEXT NOT NULL,
    seed        INTEGER NOT NULL,
    parameters  TEXT NOT NULL,                 -- ImageParameters as JSON (settings, kind, rank)
    model_id    TEXT NOT NULL,
    provider    TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    favourite   INTEGER NOT NULL DEFAULT 0,
    trashed_at  INTEGER,                       -- NULL unless in the trash
    missing     INTEGER NOT NULL DEFAULT 0,    -- the row's file was not found at the last start
    source_id   TEXT                           -- the image this one was edited from (lineage)
  );
  CREATE INDEX images_by_date ON images (trashed_at, created_at DESC, id DESC);
  CREATE INDEX images_by_source ON images (source_id);

  CREATE TABLE prompts (
    id            INTEGER PRIMARY KEY,
    text          TEXT NOT NULL UNIQUE,
    settings      TEXT NOT NULL,               -- SamplingSettings last used with it, as JSON
    last_used_at  INTEGER NOT NULL,
    count         INTEGER NOT NULL DEFAULT 0,
    pinned        INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX prompts_by_use ON prompts (pinned DESC, last_used_at DESC);

  CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL                       -- JSON
  );
  `,
  // Every finished run is saved whole: its candidates share a run id and keep their rank
  // (0 = best). Images saved before runs were grouped become runs of one.
  `
  ALTER TABLE images ADD COLUMN run_id TEXT;
  ALTER TABLE images ADD COLUMN rank INTEGER NOT NULL DEFAULT 0;
  UPDATE images SET run_id = id, rank = coalesce(json_extract(parameters, '$.rank'), 0);
  CREATE INDEX images_by_run ON images (run_id, rank);
  `,
  // The run's timings (RunTimings as JSON), shown by the inspector; NULL for images saved
  // before, and for re-imported files, which do not carry them.
  `
  ALTER TABLE images ADD COLUMN timings TEXT;
  `,
  // The queue of generation runs, kept here so that it outlives a reload and a restart.
  `
  CREATE TABLE queue (
    id           TEXT PRIMARY KEY,             -- also the run's job id
    request      TEXT NOT NULL,                -- QueuedRequest as JSON: prompt, negative prompt, settings, seed
    model_dir    TEXT NOT NULL,                -- the model open when it was queued
    model_id     TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('waiting', 'running', 'done', 'failed', 'cancelled')),
    position     INTEGER NOT NULL,             -- waiting entries run in ascending order
    error        TEXT,
    created_at   INTEGER NOT NULL,
    finished_at  INTEGER
  );
  CREATE INDEX queue_by_status ON queue (status, position);
  `,
  // Boards: user-named collections. A name is unique by its case-folded key; an image may be
  // in any number of boards, and leaves them only when its row goes.
  `
  CREATE TABLE boards (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL UNIQUE,          -- the name case-folded (boardNameKey)
    created_at  INTEGER NOT NULL
  );
  CREATE TABLE board_images (
    board_id  TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    image_id  TEXT NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    added_at  INTEGER NOT NULL,
    PRIMARY KEY (board_id, image_id)
  ) WITHOUT ROWID;
  CREATE INDEX board_images_by_image ON board_images (image_id);
  `,
];

export function openSchema(db: Database.Database): void {
  // One process holds the data folder (lock.ts), so the connection may hold SQLite's lock too.
  // Set before WAL is first touched, SQLite then keeps the WAL index in memory instead of a
  // `-shm` file, which cannot be grown on a full disk: the library still opens there.
  db.pragma('locking_mode = EXCLUSIVE');
  // WAL keeps readers off the writer's back; FULL syncs the WAL on every commit, so a
  // committed row survives power loss, not only a crash of the process.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new Error(`The library was written by a newer Parti Studio (schema ${version}); update the app to open it.`);
  }
  for (let next = version; next < MIGRATIONS.length; next++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[next]!);
      db.pragma(`user_version = ${next + 1}`);
    })();
  }
}
