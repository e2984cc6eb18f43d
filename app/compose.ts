/**
 * The composition root: opens the database, applies migrations and wires the engine's handlers,
 * stores and channels. Every entry point (the service, the CLIs, tests) builds its assistant here;
 * it is the one place that knows every adapter.
 */
import { createHash } from "node:crypto";
import type OpenAI from "openai";
import type { Config } from "../adapters/config.ts";
import { createConversationStore } from "../adapters/db/conversations.ts";
import { openDatabase, type Database, type DatabaseTarget } from "../adapters/db/database.ts";
import type { Preparation } from "../adapters/db/data-dir-template.ts";
import { createCatalogue, createCatalogueEditor, loadCatalogue } from "../adapters/db/catalogue.ts";
import { createInbox } from "../adapters/db/inbox.ts";
import { createOrderBook, type OrderLimits } from "../adapters/db/order-book.ts";
import { createKnowledgeIndex } from "../adapters/db/knowledge-index.ts";
import { migrate } from "../adapters/db/migrate.ts";
import { createOperatorStore, type SessionTimeouts } from "../adapters/db/operators.ts";
import { createTurnLog } from "../adapters/db/turn-log.ts";
import type { Logger } from "../adapters/logger.ts";
import { createMetrics, metricsObserver, type Metrics } from "../adapters/metrics.ts";
import type { ConsoleServices, DocumentEditor } from "../adapters/http/admin/services.ts";
import { createCorpusDocuments } from "../adapters/db/corpus-documents.ts";
import { collectWebReplies } from "../adapters/db/delivery.ts";
import { createHandoffDesk, type HandoffOptions } from "../adapters/db/handoffs.ts";
import { handoffAware, handoffFeature } from "../bot/handoff.ts";
import { createBroadcasts } from "../adapters/db/broadcasts.ts";
import { subscriptionFeature } from "../bot/features/subscriptions.ts";
import { createDocumentEditor } from "./documents.ts";
import type { HttpService } from "../adapters/http/server.ts";
import { createUserTurns } from "../adapters/db/user-turns.ts";
import { createRouterModels } from "../adapters/db/router-models.ts";
import { trainedRouter } from "./trained-router.ts";
import { OpenAIEmbeddings } from "../adapters/openai/embeddings.ts";
import { GroundedAnswerer } from "../adapters/openai/grounded-answerer.ts";
import { exclusiveOn } from "../adapters/db/exclusive.ts";
import type { ChatWorker } from "../jobs/chat-worker.ts";
import { ExtractiveAnswerer, type QuestionAnswerer } from "../knowledge/answer.ts";
import { loadCatalogueData } from "../knowledge/catalogue.ts";
import { CORPUS_DIR, parseDocument, readCorpusFiles } from "../knowledge/corpus.ts";
import { fold } from "../knowledge/vietnamese.ts";
import { LocalProjectedEmbeddings, type NamedEmbeddings } from "../knowledge/embeddings.ts";
import { loadSupportRules } from "../knowledge/eligibility.ts";
import { loadFestivalEvents } from "../knowledge/festivals.ts";
import { loadFigures } from "../knowledge/figures.ts";
import { loadVillages } from "../knowledge/villages.ts";
import { ingestCorpus, type IngestReport } from "../knowledge/ingest.ts";
import { HybridRetriever } from "../knowledge/retriever.ts";
import { eligibilityDialog } from "../bot/dialogs/eligibility.ts";
import { orderDialog } from "../bot/dialogs/order.ts";
import { catalogueHandlers } from "../bot/features/catalogue.ts";
import { festivalFeature } from "../bot/features/festivals.ts";
import { figureHandlers } from "../bot/features/figures.ts";
import { knowledgeHandler } from "../bot/features/knowledge.ts";
import { orderFeature } from "../bot/features/orders.ts";
import { feedbackFeature } from "../bot/features/feedback.ts";
import { scoreHandlers } from "../bot/features/score.ts";
import { smallTalkHandlers, smallTalkRules } from "../bot/features/smalltalk.ts";
import { villageHandlers } from "../bot/features/villages.ts";
import { createEngine, receiveOnce, type Engine } from "../bot/engine.ts";
import type { Channel, Inbox, ReminderScheduler } from "../bot/ports.ts";
import { observedEngine } from "../bot/turn-log.ts";
import type { Titles } from "../bot/texts/cite.ts";
import type { BotResponse, InboundEvent, Language } from "../bot/types.ts";
import type { Lexicon } from "../bot/understanding/entities.ts";
import { loadIntents, type IntentDeclaration } from "../bot/understanding/intents.ts";
import { addedExampleMatcher, type AddedExample } from "../bot/understanding/added-examples.ts";
import { curatedMatcher } from "../bot/curated.ts";
import { createAddedExamples, createCuratedAnswers } from "../adapters/db/curated-answers.ts";
import type { ChannelSettings } from "../adapters/channel-plugin.ts";
import { channelDirectory, CHANNEL_PLUGINS } from "./channels.ts";

