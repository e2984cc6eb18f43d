/**
 * `npm run fit-embedder [-- --corpus DIR] [--out FILE]`: fits the offline embedder's projection
 * (knowledge/projection.ts) on the chunks of the corpus folder (knowledge/corpus by default) and writes it
 * (knowledge/data/embedding-projection.json by default). The same corpus gives the same file.
 *
 * Refit when the corpus has grown well beyond what the projection was fitted on (its `fittedOn`), e.g. a
 * national catalogue: the embedder's id changes with the file, so the next start re-embeds every document.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { chunkDocument } from "../../knowledge/chunker.ts";
import { CORPUS_DIR, loadCorpus } from "../../knowledge/corpus.ts";
import { EMBEDDING_DIMENSIONS, LocalHashEmbeddings } from "../../knowledge/embeddings.ts";
import { chunkContext } from "../../knowledge/ingest.ts";
import { fitProjection } from "../../knowledge/projection-fit.ts";
import { PROJECTION_FILE, serializeProjection } from "../../knowledge/projection.ts";

const { values } = parseArgs({ options: { corpus: { type: "string", default: CORPUS_DIR }, out: { type: "string", default: fileURLToPath(PROJECTION_FILE) } } });
const features = new LocalHashEmbeddings();
const documents = loadCorpus(values.corpus);
const vectors = documents.flatMap((document) => chunkDocument(document).map((chunk) => features.embed(chunkContext(document, chunk))));
const projection = fitProjection(vectors, EMBEDDING_DIMENSIONS, documents.length);
writeFileSync(values.out, serializeProjection(projection));
console.log(JSON.stringify({ out: values.out, ...projection.fittedOn, dimensions: EMBEDDING_DIMENSIONS }));
