import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpDrain } from './http-drain';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.closeAllConnections();
});

async function serve(handler: Parameters<typeof createServer>[1], idleGraceMs: number) {
  const server = createServer(handler);
  servers.push(server);
  const drain = httpDrain(server, { idleGraceMs });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, drain, port: (server.address() as AddressInfo).port };
}

/** Draining begins in earnest (the listener closes) once the connections already queued are taken. */
async function listenerClosed(server: Server): Promise<void> {
  while (server.listening) await new Promise((r) => setImmediate(r));
}

/** A raw keep-alive client: what it received, and whether the server ended or reset the socket. */
async function client(port: number) {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  let ending: 'open' | 'end' | 'reset' = 'open';
  socket.setEncoding('utf8').on('data', (d: string) => {
    received += d;
  });
  socket.on('end', () => {
    if (ending === 'open') ending = 'end';
  });
  socket.on('error', () => {
    ending = 'reset';
  });
  const get = () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  const responses = () => received.split('HTTP/1.1 ').slice(1);
  const waitFor = async (n: number) => {
    while (responses().length < n) {
      if (ending !== 'open')
        throw new Error(`the server closed the socket (${ending}) after ${responses().length} responses`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  // The server's side closing (what `drain` waits for) comes before this side hears of it.
  const settled = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const ended = async () => {
    await settled;
    return ending;
  };
  return { socket: socket as Socket, get, responses, waitFor, ended };
}

describe('httpDrain', () => {
  it('lets a keep-alive socket idle at drain carry one more request, answered with Connection: close', async () => {
    const { drain, port } = await serve((_req, res) => res.end('ok'), 2_000);
    const c = await client(port);
    c.get();
    await c.waitFor(1);
    expect(c.responses()[0]).toMatch(/connection: keep-alive/i);
    const drained = drain.drain();
    await new Promise((r) => setTimeout(r, 100));
    c.get();
    await c.waitFor(2);
    expect(c.responses()[1]).toMatch(/^200 [\s\S]*connection: close/i);
    await drained;
    expect(await c.ended()).toBe('end');
  });

  it('ends a socket that brings nothing within the grace, and refuses new connections meanwhile', async () => {
    const { drain, port } = await serve((_req, res) => res.end('ok'), 150);
    const c = await client(port);
    const started = Date.now();
    const drained = drain.drain();
    await new Promise((r) => setTimeout(r, 50));
    await expect(client(port)).rejects.toThrow(/ECONNREFUSED/);
    await drained;
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(await c.ended()).toBe('end');
  });

  it('a response still being prepared when draining begins says Connection: close', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const { server, drain, port } = await serve(async (_req, res) => {
      await held;
      res.end('late');
    }, 2_000);
    const c = await client(port);
    c.get();
    await new Promise((r) => setTimeout(r, 50));
    const drained = drain.drain();
    await listenerClosed(server);
    release();
    await c.waitFor(1);
    expect(c.responses()[0]).toMatch(/^200 [\s\S]*connection: close[\s\S]*late$/i);
    await drained;
    expect(await c.ended()).toBe('end');
  });

  it('keeps a socket whose next request arrived while the process was too busy to read it', async () => {
    const { server, drain, port } = await serve((_req, res) => res.end('ok'), 50);
    const c = await client(port);
    c.get();
    await c.waitFor(1);
    const drained = drain.drain();
    await listenerClosed(server);
    // In the check phase, so the loop's next step is the timers, before it reads the socket again:
    // the request is in the kernel's buffer when the grace runs out, as under a CPU-starved shutdown.
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        c.get();
        const until = Date.now() + 200;
        while (Date.now() < until) {
          /* busy past the grace */
        }
        resolve();
      }),
    );
    await c.waitFor(2);
    expect(c.responses()[1]).toMatch(/^200 [\s\S]*connection: close/i);
    await drained;
    expect(await c.ended()).toBe('end');
  });

  it('answers the connections still queued in the kernel when draining began, resetting none', async () => {
    // The clients run in another process, so they connect while this one is busy: their
    // connections wait in the accept queue, from which Node takes one per turn of the loop.
    let first = true;
    let drained: Promise<void> | undefined;
    const { drain, port } = await serve((_req, res) => {
      if (first) {
        first = false;
        const until = Date.now() + 400;
        while (Date.now() < until) {
          /* busy while the other clients connect and send */
        }
        drained = drain.drain();
      }
      res.end('ok');
    }, 100);
    const clients = spawn(
      process.execPath,
      [
        '-e',
        `
      const { connect } = require('node:net');
      const outcomes = [];
      const open = (i) => new Promise((resolve) => {
        const s = connect(${port}, '127.0.0.1');
        let got = '';
        s.setEncoding('utf8').on('data', (d) => { got += d; });
        s.on('error', (e) => { outcomes[i] = e.code; resolve(); });
        s.on('close', () => { outcomes[i] ??= got.startsWith('HTTP/1.1 200') ? 'answered' : 'closed unanswered'; resolve(); });
        s.write('GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n');
      });
      const all = [open(0)];
      setTimeout(() => { for (let i = 1; i <= 12; i++) all.push(open(i)); Promise.all(all).then(() => console.log(JSON.stringify(outcomes))); }, 100);
    `,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    clients.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    await once(clients, 'exit');
    await drained;
    expect(JSON.parse(out)).toEqual(Array(13).fill('answered'));
  });
});
