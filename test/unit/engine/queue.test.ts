import { describe, expect, it } from 'vitest';
import { isEngineError } from '../../../main/engine/errors.js';
import { JobQueue } from '../../../main/engine/queue.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A task that logs its start and end and honours its signal. */
function task(log: string[], name: string, ms: number) {
  return async (signal: AbortSignal) => {
    log.push(`start ${name}`);
    for (let waited = 0; waited < ms; waited += 2) {
      if (signal.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      await sleep(2);
    }
    log.push(`end ${name}`);
    return name;
  };
}

describe('JobQueue', () => {
  it('runs jobs one at a time in submission order', async () => {
    const queue = new JobQueue();
    const log: string[] = [];
    const results = await Promise.all([queue.run(task(log, 'a', 20)), queue.run(task(log, 'b', 2)), queue.run(task(log, 'c', 2))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('drops a job cancelled while waiting, at once, without running it', async () => {
    const queue = new JobQueue();
    const log: string[] = [];
    const controller = new AbortController();
    const first = queue.run(task(log, 'a', 30));
    const second = queue.run(task(log, 'b', 2), controller.signal);
    const third = queue.run(task(log, 'c', 2));
    controller.abort();
    const error = await second.catch((e: unknown) => e);
    expect(isEngineError(error, 'CANCELLED')).toBe(true);
    expect(log).toEqual(['start a']); // rejected before the running job ended
    await Promise.all([first, third]);
    expect(log).toEqual(['start a', 'end a', 'start c', 'end c']);
  });

  it('passes cancellation of the running job through its signal and moves on', async () => {
    const queue = new JobQueue();
    const log: string[] = [];
    const controller = new AbortController();
    const running = queue.run(task(log, 'a', 1000), controller.signal);
    const next = queue.run(task(log, 'b', 2));
    await sleep(10);
    controller.abort();
    await expect(running).rejects.toThrow('aborted');
    await expect(next).resolves.toBe('b');
    expect(queue.size).toBe(0);
  });

  it('never starts a job whose signal had already fired', async () => {
    const queue = new JobQueue();
    const log: string[] = [];
    await expect(queue.run(task(log, 'a', 2), AbortSignal.abort())).rejects.toThrow(/cancelled/);
    expect(log).toEqual([]);
  });

  it('close() cancels waiting and running jobs', async () => {
    const queue = new JobQueue();
    const log: string[] = [];
    const running = queue.run(task(log, 'a', 1000)).catch((e: Error) => e.message);
    const waiting = queue.run(task(log, 'b', 2)).catch((e: Error) => e.message);
    await sleep(5);
    await queue.close();
    expect(await running).toBe('aborted');
    expect(await waiting).toMatch(/cancelled/);
    expect(log).toEqual(['start a']);
  });
});

describe('JobQueue bound', () => {
  it('refuses a job beyond the waiting limit at once with QUEUE_FULL, and takes jobs again once one has left', async () => {
    const queue = new JobQueue(2);
    const log: string[] = [];
    const running = queue.run(task(log, 'a', 30));
    const waiting = [queue.run(task(log, 'b', 2)), queue.run(task(log, 'c', 2))];
    const refused = await queue.run(task(log, 'd', 2)).catch((e: unknown) => e);
    expect(isEngineError(refused, 'QUEUE_FULL')).toBe(true);
    expect((refused as Error).message).toBe('The queue is full: 2 runs are waiting behind the one in progress. Wait for one to finish, or cancel one.');
    expect(queue.isFull).toBe(true);
    await Promise.all([running, ...waiting]);
    expect(queue.isFull).toBe(false);
    await expect(queue.run(task(log, 'e', 2))).resolves.toBe('e');
    expect(log).not.toContain('start d');
  });
});
