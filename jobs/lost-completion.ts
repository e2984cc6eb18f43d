/**
 * pg-boss 10 completes or fails a finished job without waiting for the result (its manager's onFetch), so
 * a database connection lost at that moment surfaces as an unhandled rejection. Nothing is lost: the job
 * stays active, and the chat worker's heartbeat hands it back. The entry point tells these apart from real faults.
 */
export function isLostJobCompletion(reason: unknown): boolean {
  const stack = (reason as Error | undefined)?.stack ?? "";
  return /Manager\.(complete|fail) \(.*pg-boss/.test(stack);
}
