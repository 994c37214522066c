/**
 * Soak: `npx tsx test/bench/soak.ts [--generations 500] [--edits 100] [--out FILE]` drives a
 * bridge in its own process with the embedded model through the browser client: generations
 * (main saves every run; every tenth is kept, the others go to the trash) and edits of kept images.
 * It samples the resident memory and open file descriptors of the bridge and of its engine
 * process (main/engine/process/) every 10 runs and passes when each stays within ±10 % of its
 * level after the first 50 runs, and no temporary file is left in the library's tmp/ or the
 * TMPDIR the bridge and the engine share. Not part of `npm test` (it takes many minutes).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { connectBridge } from '../../main/bridge/client';
import type { GenerationFinished, PartiApi, SamplingSettings } from '../../main/common/contract';
import { engineProcessPids } from '../unit/engine/engine-processes';

globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const TOLERANCE = 0.1;
const WARM_UP_RUNS = 50;
const SAMPLE_EVERY = 10;
const PROMPTS = ['a red circle', 'a blue square on the left', 'a green triangle above a yellow cross', 'two purple circles'];

interface Sample {
  run: number;
  bridgeRssMb: number;
  bridgeFds: number;
  engineRssMb: number;
  engineFds: number;
}

const { values } = parseArgs({
  options: {
    generations: { type: 'string', default: '500' },
    edits: { type: 'string', default: '100' },
    out: { type: 'string' },
  },
});
const generations = Number(values.generations);
const edits = Number(values.edits);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-soak-'));
const bridgeTmp = path.join(work, 'tmpdir');
const dataDir = path.join(work, 'data');
const rendererDir = path.join(work, 'renderer');
fs.mkdirSync(bridgeTmp);
fs.mkdirSync(rendererDir);
fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Parti Studio</title>');

const child = spawn(
  path.join(repoRoot, 'node_modules', '.bin', 'tsx'),
  [path.join(repoRoot, 'test', 'unit', 'bridge', 'bridge-process.ts'), dataDir, rendererDir, path.join(repoRoot, 'native-models')],
  { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, TMPDIR: bridgeTmp } },
);
const started = await new Promise<{ port: number; token: string }>((resolve, reject) => {
  child.stdout.once('data', (chunk: Buffer) => resolve(JSON.parse(chunk.toString()) as { port: number; token: string }));
  child.once('exit', (code) => reject(new Error(`the bridge exited (${code}) before listening`)));
});
/** The node process under tsx's wrapper: the one that holds the studio. */
const bridgePid = Number(fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0]) || child.pid!;

/** Resident memory (MB) and open file descriptors of one process. */
function usage(pid: number): { rssMb: number; fds: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
  return { rssMb: Math.round(rssKb / 102.4) / 10, fds: fs.readdirSync(`/proc/${pid}/fd`).length };
}

function sample(run: number): Sample {
  const engines = engineProcessPids(bridgePid);
  if (engines.length !== 1) throw new Error(`expected one engine process under the bridge, found ${engines.length}`);
  const bridge = usage(bridgePid);
  const engine = usage(engines[0]!);
  return { run, bridgeRssMb: bridge.rssMb, bridgeFds: bridge.fds, engineRssMb: engine.rssMb, engineFds: engine.fds };
}

const api: PartiApi = await connectBridge({ url: `ws://127.0.0.1:${started.port}/ws`, token: started.token });
const { settings } = await api.settings.get();
const sampling: SamplingSettings = settings.sampling;
const finishedJobs = new Map<string, (finished: GenerationFinished) => void>();
api.generation.onFinished((finished) => finishedJobs.get(finished.jobId)?.(finished));

async function finish(start: Promise<{ jobId: string }>): Promise<GenerationFinished & { outcome: 'done' }> {
  const { jobId } = await start;
  const finished = await new Promise<GenerationFinished>((resolve) => finishedJobs.set(jobId, resolve));
  finishedJobs.delete(jobId);
  if (finished.outcome !== 'done') throw new Error(`job ${jobId} ${finished.outcome}: ${'error' in finished ? finished.error : ''}`);
  return finished;
}

const kept: string[] = [];
const samples: Sample[] = [sample(0)];
const startedAt = Date.now();
const total = generations + edits;
for (let run = 1; run <= total; run++) {
  const prompt = PROMPTS[run % PROMPTS.length]!;
  const editing = run > generations;
  const result = editing
    ? await finish(
        api.edit.regenerate({
          source: { kind: 'image', id: kept[run % kept.length]! },
          prompt,
          settings: sampling,
          seed: run,
          mask: { width: 8, height: 8, data: Uint8Array.from({ length: 64 }, (_, cell) => (cell % 8 < 4 ? 1 : 0)) },
        }),
      )
    : await finish(api.generation.start({ prompt, settings: sampling, seed: run }));
  // Main saves every run; every tenth is kept, the others go to the trash.
  if (run % 10 === 0) kept.push(result.candidates[0]!.imageId);
  else await api.gallery.trash({ ids: result.candidates.map((candidate) => candidate.imageId) });
  if (run % SAMPLE_EVERY === 0) {
    samples.push(sample(run));
    const last = samples.at(-1)!;
    console.error(
      `${run}/${total} ${editing ? 'edits' : 'generations'}: bridge ${last.bridgeRssMb} MB, ${last.bridgeFds} fds; engine ${last.engineRssMb} MB, ${last.engineFds} fds; ${((Date.now() - startedAt) / run).toFixed(0)} ms/run`,
    );
  }
}

const libraryTmp = fs.readdirSync(path.join(dataDir, 'tmp'));
const processTmp = fs.readdirSync(bridgeTmp);
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));

const settled = samples.filter((s) => s.run >= Math.min(WARM_UP_RUNS, total));
const baseline = settled[0]!;
const range = (pick: (s: Sample) => number) => {
  const all = settled.map(pick);
  return { at50: pick(baseline), min: Math.min(...all), max: Math.max(...all), worst: Math.max(...all.map((v) => Math.abs(v / pick(baseline) - 1))) };
};
const figures = {
  bridgeRssMb: range((s) => s.bridgeRssMb),
  bridgeFds: range((s) => s.bridgeFds),
  engineRssMb: range((s) => s.engineRssMb),
  engineFds: range((s) => s.engineFds),
};
const report = {
  generations,
  edits,
  candidatesPerRun: sampling.candidates,
  keptImages: kept.length,
  minutes: Math.round((Date.now() - startedAt) / 600) / 100,
  ...figures,
  tempFilesLeft: { libraryTmp, processTmp },
  pass: Object.values(figures).every((figure) => figure.worst <= TOLERANCE) && libraryTmp.length === 0 && processTmp.length === 0,
  samples,
};
const summary = JSON.stringify(report, null, 1);
if (values.out) fs.writeFileSync(values.out, summary);
console.log(summary);
fs.rmSync(work, { recursive: true, force: true });
process.exit(report.pass ? 0 : 1);
