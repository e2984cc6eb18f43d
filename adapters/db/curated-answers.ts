import type { CuratedAnswer, CuratedAnswerStore } from "../../bot/curated.ts";
import type { AddedExample, AddedExampleStore } from "../../bot/understanding/added-examples.ts";
import type { Database } from "./database.ts";

/** What an operator writes: questions, the answer in both languages, and at least one source. */
export interface CuratedAnswerInput {
  readonly questions: readonly string[];
  readonly answer: { readonly vi: string; readonly en: string };
  readonly sources: readonly { readonly title: string; readonly url?: string }[];
  readonly active?: boolean;
}

/** A curated answer as the console shows it. */
export interface CuratedAnswerView extends CuratedAnswer {
  readonly active: boolean;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface AnswerRow {
  id: string;
  questions: string[];
  answer_vi: string;
  answer_en: string;
  sources: { title: string; url?: string }[];
  active: boolean;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const toView = (row: AnswerRow): CuratedAnswerView => ({
  id: Number(row.id),
  version: row.updated_at.toISOString(),
  questions: row.questions,
  answer: { vi: row.answer_vi, en: row.answer_en },
  sources: row.sources,
  active: row.active,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Curated answers in the database; the engine reads the active ones at every question, so edits apply at once. */
export function createCuratedAnswers(db: Database) {
  const store: CuratedAnswerStore = {
    async active() {
      return (await db.pool.query<AnswerRow>("SELECT * FROM curated_answers WHERE active ORDER BY id")).rows.map(toView);
    },
  };
  return {
    ...store,
    async list(): Promise<CuratedAnswerView[]> {
      return (await db.pool.query<AnswerRow>("SELECT * FROM curated_answers ORDER BY id DESC")).rows.map(toView);
    },
    async get(id: number): Promise<CuratedAnswerView | undefined> {
      const { rows } = await db.pool.query<AnswerRow>("SELECT * FROM curated_answers WHERE id = $1", [id]);
      return rows[0] && toView(rows[0]);
    },
    async create(input: CuratedAnswerInput, by: string): Promise<CuratedAnswerView> {
      const { rows } = await db.pool.query<AnswerRow>(
        `INSERT INTO curated_answers (questions, answer_vi, answer_en, sources, active, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [input.questions, input.answer.vi, input.answer.en, JSON.stringify(input.sources), input.active ?? true, by],
      );
      return toView(rows[0]!);
    },
    async update(id: number, change: Partial<CuratedAnswerInput>): Promise<CuratedAnswerView | undefined> {
      // clock_timestamp(): two edits in one transaction still get different versions.
      const { rows } = await db.pool.query<AnswerRow>(
        `UPDATE curated_answers SET questions = coalesce($2, questions), answer_vi = coalesce($3, answer_vi), answer_en = coalesce($4, answer_en),
           sources = coalesce($5, sources), active = coalesce($6, active), updated_at = clock_timestamp()
         WHERE id = $1 RETURNING *`,
        [id, change.questions ?? null, change.answer?.vi ?? null, change.answer?.en ?? null, change.sources ? JSON.stringify(change.sources) : null, change.active ?? null],
      );
      return rows[0] && toView(rows[0]);
    },
    async remove(id: number): Promise<boolean> {
      return ((await db.pool.query("DELETE FROM curated_answers WHERE id = $1", [id])).rowCount ?? 0) > 0;
    },
  };
}

/** Curated answers with the console's reads and writes. */
export type CuratedAnswers = ReturnType<typeof createCuratedAnswers>;

/** Sentences operators filed under an intent. */
export function createAddedExamples(db: Database) {
  const store: AddedExampleStore = {
    async all(): Promise<AddedExample[]> {
      return (await db.pool.query<{ id: string; intent: string; text: string }>("SELECT id, intent, text FROM intent_examples ORDER BY id")).rows.map((row) => ({
        id: Number(row.id),
        intent: row.intent,
        text: row.text,
      }));
    },
  };
  return {
    ...store,
    async add(intent: string, texts: readonly string[], by: string): Promise<number> {
      let added = 0;
      for (const text of texts) {
        const result = await db.pool.query("INSERT INTO intent_examples (intent, text, created_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [intent, text, by]);
        added += result.rowCount ?? 0;
      }
      return added;
    },
  };
}

/** Added examples with the console's writes. */
export type AddedExamples = ReturnType<typeof createAddedExamples>;
