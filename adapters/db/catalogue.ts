import type pg from "pg";
import type { Catalogue } from "../../bot/ports.ts";
import { namesOf, placeText, type CatalogueData, type Product, type ProductGroup } from "../../knowledge/catalogue.ts";
import { fold } from "../../knowledge/vietnamese.ts";
import type { Database } from "./database.ts";

const LOAD_NAME = "catalogue";
// How close (pg_trgm word similarity) a typed name must be to a product's names to be offered.
const MIN_SIMILARITY = 0.6;

interface ProductRow {
  id: string;
  producer_id: string;
  producer_name: string;
  producer_name_en: string | null;
  producer_place: string | null;
  producer_place_en: string | null;
  name: string;
  name_en: string;
  aliases: string[];
  product_group: ProductGroup;
  stars: number | null;
  unit: string;
  unit_en: string;
  price_vnd: string;
  price_is_sample: boolean;
  available: boolean;
  source: string;
}

const PRODUCT_COLUMNS = `p.id, p.producer_id, r.name AS producer_name, r.name_en AS producer_name_en, r.place AS producer_place,
  r.place_en AS producer_place_en, p.name, p.name_en, p.aliases, p.product_group,
  p.stars, p.unit, p.unit_en, p.price_vnd, p.price_is_sample, p.available, p.source`;

function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    producerId: row.producer_id,
    producerName: row.producer_name,
    producerNameEn: row.producer_name_en ?? row.producer_name,
    place: { vi: row.producer_place, en: row.producer_place_en },
    name: row.name,
    nameEn: row.name_en,
    aliases: row.aliases,
    group: row.product_group,
    stars: row.stars,
    unit: row.unit,
    unitEn: row.unit_en,
    priceVnd: Number(row.price_vnd),
    priceIsSample: row.price_is_sample,
    available: row.available,
    source: row.source,
  };
}

/**
 * Loads the shipped catalogue files into the database when their content changed since the last
 * load, so an operator's edits in the database stand until the files change. Products dropped from
 * the files are marked unavailable rather than deleted: placed orders still refer to them.
 * Resolves true when it loaded.
 */
export async function loadCatalogue(db: Database, data: CatalogueData): Promise<boolean> {
  return db.transaction(async (client) => {
    // Serialises instances starting at once; the loser then sees the hash already stored.
    await client.query("LOCK TABLE catalogue_loads IN EXCLUSIVE MODE");
    const { rows } = await client.query<{ content_hash: string }>("SELECT content_hash FROM catalogue_loads WHERE name = $1", [LOAD_NAME]);
    if (rows[0]?.content_hash === data.contentHash) return false;
    for (const producer of data.producers) {
      await client.query(
        `INSERT INTO producers (id, name, name_en, place, place_en) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, place = excluded.place, place_en = excluded.place_en`,
        [
          producer.id,
          producer.name,
          producer.name_en,
          placeText(producer.place_new, producer.place_old, "trước đây"),
          placeText(producer.place_new_en, producer.place_old_en, "formerly"),
        ],
      );
    }
    for (const p of data.products) {
      const searchText = fold(namesOf({ name: p.name, nameEn: p.name_en, aliases: p.aliases }).join(" | "));
      await client.query(
        `INSERT INTO products (id, producer_id, name, name_en, aliases, search_text, product_group, stars, unit, unit_en,
           price_vnd, price_is_sample, available, source)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (id) DO UPDATE SET producer_id = excluded.producer_id, name = excluded.name, name_en = excluded.name_en,
           aliases = excluded.aliases, search_text = excluded.search_text, product_group = excluded.product_group,
           stars = excluded.stars, unit = excluded.unit, unit_en = excluded.unit_en, price_vnd = excluded.price_vnd,
           price_is_sample = excluded.price_is_sample, available = excluded.available, source = excluded.source`,
        [p.id, p.producer_id, p.name, p.name_en, p.aliases, searchText, p.group, p.stars, p.unit, p.unit_en, p.price_vnd, p.price_is_sample, p.available, p.source],
      );
    }
    await client.query("UPDATE products SET available = false WHERE NOT (id = ANY($1))", [data.products.map((p) => p.id)]);
    await client.query(
      `INSERT INTO catalogue_loads (name, content_hash) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET content_hash = excluded.content_hash, loaded_at = now()`,
      [LOAD_NAME, data.contentHash],
    );
    return true;
  });
}

/** The catalogue tables of the database. */
export function createCatalogue(db: Database): Catalogue {
  return {
    async products() {
      const { rows } = await db.pool.query<ProductRow>(
        `SELECT ${PRODUCT_COLUMNS} FROM products p JOIN producers r ON r.id = p.producer_id ORDER BY p.stars DESC NULLS LAST, p.name`,
      );
      return rows.map(toProduct);
    },

    async closest(name, limit) {
      const { rows } = await db.pool.query<ProductRow & { score: number }>(
        `SELECT ${PRODUCT_COLUMNS}, word_similarity($1, p.search_text) AS score
         FROM products p JOIN producers r ON r.id = p.producer_id
         WHERE word_similarity($1, p.search_text) >= $2
         ORDER BY score DESC, p.name LIMIT $3`,
        [fold(name), MIN_SIMILARITY, limit],
      );
      return rows.map(toProduct);
    },
  };
}

