import type { OrderBook } from "../../../bot/ports.ts";
import type { CatalogueEditor } from "../../db/catalogue.ts";
import type { AddedExamples, CuratedAnswers } from "../../db/curated-answers.ts";
import type { OperatorStore } from "../../db/operators.ts";
import type { TurnLogStore } from "../../db/turn-log.ts";

/** The stores behind the operator console. */
export interface ConsoleServices {
  readonly operators: OperatorStore;
  readonly orders: OrderBook;
  readonly catalogue: CatalogueEditor;
  readonly turns: TurnLogStore;
  readonly curated: CuratedAnswers;
  readonly examples: AddedExamples;
  /** The declared intents an example can be filed under. */
  intents(): readonly { readonly name: string; readonly label: { readonly vi: string; readonly en: string } }[];
}
