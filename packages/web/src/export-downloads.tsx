// Download buttons for a model version's exports (JavaScript, Java, SQL for DuckDB or PostgreSQL, ONNX, edge bundle).
import { useState } from 'react';
import type { ExportFormat, Model } from '@modelyard/client';
import { errorMessage } from './error-message';
import { useSession } from './session-context';

const CHOICES: { label: string; format: ExportFormat; dialect?: 'duckdb' | 'postgres'; file: string }[] = [
  { label: 'JS', format: 'js', file: 'mjs' },
  { label: 'Java', format: 'java', file: 'java' },
  { label: 'SQL·DuckDB', format: 'sql', dialect: 'duckdb', file: 'duckdb.sql' },
  { label: 'SQL·PG', format: 'sql', dialect: 'postgres', file: 'postgres.sql' },
  { label: 'ONNX', format: 'onnx', file: 'onnx' },
  { label: 'Edge', format: 'edge', file: 'edge.mjs' },
];

export function ExportDownloads({ model, version }: { model: Model; version: number }) {
  const { client } = useSession();
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function download(choice: (typeof CHOICES)[number]) {
    setBusy(choice.label);
    setProblem(null);
    try {
      const bytes = await client.exportModel(model.id, version, {
        format: choice.format,
        ...(choice.dialect && { dialect: choice.dialect }),
      });
      const url = URL.createObjectURL(new Blob([bytes as BlobPart]));
      const link = document.createElement('a');
      link.href = url;
      link.download = `${model.name}-v${version}.${choice.file}`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(null);
    }
  }

  return (
    <span className="chips" data-testid={`exports-${version}`}>
      {CHOICES.map((choice) => (
        <button
          key={choice.label}
          type="button"
          className="button button-secondary button-small"
          disabled={busy !== null}
          title={`Download version ${version} as ${choice.label}`}
          onClick={() => void download(choice)}
        >
          {busy === choice.label ? '…' : choice.label}
        </button>
      ))}
      {problem && <span className="form-error">{problem}</span>}
    </span>
  );
}
