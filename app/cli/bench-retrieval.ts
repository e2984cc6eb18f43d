/**
 * `npm run bench:retrieval [-- --database-url URL] [--synthetic N] [--json] [--keep | --reuse URL]`: query
 * latency and memory of the knowledge search — on the shipped corpus (PGlite, and PostgreSQL when a URL is
 * given or DATABASE_URL/TEST_DATABASE_URL is set), and on N synthetic chunks on PostgreSQL: the hybrid
 * search, HNSW against an exact scan at the retriever's ef_search and at others, with the recall of each.
 * Each PostgreSQL run uses a fresh, dropped database.
 *
 * Loading and indexing 100,000 chunks takes minutes; to iterate on queries, `--keep` leaves the synthetic
 * database in place (its URL is logged) and `--reuse URL` measures an existing one instead of building
 * one: its pending migrations are applied, and the load and build times are then reported as null.
 *
 * The synthetic chunks (synthetic-corpus.ts) belong to distinct documents, each in the genre of one
 * shipped document (running text from a word-pair chain learnt from it and from the whole corpus) with
 * topic words and made-up names of its own: no sentence is copied, so nearest neighbours do not tie,
 * and a chunk's neighbours are its siblings and documents on the same subject. The shipped corpus is
 * loaded with them, as a national catalogue would hold the province's documents.
 *
 * Vectors come from the embedder the environment configures, as for the service (EMBEDDINGS=openai with
 * OPENAI_API_KEY and OPENAI_BASE_URL for an OpenAI-compatible model; the offline hashing one by default),
 * so that recall and speed can be measured with the model a deployment would use. Its id is in the JSON.
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pgvector from "pgvector";
import { answerFrom } from "../../knowledge/answer.ts";
import { loadCorpus } from "../../knowledge/corpus.ts";
import { loadDevSet } from "../../knowledge/evaluation.ts";
import { indexDocument, ingestCorpus } from "../../knowledge/ingest.ts";
import type { ChunkHit, KnowledgeIndex } from "../../knowledge/ports.ts";
import { BRANCH_LIMIT, CANDIDATE_BUDGET, HybridRetriever } from "../../knowledge/retriever.ts";
import { accentedWords, searchTerms } from "../../knowledge/vietnamese.ts";
import { openDatabase, type Database, type DatabaseTarget } from "../../adapters/db/database.ts";
import { createKnowledgeIndex, HNSW_EF_SEARCH } from "../../adapters/db/knowledge-index.ts";
import { migrate } from "../../adapters/db/migrate.ts";
import { createScratchDatabase } from "../../adapters/db/scratch-database.ts";
import { loadConfig } from "../../adapters/config.ts";
import { knowledgeOptionsFrom, openModels } from "../compose.ts";
import { summarize, type Latency } from "./latency.ts";
import { syntheticDocuments } from "./synthetic-corpus.ts";

const { values } = parseArgs({
  options: {
    "database-url": { type: "string" },
    synthetic: { type: "string", default: "100000" },
    json: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    reuse: { type: "string" },
  },
});
const postgresUrl = values["database-url"] ?? process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const syntheticChunks = Number(values.synthetic);
const questions = loadDevSet(fileURLToPath(new URL("../../test/eval/devset.jsonl", import.meta.url))).map((q) => q.q);
const { embedder } = await openModels(knowledgeOptionsFrom(loadConfig()));
const log = (line: string) => (values.json ? process.stderr : process.stdout).write(`${line}\n`);

/**
 * Times `run` over `items` after one untimed pass over all of them: a service that has run a while has the
 * pages its searches walk in PostgreSQL's cache, and the first search of each question after an index build
 * would time reading them from the operating system instead.
 */
