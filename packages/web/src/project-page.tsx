// One project: its header and tabs for datasets, runs, models, endpoints (loaded together for the tab counts), the SQL
// workbench and, for editors and admins, database connections.
import { ApiError, collectAll } from '@modelyard/client';
import { useState } from 'react';
import type { Dataset, Endpoint, Model, Project, Role, Run } from '@modelyard/client';
import { ConnectionsTab } from './connections-tab';
import { DatasetsTab } from './datasets-tab';
import { EndpointsTab } from './endpoints-tab';
import { ErrorPanel } from './error-panel';
import { NoAccess } from './no-access';
import { LoadingPanel } from './loading-panel';
import { ModelsTab } from './models-tab';
import { RolePill } from './role-pill';
import { RunsTab } from './runs-tab';
import { useSession } from './session-context';
import { SqlTab } from './sql-tab';
import { useAsync } from './use-async';
import { TABS, routeHref } from './use-hash-route';
import type { Route, Tab } from './use-hash-route';

interface ProjectData {
  project: Project;
  datasets: Dataset[];
  runs: Run[];
  /** More runs exist than the newest {@link RUNS_SHOWN}. */
  moreRuns: boolean;
  models: Model[];
  endpoints: Endpoint[];
}

const TAB_LABELS: Record<Tab, string> = {
  datasets: 'Datasets',
  runs: 'Runs',
  models: 'Models',
  endpoints: 'Endpoints',
  sql: 'SQL',
  connections: 'Connections',
};

/** Viewers may not read connections (the API answers 403), so their tab is not offered. */
function tabShown(tab: Tab, role: Role): boolean {
  return tab !== 'connections' || role !== 'viewer';
}

const RUNS_SHOWN = 100;
const ACTIVE_REFRESH_MS = 2_000;
const IDLE_REFRESH_MS = 15_000;

const isActive = (run: Run): boolean => run.status === 'queued' || run.status === 'running';

export function ProjectPage({ project, route }: { project: string; route: Route }) {
  const { client } = useSession();
  const state = useAsync<ProjectData>(
    async () => {
      const [info, datasets, runs, models, endpoints] = await Promise.all([
        client.getProject(project),
        collectAll((page) => client.listDatasets(project, page)),
        // Runs pile up; the newest page is what a person scans (and what is polled while training).
        client.listRuns(project, { limit: RUNS_SHOWN }),
        collectAll((page) => client.listModels(project, page)),
        collectAll((page) => client.listEndpoints(project, page)),
      ]);
      return { project: info, datasets, runs: runs.items, moreRuns: runs.nextCursor !== null, models, endpoints };
    },
    [client, project],
    // Live while anything is queued or training; otherwise a slow refresh picks up work started elsewhere.
    { refreshMs: (data) => (data.runs.some(isActive) ? ACTIVE_REFRESH_MS : IDLE_REFRESH_MS) },
  );

  // A reload (after saving a dataset, say) keeps showing the last data instead of unmounting the tabs for a spinner.
  const [kept, setKept] = useState<ProjectData | undefined>(undefined);
  if (state.data !== undefined && state.data !== kept) setKept(state.data);
  const shown = state.data ?? kept;

  if (shown === undefined) {
    return (
      <section className="page">
        {state.status === 'error' && isNoAccess(state.error) ? (
          <NoAccess project={project} />
        ) : state.status === 'error' ? (
          <ErrorPanel error={state.error} onRetry={state.reload} backHref={routeHref({ tab: 'datasets' })} />
        ) : (
          <LoadingPanel label={`Loading ${project}…`} />
        )}
      </section>
    );
  }

  const data = shown;
  const role = data.project.role;
  const counts: Partial<Record<Tab, string>> = {
    datasets: String(data.datasets.length),
    runs: data.moreRuns ? `${data.runs.length}+` : String(data.runs.length),
    models: String(data.models.length),
    endpoints: String(data.endpoints.length),
  };

  return (
    <section className="page" data-testid="project-page" data-project={project}>
      <div className="page-header">
        <div>
          <div className="page-title-row">
            <h1 data-testid="project-title">{data.project.name}</h1>
            <RolePill role={data.project.role} />
          </div>
          <p className="muted">{data.project.description || 'No description'}</p>
        </div>
        <div className="page-header-stats">
          {data.runs.some(isActive) ? (
            <span
              className="live-indicator"
              title={`Refreshing every ${ACTIVE_REFRESH_MS / 1000} s while runs are active`}
            >
              <span className="pill-dot" aria-hidden="true" /> Live
            </span>
          ) : null}
        </div>
      </div>
      {state.status === 'error' ? <ErrorPanel error={state.error} onRetry={state.reload} /> : null}
      <nav className="tabs" role="tablist" aria-label="Project sections">
        {TABS.filter((tab) => tabShown(tab, role)).map((tab) => (
          <a
            key={tab}
            role="tab"
            aria-selected={route.tab === tab}
            className={route.tab === tab ? 'tab active' : 'tab'}
            href={routeHref({ project, tab })}
            data-testid={`tab-${tab}`}
          >
            {TAB_LABELS[tab]}
            {counts[tab] === undefined ? null : <span className="tab-count">{counts[tab]}</span>}
          </a>
        ))}
      </nav>
      <div className="tab-panel" role="tabpanel">
        {route.tab === 'datasets' ? (
          <DatasetsTab project={project} datasets={data.datasets} selected={route.item} />
        ) : null}
        {route.tab === 'runs' ? (
          <RunsTab
            project={project}
            runs={data.runs}
            more={data.moreRuns}
            datasets={data.datasets}
            selected={route.item}
          />
        ) : null}
        {route.tab === 'models' ? (
          <ModelsTab
            project={project}
            models={data.models}
            runs={data.runs}
            selected={route.item}
            canEdit={role !== 'viewer'}
          />
        ) : null}
        {route.tab === 'endpoints' ? <EndpointsTab endpoints={data.endpoints} role={role} /> : null}
        {route.tab === 'sql' ? (
          <SqlTab project={project} datasets={data.datasets} role={role} onDatasetSaved={state.reload} />
        ) : null}
        {route.tab === 'connections' ? <ConnectionsTab project={project} role={role} /> : null}
      </div>
    </section>
  );
}

/** A project the caller may not see: the API answers 404 (as if it did not exist) or 403. */
function isNoAccess(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 403);
}
