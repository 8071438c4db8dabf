// A column's logical type as a pill; the database type shows on hover.
import type { ColumnType } from '@modelyard/client';

export function ColumnTypePill({ type, dbType }: { type: ColumnType; dbType: string }) {
  return (
    <span className={`pill pill-type pill-type-${type}`} title={dbType}>
      {type}
    </span>
  );
}
