import { Worker } from 'node:worker_threads';
import type { BatchEvent, BatchSpec } from './batches.ts';
import { MappingError } from './mapping.ts';

type WorkerMessage = BatchEvent | { type: 'error'; mapping: boolean; message: string; code?: string };

/**
 * readBatches on a worker thread: reading, mapping and encoding (a third to a half of an import's
 * work) run on another core while this thread writes. With PGlite, which runs on this thread,
 * that is the difference between the two being added up and overlapping. The batches and their
 * order are the same; errors arrive as the same kinds (MappingError, file errors with their code).
 */
export async function* readBatchesInWorker(spec: BatchSpec): AsyncGenerator<BatchEvent, void, undefined> {
  const worker = new Worker(new URL('./batch-worker.js', import.meta.url), { workerData: spec });
  const queue: WorkerMessage[] = [];
  let failure: Error | undefined;
  let exited = false;
  let wake: (() => void) | undefined;
  worker.on('message', (message: WorkerMessage) => {
    queue.push(message);
    wake?.();
  });
  worker.on('error', (error) => {
    failure = error;
    wake?.();
  });
  worker.on('exit', () => {
    exited = true;
    wake?.();
  });
  try {
    for (;;) {
      while (queue.length === 0) {
        if (failure) throw failure;
        if (exited) throw new Error('the import worker stopped before the end of the file');
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      const message = queue.shift()!;
      if (message.type === 'error') {
        if (message.mapping) throw new MappingError(message.message);
        throw Object.assign(new Error(message.message), message.code ? { code: message.code } : {});
      }
      if (message.type === 'batch') worker.postMessage('took');
      yield message;
      if (message.type === 'end') return;
    }
  } finally {
    await worker.terminate();
  }
}
