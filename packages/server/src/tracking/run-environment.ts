// What a run ran on: runtime, machine, and the exact dependency set (lockfile hash) and code (git commit).

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { arch, cpus, release, totalmem, type } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RunEnvironment } from '@modelyard/client';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const MODELYARD_VERSION = '0.1.0';

async function lockfileHash(): Promise<string | null> {
  try {
    return createHash('sha256')
      .update(await readFile(`${REPO_ROOT}package-lock.json`))
      .digest('hex');
  } catch {
    return null;
  }
}

async function gitCommit(): Promise<string | null> {
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, timeout: 5000 });
    const commit = stdout.trim();
    return /^[0-9a-f]{40}$/.test(commit) ? commit : null;
  } catch {
    return null;
  }
}

/** Captured once per server start: none of it changes while the process lives. */
export async function captureEnvironment(): Promise<RunEnvironment> {
  const cpu = cpus();
  return {
    node: process.version,
    os: `${type()} ${release()}`,
    arch: arch(),
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cpus: cpu.length,
    memoryBytes: totalmem(),
    lockfileHash: await lockfileHash(),
    gitCommit: await gitCommit(),
    modelyardVersion: MODELYARD_VERSION,
  };
}
