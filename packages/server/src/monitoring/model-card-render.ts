// A model card as Markdown or as a standalone HTML page. Every string that people or data supplied (names,
// descriptions, tags, written fields, params, feature names) is escaped: in HTML fully, in Markdown the characters
// that would start raw HTML or break a table, so the card is safe to render wherever it is pasted.

import type { ModelCard } from '@modelyard/client';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Markdown text with raw HTML neutralised (written fields keep their Markdown formatting). */
export function escapeMarkdown(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A table cell: escaped, pipes escaped, one line. */
const cell = (text: string): string => escapeMarkdown(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

const fmt = (x: number | string | boolean): string =>
  typeof x === 'number' && !Number.isInteger(x) ? x.toPrecision(6).replace(/\.?0+$/, '') : String(x);

interface Section {
  title: string;
  /** Paragraphs of text (Markdown allowed in written fields). */
  text?: string[];
  /** Key/value rows. */
  rows?: [string, string][];
  /** A table with a header. */
  table?: { head: string[]; body: string[][] };
  /** A list. */
  list?: string[];
}

const NOT_WRITTEN = 'Not written yet.';

/** The card as sections, in order, shared by both renderings; absent sources give no section. */
function sections(card: ModelCard): Section[] {
  const out: Section[] = [];
  const { model, version, edits, training, data } = card;
  const overview: [string, string][] = [
    ['Model', model.name],
    ['Version', String(version.version)],
    ['Source', version.source === 'onnx' ? 'imported ONNX file' : 'trained run'],
    ['Registered', `${version.createdAt} by ${version.createdBy}`],
  ];
  if (edits.owners?.length) overview.push(['Owners', edits.owners.join(', ')]);
  for (const [k, v] of Object.entries(version.tags)) overview.push([`Tag ${k}`, v]);
  out.push({
    title: 'Overview',
    rows: overview,
    text: [model.description, version.description].filter((t) => t.trim() !== ''),
  });
  out.push({ title: 'Intended use', text: [edits.intendedUse ?? NOT_WRITTEN] });
  out.push({ title: 'Limitations', text: [edits.limitations ?? NOT_WRITTEN] });
  if (edits.ethicalConsiderations) out.push({ title: 'Ethical considerations', text: [edits.ethicalConsiderations] });
  if (edits.caveats) out.push({ title: 'Caveats and recommendations', text: [edits.caveats] });
  if (training) {
    const rows: [string, string][] = [['Run', training.runId]];
    if (training.algorithm) rows.push(['Algorithm', training.algorithm]);
    if (training.task) rows.push(['Task', training.task]);
    if (training.target) rows.push(['Target', training.target]);
    if (training.finishedAt) rows.push(['Trained', training.finishedAt]);
    if (training.durationMs !== null) rows.push(['Training time', `${(training.durationMs / 1000).toFixed(1)} s`]);
    for (const [k, v] of Object.entries(training.params)) rows.push([`Param ${k}`, fmt(v)]);
    const env = training.environment;
    if (env) rows.push(['Environment', `Node ${env.node}, ${env.os} ${env.arch}, Modelyard ${env.modelyardVersion}`]);
    out.push({ title: 'Training', rows });
    const metrics = Object.entries(training.metrics);
    if (metrics.length > 0) {
      out.push({ title: 'Metrics', table: { head: ['metric', 'value'], body: metrics.map(([k, v]) => [k, fmt(v)]) } });
    }
  }
  if (data) {
    const rows: [string, string][] = [
      ['Dataset', data.dataset ?? data.datasetId],
      ['Version', data.version],
    ];
    if (data.rows !== null) rows.push(['Rows', String(data.rows)]);
    if (data.columns.length > 0) rows.push(['Columns', data.columns.map((c) => `${c.name} (${c.type})`).join(', ')]);
    for (const p of data.parents) rows.push(['Derived from', `${p.dataset ?? p.datasetId}@${p.version}`]);
    out.push({ title: 'Data', rows });
  }
  if (card.trainingProfile && card.trainingProfile.features.length > 0) {
    out.push({
      title: 'Training profile',
      table: { head: ['feature', 'in training'], body: card.trainingProfile.features.map((f) => [f.name, f.summary]) },
    });
  }
  if (card.slices.length > 0) {
    const names = [...new Set(card.slices.flatMap((s) => Object.keys(s.metrics)))];
    out.push({
      title: 'Slices',
      table: {
        head: ['slice', ...names],
        body: card.slices.map((s) => [s.name, ...names.map((n) => (n in s.metrics ? fmt(s.metrics[n]!) : ''))]),
      },
    });
  }
  if (card.explanation && card.explanation.features.length > 0) {
    out.push({
      title: 'Explanations',
      text: [`Global feature importance (${card.explanation.method}), most important first.`],
      table: {
        head: ['feature', 'importance'],
        body: card.explanation.features.slice(0, 20).map((f) => [f.name, fmt(f.importance)]),
      },
    });
  }
  if (edits.notes) out.push({ title: 'Notes', text: [edits.notes] });
  return out;
}

export function modelCardMarkdown(card: ModelCard): string {
  const lines = [`# Model card: ${escapeMarkdown(card.model.name)} version ${card.version.version}`, ''];
  for (const s of sections(card)) {
    lines.push(`## ${s.title}`, '');
    for (const t of s.text ?? []) lines.push(escapeMarkdown(t), '');
    if (s.rows?.length) {
      lines.push('| | |', '|---|---|', ...s.rows.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`), '');
    }
    if (s.table) {
      lines.push(
        `| ${s.table.head.map(cell).join(' | ')} |`,
        `|${s.table.head.map(() => '---').join('|')}|`,
        ...s.table.body.map((r) => `| ${r.map(cell).join(' | ')} |`),
        '',
      );
    }
    for (const item of s.list ?? []) lines.push(`- ${escapeMarkdown(item)}`);
  }
  lines.push(`_Generated ${card.generatedAt}; last edited ${card.edits.updatedAt ?? 'never'}._`, '');
  return lines.join('\n');
}

const STYLE =
  'body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}' +
  'table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #d0d7de;padding:.25rem .6rem;text-align:left}' +
  'th{background:#f6f8fa}p{white-space:pre-wrap}.meta{color:#57606a;font-size:13px}';

export function modelCardHtml(card: ModelCard): string {
  const title = `Model card: ${escapeHtml(card.model.name)} version ${card.version.version}`;
  const parts = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${title}</title><style>${STYLE}</style></head><body>`,
    `<h1>${title}</h1>`,
  ];
  for (const s of sections(card)) {
    parts.push(`<section><h2>${escapeHtml(s.title)}</h2>`);
    for (const t of s.text ?? []) parts.push(`<p>${escapeHtml(t)}</p>`);
    if (s.rows?.length) {
      parts.push(
        '<table>',
        ...s.rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`),
        '</table>',
      );
    }
    if (s.table) {
      parts.push(
        '<table><thead><tr>',
        ...s.table.head.map((h) => `<th>${escapeHtml(h)}</th>`),
        '</tr></thead><tbody>',
        ...s.table.body.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`),
        '</tbody></table>',
      );
    }
    if (s.list?.length) parts.push('<ul>', ...s.list.map((i) => `<li>${escapeHtml(i)}</li>`), '</ul>');
    parts.push('</section>');
  }
  parts.push(
    `<p class="meta">Generated ${escapeHtml(card.generatedAt)}; last edited ${escapeHtml(card.edits.updatedAt ?? 'never')}.</p>`,
    '</body></html>',
    '',
  );
  return parts.join('\n');
}
