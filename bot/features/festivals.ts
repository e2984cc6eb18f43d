/**
 * Festival and market dates: lunar dates converted to solar dates for the year asked (or the next
 * occurrence), what is coming up relative to today, and a reminder the day before (a side effect,
 * scheduled once the turn is saved). Cites the festival's document.
 */
import { eventsBetween, festivalText, nextOccurrences, occurrencesInYear, occurrencesThisYear, startOfDay, type FestivalEvent, type Occurrence } from "../../knowledge/festivals.ts";
import { villageText } from "../../knowledge/villages.ts";
import type { ReminderScheduler } from "../ports.ts";
import { asksAboutMoney } from "../../knowledge/vietnamese.ts";
import { sourcesOf, withCitation, type Titles } from "../texts/cite.ts";
import { festivalTexts } from "../texts/festivals.ts";
import { formats } from "../texts/format.ts";
import type { EffectRunner, IntentHandler, Turn, TurnResult } from "../turn.ts";
import type { ChannelName, Language } from "../types.ts";
import { allOf, firstOf, yearAsked } from "../understanding/entities.ts";

const UPCOMING_WINDOW_DAYS = 60;
const OFF_THE_CARD: ReadonlySet<string> = new Set(["amount", "why", "how", "who"]);
const DAY_MS = 86_400_000;

/** What a reminder effect needs: where, when, and what to say. */
interface ReminderPayload {
  readonly chat: { readonly channel: ChannelName; readonly chatId: string };
  readonly at: string;
  readonly text: string;
  readonly name: string;
  readonly when: string;
  readonly docId: string;
}

/** The festival handlers, by the `serve` names of intents.yaml, and the reminder effect. */
export function festivalFeature(events: readonly FestivalEvent[], titles: Titles, reminders: ReminderScheduler): { handlers: Record<string, IntentHandler>; effects: Record<string, EffectRunner> } {
  const answer = (turn: Turn, lines: readonly string[], shown: readonly FestivalEvent[], intent: string): TurnResult => {
    const sources = sourcesOf(shown.map((event) => event.entries[0]!.doc_id), titles, turn.language);
    const body = `${lines.join("\n")}\n${festivalTexts[turn.language].solarNote}`;
    return { replies: [{ text: withCitation(body, sources, turn.language) }], intent, sources };
  };

  /** The events a message names, directly or through their village ("làng Diềm" → its festivals). */
  const named = (turn: Turn): FestivalEvent[] => {
    const direct = allOf(turn.signals.entities, "festival").map((entity) => entity.festival);
    if (direct.length > 0) return [...new Set(direct)];
    const villages = new Set(allOf(turn.signals.entities, "village").map((entity) => entity.village.id));
    return events.filter((event) => event.entries.some((entry) => entry.village_id !== null && villages.has(entry.village_id)));
  };

  const handlers: Record<string, IntentHandler> = {
    "festivals.date": (turn) => {
      // The card holds dates and the venue: a fee, a reason, a procedure or an organiser is the documents' to answer.
      if (OFF_THE_CARD.has(turn.signals.questionType) || asksAboutMoney(turn.signals.words)) return undefined;
      const found = named(turn);
      if (found.length === 0) {
        // A village with no festival in our data: say so, and whom to ask, rather than guess.
        const village = firstOf(turn.signals.entities, "village")?.village;
        if (village) {
          const { name, contact } = villageText(village, turn.language);
          return { replies: [{ text: festivalTexts[turn.language].villageUnknown(name, contact) }], intent: "festival_unknown" };
        }
        return { replies: [{ text: festivalTexts[turn.language].whichFestival }], intent: "festival_which", followable: false };
      }
      const thisYear = firstOf(turn.signals.entities, "year")?.value === "this";
      const year = thisYear ? undefined : yearAsked(turn.signals.entities, turn.now);
      const occurrencesOf = (event: FestivalEvent) =>
        thisYear ? occurrencesThisYear(event, turn.now) : year !== undefined ? occurrencesInYear(event, year) : nextOccurrences(event, turn.now);
      const lines = found.map((event) => describe(event, occurrencesOf(event), turn.language, year));
      return answer(turn, lines, found, "festival_date");
    },
    "festivals.upcoming": (turn) => {
      const t = festivalTexts[turn.language];
      const today = startOfDay(turn.now);
      const month = firstOf(turn.signals.entities, "month")?.value;
      const year = yearAsked(turn.signals.entities, turn.now);
      const thisMonth = month === "this";
      // A month named by number or name ("tháng 2", "February 2027"): that month of the year asked, or its next one.
      const named = typeof month === "number" ? monthRange(month, year, today) : undefined;
      const from = named?.from ?? (month === "next" ? new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1)) : today);
      const to =
        named?.to ??
        (month === "next"
          ? new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 2, 0))
          : thisMonth
            ? new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 0))
            : new Date(today.getTime() + UPCOMING_WINDOW_DAYS * DAY_MS));
      const soon = eventsBetween(events, from, to);
      if (soon.length === 0) {
        const next = eventsBetween(events, to, new Date(to.getTime() + 366 * DAY_MS))[0]!;
        const period = named ? { kind: "month" as const, month: month as number, year: from.getUTCFullYear() } : thisMonth ? { kind: "this_month" as const } : { kind: "days" as const, days: UPCOMING_WINDOW_DAYS };
        return answer(turn, [t.noneIn(period), describe(next.event, next.occurrences, turn.language)], [next.event], "festival_upcoming");
      }
      return answer(turn, soon.map(({ event, occurrences }) => describe(event, occurrences, turn.language)), soon.map((s) => s.event), "festival_upcoming");
    },
    "festivals.reminder": (turn) => {
      const t = festivalTexts[turn.language];
      const event = named(turn)[0];
      if (!event) return { replies: [{ text: t.whichFestival }], intent: "festival_which", followable: false };
      const { name, venueNew } = festivalText(event, turn.language);
      const next = nextOccurrences(event, turn.now)[0];
      if (!next) return { replies: [{ text: t.noNextDate(name) }], intent: "reminder" };
      // 08:00 in Việt Nam (UTC+7) is 01:00 UTC, the day before.
      const at = new Date(next.start.getTime() - DAY_MS + 3_600_000);
      // A festival of several days is given as its span ("17/2/2027 – 18/2/2027"), so its main day is in it.
      const when = next.end.getTime() > next.start.getTime() ? `${dayMonthYear(next.start)} – ${dayMonthYear(next.end)}` : dayMonthYear(next.start);
      if (at.getTime() <= turn.now.getTime()) return answer(turn, [t.tooSoon(name, when)], [event], "reminder");
      const payload: ReminderPayload = {
        chat: { channel: turn.event.channel, chatId: turn.event.chatId },
        at: at.toISOString(),
        text: t.reminderText(name, when, venueNew),
        name,
        when,
        docId: event.entries[0]!.doc_id,
      };
      return { replies: [], intent: "reminder", effects: [{ kind: "schedule_reminder", payload }] };
    },
  };

  const effects: Record<string, EffectRunner> = {
    // Keyed by the event, so running it again after a crash schedules nothing twice.
    async schedule_reminder(raw, { event, language }) {
      const payload = raw as ReminderPayload;
      const t = festivalTexts[language];
      const at = new Date(payload.at);
      const scheduled = await reminders.schedule(payload.chat, at, payload.text, `${event.channel}:${event.eventId}`);
      const text = scheduled ? t.reminderSet(dayMonthYear(at), payload.name, payload.when) : t.reminderUnavailable(payload.name, payload.when);
      const sources = sourcesOf([payload.docId], titles, language);
      return { replies: [{ text: withCitation(`${text}\n${t.solarNote}`, sources, language) }], intent: "reminder", sources };
    },
  };
  return { handlers, effects };
}

