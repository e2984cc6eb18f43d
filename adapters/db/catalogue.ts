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
