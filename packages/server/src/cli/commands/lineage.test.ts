import type { LineageGraph } from '@modelyard/client';
import { describe, expect, it } from 'vitest';
import { defaultDirection, formatLineage } from './lineage.js';

describe('formatLineage', () => {
  it('lists the nodes root first and the edges by name, pointing downstream', () => {
    const graph: LineageGraph = {
      root: { kind: 'endpoint', id: 'ep_1' },
      nodes: [
        { kind: 'endpoint', id: 'ep_1', name: 'credit-scoring', projectId: 'prj_1' },
        { kind: 'model_version', id: 'mdl_1@1', name: 'credit-glm v1', projectId: 'prj_1' },
        { kind: 'run', id: 'run_1', name: 'demo-credit-glm', projectId: 'prj_1' },
      ],
      edges: [
        { from: { kind: 'model_version', id: 'mdl_1@1' }, to: { kind: 'endpoint', id: 'ep_1' } },
        { from: { kind: 'run', id: 'run_1' }, to: { kind: 'model_version', id: 'mdl_1@1' } },
        // A node the caller may not view is left out of `nodes`: its edge shows the id instead.
        { from: { kind: 'dataset_version', id: 'ds_9@abc' }, to: { kind: 'run', id: 'run_1' } },
      ],
      truncated: false,
    };
    expect(formatLineage(graph, 'up').split('\n')).toEqual([
      'KIND           NAME             ID',
      'endpoint       credit-scoring   ep_1',
      'model_version  credit-glm v1    mdl_1@1',
      'run            demo-credit-glm  run_1',
      '',
      'credit-glm v1 (model_version)  →  credit-scoring (endpoint)',
      'demo-credit-glm (run)          →  credit-glm v1 (model_version)',
      'ds_9@abc (dataset_version)     →  demo-credit-glm (run)',
    ]);
  });

  it('says so when nothing lies in that direction', () => {
    const graph: LineageGraph = {
      root: { kind: 'dataset', id: 'ds_1' },
      nodes: [{ kind: 'dataset', id: 'ds_1', name: 'credit', projectId: 'prj_1' }],
      edges: [],
      truncated: false,
    };
    expect(formatLineage(graph, 'up')).toBe(
      'KIND     NAME    ID\ndataset  credit  ds_1\n\nNothing upstream of credit (dataset).',
    );
  });

  it('says when the graph was cut short', () => {
    const graph: LineageGraph = {
      root: { kind: 'dataset', id: 'ds_1' },
      nodes: [
        { kind: 'dataset', id: 'ds_1', name: 'credit', projectId: 'prj_1' },
        { kind: 'dataset_version', id: 'ds_1@ab', name: 'credit@ab', projectId: 'prj_1' },
      ],
      edges: [{ from: { kind: 'dataset', id: 'ds_1' }, to: { kind: 'dataset_version', id: 'ds_1@ab' } }],
      truncated: true,
    };
    expect(formatLineage(graph, 'down').split('\n').at(-1)).toBe(
      'Cut at 2 nodes: more lie within reach (lower --depth to see the closest).',
    );
  });
});

describe('defaultDirection', () => {
  it('walks down from data and up from everything made of it', () => {
    expect(defaultDirection('dataset')).toBe('down');
    expect(defaultDirection('dataset_version')).toBe('down');
    expect(defaultDirection('run')).toBe('up');
    expect(defaultDirection('model_version')).toBe('up');
    expect(defaultDirection('endpoint')).toBe('up');
  });
});
