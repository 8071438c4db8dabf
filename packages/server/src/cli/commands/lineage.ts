// `modelyard lineage`: the graph of datasets, runs, model versions and endpoints around one object, readably.

import {
  collectAll,
  type LineageDirection,
  type LineageGraph,
  type LineageKind,
  type ModelyardClient,
  type NodeRef,
} from '@modelyard/client';
import { Argument, Option, type Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { formatTable } from '../format-table.js';
import { findDataset, findEndpoint, findModelByName, findRun } from '../lookup.js';
import { integerOption } from './integer-option.js';

const KINDS: LineageKind[] = ['dataset', 'dataset_version', 'run', 'model_version', 'endpoint'];
const MAX_DEPTH = 10;

interface LineageOptions {
  direction?: LineageDirection;
  depth?: string;
}

export function registerLineageCommand(program: Command, ctx: CliContext): void {
  program
    .command('lineage')
    .description('what an object was made from (up) or what was made from it (down), across projects you may view')
    .addArgument(new Argument('<kind>', 'what the object is').choices(KINDS))
    .addArgument(
      new Argument(
        '<name-or-id>',
        'the object: a name or id; dataset_version as dataset[@version prefix], model_version as model[@version|alias]',
      ),
    )
    .addOption(
      new Option(
        '--direction <dir>',
        'up toward the raw data, down toward endpoints (default: down from datasets, else up)',
      ).choices(['up', 'down']),
    )
    .option('--depth <n>', `hops from the object, 1..${MAX_DEPTH} (default: 3)`)
    .action(async (kind: LineageKind, ref: string, opts: LineageOptions, cmd: Command) => {
      const depth = opts.depth !== undefined ? integerOption('--depth', opts.depth, 1, MAX_DEPTH) : undefined;
      const direction = opts.direction ?? defaultDirection(kind);
      const client = await ctx.client(cmd);
      const id = await resolveNodeId(client, ctx.project(cmd), kind, ref);
      const graph = await client.lineage(kind, id, { direction, ...(depth !== undefined ? { depth } : {}) });
      ctx.print(cmd, graph, () => formatLineage(graph, direction));
    });
}

/** Toward the other end of the chain: datasets have nothing upstream unless derived, endpoints nothing downstream. */
export function defaultDirection(kind: LineageKind): LineageDirection {
  return kind === 'dataset' || kind === 'dataset_version' ? 'down' : 'up';
}

/** The API's id for the object a person named: `credit@a1b2c3` → `ds_…@a1b2c3…`, `credit-glm@champion` → `mdl_…@3`. */
async function resolveNodeId(
  client: ModelyardClient,
  project: string,
  kind: LineageKind,
  ref: string,
): Promise<string> {
  switch (kind) {
    case 'dataset':
      return (await findDataset(client, project, ref)).id;
    case 'endpoint':
      return (await findEndpoint(client, project, ref)).id;
    case 'run':
      return (await findRun(client, project, ref)).id;
    case 'dataset_version':
      return datasetVersionId(client, project, ref);
    case 'model_version':
      return modelVersionId(client, project, ref);
  }
}

/** `dataset[@version prefix]`, the latest version when no prefix is given. */
async function datasetVersionId(client: ModelyardClient, project: string, ref: string): Promise<string> {
  const [owner, prefix] = splitAt(ref);
  const dataset = await findDataset(client, project, owner);
  if (prefix === undefined) {
    const latest = dataset.latestVersion?.version;
    if (latest === undefined) {
      throw new CliError('dataset_version_not_found', `Dataset '${dataset.name}' has no version.`);
    }
    return `${dataset.id}@${latest}`;
  }
  const versions = await collectAll((p) => client.listDatasetVersions(dataset.id, { ...p, limit: 500 }));
  const matches = versions.filter((v) => v.version.startsWith(prefix.toLowerCase()));
  const [match] = matches;
  if (match === undefined) {
    throw new CliError('dataset_version_not_found', `No version of dataset '${dataset.name}' starts with '${prefix}'.`);
  }
  if (matches.length > 1) {
    throw new CliError(
      'ambiguous_version',
      `More than one version of dataset '${dataset.name}' starts with '${prefix}'.`,
    );
  }
  return `${dataset.id}@${match.version}`;
}

/** `model[@version|alias]`, the latest version when neither is given. */
async function modelVersionId(client: ModelyardClient, project: string, ref: string): Promise<string> {
  const [owner, selector] = splitAt(ref);
  const model = owner.startsWith('mdl_') ? await client.getModel(owner) : await findModelByName(client, project, owner);
  if (!model) throw new CliError('model_not_found', `No model '${owner}' in project '${project}'.`);
  if (selector === undefined) {
    if (model.latestVersion === null) {
      throw new CliError('model_version_not_found', `Model '${model.name}' has no version.`);
    }
    return `${model.id}@${model.latestVersion}`;
  }
  if (/^\d+$/.test(selector)) return `${model.id}@${Number(selector)}`;
  const version = model.aliases[selector];
  if (version === undefined) throw new CliError('alias_not_found', `Model '${model.name}' has no alias '${selector}'.`);
  return `${model.id}@${version}`;
}

function splitAt(ref: string): [string, string | undefined] {
  const at = ref.indexOf('@');
  return at < 0 ? [ref, undefined] : [ref.slice(0, at), ref.slice(at + 1)];
}

/** A node table (root first, as the API orders them) and the edges as `from → to`, always pointing downstream. */
export function formatLineage(graph: LineageGraph, direction: LineageDirection): string {
  const byKey = new Map(graph.nodes.map((n) => [key(n), n]));
  const label = (ref: NodeRef): string => {
    const node = byKey.get(key(ref));
    return `${node?.name ?? ref.id} (${ref.kind})`;
  };
  const root = label(graph.root);
  const nodes = formatTable(
    ['KIND', 'NAME', 'ID'],
    graph.nodes.map((n) => [n.kind, n.name, n.id]),
  );
  if (graph.edges.length === 0) return `${nodes}\n\nNothing ${direction}stream of ${root}.`;
  const edges = formatTable(
    null,
    graph.edges.map((e) => [label(e.from), '→', label(e.to)]),
  );
  const cut = graph.truncated
    ? `\n\nCut at ${graph.nodes.length} nodes: more lie within reach (lower --depth to see the closest).`
    : '';
  return `${nodes}\n\n${edges}${cut}`;
}

function key(ref: NodeRef): string {
  return `${ref.kind}:${ref.id}`;
}
