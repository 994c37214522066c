import type { ConnectionStatus } from '../api';
import { messageOf, type SliceCreator } from './slice';

export type View = 'studio' | 'editor' | 'extend' | 'settings';
export type NoticeTone = 'info' | 'success' | 'error';

export interface NoticeAction {
  label: string;
  run(): void | Promise<void>;
}

export interface Notice {
  id: number;
  tone: NoticeTone;
  message: string;
  action: NoticeAction | null;
}

export interface WorkspaceSlice {
  view: View;
  notices: Notice[];
  /** Whether main can be reached (the bridge can go away; Electron's IPC cannot). */
  connection: ConnectionStatus;
  setConnection(status: ConnectionStatus): void;
  showView(view: View): void;
  notify(tone: NoticeTone, message: string, action?: NoticeAction): number;
  /** Reports a failed call: what the user was doing, then main's reason. */
  reportError(doing: string, error: unknown): void;
  dismiss(id: number): void;
}

/** Older notices drop off so that the stack never covers the work. */
const MAX_NOTICES = 3;

export const createWorkspaceSlice: SliceCreator<'workspace'> = ({ set, own }) => {
  let nextNoticeId = 1;
  const notify = (tone: NoticeTone, message: string, action?: NoticeAction): number => {
    const id = nextNoticeId++;
    // A repeated message replaces its older copy, and a new error the older errors, instead of stacking up.
    const replaced = (notice: Notice) => !notice.action && (notice.message === message || (tone === 'error' && notice.tone === 'error'));
    const others = (notices: Notice[]) => notices.filter((notice) => !replaced(notice));
    set((slice) => ({ notices: [...others(slice.notices), { id, tone, message, action: action ?? null }].slice(-MAX_NOTICES) }));
    return id;
  };
  return {
    view: 'studio',
    notices: [],
    connection: 'connected',
    setConnection: (connection) => set({ connection }),
    showView: (view) => set({ view }),
    notify,
    reportError: (doing, error) => {
      notify('error', `${doing}: ${messageOf(error)}`);
    },
    dismiss: (id) => set({ notices: own().notices.filter((notice) => notice.id !== id) }),
  };
};
