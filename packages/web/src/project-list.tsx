// The home page: every project the caller belongs to, with its description and the caller's role.
import { EmptyState } from './empty-state';
import { ErrorPanel } from './error-panel';
import { formatAge, formatDateTime } from './format';
import { LoadingPanel } from './loading-panel';
import { RolePill } from './role-pill';
import { useSession } from './session-context';
import { useAsync } from './use-async';
import { routeHref } from './use-hash-route';

export function ProjectList() {
  const { client } = useSession();
  const projects = useAsync(() => client.listProjects(), [client]);

  return (
    <section className="page" data-testid="project-list">
      <div className="page-header">
        <div>
          <h1>Projects</h1>
          <p className="muted">Projects group datasets, training runs, registered models and serving endpoints.</p>
        </div>
      </div>
      {projects.status === 'loading' ? <LoadingPanel label="Loading projects…" /> : null}
      {projects.status === 'error' ? <ErrorPanel error={projects.error} onRetry={projects.reload} /> : null}
      {projects.status === 'ready' && projects.data.items.length === 0 ? (
        <EmptyState title="No projects yet">
          Create one with <code>modelyard projects create &lt;name&gt;</code>, or ask a project admin to add you.
        </EmptyState>
      ) : null}
      {projects.status === 'ready' && projects.data.items.length > 0 ? (
        <ul className="project-grid">
          {projects.data.items.map((project) => (
            <li key={project.id}>
              <a
                className="project-card"
                href={routeHref({ project: project.name, tab: 'datasets' })}
                data-testid={`project-${project.name}`}
              >
                <div className="project-card-top">
                  <span className="project-avatar" aria-hidden="true">
                    {project.name.slice(0, 2).toUpperCase()}
                  </span>
                  <RolePill role={project.role} />
                </div>
                <h2 className="project-card-name">{project.name}</h2>
                <p className="project-card-description">
                  {project.description === '' ? <span className="faint">No description</span> : project.description}
                </p>
                <p className="project-card-meta" title={formatDateTime(project.createdAt)}>
                  Created {formatAge(project.createdAt)}
                </p>
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
