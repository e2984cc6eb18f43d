/**
 * The offline embedder's learnt projection: the shipped file loads as orthonormal directions, fitting is
 * reproducible through `npm run fit-embedder`, and projected vectors keep a document's chunks together.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chunkDocument } from "../knowledge/chunker.ts";
import { CORPUS_DIR, loadCorpus } from "../knowledge/corpus.ts";
import { EMBEDDING_DIMENSIONS, HASHED_FEATURES, LocalProjectedEmbeddings } from "../knowledge/embeddings.ts";
import { chunkContext } from "../knowledge/ingest.ts";
import { loadProjection, type Projection } from "../knowledge/projection.ts";
import { collect, exited, runScript } from "./support/processes.ts";

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((sum, value, i) => sum + value * b[i]!, 0);

function expectOrthonormal(projection: Projection) {
  const { components } = projection;
  for (let i = 0; i < components.length; i++) {
    for (let j = i; j < components.length; j++) expect(Math.abs(dot(components[i]!, components[j]!) - (i === j ? 1 : 0))).toBeLessThan(1e-4);
  }
}

describe("the embedding projection", () => {
  const scratch = mkdtempSync(join(tmpdir(), "ocop-projection-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("ships as the stored vectors' number of orthonormal directions over the hashed features", () => {
    const shipped = loadProjection();
    expect(shipped.components).toHaveLength(EMBEDDING_DIMENSIONS);
    expect(shipped.features).toBe(HASHED_FEATURES);
    expect(shipped.fittedOn.varianceKept).toBeGreaterThan(0.5);
    expectOrthonormal(shipped);
    expect(new LocalProjectedEmbeddings(shipped).id).toBe(`local-lsa-v1-${EMBEDDING_DIMENSIONS}-${shipped.version}`);
  });

  it("is fitted the same way twice by npm run fit-embedder, and the embedder takes the fitted file", async () => {
    // A corpus of its own, large enough for the directions asked for: the shipped documents' files.
    const corpus = join(scratch, "corpus");
    cpSync(CORPUS_DIR, corpus, { recursive: true });
    const fit = async (out: string) => {
      const child = runScript("app/cli/fit-embedder.ts", ["--corpus", corpus, "--out", out], {});
      const stdout = collect(child.stdout);
      expect(await exited(child)).toBe(0);
      return JSON.parse(stdout.text()) as { chunks: number; dimensions: number };
    };
    const summary = await fit(join(scratch, "a.json"));
    await fit(join(scratch, "b.json"));
    const [a, b] = [loadProjection(join(scratch, "a.json")), loadProjection(join(scratch, "b.json"))];
    expect(summary.dimensions).toBe(EMBEDDING_DIMENSIONS);
    expect(summary.chunks).toBeGreaterThan(EMBEDDING_DIMENSIONS);
    expect(b.version).toBe(a.version);
    expect(readdirSync(scratch).sort()).toEqual(["a.json", "b.json", "corpus"]);
    expectOrthonormal(a);
    const embedder = new LocalProjectedEmbeddings(a);
    const vector = embedder.embed("Hội Lim tổ chức ở đâu?");
    expect(vector).toHaveLength(EMBEDDING_DIMENSIONS);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    expect(embedder.embed("hoi lim to chuc o dau")).toEqual(vector);
  });

  it("keeps a document's chunks nearer to each other than to other documents' chunks", () => {
    const embedder = new LocalProjectedEmbeddings();
    const chunks = loadCorpus().flatMap((document) => chunkDocument(document).map((chunk) => ({ document: document.id, vector: embedder.embed(chunkContext(document, chunk)) })));
    let same = 0;
    let total = 0;
    for (const chunk of chunks) {
      const nearest = chunks.filter((other) => other !== chunk).reduce((best, other) => (dot(other.vector, chunk.vector) > dot(best.vector, chunk.vector) ? other : best));
      total += 1;
      if (nearest.document === chunk.document) same += 1;
    }
    // With the shipped corpus, most chunks' nearest neighbour is a sibling; random directions would give about 1 in 28.
    expect(same / total).toBeGreaterThan(0.6);
  });
});
