// The public API of @modelyard/client: the client, its error, pagination, and every wire type.

export { ApiError } from './api-error.js';
export {
  ModelyardClient,
  TERMINAL_RUN_STATUSES,
  type AuditQuery,
  type DatasetUpload,
  type ModelyardClientOptions,
  type WaitForRunOptions,
} from './modelyard-client.js';
export { collectAll, paginate, type PageFetcher } from './paginate.js';
export type * from './types.js';
