/**
 * `npm run bench:retrieval [-- --database-url URL] [--synthetic N] [--json]`: query latency and memory
 * of the knowledge search — on the shipped corpus (PGlite, and PostgreSQL when a URL is given or
 * DATABASE_URL/TEST_DATABASE_URL is set), and on N synthetic chunks on PostgreSQL, HNSW against an
 * exact scan, with the recall of HNSW against exact. Each PostgreSQL run uses a fresh, dropped database.
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pgvector from "pgvector";
import { answerFrom } from "../../knowledge/answer.ts";
import { chunkDocument } from "../../knowledge/chunker.ts";
import { loadCorpus } from "../../knowledge/corpus.ts";
import { LocalHashEmbeddings } from "../../knowledge/embeddings.ts";
import { loadDevSet } from "../../knowledge/evaluation.ts";
import { ingestCorpus } from "../../knowledge/ingest.ts";
import { HybridRetriever } from "../../knowledge/retriever.ts";
import { accentedWords, searchTerms } from "../../knowledge/vietnamese.ts";
import { openDatabase, type Database, type DatabaseTarget } from "../../adapters/db/database.ts";
import { createKnowledgeIndex } from "../../adapters/db/knowledge-index.ts";
import { migrate } from "../../adapters/db/migrate.ts";
import { createScratchDatabase } from "../../adapters/db/scratch-database.ts";
import { summarize, type Latency } from "./latency.ts";

const { values } = parseArgs({
  options: {
    "database-url": { type: "string" },
    synthetic: { type: "string", default: "100000" },
    json: { type: "boolean", default: false },
  },
});
const postgresUrl = values["database-url"] ?? process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const syntheticChunks = Number(values.synthetic);
const questions = loadDevSet(fileURLToPath(new URL("../../test/eval/devset.jsonl", import.meta.url))).map((q) => q.q);
const log = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);

async function time(items: readonly string[], run: (item: string) => Promise<unknown>): Promise<Latency> {
  for (const item of items.slice(0, 10)) await run(item); // warm-up
  const samples: number[] = [];
  for (const item of items) {
    const started = performance.now();
    await run(item);
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

/** A wider HNSW search than pgvector's default of 40, to show the recall it buys. */
const WIDE_EF_SEARCH = 200;

const megabytes = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** A fresh PostgreSQL database on the server of `url`, dropped by the returned function. */
async function freshPostgres(url: string): Promise<{ target: DatabaseTarget; drop: () => Promise<void> }> {
  const scratch = await createScratchDatabase(url, "ocop_bench");
  return { target: { url: scratch.url }, drop: scratch.drop };
}

/** The shipped corpus: ingest, then question → cited answer latency. */
async function benchCorpus(db: Database) {
  await migrate(db);
  const index = createKnowledgeIndex(db);
  const embedder = new LocalHashEmbeddings();
  const started = performance.now();
  const corpus = loadCorpus();
  const report = await ingestCorpus(index, embedder, corpus);
  const ingestMs = Math.round(performance.now() - started);
  const retriever = new HybridRetriever({ index, embedder, names: corpus.flatMap((document) => document.aliases) });
  const search = await time(questions, (q) => retriever.search(q));
  const answer = await time(questions, (q) => answerFrom(retriever, q, "vi"));
  return { chunks: report.chunks, ingestMs, search, answer, rssMb: megabytes(process.memoryUsage().rss) };
}

/** Synthetic chunks made of corpus sentences shuffled together, so term statistics stay realistic. */
function* syntheticTexts(count: number): Generator<string> {
  const sentences = loadCorpus().flatMap((d) => chunkDocument(d).flatMap((c) => c.content.split(/(?<=\.)\s+/)));
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < count; i++) {
    const parts = Array.from({ length: 3 }, () => sentences[Math.floor(random() * sentences.length)]!);
    yield `${parts.join(" ")} (mục ${i})`;
  }
}

