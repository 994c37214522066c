/**
 * Builds the `PartiApi` object from the contract for any transport, so that the Electron
 * preload and the browser's bridge client expose exactly the same functions.
 */
import { calls, events, eventMethodName, type Envelope, type PartiApi, type Unsubscribe } from './contract';

export interface Transport {
  /** Sends one call by its wire name and resolves with main's envelope. */
  call(wireName: string, input: unknown): Promise<Envelope>;
  subscribe(wireName: string, listener: (payload: unknown) => void): Unsubscribe;
}

/** An error main reported for a call; `message` is meant for people. */
export class PartiCallError extends Error {
  override readonly name = 'PartiCallError';
  constructor(
    readonly call: string,
    message: string,
  ) {
    super(message);
  }
}

export function buildApi(transport: Transport): PartiApi {
  const api: Record<string, Record<string, unknown>> = {};
  const domainOf = (domain: string) => (api[domain] ??= {});
  for (const { domain, name, wireName } of calls) {
    domainOf(domain)[name] = async (input?: unknown) => {
      const envelope = await transport.call(wireName, input);
      if (!envelope.ok) throw new PartiCallError(wireName, envelope.error);
      return envelope.value;
    };
  }
  for (const { domain, name, wireName } of events) {
    domainOf(domain)[eventMethodName(name)] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError(`${wireName}: listener must be a function`);
      return transport.subscribe(wireName, listener);
    };
  }
  return api as unknown as PartiApi;
}
