// Sends one HTTP request to the API and turns every failure into an ApiError; the client's only use of fetch.

import { ApiError } from './api-error.js';
import { queryString, type QueryValue } from './url-path.js';

export interface TransportOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:7420`; `/api/v1` is appended. */
  baseUrl: string;
  /** A personal access token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** A fetch implementation; the global one by default. */
  fetch?: typeof fetch;
}

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** A JSON body. */
  json?: unknown;
  /** A multipart body; the runtime sets its Content-Type with the boundary. */
  form?: FormData;
  /** A raw body, sent as application/octet-stream. */
  bytes?: Uint8Array;
}

export class Transport {
  readonly baseUrl: string;
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(opts: TransportOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.#token = opts.token;
    // Looked up per call and never called unbound: browsers reject `fetch` called with another `this`.
    this.#fetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** The absolute URL of an API path (one under `/api/v1` unless it starts with `/healthz` or `/readyz`). */
  url(apiPath: string, query?: Record<string, QueryValue>): string {
    const root = /^\/(healthz|readyz)\b/.test(apiPath) ? '' : '/api/v1';
    return `${this.baseUrl}${root}${apiPath}${queryString(query)}`;
  }

  /** Sends a request and parses the JSON answer; 204 answers `undefined`. */
  async json<T>(method: string, apiPath: string, opts: RequestOptions = {}): Promise<T> {
    const { response, url } = await this.send(method, apiPath, opts);
    if (response.status === 204) return undefined as T;
    const text = await this.#readText(response, method, url);
    try {
      return JSON.parse(text) as T;
    } catch {
      const snippet = text.trim().slice(0, 120);
      throw new ApiError(
        response.status,
        'invalid_response',
        `Expected JSON from ${method} ${url}, got: ${snippet || '(empty body)'}`,
      );
    }
  }

  /** Sends a request and returns the answer's raw bytes (snapshots, artifacts). */
  async bytes(method: string, apiPath: string, opts: RequestOptions = {}): Promise<Uint8Array> {
    const { response, url } = await this.send(method, apiPath, opts);
    try {
      return new Uint8Array(await response.arrayBuffer());
    } catch (err) {
      throw networkError(method, url, err);
    }
  }

  /** Sends a request; resolves only for 2xx answers. */
  async send(method: string, apiPath: string, opts: RequestOptions = {}): Promise<{ response: Response; url: string }> {
    const url = this.url(apiPath, opts.query);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    let body: BodyInit | undefined;
    if (opts.form) {
      body = opts.form;
    } else if (opts.bytes) {
      headers['content-type'] = 'application/octet-stream';
      body = opts.bytes as BodyInit;
    } else if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    let response: Response;
    try {
      response = await this.#fetch(url, { method, headers, body });
    } catch (err) {
      throw networkError(method, url, err);
    }
    if (!response.ok) {
      const text = await this.#readText(response, method, url);
      throw ApiError.fromResponse(response.status, response.statusText, text, `${method} ${url}`);
    }
    return { response, url };
  }

  async #readText(response: Response, method: string, url: string): Promise<string> {
    try {
      return await response.text();
    } catch (err) {
      throw networkError(method, url, err);
    }
  }
}

function networkError(method: string, url: string, err: unknown): ApiError {
  return new ApiError(0, 'network_error', `Cannot reach the Modelyard server (${method} ${url}): ${describe(err)}`);
}

/** Node's fetch says only "fetch failed"; the useful part (ECONNREFUSED …) sits in `cause`. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause: unknown = err.cause;
  if (cause instanceof Error && cause.message) return cause.message;
  return err.message;
}
