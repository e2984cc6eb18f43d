import { Embeddings } from "@langchain/core/embeddings";
import type OpenAI from "openai";
import { EMBEDDING_DIMENSIONS, type NamedEmbeddings } from "../../knowledge/embeddings.ts";

/** OpenAI (or compatible) embeddings, asked for the index's vector size. */
export class OpenAIEmbeddings extends Embeddings implements NamedEmbeddings {
  readonly id: string;

  constructor(
    private readonly client: OpenAI,
    private readonly model: string,
  ) {
    super({ maxRetries: 2 });
    this.id = `openai-${model}-${EMBEDDING_DIMENSIONS}`;
  }

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    // The API takes batches; 96 inputs keeps each request well under its limits.
    for (let start = 0; start < documents.length; start += 96) {
      vectors.push(...(await this.#embed(documents.slice(start, start + 96))));
    }
    return vectors;
  }

  override async embedQuery(document: string): Promise<number[]> {
    return (await this.#embed([document]))[0]!;
  }

  async #embed(input: string[]): Promise<number[][]> {
    const response = await this.caller.call(() =>
      this.client.embeddings.create({ model: this.model, input, dimensions: EMBEDDING_DIMENSIONS }),
    );
    return response.data.sort((a, b) => a.index - b.index).map((item) => item.embedding);
  }
}