async function time(items: readonly string[], run: (item: string) => Promise<unknown>): Promise<Latency> {
  for (const item of items) await run(item);
  const samples: number[] = [];
  for (const item of items) {
    const started = performance.now();
    await run(item);
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

/** HNSW search breadths compared: pgvector's default (40), the retriever's, and wider ones. */
const EF_SEARCH_STEPS = [...new Set([40, 60, 100, 150, 200, HNSW_EF_SEARCH, 400])].sort((a, b) => a - b);

const megabytes = (bytes: number) => Math.round(bytes / 1024 / 1024);
const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;
const round = (value: number) => Math.round(value * 1000) / 1000;

/** A fresh PostgreSQL database on the server of `url`, dropped by the returned function. */
async function freshPostgres(url: string): Promise<{ target: { url: string }; drop: () => Promise<void> }> {
  const scratch = await createScratchDatabase(url, "ocop_bench");
  return { target: { url: scratch.url }, drop: scratch.drop };
}

/** The shipped corpus: ingest, then question → cited answer latency. */
async function benchCorpus(db: Database) {
  await migrate(db);
  const index = createKnowledgeIndex(db);
  const started = performance.now();
  const corpus = loadCorpus();
  const report = await ingestCorpus(index, embedder, corpus);
  const ingestMs = Math.round(performance.now() - started);
  const retriever = new HybridRetriever({ index, embedder, names: corpus.flatMap((document) => document.aliases) });
  const search = await time(questions, (q) => retriever.search(q));
  const answer = await time(questions, (q) => answerFrom(retriever, q, "vi"));
  return { chunks: report.chunks, ingestMs, search, answer, rssMb: megabytes(process.memoryUsage().rss) };
}

/** Loads `count` synthetic chunks, in documents of their own, into the knowledge tables; vectors from `embedder`. */
async function loadSynthetic(db: Database, count: number) {
  let batch: { documentId: string; ordinal: number; text: string }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const documentIds = [...new Set(batch.map((chunk) => chunk.documentId))];
    await db.pool.query(
      `INSERT INTO knowledge_documents (id, title_vi, title_en, sources, date, content_hash, embedder)
       SELECT id, id, id, '["bench"]', '2026', 'x', $2 FROM unnest($1::text[]) AS d(id) ON CONFLICT (id) DO NOTHING`,
      [documentIds, embedder.id],
    );
    const texts = batch.map((chunk) => chunk.text);
    const vectors = (await embedder.embedDocuments(texts)).map((vector) => pgvector.toSql(vector));
    const terms = texts.map((text) => [...new Set([...searchTerms(text), ...accentedWords(text)])].join(" "));
    await db.pool.query(
      `INSERT INTO knowledge_chunks (document_id, ordinal, section, language, content, terms, term_count, embedding, embedder)
       SELECT d, o, 'bench', 'vi', c, array_to_tsvector(string_to_array(t, ' ')), array_length(string_to_array(t, ' '), 1), v::vector, $6
       FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[]) AS x(d, o, c, t, v)`,
      [batch.map((chunk) => chunk.documentId), batch.map((chunk) => chunk.ordinal), texts, terms, vectors, embedder.id],
    );
    batch = [];
  };
  for (const document of syntheticDocuments(count)) {
    batch.push(...document.chunks.map((text, ordinal) => ({ documentId: document.id, ordinal, text })));
    if (batch.length >= 1000) await flush();
  }
  await flush();
}

/** The chunks' search indexes, as the migrations define them. */
async function searchIndexes(db: Database) {
  const { rows } = await db.pool.query<{ indexname: string; indexdef: string }>(
    "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN ('knowledge_chunks_embedding', 'knowledge_chunks_terms')",
  );
  return rows;
}

/** Fills the fresh database with `count` synthetic chunks and builds the search indexes once after loading, as a bulk load would. */
async function buildSynthetic(db: Database, count: number) {
  const indexes = await searchIndexes(db);
  for (const { indexname } of indexes) await db.pool.query(`DROP INDEX ${indexname}`);
  const loadStarted = performance.now();
  await loadSynthetic(db, count);
  // The province's own documents belong to a national catalogue too, so the dev-set questions have their answers in it.
  const index = createKnowledgeIndex(db);
  for (const document of loadCorpus()) await indexDocument(index, embedder, document);
  const loadSeconds = seconds(loadStarted);
  const buildSeconds: Record<string, number> = {};
  for (const { indexname, indexdef } of indexes) {
    const started = performance.now();
    await db.transaction(async (client) => {
      await client.query("SET LOCAL maintenance_work_mem = '1GB'");
      await client.query(indexdef);
    });
    buildSeconds[indexname] = seconds(started);
  }
  await index.refreshStatistics();
  return { loadSeconds, hnswBuildSeconds: buildSeconds.knowledge_chunks_embedding, ginBuildSeconds: buildSeconds.knowledge_chunks_terms };
}

async function benchSynthetic(db: Database, count: number, reused: boolean) {
  await migrate(db);
  const index = createKnowledgeIndex(db);
  if (reused) await sameEmbedder(db);
  const build = reused ? { loadSeconds: null, hnswBuildSeconds: null, ginBuildSeconds: null } : await buildSynthetic(db, count);
  const hnswDefinition = (await searchIndexes(db)).find((i) => i.indexname === "knowledge_chunks_embedding")!.indexdef;
  const option = (name: string, fallback: number) => Number(new RegExp(`${name}='?(\\d+)`).exec(hnswDefinition)?.[1] ?? fallback);

  const retriever = new HybridRetriever({ index, embedder });
  const vectors: number[][] = [];
  for (const question of questions) vectors.push(await embedder.embedQuery(question));
  const byQuestion = new Map(questions.map((q, i) => [q, vectors[i]!]));
  const truth = new Map<string, ChunkHit[]>();
  const exact = await time(questions, async (q) => truth.set(q, await index.vectorSearch(byQuestion.get(q)!, 10, { exact: true })));
  const hnsw = await time(questions, (q) => index.vectorSearch(byQuestion.get(q)!, 10));
  const hnswRetriever = await time(questions, (q) => index.vectorSearch(byQuestion.get(q)!, BRANCH_LIMIT));
  const hybrid = await time(questions, (q) => retriever.search(q));
  // What the candidate budget costs: the share of the lexical top 10 that scoring every candidate would also rank there.
  const unbounded = new HybridRetriever({ index, embedder, candidateBudget: Infinity });
  const lexicalTop10 = async (searcher: HybridRetriever, q: string) =>
    (await searcher.search(q)).passages.filter((passage) => (passage.lexicalRank ?? Infinity) <= 10).map((passage) => passage.chunkId);
  let lexicalOverlap = 0;
  for (const question of questions) {
    const reference = await lexicalTop10(unbounded, question);
    const found = new Set(await lexicalTop10(retriever, question));
    lexicalOverlap += reference.filter((id) => found.has(id)).length / Math.max(1, reference.length) / questions.length;
  }
  // Recall against the exact top 10, by ids and by distance (an approximate hit counts when it is as near as
  // the exact 10th neighbour, so that ties cannot hide a miss or make one).
  const tradeOff: { efSearch: number; recallAt10: number; recallAt10ByDistance: number; p50: number; p95: number }[] = [];
  for (const efSearch of EF_SEARCH_STEPS) {
    const latency = await time(questions, (q) => index.vectorSearch(byQuestion.get(q)!, 10, { efSearch }));
    let ids = 0;
    let distance = 0;
    for (const question of questions) {
      const exactHits = truth.get(question)!;
      const approximate = await index.vectorSearch(byQuestion.get(question)!, 10, { efSearch });
      const found = new Set(approximate.map((hit) => hit.chunkId));
      ids += exactHits.filter((hit) => found.has(hit.chunkId)).length / exactHits.length / questions.length;
      distance += approximate.filter((hit) => hit.score >= exactHits.at(-1)!.score - 1e-9).length / exactHits.length / questions.length;
    }
    tradeOff.push({ efSearch, recallAt10: round(ids), recallAt10ByDistance: round(distance), p50: latency.p50, p95: latency.p95 });
  }
  // Why questions are harder for the graph than chunks: a question's exact top 10 is barely nearer than the
  // next 20 (a flat neighbourhood), while a chunk's siblings stand out. The same recall, at the retriever's
  // ef_search, for chunks of the index used as queries (rank 1 of a chunk is itself), and the median
  // similarity at ranks 1, 10 and 30 of each.
  const { rows: sampled } = await db.pool.query<{ embedding: string }>(
    "SELECT embedding::text AS embedding FROM knowledge_chunks ORDER BY md5(id::text) LIMIT $1",
    [questions.length],
  );
  const neighbourhoods = {
    questions: await neighbourhood(index, vectors),
    chunks: await neighbourhood(index, sampled.map((row) => pgvector.fromSql(row.embedding) as number[])),
  };
  const recallBy = (key: "recallAt10" | "recallAt10ByDistance") =>
    Object.fromEntries(tradeOff.map((step) => [`efSearch${step.efSearch}`, step[key]]));
  // shared_buffers beside the index's size: an index that does not fit is read through the operating
  // system's cache at every search (here vector p50 17 ms at 128 MB, 11 ms at 1 GB).
  const { rows } = await db.pool.query<{ table_mb: string; hnsw_mb: string; gin_mb: string; shared_buffers_mb: string }>(
    `SELECT pg_total_relation_size('knowledge_chunks') / 1048576 AS table_mb,
            pg_relation_size('knowledge_chunks_embedding') / 1048576 AS hnsw_mb,
            pg_relation_size('knowledge_chunks_terms') / 1048576 AS gin_mb,
            pg_size_bytes(current_setting('shared_buffers')) / 1048576 AS shared_buffers_mb`,
  );
  if (Number(rows[0]!.hnsw_mb) > Number(rows[0]!.shared_buffers_mb)) {
    log(`The HNSW index (${rows[0]!.hnsw_mb} MB) is larger than shared_buffers (${rows[0]!.shared_buffers_mb} MB): vector searches read it through the OS cache.`);
  }
  return {
    chunks: Number((await db.pool.query("SELECT count(*) AS n FROM knowledge_chunks")).rows[0].n),
    documents: Number((await db.pool.query("SELECT count(*) AS n FROM knowledge_documents")).rows[0].n),
    shippedChunks: Number((await db.pool.query("SELECT count(*) AS n FROM knowledge_chunks WHERE document_id NOT LIKE 'synthetic-%'")).rows[0].n),
    hnsw: { m: option("m", 16), efConstruction: option("ef_construction", 64), efSearch: HNSW_EF_SEARCH },
    ...build,
    vectorHnsw: hnsw,
    [`vectorHnswLimit${BRANCH_LIMIT}`]: hnswRetriever,
    vectorExact: exact,
    hybridWithHnsw: hybrid,
    lexicalCandidateBudget: CANDIDATE_BUDGET,
    lexicalTop10OverlapWithUnbounded: round(lexicalOverlap),
    vectorHnswEfSearch200: tradeOff.find((step) => step.efSearch === 200),
    hnswRecallAt10: { retriever: tradeOff.find((step) => step.efSearch === HNSW_EF_SEARCH)!.recallAt10, ...recallBy("recallAt10") },
    hnswRecallAt10ByDistance: recallBy("recallAt10ByDistance"),
    hnswTradeOff: tradeOff,
    neighbourhoods,
    sizesMb: { tableWithIndexes: Number(rows[0]!.table_mb), hnsw: Number(rows[0]!.hnsw_mb), gin: Number(rows[0]!.gin_mb), sharedBuffers: Number(rows[0]!.shared_buffers_mb) },
  };
}

/** Refuses a reused database whose vectors another embedder made: distances between the two mean nothing. */
async function sameEmbedder(db: Database) {
  const { rows } = await db.pool.query<{ embedder: string }>("SELECT DISTINCT embedder FROM knowledge_chunks");
  const others = rows.map((row) => row.embedder).filter((id) => id !== embedder.id);
  if (others.length > 0) throw new Error(`the reused database was embedded by ${others.join(", ")}, not by the configured ${embedder.id}`);
}

/** HNSW recall@10 at the retriever's ef_search for `queries`, and the median exact similarity at ranks 1, 10 and 30. */
async function neighbourhood(index: KnowledgeIndex, queries: readonly number[][]) {
  let recall = 0;
  const exactScores: number[][] = [];
  for (const query of queries) {
    const exactHits = await index.vectorSearch(query, 30, { exact: true });
    const found = new Set((await index.vectorSearch(query, 10)).map((hit) => hit.chunkId));
    recall += exactHits.slice(0, 10).filter((hit) => found.has(hit.chunkId)).length / 10 / queries.length;
    exactScores.push(exactHits.map((hit) => hit.score));
  }
  const medianAt = (rank: number) => {
    const sorted = exactScores.map((scores) => scores[rank - 1] ?? 0).sort((a, b) => a - b);
    return round(sorted[Math.floor(sorted.length / 2)]!);
  };
  return { recallAt10: round(recall), medianScoreAtRank1: medianAt(1), medianScoreAtRank10: medianAt(10), medianScoreAtRank30: medianAt(30) };
}

async function withDatabase<T>(target: DatabaseTarget, run: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(target);
  try {
    return await run(db);
  } finally {
    await db.close();
  }
}

const results: Record<string, unknown> = { questions: questions.length, embedder: embedder.id };
log(`Shipped corpus, ${questions.length} dev-set questions per measurement (times in ms); embedder ${embedder.id}.`);
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
  if (values.reuse) {
    log(`\nSynthetic corpus of ${values.reuse} (reused)…`);
    results.synthetic = await withDatabase({ url: values.reuse }, (db) => benchSynthetic(db, syntheticChunks, true));
    log(JSON.stringify(results.synthetic, null, 2));
  } else if (syntheticChunks > 0) {
    log(`\nSynthetic corpus of ${syntheticChunks} chunks on PostgreSQL (this takes a few minutes)…`);
    const synthetic = await freshPostgres(postgresUrl);
    try {
      results.synthetic = await withDatabase(synthetic.target, (db) => benchSynthetic(db, syntheticChunks, false));
      log(JSON.stringify(results.synthetic, null, 2));
    } finally {
      if (values.keep) log(`Kept the synthetic database: --reuse ${synthetic.target.url}`);
      else await synthetic.drop();
    }
  }
} else {
  log("PostgreSQL: skipped (pass --database-url or set DATABASE_URL / TEST_DATABASE_URL).");
}
if (values.json) console.log(JSON.stringify(results));
