// The lineage graph around one object, walked over metadata that already exists: dataset → versions → runs → model
// versions → endpoints.

import type { LineageDirection, LineageEdge, LineageGraph, LineageKind, LineageNode, NodeRef } from '@modelyard/client';
import { requireRole, roleOn } from '../auth/access.js';
import { notFound } from '../errors.js';
import { resolveModelRef } from '../registry/model-ref.js';
import type {
  DatasetRecord,
  EndpointRecord,
  MetadataStore,
  ModelRecord,
  ModelVersionRecord,
  RunRecord,
  UserRecord,
} from '../store/metadata-store.js';

export const LINEAGE_KINDS = ['dataset', 'dataset_version', 'run', 'model_version', 'endpoint'] as const;
export const DEFAULT_LINEAGE_DEPTH = 3;
export const MAX_LINEAGE_DEPTH = 10;
/** Nodes one graph holds at most by default (and at most when asked): past it the graph is cut and says so. */
export const DEFAULT_LINEAGE_NODES = 1000;
export const MAX_LINEAGE_NODES = 10_000;

/** How many hex digits of a version hash a node's name shows. */
const SHORT_HASH = 12;

/** The store plus what one walk has read already: datasets and models are met again and again. */
class Walk {
  /** Neighbours one step may read: one more than the graph may still take tells it to stop. */
  fanOut = DEFAULT_LINEAGE_NODES + 1;
  readonly #datasets = new Map<string, Promise<DatasetRecord | undefined>>();
  readonly #models = new Map<string, Promise<ModelRecord | undefined>>();
  readonly #visible = new Map<string, Promise<boolean>>();

  constructor(
    readonly store: MetadataStore,
    readonly user: UserRecord,
  ) {}

