// Command runs a previous process left queued or running, found through run search (the store's own list of
// unfinished runs holds training runs only): every project, every experiment, deleted ones included.

import type { MetadataStore, RunRecord } from '../store/metadata-store.js';

const PAGE = 500;

export async function unfinishedCommandRuns(store: MetadataStore): Promise<RunRecord[]> {
  const projectIds: string[] = [];
  for (let after: string | undefined; ;) {
    const page = await store.listProjects(null, { limit: PAGE, ...(after !== undefined && { after }) });
    projectIds.push(...page.items.map((p) => p.id));
    if (page.next === null) break;
    after = page.next;
  }
  if (projectIds.length === 0) return [];
  const experimentIds: string[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.listExperiments(projectIds, { stage: 'all', limit: PAGE, offset });
    experimentIds.push(...page.map((e) => e.id));
    if (page.length < PAGE) break;
  }
  const found: RunRecord[] = [];
  for (let i = 0; i < experimentIds.length; i += PAGE) {
    for (let offset = 0; ; offset += PAGE) {
      const { runs, more } = await store.findRuns({
        experimentIds: experimentIds.slice(i, i + PAGE),
        filter: [{ entity: 'attribute', key: 'status', comparator: 'IN', value: ['queued', 'running'], position: 0 }],
        orderBy: [],
        stage: 'all',
        limit: PAGE,
        offset,
      });
      found.push(...runs.filter((run) => run.kind === 'command'));
      if (!more) break;
    }
  }
  return found;
}
