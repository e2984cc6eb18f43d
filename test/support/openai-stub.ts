/**
 * A local OpenAI-compatible endpoint on 127.0.0.1 for tests: chat completions and embeddings,
 * answering whatever the test scripts, over real HTTP.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What the stub answers to one request. */
export interface StubResponse {
  readonly status?: number;
  readonly body: unknown;
  readonly delayMs?: number;
}

/** A request the stub received. */
export interface StubRequest {
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: any;
}

export interface OpenAIStub {
  readonly baseURL: string;
  readonly requests: StubRequest[];
  /** Set by tests: the reply to the next chat completion. */
  chat: (request: StubRequest) => StubResponse;
  /** Set by tests: the reply to an embeddings request. */
  embeddings: (request: StubRequest) => StubResponse;
  close(): Promise<void>;
}

/** A chat completion whose message is `content`. */
export function completion(content: string): StubResponse {
  return {
    body: {
      id: "chatcmpl-test",
      object: "chat.completion",
      created: 0,
      model: "stub",
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content } }],
    },
  };
}

/** Deterministic embeddings of the requested size, one per input. */
export function embeddingsFor(request: StubRequest): StubResponse {
  const inputs: string[] = Array.isArray(request.body.input) ? request.body.input : [request.body.input];
  const size: number = request.body.dimensions ?? 8;
  return {
    body: {
      object: "list",
      model: request.body.model,
      data: inputs.map((input, index) => {
        const values = Array.from({ length: size }, (_, i) => Math.sin(i + input.length));
        // The official SDK asks for base64-encoded float32 unless told otherwise.
        const embedding =
          request.body.encoding_format === "base64" ? Buffer.from(new Float32Array(values).buffer).toString("base64") : values;
        return { object: "embedding", index, embedding };
      }),
    },
  };
}

/** Starts the stub on a free loopback port. */
export async function startOpenAIStub(): Promise<OpenAIStub> {
  const requests: StubRequest[] = [];
  const stub: Omit<OpenAIStub, "baseURL" | "close"> = {
    requests,
    chat: () => completion("NO_ANSWER"),
    embeddings: embeddingsFor,
  };
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const request: StubRequest = { path: req.url ?? "", headers: req.headers, body: raw ? JSON.parse(raw) : {} };
      requests.push(request);
      const response = req.url?.endsWith("/embeddings") ? stub.embeddings(request) : stub.chat(request);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(response.status ?? 200, { "content-type": "application/json" });
        res.end(JSON.stringify(response.body));
      };
      if (response.delayMs) setTimeout(send, response.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(stub, {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as OpenAIStub;
}
