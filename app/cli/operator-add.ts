/**
 * `npm run operator:add -- <email> --role admin|editor|producer [--producer <producer-id>] [--data-dir DIR]`:
 * creates an operator of the console, or updates the role and password of an existing one (ending
 * their sessions). The password is read from standard input, never from an argument: typed twice
 * without echo at a terminal, or the first line of a pipe. Uses DATABASE_URL, or the embedded
 * database in --data-dir / DATA_DIR (stop the service first: the embedded database takes one process).
 */
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { loadCatalogueData } from "../../knowledge/catalogue.ts";
import { ConfigError, loadConfig } from "../../adapters/config.ts";
import { createCatalogueEditor, loadCatalogue } from "../../adapters/db/catalogue.ts";
import { openDatabase } from "../../adapters/db/database.ts";
import { migrate } from "../../adapters/db/migrate.ts";
import { createOperatorStore, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, OPERATOR_ROLES, type OperatorRole } from "../../adapters/db/operators.ts";

const USAGE = "usage: npm run operator:add -- <email> --role admin|editor|producer [--producer <producer-id>] [--data-dir DIR]   (password on standard input)";

/** Reads one line from standard input; at a terminal, the typed characters are not shown. */
function readLine(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const terminal = process.stdin.isTTY === true;
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal });
    if (terminal) {
      process.stderr.write(prompt);
      // Echo nothing of what is typed.
      (rl as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => {};
    }
    let answered = false;
    rl.once("line", (line) => {
      answered = true;
      if (terminal) process.stderr.write("\n");
      rl.close();
      resolve(line);
    });
    rl.once("close", () => {
      if (!answered) reject(new ConfigError("no password on standard input"));
    });
  });
}

async function readPassword(): Promise<string> {
  const password = await readLine("Password: ");
  if (process.stdin.isTTY && (await readLine("Again: ")) !== password) throw new ConfigError("the two passwords differ");
  if (password.length < MIN_PASSWORD_LENGTH) throw new ConfigError(`the password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new ConfigError(`the password may have at most ${MAX_PASSWORD_LENGTH} characters`);
  return password;
}

if (existsSync(".env")) process.loadEnvFile(".env");
try {
  const { values, positionals } = parseArgs({
    options: { role: { type: "string" }, producer: { type: "string" }, "data-dir": { type: "string" } },
    allowPositionals: true,
  });
  const email = positionals[0];
  if (!email || positionals.length > 1) throw new ConfigError("give exactly one email address");
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new ConfigError(`"${email}" is not an email address`);
  const role = values.role as OperatorRole | undefined;
  if (!role || !OPERATOR_ROLES.includes(role)) throw new ConfigError("--role must be admin, editor or producer");
  if ((role === "producer") !== (values.producer !== undefined)) throw new ConfigError("--producer is given with --role producer, and only with it");
  const password = await readPassword();
  const config = loadConfig();
  const db = await openDatabase(config.DATABASE_URL ? { url: config.DATABASE_URL } : { dataDir: values["data-dir"] ?? config.DATA_DIR });
  try {
    await migrate(db);
    // A database the service has never opened gets the shipped producers, so a producer id can be named.
    await loadCatalogue(db, loadCatalogueData());
    if (values.producer) {
      const producers = await createCatalogueEditor(db).producers();
      if (!producers.some((producer) => producer.id === values.producer)) {
        throw new ConfigError(`unknown producer id "${values.producer}". Known ids:\n${producers.map((producer) => `  ${producer.id}  ${producer.name}`).join("\n")}`);
      }
    }
    const { created, operator } = await createOperatorStore(db).upsert({ email, password, role, producerId: values.producer ?? null });
    process.stderr.write(`${created ? "Created" : "Updated"} ${operator.role} ${operator.email}${operator.producerId ? ` for ${operator.producerId}` : ""}. Sign in at /admin.\n`);
  } finally {
    await db.close();
  }
} catch (error) {
  const expected = error instanceof ConfigError || String((error as { code?: string }).code).startsWith("ERR_PARSE_ARGS");
  process.stderr.write(`${expected ? `${(error as Error).message}\n${USAGE}` : (error as Error).stack}\n`);
  process.exit(1);
}
