/**
 * Counts and targets as data (knowledge/data/figures.json): OCOP products by province (the merged
 * province, old Bắc Ninh, old Bắc Giang, the country), star level and date, registrations, the targets
 * and budget of the provincial plan — each with its "as of" date, source and confidence.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const FIGURES_FILE = fileURLToPath(new URL("./data/figures.json", import.meta.url));

const localized = z.object({ vi: z.string().min(1), en: z.string().min(1) });

const figureSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  metric: z.string().regex(/^[a-z0-9_]+$/),
  scope: z.enum(["national", "bac-ninh-old", "bac-giang-old", "bac-ninh"]),
  stars: z.number().int().min(1).max(5).nullable(),
  value: z.number(),
  qualifier: z.enum(["exact", "at_least", "more_than", "about"]),
  /** YYYY or YYYY-MM; null where the source gives no date. */
  as_of: z.string().regex(/^\d{4}(-\d{2})?$/).nullable(),
  kind: z.enum(["actual", "target"]),
  /** One sentence stating the figure with its date and scope. */
  text: localized,
  note: localized.nullable(),
  source: z.string().min(1),
  confidence: z.enum(["C2", "S1", "U"]),
  doc_id: z.string(),
});

/** One figure. */
export type Figure = z.infer<typeof figureSchema>;

/** Where a figure applies. */
export type FigureScope = Figure["scope"];

/** Loads and validates the figures table. */
export function loadFigures(path: string = FIGURES_FILE): Figure[] {
  return z.array(figureSchema).parse(JSON.parse(readFileSync(path, "utf8").normalize("NFC")));
}

/** What a question asks for, as the handler reads it from the message. */
export interface FigureQuery {
  readonly scope: FigureScope;
  /** The metric family: "ocop_products", "registered", "producers", "target", "budget", "area_km2"… */
  readonly metric: string;
  readonly stars?: number;
  readonly year?: number;
}

/** How a metric family picks rows: by exact metric names or a prefix. */
const FAMILIES: Record<string, (figure: Figure) => boolean> = {
  ocop_products: (f) => f.kind === "actual" && (f.metric === "ocop_products" || f.metric === "recognised_products"),
  registered: (f) => f.metric.startsWith("registered_products") || f.metric.startsWith("registered_producers"),
  producers: (f) => f.kind === "actual" && (f.metric === "ocop_producers" || f.metric.startsWith("registered_producers")),
  target: (f) => f.kind === "target" && !f.metric.startsWith("budget"),
  budget: (f) => f.metric.startsWith("budget"),
  community_tourism: (f) => f.metric === "community_tourism_products",
  area: (f) => f.metric === "area_km2",
  population: (f) => f.metric === "population",
  communes: (f) => ["commune_level_units", "communes", "wards"].includes(f.metric),
};

/**
 * The figures that answer a query: for a target or budget every row of the plan; otherwise the newest
 * date (or the year asked) of the family, its total and star breakdown, and the newest total if it is
 * more recent still. Uncertain rows are shown only when nothing better exists. Empty when unknown.
 */
export function selectFigures(figures: readonly Figure[], query: FigureQuery): Figure[] {
  const inFamily = figures.filter((f) => f.scope === query.scope && (FAMILIES[query.metric] ?? FAMILIES.ocop_products!)(f));
  const certain = inFamily.filter((f) => f.confidence !== "U");
  let rows = certain.length > 0 ? certain : inFamily;
  if (query.stars !== undefined) {
    const starred = rows.filter((f) => f.stars === query.stars);
    rows = starred.length > 0 ? starred : rows.filter((f) => f.stars === null);
  }
  if (["target", "budget", "area", "population", "communes", "community_tourism"].includes(query.metric)) return rows;
  if (query.year !== undefined) {
    const inYear = rows.filter((f) => f.as_of?.startsWith(String(query.year)));
    const before = rows.filter((f) => f.as_of !== null && Number(f.as_of.slice(0, 4)) <= query.year!);
    rows = inYear.length > 0 ? inYear : before.length > 0 ? before.filter((f) => f.as_of === newest(before)) : [];
    return rows;
  }
  const dated = rows.filter((f) => f.as_of !== null);
  if (dated.length === 0) return rows;
  const latest = newest(dated);
  // The newest date with a star breakdown, and the newest total when it is newer still (Dec 2025 "more than 770").
  const withBreakdown = dated.filter((f) => dated.some((g) => g.as_of === f.as_of && g.stars !== null));
  const breakdownDate = query.stars === undefined && withBreakdown.length > 0 ? newest(withBreakdown) : latest;
  const chosen = dated.filter((f) => f.as_of === breakdownDate);
  const newer = dated.filter((f) => f.as_of === latest && latest !== breakdownDate);
  return [...newer, ...chosen];
}

function newest(figures: readonly Figure[]): string {
  return figures.map((f) => f.as_of!).sort().at(-1)!;
}
