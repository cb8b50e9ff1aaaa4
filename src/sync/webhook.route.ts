/**
 * `POST /adapters/liquid-logic/webhook`: Liquid Logic's push of social care changes and person
 * merges. The raw body must carry a valid HMAC-SHA256 signature with the shared secret and a
 * timestamp inside the replay window (else 401); a message id already applied is acknowledged
 * without being applied again. Answers carry codes only.
 */
import express, { type Router } from 'express';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from '../../adapters/liquid-logic/webhook-signature';
import { BadUserInputError } from '../errors';
import type { Clock } from '../shared/clock';
import { safeErrorFields, type Logger } from '../shared/logger';
import type { InboundService } from './inbound.service';

export interface WebhookRouteOptions {
  inbound: InboundService;
  clock: Clock;
  logger: Logger;
  /** Shared secret; when unset the endpoint answers 503 (not configured). */
  secret: string | undefined;
  /** Accepted clock skew / replay window in seconds (default 300). */
  replayWindowSeconds?: number;
}

export function liquidLogicWebhookRouter(options: WebhookRouteOptions): Router {
  const router = express.Router();
  router.post('/webhook', express.raw({ type: () => true, limit: '256kb' }), async (req, res) => {
    if (!options.secret) return void res.status(503).json({ code: 'webhook_not_configured' });
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = verifyWebhook(
      options.secret,
      raw,
      req.header(SIGNATURE_HEADER),
      req.header(TIMESTAMP_HEADER),
      options.clock.now().getTime(),
      options.replayWindowSeconds ?? 300,
    );
    if (check !== 'ok') {
      options.logger.warn({ check, requestId: res.locals.requestId }, 'Liquid Logic webhook refused');
      return void res.status(401).json({ code: check });
    }
    try {
      const change = options.inbound.parse(JSON.parse(raw.toString('utf8')));
      const outcome = await options.inbound.apply(change, 'webhook');
      res.status(200).json({ outcome });
    } catch (error) {
      if (error instanceof SyntaxError) return void res.status(400).json({ code: 'invalid_json' });
      if (error instanceof BadUserInputError)
        return void res.status(400).json({ code: 'bad_message', field: error.field });
      options.logger.error(
        { err: safeErrorFields(error), requestId: res.locals.requestId },
        'Liquid Logic webhook failed',
      );
      res.status(500).json({ code: 'internal_error' });
    }
  });
  return router;
}
