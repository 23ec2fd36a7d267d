// A loopback proxy in front of the simulator that answers one endpoint (in.php or res.php) the way
// a broken server or network does, and passes the other through. Counts every request it sees.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pumpBody } from './pump-body.js';

export type Fault =
  /** Accepts the request and never answers. */
  | 'hang'
  /** Headers, then one byte a second, for ever. */
  | 'trickle'
  /** Headers, then a body without end. */
  | 'endless'
  /** A 200 answer of 50 MB. */
  | 'huge'
  /** A 200 HTML page (a proxy's error page). */
  | 'html'
  /** The connection dropped without an answer. */
  | 'reset'
  /** The simulator's answer cut in half. */
  | 'truncated'
  /** A 404 page (a wrong path on a gateway). */
  | 'not-found';

export interface FaultProxy {
  url: string;
  /** Requests seen, per endpoint. */
  readonly requests: { submit: number; poll: number };
  close(): Promise<void>;
}

const HTML = '<html><head><title>502</title></head><body>Bad gateway</body></html>';

export async function startFaultProxy(
  upstream: string,
  endpoint: 'in.php' | 'res.php',
  fault: Fault,
): Promise<FaultProxy> {
  const requests = { submit: 0, poll: 0 };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    if (path.endsWith('/in.php')) requests.submit++;
    else if (path.endsWith('/res.php')) requests.poll++;
    const body: Buffer[] = [];
    req.on('data', (chunk: Buffer) => body.push(chunk));
    req.on('end', () => {
      // threadsinfo and the other actions pass: the fault is on getting answers.
      const action = new URL(req.url ?? '/', 'http://proxy').searchParams.get('action');
      const faulted = path.endsWith(`/${endpoint}`) && (endpoint === 'in.php' || action === 'get');
      if (!faulted) return forward(upstream, req, Buffer.concat(body), res);
      switch (fault) {
        case 'hang':
          return;
        case 'trickle': {
          res.writeHead(200, { 'content-type': 'text/plain' });
          const timer = setInterval(() => res.write('O'), 1_000);
          timers.add(timer);
          res.on('close', () => clearInterval(timer));
          return;
        }
        case 'endless':
          res.writeHead(200, { 'content-type': 'text/plain' });
          return pumpBody(res, Buffer.alloc(64 * 1024, 'O'));
        case 'huge': {
          const size = 50 * 1024 * 1024;
          res.writeHead(200, { 'content-type': 'text/plain', 'content-length': size });
          return pumpBody(res, Buffer.alloc(64 * 1024, 'O'), size, true);
        }
        case 'html':
          res.writeHead(200, { 'content-type': 'text/html' });
          return res.end(HTML);
        case 'reset':
          return req.socket.destroy();
        case 'not-found':
          res.writeHead(404, { 'content-type': 'text/html' });
          return res.end('<html><body>404 Not Found</body></html>');
        case 'truncated':
          return forward(upstream, req, Buffer.concat(body), res, (answer) =>
            answer.subarray(0, Math.floor(answer.length / 2)),
          );
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function forward(
  upstream: string,
  req: http.IncomingMessage,
  body: Buffer,
  res: http.ServerResponse,
  alter: (answer: Buffer) => Buffer = (answer) => answer,
): void {
  const target = new URL(req.url ?? '/', upstream);
  const headers = { ...req.headers, host: target.host };
  delete headers['content-length'];
  const out = http.request(
    target,
    { method: req.method, headers: { ...headers, 'content-length': body.length } },
    (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const altered = alter(Buffer.concat(chunks));
        const {
          'content-length': _length,
          'transfer-encoding': _encoding,
          ...rest
        } = answer.headers;
        res.writeHead(answer.statusCode ?? 502, { ...rest, 'content-length': altered.length });
        res.end(altered);
      });
    },
  );
  out.on('error', () => res.destroy());
  out.end(body);
}
