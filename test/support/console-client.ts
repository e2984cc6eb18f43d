/** Signs operators in to the console's API over HTTP and calls it as they would, with the cookie and CSRF token. */

/** A signed-in operator. */
export interface ConsoleSession {
  readonly cookie: string;
  readonly csrf: string;
}

/** Signs `email` in on the service at `base`. */
export async function signIn(base: string, email: string, password: string): Promise<ConsoleSession> {
  const response = await fetch(`${base}/admin/api/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
  if (response.status !== 200) throw new Error(`sign-in of ${email} answered ${response.status}`);
  return { cookie: response.headers.get("set-cookie")!.split(";")[0]!, csrf: ((await response.json()) as { csrfToken: string }).csrfToken };
}

/** Calls `/admin/api{path}` as `session`; resolves to the status and the parsed body (empty for 204). */
export async function callConsole(base: string, session: ConsoleSession, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, any> }> {
  const response = await fetch(`${base}/admin/api${path}`, {
    method,
    headers: { cookie: session.cookie, "x-csrf-token": session.csrf, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: response.status === 204 ? {} : ((await response.json()) as Record<string, any>) };
}