/** A running assistant: the engine over its database, and what the HTTP routes need of it. */
export interface Assistant extends HttpService {
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
  /** Handing conversations to a person: timeouts, the hours and contact users are told, the operators' chat. */
  readonly handoff?: Partial<HandoffOptions> & { readonly hours?: Readonly<Record<Language, string>> };
}

/** Told to a user handed to a person; set HANDOFF_HOURS and HANDOFF_CONTACT for the real ones. */
export const DEFAULT_HANDOFF = {
  waitMinutes: 10,
  idleMinutes: 30,
  hours: { vi: "trong giờ hành chính các ngày làm việc", en: "during office hours on working days" },
  contact: {
    vi: "Sở Công Thương Bắc Ninh, cơ quan quản lý chương trình OCOP của tỉnh, trong giờ hành chính",
    en: "the Bắc Ninh Department of Industry and Trade, which runs the province's OCOP programme, during office hours",
  },
} as const;

/** How often waiting and idle handoffs are looked at. */
const HANDOFF_SWEEP_MS = 30_000;

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

/**
 * The OpenAI-compatible client (loaded only when an API key is configured) and the embedder the options ask
 * for; the benches and `npm run eval` measure with the same embedder the service would use.
 */
export async function openModels(options: KnowledgeOptions): Promise<{ openai?: OpenAI; embedder: NamedEmbeddings }> {
  const openai = options.openai
    ? new (await import("openai")).default({ apiKey: options.openai.apiKey, baseURL: options.openai.baseURL, timeout: options.openai.timeoutMs, maxRetries: 1 })
    : undefined;
  const embedder: NamedEmbeddings =
    options.embeddings === "openai" && openai ? new OpenAIEmbeddings(openai, options.openai!.embeddingModel) : new LocalProjectedEmbeddings();
  return openai ? { openai, embedder } : { embedder };
}

/**
 * Seeds the documents' table from the corpus folder (a console edit stands until its shipped copy
 * changes), ingests what changed, and builds the answerer the options ask for and the console's editor.
 */
async function openKnowledge(
  db: Database,
  options: KnowledgeOptions,
  logger: Logger,
  shipped = readCorpusFiles(options.corpusDir ?? CORPUS_DIR),
): Promise<{ answerer: QuestionAnswerer; report: IngestReport; titles: Titles; names: readonly string[]; documents: DocumentEditor }> {
  const { openai, embedder } = await openModels(options);
  const index = createKnowledgeIndex(db);
  const store = createCorpusDocuments(db);
  const stored = await store.seed(shipped.map(({ markdown, document }) => ({ id: document.id, markdown })));
  // A stored document is mostly the shipped one as it was read: parsed once, not twice.
  const parsed = new Map(shipped.map(({ markdown, document }) => [markdown.normalize("NFC"), document]));
  const corpus = stored.map((document) => parsed.get(document.markdown) ?? parseDocument(document.markdown, document.id));
  // Instances starting together on a new database take turns: the later ones find the documents indexed.
  const report = await exclusiveOn(db)("knowledge ingest", () => ingestCorpus(index, embedder, corpus));
  logger.info(
    { added: report.added.length, updated: report.updated.length, removed: report.removed.length, unchanged: report.unchanged, embedder: embedder.id },
    "knowledge base ready",
  );
  // Both change in place when a document is edited in the console.
  const names = corpus.flatMap((document) => [...document.aliases]);
  const titles = new Map(corpus.map((document) => [document.id, document.title]));
  const retriever = new HybridRetriever({
    index,
    embedder,
    names,
    onVectorError: (error) => logger.warn({ err: { message: (error as Error).message } }, "vector search failed; answering from full text"),
  });
  const answerer = openai
    ? new GroundedAnswerer({ client: openai, model: options.openai!.chatModel, search: retriever, logger, timeoutMs: options.openai!.timeoutMs })
    : new ExtractiveAnswerer(retriever);
  return { answerer, report, titles, names, documents: createDocumentEditor(store, { index, embedder, titles, names }, corpus, logger) };
}

