/**
 * Village directions (location under its new and old names, distance and route from Hà Nội and from
 * central Bắc Ninh, transport, what to see and do, and the unknowns with whom to ask) and one-day
 * itineraries for two or three villages.
 */
import { villageText, type Village } from "../../knowledge/villages.ts";
import { sourcesOf, withCitation, type Titles } from "../texts/cite.ts";
import { villageTexts } from "../texts/villages.ts";
import type { IntentHandler, Turn, TurnResult } from "../turn.ts";
import type { Language } from "../types.ts";
import { asksAboutMoney } from "../../knowledge/vietnamese.ts";
import { allOf } from "../understanding/entities.ts";

/** The pilot OCOP tourism villages, suggested when a day trip names no village. */
const PILOT_VILLAGES = ["phu-lang", "dong-ho", "diem-viem-xa"];
const OFF_THE_CARD: ReadonlySet<string> = new Set(["amount", "why", "who"]);

/** The village handlers, by the `serve` names of intents.yaml. */
export function villageHandlers(villages: readonly Village[], titles: Titles): Record<string, IntentHandler> {
  const answer = (turn: Turn, text: string, shown: readonly Village[], intent: string): TurnResult => {
    const sources = sourcesOf(shown.map((v) => v.doc_id), titles, turn.language);
    return { replies: [{ text: withCitation(text, sources, turn.language) }], intent, sources };
  };
  const named = (turn: Turn) => [...new Set(allOf(turn.signals.entities, "village").map((entity) => entity.village))];

  return {
    "villages.directions": (turn) => {
      // The card holds where the village is, the way there and its craft: a ticket price, a reason or a
      // person is the documents' to answer (or to say they do not know).
      if (OFF_THE_CARD.has(turn.signals.questionType) || asksAboutMoney(turn.signals.words)) return undefined;
      const chosen = named(turn);
      if (chosen.length === 0) {
        const t = villageTexts[turn.language];
        return { replies: [{ text: t.whichVillage, buttons: villages.map((v) => villageText(v, turn.language).name) }], intent: "village_which", followable: false };
      }
      return answer(turn, chosen.map((village) => directions(village, turn.language)).join("\n\n"), chosen, "village_directions");
    },
    "villages.itinerary": (turn) => {
      const chosen = named(turn);
      const shown = (chosen.length > 0 ? chosen : villages.filter((v) => PILOT_VILLAGES.includes(v.id))).slice(0, 3);
      return answer(turn, itinerary(shown, turn.language, chosen.length === 0), shown, "itinerary");
    },
  };
}

function directions(village: Village, language: Language): string {
  const t = villageTexts[language];
  const v = villageText(village, language);
  const line = (label: string, value: string | null) => `• ${label}: ${value ?? t.unknown}`;
  return [
    `${v.name} — ${v.craft}`,
    line(t.labels.where, t.place(v)),
    line(t.labels.fromHanoi, v.fromHanoi),
    line(t.labels.fromCentre, v.fromCentre),
    line(t.labels.transport, v.transport),
    line(t.labels.seeDo, v.seeDo.join("; ") || null),
    line(t.labels.handsOn, v.experiences.join("; ") || null),
    t.notKnown(v),
  ].join("\n");
}

function itinerary(chosen: readonly Village[], language: Language, suggested: boolean): string {
  const t = villageTexts[language];
  const texts = chosen.map((village) => villageText(village, language));
  const stops = texts.map((v, index) => {
    const slot = t.slots[chosen.length === 2 && index === 1 ? 2 : index];
    const todo = [...v.experiences, ...v.seeDo].slice(0, 3).join("; ");
    return `${slot}: ${v.name}${v.fromHanoi ? ` (${t.fromHanoi}: ${v.fromHanoi})` : ""}. ${todo}.`;
  });
  return [t.planHead(texts.map((v) => v.name).join(", "), suggested), ...stops, t.planCaveat([...new Set(texts.map((v) => v.contact))].join("; "))].join("\n");
}
