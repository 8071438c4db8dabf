// What a list shows when it has nothing in it: a title and a hint at how to fill it.
import type { ReactNode } from 'react';

export function EmptyState({ title, children, testId }: { title: string; children?: ReactNode; testId?: string }) {
  return (
    <div className="empty-state" data-testid={testId ?? 'empty-state'}>
      <div className="empty-state-icon" aria-hidden="true">
        <svg viewBox="0 0 24 24" width="28" height="28" fill="none" stroke="currentColor" strokeWidth="1.6">
          <path d="M3 7.5 12 3l9 4.5v9L12 21l-9-4.5v-9Z" strokeLinejoin="round" />
          <path d="m3 7.5 9 4.5 9-4.5M12 12v9" strokeLinejoin="round" />
        </svg>
      </div>
      <p className="empty-state-title">{title}</p>
      {children === undefined ? null : <p className="empty-state-hint">{children}</p>}
    </div>
  );
}
