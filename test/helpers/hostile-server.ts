// Loopback servers that misbehave on purpose, at the socket level, for tests of what the client
// does when a server never answers, answers one byte at a time, or sends a body without end.
import net from 'node:net';
import { pumpBody } from './pump-body.js';

export type HostileMode =
  /** Accepts the connection and never answers. */
  | 'hang'
  /** Sends the headers, then one byte every `intervalMs`, for ever. */
  | 'trickle'
  /** Sends the headers, then a body without end, as fast as the client reads. */
  | 'endless'
  /** Sends a 200 answer with a body of `bytes` bytes. */
  | 'huge';

export interface HostileOptions {
  intervalMs?: number;
  bytes?: number;
}

export interface HostileServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  host: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Connections still open. */
  readonly open: number;
  close(): Promise<void>;
}

const HEADERS = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: keep-alive\r\n';

export async function startHostileServer(
  mode: HostileMode,
  options: HostileOptions = {},
): Promise<HostileServer> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', () => answer(socket, mode, options));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    get open() {
      return sockets.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function answer(socket: net.Socket, mode: HostileMode, options: HostileOptions): void {
  switch (mode) {
    case 'hang':
      return;
    case 'trickle': {
      socket.write(`${HEADERS}Transfer-Encoding: chunked\r\n\r\n`);
      const timer = setInterval(() => socket.write('1\r\nx\r\n'), options.intervalMs ?? 100);
      socket.on('close', () => clearInterval(timer));
      return;
    }
    case 'endless': {
      socket.write(`${HEADERS}Transfer-Encoding: chunked\r\n\r\n`);
      const chunk = Buffer.concat([
        Buffer.from('10000\r\n'),
        Buffer.alloc(0x10000, 'a'),
        Buffer.from('\r\n'),
      ]);
      return pumpBody(socket, chunk);
    }
    case 'huge': {
      const bytes = options.bytes ?? 8 << 20;
      socket.write(`${HEADERS}Content-Length: ${bytes}\r\n\r\n`);
      return pumpBody(socket, Buffer.alloc(0x10000, 'a'), bytes);
    }
  }
}
