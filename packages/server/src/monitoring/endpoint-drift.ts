// Drift of an endpoint's traffic: the features (and the model's output) of the requests its primary route answered
// in a window, compared column by column with a reference — the served version's training profile sample, or another
// window of traffic — with the engine's tests (Evidently's defaults unless a column says otherwise). Each comparison
// is stored as a report, so drift reads as a time series.

import type {
  DriftColumnOptions,
  DriftColumnResult,
  DriftReport,
  FeatureRecord,
  NewDriftRun,
  Prediction,
} from '@modelyard/client';
import {
  columnDrift,
  datasetDrift,
  DriftInputError,
  sampleFrame,
  type ColumnDriftResult,
  type ColumnSample,
  type TrainingProfile,
} from '@modelyard/engine';
import { badRequest, conflict, ModelyardError } from '../errors.js';
import type { Services } from '../services.js';
import type { EndpointRecord } from '../store/metadata-store.js';
import { newId } from '../store/ids.js';

/** At most this many requests of a window are read (newest traffic beyond it is left out and says so). */
export const MAX_WINDOW_REQUESTS = 1_000_000;
const DAY_MS = 86_400_000;
const PREDICTION = 'prediction';

export interface ResolvedDriftRun {
  from: string;
  to: string;
  reference: { kind: 'training' } | { kind: 'window'; from: string; to: string };
  columns: Record<string, DriftColumnOptions>;
  share: number;
}

function isoOrThrow(value: string, field: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw badRequest('invalid_window', `'${value}' is not a timestamp (${field}).`, { field });
  return new Date(time).toISOString();
}

/** Fills the defaults of an on-demand run and checks its window. */
export function resolveDriftRun(body: NewDriftRun, nowMs = Date.now()): ResolvedDriftRun {
  const to = body.to === undefined ? new Date(nowMs).toISOString() : isoOrThrow(body.to, 'to');
  const from =
    body.from === undefined ? new Date(Date.parse(to) - DAY_MS).toISOString() : isoOrThrow(body.from, 'from');
  if (from >= to) throw badRequest('invalid_window', `The window is empty: from ${from} is not before to ${to}.`);
  const reference = body.reference ?? { kind: 'training' };
  if (reference.kind === 'window') {
    const rFrom = isoOrThrow(reference.from, 'reference.from');
    const rTo = isoOrThrow(reference.to, 'reference.to');
    if (rFrom >= rTo) throw badRequest('invalid_window', 'The reference window is empty.');
    return {
      from,
      to,
      reference: { kind: 'window', from: rFrom, to: rTo },
      columns: body.columns ?? {},
      share: body.share ?? 0.5,
    };
  }
  return { from, to, reference: { kind: 'training' }, columns: body.columns ?? {}, share: body.share ?? 0.5 };
}

type Kind = 'number' | 'category';

/** Columns being gathered from logged requests: numbers as a growing array, categories as counts. */
class ColumnGatherer {
  readonly numbers = new Map<string, number[]>();
  readonly counts = new Map<string, Map<string, number>>();
  rows = 0;

  constructor(private readonly kinds: Map<string, Kind>) {
    for (const [name, kind] of kinds) {
      if (kind === 'number') this.numbers.set(name, []);
      else this.counts.set(name, new Map());
    }
  }