/** A new product from the console; the search text is derived, as for the shipped catalogue, and its price is real. */
export type NewProduct = Pick<Product, "id" | "producerId" | "name" | "nameEn" | "aliases" | "group" | "stars" | "unit" | "unitEn" | "priceVnd" | "available" | "source">;

/** What the console may change on a product. Setting a price makes it a real one (no longer a sample). */
export interface ProductChange {
  readonly name?: string;
  readonly nameEn?: string;
  readonly unit?: string;
  readonly unitEn?: string;
  readonly priceVnd?: number;
  readonly stars?: number | null;
  readonly available?: boolean;
}

/** Runs inside the change's transaction with the product before and after (the audit log). */
export type ChangeRecorder = (client: pg.PoolClient, before: Product | null, after: Product) => Promise<void>;

/** The outcome of adding a product. */
export type ProductCreation = { readonly kind: "created"; readonly product: Product } | { readonly kind: "exists" } | { readonly kind: "unknown_producer" };

/**
 * Product edits from the console. Every change is one transaction with its audit entry; chat answers
 * and new orders read the table, so a change applies at once. The edits stand until the shipped
 * catalogue files change (see `loadCatalogue`).
 */
export function createCatalogueEditor(db: Database) {
  async function read(client: Pick<pg.PoolClient, "query">, id: string): Promise<Product | undefined> {
    const { rows } = await client.query<ProductRow>(`SELECT ${PRODUCT_COLUMNS} FROM products p JOIN producers r ON r.id = p.producer_id WHERE p.id = $1`, [id]);
    return rows[0] && toProduct(rows[0]);
  }

  return {
    /** Products, all or one producer's, by name. */
    async list(producerId?: string): Promise<Product[]> {
      const { rows } = await db.pool.query<ProductRow>(
        `SELECT ${PRODUCT_COLUMNS} FROM products p JOIN producers r ON r.id = p.producer_id WHERE ($1::text IS NULL OR p.producer_id = $1) ORDER BY p.name`,
        [producerId ?? null],
      );
      return rows.map(toProduct);
    },

    async get(id: string): Promise<Product | undefined> {
      return read(db.pool, id);
    },

    /** The producers products can belong to. */
    async producers(): Promise<{ id: string; name: string }[]> {
      return (await db.pool.query<{ id: string; name: string }>("SELECT id, name FROM producers ORDER BY name")).rows;
    },

    async create(input: NewProduct, record: ChangeRecorder): Promise<ProductCreation> {
      return db.transaction(async (client) => {
        const producer = await client.query("SELECT 1 FROM producers WHERE id = $1", [input.producerId]);
        if (producer.rows.length === 0) return { kind: "unknown_producer" } as const;
        const searchText = fold(namesOf({ name: input.name, nameEn: input.nameEn, aliases: [...input.aliases] }).join(" | "));
        const inserted = await client.query(
          `INSERT INTO products (id, producer_id, name, name_en, aliases, search_text, product_group, stars, unit, unit_en, price_vnd, price_is_sample, available, source)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, false, $12, $13) ON CONFLICT (id) DO NOTHING`,
          [input.id, input.producerId, input.name, input.nameEn, input.aliases, searchText, input.group, input.stars, input.unit, input.unitEn, input.priceVnd, input.available, input.source],
        );
        if (inserted.rowCount === 0) return { kind: "exists" } as const;
        const product = (await read(client, input.id))!;
        await record(client, null, product);
        return { kind: "created", product } as const;
      });
    },

    /** Applies `change` to a product that `producerId` (when given) owns; undefined when there is none. */
    async update(id: string, change: ProductChange, record: ChangeRecorder, producerId?: string): Promise<Product | undefined> {
      return db.transaction(async (client) => {
        const locked = await client.query("SELECT 1 FROM products WHERE id = $1 AND ($2::text IS NULL OR producer_id = $2) FOR UPDATE", [id, producerId ?? null]);
        if (locked.rows.length === 0) return undefined;
        const before = (await read(client, id))!;
        const next = { ...before, ...change };
        const searchText = fold(namesOf({ name: next.name, nameEn: next.nameEn, aliases: [...next.aliases] }).join(" | "));
        await client.query(
          `UPDATE products SET name = $2, name_en = $3, unit = $4, unit_en = $5, price_vnd = $6, stars = $7, available = $8, search_text = $9,
             price_is_sample = price_is_sample AND NOT $10
           WHERE id = $1`,
          [id, next.name, next.nameEn, next.unit, next.unitEn, next.priceVnd, next.stars, next.available, searchText, change.priceVnd !== undefined],
        );
        const after = (await read(client, id))!;
        await record(client, before, after);
        return after;
      });
    },
  };
}

/** Product edits from the console. */
export type CatalogueEditor = ReturnType<typeof createCatalogueEditor>;
