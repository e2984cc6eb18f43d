import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import { questionSimilarity } from "../../../bot/curated.ts";
import { groupFlagged } from "../../../bot/flags.ts";
import type { CuratedAnswerView } from "../../db/curated-answers.ts";
import { HttpError, httpErrors } from "../errors.ts";
import { operatorOf, parseOr400 } from "./auth.ts";
import type { ConsoleServices } from "./services.ts";

const EDITORS = { roles: ["admin", "editor"] } as const;
/** Groups shown in the inbox at once, each with the conversation around its newest turn. */
const INBOX_GROUPS = 50;

const text = (max: number) => z.string().trim().min(1, "required").max(max, `at most ${max} characters`);
const source = z.object({ title: text(200), url: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }).max(500).optional() }).strict();
const answerBody = z
  .object({
    questions: z.array(text(300)).max(50).default([]),
    answer: z.object({ vi: text(4000), en: text(4000) }).strict(),
    sources: z.array(source).min(1, "at least one source").max(10),
    flags: z.array(z.number().int().positive()).max(500).default([]),
  })
  .strict();
const answerChange = z
  .object({
    questions: z.array(text(300)).min(1).max(50),
    answer: z.object({ vi: text(4000), en: text(4000) }).strict(),
    sources: z.array(source).min(1).max(10),
    active: z.boolean(),
    // Flagged turns this answer also answers: their questions are added to it and the flags closed.
    flags: z.array(z.number().int().positive()).min(1).max(500),
  })
  .partial()
  .strict()
  .refine((change) => Object.keys(change).length > 0, "nothing to change");
const idParams = z.object({ id: z.coerce.number().int().positive() });
const resolveBody = z
  .object({ turnIds: z.array(z.number().int().positive()).min(1).max(500), action: z.enum(["example", "out_of_scope", "dismissed"]), intent: z.string().max(60).optional() })
  .strict()
  .refine((body) => body.action !== "example" || body.intent !== undefined, { message: "the intent to file the question under", path: ["intent"] });

/** Below the matching threshold, a curated answer this alike is offered as "add this question to it". */
const SUGGESTION_FLOOR = 0.45;

/** The curated answer whose questions are most like `question`, if any is close enough to suggest. */
function closestAnswer(question: string, answers: readonly CuratedAnswerView[]) {
  let best: { answerId: number; question: string; score: number } | undefined;
  for (const answer of answers) {
    for (const candidate of answer.questions) {
      const score = questionSimilarity(question, candidate);
      if (score >= SUGGESTION_FLOOR && (!best || score > best.score)) best = { answerId: answer.id, question: candidate, score: Math.round(score * 1000) / 1000 };
    }
  }
  return best ?? null;
}

/**
 * The improvement loop: the inbox of flagged turns (grouped by similar question, with the conversation
 * around each) and its three actions — a curated answer, an example of an intent, out of scope — each
 * taking effect at the next message and audited; and the curated answers themselves.
 */
export const improvementRoutes: FastifyPluginAsync<{ services: ConsoleServices }> = async (app, { services }) => {
  const { turns, curated, examples, operators } = services;

  app.get("/flags", { config: EDITORS }, async () => {
    const groups = groupFlagged(await turns.openFlags()).slice(0, INBOX_GROUPS);
    const answers = await curated.list();
    return {
      groups: await Promise.all(
        groups.map(async (group) => ({ ...group, count: group.turns.length, context: await turns.around(group.id), suggestion: closestAnswer(group.question, answers) })),
      ),
    };
  });

  app.post("/flags/resolve", { config: EDITORS }, async (request) => {
    const { turnIds, action, intent } = parseOr400(resolveBody, request.body);
    const filedUnder = action === "out_of_scope" ? "out_of_scope" : intent;
    if (filedUnder && !services.intents().some((declared) => declared.name === filedUnder)) throw new HttpError(400, httpErrors.invalid({ intent: "unknown intent" }));
    const texts = await turns.resolveFlags(turnIds, action);
    const added = filedUnder ? await examples.add(filedUnder, texts, operatorOf(request).email) : 0;
    await operators.audit(operatorOf(request), { action: `flags.${action}`, target: turnIds.join(","), after: { ...(filedUnder ? { intent: filedUnder } : {}), questions: texts } });
    return { resolved: texts.length, examplesAdded: added };
  });

  app.get("/intents", { config: EDITORS }, async () => ({ intents: services.intents() }));

  app.get("/answers", { config: EDITORS }, async () => ({ answers: await curated.list() }));

  app.post("/answers", { config: EDITORS }, async (request, reply) => {
    const input = parseOr400(answerBody, request.body);
    const operator = operatorOf(request);
    // The flagged questions it answers are its first questions: the inbox's "write an answer" needs no retyping.
    const flagged = input.flags.length > 0 ? await turns.resolveFlags(input.flags, "answered") : [];
    const questions = [...new Set([...input.questions, ...flagged].map((question) => question.trim()))];
    if (questions.length === 0) throw new HttpError(400, httpErrors.invalid({ questions: "at least one question" }));
    const answer = await curated.create({ ...input, questions }, operator.email);
    await operators.audit(operator, { action: "answer.create", target: String(answer.id), after: { questions, answer: input.answer, sources: input.sources } });
    return reply.code(201).send({ answer });
  });

  app.patch("/answers/:id", { config: EDITORS }, async (request) => {
    const { id } = parseOr400(idParams, request.params);
    const { flags, ...change } = parseOr400(answerChange, request.body);
    const before = await curated.get(id);
    if (!before) throw new HttpError(404, httpErrors.notFound());
    const flagged = flags ? await turns.resolveFlags(flags, "answered") : [];
    const questions = flagged.length > 0 ? [...new Set([...(change.questions ?? before.questions), ...flagged])] : change.questions;
    const answer = (await curated.update(id, { ...change, ...(questions ? { questions } : {}) }))!;
    await operators.audit(operatorOf(request), {
      action: "answer.update",
      target: String(id),
      before: { questions: before.questions, answer: before.answer, sources: before.sources, active: before.active },
      after: { ...change, ...(questions ? { questions } : {}) },
    });
    return { answer };
  });

  app.delete("/answers/:id", { config: EDITORS }, async (request, reply) => {
    const { id } = parseOr400(idParams, request.params);
    const before = await curated.get(id);
    if (!before || !(await curated.remove(id))) throw new HttpError(404, httpErrors.notFound());
    await operators.audit(operatorOf(request), { action: "answer.delete", target: String(id), before: { questions: before.questions, answer: before.answer } });
    return reply.code(204).send();
  });
};
