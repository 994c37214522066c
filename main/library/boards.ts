/**
 * Boards: user-named collections of gallery images. An image may be in any number of
 * boards; a trashed image stays a member, left out of the counts (and the gallery) until
 * it is restored. The studio checks names and ids first and says what was wrong; the
 * schema's constraints stand behind it.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Board } from '../common/contract';

interface BoardRow {
  id: string;
  name: string;
  created_at: number;
  images: number;
}

/** What two names must not share to be told apart: "Cats", "cats" and "CATS" are one board. */
export const boardNameKey = (name: string): string => name.normalize('NFKC').toLowerCase();

const toBoard = (row: BoardRow): Board => ({ id: row.id, name: row.name, createdAt: row.created_at, images: row.images });

const SELECT_BOARDS = `
  SELECT boards.id, boards.name, boards.created_at,
         (SELECT count(*) FROM board_images JOIN images ON images.id = board_images.image_id
          WHERE board_images.board_id = boards.id AND images.trashed_at IS NULL) AS images
  FROM boards`;

export class BoardStore {
  constructor(private readonly db: Database.Database) {}

  /** Every board, by name (case-insensitively). */
  list(): Board[] {
    return (this.db.prepare(`${SELECT_BOARDS} ORDER BY boards.name_key, boards.id`).all() as BoardRow[]).map(toBoard);
  }

  get(id: string): Board | undefined {
    const row = this.db.prepare(`${SELECT_BOARDS} WHERE boards.id = ?`).get(id) as BoardRow | undefined;
    return row && toBoard(row);
  }

  /** The board with this name, in any case. */
  named(name: string): Board | undefined {
    const id = this.db.prepare('SELECT id FROM boards WHERE name_key = ?').pluck().get(boardNameKey(name)) as string | undefined;
    return id === undefined ? undefined : this.get(id);
  }

  create(name: string, now = Date.now()): Board {
    const id = randomUUID();
    this.db.prepare('INSERT INTO boards (id, name, name_key, created_at) VALUES (?, ?, ?, ?)').run(id, name, boardNameKey(name), now);
    return this.get(id)!;
  }

  rename(id: string, name: string): void {
    this.db.prepare('UPDATE boards SET name = ?, name_key = ? WHERE id = ?').run(name, boardNameKey(name), id);
  }

  /** Deletes the board (never its images); returns the images it held, the trashed ones too. */
  remove(id: string): string[] {
    return this.db.transaction(() => {
      const members = this.members(id);
      this.db.prepare('DELETE FROM boards WHERE id = ?').run(id);
      return members;
    })();
  }

  /** Every image in the board, the trashed ones too, oldest member first. */
  members(id: string): string[] {
    return this.db.prepare('SELECT image_id FROM board_images WHERE board_id = ? ORDER BY added_at, image_id').pluck().all(id) as string[];
  }

  /** Adds the images in one transaction; those already in it stay as they were. */
  addImages(boardId: string, imageIds: readonly string[], now = Date.now()): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO board_images (board_id, image_id, added_at) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const imageId of imageIds) insert.run(boardId, imageId, now);
    })();
  }

  removeImages(boardId: string, imageIds: readonly string[]): void {
    const remove = this.db.prepare('DELETE FROM board_images WHERE board_id = ? AND image_id = ?');
    this.db.transaction(() => {
      for (const imageId of imageIds) remove.run(boardId, imageId);
    })();
  }

  /** Out of one board and into the other in one transaction: a crash leaves either both or neither. */
  moveImages(fromBoardId: string, toBoardId: string, imageIds: readonly string[], now = Date.now()): void {
    this.db.transaction(() => {
      this.removeImages(fromBoardId, imageIds);
      this.addImages(toBoardId, imageIds, now);
    })();
  }
}
