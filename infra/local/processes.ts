import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import * as net from 'node:net';

/** A free TCP port on loopback (for throwaway servers in tests). */
export { freeLoopbackPort as freePort } from '@buf/telemetry/metrics-server';

export async function isPortOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${what}: the process exited with code ${child.exitCode}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: not ready after ${Math.round(timeoutMs / 1000)} s`);
}

/** Sends a signal and waits for the process to exit; SIGKILL after `graceMs`. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** A free TCP port on loopback below `limit` (Temporal keeps membership ports in a signed 16-bit column). */
export async function freePortBelow(limit: number, from = 20_000): Promise<number> {
  for (let tries = 0; tries < 200; tries += 1) {
    const port = from + Math.floor(Math.random() * (limit - from));
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port between ${from} and ${limit}`);
}

/**
 * Spawns a process whose output lines are prefixed with its name; `format` may shorten a line
 * (or drop it, returning undefined).
 */
export function spawnLabelled(label: string, command: string, args: string[], options: SpawnOptions & { format?: (line: string) => string | undefined } = {}): ChildProcess {
  const { format = (line: string) => line, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
  const forward = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      const shown = line.trim() ? format(line) : undefined;
      if (shown) stream.write(`[${label}] ${shown}\n`);
    }
  };
  child.stdout?.on('data', forward(process.stdout));
  child.stderr?.on('data', forward(process.stderr));
  return child;
}

/** Waits for a foreground child (Jest, schemathesis) to exit, passing Ctrl-C and SIGTERM on to it; its exit code. */
export function exitCodeOf(child: ChildProcess): Promise<number> {
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

/**
 * A launcher's stops, registered in the order things started and run in reverse on Ctrl-C,
 * SIGTERM or `shutdown(code)`, after which the process exits with that code.
 */
export function stopsInReverseOnExit(say: (line: string) => void): { stops: (() => Promise<void>)[]; shutdown(code: number): Promise<void>; shuttingDown(): boolean } {
  const stops: (() => Promise<void>)[] = [];
  let shuttingDown = false;
  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    say('stopping');
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => say(`stop failed: ${String(err)}`));
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  return { stops, shutdown, shuttingDown: () => shuttingDown };
}
