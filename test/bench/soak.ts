/**
 * Soak: `npx tsx test/bench/soak.ts [--generations 500] [--edits 100] [--out FILE]` drives a
 * bridge as `npm run serve` runs it, with the embedded model, through the browser client: generations
 * and edits of kept images, interleaved (one edit every total/edits runs), so that the level
 * after the first 50 runs already includes both kinds of work and a later rise means a leak,
 * not a model part loading. Main saves every run; every tenth is kept, the others go to the
 * trash. Every 10 runs it samples the resident memory and open file descriptors of the bridge
 * and of its engine process (main/engine/process/), and, to tell a V8 leak from a native one,
 * each one's V8 heap, external memory and anonymous (malloc) memory from a diagnostic report.
 * It passes when resident memory and descriptors stay within ±10 % of their level after run 50
 * and no temporary file is left in the library's tmp/ or the TMPDIR the bridge and the engine
 * share. Not part of `npm test` (it takes many minutes).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { BRIDGE_DIST, buildBridge } from '../../main/bridge/build';
import { connectBridge } from '../../main/bridge/client';
import type { GenerationFinished, PartiApi, SamplingSettings } from '../../main/common/contract';
import { engineProcessPids } from '../unit/engine/engine-processes';

globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const TOLERANCE = 0.1;
const WARM_UP_RUNS = 50;
const SAMPLE_EVERY = 10;
const PROMPTS = ['a red circle', 'a blue square on the left', 'a green triangle above a yellow cross', 'two purple circles'];

/** One process at one moment; every figure in MB but `fds`. */
interface ProcessUsage {
  rssMb: number;
  fds: number;
  /** Private anonymous memory: the V8 heap plus everything malloc'd by native code. */
  anonymousMb: number;
  heapUsedMb: number;
  /** The V8 heap as committed (used plus what V8 keeps for growth). */
  heapTotalMb: number;
  externalMb: number;
}

interface Sample {
  run: number;
  bridge: ProcessUsage;
  engine: ProcessUsage;
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
const total = generations + edits;
const editEvery = edits > 0 ? Math.max(1, Math.floor(total / edits)) : Infinity;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'parti-soak-'));
const bridgeTmp = path.join(work, 'tmpdir');
const dataDir = path.join(work, 'data');
/** Where the two processes write their diagnostic reports (outside the TMPDIR that is checked). */
const reportDir = path.join(work, 'reports');
for (const dir of [bridgeTmp, reportDir]) fs.mkdirSync(dir);

// The bridge as `npm run serve` runs it: the build (main/bridge/build.ts) started with plain
// Node, its engine forked from the built entry beside it. NODE_OPTIONS reaches the engine too.
await buildBridge();
const child = spawn(process.execPath, [path.join(BRIDGE_DIST, 'serve.js'), '--data-dir', dataDir], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: {
    ...process.env,
    TMPDIR: bridgeTmp,
    NODE_OPTIONS: `--report-on-signal --report-signal=SIGUSR2 --report-compact --report-directory=${reportDir}`,
  },
});
/** The page URL serve.ts prints, and its line saying the model has loaded. */
const started = await new Promise<{ port: number; token: string }>((resolve, reject) => {
  let url: URL | undefined;
  let modelLoaded = false;
  const settle = () => url && modelLoaded && resolve({ port: Number(url.port), token: url.searchParams.get('token')! });
  child.stdout.on('data', (chunk: Buffer) => {
    const found = /listening on (\S+)/.exec(chunk.toString());
    if (found) (url = new URL(found[1]!)), settle();
  });
  // Node announces every report it writes on stderr; pass everything else on.
  child.stderr.on('data', (chunk: Buffer) => {
    const lines = chunk.toString().split('\n').filter((line) => line && !/Node\.js report|^report\.[\d.]+\.json$/.test(line));
    if (lines.some((line) => line.startsWith('No model loaded'))) reject(new Error(lines.join('\n')));
    if (lines.some((line) => line.startsWith('Model '))) (modelLoaded = true), settle();
    if (lines.length) console.error(lines.join('\n'));
  });
  child.once('exit', (code) => reject(new Error(`the bridge exited (${code}) before its model loaded`)));
});
const bridgePid = child.pid!;

const mb = (bytes: number): number => Math.round(bytes / 104857.6) / 10;
const kbField = (text: string, field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)![1]) * 1024;

