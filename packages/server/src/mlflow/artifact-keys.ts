// Run artifact paths as artifact-store keys: `runs/<runId>/artifacts/<segments>`, each path segment encoded into the
// store's key alphabet ([A-Za-z0-9._-], starting with a letter or digit), reversibly, so any file name survives.

import { invalidParameter } from './mlflow-error.js';

/** Names kept as they are; every other name is encoded, and only encoded names contain `_`. */
const PLAIN = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;
const MAX_SEGMENT_BYTES = 255;

export const invalidPath = (path: string): Error =>
  invalidParameter(`Invalid path '${path}': it must be relative and must not contain '..' or '.' segments.`);

/**
 * Splits an artifact path into its segments, refusing what could leave the run's folder: absolute paths, `..` and
 * `.` segments, backslashes and NUL. An empty path is the root.
 */
export function artifactSegments(path: string): string[] {
  if (path === '' || path === '/') return [];
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  if (trimmed.startsWith('/') || /^[A-Za-z]:/.test(trimmed) || trimmed.includes('\\') || trimmed.includes('\0')) {
    throw invalidPath(path);
  }
  const segments = trimmed.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) throw invalidPath(path);
  return segments;
}

export function encodeSegment(name: string): string {
  if (PLAIN.test(name) && !name.includes('..')) return name;
  let out = 'u';
  for (const byte of Buffer.from(name, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9]/.test(c) ? c : `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (out.length > MAX_SEGMENT_BYTES) throw invalidParameter(`The artifact name '${name}' is too long.`);
  return out;
}

export function decodeSegment(segment: string): string {
  if (!segment.includes('_')) return segment;
  const bytes: number[] = [];
  for (let i = 1; i < segment.length; i++) {
    if (segment[i] === '_') {
      bytes.push(parseInt(segment.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(segment.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

export const runArtifactRoot = (runId: string): string => `runs/${runId}/artifacts`;

export function runArtifactKey(runId: string, segments: string[]): string {
  return [runArtifactRoot(runId), ...segments.map(encodeSegment)].join('/');
}
