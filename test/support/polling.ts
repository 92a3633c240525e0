/**
 * The tests' one way to wait for what happens after an answer (a timer's escalation, an outbox
 * row, a schedule's run, visibility in Temporal): bounded polling, never a bare sleep.
 */

/** The probe's first answer that is neither undefined nor false; fails naming `what` after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Rejects when the promise has not settled in time, so a hanging request fails its test instead
 * of the run; `logs` (the service's, say) are printed to show where it hangs.
 */
export function within<T>(ms: number, what: string, promise: Promise<T>, logs: () => string[] = () => []): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      process.stdout.write(`${what}: no answer within ${ms / 1000} s; logs:\n${logs().slice(-60).join('\n')}\n`);
      reject(new Error(`${what}: no answer within ${ms / 1000} s`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
