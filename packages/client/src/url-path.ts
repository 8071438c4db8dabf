// A template tag that URL-encodes every interpolated path segment: path`/runs/${id}` cannot be steered by an id.

export function path(strings: TemplateStringsArray, ...segments: (string | number)[]): string {
  let out = strings[0] ?? '';
  segments.forEach((segment, i) => {
    out += encodeURIComponent(String(segment)) + (strings[i + 1] ?? '');
  });
  return out;
}

export type QueryValue = string | number | boolean | null | undefined;

/** `?a=1&b=x` from the defined entries, or '' when there are none. */
export function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
