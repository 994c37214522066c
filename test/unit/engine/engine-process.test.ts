/**
 * The engine in a process of its own (main/engine/process/): the same results as in this
 * process; a SIGKILL mid-run fails that run with a message and the engine starts again on
 * the same model, with the jobs queued behind it intact; malformed messages either way are
 * refused in words. The first tests fork the real child; the last drive EngineProcess
 * through a scripted channel.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Engine, isEngineError, type GenerateResult } from '../../../main/engine/index';
import { ENGINE_V8_FLAGS, EngineProcess, engineProcessStart, MALLOC_DEFAULTS, type EngineChannel } from '../../../main/engine/process/engine-process';
import { forkEngineLauncher } from '../../../main/engine/process/fork';
import type { ToEngine } from '../../../main/engine/process/protocol';
import { FIXTURES } from '../in-process-studio';
import { engineProcessPids } from './engine-processes';

const options = { embeddedModelsDir: FIXTURES, provider: 'cpu' as const };
const request = { prompt: 'a red circle at the top left', negativePrompt: 'a blue square', seed: 7, settings: { candidates: 32, guidance: 3 } };

describe('in its own process', () => {
  let engine: EngineProcess;
  const warnings: string[] = [];
  beforeAll(async () => {
    engine = await EngineProcess.open(options, forkEngineLauncher(), (warning) => warnings.push(warning));
  });
  afterAll(() => engine?.close());

  test('gives the same images, tokens and scores as the engine in this process', async () => {
    const local = await Engine.open(options);
    try {
      const expected = await local.generate(request);
      const progress: number[] = [];
      const got = await engine.generate(request, { onProgress: (event) => progress.push(event.tokensDone) });
      expect(got.candidates.map((c) => [c.index, c.score, [...c.tokens]])).toEqual(expected.candidates.map((c) => [c.index, c.score, [...c.tokens]]));
      expect(got.candidates[0]!.image.data).toEqual(expected.candidates[0]!.image.data);
      expect(progress.length).toBeGreaterThanOrEqual(8);
      expect(engine.package.id).toBe(local.package.id);
      expect(engine.vocabulary()).toEqual(local.vocabulary());
      expect(await engine.unknownWords('a purple unicorn')).toEqual(local.unknownWords('a purple unicorn'));
    } finally {
      await local.close();
    }
  });

  test("keeps freed memory up to a real model's whole key/value cache, so decoder steps do not fault it in again", () => {
    // Janus-Pro-1B, one candidate with guidance (2 rows), 24 layers of keys and values, 16 heads of 128, a 24-token prompt and 576 image tokens, float32.
    const cacheBytes = 24 * 2 * 2 * 16 * (24 + 576) * 128 * 4;
    expect(Number(MALLOC_DEFAULTS.MALLOC_TRIM_THRESHOLD_)).toBeGreaterThanOrEqual(cacheBytes);
  });

  test("runs with the malloc settings and V8 flags that keep its memory flat (the user's environment wins)", () => {
    const [pid] = engineProcessPids();
    const environ = new Map(readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').filter(Boolean).map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
    for (const [name, value] of Object.entries(MALLOC_DEFAULTS)) expect(environ.get(name)).toBe(process.env[name] ?? value);
    expect(readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0')).toEqual(expect.arrayContaining([...ENGINE_V8_FLAGS]));
    const saved = process.env.MALLOC_ARENA_MAX;
    process.env.MALLOC_ARENA_MAX = '1';
    try {
      expect(engineProcessStart().env.MALLOC_ARENA_MAX).toBe('1');
    } finally {
      if (saved === undefined) delete process.env.MALLOC_ARENA_MAX;
      else process.env.MALLOC_ARENA_MAX = saved;
    }
  });

  test('a SIGKILL mid-run fails that run in words; the queued run and the next go ahead on a restarted engine', async () => {
    const [before] = engineProcessPids();
    expect(before).toBeTypeOf('number');
    let killed = false;
    const running = engine.generate(request, {
      onProgress() {
        if (killed) return;
        killed = true;
        process.kill(before!, 'SIGKILL');
      },
    });
    const queued = engine.generate({ ...request, seed: 8 });
    const failure = await running.catch((error: unknown) => error);
    expect(killed).toBe(true);
    expect(isEngineError(failure, 'ENGINE_STOPPED')).toBe(true);
    expect((failure as Error).message).toMatch(/^The engine stopped during this run \(killed by SIGKILL, which is what running out of memory does\)\. It is starting again/);
    expect(warnings.some((warning) => warning.includes('restarting it'))).toBe(true);

    const next: GenerateResult = await queued;
    expect(next.candidates).toHaveLength(32);
    const [after] = engineProcessPids();
    expect(after).not.toBe(before);
    expect((await engine.generate({ ...request, settings: { candidates: 2 } })).candidates).toHaveLength(2);
  });

  test('cancelling a run stops it in the engine process and the next run goes ahead', async () => {
    const controller = new AbortController();
    const running = engine.generate(request, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(running).rejects.toSatisfy((error) => isEngineError(error, 'CANCELLED'));
    expect((await engine.generate({ ...request, settings: { candidates: 1 } })).candidates).toHaveLength(1);
  });

  test('the engine process refuses a malformed message in words and keeps serving', async () => {
    const channel = forkEngineLauncher()();
    const answers: unknown[] = [];
    channel.onMessage((message) => answers.push(message));
    channel.send({ type: 'generate', id: 1, request: { prompt: 5 } } as unknown as ToEngine);
    await expect.poll(() => answers, { timeout: 30_000 }).toContainEqual({
      type: 'failed',
      id: 1,
      error: { code: 'BAD_REQUEST', message: 'The engine process refused a malformed message (request.prompt: Invalid input: expected string, received number).' },
    });
    channel.send({ type: 'unknownWords', id: 2, prompt: 'a red circle' });
    await expect.poll(() => answers.at(-1), { timeout: 30_000 }).toMatchObject({ type: 'failed', id: 2, error: { message: 'No model is open in the engine process.' } });
    channel.kill();
  });
});

/** A channel whose engine answers as `script` says; each launch is recorded. */
function scriptedLauncher(script: (message: ToEngine, reply: (message: unknown) => void, exit: (how: string) => void) => void) {
  const launched: EngineChannel[] = [];
  const launch = (): EngineChannel => {
    const listeners: ((message: unknown) => void)[] = [];
    const exits: ((how: string) => void)[] = [];
    let alive = true;
    const reply = (message: unknown) => setImmediate(() => alive && listeners.forEach((listener) => listener(message)));
    const exit = (how: string) => setImmediate(() => alive && ((alive = false), exits.forEach((listener) => listener(how))));
    const channel: EngineChannel = {
      send: (message) => script(message, reply, exit),
      onMessage: (listener) => void listeners.push(listener),
      onExit: (listener) => void exits.push(listener),
      kill: () => exit('killed by SIGTERM'),
    };
    launched.push(channel);
    return channel;
  };
  return { launch, launched };
}

