/**
 * The Liquid Logic sync inside the hub process (`npm start`): an outbox worker against
 * LIQUID_LOGIC_URL — or, in development with no URL, against a simulator started on a free port
 * whose webhook points back at this hub.
 */
import { HttpCaseRecordAdapter } from '../../adapters/liquid-logic/http-adapter';
import { startLiquidLogicSimulator, type LiquidLogicSimulator } from '../../adapters/liquid-logic/simulator';
import type { HubServices } from '../server/services';
import type { SyncConfig } from './outbox.config';
import { workerSettings } from './outbox.config';
import { OutboxWorker } from './worker';

/** Used only with the development simulator; production sets LIQUID_LOGIC_WEBHOOK_SECRET. */
export const DEV_WEBHOOK_SECRET = 'dev-only-liquid-logic-webhook-secret';

export interface HubSync {
  worker: OutboxWorker | null;
  simulator: LiquidLogicSimulator | null;
  stop(): Promise<void>;
}

/**
 * `stateFile`: where the development simulator keeps what it received, so a restarted hub on a
 * kept database finds the same person ids there (default: in memory, for a throwaway database).
 */
export async function startSimulatorIfNeeded(
  config: SyncConfig,
  production: boolean,
  stateFile?: string,
): Promise<{ url: string | undefined; simulator: LiquidLogicSimulator | null; webhookSecret: string | undefined }> {
  if (config.LIQUID_LOGIC_URL || production)
    return { url: config.LIQUID_LOGIC_URL, simulator: null, webhookSecret: config.LIQUID_LOGIC_WEBHOOK_SECRET };
  const simulator = await startLiquidLogicSimulator({ stateFile });
  return { url: simulator.url, simulator, webhookSecret: config.LIQUID_LOGIC_WEBHOOK_SECRET ?? DEV_WEBHOOK_SECRET };
}

export function startHubSync(
  services: HubServices,
  config: SyncConfig,
  url: string | undefined,
  simulator: LiquidLogicSimulator | null,
  hubUrl: string,
  webhookSecret: string | undefined,
): HubSync {
  if (simulator && webhookSecret)
    simulator.setWebhook({ url: `${hubUrl}/adapters/liquid-logic/webhook`, secret: webhookSecret });
  const worker =
    url && config.OUTBOX_WORKER
      ? new OutboxWorker({
          db: services.db,
          clock: services.clock,
          logger: services.logger,
          inbound: services.inbound,
          notifications: services.database,
          adapter: new HttpCaseRecordAdapter({
            baseUrl: url,
            timeoutMs: config.LIQUID_LOGIC_TIMEOUT_MS,
            apiKey: config.LIQUID_LOGIC_API_KEY,
          }),
          ...workerSettings(config),
        })
      : null;
  worker?.start();
  return {
    worker,
    simulator,
    async stop() {
      await worker?.stop();
      await simulator?.close();
    },
  };
}
