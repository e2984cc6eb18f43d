import type { Engine } from "./engine.ts";
import type { TurnLog } from "./ports.ts";

/**
 * The engine with every answered turn written to `log`, wherever the message came from (web, channels,
 * the command line). Writing the log must never cost the user the answer: a failed write is reported to
 * `onError` and the answer goes out.
 */
export function loggingTurns(engine: Engine, log: TurnLog, onError: (error: unknown) => void): Engine {
  return {
    async respond(event) {
      const started = performance.now();
      const response = await engine.respond(event);
      await log.record({ event, response, latencyMs: Math.round(performance.now() - started) }).catch(onError);
      return response;
    },
  };
}
