// A worker thread starts without the loader that runs Sada's TypeScript (bin/sada.js registers
// it in the main thread only): register it here, then run the worker itself.
import { register } from 'tsx/esm/api';

register();
await import('./batch-worker.ts');
