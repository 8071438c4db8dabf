import { describe, expect, it } from 'vitest';
import type { Gate, GateRule, ProbeRun } from '@modelyard/client';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { MetadataStore, ModelRecord, ModelVersionRecord } from '../store/metadata-store.js';
import { checkGates, versionAssetKey } from './gates.js';

const model = { id: 'mdl_1', name: 'credit', projectId: 'prj_1' } as ModelRecord;
const version = { modelId: 'mdl_1', version: 2, runId: 'run_1' } as ModelVersionRecord;

function fakes(rules: GateRule[], files: Record<string, unknown>, runs: Partial<ProbeRun>[] = []) {
  const gates: Gate[] = rules.map((rule, i) => ({
    id: `gate_${i}`,
    modelId: model.id,
    rule,
    aliases: [],
    createdAt: '',
    createdBy: 'u',
  }));
  const store = {
    listGates: async () => gates,
    listModelProbeRuns: async () => runs as ProbeRun[],
  } as unknown as MetadataStore;
  const artifacts = {
    exists: async (key: string) => key in files,
    getBytes: async (key: string) => new TextEncoder().encode(JSON.stringify(files[key])),
  } as unknown as ArtifactStore;
  return { store, artifacts };
}

const cardKey = versionAssetKey(model.id, version.version, 'model_card');

describe('the model_card gate', () => {
  it('passes only once intended use and limitations are written', async () => {
    const reason = async (files: Record<string, unknown>) => {
      const { store, artifacts } = fakes([{ kind: 'model_card' }], files);
      const check = await checkGates(store, artifacts, model, version, null);
      return [check.passed, check.results[0]!.reason];
    };
    expect(await reason({})).toEqual([false, 'No model card is saved for this version.']);
    expect(await reason({ [cardKey]: { intendedUse: 'x', limitations: ' ' } })).toEqual([
      false,
      'The model card lacks limitations.',
    ]);
    expect(await reason({ [cardKey]: { owners: ['a'] } })).toEqual([
      false,
      'The model card lacks intended use and limitations.',
    ]);
    expect(await reason({ [cardKey]: { intendedUse: 'x', limitations: 'y' } })).toEqual([
      true,
      'A model card with intended use and limitations is saved.',
    ]);
  });
});

describe('the probes gate', () => {
  it('runs the probes when given a runner', async () => {
    const { store, artifacts } = fakes([{ kind: 'probes' }], {});
    const seen: number[] = [];
    const check = await checkGates(store, artifacts, model, version, 'production', {
      probes: async (_m, v) => {
        seen.push(v.version);
        return { passed: false, reason: '1 of 2 probe(s) failed' };
      },
    });
    expect(seen).toEqual([2]);
    expect(check.passed).toBe(false);
    expect(check.results[0]!.reason).toBe('1 of 2 probe(s) failed');
  });

  it('reads the newest stored run of the version without one', async () => {
    const runs: Partial<ProbeRun>[] = [
      { id: 'prb_3', version: 2, endpointId: 'end_1', passed: false, failed: 2 },
      { id: 'prb_2', version: 1, endpointId: null, passed: false, failed: 1 },
      { id: 'prb_1', version: 2, endpointId: null, passed: true, failed: 0 },
    ];
    const { store, artifacts } = fakes([{ kind: 'probes' }], {}, runs);
    const check = await checkGates(store, artifacts, model, version, null);
    expect([check.passed, check.results[0]!.reason]).toEqual([true, 'The probes passed (run prb_1).']);
    const none = fakes([{ kind: 'probes' }], {});
    expect((await checkGates(none.store, none.artifacts, model, version, null)).results[0]!.reason).toBe(
      'The probes have not run on this version.',
    );
  });
});
