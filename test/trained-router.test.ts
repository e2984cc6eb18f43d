/**
 * The router kept between starts (app/trained-router.ts): a start restores what an earlier one trained
 * instead of training again, the restored router routes exactly as the trained one, and a change to what
 * it is trained from trains it again.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRouterModels } from "../adapters/db/router-models.ts";
import { trainedRouter } from "../app/trained-router.ts";
import { loadConversations } from "../bot/evaluation.ts";
import { loadIntents } from "../bot/understanding/intents.ts";
import { understand } from "../bot/understanding/signals.ts";
import { loadCatalogueData, productsOf } from "../knowledge/catalogue.ts";
import { loadFestivalEvents } from "../knowledge/festivals.ts";
import { loadVillages } from "../knowledge/villages.ts";
import { databaseKinds, migratedDatabase } from "./support/databases.ts";

const lexicon = { products: productsOf(loadCatalogueData()), villages: loadVillages(), festivals: loadFestivalEvents() };
const devSet = join(import.meta.dirname, "eval", "conversations");
const messages = loadConversations(readdirSync(devSet).filter((file) => file.endsWith(".jsonl")).map((file) => join(devSet, file)))
  .flatMap((conversation) => conversation.turns.map((turn) => turn.user));

for (const kind of databaseKinds) {
  describe.skipIf(!kind.available)(`trained router kept between starts (${kind.label})`, () => {
    const database = migratedDatabase(kind);

    it("is trained once, then restored, and the restored router routes every dev-set message exactly as the trained one", async () => {
      const intents = loadIntents();
      const first = await trainedRouter(createRouterModels(database.db), intents, lexicon);
      const second = await trainedRouter(createRouterModels(database.db), intents, lexicon);
      expect([first.restored, second.restored]).toEqual([false, true]);
      const routes = (router: typeof first.router) => messages.map((message) => router.route(understand(message, lexicon)).candidates);
      expect(routes(second.router)).toEqual(routes(first.router));
    });

    it("is trained again when an example or the lexicon changes", async () => {
      const intents = loadIntents();
      const withExample = intents.map((intent) =>
        intent.name === "greeting" ? { ...intent, examples: { ...intent.examples, vi: [...intent.examples.vi, "chào buổi sáng nhé"] } } : intent,
      );
      expect((await trainedRouter(createRouterModels(database.db), withExample, lexicon)).restored).toBe(false);
      expect((await trainedRouter(createRouterModels(database.db), withExample, lexicon)).restored).toBe(true);
      const fewerProducts = { ...lexicon, products: lexicon.products.slice(1) };
      expect((await trainedRouter(createRouterModels(database.db), intents, fewerProducts)).restored).toBe(false);
      // Only the newest few models are kept.
      const { rows } = await database.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM router_models");
      expect(rows[0]!.n).toBeLessThanOrEqual(3);
    });
  });
}