/** Whether a (folded) message names one of the documents' aliases, as whole words. */
function namesDocument(folded: string, names: readonly string[]): boolean {
  const padded = ` ${folded.replace(/[^\p{L}\p{N}]+/gu, " ")} `;
  return names.some((name) => {
    const words = fold(name).replace(/[^\p{L}\p{N}]+/gu, " ").trim();
    return words.length > 2 && padded.includes(` ${words} `);
  });
}

/** The declared intents with the operators' added examples among their own. */
function withAdded(intents: IntentDeclaration[], added: readonly AddedExample[]): IntentDeclaration[] {
  return intents.map((intent) => {
    const extra = added.filter((example) => example.intent === intent.name).map((example) => example.text);
    return extra.length === 0 ? intent : { ...intent, examples: { ...intent.examples, vi: [...intent.examples.vi, ...extra] } };
  });
}

/** The shipped files a start reads: the corpus, the catalogue, the intents and the lexicon's villages and festivals. */
function startupFiles(knowledge: KnowledgeOptions) {
  return {
    corpus: readCorpusFiles(knowledge.corpusDir ?? CORPUS_DIR),
    catalogue: loadCatalogueData(),
    intents: loadIntents(),
    lexicon: lexiconFiles(),
  };
}

/** The villages and festivals messages are read against (the products are the catalogue's, in the database). */
function lexiconFiles(): Omit<Lexicon, "products"> {
  return { villages: loadVillages(), festivals: loadFestivalEvents() };
}

/**
 * The intent router, trained on the declared intents with the sentences operators filed under them (those
 * train it from the next start, and route at once meanwhile), or restored as trained before.
 */
async function openRouter(db: Database, lexicon: Lexicon, intents = loadIntents()): ReturnType<typeof trainedRouter> {
  return trainedRouter(createRouterModels(db), withAdded(intents, await createAddedExamples(db).all()), lexicon);
}

/**
 * What a new embedded database is given before its first start: the corpus ingested, the catalogue
 * loaded and the router trained, as every start does. Its key is a hash of the inputs (the corpus, the
 * catalogue files, the embedder asked for), naming the template a new data directory is copied from
 * (adapters/db/data-dir-template.ts). The router's model has its own key: a template holding a stale
 * one only means that the first start trains again.
 */
function preparation(knowledge: KnowledgeOptions, logger: Logger): Preparation {
  return {
    key() {
      const hash = createHash("sha256").update(JSON.stringify([knowledge.embeddings, knowledge.openai?.embeddingModel ?? null]));
      for (const { markdown } of readCorpusFiles(knowledge.corpusDir ?? CORPUS_DIR)) hash.update(`\0${markdown}`);
      return hash.update(loadCatalogueData().contentHash).digest("hex");
    },
    async prepare(db) {
      await openKnowledge(db, knowledge, logger);
      await loadCatalogue(db, loadCatalogueData());
      await openRouter(db, { products: await createCatalogue(db).products(), ...lexiconFiles() });
    },
  };
}

