import { describe, expect, it } from 'vitest';
import type { ModelCard } from '@modelyard/client';
import { applyEdits, missingCardFields } from './model-card-fields.js';
import { explanationSummary, profileSummary } from './model-card.js';
import { escapeHtml, modelCardHtml, modelCardMarkdown } from './model-card-render.js';

const XSS = '<script>alert("x")</script>';

function card(over: Partial<ModelCard> = {}): ModelCard {
  return {
    model: { id: 'mdl_1', name: 'credit', description: `Scores loans ${XSS}` },
    version: {
      version: 3,
      source: 'run',
      description: 'Deeper | trees',
      tags: { ticket: '<b>RISK-1</b>' },
      createdAt: '2026-01-01T00:00:00.000Z',
      createdBy: 'admin',
    },
    edits: {
      intendedUse: 'Pre-screening **only**.',
      limitations: `Not for ${XSS}`,
      owners: ['risk-team'],
      updatedAt: '2026-01-02T00:00:00.000Z',
      updatedBy: 'admin',
    },
    training: {
      runId: 'run_1',
      algorithm: 'gbdt',
      task: 'classification',
      target: 'Status',
      params: { nTrees: 20, learningRate: 0.1 },
      metrics: { auc: 0.8123456789 },
      environment: null,
      durationMs: 1500,
      finishedAt: '2026-01-01T00:00:00.000Z',
    },
    data: {
      datasetId: 'dst_1',
      dataset: 'credit_data',
      version: 'abc123',
      rows: 4454,
      columns: [{ name: 'Income', type: 'numeric' }],
      parents: [],
    },
    trainingProfile: { features: [{ name: `f${XSS}`, summary: '10 values' }] },
    slices: [{ name: 'age < 30', metrics: { auc: 0.7 } }],
    explanation: { method: 'mean |SHAP|', features: [{ name: 'Income', importance: 0.5 }] },
    generatedAt: '2026-01-03T00:00:00.000Z',
    ...over,
  };
}

describe('modelCardHtml', () => {
  it('escapes every user string', () => {
    const html = modelCardHtml(card());
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>RISK-1</b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;RISK-1&lt;/b&gt;');
    expect(html).toMatch(/^<!doctype html>/);
    for (const title of ['Intended use', 'Limitations', 'Training', 'Metrics', 'Data', 'Slices', 'Explanations']) {
      expect(html).toContain(`<h2>${title}</h2>`);
    }
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('skips the sections it has no source for', () => {
    const html = modelCardHtml(
      card({ training: null, data: null, trainingProfile: null, slices: [], explanation: null }),
    );
    expect(html).not.toContain('<h2>Training</h2>');
    expect(html).not.toContain('<h2>Explanations</h2>');
    expect(html).toContain('<h2>Intended use</h2>');
  });
});

describe('modelCardMarkdown', () => {
  it('renders sections and tables, with raw HTML and table pipes neutralised', () => {
    const md = modelCardMarkdown(card());
    expect(md).toContain('# Model card: credit version 3');
    expect(md).toContain('## Intended use\n\nPre-screening **only**.');
    expect(md).not.toContain('<script>');
    expect(md).toContain('Not for &lt;script&gt;');
    expect(md).toContain('| auc | 0.812346 |');
    expect(md).toContain('| Tag ticket | &lt;b&gt;RISK-1&lt;/b&gt; |');
    expect(modelCardMarkdown(card({ edits: { updatedAt: null, updatedBy: null } }))).toContain(
      '## Limitations\n\nNot written yet.',
    );
  });
});

describe('card fields', () => {
  it('keeps fields left out, clears nulls and blanks, and tells the gate what is missing', () => {
    const first = applyEdits({ updatedAt: null, updatedBy: null }, { intendedUse: 'x', caveats: 'c' }, 'ann', 't1');
    expect(missingCardFields(first)).toEqual(['limitations']);
    const second = applyEdits(first, { limitations: 'l', caveats: null }, 'bob', 't2');
    expect(second).toEqual({ intendedUse: 'x', limitations: 'l', updatedAt: 't2', updatedBy: 'bob' });
    expect(missingCardFields(second)).toEqual([]);
    expect(missingCardFields(applyEdits(second, { intendedUse: '  ' }, 'bob', 't3'))).toEqual(['intended use']);
    expect(missingCardFields('garbage')).toEqual(['intended use', 'limitations']);
  });

  it('summarises a training profile and an explanation defensively', () => {
    expect(
      profileSummary({
        features: [
          { name: 'a', type: 'number', count: 10, missing: 1, min: 0, max: 2.5, mean: 1.25 },
          { name: 'b', type: 'category', count: 10, missing: 0, categories: [{ value: 'x', count: 7 }] },
          { nope: true },
        ],
      }),
    ).toEqual({
      features: [
        { name: 'a', summary: '10 values; 1 missing; range 0 to 2.5; mean 1.25' },
        { name: 'b', summary: '10 values; top: x' },
      ],
    });
    expect(profileSummary(null)).toBeNull();
    expect(
      explanationSummary({
        shap: {
          meanAbs: [
            { feature: 'a', values: [1], total: 1 },
            { feature: 'b', values: [2], total: 2 },
          ],
        },
      }),
    ).toEqual({
      method: 'mean |SHAP|',
      features: [
        { name: 'b', importance: 2 },
        { name: 'a', importance: 1 },
      ],
    });
    expect(explanationSummary({ permutation: { importances: [{ feature: 'a', mean: 0.1, std: 0 }] } })?.method).toBe(
      'permutation importance',
    );
    expect(explanationSummary({})).toBeNull();
  });
});
