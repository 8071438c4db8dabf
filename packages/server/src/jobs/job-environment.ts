// The environment a command job starts with: a few neutral variables of the server's own, the caller's, and the
// run's coordinates. Nothing else of the server's leaks in (its admin token, database URL, secret key).

/** What a program needs to find its tools, locale and home; everything else of the server's stays out. */
const INHERITED = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'TERM'];

export interface JobCoordinates {
  /** The server's own base URL, reachable from the child. */
  serverUrl: string;
  projectName: string;
  experimentId: string;
  runId: string;
  token: string;
}

export function jobEnvironment(
  server: NodeJS.ProcessEnv,
  requested: Record<string, string>,
  job: JobCoordinates,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = server[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, requested);
  // Set last, so a job always logs to its own run with its own token.
  return Object.assign(env, {
    MLFLOW_TRACKING_URI: `${job.serverUrl}/mlflow/${job.projectName}`,
    MLFLOW_RUN_ID: job.runId,
    MLFLOW_EXPERIMENT_ID: job.experimentId,
    MLFLOW_TRACKING_TOKEN: job.token,
    MODELYARD_URL: job.serverUrl,
    MODELYARD_RUN_ID: job.runId,
    MODELYARD_TOKEN: job.token,
    MODELYARD_PROJECT: job.projectName,
  });
}
