import * as http from 'node:http';
import * as net from 'node:net';

/** Prometheus' text format, as prom-client and the Temporal SDK's exporter serve it. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** A free TCP port on loopback, e.g. for the Temporal SDK's own exporter behind /metrics. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `GET /metrics` on `port`: the texts of all `sources` in one scrape (the service's registry and
 * the SDK runtime's exporter). A source that fails is left out of that scrape, said in a comment.
 */
export async function serveMetrics(port: number, sources: (() => Promise<string>)[], host = '127.0.0.1'): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    void Promise.all(sources.map((source) => source().catch((err: unknown) => `# a metrics source failed: ${err instanceof Error ? err.message : String(err)}\n`))).then((texts) => {
      res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE });
      res.end(texts.map((t) => (t.endsWith('\n') ? t : `${t}\n`)).join(''));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/** The text of a Prometheus endpoint (the SDK runtime's, on loopback). */
export async function scrape(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return res.text();
}
