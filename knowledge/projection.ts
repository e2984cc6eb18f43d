/**
 * The learnt part of the offline embedder: a linear map from the 512 hashed features of a text onto the
 * principal directions of the corpus's own chunks (latent semantic analysis), fitted by `npm run fit-embedder`
 * (projection-fit.ts) and shipped in knowledge/data/embedding-projection.json.
 *
 * Why: hashed features spread every text over all 512 dimensions, so a question's nearest chunks are only
 * slightly nearer than the rest and an HNSW graph must be walked wide to find them (docs/retrieval.md).
 * Projected onto the directions along which the corpus's chunks actually vary, words that occur together
 * pull together and the noise of hash collisions is left out; neighbourhoods get contrast and the walk stays
 * short. The map is fixed: a vector still depends on its text alone, whatever else is in the index.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";

/** Where the shipped projection lives. */
export const PROJECTION_FILE = new URL("./data/embedding-projection.json", import.meta.url);

/** A fitted projection: `components[i]` is the i-th direction, `features` numbers long. */
export interface Projection {
  /** Short digest of the components: vectors made with different projections are not comparable. */
  readonly version: string;
  readonly features: number;
  readonly components: readonly Float32Array[];
  /** What it was fitted on, for the record. */
  readonly fittedOn: { readonly documents: number; readonly chunks: number; readonly varianceKept: number };
}

const ProjectionFile = z.object({
  version: z.string().min(1),
  features: z.number().int().positive(),
  dimensions: z.number().int().positive(),
  fittedOn: z.object({ documents: z.number().int(), chunks: z.number().int(), varianceKept: z.number() }),
  /** The components, row after row, as little-endian 32-bit floats in base64. */
  components: z.string(),
});

/** Reads a projection file (the shipped one by default). */
export function loadProjection(file: URL | string = PROJECTION_FILE): Projection {
  const parsed = ProjectionFile.parse(JSON.parse(readFileSync(file, "utf8")));
  const bytes = Buffer.from(parsed.components, "base64");
  if (bytes.length !== parsed.dimensions * parsed.features * 4) throw new Error(`${String(file)}: components do not match ${parsed.dimensions} × ${parsed.features}`);
  const components = Array.from({ length: parsed.dimensions }, (_, row) => {
    const component = new Float32Array(parsed.features);
    for (let j = 0; j < parsed.features; j++) component[j] = bytes.readFloatLE((row * parsed.features + j) * 4);
    return component;
  });
  return { version: parsed.version, features: parsed.features, components, fittedOn: parsed.fittedOn };
}

/** The file's JSON text for a projection (components rounded to 32-bit floats, as loaded). */
export function serializeProjection(projection: Omit<Projection, "version">): string {
  const bytes = Buffer.alloc(projection.components.length * projection.features * 4);
  projection.components.forEach((component, row) => component.forEach((value, j) => bytes.writeFloatLE(value, (row * projection.features + j) * 4)));
  const file: z.infer<typeof ProjectionFile> = {
    // A short digest of the components, as the corpus's documents are hashed.
    version: createHash("sha256").update(bytes).digest("hex").slice(0, 8),
    features: projection.features,
    dimensions: projection.components.length,
    fittedOn: projection.fittedOn,
    components: bytes.toString("base64"),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}
