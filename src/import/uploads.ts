import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileFormat } from './mapping.ts';

/**
 * Files uploaded on the dashboard's Import page, between the upload and the commit: each is
 * streamed to a temporary file (never held in memory whole), refused past a size limit, kept for
 * a while so that a mapping can be tried, dry-run and committed (and committed again), and then
 * deleted — when its owner deletes it, when it has not been used for `ttlMs`, or when the server
 * stops.
 */

export interface Upload {
  id: string;
  workspaceId: number;
  /** The file's name as the browser gave it (for its extension and for people). */
  name: string;
  path: string;
  /** Folder for the importer's summary and rejects files. */
  reportDir: string;
  size: number;
  format: FileFormat;
  usedAt: number;
}

/** Default upload limit: 200 MB (SADA_IMPORT_MAX_BYTES overrides it). */
export const DEFAULT_UPLOAD_LIMIT = 200 * 1024 * 1024;

export class UploadTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The file is larger than ${Math.round(limit / (1024 * 1024))} MB, the most the dashboard takes. Import it with the command line instead: sada import <kind> <file> (it streams any size).`);
  }
}

/** Every store's folder, removed when the process exits (one handler for all of them). */
const ROOTS = new Set<string>();
let exitHandler = false;
function removeRootsOnExit(root: string): void {
  ROOTS.add(root);
  if (exitHandler) return;
  exitHandler = true;
  process.once('exit', () => {
    for (const folder of ROOTS) rmSync(folder, { recursive: true, force: true });
  });
}

export class UploadStore {
  readonly #uploads = new Map<string, Upload>();
  #root: string | undefined;

  constructor(
    readonly limit = DEFAULT_UPLOAD_LIMIT,
    readonly ttlMs = 60 * 60 * 1000,
  ) {}

  /** Made on the first upload: a server nobody uploads to leaves no folder behind. */
  get #folder(): string {
    if (!this.#root) {
      this.#root = mkdtempSync(join(tmpdir(), 'sada-uploads-'));
      removeRootsOnExit(this.#root);
    }
    return this.#root;
  }

  /** Streams `body` to a new temporary file; throws UploadTooLarge (and keeps nothing) past the limit. */
  async receive(workspaceId: number, name: string, format: FileFormat, body: Readable | AsyncIterable<Uint8Array>): Promise<Upload> {
    this.sweep();
    const id = randomBytes(12).toString('base64url');
    const folder = join(this.#folder, id);
    mkdirSync(folder);
    const path = join(folder, 'file');
    let size = 0;
    const limit = this.limit;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > limit) done(new UploadTooLarge(limit));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, createWriteStream(path));
    } catch (error) {
      rmSync(folder, { recursive: true, force: true });
      throw error;
    }
    const upload: Upload = { id, workspaceId, name, path, reportDir: join(folder, 'reports'), size, format, usedAt: Date.now() };
    this.#uploads.set(id, upload);
    return upload;
  }

  /** The workspace's upload of that id (another workspace's is not found). */
  get(workspaceId: number, id: string): Upload | undefined {
    const upload = this.#uploads.get(id);
    if (!upload || upload.workspaceId !== workspaceId) return undefined;
    upload.usedAt = Date.now();
    return upload;
  }

  delete(workspaceId: number, id: string): boolean {
    const upload = this.get(workspaceId, id);
    if (!upload) return false;
    this.#remove(upload);
    return true;
  }

  /** Deletes the uploads nobody used for `ttlMs`. */
  sweep(now = Date.now()): void {
    for (const upload of this.#uploads.values()) if (now - upload.usedAt > this.ttlMs) this.#remove(upload);
  }

  /** Deletes every upload and the folder (the server stops). */
  close(): void {
    this.#uploads.clear();
    if (!this.#root) return;
    rmSync(this.#root, { recursive: true, force: true });
    ROOTS.delete(this.#root);
    this.#root = undefined;
  }

  #remove(upload: Upload): void {
    this.#uploads.delete(upload.id);
    rmSync(join(upload.path, '..'), { recursive: true, force: true });
  }
}
