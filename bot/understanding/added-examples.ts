/**
 * Sentences operators filed under an intent from the flag inbox. They route at once, before the next
 * start retrains the router with them: a message as alike to one of them as a curated answer's
 * question must be (the same numbers, the calibrated similarity) is read as that intent.
 */
import { LocalHashEmbeddings } from "../../knowledge/embeddings.ts";
import { CURATED_THRESHOLD, numbersNamed } from "../curated.ts";

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

const embedder = new LocalHashEmbeddings();

/** The intent of the added example a message is most like, if any is alike enough. */
export function addedExampleMatcher(store: AddedExampleStore, threshold = CURATED_THRESHOLD) {
  const vectors = new Map<number, number[]>();
  return {
    async match(text: string): Promise<{ intent: string; score: number } | undefined> {
      const examples = await store.all();
      if (examples.length === 0) return undefined;
      const message = embedder.embed(text);
      const numbers = numbersNamed(text);
      let best: { intent: string; score: number } | undefined;
      for (const example of examples) {
        if (numbersNamed(example.text) !== numbers) continue;
        let vector = vectors.get(example.id);
        if (!vector) vectors.set(example.id, (vector = embedder.embed(example.text)));
        const score = vector.reduce((sum, value, i) => sum + value * message[i]!, 0);
        if (score >= threshold && (!best || score > best.score)) best = { intent: example.intent, score };
      }
      return best;
    },
  };
}
