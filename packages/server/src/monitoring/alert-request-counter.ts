// Counts an endpoint's predict answers, and those that were errors (4xx/5xx), in one-minute buckets held in memory:
// failed requests never reach the inference log, and the error rate needs both. Buckets older than the longest
// window are dropped, so memory stays bounded by endpoints × minutes kept; counts start again after a restart.

const BUCKET_MS = 60_000;

interface Bucket {
  minute: number;
  total: number;
  errors: number;
}

export interface RequestCounts {
  total: number;
  errors: number;
}

export class RequestCounter {
  private readonly buckets = new Map<string, Bucket[]>();

  /** @param keepMs how far back counts are kept (the longest window a rule may ask for). */
  constructor(private readonly keepMs: number) {}

  /** One predict answer with its HTTP status. */
  record(endpointId: string, status: number, at: number = Date.now()): void {
    const minute = Math.floor(at / BUCKET_MS);
    let list = this.buckets.get(endpointId);
    if (list === undefined) {
      list = [];
      this.buckets.set(endpointId, list);
    }
    let last = list[list.length - 1];
    if (last === undefined || last.minute !== minute) {
      last = { minute, total: 0, errors: 0 };
      list.push(last);
      this.prune(list, at);
    }
    last.total++;
    if (status >= 400) last.errors++;
  }

  /** Answers in [from, to) (ms), to the minute: a bucket counts when its minute starts inside the window. */
  counts(endpointId: string, from: number, to: number): RequestCounts {
    const out = { total: 0, errors: 0 };
    for (const b of this.buckets.get(endpointId) ?? []) {
      const start = b.minute * BUCKET_MS;
      // The bucket holding `from` counts too: a window never misses the answers of its first minute.
      if (start + BUCKET_MS > from && start < to) {
        out.total += b.total;
        out.errors += b.errors;
      }
    }
    return out;
  }

  forget(endpointId: string): void {
    this.buckets.delete(endpointId);
  }

  private prune(list: Bucket[], at: number): void {
    const oldest = Math.floor((at - this.keepMs) / BUCKET_MS);
    let drop = 0;
    while (drop < list.length && list[drop]!.minute < oldest) drop++;
    if (drop > 0) list.splice(0, drop);
  }
}
