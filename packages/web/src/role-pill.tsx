// The caller's role on a project, as a small pill.
import type { Role } from '@modelyard/client';

export function RolePill({ role }: { role: Role }) {
  return (
    <span className={`pill pill-role pill-role-${role}`} data-testid="role" title={`Your role: ${role}`}>
      {role}
    </span>
  );
}
