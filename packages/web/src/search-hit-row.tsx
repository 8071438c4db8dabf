// One search result as a table row: kind, name (the matched text marked), project, and why it matched.
import type { ReactNode } from 'react';
import type { SearchHit, SearchKind } from '@modelyard/client';
import { routeHref } from './use-hash-route';

export const KIND_LABELS: Record<SearchKind, string> = {
  dataset: 'Dataset',
  column: 'Column',
  run: 'Run',
  model: 'Model',
  endpoint: 'Endpoint',
};

/** Where a hit lives in the UI; a column opens its dataset, an endpoint its project's endpoint list. */
export function hitHref(hit: SearchHit): string {
  const project = hit.projectName;
  switch (hit.kind) {
    case 'dataset':
    case 'column':
      return routeHref({ project, tab: 'datasets', item: hit.id });
    case 'run':
      return routeHref({ project, tab: 'runs', item: hit.id });
    case 'model':
      return routeHref({ project, tab: 'models', item: hit.id });
    case 'endpoint':
      return routeHref({ project, tab: 'endpoints' });
  }
}

/** The text with each case-insensitive occurrence of `q` marked. */
function marked(text: string, q: string): ReactNode {
  if (q === '') return text;
  const lower = text.toLowerCase();
  const needle = q.toLowerCase();
  const out: ReactNode[] = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, from)) {
    if (at > from) out.push(text.slice(from, at));
    out.push(<mark key={at}>{text.slice(at, at + needle.length)}</mark>);
    from = at + needle.length;
  }
  if (from < text.length) out.push(text.slice(from));
  return out;
}

function reason(hit: SearchHit, q: string): ReactNode {
  switch (hit.match) {
    case 'name':
      return 'Exact name';
    case 'prefix':
      return 'Name starts with the text';
    case 'contains':
      return 'Name contains the text';
    case 'description':
      return hit.snippet === undefined ? (
        'Description mentions the text'
      ) : (
        <>
          Description: <q className="search-snippet">{marked(hit.snippet, q)}</q>
        </>
      );
    case 'column':
      return hit.datasetName === undefined ? (
        'Column name'
      ) : (
        <>
          Column of <strong>{hit.datasetName}</strong>
        </>
      );
    case 'tag':
      return hit.snippet === undefined ? (
        'Tag mentions the text'
      ) : (
        <>
          Tag: <q className="search-snippet">{marked(hit.snippet, q)}</q>
        </>
      );
  }
}

export function SearchHitRow({ hit, q }: { hit: SearchHit; q: string }) {
  const href = hitHref(hit);
  return (
    <tr
      onClick={(event) => {
        // The name is a real link (middle-click, copy); the rest of the row follows it too.
        if (event.target instanceof Element && event.target.closest('a') !== null) return;
        window.location.hash = href;
      }}
      data-testid={`search-hit-${hit.kind}-${hit.name}`}
      data-kind={hit.kind}
    >
      <td className="search-kind-cell">
        <span className={`pill pill-kind pill-kind-${hit.kind}`}>{KIND_LABELS[hit.kind]}</span>
      </td>
      <td>
        <a className="cell-title search-hit-name" href={href} data-testid="search-hit-link">
          {marked(hit.name, q)}
        </a>
        {hit.kind === 'column' && hit.datasetName !== undefined ? (
          <span className="cell-sub">in {hit.datasetName}</span>
        ) : null}
      </td>
      <td>
        <a className="search-hit-project" href={routeHref({ project: hit.projectName, tab: 'datasets' })}>
          {hit.projectName}
        </a>
      </td>
      <td className="search-reason" data-testid="search-hit-reason">
        {reason(hit, q)}
      </td>
    </tr>
  );
}
