import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { z } from "zod";
import { HttpError, httpErrors } from "../errors.ts";
import { operatorOf, parseOr400 } from "./auth.ts";
import type { ConsoleServices, DocumentSave } from "./services.ts";

const EDITORS = { roles: ["admin", "editor"] } as const;
/** A document is a page of Markdown; 200 kB is far more than any in the corpus. */
const MAX_MARKDOWN = 200_000;
/** The request around it: Vietnamese letters take up to three bytes each in UTF-8, and JSON escapes some. */
const BODY_LIMIT = 4 * MAX_MARKDOWN;

const markdownBody = z.object({ markdown: z.string().min(1, "required").max(MAX_MARKDOWN, "too long") }).strict();
const idParams = z.object({ id: z.string().regex(/^[a-z0-9-]{1,100}$/, "a document id") });
const revertBody = z.object({ version: z.number().int().positive() }).strict();

/** The answer to a save: the document (201 when new), or why it was refused. */
function answer(reply: FastifyReply, saved: DocumentSave, created: boolean) {
  switch (saved.kind) {
    case "saved":
      return reply.code(created ? 201 : 200).send({ document: saved.document });
    case "invalid":
      throw new HttpError(400, httpErrors.invalid({ markdown: saved.error }));
    case "exists":
      return reply.code(409).send(httpErrors.exists("a document with this id"));
    case "not_found":
      throw new HttpError(404, httpErrors.notFound());
  }
}

/**
 * Knowledge documents: list, read (with the history), add, edit, revert and delete Markdown with the
 * corpus's front matter. A save is re-indexed in the background (its `status` shows the progress) and
 * answered from at once after; every change is audited.
 */
export const documentRoutes: FastifyPluginAsync<{ services: ConsoleServices }> = async (app, { services }) => {
  const { documents, operators } = services;
  const audit = (request: Parameters<typeof operatorOf>[0], action: string, id: string, after?: unknown) =>
    operators.audit(operatorOf(request), { action, target: id, ...(after === undefined ? {} : { after }) });

  app.get("/documents", { config: EDITORS }, async () => ({ documents: await documents.list() }));

  app.get("/documents/:id", { config: EDITORS }, async (request) => {
    const { id } = parseOr400(idParams, request.params);
    const document = await documents.get(id);
    if (!document) throw new HttpError(404, httpErrors.notFound());
    return { document };
  });

  app.post("/documents", { config: EDITORS, bodyLimit: BODY_LIMIT }, async (request, reply) => {
    const { markdown } = parseOr400(markdownBody, request.body);
    const saved = await documents.create(markdown, operatorOf(request).email);
    if (saved.kind === "saved") await audit(request, "document.create", saved.document.id, { title: saved.document.title });
    return answer(reply, saved, true);
  });

  app.put("/documents/:id", { config: EDITORS, bodyLimit: BODY_LIMIT }, async (request, reply) => {
    const { id } = parseOr400(idParams, request.params);
    const { markdown } = parseOr400(markdownBody, request.body);
    const saved = await documents.update(id, markdown, operatorOf(request).email);
    if (saved.kind === "saved") await audit(request, "document.update", id, { title: saved.document.title });
    return answer(reply, saved, false);
  });

  app.post("/documents/:id/revert", { config: EDITORS }, async (request, reply) => {
    const { id } = parseOr400(idParams, request.params);
    const { version } = parseOr400(revertBody, request.body);
    const saved = await documents.revert(id, version, operatorOf(request).email);
    if (saved.kind === "saved") await audit(request, "document.revert", id, { version });
    return answer(reply, saved, false);
  });

  app.delete("/documents/:id", { config: EDITORS }, async (request, reply) => {
    const { id } = parseOr400(idParams, request.params);
    if (!(await documents.remove(id, operatorOf(request).email))) throw new HttpError(404, httpErrors.notFound());
    await audit(request, "document.delete", id);
    return reply.code(204).send();
  });
};
