/**
 * The layout's rules, checked on every run: the core (`bot/`, `knowledge/`) imports no adapter, job,
 * entry point, framework, driver or vendor SDK; adapters and jobs never reach back into the entry points.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "./support/processes.ts";

/** Libraries the core may use: validation, its data formats, text search, linear algebra, the lunar calendar, LangChain's interfaces. */
const CORE_PACKAGES = [/^node:/, /^zod$/, /^js-yaml$/, /^minisearch$/, /^ml-matrix$/, /^@nghiavuive\/lunar_date_vi$/, /^@langchain\/core\//];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(projectRoot, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => relative(projectRoot, join(entry.parentPath, entry.name)));
}

/** Every module a file imports (static, re-exported or dynamic), as written. */
function importsOf(file: string): string[] {
  const source = readFileSync(join(projectRoot, file), "utf8");
  const found = [...source.matchAll(/^\s*(?:import|export)\s(?:[^;]*?\sfrom\s+)?["']([^"']+)["']/gm), ...source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)];
  return found.map((match) => match[1]!);
}

/** Where a relative import points, as a path from the project root. */
const target = (file: string, specifier: string) => relative(projectRoot, resolve(projectRoot, dirname(file), specifier));

describe("the layout", () => {
  it("keeps the core free of adapters, jobs, entry points, frameworks, drivers and vendor SDKs", () => {
    const violations = ["bot", "knowledge"].flatMap((dir) =>
      sourceFiles(dir).flatMap((file) =>
        importsOf(file)
          .filter((specifier) =>
            specifier.startsWith(".") ? !/^(bot|knowledge)\//.test(target(file, specifier)) : !CORE_PACKAGES.some((allowed) => allowed.test(specifier)),
          )
          .map((specifier) => `${file} imports ${specifier}`),
      ),
    );
    expect(violations).toEqual([]);
    expect(sourceFiles("bot").length).toBeGreaterThan(20);
  });

  it("keeps adapters and jobs from importing the entry points", () => {
    const violations = ["adapters", "jobs"].flatMap((dir) =>
      sourceFiles(dir).flatMap((file) =>
        importsOf(file)
          .filter((specifier) => specifier.startsWith(".") && target(file, specifier).startsWith("app/"))
          .map((specifier) => `${file} imports ${specifier}`),
      ),
    );
    expect(violations).toEqual([]);
  });

  it("would catch a core module importing an adapter", () => {
    expect(importsOf("app/compose.ts").some((specifier) => target("app/compose.ts", specifier).startsWith("adapters/"))).toBe(true);
  });
});
