/**
 * `npm run -s token -- --role <role> --org <orgId> [--sub <id>] [--client <id>] [--expires 8h]`
 * (or `--persona <subject>` for a demo persona): prints one development JWT on stdout and nothing
 * else, signed with the same key the hub trusts (DEV_KEYS_DIR). Mistakes go to stderr as one line
 * with exit code 2. Refused when NODE_ENV=production: production tokens come from real issuers.
 */
import 'reflect-metadata';
import { loadConfigOrExit } from '../config/config';
import { DEMO_PERSONAS } from '../dev/personas';
import { loadDevIssuer } from './dev-issuer';
import { parseTokenArgs, tokenHelp, UsageError } from './dev-token-args';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(tokenHelp(DEMO_PERSONAS));
    return 0;
  }
  const config = loadConfigOrExit();
  if (config.NODE_ENV === 'production') {
    console.error(
      'token: refused in production (NODE_ENV=production); tokens there come from the partnership identity provider',
    );
    return 1;
  }
  let request;
  try {
    request = parseTokenArgs(args, DEMO_PERSONAS);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`token: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const issuer = await loadDevIssuer(config.DEV_KEYS_DIR, config.DEV_ISSUER);
  const token = await issuer.sign({ ...request, audience: config.JWT_AUDIENCE });
  process.stdout.write(`${token}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`token: ${error.message}`);
    process.exitCode = 1;
  },
);
