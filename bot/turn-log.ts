import type { Engine } from "./engine.ts";
import type { TurnLog } from "./ports.ts";

/**
 * The answering pipeline every message goes through, wherever it came from (web, channels, the command
 * line): the engine, then each observer told of the turn — the turn log the console reads, the metrics.
 * Observing must never cost the user the answer: a failed observer is reported to `onError` and the
 * answer goes out.
 */
export function observedEngine(engine: Engine, observers: readonly TurnLog[], onError: (error: unknown) => void): Engine {
  return {
    async respond(event) {
      const started = performance.now();
      const response = await engine.respond(event);
      const turn = { event, response, latencyMs: Math.round(performance.now() - started) };
      await Promise.all(observers.map((observer) => observer.record(turn).catch(onError)));
      return response;
    },
  };
}
