/** The one way an answer names its sources. */
import type { Language, SourceRef } from "../types.ts";

/** Document titles by id, in both languages (from the corpus's front matter). */
export type Titles = ReadonlyMap<string, { readonly vi: string; readonly en: string }>;

/** The documents `ids` as sources, titled in `language`. */
export function sourcesOf(ids: readonly string[], titles: Titles, language: Language): SourceRef[] {
  return [...new Set(ids)].map((id) => ({ id, title: titles.get(id)?.[language] ?? id }));
}

const LABEL: Record<Language, { one: string; many: string }> = {
  vi: { one: "Nguồn", many: "Nguồn" },
  en: { one: "Source", many: "Sources" },
};

/** "Nguồn: A; B" / "Sources: A; B", with an optional note after the titles (";" joined). */
export function citation(sources: readonly SourceRef[], language: Language, note?: string): string {
  const label = LABEL[language][sources.length > 1 ? "many" : "one"];
  const titles = sources.map((source) => source.title);
  return `${label}: ${[...titles, ...(note ? [note] : [])].join("; ")}`;
}

/** An answer's body followed by its citation. */
export function withCitation(body: string, sources: readonly SourceRef[], language: Language, note?: string): string {
  return sources.length > 0 || note ? `${body}\n\n${citation(sources, language, note)}` : body;
}
