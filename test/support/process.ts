/**
 * Runs the hub's real entry points (`npm start`'s command, `tsx src/auth/token.cli.ts`, the
 * production build's `node dist/src/main.js`) as child processes, for what only a process can
 * show: start-up config errors, printed tokens, SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

/**
 * An npm script's command as argv, run without npm in between (so a signal reaches it directly):
 * `node` is this Node. Only plain `node …` scripts: the long-running processes are started that
 * way, one process each, so SIGTERM reaches the hub itself and not a wrapper that relays it.
 */
export function npmScript(name: string): string[] {
  const { scripts } = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { scripts: Record<string, string> };
  const [command, ...args] = scripts[name]!.split(' ');
  if (command !== 'node') throw new Error(`npm run ${name} is not a plain node command: ${scripts[name]}`);
  return [process.execPath, ...args];
}

/** Environment for a child process: no inherited hub settings, so the test says what it means. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn' };
  return { ...env, ...extra };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runTsx(
  script: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<RunResult> {
  return runCommand([TSX, script, ...args], env, timeoutMs);
}

function collect(child: ChildProcess) {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    closed: Promise.all([once(child.stdout!, 'close'), once(child.stderr!, 'close')]),
  };
}

/** A port nobody is listening on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface HubProcess {
  readonly child: ChildProcess;
  readonly base: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code and signal once the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
}

/** The production build's entry, as a container runs it: node itself, nothing in between. */
export const PROD_ENTRY = [process.execPath, 'dist/src/main.js'] as const;

/** `npm run build` (tsc into dist/); about 20–40 s. */
export async function buildProduction(): Promise<void> {
  const child = spawn(process.execPath, ['scripts/build.mjs'], {
    cwd: ROOT,
    env: cleanEnv({}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = collect(child);
  const [code] = (await once(child, 'exit')) as [number | null];
  await out.closed;
  if (code !== 0) throw new Error(`npm run build failed (${code}):\n${out.stdout()}${out.stderr()}`);
}

/** Runs a command (default: the production entry) to its end. */
export async function runCommand(
  command: readonly string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<RunResult> {
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = collect(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  await out.closed;
  return { code, signal, stdout: out.stdout(), stderr: out.stderr() };
}

/**
 * Starts the hub on a free port (`npm start`'s command, or `command` such as PROD_ENTRY) and waits
 * until /readyz answers 200.
 */
export async function startHubProcess(
  env: Record<string, string>,
  readyTimeoutMs = 90_000,
  command: readonly string[] = npmScript('start'),
): Promise<HubProcess> {
  const port = await freePort();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env: cleanEnv({ HOST: '127.0.0.1', PORT: String(port), ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = collect(child);
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const base = `http://127.0.0.1:${port}`;
  const hub: HubProcess = {
    child,
    base,
    stdout: out.stdout,
    stderr: out.stderr,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  const deadline = Date.now() + readyTimeoutMs;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (Date.now() < deadline && !gone) {
    const res = await fetch(`${base}/readyz`).catch(() => null);
    if (res?.status === 200) return hub;
    await new Promise((r) => setTimeout(r, 200));
  }
  hub.kill();
  throw new Error(`hub process did not become ready:\n${out.stderr().slice(-2000)}`);
}
