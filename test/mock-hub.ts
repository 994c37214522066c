/**
 * A Hugging Face Hub on 127.0.0.1 for tests, in the URL layout @huggingface/hub calls:
 * `/api/models/<owner>/<name>/tree/<revision>?recursive=…` (the file listing, with the
 * LFS sha256 of every .onnx file) and `/<owner>/<name>/resolve/<revision>/<path>` (the file,
 * with Range support and an ETag). Unknown repositories answer 404, gated ones 401 without
 * their token. Files are sent in small timed chunks so a test can pause mid-file.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface MockRepo {
  /** The folder served as the repository's files. */
  dir: string;
  /** Served as README.md (a model card) when given. */
  modelCard?: string;
  /** Gated: 401 unless the request carries `Bearer <token>`. */
  token?: string;
  /** Paths served with one byte changed, while the listing keeps the true hash. */
  corrupt?: string[];
}

export interface MockHubOptions {
  /** Bytes per chunk and the pause between chunks (the default: about 3 MB/s). */
  chunkBytes?: number;
  chunkIntervalMs?: number;
}

export interface MockHub {
  url: string;
  /** Every file request: its path and Range header. */
  fileRequests: { path: string; range: string | null }[];
  close(): Promise<void>;
}

function filesOf(repo: MockRepo): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(repo.dir, full).split(path.sep).join('/'), fs.readFileSync(full));
    }
  };
  walk(repo.dir);
  if (repo.modelCard !== undefined) files.set('README.md', Buffer.from(repo.modelCard));
  return files;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export async function startMockHub(repos: Record<string, MockRepo>, options: MockHubOptions = {}): Promise<MockHub> {
  const chunkBytes = options.chunkBytes ?? 32 * 1024;
  const interval = options.chunkIntervalMs ?? 10;
  const contents = new Map(Object.entries(repos).map(([id, repo]) => [id, filesOf(repo)]));
  const fileRequests: MockHub['fileRequests'] = [];

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    const tree = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/([^/]+)/.exec(url.pathname);
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    const repoId = tree?.[1] ?? resolve?.[1];
    const repo = repoId === undefined ? undefined : repos[repoId];
    const files = repoId === undefined ? undefined : contents.get(repoId);
    if (!repo || !files) return json(404, { error: 'Repository not found' }, { 'x-error-code': 'RepoNotFound' });
    if (repo.token !== undefined && req.headers.authorization !== `Bearer ${repo.token}`) {
      return json(401, { error: `Access to model ${repoId} is restricted. You must have access to it and be authenticated to access it.` }, { 'x-error-code': 'GatedRepo' });
    }
    if (tree) {
      const listing = [...files].map(([filePath, bytes]) => ({
        type: 'file',
        path: filePath,
        size: bytes.length,
        oid: createHash('sha1').update(bytes).digest('hex'),
        ...(filePath.endsWith('.onnx') ? { lfs: { oid: sha256(bytes), size: bytes.length, pointerSize: 134 } } : {}),
      }));
      return json(200, listing);
    }
    const filePath = decodeURIComponent(resolve![3]!);
    const original = files.get(filePath);
    if (!original) return json(404, { error: 'Entry not found' }, { 'x-error-code': 'EntryNotFound' });
    fileRequests.push({ path: filePath, range: req.headers.range ?? null });
    const bytes = Buffer.from(original);
    if (repo.corrupt?.includes(filePath)) bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0xff;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const end = range && range[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
    res.writeHead(range ? 206 : 200, {
      'content-type': 'application/octet-stream',
      'content-length': String(end - start + 1),
      'accept-ranges': 'bytes',
      etag: `"${sha256(original)}"`,
      ...(range ? { 'content-range': `bytes ${start}-${end}/${bytes.length}` } : {}),
    });
    let offset = start;
    const send = () => {
      if (res.destroyed) return;
      if (offset > end) return void res.end();
      const next = Math.min(offset + chunkBytes, end + 1);
      res.write(bytes.subarray(offset, next));
      offset = next;
      setTimeout(send, interval);
    };
    send();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    fileRequests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
