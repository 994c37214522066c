import { useStudio } from '../../store/react';

/** Says at once when main is out of reach, and what happens next. */
export function ConnectionBanner() {
  const connection = useStudio((state) => state.workspace.connection);
  if (connection === 'connected') return null;
  return (
    <div className="model-banner connection-banner" role="alert">
      {connection === 'lost' ? (
        <span>
          <strong>Connection to Parti Studio lost.</strong> Reconnecting by itself as soon as it is back; everything in the
          gallery is saved.
        </span>
      ) : (
        <span>
          <strong>Parti Studio was restarted</strong>, so this page’s access token no longer works. Open the new URL that{' '}
          <code>npm run serve</code> printed.
        </span>
      )}
    </div>
  );
}
