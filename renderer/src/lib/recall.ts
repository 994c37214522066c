/**
 * Shell-like recall of earlier prompts with Up and Down. `position` -1 means the user is on
 * their own draft; 0 is the most recent history entry, 1 the one before, and so on. The draft
 * is remembered when recall starts, and Down past the newest entry brings it back.
 */
export interface RecallPosition {
  position: number;
  draft: string;
}

export const AT_DRAFT: RecallPosition = { position: -1, draft: '' };

export interface Recalled {
  recall: RecallPosition;
  text: string;
}

/** Up: one entry further back, or null when there is nothing older. */
export function recallOlder(entries: readonly string[], recall: RecallPosition, currentText: string): Recalled | null {
  const next = recall.position + 1;
  const text = entries[next];
  if (text === undefined) return null;
  const draft = recall.position === -1 ? currentText : recall.draft;
  return { recall: { position: next, draft }, text };
}

/** Down: one entry newer, the draft after the newest, or null when already on the draft. */
export function recallNewer(entries: readonly string[], recall: RecallPosition): Recalled | null {
  if (recall.position === -1) return null;
  const next = recall.position - 1;
  if (next === -1) return { recall: AT_DRAFT, text: recall.draft };
  const text = entries[next];
  return text === undefined ? null : { recall: { position: next, draft: recall.draft }, text };
}
