// A histogram helper thread: says it is ready, then hands each attach message to the engine, which works until the
// trainer detaches it.

import { parentPort } from 'node:worker_threads';
import { serveHistograms, type HistogramHelperMessage } from '@modelyard/engine';

const port = parentPort;
if (!port) throw new Error('histogram-worker must run in a worker thread');
port.on('message', (message: HistogramHelperMessage) => serveHistograms(message));
port.postMessage('ready');