  dataset(id: string): Promise<DatasetRecord | undefined> {
    return cached(this.#datasets, id, () => this.store.getDataset(id));
  }

  model(id: string): Promise<ModelRecord | undefined> {
    return cached(this.#models, id, () => this.store.getModel(id));
  }

  /** Viewer or above on the project (platform admins see everything). */
  canView(projectId: string): Promise<boolean> {
    return cached(this.#visible, projectId, async () => (await roleOn(this.store, this.user, projectId)) !== undefined);
  }
}

function cached<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let value = map.get(key);
  if (value === undefined) {
    value = load();
    map.set(key, value);
  }
  return value;
}

const datasetNode = (d: DatasetRecord): LineageNode => ({
  kind: 'dataset',
  id: d.id,
  name: d.name,
  projectId: d.projectId,
});
const datasetVersionNode = (d: DatasetRecord, version: string): LineageNode => ({
  kind: 'dataset_version',
  id: `${d.id}@${version}`,
  name: `${d.name}@${version.slice(0, SHORT_HASH)}`,
  projectId: d.projectId,
});
const runNode = (r: RunRecord): LineageNode => ({ kind: 'run', id: r.id, name: r.name, projectId: r.projectId });
const modelVersionNode = (m: ModelRecord, version: number): LineageNode => ({
  kind: 'model_version',
  id: `${m.id}@${version}`,
  name: `${m.name} v${version}`,
  projectId: m.projectId,
});
const endpointNode = (e: EndpointRecord): LineageNode => ({
  kind: 'endpoint',
  id: e.id,
  name: e.name,
  projectId: e.projectId,
});

/** `<owner>@<rest>` ids of versions; undefined when malformed, which answers as not found. */
function splitVersionId(id: string): { owner: string; rest: string } | undefined {
  const at = id.indexOf('@');
  if (at <= 0 || at === id.length - 1) return undefined;
  return { owner: id.slice(0, at), rest: id.slice(at + 1) };
}

function parseModelVersionId(id: string): { modelId: string; version: number } | undefined {
  const parts = splitVersionId(id);
  if (!parts || !/^[1-9][0-9]{0,8}$/.test(parts.rest)) return undefined;
  return { modelId: parts.owner, version: Number(parts.rest) };
}

async function loadDatasetVersion(walk: Walk, datasetId: string, version: string): Promise<LineageNode | undefined> {
  const [dataset, stored] = await Promise.all([
    walk.dataset(datasetId),
    walk.store.getDatasetVersion(datasetId, version),
  ]);
  return dataset && stored && datasetVersionNode(dataset, stored.version);
}

async function loadModelVersion(walk: Walk, v: ModelVersionRecord): Promise<LineageNode | undefined> {
  const model = await walk.model(v.modelId);
  return model && modelVersionNode(model, v.version);
}

/** The node a reference names, or undefined when there is none (malformed ids included). */
async function loadNode(walk: Walk, ref: NodeRef): Promise<LineageNode | undefined> {
  switch (ref.kind) {
    case 'dataset': {
      const dataset = await walk.dataset(ref.id);
      return dataset && datasetNode(dataset);
    }
    case 'dataset_version': {
      const parts = splitVersionId(ref.id);
      return parts && loadDatasetVersion(walk, parts.owner, parts.rest);
    }
    case 'run': {
      const run = await walk.store.getRun(ref.id);
      return run && runNode(run);
    }
    case 'model_version': {
      const parsed = parseModelVersionId(ref.id);
      const stored = parsed && (await walk.store.getModelVersion(parsed.modelId, parsed.version));
      return stored && loadModelVersion(walk, stored);
    }
    case 'endpoint': {
      const endpoint = await walk.store.getEndpoint(ref.id);
      return endpoint && endpointNode(endpoint);
    }
  }
}

/** One hop from a node to its neighbours; nodes that cannot be read (a deleted object) are left out. */
type Step = (walk: Walk, node: LineageNode) => Promise<LineageNode[]>;

const present = (nodes: (LineageNode | undefined)[]): LineageNode[] =>
  nodes.filter((n): n is LineageNode => n !== undefined);

const versionsOfDataset: Step = async (walk, node) => {
  const dataset = await walk.dataset(node.id);
  if (!dataset) return [];
  const nodes: LineageNode[] = [];
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await walk.store.listDatasetVersions(dataset.id, { limit: 500, beforeSeq });
    nodes.push(...page.map((v) => datasetVersionNode(dataset, v.version)));
    if (page.length < 500 || nodes.length >= walk.fanOut) return nodes;
    beforeSeq = page.at(-1)!.seq;
  }
};

const datasetOfVersion: Step = async (walk, node) => {
  const dataset = await walk.dataset(splitVersionId(node.id)!.owner);
  return dataset ? [datasetNode(dataset)] : [];
};

/** Derived datasets: the versions a version was computed from, and the versions computed from it. */
const parentsOfVersion: Step = async (walk, node) => {
  const { owner, rest } = splitVersionId(node.id)!;
  const parents = await walk.store.listDatasetVersionParents({ datasetId: owner, version: rest });
  return present(await Promise.all(parents.map((p) => loadDatasetVersion(walk, p.datasetId, p.version))));
};

const childrenOfVersion: Step = async (walk, node) => {
  const { owner, rest } = splitVersionId(node.id)!;
  const children = await walk.store.listDatasetVersionChildren({ datasetId: owner, version: rest });
  return present(await Promise.all(children.map((c) => loadDatasetVersion(walk, c.datasetId, c.version))));
};

const runsOfDatasetVersion: Step = async (walk, node) => {
  const { owner, rest } = splitVersionId(node.id)!;
  return (await walk.store.listRunsOfDatasetVersion(owner, rest, walk.fanOut)).map(runNode);
};

const datasetVersionOfRun: Step = async (walk, node) => {
  const run = await walk.store.getRun(node.id);
  if (!run) return [];
  const read = (await walk.store.listRunInputs(run.id)).map((i) => ({ datasetId: i.datasetId, version: i.version }));
  if (run.datasetId && run.datasetVersion) read.unshift({ datasetId: run.datasetId, version: run.datasetVersion });
  return present(await Promise.all(read.map((r) => loadDatasetVersion(walk, r.datasetId, r.version))));
};

const modelVersionsOfRun: Step = async (walk, node) => {
  const versions = await walk.store.listModelVersionsOfRun(node.id);
  return present(await Promise.all(versions.map((v) => loadModelVersion(walk, v))));
};

const runOfModelVersion: Step = async (walk, node) => {
  const { modelId, version } = parseModelVersionId(node.id)!;
  const stored = await walk.store.getModelVersion(modelId, version);
  const run = stored && (await walk.store.getRun(stored.runId));
  return run ? [runNode(run)] : [];
};

/** An endpoint serves the version its reference resolves to now: moving an alias moves the edge. */
async function servedVersion(walk: Walk, endpoint: EndpointRecord): Promise<ModelVersionRecord | undefined> {
  try {
    return (await resolveModelRef(walk.store, endpoint.projectId, endpoint.modelRef)).version;
  } catch {
    // A reference to a deleted model or alias serves nothing, so it has no upstream.
    return undefined;
  }
}

const endpointsOfModelVersion: Step = async (walk, node) => {
  const { modelId, version } = parseModelVersionId(node.id)!;
  const model = await walk.model(modelId);
  if (!model) return [];
  const candidates = await walk.store.listEndpointsOfModel(model.projectId, model.name);
  const served = await Promise.all(candidates.map((e) => servedVersion(walk, e)));
  return candidates
    .filter((_, i) => served[i]?.modelId === modelId && served[i]?.version === version)
    .map(endpointNode);
};

const modelVersionOfEndpoint: Step = async (walk, node) => {
  const endpoint = await walk.store.getEndpoint(node.id);
  const served = endpoint && (await servedVersion(walk, endpoint));
  return served ? present([await loadModelVersion(walk, served)]) : [];
};

/**
 * Every kind's neighbours, one list of steps per direction. A derived dataset's version (a workbench query over other
 * datasets) has its parents' versions upstream and is downstream of them.
 */
const STEPS: Record<LineageKind, Record<LineageDirection, Step[]>> = {
  dataset: { up: [], down: [versionsOfDataset] },
  dataset_version: { up: [datasetOfVersion, parentsOfVersion], down: [runsOfDatasetVersion, childrenOfVersion] },
  run: { up: [datasetVersionOfRun], down: [modelVersionsOfRun] },
  model_version: { up: [runOfModelVersion], down: [endpointsOfModelVersion] },
  endpoint: { up: [modelVersionOfEndpoint], down: [] },
};

const refOf = (n: NodeRef): NodeRef => ({ kind: n.kind, id: n.id });
const keyOf = (n: NodeRef): string => `${n.kind}:${n.id}`;

/**
 * The graph around `root`, breadth first up to `depth` hops and `maxNodes` nodes (`truncated` when cut short). The caller needs viewer on the root's project (else the
 * root's not-found error); any other node in a project the caller cannot view is left out, and the walk does not
 * continue through it.
 */
export async function lineageGraph(
  store: MetadataStore,
  user: UserRecord,
  root: NodeRef,
  options: { direction: LineageDirection; depth: number; maxNodes?: number },
): Promise<LineageGraph> {
  const walk = new Walk(store, user);
  const maxNodes = options.maxNodes ?? DEFAULT_LINEAGE_NODES;
  walk.fanOut = maxNodes + 1;
  let truncated = false;
  const rootNode = await loadNode(walk, root);
  if (!rootNode) throw notFound(root.kind, root.id);
  await requireRole(store, user, rootNode.projectId, 'viewer', { type: root.kind, id: root.id });

  const nodes = new Map<string, LineageNode>([[keyOf(rootNode), rootNode]]);
  const edges = new Map<string, LineageEdge>();
  let frontier = [rootNode];
  for (let hop = 0; hop < options.depth && frontier.length > 0; hop++) {
    const reached = await Promise.all(
      frontier.map(async (node) => {
        const steps = STEPS[node.kind][options.direction];
        return (await Promise.all(steps.map((step) => step(walk, node)))).flat();
      }),
    );
    const next: LineageNode[] = [];
    for (const [i, node] of frontier.entries()) {
      for (const neighbour of reached[i]!) {
        if (!(await walk.canView(neighbour.projectId))) continue;
        const edge =
          options.direction === 'down'
            ? { from: refOf(node), to: refOf(neighbour) }
            : { from: refOf(neighbour), to: refOf(node) };
        const known = nodes.has(keyOf(neighbour));
        if (!known && nodes.size >= maxNodes) {
          truncated = true;
          continue;
        }
        edges.set(`${keyOf(edge.from)}>${keyOf(edge.to)}`, edge);
        if (known) continue;
        nodes.set(keyOf(neighbour), neighbour);
        next.push(neighbour);
      }
    }
    frontier = next;
  }
  return { root: refOf(rootNode), nodes: [...nodes.values()], edges: [...edges.values()], truncated };
}
