// The committed scikit-learn ONNX fixtures (packages/server/src/serving/__fixtures__), and a dataset to explain them on.

import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ModelyardClient, Prediction } from '@modelyard/client';

export const ONNX_FIXTURES = resolve(import.meta.dirname, '../../packages/server/src/serving/__fixtures__');

export interface CreditForestReference {
  records: Record<string, number>[];
  /** scikit-learn's predict / predict_proba for each record. */
  expected: Prediction[];
}

export async function creditForestReference(): Promise<CreditForestReference> {
  return JSON.parse(await readFile(join(ONNX_FIXTURES, 'credit-forest.json'), 'utf8')) as CreditForestReference;
}

/**
 * Uploads the fixture's records with scikit-learn's labels as the target `card` (the name the file's metadata gives
 * it) as a dataset of the project: evaluation data for the imported forest, which has no training data here.
 */
export async function uploadCreditCards(client: ModelyardClient, project: string, name: string): Promise<void> {
  const { records, expected } = await creditForestReference();
  const inputs = Object.keys(records[0]!);
  const label = (p: Prediction | undefined): string => (p !== undefined && 'label' in p ? p.label : '');
  const csv = [
    [...inputs, 'card'].join(','),
    ...records.map((r, i) => [...inputs.map((input) => r[input]), label(expected[i])].join(',')),
  ].join('\n');
  await client.createDatasetFromFile(project, { name, data: new Blob([csv]), filename: `${name}.csv` });
}
