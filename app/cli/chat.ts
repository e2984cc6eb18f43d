/**
 * `npm run chat`: talk to the assistant in a terminal, or script it with `--jsonl`
 * (one `{"user","text"}` object per line in, one reply object per line out; logs on stderr only).
 */
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { knowledgeOptionsFrom, openAssistant, type Assistant } from "../compose.ts";
import { loadConfig } from "../../adapters/config.ts";
import { chatRequestSchema, describeInvalidRequest, toChatReply, type ChatReply } from "../../adapters/chat-contract.ts";
import { createLogger, type Logger } from "../../adapters/logger.ts";

const USAGE = "usage: npm run chat [-- --jsonl] [--data-dir DIR]";

async function ask(assistant: Assistant, user: string, text: string): Promise<ChatReply> {
  const response = await assistant.receive({
    channel: "cli",
    eventId: randomUUID(),
    userId: user,
    chatId: user,
    text,
    receivedAt: new Date(),
  });
  if (!response) throw new Error("a fresh event id was reported as a duplicate");
  return toChatReply(user, response);
}

/** Answers one JSONL line; never throws, so one bad line cannot end the run. */
async function answerLine(assistant: Assistant, logger: Logger, line: string): Promise<object> {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    return { error: "line is not valid JSON; expected {\"user\": \"…\", \"text\": \"…\"}" };
  }
  const parsed = chatRequestSchema.safeParse(input);
  if (!parsed.success) return { error: describeInvalidRequest(parsed.error) };
  try {
    return await ask(assistant, parsed.data.user, parsed.data.text);
  } catch (error) {
    logger.error({ err: error }, "failed to answer a chat line");
    return { user: parsed.data.user, error: "internal error while answering this line" };
  }
}

async function runJsonl(assistant: Assistant, logger: Logger): Promise<void> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const output = await answerLine(assistant, logger, line);
    if (!process.stdout.write(`${JSON.stringify(output)}\n`)) {
      await new Promise((resolve) => process.stdout.once("drain", resolve));
    }
  }
}

async function runInteractive(assistant: Assistant): Promise<void> {
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  const user = `terminal-${process.pid}`;
  console.log("Trợ lý OCOP Bắc Ninh — gõ câu hỏi (có dấu hay không dấu), số để chọn nút, /quit để thoát.\n");
  terminal.setPrompt("bạn › ");
  terminal.prompt();
  for await (const line of terminal) {
    const typed = line.trim();
    if (typed === "/quit" || typed === "/exit") break;
    // A number picks a button: the engine maps it to the label it stands for.
    const reply = await ask(assistant, user, typed);
    for (const message of reply.replies) {
      console.log(`\nbot › ${message.text}`);
      message.buttons.forEach((label, index) => console.log(`      [${index + 1}] ${label}`));
    }
    console.log();
    terminal.prompt();
  }
  terminal.close();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { jsonl: { type: "boolean", default: false }, "data-dir": { type: "string" } },
    strict: true,
  });
  const config = loadConfig();
  // Quiet by default in a terminal; LOG_LEVEL still wins when set.
  const logger = createLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : "warn", 2);
  const dataDir = values["data-dir"];
  const assistant = await openAssistant({
    database: dataDir ? { dataDir } : { memory: true },
    logger,
    knowledge: knowledgeOptionsFrom(config),
  });
  try {
    await (values.jsonl ? runJsonl(assistant, logger) : runInteractive(assistant));
  } finally {
    await assistant.close();
  }
}

try {
  await main();
} catch (error) {
  const message = (error as Error).message;
  process.stderr.write(`${message}\n${(error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ? USAGE + "\n" : ""}`);
  process.exit(1);
}