/** Opens the database, migrates it and builds the assistant. */
export async function openAssistant(options: AssistantOptions): Promise<Assistant> {
  const { logger } = options;
  const knowledgeOptions = options.knowledge ?? { embeddings: "local" };
  const opening = openDatabase(
    options.database,
    (error) => logger.error({ err: error }, "database connection error"),
    preparation(knowledgeOptions, logger.child({}, { level: "silent" })),
  );
  // The files every start parses, read while the embedded database opens in its own thread.
  let files: ReturnType<typeof startupFiles>;
  try {
    files = startupFiles(knowledgeOptions);
  } catch (error) {
    void opening.then((db) => db.close(), () => {});
    throw error;
  }
  const db = await opening;
  const catalogue = createCatalogue(db);
  const { villages, festivals } = files.lexicon;
  const lexicon = async (): Promise<Lexicon> => ({ products: await catalogue.products(), villages, festivals });
  let knowledge: Awaited<ReturnType<typeof openKnowledge>>;
  let opened: Awaited<ReturnType<typeof openRouter>>;
  try {
    const applied = await migrate(db);
    if (applied.length > 0) logger.info({ migrations: applied, database: db.kind }, "database migrated");
    knowledge = await openKnowledge(db, knowledgeOptions, logger, files.corpus);
    if (await loadCatalogue(db, files.catalogue)) logger.info("product catalogue loaded");
    opened = await openRouter(db, await lexicon(), files.intents);
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
      if (!this.worker || !channelDirectory.canPush(chat.channel)) return false;
      await this.worker.remind(chat, at, text, key);
      return true;
    },
  };
  // Order notices wait in the outbox; the chat worker (when a channel is open) delivers them right away.
  const orderBook = createOrderBook(db, channelDirectory, (chats) => reminders.worker?.wake(chats), options.orderLimits);
  const { titles } = knowledge;
  const curatedAnswers = createCuratedAnswers(db);
  const addedExamples = createAddedExamples(db);
  const { router, restored } = opened;
  logger.info({ restored }, restored ? "intent router restored" : "intent router trained");
  const orders = orderFeature(orderBook, channelDirectory);
  const turns = createTurnLog(db);
  const handoffSettings = { ...DEFAULT_HANDOFF, ...options.handoff };
  const desk = createHandoffDesk(db, channelDirectory, handoffSettings, (chats) => reminders.worker?.wake(chats));
  const handoff = handoffFeature(desk, handoffSettings);
  const broadcasts = createBroadcasts(db, (chats) => reminders.worker?.wake(chats));
  const subscriptions = subscriptionFeature(broadcasts, channelDirectory);
  const feedback = feedbackFeature(turns);
  const ordering = orderDialog(catalogue, orderBook, channelDirectory);
  const festivalsFeature = festivalFeature(festivals, titles, reminders);
  const eligibility = eligibilityDialog(loadSupportRules(), titles);
  // The rules of a resolution answer "NQ 14 hỗ trợ hợp tác xã những gì?" better than its prose.
  const answerQuestion = knowledgeHandler(knowledge.answerer, [
    (turn) => {
      const step = eligibility.fromRules(turn);
      return step && { replies: step.replies, intent: step.intent, ...(step.sources ? { sources: step.sources } : {}) };
    },
  ]);
  const core = createEngine({
    conversations: createConversationStore(db),
    router,
    lexicon,
    rules: [...smallTalkRules, ...orders.rules, ...feedback.rules, ...handoff.rules, ...subscriptions.rules],
    handlers: {
      ...smallTalkHandlers,
      ...catalogueHandlers(catalogue, titles),
      ...orders.handlers,
      ...scoreHandlers(titles),
      ...figureHandlers(loadFigures(), titles),
      ...villageHandlers(villages, titles),
      ...festivalsFeature.handlers,
      ...handoff.handlers,
      "knowledge.answer": answerQuestion,
      // A message naming a knowledge document (its aliases, those of documents added in the console too)
      // is asked of the knowledge base even when the router finds it outside the domain.
      "fallback.out_of_scope": (turn) => (namesDocument(turn.signals.folded, knowledge.names) ? answerQuestion(turn) : smallTalkHandlers["fallback.out_of_scope"]!(turn)),
    },
    dialogs: [ordering.dialog, eligibility],
    effects: { ...ordering.effects, ...orders.effects, ...festivalsFeature.effects, ...feedback.effects, ...handoff.effects, ...subscriptions.effects },
    fallback: answerQuestion,
    curated: curatedMatcher(curatedAnswers),
    addedExamples: addedExampleMatcher(addedExamples),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  // One answering pipeline, whether a message comes by HTTP, a channel or the command line.
  const engine = observedEngine(handoffAware(core, desk), [turns, metricsObserver(metrics)], (error) =>
    logger.warn({ err: { message: (error as Error).message } }, "recording a turn failed"),
  );

  // Hands back what waited too long for an operator, or what an operator left idle; queues broadcasts that are due.
  const sweeper = setInterval(() => {
    desk.sweep().catch((error) => logger.error({ err: { message: (error as Error).message } }, "handoff sweep failed"));
    broadcasts.dispatchDue().catch((error) => logger.error({ err: { message: (error as Error).message } }, "broadcast dispatch failed"));
  }, HANDOFF_SWEEP_MS);
  sweeper.unref();

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
      curated: curatedAnswers,
      examples: addedExamples,
      documents: knowledge.documents,
      handoffs: desk,
      broadcasts,
      intents: () => router.intents().map((intent) => ({ name: intent.name, label: intent.label })),
    },
    async receive(event) {
      const response = await receiveOnce(inbox, engine, event);
      (response ? metrics.inboundEvents : metrics.duplicateEvents).inc({ channel: event.channel });
      return response;
    },
    async health() {
      try {
        await db.pool.query("SELECT 1");
        return { ok: true, database: db.kind };
      } catch {
        return { ok: false, database: db.kind };
      }
    },
    userTurns: (maxQueued) => createUserTurns(db, maxQueued),
    collectReplies: (user) => collectWebReplies(db, user),
    async close() {
      clearInterval(sweeper);
      await db.close();
    },
  };
}

