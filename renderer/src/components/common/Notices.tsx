import { useEffect } from 'react';
import { useStudio, useStudioGetter } from '../../store/react';
import type { Notice } from '../../store/workspace';
import { Icon } from './Icon';

/** How long a notice stays: offers long enough to act on, errors long enough to read twice. */
function lifetimeMs(notice: Notice): number {
  if (notice.action) return 20_000;
  return notice.tone === 'error' ? 12_000 : 5_000;
}

export function Notices() {
  const notices = useStudio((state) => state.workspace.notices);
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((notice) => (
        <NoticeCard key={notice.id} notice={notice} />
      ))}
    </div>
  );
}

function NoticeCard({ notice }: { notice: Notice }) {
  const getState = useStudioGetter();
  const dismiss = () => getState().workspace.dismiss(notice.id);
  useEffect(() => {
    const timer = window.setTimeout(() => getState().workspace.dismiss(notice.id), lifetimeMs(notice));
    return () => window.clearTimeout(timer);
  }, [notice, getState]);

  return (
    <div className={`notice notice-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : undefined}>
      <span className="notice-message">{notice.message}</span>
      {notice.action && (
        <button
          type="button"
          className="button button-quiet notice-action"
          onClick={() => {
            dismiss();
            void notice.action!.run();
          }}
        >
          {notice.action.label}
        </button>
      )}
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={dismiss}>
        <Icon name="close" size={14} />
      </button>
    </div>
  );
}
