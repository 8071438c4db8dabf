// Scores the requests that reach one model in the same event-loop turn together: one call into the scorer (one pass
// of the trees over all their rows, one ONNX run) instead of one per request.

import type { FeatureRecord } from '@modelyard/engine';
import type { LoadedModel, ScoredBatch } from './loaded-model.js';

interface Waiting {
  records: FeatureRecord[];
  resolve: (batch: ScoredBatch) => void;
  reject: (error: unknown) => void;
}

/** Rows scored in one call at most; bigger requests are scored on their own. */
const MAX_BATCH_ROWS = 4096;

const queues = new WeakMap<LoadedModel, Waiting[]>();

export function scoreBatched(model: LoadedModel, records: FeatureRecord[]): Promise<ScoredBatch> {
  if (records.length >= MAX_BATCH_ROWS) return Promise.resolve(model.score(records));
  return new Promise((resolve, reject) => {
    let queue = queues.get(model);
    if (queue === undefined) {
      queue = [];
      queues.set(model, queue);
      setImmediate(() => {
        queues.delete(model);
        void run(model, queue!);
      });
    }
    queue.push({ records, resolve, reject });
  });
}

async function run(model: LoadedModel, waiting: Waiting[]): Promise<void> {
  for (let from = 0; from < waiting.length;) {
    // Requests go whole into a batch, up to MAX_BATCH_ROWS rows.
    let to = from;
    let rows = 0;
    while (to < waiting.length && (to === from || rows + waiting[to]!.records.length <= MAX_BATCH_ROWS)) {
      rows += waiting[to]!.records.length;
      to++;
    }
    const group = waiting.slice(from, to);
    from = to;
    try {
      const all = group.length === 1 ? group[0]!.records : group.flatMap((w) => w.records);
      const scored = await model.score(all);
      let offset = 0;
      for (const w of group) {
        const n = w.records.length;
        const warnings = scored.warnings
          .filter((x) => x.row >= offset && x.row < offset + n)
          .map((x) => ({ ...x, row: x.row - offset }));
        w.resolve({ predictions: scored.predictions.slice(offset, offset + n), warnings });
        offset += n;
      }
    } catch (error) {
      for (const w of group) w.reject(error);
    }
  }
}
