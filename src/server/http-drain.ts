/**
 * Draining an HTTP/1.1 server without resetting a keep-alive connection. Closing an idle
 * keep-alive socket at once (what `server.close()` does since Node 19, and Apollo's drain plugin
 * after each response) races a client already sending its next request on it: the request meets a
 * reset. Here, once draining, every response says `Connection: close`, so a client retires the
 * socket after it; a socket idle when draining begins is left open for `idleGraceMs` to carry one
 * last request (answered the same way) and is then ended. Upgraded (WebSocket) sockets belong to
 * their own server and are not tracked.
 *
 * Closing the listener resets every connection still in the kernel's accept queue, each with its
 * request already sent; and Node accepts one queued connection per turn of the event loop, so a
 * busy process can hold dozens there for a second. Draining therefore first keeps listening until
 * a turn accepts nothing (bounded by ACCEPT_QUEUE_MAX_MS), then closes the listener.
 */
import type { Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

export interface HttpDrainOptions {
  /** How long a socket idle at the start of draining may still bring one request (ms). */
  idleGraceMs: number;
}

/** The longest draining keeps listening to take the connections queued before it began. */
export const ACCEPT_QUEUE_MAX_MS = 2_000;

export interface HttpDrain {
  /**
   * Stops accepting connections and resolves once every tracked socket has closed. It waits for
   * slow requests without limit: the caller's shutdown grace (SHUTDOWN_GRACE_MS) bounds it.
   */
  drain(): Promise<void>;
}

export function httpDrain(server: Server, options: HttpDrainOptions): HttpDrain {
  const inFlight = new Map<Socket, number>();
  const responses = new Set<ServerResponse>();
  let draining = false;
  let accepted = 0;
  const closing = (res: ServerResponse) => String(res.getHeader('connection') ?? '').toLowerCase() === 'close';

  server.on('connection', (socket: Socket) => {
    accepted++;
    inFlight.set(socket, 0);
    socket.once('close', () => {
      inFlight.delete(socket);
      settle();
    });
    // A connection accepted just before the listener closed gets the same grace as an idle one.
    if (draining) endWhenIdle(socket);
  });
  server.on('upgrade', (req) => {
    inFlight.delete(req.socket);
    settle();
  });
  // Before the application's own listener, so the header is set before anything is written.
  server.prependListener('request', (req, res) => {
    const socket = req.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    if (draining) res.setHeader('connection', 'close');
    responses.add(res);
    res.once('close', () => {
      responses.delete(res);
      const left = (inFlight.get(socket) ?? 1) - 1;
      if (inFlight.has(socket)) inFlight.set(socket, left);
      // A response whose headers went out before draining began promised keep-alive: the socket is idle now.
      if (draining && left === 0 && !closing(res)) endWhenIdle(socket);
    });
  });

  const idleTimers = new Set<NodeJS.Timeout>();
  function endWhenIdle(socket: Socket) {
    const bytesSeen = socket.bytesRead;
    const timer = setTimeout(() => {
      idleTimers.delete(timer);
      // A process busy past the grace runs its due timers before it reads the sockets again, so a
      // request may be waiting unread: look again once the loop has polled (setImmediate runs after).
      setImmediate(() => {
        if (socket.destroyed || (inFlight.get(socket) ?? 0) > 0) return;
        // Part of a request came in (its headers are not complete yet): wait for it in turn.
        if (socket.bytesRead !== bytesSeen) endWhenIdle(socket);
        else socket.end();
      });
    }, options.idleGraceMs);
    idleTimers.add(timer);
  }

  /**
   * Resolves after a whole turn of the event loop (its poll phase included) accepted no connection:
   * the accept queue was empty then. Responses meanwhile still keep their connection alive, so
   * clients do not open new ones while the queue empties.
   */
  function acceptQueued(): Promise<void> {
    if (!server.listening) return Promise.resolve();
    const until = Date.now() + ACCEPT_QUEUE_MAX_MS;
    return new Promise((resolve) => {
      let seen = -1;
      const check = () => {
        if (accepted === seen || Date.now() >= until) resolve();
        else {
          seen = accepted;
          setImmediate(check);
        }
      };
      setImmediate(check);
    });
  }

  let resolveDrained: (() => void) | undefined;
  let drained: Promise<void> | undefined;
  function settle() {
    if (draining && inFlight.size === 0 && resolveDrained) {
      for (const timer of idleTimers) clearTimeout(timer);
      resolveDrained();
    }
  }

  return {
    drain() {
      if (drained) return drained;
      drained = new Promise<void>((resolve) => {
        resolveDrained = resolve;
      });
      void acceptQueued().then(() => {
        draining = true;
        // net.Server's close: stop listening without http.Server's closeIdleConnections().
        if (server.listening) NetServer.prototype.close.call(server);
        for (const res of responses) if (!res.headersSent) res.setHeader('connection', 'close');
        for (const [socket, requests] of inFlight) if (requests === 0) endWhenIdle(socket);
        settle();
      });
      return drained;
    },
  };
}
