/**
 * `npm run pds-sim`: the PDS simulator as its own process, holding the synthetic `DEMO_PATIENTS`.
 * PDS_SIM_PORT (default 4200) for the FHIR API, PDS_SIM_ADMIN_PORT (default 4201) for admin
 * commands, PDS_SIM_LATENCY_MS (default 150) as a remote system's delay. Point the hub at it with
 * PDS_URL=http://127.0.0.1:4200.
 */
import { startPdsSimulator } from './simulator';

const env = process.env;
const sim = await startPdsSimulator({
  port: Number(env.PDS_SIM_PORT ?? 4200),
  adminPort: Number(env.PDS_SIM_ADMIN_PORT ?? 4201),
  host: env.PDS_SIM_HOST ?? '127.0.0.1',
  latencyMs: Number(env.PDS_SIM_LATENCY_MS ?? 150),
});
console.log(`PDS simulator: FHIR API ${sim.url}, admin ${sim.adminUrl}`);
const stop = () => void sim.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