  add(record: Record<string, unknown>): void {
    this.rows++;
    for (const [name, kind] of this.kinds) {
      const value = record[name];
      if (kind === 'number') {
        this.numbers.get(name)!.push(typeof value === 'number' ? value : NaN);
      } else if (value !== null && value !== undefined && value !== '') {
        const counts = this.counts.get(name)!;
        const key = String(value);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  }

  sample(name: string): ColumnSample {
    const numbers = this.numbers.get(name);
    if (numbers !== undefined) return { kind: 'number', values: numbers };
    return { kind: 'category', counts: this.counts.get(name)! };
  }
}

/** The model's output as one value: the value, P(positive class) for two classes, else the label. */
function outputValue(p: Prediction, positive: string | undefined): number | string {
  if ('value' in p) return p.value;
  const classes = Object.keys(p.probabilities);
  if (classes.length === 2) return p.probabilities[positive ?? classes[1]!] ?? NaN;
  return p.label;
}

async function readWindow(
  services: Services,
  endpoint: EndpointRecord,
  window: { from: string; to: string },
  kinds: Map<string, Kind>,
  positive: string | undefined,
): Promise<ColumnGatherer> {
  const rows = await services.store.inferenceWindow(endpoint.id, { ...window, limit: MAX_WINDOW_REQUESTS });
  const gatherer = new ColumnGatherer(kinds);
  for (const row of rows) {
    const inputs = JSON.parse(row.inputs) as FeatureRecord[];
    const outputs = JSON.parse(row.outputs) as Prediction[];
    inputs.forEach((record, i) => {
      const output = outputs[i];
      gatherer.add({ ...record, [PREDICTION]: output === undefined ? null : outputValue(output, positive) });
    });
  }
  return gatherer;
}

/** An imported model's output kind, from the first answer logged in the window: a value or P(class) is a number. */
async function loggedOutputKind(
  services: Services,
  endpoint: EndpointRecord,
  window: { from: string; to: string },
): Promise<Kind | undefined> {
  const [first] = await services.store.inferenceWindow(endpoint.id, { ...window, limit: 1 });
  const output = first === undefined ? undefined : (JSON.parse(first.outputs) as Prediction[])[0];
  if (output === undefined) return undefined;
  return typeof outputValue(output, undefined) === 'number' ? 'number' : 'category';
}

function trainingReference(profile: TrainingProfile, kinds: Map<string, Kind>): ColumnGatherer {
  const names = [...kinds.keys()].filter((n) => profile.sample.columns[n] !== undefined);
  const frame = sampleFrame(profile, names);
  const gatherer = new ColumnGatherer(kinds);
  gatherer.rows = profile.sample.rows;
  for (const name of names) {
    const column = frame.column(name);
    if (column.kind === 'number') {
      if (kinds.get(name) === 'number') gatherer.numbers.set(name, Array.from(column.values));
      continue;
    }
    const counts = new Map<string, number>();
    for (const code of column.codes) {
      if (code >= 0) counts.set(column.dictionary[code]!, (counts.get(column.dictionary[code]!) ?? 0) + 1);
    }
    gatherer.counts.set(name, counts);
  }
  return gatherer;
}

function present(column: string, kind: Kind, r: ColumnDriftResult): DriftColumnResult {
  return { column, kind, ...r };
}

/** Computes, stores and returns a drift report of the endpoint's primary route. */
export async function runEndpointDrift(
  services: Services,
  endpoint: EndpointRecord,
  run: ResolvedDriftRun,
  trigger: 'manual' | 'schedule',
): Promise<DriftReport> {
  const { store, serving, profiles, models } = services;
  const state = await serving.runtime.state(endpoint);
  const primary = state.primary;
  if (primary === undefined) {
    throw new ModelyardError(503, 'model_unavailable', `Endpoint '${endpoint.name}' has no loadable model.`);
  }
  const version = await store.getModelVersion(primary.modelId, primary.version);
  const runRecord = version ? await store.getRun(version.runId) : undefined;
  const profile = runRecord ? await profiles.get(runRecord.id) : null;
  let positive: string | undefined;
  if (primary.model.kind === 'native' && runRecord?.artifactKey) {
    positive = (await models.load(runRecord.artifactKey)).classes?.[1];
  }
  const kinds = new Map<string, Kind>(primary.model.features.map((f) => [f.name, f.type]));
  const outputKind: Kind | undefined =
    profile?.prediction.type ??
    (primary.model.kind === 'native' ? 'number' : await loggedOutputKind(services, endpoint, run));
  if (outputKind !== undefined) kinds.set(PREDICTION, outputKind);
  if (run.reference.kind === 'training' && profile === null) {
    throw conflict(
      'no_training_profile',
      `${primary.ref} has no training profile (an imported model, or its training data is gone); compare with a ` +
        'window of traffic instead.',
    );
  }
  const current = await readWindow(services, endpoint, run, kinds, positive);
  const reference =
    run.reference.kind === 'training'
      ? trainingReference(profile!, kinds)
      : await readWindow(services, endpoint, run.reference, kinds, positive);
  const columns: DriftColumnResult[] = [];
  const skipped: { column: string; reason: string }[] = [];
  let prediction: DriftColumnResult | null = null;
  for (const [name, kind] of kinds) {
    try {
      const result = present(name, kind, columnDrift(reference.sample(name), current.sample(name), run.columns[name]));
      if (name === PREDICTION && !primary.model.features.some((f) => f.name === PREDICTION)) prediction = result;
      else columns.push(result);
    } catch (error) {
      if (!(error instanceof DriftInputError)) throw error;
      skipped.push({ column: name, reason: error.message });
    }
  }
  const dataset = datasetDrift(columns, run.share);
  const report: DriftReport = {
    id: newId('drift'),
    endpointId: endpoint.id,
    createdAt: new Date().toISOString(),
    trigger,
    window: { from: run.from, to: run.to },
    reference: run.reference,
    modelRef: `${primary.ref.slice(0, primary.ref.indexOf('@'))}@${primary.version}`,
    currentRows: current.rows,
    referenceRows: reference.rows,
    columns,
    prediction,
    skipped,
    driftedColumns: dataset.driftedColumns,
    testedColumns: dataset.columns,
    share: run.share,
    datasetDrift: dataset.drifted,
  };
  await store.saveDriftReport(report);
  return report;
}
