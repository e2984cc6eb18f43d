/**
 * An evenly paced load for the webhook benchmark. autocannon's fixed rate sends each connection's
 * share of a second back to back at the start of that second, so "200 a second" over 4 connections
 * is 4 streams at full speed for part of each second. Telegram instead delivers updates as they
 * come, over up to 40 connections at once by default.
 */
import { Agent, request } from "node:http";

/** What to send, how often and for how long. */
export interface PacedLoadOptions {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: () => string;
  readonly perSecond: number;
  readonly seconds: number;
  /** Connections open at most; a request finding them all busy waits for one. */
  readonly maxConnections: number;
}

/**
 * Sends each request at its scheduled time, whatever the earlier ones are doing, and times it from
 * that scheduled time: a stalled generator or server then shows in the latencies instead of quietly
 * thinning the load.
 */
export async function pacedLoad(options: PacedLoadOptions): Promise<{ ackP50Ms: number; ackP99Ms: number; non2xx: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxConnections });
  const { hostname, port, pathname } = new URL(options.url);
  const latencies: number[] = [];
  let non2xx = 0;
  const send = (scheduled: number) =>
    new Promise<void>((resolve) => {
      const body = options.body();
      const headers = { ...options.headers, "content-length": String(Buffer.byteLength(body)) };
      const req = request({ agent, hostname, port, path: pathname, method: "POST", headers }, (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode! >= 300) non2xx++;
          latencies.push(performance.now() - scheduled);
          resolve();
        });
      });
      req.on("error", () => (non2xx++, resolve()));
      req.end(body);
    });

  const sent: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < options.perSecond * options.seconds; i++) {
    const scheduled = start + (i * 1000) / options.perSecond;
    const wait = scheduled - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sent.push(send(scheduled));
  }
  await Promise.all(sent);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN);
  return { ackP50Ms: at(0.5), ackP99Ms: at(0.99), non2xx };
}
