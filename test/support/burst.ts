/**
 * Keep-alive load for shutdown tests: `connections` clients, each sending one request after
 * another on its own keep-alive socket, until the server stops answering. Each failure is
 * classified: a refused connection is a clean end (the listener is closed); a reset or a socket
 * hung up mid-request is a request the server dropped.
 */
import { Agent, request } from 'node:http';

export interface BurstResult {
  ok: number;
  refused: number;
  reset: number;
  other: string[];
  /** For each reset: when it happened, the error, and how long the client had been idle on that socket before sending (ms). */
  resets: string[];
}

export interface Burst {
  /** Responses received so far. */
  answered(): number;
  /** Resolves when every client has met a refused connection or an error. */
  readonly done: Promise<BurstResult>;
}

export function keepAliveBurst(
  base: string,
  connections: number,
  send: { path: string; method: string; headers: Record<string, string>; body?: string },
): Burst {
  const { hostname, port } = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const result: BurstResult = { ok: 0, refused: 0, reset: 0, other: [], resets: [] };
  const started = Date.now();
  const once = () =>
    new Promise<string>((resolve) => {
      const sentAt = Date.now();
      const req = request(
        { host: hostname, port: Number(port), agent, path: send.path, method: send.method, headers: send.headers },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode === 200 ? 'ok' : `status ${res.statusCode}`));
          res.on('error', (e: NodeJS.ErrnoException) => resolve(classify(e)));
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) => {
        const outcome = classify(e);
        if (outcome === 'reset')
          result.resets.push(
            `at +${sentAt - started} ms, ${e.code ?? e.message}, reused socket: ${req.reusedSocket}, waited ${Date.now() - sentAt} ms, connected after ${connectedAfter} ms`,
          );
        resolve(outcome);
      });
      let connectedAfter = -1;
      req.on('socket', (socket) => {
        if (socket.connecting)
          socket.once('connect', () => {
            connectedAfter = Date.now() - sentAt;
          });
      });
      req.end(send.body);
    });
  const client = async () => {
    for (;;) {
      const outcome = await once();
      if (outcome === 'ok') {
        result.ok++;
        continue;
      }
      if (outcome === 'refused') result.refused++;
      else if (outcome === 'reset') result.reset++;
      else result.other.push(outcome);
      return;
    }
  };
  const done = Promise.all(Array.from({ length: connections }, client)).then(() => {
    agent.destroy();
    return result;
  });
  return { answered: () => result.ok, done };
}

function classify(error: NodeJS.ErrnoException): string {
  if (error.code === 'ECONNREFUSED') return 'refused';
  if (error.code === 'ECONNRESET' || /socket hang up/.test(error.message)) return 'reset';
  return error.code ?? error.message;
}
