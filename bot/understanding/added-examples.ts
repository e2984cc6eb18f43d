/**
 * Sentences operators filed under an intent from the flag inbox. They route at once, before the next
 * start retrains the router with them: a message as alike to one of them as a curated answer's
 * question must be (the same numbers, the calibrated similarity) is read as that intent.
 */
import { CURATED_THRESHOLD, nearestSentence } from "../curated.ts";

/** One added example. */
export interface AddedExample {
  readonly id: number;
  readonly intent: string;
  readonly text: string;
}

/** Where added examples are kept; read at every routed message, so an addition applies at once on every instance. */
export interface AddedExampleStore {
  all(): Promise<readonly AddedExample[]>;
}

/** The intent of the added example a message is most like, if any is alike enough. */
export function addedExampleMatcher(store: AddedExampleStore, threshold = CURATED_THRESHOLD) {
  const nearest = nearestSentence<string>(threshold);
  return {
    async match(text: string): Promise<{ intent: string; score: number } | undefined> {
      const found = nearest(text, (await store.all()).map((example) => ({ key: String(example.id), text: example.text, value: example.intent })));
      return found && { intent: found.value, score: found.score };
    },
  };
}
