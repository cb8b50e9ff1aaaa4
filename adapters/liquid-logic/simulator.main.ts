/**
 * `npm run ll-sim`: the Liquid Logic simulator as its own process. LL_SIM_PORT (default 4100) for
 * the API, LL_SIM_ADMIN_PORT (default 4101) for admin commands; LL_SIM_WEBHOOK_URL and
 * LL_SIM_WEBHOOK_SECRET make it push social care changes to the hub; LL_SIM_STATE_FILE keeps what it
 * received on disk across restarts.
 */
import { startLiquidLogicSimulator } from './simulator';

const env = process.env;
const sim = await startLiquidLogicSimulator({
  port: Number(env.LL_SIM_PORT ?? 4100),
  adminPort: Number(env.LL_SIM_ADMIN_PORT ?? 4101),
  host: env.LL_SIM_HOST ?? '127.0.0.1',
  stateFile: env.LL_SIM_STATE_FILE || undefined,
  webhook:
    env.LL_SIM_WEBHOOK_URL && env.LL_SIM_WEBHOOK_SECRET
      ? { url: env.LL_SIM_WEBHOOK_URL, secret: env.LL_SIM_WEBHOOK_SECRET }
      : null,
});
console.log(`Liquid Logic simulator: API ${sim.url}, admin ${sim.adminUrl}`);
const stop = () => void sim.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