/** The messaging channels in use and the worker that answers them. */
export interface Channels {
  /** The channels in use that receive updates by webhook, for the HTTP server's routes. */
  readonly webhooks: readonly Channel[];
  /** Registers webhooks or starts polling; a channel that cannot start yet is retried in the background. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The configuration the channels read: each channel its own entries. */
export type ChannelConfig = ChannelSettings;

const CHANNEL_RETRY_MS = 30_000;

/**
 * Creates the channels of the registry that the configuration turns on (each with its token) and the
 * chat worker behind them; undefined when none is on. With PUBLIC_URL they use webhooks, otherwise
 * polling where the channel can.
 */
export async function openChannels(
  assistant: Assistant,
  config: ChannelConfig,
  logger: Logger,
  workerOptions: { retryDelaySeconds?: number; sweepIntervalMs?: number } = {},
): Promise<Channels | undefined> {
  const plugins = CHANNEL_PLUGINS.filter((plugin) => plugin.enabled(config));
  if (plugins.length === 0) return undefined;
  let worker: ChatWorker | undefined;
  const onEvent = (event: InboundEvent) => worker!.accept(event);
  const exclusive = exclusiveOn(assistant.db);
  const channels = await Promise.all(
    plugins.map((plugin) =>
      plugin.create(config, {
        logger: logger.child({ channel: plugin.name }),
        onEvent,
        exclusive,
        ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}),
      }),
    ),
  );
  // The job queue (pg-boss) is loaded only by a service with a channel to answer.
  const { startChatWorker } = await import("../jobs/chat-worker.ts");
  worker = assistant.reminders.worker = await startChatWorker({
    db: assistant.db,
    engine: assistant.engine,
    inbox: assistant.inbox,
    senders: channels.map((channel) => channel.sender),
    logger,
    metrics: assistant.metrics,
    onUnreachable: (chat, broadcasts) => assistant.console.broadcasts.unreachable(chat, broadcasts),
    ...workerOptions,
  });

  const timers = new Set<NodeJS.Timeout>();
  const startWithRetry = async (channel: Channel): Promise<void> => {
    try {
      await channel.start();
    } catch (error) {
      logger.error({ channel: channel.name, err: { message: (error as Error).message } }, "channel failed to start; retrying");
      const timer = setTimeout(() => {
        timers.delete(timer);
        void startWithRetry(channel);
      }, CHANNEL_RETRY_MS);
      timers.add(timer);
    }
  };

  return {
    webhooks: channels.filter((channel) => channel.webhook !== undefined),
    async start() {
      await Promise.all(channels.map(startWithRetry));
    },
    async stop() {
      assistant.reminders.worker = undefined;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(channels.map((channel) => channel.stop()));
      await worker!.stop();
    },
  };
}
