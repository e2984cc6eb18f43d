import { createConnection, createServer, type Server, type Socket } from "node:net";

/** A TCP proxy that can be taken down and brought back. */
export interface TcpProxy {
  readonly port: number;
  /** Starts accepting connections again. */
  up(): Promise<void>;
  /** Drops every open connection and refuses new ones, as a restarting server does. */
  down(): Promise<void>;
}

/** A TCP proxy on 127.0.0.1 to `target` (PostgreSQL, for outages): listening once this resolves. */
export async function startTcpProxy(target: { host: string; port: number }, port: number): Promise<TcpProxy> {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  const up = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = createConnection(target);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => {});
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, "127.0.0.1", () => resolve());
    });
  const down = async () => {
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
    server = undefined;
  };
  await up();
  return { port, up, down };
}
