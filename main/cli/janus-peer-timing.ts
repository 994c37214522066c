/**
 * The bench's peer, in its own process (so each side's peak memory is its own):
 * transformers.js generate_images on a Janus folder, with the prompt and settings given.
 *
 *   tsx main/cli/janus-peer-timing.ts DIR PROMPT GUIDANCE IMAGES DTYPE   -> one JSON line
 */
import { openPeer, peerPromptInputs } from './janus-peer.js';

const [dir, prompt, guidanceText, imagesText, dtype] = process.argv.slice(2);
const guidance = Number(guidanceText);
const images = Number(imagesText);
const rssBefore = process.memoryUsage().rss;
const peer = await openPeer(dir!, dtype);
const inputs = await peerPromptInputs(peer, prompt!);
const run = async () => {
  const stamps: number[] = [];
  const streamer = { put: () => stamps.push(performance.now()), end: () => {} };
  const start = performance.now();
  await peer.model.generate_images({
    ...inputs, min_new_tokens: 576, max_new_tokens: 576, do_sample: true, guidance_scale: guidance > 1 ? guidance : null, streamer,
  } as never);
  const total = performance.now() - start;
  // put() sees the prompt first, then each sampled token: the last minus the first is decoding.
  return { totalMs: total, decodeMs: stamps.at(-1)! - stamps[0]!, steps: stamps.length - 1 };
};
await run(); // warm-up
const runs = [];
for (let i = 0; i < images; i++) runs.push(await run());
console.log(JSON.stringify({ runs, rssBefore, rssAfter: process.memoryUsage().rss, maxRss: process.resourceUsage().maxRSS * 1024 }));