/** The first and last day of `month` (1–12) in `year`, or in the next year it has not yet ended in. */
function monthRange(month: number, year: number | undefined, today: Date): { from: Date; to: Date } {
  const ended = month - 1 < today.getUTCMonth();
  const inYear = year ?? (ended ? today.getUTCFullYear() + 1 : today.getUTCFullYear());
  return { from: new Date(Date.UTC(inYear, month - 1, 1)), to: new Date(Date.UTC(inYear, month, 0)) };
}

function dayMonthYear(date: Date): string {
  return `${date.getUTCDate()}/${date.getUTCMonth() + 1}/${date.getUTCFullYear()}`;
}

/** What the data says of the main day and the rites, without its note on which dates were checked. */
function mainDayNote(event: FestivalEvent, language: Language): string {
  const note = festivalText(event, language).mainDayNote ?? "";
  return note
    .split(/(?<=\.)\s+/)
    .filter((sentence) => !/đối chiếu|checked|verified against/i.test(sentence))
    .join(" ");
}

function describe(event: FestivalEvent, occurrences: readonly Occurrence[], language: Language, year?: number): string {
  const t = festivalTexts[language];
  const first = event.entries[0]!;
  const vi = festivalText(event, "vi");
  const local = festivalText(event, language);
  const name = t.name(vi.name, local.name);
  const months = [...new Set(event.entries.map((entry) => entry.lunar_month))];
  const lunar = months
    .map((month) => t.lunarDays(event.entries.filter((e) => e.lunar_month === month).map((e) => (e.days > 1 ? `${e.lunar_day}–${e.lunar_day + e.days - 1}` : String(e.lunar_day))), month))
    .join("; ");
  if (occurrences.length === 0) return t.noDate(name, lunar, String(year));
  const dates = occurrences.map((o) => (o.start.getTime() === o.end.getTime() ? formats[language].date(o.start) : `${formats[language].date(o.start)} – ${formats[language].date(o.end)}`)).join(", ");
  const venue = local.venueNew ? t.venue(local.venueNew, local.venueOld) : "";
  const planned = first.confidence === "U" || /dự kiến|planned/.test(first.name + first.name_en);
  const note = event.entries.length === 1 ? mainDayNote(event, language) : "";
  return `${t.dates(name, planned ? t.planned : "", lunar, String(year ?? occurrences[0]!.start.getUTCFullYear()), dates, venue)}${note ? ` ${note}` : ""}`;
}
