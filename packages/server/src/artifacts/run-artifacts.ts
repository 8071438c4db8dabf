// Run artifacts as artifact-store keys, shared by our API and the MLflow-compatible one: `runs/<runId>/artifacts/
// <segments>`, each path segment encoded into the store's key alphabet ([A-Za-z0-9._-], starting with a letter or
// digit), reversibly, so any file name survives, and both APIs see the same files.

import { badRequest, ModelyardError } from '../errors.js';
import { isStreamingArtifactStore, type ArtifactStore, type StreamingArtifactStore } from './artifact-store.js';

/** Names kept as they are; every other name is encoded, and only encoded names contain `_`. */
const PLAIN = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;
const MAX_SEGMENT_BYTES = 255;

// The MLflow routes answer these 400s as INVALID_PARAMETER_VALUE with the same message (mlflow-error.ts).
export const invalidPath = (path: string): ModelyardError =>
  badRequest(
    'invalid_artifact_path',
    `Invalid path '${path}': it must be relative and must not contain '..' or '.' segments.`,
    { path },
  );

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
  if (out.length > MAX_SEGMENT_BYTES) {
    throw badRequest('invalid_artifact_path', `The artifact name '${name}' is too long.`, { name });
  }
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

/** The store as a streaming one; 501 `artifacts_not_streaming` for a store that cannot stream. */
export function streamingArtifacts(store: ArtifactStore): StreamingArtifactStore {
  if (!isStreamingArtifactStore(store)) {
    throw new ModelyardError(501, 'artifacts_not_streaming', 'This artifact store cannot stream run artifacts.');
  }
  return store;
}

/** One entry of a run's artifact folder: its path from the artifact root, decoded. */
export interface RunArtifactEntry {
  path: string;
  isDir: boolean;
  /** Bytes, for files. */
  bytes?: number;
}

/** The direct children of a run's artifact folder (empty when the folder does not exist), by stored name. */
export async function listRunArtifacts(
  store: StreamingArtifactStore,
  runId: string,
  segments: string[],
): Promise<RunArtifactEntry[]> {
  const key = runArtifactKey(runId, segments);
  if (!(await store.isPrefix(key))) return [];
  const prefix = segments.length === 0 ? '' : `${segments.join('/')}/`;
  return (await store.list(key)).map((entry) => ({
    path: prefix + decodeSegment(entry.name),
    isDir: entry.isDir,
    ...(!entry.isDir && { bytes: entry.bytes ?? 0 }),
  }));
}

const TYPES: Record<string, string> = {
  txt: 'text/plain',
  log: 'text/plain',
  json: 'application/json',
  yaml: 'text/plain',
  yml: 'text/plain',
  csv: 'text/csv',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
};

/** The content type a downloaded artifact is sent with, by its name's extension. */
export function contentTypeOf(name: string): string {
  const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '';
  // MLmodel and other extension-less files are text in MLflow's layout; unknown kinds are plain bytes.
  return TYPES[ext] ?? (ext === '' ? 'text/plain' : 'application/octet-stream');
}

/** `attachment` with the name in RFC 5987 form, so any file name survives the header. */
export const attachmentOf = (name: string): string => `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;
