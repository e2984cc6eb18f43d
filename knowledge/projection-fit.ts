/**
 * Fits the offline embedder's projection (projection.ts): the top principal directions of the chunks'
 * hashed feature vectors, by a singular value decomposition (uncentred, as latent semantic analysis does:
 * a chunk's vector is then its mix of the corpus's recurring themes). Used by `npm run fit-embedder`.
 */
import { Matrix, SVD } from "ml-matrix";
import type { Projection } from "./projection.ts";

/** The `dimensions` strongest directions of `vectors` (each `features` long), with the share of variance they keep. */
export function fitProjection(vectors: readonly (readonly number[])[], dimensions: number, documents: number): Omit<Projection, "version"> {
  const features = vectors[0]?.length ?? 0;
  if (vectors.length < dimensions) throw new Error(`${vectors.length} vectors cannot give ${dimensions} directions`);
  const svd = new SVD(new Matrix(vectors.map((vector) => [...vector])), { autoTranspose: true });
  const energy = svd.diagonal.map((value) => value * value);
  const order = energy.map((_, i) => i).sort((a, b) => energy[b]! - energy[a]!);
  const right = svd.rightSingularVectors;
  const components = order.slice(0, dimensions).map((column) => {
    const component = Float32Array.from({ length: features }, (_, j) => right.get(j, column));
    // A singular vector's sign is arbitrary; fix it so that refitting the same corpus gives the same file.
    const largest = component.reduce((best, value) => (Math.abs(value) > Math.abs(best) ? value : best), 0);
    return largest < 0 ? component.map((value) => -value) : component;
  });
  const total = energy.reduce((sum, value) => sum + value, 0);
  const kept = order.slice(0, dimensions).reduce((sum, i) => sum + energy[i]!, 0);
  return { features, components, fittedOn: { documents, chunks: vectors.length, varianceKept: Math.round((kept / total) * 1000) / 1000 } };
}
