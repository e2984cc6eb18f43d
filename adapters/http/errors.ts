/**
 * The HTTP error bodies, in one place: `{error}` plus, where it helps, a wait or the request id an
 * operator can find in the log. Texts meant for a person on the web chat are in both languages,
 * since the page may not yet know which one its user reads.
 */

/** The body of every error response. */
export interface ErrorBody {
  readonly error: string;
  /** Seconds to wait before trying again (with 429). */
  readonly retryAfter?: number;
  /** The id the log line of this request carries too. */
  readonly requestId?: string;
  /** What is wrong with each field of a rejected body, by field path. */
  readonly fields?: Readonly<Record<string, string>>;
}

export const httpErrors = {
  notFound: (): ErrorBody => ({ error: "not found" }),
  internal: (requestId: string): ErrorBody => ({ error: "internal error", requestId }),
  duplicate: (): ErrorBody => ({ error: "duplicate message" }),
  malformed: (): ErrorBody => ({ error: "malformed JSON body" }),
  slowDown: (seconds: number): ErrorBody => ({
    error: `Bạn gửi nhanh quá, vui lòng đợi ${seconds} giây rồi thử lại. / You are sending messages too fast; please wait ${seconds} s and try again.`,
    retryAfter: seconds,
  }),
  oneAtATime: (): ErrorBody => ({
    error: "Mình đang trả lời các tin trước của bạn, bạn đợi một chút nhé. / Still answering your previous messages; please wait a moment.",
    retryAfter: 1,
  }),
  // The operator console's API.
  signInRefused: (): ErrorBody => ({ error: "wrong email or password" }),
  signInLimited: (seconds: number): ErrorBody => ({ error: "too many failed sign-ins; try again later", retryAfter: seconds }),
  signedOut: (): ErrorBody => ({ error: "not signed in" }),
  csrf: (): ErrorBody => ({ error: "missing or wrong X-CSRF-Token" }),
  crossOrigin: (): ErrorBody => ({ error: "request from another origin" }),
  forbidden: (): ErrorBody => ({ error: "your role may not do this" }),
  invalid: (fields: Record<string, string>): ErrorBody => ({ error: "invalid request", fields }),
  transitionRefused: (from: string, to: string): ErrorBody => ({ error: `an order that is ${from} cannot become ${to}` }),
  exists: (what: string): ErrorBody => ({ error: `${what} already exists` }),
} as const;

/** A client mistake with its body from the catalogue; the server's error handler sends it as is. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: ErrorBody,
  ) {
    super(body.error);
  }
}
