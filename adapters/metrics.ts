import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { TurnLog } from "../bot/ports.ts";

/** The Prometheus metrics the service exposes at /metrics. */
export interface Metrics {
  readonly registry: Registry;
  readonly inboundEvents: Counter<"channel">;
  readonly duplicateEvents: Counter<"channel">;
  readonly responses: Counter<"channel" | "intent">;
  readonly responseSeconds: Histogram<"channel">;
  readonly httpRequestSeconds: Histogram<"method" | "route" | "status">;
  readonly repliesSent: Counter<"channel">;
  readonly sendFailures: Counter<"channel">;
  /** Makes `ocop_chats_waiting` read its value from `count` at each scrape. */
  countChatsWaitingWith(count: () => Promise<number>): void;
}

/** Creates a fresh registry with process metrics and the service's own. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let countChatsWaiting: (() => Promise<number>) | undefined;
  new Gauge({
    name: "ocop_chats_waiting",
    help: "Chats whose messages or replies wait for the chat worker (a backlog grows when sends are held to the channel's rate)",
    registers,
    async collect() {
      if (countChatsWaiting) this.set(await countChatsWaiting());
    },
  });
  return {
    registry,
    inboundEvents: new Counter({ name: "ocop_inbound_events_total", help: "Inbound events accepted", labelNames: ["channel"], registers }),
    duplicateEvents: new Counter({
      name: "ocop_duplicate_events_total",
      help: "Inbound events recognised as duplicates and not processed again",
      labelNames: ["channel"],
      registers,
    }),
    responses: new Counter({ name: "ocop_responses_total", help: "Responses by intent", labelNames: ["channel", "intent"], registers }),
    responseSeconds: new Histogram({
      name: "ocop_response_seconds",
      help: "Time to compute a response",
      labelNames: ["channel"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    httpRequestSeconds: new Histogram({
      name: "ocop_http_request_seconds",
      help: "HTTP request duration",
      labelNames: ["method", "route", "status"],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
    repliesSent: new Counter({ name: "ocop_replies_sent_total", help: "Replies the channel accepted", labelNames: ["channel"], registers }),
    sendFailures: new Counter({
      name: "ocop_send_failures_total",
      help: "Sends the channel refused or that failed; each is retried",
      labelNames: ["channel"],
      registers,
    }),
    countChatsWaitingWith(count) {
      countChatsWaiting = count;
    },
  };
}

/** Counts each answered turn, by channel and intent, and its time: an observer of the answering pipeline. */
export function metricsObserver(metrics: Metrics): TurnLog {
  return {
    async record({ event, response, latencyMs }) {
      metrics.responses.inc({ channel: event.channel, intent: response.intent });
      metrics.responseSeconds.observe({ channel: event.channel }, latencyMs / 1000);
    },
  };
}
