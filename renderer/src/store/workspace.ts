import { messageOf, type SliceCreator } from './slice';

export type View = 'studio' | 'editor' | 'settings';
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
    // A repeated message replaces its older copy instead of stacking up.
    const others = (notices: Notice[]) => notices.filter((notice) => notice.message !== message || notice.action);
    set((slice) => ({ notices: [...others(slice.notices), { id, tone, message, action: action ?? null }].slice(-MAX_NOTICES) }));
    return id;
  };
  return {
    view: 'studio',
    notices: [],
    showView: (view) => set({ view }),
    notify,
    reportError: (doing, error) => {
      notify('error', `${doing}: ${messageOf(error)}`);
    },
    dismiss: (id) => set({ notices: own().notices.filter((notice) => notice.id !== id) }),
  };
};
