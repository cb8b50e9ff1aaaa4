/**
 * The small HTTP plumbing the remote-system simulators share: each is a plain node:http server
 * (a separate process in the demo and the fault tests), so it can be killed and restarted like the
 * system it stands in for.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on `port` (0: any free one) and answers the port it got. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Writes a JSON answer, unless the connection is already gone (a simulated drop). */
export function json(res: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': contentType });
  res.end(JSON.stringify(body));
}
