import type { SearchHit } from '@modelyard/client';
import { describe, expect, it } from 'vitest';
import { CliError } from '../cli-error.js';
import { formatSearchHits, parseKinds } from './search.js';

const hit = (over: Partial<SearchHit>): SearchHit => ({
  kind: 'dataset',
  id: 'ds_1',
  name: 'credit_data',
  projectId: 'prj_1',
  projectName: 'demo',
  match: 'prefix',
  ...over,
});

describe('parseKinds', () => {
  it('reads a comma-separated list, forgiving case, blanks and repeats', () => {
    expect(parseKinds('dataset,column')).toEqual(['dataset', 'column']);
    expect(parseKinds(' Model , endpoint,,model ')).toEqual(['model', 'endpoint']);
  });

  it('refuses unknown and empty kinds, naming the bad ones', () => {
    expect(() => parseKinds('dataset,table')).toThrow(CliError);
    expect(() => parseKinds('dataset,table')).toThrow(/not 'table'/);
    expect(() => parseKinds(',')).toThrow(/not ','/);
  });
});

describe('formatSearchHits', () => {
  it('prints kind, project, name and match, a column as dataset.column with the dataset id', () => {
    const text = formatSearchHits([
      hit({}),
      hit({ kind: 'column', name: 'Income', match: 'column', datasetName: 'credit_data' }),
      hit({ kind: 'model', id: 'mdl_7', name: 'credit-glm', projectName: 'rival', match: 'name' }),
    ]);
    expect(text.split('\n')).toEqual([
      'KIND     PROJECT  NAME                MATCH   ID',
      'dataset  demo     credit_data         prefix  ds_1',
      'column   demo     credit_data.Income  column  ds_1',
      'model    rival    credit-glm          name    mdl_7',
    ]);
  });
});
