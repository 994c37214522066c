/**
 * The boundary: every call is looked up in the contract, its payload validated, the
 * handler run, and its result validated, all before anything crosses back. Failures come
 * back as `{ ok: false, error }` with a message that says what was wrong.
 */
import { z } from 'zod';
import {
  calls,
  events,
  type CallDef,
  type CallInput,
  type CallOutput,
  type Contract,
  type Domain,
  type Envelope,
} from '../common/contract';
import { EngineError } from '../engine/index';
import { LibraryStorageError } from '../library/index';
import { describeIssues, UserError } from '../studio/errors';
import type { Caller, Emit } from '../studio/host';

export type DomainHandlers<D extends Domain> = {
  [K in keyof Contract[D] as Contract[D][K] extends CallDef ? K : never]: (
    input: CallInput<D, K>,
    caller: Caller,
  ) => Promise<CallOutput<D, K>> | CallOutput<D, K>;
};
export type Handlers = { [D in Domain]: DomainHandlers<D> };

export type Dispatch = (wireName: string, input: unknown, caller: Caller) => Promise<Envelope>;


type AnyHandler = (input: unknown, caller: Caller) => unknown;

/**
 * `storageError` turns a failure the user can act on (a full disk, a read-only data folder)
 * into a LibraryStorageError, so that it is answered in words rather than as an errno.
 */
export function createDispatcher(
  handlers: Handlers,
  log: (message: string) => void = console.error,
  storageError: (error: unknown) => unknown = (error) => error,
): Dispatch {
  const table = new Map(
    calls.map((entry) => {
      const handler = (handlers[entry.domain] as Record<string, AnyHandler>)[entry.name];
      if (!handler) throw new Error(`No handler for ${entry.wireName}`);
      return [entry.wireName, { def: entry.def, handler }] as const;
    }),
  );

  return async (wireName, input, caller) => {
    const entry = table.get(wireName);
    if (!entry) return { ok: false, error: `Unknown call "${String(wireName)}".` };
    const parsed = entry.def.input.safeParse(input);
    if (!parsed.success) return { ok: false, error: describeIssues(wireName, parsed.error) };
    let value: unknown;
    try {
      value = await entry.handler(parsed.data, caller);
    } catch (error) {
      return { ok: false, error: messageOf(wireName, storageError(error), log) };
    }
    const output = entry.def.output.safeParse(value);
    if (!output.success) {
      log(`${wireName}: result does not match the contract: ${z.prettifyError(output.error)}`);
      return { ok: false, error: `${wireName}: internal error (the result did not match the contract).` };
    }
    return { ok: true, value: output.data };
  };
}

function messageOf(wireName: string, error: unknown, log: (message: string) => void): string {
  if (error instanceof UserError || error instanceof EngineError || error instanceof LibraryStorageError) return error.message;
  log(`${wireName} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return `${wireName} failed: ${error instanceof Error ? error.message : String(error)}`;
}

/** An `Emit` that validates each payload, then hands it to `send` by wire name. */
export function createEmitter(send: (wireName: string, payload: unknown) => void, log: (message: string) => void = console.error): Emit {
  const schemas = new Map(events.map((entry) => [entry.wireName, entry.def.payload]));
  return (domain, event, payload) => {
    const wireName = `${domain}.${String(event)}`;
    const parsed = schemas.get(wireName)?.safeParse(payload);
    if (!parsed?.success) {
      log(`event ${wireName} not sent: ${parsed ? z.prettifyError(parsed.error) : 'unknown event'}`);
      return;
    }
    send(wireName, parsed.data);
  };
}
