// Shows a training run's progress on stderr: a cli-progress bar on a terminal, one line per status change otherwise.

import cliProgress from 'cli-progress';
import type { Run } from '@modelyard/client';
import type { OutputStream } from './cli-context.js';

export interface RunProgress {
  update(run: Run): void;
  stop(): void;
}

export function createRunProgress(stream: OutputStream, runId: string): RunProgress {
  return stream.isTTY ? new BarProgress(stream, runId) : new LineProgress(stream, runId);
}

class BarProgress implements RunProgress {
  readonly #bar: cliProgress.SingleBar;
  #started = false;

  constructor(
    stream: OutputStream,
    readonly runId: string,
  ) {
    this.#bar = new cliProgress.SingleBar(
      {
        // A TTY stream is a real tty.WriteStream, which is what cli-progress drives.
        stream: stream as unknown as NodeJS.WritableStream,
        format: `${runId} [{bar}] {percentage}% | {status} | {duration_formatted}`,
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  update(run: Run): void {
    const value = Math.round(Math.min(1, Math.max(0, run.progress)) * 100);
    if (!this.#started) {
      this.#bar.start(100, value, { status: run.status });
      this.#started = true;
    } else {
      this.#bar.update(value, { status: run.status });
    }
  }

  stop(): void {
    if (this.#started) this.#bar.stop();
  }
}

class LineProgress implements RunProgress {
  #last: string | undefined;

  constructor(
    readonly stream: OutputStream,
    readonly runId: string,
  ) {}

  update(run: Run): void {
    // Terminal states are reported by the command itself.
    if (run.status === this.#last || run.status === 'succeeded' || run.status === 'failed') return;
    this.#last = run.status;
    this.stream.write(`run ${this.runId} ${run.status}…\n`);
  }

  stop(): void {}
}
