import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../adapters/db/database.ts";
import { createKnowledgeIndex, HNSW_EF_SEARCH } from "../adapters/db/knowledge-index.ts";
import { migrate } from "../adapters/db/migrate.ts";
import { otherLanguageRun } from "../bot/evaluation.ts";
import { chunkDocument } from "../knowledge/chunker.ts";
import { CORPUS_DIR, loadCorpus } from "../knowledge/corpus.ts";
import { LocalProjectedEmbeddings } from "../knowledge/embeddings.ts";
import { ingestCorpus } from "../knowledge/ingest.ts";
import { HybridRetriever } from "../knowledge/retriever.ts";
import { sentences } from "../knowledge/vietnamese.ts";
import { databaseKinds } from "./support/databases.ts";

/** Same vectors as the default embedder under another name, as after switching embedders. */
class RenamedEmbeddings extends LocalProjectedEmbeddings {
  override readonly id = "local-lsa-renamed";
}

const QUESTIONS = [
  "Sản phẩm 4 sao cần bao nhiêu điểm?",
  "lang gom phu lang cach ha noi bao xa",
  "When is the Dong Ho print market?",
  "htx co dc ho tro xay dung thuong hieu ko",
  "giấy chứng nhận OCOP có hiệu lực bao lâu",
  "Who recognises 5-star OCOP products?",
  "hoi lim to chuc o dau",
  "Bắc Ninh sáp nhập với Bắc Giang từ ngày nào",
];

async function openIndexed(kind: (typeof databaseKinds)[number]) {
  const fresh = await kind.create();
  const db = await openDatabase(fresh.target);
  await migrate(db);
  const index = createKnowledgeIndex(db);
  const embedder = new LocalProjectedEmbeddings();
  const report = await ingestCorpus(index, embedder, loadCorpus());
  return { db, index, embedder, report, drop: fresh.drop };
}

describe("the corpus", () => {
  it("writes each sentence in its section's language, Vietnamese names in an English one bracketed or quoted", () => {
    // An answer quotes sentences as they are, so a Vietnamese phrase in an English sentence reaches an English reply.
    const mixed = loadCorpus().flatMap((document) =>
      chunkDocument(document).flatMap((chunk) =>
        sentences(chunk.content).filter((sentence) => otherLanguageRun(sentence, chunk.language) !== undefined).map((sentence) => `${document.id}: ${sentence}`),
      ),
    );
    expect(mixed).toEqual([]);
  });
});

