import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiEndpoint } from '../errors/api-error.js';
import type { ApiResponse } from '../transport/types.js';
import { BodyTooLargeError, decodeRequest, readBody } from './decode-request.js';
import { httpDate } from './reply.js';
import type { Simulator } from './simulator.js';
import { statsToJson } from './stats.js';

export interface SimulatorServerOptions {
  /** @default '127.0.0.1' (loopback only) */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** Larger bodies get 413. @default 4 MiB (a 1 MB image, base64-encoded, fits) */
  maxBodyBytes?: number;
}

export interface SimulatorServer {
  /** e.g. `http://127.0.0.1:PORT`, to use as a client's base URL. */
  url: string;
  port: number;
  /** Stops listening and drops open (keep-alive) connections. */
  close(): Promise<void>;
}

const ROUTES: Record<string, ApiEndpoint> = {
  '/in.php': 'in.php',
  '/res.php': 'res.php',
  '/solve.php': 'solve.php',
};

function send(res: ServerResponse, response: ApiResponse): void {
  res.writeHead(response.status, {
    ...response.headers,
    'content-length': Buffer.byteLength(response.body),
  });
  res.end(response.body);
}

function plain(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
): void {
  send(res, { status, headers: { 'content-type': type }, body });
}

/** `::ffff:127.0.0.1` → `127.0.0.1`, so one client has one IP whatever the socket family. */
function clientIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}

function statsBody(sim: Simulator, url: URL): string {
  const key = url.searchParams.get('key');
  if (key) return JSON.stringify(statsToJson(sim.stats(key)));
  const all = Object.fromEntries(
    Object.entries(sim.allStats()).map(([k, v]) => [k, statsToJson(v)]),
  );
  return JSON.stringify({ liveTasks: sim.liveTasks, accounts: all, platform: sim.platformStats() });
}

async function serve(
  sim: Simulator,
  req: IncomingMessage,
  res: ServerResponse,
  maxBodyBytes: number,
): Promise<void> {
  // Node would date every answer by the wall clock; the simulator's clock may be scaled.
  res.setHeader('date', httpDate(sim.clock.now()));
  const url = new URL(req.url ?? '/', 'http://simulator.local');
  if (url.pathname === '/__sim/stats') {
    try {
      return plain(res, 200, statsBody(sim, url), 'application/json');
    } catch (e) {
      return plain(res, 404, JSON.stringify({ error: (e as Error).message }), 'application/json');
    }
  }
  const endpoint = ROUTES[url.pathname];
  if (!endpoint) return plain(res, 404, 'Not Found');
  let body: Buffer;
  try {
    body = await readBody(req, maxBodyBytes);
  } catch (e) {
    if (e instanceof BodyTooLargeError) return plain(res, 413, 'Payload Too Large');
    throw e;
  }
  const decoded = await decodeRequest(
    endpoint,
    url,
    req.method ?? 'GET',
    req.headers['content-type'] ?? '',
    body,
  );
  // The client hanging up cancels a slow-answer fault's wait; the service's work stands.
  const hangUp = new AbortController();
  res.on('close', () => hangUp.abort());
  const served = await sim.serve(
    decoded.request,
    { ip: clientIp(req), malformedBody: decoded.malformedBody },
    hangUp.signal,
  );
  if ('reset' in served) {
    req.socket.destroy();
    return;
  }
  send(res, served.response);
}

/**
 * Serves the simulator over HTTP: /in.php, /res.php, /solve.php (GET or POST; query,
 * urlencoded or multipart), and GET /__sim/stats[?key=] (JSON counters, `byType` per CAPTCHA
 * type; without a key every account, keys masked, and the platform's workers per type).
 * Anything else is 404. Faults from `options.faults` apply per request.
 */
export async function startSimulatorServer(
  sim: Simulator,
  options: SimulatorServerOptions = {},
): Promise<SimulatorServer> {
  const maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const server = createServer((req, res) => {
    serve(sim, req, res, maxBodyBytes).catch(() => {
      if (!res.headersSent && !res.destroyed) plain(res, 500, 'Internal Server Error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address, family } = server.address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
