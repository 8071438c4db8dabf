// Run artifact paths as artifact-store keys: shared with our own API (artifacts/run-artifacts.ts), so both see the
// same files under `runs/<runId>/artifacts/`.

export {
  artifactSegments,
  decodeSegment,
  encodeSegment,
  invalidPath,
  runArtifactKey,
  runArtifactRoot,
} from '../artifacts/run-artifacts.js';
