/**
 * The witness over HTTP: POST /add-checkpoint (C2SP tlog-witness), GET /checkpoint (the last
 * accepted note), GET /readyz. Requests are handled one at a time, so two submissions never both
 * extend the same checkpoint.
 */
import { createServer, type Server } from 'node:http';
import type { Witness } from './witness';

const MAX_BODY = 64 * 1024;

export function witnessServer(witness: Witness): Server {
  return createServer((req, res) => {
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/readyz') return send(200, 'ok\n');
    if (req.method === 'GET' && path === '/checkpoint') {
      const note = witness.latest();
      return note ? send(200, note) : send(404, 'no checkpoint witnessed yet\n');
    }
    if (req.method !== 'POST' || path !== '/add-checkpoint') return send(404, 'not found\n');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        send(413, 'request too large\n');
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      const answer = witness.addCheckpoint(Buffer.concat(chunks).toString('utf8'));
      send(answer.status, answer.body, answer.status === 409 ? 'text/x.tlog.size' : 'text/plain; charset=utf-8');
    });
  });
}
