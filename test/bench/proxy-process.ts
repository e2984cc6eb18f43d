/**
 * The cluster benchmark's TCP proxy to PostgreSQL, in a child process of its own so that the instances'
 * database traffic does not pass through the load generator's event loop. Env: TARGET_HOST, TARGET_PORT,
 * PORT. Over IPC it sends `{ ready: true }` once listening; asked `{ id, down: true }` or `{ id, up: true }`
 * it drops every connection and refuses new ones, or accepts again, and answers `{ id }`.
 */
import { startTcpProxy } from "../support/tcp-proxy.ts";

const proxy = await startTcpProxy({ host: process.env.TARGET_HOST!, port: Number(process.env.TARGET_PORT) }, Number(process.env.PORT));
process.on("message", async (message: { id: number; down?: boolean; up?: boolean }) => {
  if (message.down) await proxy.down();
  if (message.up) await proxy.up();
  process.send!({ id: message.id });
});
process.send!({ ready: true });
process.on("disconnect", () => process.exit(0));
