// Helpers for parseArtifact tests: break a copy of an artifact, and read which path the parser rejects.
import { expect } from 'vitest';
import { parseArtifact } from '../artifact/parse-artifact.js';
import { EngineError } from '../errors.js';
import type { LooseJson } from './loose-json.js';

/** A JSON copy of `artifact` with `edit` applied. */
export function brokenCopy(artifact: unknown, edit: (json: LooseJson) => void): unknown {
  const json = JSON.parse(JSON.stringify(artifact)) as LooseJson;
  edit(json);
  return json;
}

/** The path parseArtifact names for the first offending field, or 'accepted'. */
export function rejectedPath(json: unknown): unknown {
  try {
    parseArtifact(json);
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('invalid_artifact');
    return (error as EngineError).details?.path;
  }
  return 'accepted';
}
