// The engine's error contract: every failure a caller can cause carries a stable `code`.

/** Every code the engine throws; README.md catalogues them and a test keeps the two in sync. */
export const ENGINE_ERROR_CODES = [
  'length_mismatch',
  'duplicate_column',
  'unknown_column',
  'wrong_column_type',
  'empty_frame',
  'single_class_target',
  'unseen_class',
  'constant_target',
  'infinite_target',
  'no_usable_features',
  'too_many_classes',
  'too_many_features',
  'target_not_numeric',
  'invalid_param',
  'invalid_records',
  'invalid_artifact',
  'invalid_input',
  'undefined_metric',
  'too_few_rows',
  'too_few_groups',
] as const;

/** Stable error codes; the server maps them to HTTP statuses at its edge. */
export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[number];

export class EngineError extends Error {
  readonly code: string;
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}
