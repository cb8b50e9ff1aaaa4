/**
 * A GraphQL IDE for development (Ruru, Grafast's GraphiQL, served from its npm package: no CDN):
 * `/graphiql` lists the demo personas, `/graphiql/<subject>` opens the IDE with that persona's
 * development token and purpose of use already in the request headers. Mounted only when the
 * development issuer is on (never with NODE_ENV=production); `ruru` is a development dependency,
 * loaded here on first use, so a production install does not need it.
 */
import { Router, type Response } from 'express';
import type { RuruClientConfig } from 'ruru/server';

/**
 * The IDE hands out every persona's token to whoever loads it, so it is served only on a loopback
 * address: a development hub bound to a network interface (HOST=0.0.0.0) does not offer it.
 */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export interface DevPersonaToken {
  subject: string;
  label: string;
  role: string;
  token: string;
}

/** Ruru's page runs inline bootstrap scripts and styles and a blob: worker; only this route allows them. */
const IDE_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline' blob:; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; " +
  "connect-src 'self' ws: wss:; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function personaList(personas: readonly DevPersonaToken[]): string {
  const items = personas
    .map(
      (p) =>
        `<li><a href="/graphiql/${encodeURIComponent(p.subject)}">${escapeHtml(p.label)}</a> <code>${escapeHtml(p.role)}</code></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Early Help Hub: GraphQL IDE (development)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/landing.css"></head>
<body><h1>GraphQL IDE (development)</h1>
<p>Open the IDE as a demo persona: its development token and <code>x-purpose-of-use: direct_support</code> are
already in the request headers. Synthetic data only; this page does not exist in production.</p>
<ul>
${items}
</ul>
<p><a href="/">Back</a></p>
</body></html>`;
}

export function devIdeRouter(personas: readonly DevPersonaToken[]): Router {
  const router = Router({ strict: false });
  const modules = Promise.all([import('ruru/server'), import('ruru/static')]).then(([server, files]) => ({
    ruruHTML: server.ruruHTML,
    serveStatic: files.serveStatic('/graphiql/static/'),
  }));
  modules.catch(() => {
    /* reported per request below */
  });
  const unavailable = (res: Response) =>
    res.status(501).type('text').send('The GraphQL IDE needs the development dependencies (npm install).');

  router.get('/', (_req, res) => {
    res.type('html').send(personaList(personas));
  });
  router.use('/static/', async (req, res, next) => {
    const loaded = await modules.catch(() => null);
    if (!loaded) return void unavailable(res);
    // Ruru matches the full URL path against its static path; express strips the mount point.
    req.url = req.originalUrl;
    loaded.serveStatic(req, res, next);
  });
  router.get('/:subject', async (req, res) => {
    const persona = personas.find((p) => p.subject === req.params.subject);
    if (!persona) return void res.status(404).type('text').send('No such demo persona.');
    const loaded = await modules.catch(() => null);
    if (!loaded) return void unavailable(res);
    const headers = JSON.stringify(
      { authorization: `Bearer ${persona.token}`, 'x-purpose-of-use': 'direct_support' },
      null,
      2,
    );
    res.setHeader('Content-Security-Policy', IDE_CSP);
    res.type('html').send(
      loaded.ruruHTML({
        endpoint: '/graphql',
        subscriptionEndpoint: '/graphql',
        staticPath: '/graphiql/static/',
        // ruru 2's type lists every client option as required; each is optional at run time.
        clientConfig: {
          initialHeaders: headers,
          defaultQuery: '{ me { subject role organisationId } }',
        } as Partial<RuruClientConfig> as RuruClientConfig,
      }),
    );
  });
  return router;
}
