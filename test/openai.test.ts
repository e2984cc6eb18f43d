import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openAssistant, type Assistant } from "../app/compose.ts";
import { evaluateDevSet } from "../app/evaluation.ts";
import type { InboundEvent } from "../bot/types.ts";
import { testLogger } from "./support/logger.ts";
import { completion, embeddingsFor, startOpenAIStub, type OpenAIStub } from "./support/openai-stub.ts";

let counter = 0;
const ask = async (assistant: Assistant, text: string, userId = "producer") => {
  const event: InboundEvent = { channel: "cli", eventId: `e${++counter}`, userId, chatId: userId, text, receivedAt: new Date() };
  return (await assistant.receive(event))!;
};

describe("grounded answers through an OpenAI-compatible endpoint (local stub over HTTP)", () => {
  let stub: OpenAIStub;
  let assistant: Assistant;

  beforeAll(async () => {
    stub = await startOpenAIStub();
    assistant = await openAssistant({
      database: { memory: true },
      logger: testLogger,
      knowledge: {
        embeddings: "local",
        openai: { apiKey: "sk-test", baseURL: stub.baseURL, chatModel: "stub-chat", embeddingModel: "stub-embed", timeoutMs: 500 },
      },
    });
  });
  afterAll(async () => {
    await assistant.close();
    await stub.close();
  });
  beforeEach(() => {
    stub.requests.length = 0;
  });

  it("sends the retrieved passages and the question, and cites what the model cited", async () => {
    stub.chat = () => completion("Sản phẩm 4 sao cần từ 70 đến 89 điểm [ocop-cham-diem].");
    const response = await ask(assistant, "Sản phẩm 4 sao cần bao nhiêu điểm?");
    expect(response.intent).toBe("question");
    expect(response.replies[0]!.text).toBe("Sản phẩm 4 sao cần từ 70 đến 89 điểm.\n\nNguồn: Thang điểm và cách xếp hạng sao sản phẩm OCOP");
    expect(response.sources).toEqual([{ id: "ocop-cham-diem", title: "Thang điểm và cách xếp hạng sao sản phẩm OCOP" }]);

    const request = stub.requests.find((r) => r.path.endsWith("/chat/completions"))!;
    expect(request.headers.authorization).toBe("Bearer sk-test");
    expect(request.body.model).toBe("stub-chat");
    const [system, user] = request.body.messages;
    expect(system.content).toContain("Answer ONLY with facts stated in the numbered passages");
    expect(system.content).toContain("Vietnamese");
    expect(user.content).toContain("[ocop-cham-diem]");
    expect(user.content).toContain("Question: Sản phẩm 4 sao cần bao nhiêu điểm?");
  });

  it("asks for English to an English speaker", async () => {
    stub.chat = () => completion("A 4-star product needs 70–89 points [ocop-cham-diem].");
    const response = await ask(assistant, "How many points does a 4-star OCOP product need?", "tourist");
    expect(response.replies[0]!.text).toMatch(/^A 4-star product needs 70–89 points\.\n\nSource: /);
    expect(stub.requests[0]!.body.messages[0].content).toContain("Reply in English");
  });

  it("says it does not know when the model finds no answer in the passages", async () => {
    stub.chat = () => completion("NO_ANSWER");
    const response = await ask(assistant, "Sản phẩm 4 sao cần bao nhiêu điểm?");
    expect(response.intent).toBe("unknown");
    expect(response.replies[0]!.text).toContain("Sở Nông nghiệp và Môi trường");
  });

  it.each([
    ["a server error", () => ({ status: 500, body: { error: { message: "boom" } } })],
    ["a rate limit", () => ({ status: 429, body: { error: { message: "slow down" } } })],
    ["a timeout", () => ({ ...completion("late [ocop-cham-diem]"), delayMs: 2000 })],
    ["an answer citing nothing it was given", () => completion("Cần 70 điểm [made-up-source].")],
    ["malformed JSON", () => ({ body: "not json at all" })],
  ])("falls back to the extractive answer on %s", async (_name, reply) => {
    stub.chat = reply;
    const started = Date.now();
    const response = await ask(assistant, "Sản phẩm 4 sao cần bao nhiêu điểm?");
    expect(response.intent).toBe("question");
    expect(response.replies[0]!.text).toContain("70");
    expect(response.replies[0]!.text).toContain("Nguồn:");
    expect(response.sources.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(1800);
  });

  it("does not call the model for an off-topic question", async () => {
    const response = await ask(assistant, "What is the weather like in Paris tomorrow?", "tourist");
    expect(response.intent).toBe("off_topic");
    expect(stub.requests.filter((r) => r.path.endsWith("/chat/completions"))).toHaveLength(0);
  });
});

describe("OpenAI embeddings (local stub over HTTP)", () => {
  it("embeds the corpus at the index's size and records the embedder; an outage leaves full-text search working", async () => {
    const stub = await startOpenAIStub();
    const assistant = await openAssistant({
      database: { memory: true },
      logger: testLogger,
      knowledge: {
        embeddings: "openai",
        openai: { apiKey: "sk-test", baseURL: stub.baseURL, chatModel: "stub-chat", embeddingModel: "text-embedding-3-small", timeoutMs: 500 },
      },
    });
    try {
      const embedRequests = stub.requests.filter((r) => r.path.endsWith("/embeddings"));
      expect(embedRequests.length).toBeGreaterThan(0);
      expect(embedRequests[0]!.body).toMatchObject({ model: "text-embedding-3-small", dimensions: 128 });
      const { rows } = await assistant.db.pool.query("SELECT DISTINCT embedder FROM knowledge_chunks");
      expect(rows).toEqual([{ embedder: "openai-text-embedding-3-small-128" }]);

      stub.embeddings = () => ({ status: 503, body: { error: { message: "down" } } });
      stub.chat = () => completion("Ngày 12 có dâng hương ở chùa Hồng Ân [hoi-lim]."); 
      const response = await ask(assistant, "Hội Lim có những nghi lễ gì?");
      expect(response.intent).toBe("question");
      expect(response.sources[0]!.id).toBe("hoi-lim");
    } finally {
      await assistant.close();
      await stub.close();
    }
  });
});

describe("the retrieval evaluation with the configured embedder", () => {
  it("embeds the corpus and every question through the API's model and says which embedder it measured", async () => {
    const stub = await startOpenAIStub();
    try {
      const knowledge = {
        embeddings: "openai",
        openai: { apiKey: "sk-test", baseURL: stub.baseURL, chatModel: "stub-chat", embeddingModel: "stub-embed", timeoutMs: 2000 },
      } as const;
      const result = await evaluateDevSet(undefined, knowledge);
      expect(result.embedder).toBe("openai-stub-embed-128");
      const inputs = stub.requests.filter((r) => r.path.endsWith("/embeddings")).flatMap((r) => [r.body.input].flat());
      // Every chunk of the corpus, then at least one query per question.
      expect(inputs.length).toBeGreaterThanOrEqual(369 + result.questions);
      // The stub's vectors carry no meaning; the lexical branch still finds most answers.
      expect(result.hybrid.all.recallAt5).toBeGreaterThan(0.5);
    } finally {
      await stub.close();
    }
  }, 60_000);
});

describe("embedding the corpus with a stub", () => {
  it("produces deterministic vectors of the requested size", () => {
    const response = embeddingsFor({ path: "/v1/embeddings", headers: {}, body: { input: ["a", "bb"], dimensions: 4 } });
    expect((response.body as any).data).toHaveLength(2);
    expect((response.body as any).data[1].embedding).toHaveLength(4);
  });
});
