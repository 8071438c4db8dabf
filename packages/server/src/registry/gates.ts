// Evaluates a registered model's readiness gates for one of its versions: every failing gate with a reason people can
// act on. Explanations and model cards are files stored with the version (versionAssetKey); the probes gate runs the
// model's probe set on the version (monitoring/probe-runner.ts).

import type { Gate, GateCheck, GateResult, GateRule } from '@modelyard/client';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { roleAtLeast } from '../auth/access.js';
import type { MetadataStore, ModelRecord, ModelVersionRecord } from '../store/metadata-store.js';
import { missingCardFields } from '../monitoring/model-card-fields.js';

/** Runs the model's probe set on a version (a fresh run, stored) and says whether it passed. */
export type ProbeGate = (
  model: ModelRecord,
  version: ModelVersionRecord,
) => Promise<{ passed: boolean; reason: string }>;

export type VersionAsset = 'explanation' | 'model_card' | 'probes';

/** Where a version's explanation, model card and latest probe result are stored. */
export function versionAssetKey(modelId: string, version: number, asset: VersionAsset): string {
  return `models/${modelId}/versions/${version}/${asset}.json`;
}

/** The gates that guard `alias` (every gate when alias is null). */
export function gatesFor(gates: Gate[], alias: string | null): Gate[] {
  return gates.filter((g) => alias === null || g.aliases.length === 0 || g.aliases.includes(alias));
}

export async function checkGates(
  store: MetadataStore,
  artifacts: ArtifactStore,
  model: ModelRecord,
  version: ModelVersionRecord,
  alias: string | null,
  options: { probes?: ProbeGate } = {},
): Promise<GateCheck> {
  const gates = gatesFor(await store.listGates(model.id), alias);
  const results: GateResult[] = [];
  for (const gate of gates) {
    results.push({ gate, ...(await evaluate(store, artifacts, gate.rule, model, version, options)) });
  }
  return { modelId: model.id, version: version.version, alias, passed: results.every((r) => r.passed), results };
}

async function evaluate(
  store: MetadataStore,
  artifacts: ArtifactStore,
  rule: GateRule,
  model: ModelRecord,
  version: ModelVersionRecord,
  options: { probes?: ProbeGate },
): Promise<{ passed: boolean; reason: string }> {
  switch (rule.kind) {
    case 'metric': {
      const run = await store.getRun(version.runId);
      const value = run?.metrics[rule.metric];
      if (typeof value !== 'number') {
        return { passed: false, reason: `Version ${version.version} has no recorded '${rule.metric}'.` };
      }
      const passed = rule.op === '>=' ? value >= rule.threshold : value <= rule.threshold;
      return {
        passed,
        reason: `${rule.metric} = ${value} (needs ${rule.op} ${rule.threshold}).`,
      };
    }
    case 'approvals': {
      const reviews = await store.listReviews(model.id, version.version);
      const qualified = reviews.filter((r) => roleAtLeast(r.role, rule.role) && r.userId !== version.createdBy);
      const rejections = qualified.filter((r) => r.decision === 'reject');
      const approvals = qualified.filter((r) => r.decision === 'approve').length;
      if (rejections.length > 0) {
        const names = await Promise.all(rejections.map(async (r) => (await store.getUser(r.userId))?.name ?? r.userId));
        return { passed: false, reason: `Rejected by ${names.join(', ')}.` };
      }
      return {
        passed: approvals >= rule.count,
        reason:
          `${approvals} of ${rule.count} approval(s) by a ${rule.role} or above` +
          (approvals >= rule.count ? '.' : " (the version's author does not count)."),
      };
    }
    case 'explanation': {
      const present = await artifacts.exists(versionAssetKey(model.id, version.version, rule.kind));
      return {
        passed: present,
        reason: present ? 'A global explanation is stored.' : 'No global explanation is stored for this version.',
      };
    }
    case 'model_card': {
      // The generated parts always exist: the gate asks that people have written the intended use and limitations.
      const key = versionAssetKey(model.id, version.version, 'model_card');
      if (!(await artifacts.exists(key))) return { passed: false, reason: 'No model card is saved for this version.' };
      const missing = missingCardFields(JSON.parse(new TextDecoder().decode(await artifacts.getBytes(key))));
      return missing.length === 0
        ? { passed: true, reason: 'A model card with intended use and limitations is saved.' }
        : { passed: false, reason: `The model card lacks ${missing.join(' and ')}.` };
    }
    case 'probes': {
      if (options.probes) return options.probes(model, version);
      // Without a runner (a read-only check), the newest stored run on this version decides.
      const run = (await store.listModelProbeRuns(model.id, 1000)).find(
        (r) => r.version === version.version && r.endpointId === null,
      );
      if (!run) return { passed: false, reason: 'The probes have not run on this version.' };
      return run.passed
        ? { passed: true, reason: `The probes passed (run ${run.id}).` }
        : { passed: false, reason: `${run.failed} probe(s) failed on this version (run ${run.id}).` };
    }
  }
}
