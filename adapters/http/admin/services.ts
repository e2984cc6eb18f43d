import type { OrderBook } from "../../../bot/ports.ts";
import type { CatalogueEditor } from "../../db/catalogue.ts";
import type { AddedExamples, CuratedAnswers } from "../../db/curated-answers.ts";
import type { Broadcasts } from "../../db/broadcasts.ts";
import type { HandoffDeskStore } from "../../db/handoffs.ts";
import type { OperatorStore } from "../../db/operators.ts";
import type { TurnLogStore } from "../../db/turn-log.ts";

/** Where a document's re-indexing stands (it runs in the background after a save). */
export type IndexingStatus = "indexing" | "ready" | "failed";

/** A knowledge document in the console's list. */
export interface DocumentSummary {
  readonly id: string;
  readonly title: { readonly vi: string; readonly en: string };
  readonly origin: "shipped" | "edited" | "console";
  readonly updatedAt: Date;
  readonly updatedBy: string;
  readonly status: IndexingStatus;
}

/** What saving a document came to. */
export type DocumentSave =
  | { readonly kind: "saved"; readonly document: DocumentSummary }
  /** The Markdown or its front matter is not a valid document; `error` says why. */
  | { readonly kind: "invalid"; readonly error: string }
  | { readonly kind: "exists" }
  | { readonly kind: "not_found" };

/** The knowledge documents, edited in the console and re-indexed one at a time. */
export interface DocumentEditor {
  list(): Promise<DocumentSummary[]>;
  get(id: string): Promise<(DocumentSummary & { markdown: string; history: { version: number; savedAt: Date; savedBy: string; deleted: boolean }[] }) | undefined>;
  create(markdown: string, by: string): Promise<DocumentSave>;
  update(id: string, markdown: string, by: string): Promise<DocumentSave>;
  /** Puts a saved version back as the current one (itself a new save). */
  revert(id: string, version: number, by: string): Promise<DocumentSave>;
  remove(id: string, by: string): Promise<boolean>;
  /** Resolves once every re-indexing started so far has finished. */
  settled(): Promise<void>;
}

/** The stores behind the operator console. */
export interface ConsoleServices {
  readonly operators: OperatorStore;
  readonly orders: OrderBook;
  readonly catalogue: CatalogueEditor;
  readonly turns: TurnLogStore;
  readonly curated: CuratedAnswers;
  readonly examples: AddedExamples;
  readonly documents: DocumentEditor;
  readonly handoffs: HandoffDeskStore;
  readonly broadcasts: Broadcasts;
  /** The declared intents an example can be filed under. */
  intents(): readonly { readonly name: string; readonly label: { readonly vi: string; readonly en: string } }[];
}
