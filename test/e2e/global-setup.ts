import { buildRenderer } from './harness';

/** Tests run against the renderer as it is now, not a stale build. */
export default function setup(): void {
  buildRenderer();
}