/** Asks `pid` for a diagnostic report (SIGUSR2, see NODE_OPTIONS) and reads its V8 heap figures. */
async function heapOf(pid: number): Promise<Pick<ProcessUsage, 'heapUsedMb' | 'heapTotalMb' | 'externalMb'>> {
  const mine = (name: string) => name.includes(`.${pid}.`);
  for (const old of fs.readdirSync(reportDir).filter(mine)) fs.rmSync(path.join(reportDir, old));
  process.kill(pid, 'SIGUSR2');
  for (let waited = 0; waited < 10_000; waited += 50) {
    const name = fs.readdirSync(reportDir).find(mine);
    if (name) {
      try {
        const { javascriptHeap } = JSON.parse(fs.readFileSync(path.join(reportDir, name), 'utf8')) as {
          javascriptHeap: { usedMemory: number; totalMemory: number; externalMemory: number };
        };
        return { heapUsedMb: mb(javascriptHeap.usedMemory), heapTotalMb: mb(javascriptHeap.totalMemory), externalMb: mb(javascriptHeap.externalMemory) };
      } catch {
        // still being written
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`process ${pid} wrote no diagnostic report`);
}

async function usage(pid: number): Promise<ProcessUsage> {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const heap = await heapOf(pid);
  return { rssMb: mb(kbField(status, 'VmRSS')), fds: fs.readdirSync(`/proc/${pid}/fd`).length, anonymousMb: mb(kbField(rollup, 'Anonymous')), ...heap };
}

async function sample(run: number): Promise<Sample> {
  const engines = engineProcessPids(bridgePid);
  if (engines.length !== 1) throw new Error(`expected one engine process under the bridge, found ${engines.length}`);
  return { run, bridge: await usage(bridgePid), engine: await usage(engines[0]!) };
}

const describe = (u: ProcessUsage) => `${u.rssMb} MB (anon ${u.anonymousMb}, heap ${u.heapUsedMb}/${u.heapTotalMb}, ext ${u.externalMb}), ${u.fds} fds`;

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
const samples: Sample[] = [await sample(0)];
const startedAt = Date.now();
let editsDone = 0;
for (let run = 1; run <= total; run++) {
  const prompt = PROMPTS[run % PROMPTS.length]!;
  const editing = editsDone < edits && (run % editEvery === 0 || total - run < edits - editsDone);
  if (editing) editsDone++;
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
  // Main saves every run; every tenth (from the first, so the first edit has a source) is kept, the others go to the trash.
  if (run % 10 === 1) kept.push(result.candidates[0]!.imageId);
  else await api.gallery.trash({ ids: result.candidates.map((candidate) => candidate.imageId) });
  if (run % SAMPLE_EVERY === 0) {
    samples.push(await sample(run));
    const last = samples.at(-1)!;
    console.error(
      `${run}/${total} (${editsDone} edits): bridge ${describe(last.bridge)}; engine ${describe(last.engine)}; ${((Date.now() - startedAt) / run).toFixed(0)} ms/run`,
    );
  }
}

const libraryTmp = fs.readdirSync(path.join(dataDir, 'tmp'));
const processTmp = fs.readdirSync(bridgeTmp);
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));

const settled = samples.filter((s) => s.run >= Math.min(WARM_UP_RUNS, samples.at(-1)!.run));
const baseline = settled[0]!;
const range = (pick: (s: Sample) => number) => {
  const all = settled.map(pick);
  return { at50: pick(baseline), min: Math.min(...all), max: Math.max(...all), worst: Math.max(...all.map((v) => Math.abs(v / pick(baseline) - 1))) };
};
/** What the ±10 % rule judges. */
const figures = {
  bridgeRssMb: range((s) => s.bridge.rssMb),
  bridgeFds: range((s) => s.bridge.fds),
  engineRssMb: range((s) => s.engine.rssMb),
  engineFds: range((s) => s.engine.fds),
};
/** What tells a V8 leak from a native one, when resident memory moves. */
const breakdown = {
  bridgeAnonymousMb: range((s) => s.bridge.anonymousMb),
  bridgeHeapUsedMb: range((s) => s.bridge.heapUsedMb),
  bridgeHeapTotalMb: range((s) => s.bridge.heapTotalMb),
  bridgeExternalMb: range((s) => s.bridge.externalMb),
  engineAnonymousMb: range((s) => s.engine.anonymousMb),
  engineHeapUsedMb: range((s) => s.engine.heapUsedMb),
  engineHeapTotalMb: range((s) => s.engine.heapTotalMb),
  engineExternalMb: range((s) => s.engine.externalMb),
};
const report = {
  generations,
  edits,
  candidatesPerRun: sampling.candidates,
  editsDone,
  keptImages: kept.length,
  minutes: Math.round((Date.now() - startedAt) / 600) / 100,
  ...figures,
  breakdown,
  tempFilesLeft: { libraryTmp, processTmp },
  pass: Object.values(figures).every((figure) => figure.worst <= TOLERANCE) && libraryTmp.length === 0 && processTmp.length === 0,
  samples,
};
const summary = JSON.stringify(report, null, 1);
if (values.out) fs.writeFileSync(values.out, summary);
console.log(summary);
fs.rmSync(work, { recursive: true, force: true });
process.exit(report.pass ? 0 : 1);