describe.each(databaseKinds)("knowledge index on $label", (kind) => {
  let db: Database;
  let opened: Awaited<ReturnType<typeof openIndexed>>;

  beforeAll(async () => {
    if (!kind.available) return;
    opened = await openIndexed(kind);
    db = opened.db;
  });
  afterAll(async () => {
    await db?.close();
    await opened?.drop();
  });

  describe.skipIf(!kind.available)("", () => {
    it("ingests every document once, with a GIN full-text index and an HNSW vector index", async () => {
      expect(opened.report.added).toHaveLength(loadCorpus().length);
      const { rows } = await db.pool.query(
        "SELECT indexdef FROM pg_indexes WHERE tablename = 'knowledge_chunks' ORDER BY indexname",
      );
      const definitions = rows.map((row) => row.indexdef).join("\n");
      expect(definitions).toMatch(/USING gin \(terms\)/);
      expect(definitions).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
    });

    it("re-ingests only what changed, and everything when the embedder changes", async () => {
      const dir = mkdtempSync(join(tmpdir(), "ocop-corpus-"));
      cpSync(CORPUS_DIR, dir, { recursive: true });
      try {
        expect(await ingestCorpus(opened.index, opened.embedder, loadCorpus(dir))).toMatchObject({ added: [], updated: [], removed: [] });

        const file = join(dir, "hoi-lim.md");
        writeFileSync(file, `${readFileSync(file, "utf8")}\nHội Lim có thêm một câu thử nghiệm về đu tiên.\n`);
        rmSync(join(dir, "lang-tre-truc-xuan-lai.md"));
        const changed = await ingestCorpus(opened.index, opened.embedder, loadCorpus(dir));
        expect(changed).toMatchObject({ added: [], updated: ["hoi-lim"], removed: ["lang-tre-truc-xuan-lai"] });
        const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM knowledge_chunks WHERE content LIKE '%đu tiên%'");
        expect(rows[0].n).toBe(1);

        const renamed = await ingestCorpus(opened.index, new RenamedEmbeddings(), loadCorpus(dir));
        expect(renamed.updated).toHaveLength(loadCorpus(dir).length);
        const embedders = await db.pool.query("SELECT DISTINCT embedder FROM knowledge_chunks");
        expect(embedders.rows).toEqual([{ embedder: "local-lsa-renamed" }]);
      } finally {
        // Put the shipped corpus back for the retrieval tests below.
        await ingestCorpus(opened.index, opened.embedder, loadCorpus());
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("finds the right document for accented, unaccented and English questions", async () => {
      const retriever = new HybridRetriever({ index: opened.index, embedder: opened.embedder });
      const top = async (q: string) => (await retriever.search(q)).documents.slice(0, 3).map((d) => d.id);
      expect(await top("lang gom phu lang cach ha noi bao xa")).toContain("lang-gom-phu-lang");
      expect(await top("Phu Lang pottery village")).toContain("lang-gom-phu-lang");
      expect(await top("giấy chứng nhận OCOP có hiệu lực bao lâu")).toContain("ocop-cap-cong-nhan");
      expect(await top("nghi quyet 14 ho tro bao nhieu tien")).toContain("nghi-quyet-14-2023");
    });

    it("serves LangChain's retriever interface", async () => {
      const retriever = new HybridRetriever({ index: opened.index, embedder: opened.embedder, k: 3 });
      const documents = await retriever.invoke("làng tranh Đông Hồ");
      expect(documents).toHaveLength(3);
      expect(documents[0]!.metadata.documentId).toBe("lang-tranh-dong-ho");
      expect(documents[0]!.pageContent.length).toBeGreaterThan(20);
    });

    it("agrees between the HNSW index and an exact scan on the shipped corpus", async () => {
      const vector = await opened.embedder.embedQuery("làng gốm Phù Lãng");
      const approximate = await opened.index.vectorSearch(vector, 10);
      const exact = await opened.index.vectorSearch(vector, 10, { exact: true });
      expect(approximate.map((hit) => hit.chunkId)).toEqual(exact.map((hit) => hit.chunkId));
    });

    it("searches the HNSW index at the retriever's breadth in every session, without a transaction of its own", async () => {
      // Several pooled connections on PostgreSQL: each must have started with the setting.
      const settings = await Promise.all(Array.from({ length: 3 }, () => db.pool.query("SHOW hnsw.ef_search")));
      expect(settings.map(({ rows }) => Number(rows[0]["hnsw.ef_search"]))).toEqual([HNSW_EF_SEARCH, HNSW_EF_SEARCH, HNSW_EF_SEARCH]);
    });

    it("handles SQL-looking and empty queries as plain text", async () => {
      const retriever = new HybridRetriever({ index: opened.index, embedder: opened.embedder });
      expect((await retriever.search("'; DROP TABLE knowledge_chunks; --")).passages.length).toBeGreaterThanOrEqual(0);
      expect((await retriever.search("")).documents).toBeDefined();
      const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM knowledge_chunks");
      expect(rows[0].n).toBeGreaterThan(100);
    });
  });
});

describe.skipIf(!databaseKinds[1]!.available)("the same retrieval on PGlite and PostgreSQL", () => {
  it("ranks the same documents for the same questions", async () => {
    const lite = await openIndexed(databaseKinds[0]!);
    const postgres = await openIndexed(databaseKinds[1]!);
    try {
      for (const question of QUESTIONS) {
        const rank = async (side: Awaited<ReturnType<typeof openIndexed>>) =>
          (await new HybridRetriever({ index: side.index, embedder: side.embedder }).search(question)).documents
            .slice(0, 5)
            .map((d) => d.id);
        expect(await rank(postgres), question).toEqual(await rank(lite));
      }
    } finally {
      await Promise.all([lite, postgres].map(async (side) => {
        await side.db.close();
        await side.drop();
      }));
    }
  });
});
