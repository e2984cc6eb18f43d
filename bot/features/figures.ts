/**
 * Figures from the table, never from prose: how many OCOP products (or producers, registrations) a
 * province or the country has, by star level and date, and the plan's targets and budget. Each figure
 * is stated with its date, its caveat and its document; an unknown is said to be unknown.
 */
import type { Figure, FigureQuery, FigureScope } from "../../knowledge/figures.ts";
import { selectFigures } from "../../knowledge/figures.ts";
import { sourcesOf, withCitation, type Titles } from "../texts/cite.ts";
import { figureTexts } from "../texts/figures.ts";
import type { IntentHandler, Turn } from "../turn.ts";
import { firstOf, yearAsked } from "../understanding/entities.ts";

// Read from the folded words of the question (English plurals made singular); the first family that matches is asked for.
const FAMILY_WORDS: readonly [string, RegExp][] = [
  ["budget", /\b(kinh phi|ngan sach|budget|funding|von|bao nhieu tien|bao nhieu ty)\b/],
  ["target", /\b(muc tieu|chi tieu|target|targets|goal|goals|ke hoach|phan dau|aim)\b/],
  ["registered", /\b(dang ky|register|registered|registration|tham gia danh gia|entered|submitted)\b/],
  ["community_tourism", /\b(du lich cong dong|community tourism)\b/],
  ["producers", /\b(chu the|producer|co so san xuat)\b/],
  ["area", /\b(dien tich|area|km2|square)\b/],
  ["population", /\b(dan so|population|bao nhieu dan|inhabitant|people live)\b/],
  ["communes", /\b(don vi hanh chinh|xa phuong|bao nhieu xa|bao nhieu phuong|commune|ward)\b/],
];

/** The figures handler, by the `serve` name of intents.yaml. */
export function figureHandlers(figures: readonly Figure[], titles: Titles): Record<string, IntentHandler> {
  return {
    "figures.answer": (turn) => {
      const t = figureTexts[turn.language];
      const query = queryOf(turn);
      if (query.figure.scope === "bac-giang-old") return { replies: [{ text: t.bacGiangUnknown }], intent: "figures_unknown" };
      // A question that asks for no number ("biggest e-commerce platform in Vietnam?") is not the table's.
      if (!query.named && turn.signals.questionType !== "count" && turn.signals.questionType !== "amount") return undefined;
      const rows = selectFigures(figures, query.figure);
      // No row: the knowledge base may still state it in prose; it says "don't know" if not.
      if (rows.length === 0) return undefined;
      const lines = rows.map((row) => `• ${row.text[turn.language]}${row.note ? ` ${t.notePrefix}${row.note[turn.language]}` : ""}`);
      const sources = sourcesOf(rows.map((row) => row.doc_id), titles, turn.language);
      return { replies: [{ text: withCitation(lines.join("\n"), sources, turn.language) }], intent: "figures", sources };
    },
  };
}

/** The scope, family, stars and year a question asks for, and whether it names the family. */
function queryOf(turn: Turn): { figure: FigureQuery; named: boolean } {
  const { entities } = turn.signals;
  const words = ` ${turn.signals.words.join(" ")} `;
  const year = yearAsked(entities, turn.now);
  const stars = firstOf(entities, "stars")?.value;
  const instrument = firstOf(entities, "instrument");
  // National decisions (919, 148…) set national targets; Plan 246 set the old province's.
  const named = firstOf(entities, "province")?.value ?? (instrument?.kind === "decision" ? "national" : instrument?.kind === "plan" ? "bac-ninh-old" : undefined);
  // A year before the merger (1/7/2025) can only be about the old province.
  const scope: FigureScope = named === "national" || named === "bac-giang-old" || named === "bac-ninh-old" ? named : year !== undefined && year < 2025 ? "bac-ninh-old" : "bac-ninh";
  // "How much of that went to …" about a plan: the table's only sums of money are the plan's budget.
  const found = FAMILY_WORDS.find(([, pattern]) => pattern.test(words))?.[0] ?? (turn.signals.questionType === "amount" && instrument?.kind === "plan" ? "budget" : undefined);
  const family = found ?? "ocop_products";
  // The plan's targets and budget were set for the old province, also when "Bắc Ninh's Plan 246" names the province.
  const plan = (family === "target" || family === "budget") && scope === "bac-ninh" && (named === undefined || instrument?.kind === "plan");
  const planScope = plan ? "bac-ninh-old" : scope;
  const figure = { scope: planScope, metric: family, ...(stars !== undefined ? { stars } : {}), ...(year !== undefined && family !== "target" ? { year } : {}) };
  return { figure, named: found !== undefined };
}
