/**
 * The contract's client. In Electron the preload exposes it as `window.parti`; in a browser
 * it is the loopback bridge's WebSocket client, which reads its token from the page URL.
 * Either way the renderer sees the same `PartiApi` type, derived from the contract.
 */
/// <reference path="../../preload/global.d.ts" />
import { connectBridge, type ConnectionStatus } from '../../main/bridge/client';
import type { PartiApi } from '../../main/common/contract';

export type * from '../../main/common/contract';
export type { ConnectionStatus } from '../../main/bridge/client';

/** `onStatus` hears when the bridge goes away and comes back; Electron's IPC lives as long as the window. */
export function connectApi(onStatus: (status: ConnectionStatus) => void): Promise<PartiApi> {
  return window.parti ? Promise.resolve(window.parti) : connectBridge({ onStatus });
}
