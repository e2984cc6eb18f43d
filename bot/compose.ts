/**
 * The composition root: opens the database, applies migrations and wires the engine's handlers
 * and stores. Every entry point (the service, the chat tool, tests) builds its assistant here.
 */
import OpenAI from "openai";
import type { Config } from "../adapters/config.ts";
import { createConversationStore } from "../adapters/db/conversations.ts";
import { openDatabase, type Database, type DatabaseTarget } from "../adapters/db/database.ts";
import { createCatalogue, createCatalogueEditor, loadCatalogue, type CatalogueEditor } from "../adapters/db/catalogue.ts";
import { createInbox } from "../adapters/db/inbox.ts";
import { createOrderBook, type OrderLimits } from "../adapters/db/order-book.ts";
import { createKnowledgeIndex } from "../adapters/db/knowledge-index.ts";
import type { WebhookChannels } from "../adapters/http/webhook-routes.ts";
import { migrate } from "../adapters/db/migrate.ts";
import { createOperatorStore, type OperatorStore, type SessionTimeouts } from "../adapters/db/operators.ts";
import { createTurnLog, type TurnLogStore } from "../adapters/db/turn-log.ts";
import type { Logger } from "../adapters/logger.ts";
import { createMetrics, type Metrics } from "../adapters/metrics.ts";
import { OpenAIEmbeddings } from "../adapters/openai/embeddings.ts";
import { GroundedAnswerer } from "../adapters/openai/grounded-answerer.ts";
import { createTelegramChannel, type TelegramChannel } from "../adapters/telegram/channel.ts";
import { createZaloChannel, type ZaloChannel } from "../adapters/zalo/channel.ts";
import { startChatWorker, type ChatWorker } from "../jobs/chat-worker.ts";
import { ExtractiveAnswerer, type QuestionAnswerer } from "../knowledge/answer.ts";
import { loadCatalogueData } from "../knowledge/catalogue.ts";
import { CORPUS_DIR, loadCorpus } from "../knowledge/corpus.ts";
import { LocalHashEmbeddings, type NamedEmbeddings } from "../knowledge/embeddings.ts";
import { loadSupportRules } from "../knowledge/eligibility.ts";
import { loadFestivalEvents } from "../knowledge/festivals.ts";
import { loadFigures } from "../knowledge/figures.ts";
import { loadVillages } from "../knowledge/villages.ts";
import { ingestCorpus, type IngestReport } from "../knowledge/ingest.ts";
import { HybridRetriever } from "../knowledge/retriever.ts";
import { eligibilityDialog } from "./dialogs/eligibility.ts";
import { orderDialog } from "./dialogs/order.ts";
import { catalogueHandlers } from "./features/catalogue.ts";
import { festivalFeature } from "./features/festivals.ts";
import { figureHandlers } from "./features/figures.ts";
import { knowledgeHandler } from "./features/knowledge.ts";
import { orderFeature } from "./features/orders.ts";
import { scoreHandlers } from "./features/score.ts";
import { smallTalkHandlers, smallTalkRules } from "./features/smalltalk.ts";
import { villageHandlers } from "./features/villages.ts";
import { createEngine, receiveOnce, type Engine } from "./engine.ts";
import type { Inbox, OrderBook, ReminderScheduler } from "./ports.ts";
import { loggingTurns } from "./turn-log.ts";
import type { Titles } from "./texts/cite.ts";
import { canPush, type BotResponse, type InboundEvent } from "./types.ts";
import type { Lexicon } from "./understanding/entities.ts";
import { loadIntents } from "./understanding/intents.ts";
import { Router } from "./understanding/router.ts";

/** A running assistant: the engine over its database. */
export interface Assistant {
  readonly db: Database;
  readonly engine: Engine;
  readonly inbox: Inbox;
  readonly metrics: Metrics;
  /** What ingesting the corpus changed at start-up. */
  readonly ingest: IngestReport;
  /** Festival reminders; they can be scheduled once the chat worker is attached by `openChannels`. */
  readonly reminders: ReminderScheduler & { worker: ChatWorker | undefined };
  /** What the operator console reads and changes. */
  readonly console: ConsoleServices;
  /** Records the event once and answers it; undefined for a duplicate delivery. */
  receive(event: InboundEvent): Promise<BotResponse | undefined>;
  close(): Promise<void>;
}

/** The stores behind the operator console. */
export interface ConsoleServices {
  readonly operators: OperatorStore;
  readonly orders: OrderBook;
  readonly catalogue: CatalogueEditor;
  readonly turns: TurnLogStore;
}

/** How questions are answered: offline by default, with an OpenAI-compatible API when configured. */
export interface KnowledgeOptions {
  readonly embeddings: "local" | "openai";
  readonly openai?: {
    readonly apiKey: string;
    readonly baseURL?: string;
    readonly chatModel: string;
    readonly embeddingModel: string;
    readonly timeoutMs: number;
  };
  /** The corpus folder (the shipped one by default). */
  readonly corpusDir?: string;
}

