import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import lunar from "@nghiavuive/lunar_date_vi";
import { z } from "zod";
import { itemsNamedIn } from "./aliases.ts";

const FESTIVALS_FILE = fileURLToPath(new URL("./data/festivals.json", import.meta.url));

const entrySchema = z.object({
  id: z.string(),
  name: z.string(),
  name_en: z.string(),
  aliases: z.array(z.string()),
  lunar_month: z.number().int().min(1).max(12),
  lunar_day: z.number().int().min(1).max(30),
  days: z.number().int().min(1),
  main_day_note: z.string().optional(),
  main_day_note_en: z.string().nullable().optional(),
  venue_new: z.string().nullable(),
  venue_old: z.string().nullable(),
  venue_new_en: z.string().nullable(),
  venue_old_en: z.string().nullable(),
  village_id: z.string().nullable(),
  doc_id: z.string(),
  confidence: z.string(),
});

/** One dated festival day (or run of days) from knowledge/data/festivals.json. */
export type FestivalEntry = z.infer<typeof entrySchema>;

/** A festival or market: entries that differ only in their day (the five Đông Hồ market days) form one. */
export interface FestivalEvent {
  readonly key: string;
  readonly entries: readonly FestivalEntry[];
}

/** Where in the year a festival falls, in solar dates. */
export interface Occurrence {
  readonly entry: FestivalEntry;
  readonly start: Date;
  readonly end: Date;
}

/** Loads the festival data and groups it into events. */
export function loadFestivalEvents(path = FESTIVALS_FILE): FestivalEvent[] {
  const entries = z.array(entrySchema).parse(JSON.parse(readFileSync(path, "utf8")));
  const events = new Map<string, FestivalEntry[]>();
  for (const entry of entries) {
    // "cho-tranh-dong-ho-06", "cho-lang-viem-xa-mung-4": the trailing day names a session of one event.
    const key = entry.id.replace(/-(mung-)?\d+$/, "");
    events.set(key, [...(events.get(key) ?? []), entry]);
  }
  return [...events].map(([key, grouped]) => ({ key, entries: grouped }));
}

/**
 * The solar date of a Vietnamese lunar date (Hồ Ngọc Đức's algorithm, UTC+7), as a UTC midnight
 * Date so that formatting never shifts the day.
 */
export function lunarToSolar(day: number, month: number, lunarYear: number): Date {
  const date = new lunar.LunarDate({ day, month, year: lunarYear });
  date.init();
  const solar = date.toSolarDate().get();
  return new Date(Date.UTC(solar.year, solar.month - 1, solar.day));
}

/** The events a question names, by the longest alias it contains (so "hội làng Diềm" beats "làng Diềm"). */
export function findEvents(question: string, events: readonly FestivalEvent[]): FestivalEvent[] {
  return itemsNamedIn(question, events, (event) => event.entries.flatMap((entry) => entry.aliases));
}

/** An event's occurrences whose first day falls in the solar year `year`. */
export function occurrencesInYear(event: FestivalEvent, year: number): Occurrence[] {
  // A festival of the 12th lunar month of one lunar year falls in January or February of the next solar year.
  return [year - 1, year]
    .flatMap((lunarYear) => event.entries.map((entry) => occurrence(entry, lunarYear)))
    .filter((found) => found.start.getUTCFullYear() === year)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}

/**
 * An event's occurrences "this year" as of `today`. A festival's year is its lunar year, so in December this
 * year's print market (12th lunar month) is the one in January, while in January this year's Hội Lim is the one
 * in February: the occurrences of this solar or this lunar year still to come, or else this lunar year's.
 */
export function occurrencesThisYear(event: FestivalEvent, today: Date): Occurrence[] {
  const day = startOfDay(today);
  const year = day.getUTCFullYear();
  const lunarYear = day.getTime() >= lunarToSolar(1, 1, year).getTime() ? year : year - 1;
  const ofLunarYear = event.entries.map((entry) => occurrence(entry, lunarYear)).sort((a, b) => a.start.getTime() - b.start.getTime());
  const seen = new Set<number>();
  const toCome = [...occurrencesInYear(event, year), ...ofLunarYear]
    .filter((o) => o.end.getTime() >= day.getTime() && !seen.has(o.start.getTime()) && seen.add(o.start.getTime()))
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  return toCome.length > 0 ? toCome : ofLunarYear;
}

/** The event's occurrences that start on or after `today`, the soonest lunar year first. */
export function nextOccurrences(event: FestivalEvent, today: Date): Occurrence[] {
  const day = startOfDay(today);
  for (const year of [day.getUTCFullYear(), day.getUTCFullYear() + 1, day.getUTCFullYear() + 2]) {
    const found = occurrencesInYear(event, year).filter((o) => o.end.getTime() >= day.getTime());
    if (found.length > 0) return found;
  }
  return [];
}

/** Every event with a day between `from` and `to` (inclusive), soonest first. */
export function eventsBetween(events: readonly FestivalEvent[], from: Date, to: Date): { event: FestivalEvent; occurrences: Occurrence[] }[] {
  const [start, end] = [startOfDay(from), startOfDay(to)];
  const years = Array.from({ length: end.getUTCFullYear() - start.getUTCFullYear() + 1 }, (_, i) => start.getUTCFullYear() + i);
  return events
    .map((event) => ({
      event,
      occurrences: years
        .flatMap((year) => occurrencesInYear(event, year))
        .filter((o) => o.end.getTime() >= start.getTime() && o.start.getTime() <= end.getTime()),
    }))
    .filter((found) => found.occurrences.length > 0)
    .sort((a, b) => a.occurrences[0]!.start.getTime() - b.occurrences[0]!.start.getTime());
}

function occurrence(entry: FestivalEntry, lunarYear: number): Occurrence {
  const start = lunarToSolar(entry.lunar_day, entry.lunar_month, lunarYear);
  const end = new Date(start.getTime() + (entry.days - 1) * 86_400_000);
  return { entry, start, end };
}

/** Today's date in Việt Nam (UTC+7), as a UTC midnight Date. */
export function startOfDay(moment: Date): Date {
  const local = new Date(moment.getTime() + 7 * 3_600_000);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()));
}

/** An event's texts in one language: its name without the market session, and its venue now and before. */
export function festivalText(event: FestivalEvent, language: "vi" | "en"): { name: string; venueNew: string | null; venueOld: string | null; mainDayNote: string | null } {
  const first = event.entries[0]!;
  return language === "en"
    ? { name: first.name_en.replace(/ – session.*$/, ""), venueNew: first.venue_new_en, venueOld: first.venue_old_en, mainDayNote: first.main_day_note_en ?? null }
    : { name: first.name.replace(/ – phiên.*$/, ""), venueNew: first.venue_new, venueOld: first.venue_old, mainDayNote: first.main_day_note ?? null };
}
