// The profile wire types, as the client SDK defines them, for the data room's internal imports.

export type { ColumnProfile, ColumnType, DatasetProfile } from '@modelyard/client';
