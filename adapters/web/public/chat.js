// Web chat of the OCOP Bắc Ninh assistant: sends each message to POST /api/chat and shows the replies.
// Server text is only ever set with textContent (never innerHTML), so it cannot create markup.
"use strict";

(() => {
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("input");
  const send = document.getElementById("send");
  const suggestions = document.getElementById("suggestions");
  const user = userId();
  let busy = false;

  /** A random id kept in localStorage, so a reload continues the same conversation. */
  function userId() {
    const key = "ocop-chat-user";
    try {
      let id = localStorage.getItem(key);
      if (!id) localStorage.setItem(key, (id = newId()));
      return id;
    } catch {
      return newId(); // storage blocked: a fresh conversation for this page only
    }
  }

  /** crypto.randomUUID exists only on https and localhost; fall back to 16 random bytes elsewhere. */
  function newId() {
    if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Appends one message row (role "user" or "bot") with its text bubble and returns the row. */
  function addMessage(role, text, extraClass = "") {
    const row = element("div", `msg ${role} ${extraClass}`.trim());
    row.append(element("p", "bubble", text));
    log.append(row);
    scrollDown();
    return row;
  }

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  function showTyping() {
    const row = addMessage("bot", "", "typing");
    row.firstChild.append(element("span", "visually-hidden", "Trợ lý đang trả lời…"));
    for (let i = 0; i < 3; i++) row.firstChild.append(element("span", "dot"));
    return row;
  }

  /** Quick-reply buttons under the last bot message; each sends its own label. */
  function quickReplies(labels) {
    const group = element("div", "quick");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Gợi ý trả lời");
    for (const label of labels) {
      const button = element("button", "chip", String(label));
      button.type = "button";
      group.append(button);
    }
    return group;
  }

  // The answer text ends with its own "Nguồn: …" / "Source: …" paragraph; the sources line below replaces it.
  const TRAILING_SOURCE = /\n\n(Nguồn|Source): [^\n]*$/;

  function renderReply(body) {
    // Handed to a person: the assistant stays silent; the operator's replies arrive by polling.
    const handedOver = typeof body.intent === "string" && body.intent.startsWith("handoff_") && body.intent !== "handoff_released";
    if (handedOver) watchForOperator();
    if (body.replies.length === 0 && handedOver) return;
    const sources = Array.isArray(body.sources) ? body.sources.map((s) => s.title).filter(Boolean) : [];
    const replies = body.replies.length > 0 ? body.replies : [{ text: "…", buttons: [] }];
    let label = "Nguồn";
    let row;
    for (const reply of replies) {
      let text = String(reply.text ?? "");
      const match = sources.length > 0 ? TRAILING_SOURCE.exec(text) : null;
      if (match) [text, label] = [text.slice(0, match.index), match[1]];
      row = addMessage("bot", text);
    }
    if (sources.length > 0) row.append(element("p", "sources", `${label}: ${sources.join(", ")}`));
    const buttons = replies[replies.length - 1].buttons;
    if (Array.isArray(buttons) && buttons.length > 0) row.append(quickReplies(buttons));
    scrollDown();
  }

  // While a person holds the conversation, their replies are collected every few seconds, for half an hour.
  const POLL_MS = 4000;
  const WATCH_MS = 30 * 60 * 1000;
  let watchUntil = 0;
  let polling = false;

  function watchForOperator() {
    watchUntil = Date.now() + WATCH_MS;
    if (polling) return;
    polling = true;
    const poll = async () => {
      try {
        const response = await fetch(`/api/chat/updates?user=${encodeURIComponent(user)}`);
        const body = response.ok ? await response.json() : null;
        for (const reply of body && Array.isArray(body.replies) ? body.replies : []) addMessage("bot", String(reply.text ?? ""), "operator");
        if (body && body.replies && body.replies.length > 0) scrollDown();
      } catch {
        // The next poll tries again.
      }
      if (Date.now() < watchUntil) setTimeout(poll, POLL_MS);
      else polling = false;
    };
    setTimeout(poll, POLL_MS);
  }

  function errorText(status, body) {
    if (status === 0) return "Không kết nối được tới máy chủ. Bạn kiểm tra mạng rồi thử lại nhé.";
    // The server's "slow down" is already written for a person, in both languages.
    if (status === 429) return body && typeof body.error === "string" ? body.error : "Bạn gửi hơi nhanh. Vui lòng đợi một chút rồi thử lại nhé.";
    if (status < 500 && body && typeof body.error === "string") return `Không gửi được câu hỏi: ${body.error}`;
    const reference = body && typeof body.requestId === "string" ? ` (mã lỗi: ${body.requestId})` : "";
    return `Xin lỗi, hệ thống đang gặp sự cố. Bạn vui lòng thử lại sau ít phút.${reference}`;
  }

  function setBusy(value) {
    busy = value;
    send.disabled = value;
    log.setAttribute("aria-busy", String(value));
  }

  /** Fetches the answer; resolves to {status, body}, with status 0 when the server could not be reached. */
  async function post(text) {
    try {
      const response = await fetch("/api/chat", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user, text }),
      });
      return { status: response.status, body: await response.json().catch(() => null) };
    } catch {
      return { status: 0, body: null };
    }
  }

  async function ask(raw) {
    const text = raw.trim();
    if (!text || busy) return;
    setBusy(true);
    for (const old of log.querySelectorAll(".quick")) old.remove();
    addMessage("user", text);
    input.value = "";
    const typing = showTyping();
    const { status, body } = await post(text);
    typing.remove();
    try {
      if (status >= 200 && status < 300 && body && Array.isArray(body.replies)) {
        renderReply(body);
      } else {
        addMessage("bot", errorText(status, body), "error");
        if (!input.value) input.value = text; // let the user fix or resend it
      }
    } finally {
      setBusy(false);
      input.focus();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ask(input.value);
  });
  // Suggestion chips and quick replies send their label.
  for (const container of [log, suggestions]) {
    container.addEventListener("click", (event) => {
      const chip = event.target.closest("button.chip");
      if (chip) ask(chip.textContent);
    });
  }
  input.focus();
})();