async function benchSynthetic(db: Database, count: number) {
  await migrate(db);
  const embedder = new LocalHashEmbeddings();
  const index = createKnowledgeIndex(db);
  await db.pool.query(
    `INSERT INTO knowledge_documents (id, title_vi, title_en, sources, date, content_hash, embedder)
     VALUES ('synthetic', 'Tài liệu tổng hợp', 'Synthetic document', '["bench"]', '2026', 'x', $1)`,
    [embedder.id],
  );
  await db.pool.query("DROP INDEX knowledge_chunks_embedding"); // built once after loading, as a bulk load would
  const loadStarted = performance.now();
  let ordinal = 0;
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const vectors = batch.map((text) => pgvector.toSql(embedder.embed(text)));
    const terms = batch.map((text) => [...new Set([...searchTerms(text), ...accentedWords(text)])].join(" "));
    const ordinals = batch.map(() => ordinal++);
    await db.pool.query(
      `INSERT INTO knowledge_chunks (document_id, ordinal, section, language, content, terms, term_count, embedding, embedder)
       SELECT 'synthetic', o, 'bench', 'vi', c, array_to_tsvector(string_to_array(t, ' ')), array_length(string_to_array(t, ' '), 1), v::vector, $5
       FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS x(o, c, t, v)`,
      [ordinals, batch, terms, vectors, embedder.id],
    );
    batch = [];
  };
  for (const text of syntheticTexts(count)) {
    batch.push(text);
    if (batch.length === 1000) await flush();
  }
  await flush();
  const loadSeconds = Math.round((performance.now() - loadStarted) / 100) / 10;
  const buildStarted = performance.now();
  await db.transaction(async (client) => {
    await client.query("SET LOCAL maintenance_work_mem = '1GB'");
    await client.query("CREATE INDEX knowledge_chunks_embedding ON knowledge_chunks USING hnsw (embedding vector_cosine_ops)");
  });
  const hnswBuildSeconds = Math.round((performance.now() - buildStarted) / 100) / 10;
  await index.refreshStatistics();

  const retriever = new HybridRetriever({ index, embedder });
  const vectors = questions.map((q) => embedder.embed(q));
  const byQuestion = new Map(questions.map((q, i) => [q, vectors[i]!]));
  const hnsw = await time(questions, (q) => index.vectorSearch(byQuestion.get(q)!, 10));
  const exact = await time(questions, (q) => index.vectorSearch(byQuestion.get(q)!, 10, { exact: true }));
  const hybrid = await time(questions, (q) => retriever.search(q));
  const wideHnsw = await time(questions, (q) => index.vectorSearch(byQuestion.get(q)!, 10, { efSearch: WIDE_EF_SEARCH }));
  // Synthetic chunks reuse corpus sentences, so many lie at equal distances: besides the overlap of
  // ids, count an approximate hit as right when it is as near as the exact 10th neighbour.
  const recall = { default: { ids: 0, distance: 0 }, wide: { ids: 0, distance: 0 } };
  for (const vector of vectors) {
    const truth = await index.vectorSearch(vector, 10, { exact: true });
    const tenth = truth.at(-1)!.score;
    for (const [name, efSearch] of [["default", undefined], ["wide", WIDE_EF_SEARCH]] as const) {
      const approximate = await index.vectorSearch(vector, 10, efSearch ? { efSearch } : {});
      const ids = new Set(approximate.map((hit) => hit.chunkId));
      recall[name].ids += truth.filter((hit) => ids.has(hit.chunkId)).length / truth.length / vectors.length;
      recall[name].distance += approximate.filter((hit) => hit.score >= tenth - 1e-9).length / truth.length / vectors.length;
    }
  }
  const round = (value: number) => Math.round(value * 1000) / 1000;
  const { rows } = await db.pool.query<{ table_mb: string; hnsw_mb: string; gin_mb: string }>(
    `SELECT pg_total_relation_size('knowledge_chunks') / 1048576 AS table_mb,
            pg_relation_size('knowledge_chunks_embedding') / 1048576 AS hnsw_mb,
            pg_relation_size('knowledge_chunks_terms') / 1048576 AS gin_mb`,
  );
  return {
    chunks: count,
    loadSeconds,
    hnswBuildSeconds,
    vectorHnsw: hnsw,
    vectorExact: exact,
    hybridWithHnsw: hybrid,
    vectorHnswEfSearch200: wideHnsw,
    hnswRecallAt10: { efSearch40: round(recall.default.ids), efSearch200: round(recall.wide.ids) },
    hnswRecallAt10ByDistance: { efSearch40: round(recall.default.distance), efSearch200: round(recall.wide.distance) },
    sizesMb: { tableWithIndexes: Number(rows[0]!.table_mb), hnsw: Number(rows[0]!.hnsw_mb), gin: Number(rows[0]!.gin_mb) },
  };
}

async function withDatabase<T>(target: DatabaseTarget, run: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(target);
  try {
    return await run(db);
  } finally {
    await db.close();
  }
}

const results: Record<string, unknown> = { questions: questions.length };
log(`Shipped corpus, ${questions.length} dev-set questions per measurement (times in ms).`);
results.corpusPglite = await withDatabase({ memory: true }, benchCorpus);
log(`PGlite      ${JSON.stringify(results.corpusPglite)}`);
if (postgresUrl) {
  const fresh = await freshPostgres(postgresUrl);
  try {
    results.corpusPostgres = await withDatabase(fresh.target, benchCorpus);
    log(`PostgreSQL  ${JSON.stringify(results.corpusPostgres)}`);
  } finally {
    await fresh.drop();
  }
  if (syntheticChunks > 0) {
    log(`\nSynthetic corpus of ${syntheticChunks} chunks on PostgreSQL (this takes a few minutes)…`);
    const synthetic = await freshPostgres(postgresUrl);
    try {
      results.synthetic = await withDatabase(synthetic.target, (db) => benchSynthetic(db, syntheticChunks));
      log(JSON.stringify(results.synthetic, null, 2));
    } finally {
      await synthetic.drop();
    }
  }
} else {
  log("PostgreSQL: skipped (pass --database-url or set DATABASE_URL / TEST_DATABASE_URL).");
}
if (values.json) console.log(JSON.stringify(results));
