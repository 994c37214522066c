/** Shown instead of the studio when the contract's client cannot reach main at all. */
export function ConnectionFailed({ reason }: { reason: string }) {
  return (
    <main className="connection-failed">
      <h1>Parti Studio could not start</h1>
      <p>{reason}</p>
      <p className="muted">
        In a browser, open the URL that <code>npm run serve</code> printed, token included.
      </p>
    </main>
  );
}
