// A closed-loop HTTP/1.1 load generator on raw sockets, for servers autocannon cannot measure: it writes its next
// request as soon as an answer ends, so against a server that answers `Connection: close` (Werkzeug's dev server, on
// every request) the request goes to a closing socket and later answers are matched to it; and its `reconnectRate`
// drops the answer it reconnects after from the counts. Here each connection sends one request at a time, reads the
// answer (Content-Length bodies only), and opens a new socket when the server closes or asks to; a request's
// latency runs from the moment it is ready to go, so a new connection's handshake is part of it.

import { connect, type Socket } from 'node:net';

export interface RawLoadOptions {
  url: string;
  headers: Record<string, string>;
  bodies: string[];
  connections: number;
  /** Seconds. */
  duration: number;
  /** Seconds per request. */
  timeout: number;
}

export interface RawLoadResult {
  /** Answers completed within the duration. */
  total: number;
  /** Latencies in ms of those answers. */
  latencies: number[];
  non2xx: number;
  errors: number;
  timeouts: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

export async function rawLoad(opts: RawLoadOptions): Promise<RawLoadResult> {
  const url = new URL(opts.url);
  const port = Number(url.port || 80);
  const extra = Object.entries({ 'content-type': 'application/json', ...opts.headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const requests = opts.bodies.map((body) =>
    Buffer.from(
      `POST ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\n${extra}` +
        `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    ),
  );
  const result: RawLoadResult = { total: 0, latencies: [], non2xx: 0, errors: 0, timeouts: 0 };
  const endAt = performance.now() + opts.duration * 1000;

  const loop = (first: number) =>
    new Promise<void>((done) => {
      let socket: Socket | null = null;
      let next = first;
      let sentAt = 0;
      let buffer: Buffer = Buffer.alloc(0);
      let timer: NodeJS.Timeout | undefined;

      const open = (): Socket => {
        const s = connect(port, url.hostname);
        s.setNoDelay(true);
        s.on('data', (chunk: Buffer) => onData(s, chunk));
        s.on('error', () => {
          if (s !== socket) return;
          result.errors++;
          retry();
        });
        s.on('close', () => {
          // Closed by the server between answers, or mid-answer (then counted as an error).
          if (s !== socket) return;
          if (buffer.length > 0) result.errors++;
          retry();
        });
        return s;
      };

      const retry = () => {
        socket?.destroy();
        socket = null;
        buffer = Buffer.alloc(0);
        clearTimeout(timer);
        send(false);
      };

      const send = (fresh: boolean) => {
        if (performance.now() >= endAt) {
          socket?.destroy();
          socket = null;
          clearTimeout(timer);
          done();
          return;
        }
        if (!fresh || socket === null) socket = open();
        sentAt = performance.now();
        const request = requests[next++ % requests.length]!;
        socket.write(request);
        clearTimeout(timer);
        timer = setTimeout(() => {
          result.timeouts++;
          retry();
        }, opts.timeout * 1000);
      };

      const onData = (s: Socket, chunk: Buffer) => {
        if (s !== socket) return;
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
        const headEnd = buffer.indexOf(HEADER_END);
        if (headEnd < 0) return;
        const head = buffer.subarray(0, headEnd).toString('latin1');
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        if (!length) {
          // Chunked or unframed answers are outside this client.
          result.errors++;
          retry();
          return;
        }
        const end = headEnd + 4 + Number(length[1]);
        if (buffer.length < end) return;
        const now = performance.now();
        clearTimeout(timer);
        if (now <= endAt) {
          result.total++;
          result.latencies.push(now - sentAt);
          const status = Number(head.slice(9, 12));
          if (status < 200 || status >= 300) result.non2xx++;
        }
        const closes = /\r\nconnection:\s*close/i.test(head);
        buffer = buffer.subarray(end);
        if (closes) {
          socket = null;
          s.destroy();
          buffer = Buffer.alloc(0);
        }
        send(!closes);
      };

      send(false);
    });

  // Connections start at different rows, as they would drift apart anyway.
  await Promise.all(Array.from({ length: opts.connections }, (_, c) => loop(c * 7)));
  return result;
}

/** The p-th percentile (0–100) of latencies, nearest rank. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
