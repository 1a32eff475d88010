import { parentPort, workerData } from 'node:worker_threads';
import { readBatches, type BatchSpec } from './batches.ts';
import { MappingError } from './mapping.ts';

/**
 * Reads, maps and encodes an import's batches on the second core while the main thread writes
 * them (readBatchesInWorker). Runs at most AHEAD batches ahead of the writer, so memory stays
 * flat whatever the file size.
 */
const AHEAD = 2;
const port = parentPort!;
let credit = AHEAD;
let wake: (() => void) | undefined;
// Each message from the main thread says it took one batch.
port.on('message', () => {
  credit++;
  wake?.();
});
try {
  for await (const event of readBatches(workerData as BatchSpec)) {
    if (event.type === 'batch') {
      while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
      credit--;
    }
    port.postMessage(event);
  }
} catch (error) {
  const { message, code } = error as NodeJS.ErrnoException;
  port.postMessage({ type: 'error', mapping: error instanceof MappingError, message, code });
}
port.close();