/** Options for `openAssistant`. */
export interface AssistantOptions {
  readonly database: DatabaseTarget;
  readonly logger: Logger;
  readonly knowledge?: KnowledgeOptions;
  readonly metrics?: Metrics;
  readonly clock?: () => Date;
  /** Orders per buyer and per client address a day on the public web chat. */
  readonly orderLimits?: OrderLimits;
  /** How long an operator's console session lasts idle, and at most. */
  readonly sessionTimeouts?: SessionTimeouts;
}

/** The knowledge options a configuration asks for. */
export function knowledgeOptionsFrom(config: Config): KnowledgeOptions {
  return {
    embeddings: config.EMBEDDINGS,
    ...(config.OPENAI_API_KEY
      ? {
          openai: {
            apiKey: config.OPENAI_API_KEY,
            ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
            chatModel: config.OPENAI_CHAT_MODEL,
            embeddingModel: config.OPENAI_EMBEDDING_MODEL,
            timeoutMs: config.OPENAI_TIMEOUT_MS,
          },
        }
      : {}),
  };
}

/** Ingests the corpus (only what changed) and builds the answerer the options ask for. */
async function openKnowledge(
  db: Database,
  options: KnowledgeOptions,
  logger: Logger,
): Promise<{ answerer: QuestionAnswerer; report: IngestReport; titles: Titles }> {
  const openai = options.openai
    ? new OpenAI({ apiKey: options.openai.apiKey, baseURL: options.openai.baseURL, timeout: options.openai.timeoutMs, maxRetries: 1 })
    : undefined;
  const embedder: NamedEmbeddings =
    options.embeddings === "openai" && openai ? new OpenAIEmbeddings(openai, options.openai!.embeddingModel) : new LocalHashEmbeddings();
  const index = createKnowledgeIndex(db);
  const corpus = loadCorpus(options.corpusDir ?? CORPUS_DIR);
  const report = await ingestCorpus(index, embedder, corpus);
  logger.info(
    { added: report.added.length, updated: report.updated.length, removed: report.removed.length, unchanged: report.unchanged, embedder: embedder.id },
    "knowledge base ready",
  );
  const retriever = new HybridRetriever({
    index,
    embedder,
    names: corpus.flatMap((document) => document.aliases),
    onVectorError: (error) => logger.warn({ err: { message: (error as Error).message } }, "vector search failed; answering from full text"),
  });
  const answerer = openai
    ? new GroundedAnswerer({ client: openai, model: options.openai!.chatModel, search: retriever, logger, timeoutMs: options.openai!.timeoutMs })
    : new ExtractiveAnswerer(retriever);
  return { answerer, report, titles: new Map(corpus.map((document) => [document.id, document.title])) };
}

