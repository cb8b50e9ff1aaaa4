/**
 * The DPO audit page at `/dpo`: one HTML file, one same-origin script and one stylesheet, read
 * once at start-up. No data is rendered on the server: the page calls `/graphql` (accessLog,
 * overridesAwaitingReview, reviewOverride, verifyAuditChain) and `/dpo/subject-access/:childId`
 * with the DPO's token, so every read is authorised and audited exactly as for any client.
 */
import { readFileSync } from 'node:fs';
import { Router } from 'express';

const asset = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');

/** Mount at `/dpo`. Only these three paths: `/dpo/subject-access/…` stays with its own route. */
export function dpoPageRouter(): Router {
  const files = { html: asset('index.html'), js: asset('dpo.js'), css: asset('dpo.css') };
  const router = Router({ strict: false });
  router.get('/', (_req, res) => {
    res.type('html').send(files.html);
  });
  router.get('/dpo.js', (_req, res) => {
    res.type('text/javascript').send(files.js);
  });
  router.get('/dpo.css', (_req, res) => {
    res.type('text/css').send(files.css);
  });
  return router;
}
