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
}

export const httpErrors = {
  notFound: (): ErrorBody => ({ error: "not found" }),
  internal: (requestId: string): ErrorBody => ({ error: "internal error", requestId }),
  duplicate: (): ErrorBody => ({ error: "duplicate message" }),
  slowDown: (seconds: number): ErrorBody => ({
    error: `Bạn gửi nhanh quá, vui lòng đợi ${seconds} giây rồi thử lại. / You are sending messages too fast; please wait ${seconds} s and try again.`,
    retryAfter: seconds,
  }),
  oneAtATime: (): ErrorBody => ({
    error: "Mình đang trả lời các tin trước của bạn, bạn đợi một chút nhé. / Still answering your previous messages; please wait a moment.",
    retryAfter: 1,
  }),
} as const;