const opened = { type: 'opened', info: { id: 'scripted' }, providers: { sessions: [] }, vocabulary: ['red'] };

describe('EngineProcess', () => {
  test('a malformed answer fails the run, names what was wrong, and starts a fresh engine process', async () => {
    const { launch, launched } = scriptedLauncher((message, reply) => {
      if (message.type === 'open') reply(opened);
      if (message.type === 'generate') reply({ type: 'result', id: message.id, result: { kind: 'generate', candidates: [{ index: 0, tokens: [1, 2], image: null, score: 0 }] } });
    });
    const warnings: string[] = [];
    const engine = await EngineProcess.open(options, launch, (warning) => warnings.push(warning));
    const failure = await engine.generate(request).catch((error: unknown) => error);
    expect(isEngineError(failure, 'ENGINE_STOPPED')).toBe(true);
    expect(warnings[0]).toBe(
      'The engine process sent a malformed message (result: expected a result whose candidates carry RGBA images and Int32Array token grids); restarting it.',
    );
    await expect.poll(() => launched.length).toBe(2);
    await engine.close();
  });

  test('an engine process that dies while opening the model is reported, not waited on', async () => {
    const { launch } = scriptedLauncher((_message, _reply, exit) => exit('exit code 134'));
    await expect(EngineProcess.open(options, launch)).rejects.toThrow('The engine process stopped while opening the model (exit code 134).');
  });

  test("a model that cannot be opened gives the engine's own error, and its process is ended", async () => {
    const { launch, launched } = scriptedLauncher((message, reply, exit) => {
      if (message.type === 'open') reply({ type: 'openFailed', error: { code: 'FILE_CORRUPT', message: 'decoder.onnx: sha256 differs from the manifest' } });
    });
    const killed: string[] = [];
    const failure = await EngineProcess.open(options, () => {
      const channel = launch();
      channel.onExit((how) => killed.push(how));
      return channel;
    }).catch((error: unknown) => error);
    expect(isEngineError(failure, 'FILE_CORRUPT')).toBe(true);
    expect((failure as Error).message).toBe('decoder.onnx: sha256 differs from the manifest');
    await expect.poll(() => killed).toEqual(['killed by SIGTERM']);
    expect(launched).toHaveLength(1);
  });

  test('a restart that fails is reported by the next run, which tries again', async () => {
    let opens = 0;
    const { launch } = scriptedLauncher((message, reply, exit) => {
      if (message.type === 'open') {
        opens++;
        if (opens === 2) reply({ type: 'openFailed', error: { code: 'FILE_MISSING', message: 'decoder.onnx is missing' } });
        else reply(opened);
      }
      if (message.type === 'generate' && opens === 1) exit('killed by SIGKILL');
      if (message.type === 'generate' && opens >= 3) reply({ type: 'failed', id: message.id, error: { code: 'BAD_REQUEST', message: 'scripted' } });
    });
    const engine = await EngineProcess.open(options, launch);
    await expect(engine.generate(request)).rejects.toThrow(/^The engine stopped during this run \(killed by SIGKILL\)/);
    await expect(engine.generate(request)).rejects.toThrow('The engine could not be started again: decoder.onnx is missing');
    expect(opens).toBe(2);
    await expect(engine.generate(request)).rejects.toThrow('scripted');
    expect(opens).toBe(3);
    await engine.close();
  });
});