/** Opens the database, migrates it and builds the assistant. */
export async function openAssistant(options: AssistantOptions): Promise<Assistant> {
  const { logger } = options;
  const db = await openDatabase(options.database, (error) => logger.error({ err: error }, "database connection error"));
  let knowledge: Awaited<ReturnType<typeof openKnowledge>>;
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info({ migrations: applied, database: db.kind }, "database migrated");
    knowledge = await openKnowledge(db, options.knowledge ?? { embeddings: "local" }, logger);
    if (await loadCatalogue(db, loadCatalogueData())) logger.info("product catalogue loaded");
  } catch (error) {
    await db.close();
    throw error;
  }
  const metrics = options.metrics ?? createMetrics();
  const inbox = createInbox(db);
  // Reminders go out through the chat worker, which exists only once a push channel is opened.
  const reminders: Assistant["reminders"] = {
    worker: undefined,
    async schedule(chat, at, text, key) {
      if (!this.worker || !canPush(chat.channel)) return false;
      await this.worker.remind(chat, at, text, key);
      return true;
    },
  };
  const catalogue = createCatalogue(db);
  // Order notices wait in the outbox; the chat worker (when a channel is open) delivers them right away.
  const orderBook = createOrderBook(db, (chats) => reminders.worker?.wake(chats), options.orderLimits);
  const { titles } = knowledge;
  const villages = loadVillages();
  const festivals = loadFestivalEvents();
  const lexicon = async (): Promise<Lexicon> => ({ products: await catalogue.products(), villages, festivals });
  const router = Router.train(loadIntents(), await lexicon());
  const orders = orderFeature(orderBook);
  const ordering = orderDialog(catalogue, orderBook);
  const festivalsFeature = festivalFeature(festivals, titles, reminders);
  const eligibility = eligibilityDialog(loadSupportRules(), titles);
  // The rules of a resolution answer "NQ 14 hỗ trợ hợp tác xã những gì?" better than its prose.
  const answerQuestion = knowledgeHandler(knowledge.answerer, [
    (turn) => {
      const step = eligibility.fromRules(turn);
      return step && { replies: step.replies, intent: step.intent, ...(step.sources ? { sources: step.sources } : {}) };
    },
  ]);
  const turns = createTurnLog(db);
  const core = createEngine({
    conversations: createConversationStore(db),
    router,
    lexicon,
    rules: [...smallTalkRules, ...orders.rules],
    handlers: {
      ...smallTalkHandlers,
      ...catalogueHandlers(catalogue, titles),
      ...orders.handlers,
      ...scoreHandlers(titles),
      ...figureHandlers(loadFigures(), titles),
      ...villageHandlers(villages, titles),
      ...festivalsFeature.handlers,
      "knowledge.answer": answerQuestion,
    },
    dialogs: [ordering.dialog, eligibility],
    effects: { ...ordering.effects, ...orders.effects, ...festivalsFeature.effects },
    fallback: answerQuestion,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const engine = loggingTurns(core, turns, (error) => logger.warn({ err: { message: (error as Error).message } }, "recording a turn failed"));

  return {
    db,
    engine,
    inbox,
    metrics,
    ingest: knowledge.report,
    reminders,
    console: {
      operators: createOperatorStore(db, options.sessionTimeouts),
      orders: orderBook,
      catalogue: createCatalogueEditor(db),
      turns,
    },
    async receive(event) {
      const stopTimer = metrics.responseSeconds.startTimer({ channel: event.channel });
      const response = await receiveOnce(inbox, engine, event);
      stopTimer();
      if (!response) {
        metrics.duplicateEvents.inc({ channel: event.channel });
        return undefined;
      }
      metrics.inboundEvents.inc({ channel: event.channel });
      metrics.responses.inc({ channel: event.channel, intent: response.intent });
      return response;
    },
    close: () => db.close(),
  };
}

/** The messaging channels in use and the worker that answers them. */
export interface Channels {
  /** Channels that receive updates by webhook, for the HTTP server's routes. */
  readonly webhooks: WebhookChannels;
  /** Registers webhooks or starts polling; a channel that cannot start yet is retried in the background. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Channel settings taken from the configuration. */
export type ChannelConfig = Pick<
  Config,
  | "PUBLIC_URL"
  | "TELEGRAM_BOT_TOKEN"
  | "TELEGRAM_WEBHOOK_SECRET"
  | "TELEGRAM_API_ROOT"
  | "ZALO_BOT_TOKEN"
  | "ZALO_WEBHOOK_SECRET"
  | "ZALO_API_BASE"
>;

const CHANNEL_RETRY_MS = 30_000;

/**
 * Creates Telegram and Zalo (each only with a token) and the chat worker behind them; undefined when
 * no channel is configured. With PUBLIC_URL they use webhooks, otherwise long polling.
 */
export async function openChannels(
  assistant: Assistant,
  config: ChannelConfig,
  logger: Logger,
  workerOptions: { retryDelaySeconds?: number; sweepIntervalMs?: number } = {},
): Promise<Channels | undefined> {
  if (!config.TELEGRAM_BOT_TOKEN && !config.ZALO_BOT_TOKEN) return undefined;
  let worker: ChatWorker | undefined;
  const onEvent = (event: InboundEvent) => worker!.accept(event);
  const telegram: TelegramChannel | undefined = config.TELEGRAM_BOT_TOKEN
    ? createTelegramChannel({
        token: config.TELEGRAM_BOT_TOKEN,
        apiRoot: config.TELEGRAM_API_ROOT,
        logger: logger.child({ channel: "telegram" }),
        onEvent,
        ...(config.PUBLIC_URL ? { webhook: { publicUrl: config.PUBLIC_URL, secret: config.TELEGRAM_WEBHOOK_SECRET! } } : {}),
      })
    : undefined;
  const zalo: ZaloChannel | undefined = config.ZALO_BOT_TOKEN
    ? createZaloChannel({
        token: config.ZALO_BOT_TOKEN,
        apiBase: config.ZALO_API_BASE,
        logger: logger.child({ channel: "zalo" }),
        onEvent,
        ...(config.PUBLIC_URL ? { webhook: { publicUrl: config.PUBLIC_URL, secret: config.ZALO_WEBHOOK_SECRET! } } : {}),
      })
    : undefined;
  const channels = [telegram, zalo].filter((channel) => channel !== undefined);
  worker = assistant.reminders.worker = await startChatWorker({
    db: assistant.db,
    engine: assistant.engine,
    inbox: assistant.inbox,
    senders: channels.map((channel) => channel.sender),
    logger,
    metrics: assistant.metrics,
    ...workerOptions,
  });

  const timers = new Set<NodeJS.Timeout>();
  const startWithRetry = async (name: string, channel: { start(): Promise<void> }): Promise<void> => {
    try {
      await channel.start();
    } catch (error) {
      logger.error({ channel: name, err: { message: (error as Error).message } }, "channel failed to start; retrying");
      const timer = setTimeout(() => {
        timers.delete(timer);
        void startWithRetry(name, channel);
      }, CHANNEL_RETRY_MS);
      timers.add(timer);
    }
  };

  return {
    webhooks: config.PUBLIC_URL ? { ...(telegram ? { telegram } : {}), ...(zalo ? { zalo } : {}) } : {},
    async start() {
      await Promise.all([
        ...(telegram ? [startWithRetry("telegram", telegram)] : []),
        ...(zalo ? [startWithRetry("zalo", zalo)] : []),
      ]);
    },
    async stop() {
      assistant.reminders.worker = undefined;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(channels.map((channel) => channel.stop()));
      await worker!.stop();
    },
  };
}
