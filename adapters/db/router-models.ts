import type { ClassifierModel } from "../../bot/understanding/classifier.ts";
import type { Database } from "./database.ts";

/** How many trained models are kept: the newest, and a few for a rolling update in which versions alternate. */
const KEPT = 3;

/** Trained router models by the key of what they were trained from. */
export interface RouterModels {
  get(key: string): Promise<ClassifierModel | undefined>;
  /** Stores a model (a model already stored under `key` stays) and forgets all but the newest few. */
  put(key: string, model: ClassifierModel): Promise<void>;
}

/** Float64Array from base64 (read so: a third less to carry than bytea's hex, and decoded natively). */
function float64s(base64: string): Float64Array {
  const bytes = Buffer.from(base64, "base64");
  // Copied into a buffer of its own: a pooled Buffer's offset need not be a multiple of 8.
  return new Float64Array(new Uint8Array(bytes).buffer);
}

const bytesOf = (values: Float64Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

/** The `router_models` table. */
export function createRouterModels(db: Database): RouterModels {
  return {
    async get(key) {
      const { rows } = await db.pool.query<{ labels: string[]; vocabulary: string[]; weights: string; bias: string }>(
        "SELECT labels, vocabulary, encode(weights, 'base64') AS weights, encode(bias, 'base64') AS bias FROM router_models WHERE key = $1",
        [key],
      );
      const row = rows[0];
      return row && { labels: row.labels, vocabulary: row.vocabulary, weights: float64s(row.weights), bias: float64s(row.bias) };
    },
    async put(key, model) {
      await db.pool.query(
        `INSERT INTO router_models (key, labels, vocabulary, weights, bias) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING`,
        [key, JSON.stringify(model.labels), JSON.stringify(model.vocabulary), bytesOf(model.weights), bytesOf(model.bias)],
      );
      await db.pool.query(
        `DELETE FROM router_models WHERE key NOT IN (SELECT key FROM router_models ORDER BY trained_at DESC, key LIMIT ${KEPT})`,
      );
    },
  };
}
