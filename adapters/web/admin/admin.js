// The operator console: one page over the JSON API at /admin/api. Vietnamese first, English on request.
// Every text from the server is put in the page as text (never as HTML), so nothing typed by a user can run here.
"use strict";

(() => {
  const TEXTS = {
    vi: {
      brand: "OCOP Bắc Ninh · Bảng điều khiển",
      switchTo: "English",
      loading: "Đang tải…",
      signInTitle: "Đăng nhập",
      email: "Email",
      password: "Mật khẩu",
      signIn: "Đăng nhập",
      signOut: "Đăng xuất",
      wrongPair: "Sai email hoặc mật khẩu.",
      tooMany: (s) => `Sai quá nhiều lần. Thử lại sau ${Math.ceil(s / 60)} phút.`,
      networkError: "Không kết nối được máy chủ. Thử lại sau.",
      sessionEnded: "Phiên đăng nhập đã hết. Vui lòng đăng nhập lại.",
      nav: { dashboard: "Tổng quan", handoffs: "Gặp nhân viên", broadcasts: "Gửi tin", flags: "Cần xử lý", answers: "Câu trả lời soạn sẵn", documents: "Tài liệu", conversations: "Hội thoại", orders: "Đơn hàng", products: "Sản phẩm", audit: "Nhật ký", operators: "Người vận hành" },
      reasons: { unsure: "chưa chắc", close_candidates: "hai cách hiểu gần nhau", dont_know: "không biết trả lời", off_topic_domain: "bị coi là ngoài phạm vi", asked_again: "người dùng hỏi lại", thumbs_down: "👎" },
      noFlags: "Không có gì cần xử lý.",
      times: (n) => `${n} lần`,
      writeAnswer: "Viết câu trả lời",
      questionsLabel: "Các câu hỏi (mỗi dòng một câu)",
      answerVi: "Câu trả lời (tiếng Việt)",
      answerEn: "Câu trả lời (tiếng Anh)",
      sourceTitle: "Nguồn (tên)",
      sourceUrl: "Nguồn (đường dẫn, không bắt buộc)",
      fileUnder: "Thêm làm ví dụ của ý định",
      outOfScope: "Ngoài phạm vi",
      dismiss: "Bỏ qua",
      active: "Đang dùng",
      remove: "Xoá",
      noAnswers: "Chưa có câu trả lời soạn sẵn.",
      origins: { shipped: "bản gốc", edited: "đã sửa", console: "thêm mới" },
      indexing: { indexing: "đang lập chỉ mục…", ready: "sẵn sàng", failed: "lập chỉ mục lỗi" },
      addDocument: "Thêm tài liệu",
      markdown: "Nội dung (Markdown, có phần đầu như các tài liệu khác)",
      history: "Các bản trước",
      revert: "Khôi phục bản này",
      deleteDocument: "Xoá tài liệu",
      noHandoffs: "Không có ai đang chờ nhân viên.",
      handoffStates: { waiting: "đang chờ", held: "đang trao đổi" },
      reply: "Trả lời",
      replyLabel: "Tin nhắn gửi người dùng",
      send: "Gửi",
      sent: "Đã gửi.",
      release: "Trả lại cho trợ lý",
      released: "Đã trả lại cho trợ lý.",
      topics: { festivals: "Lễ hội", policies: "Chính sách hỗ trợ", products: "Sản phẩm OCOP" },
      topic: "Chủ đề",
      channelsLabel: "Kênh",
      textVi: "Nội dung (tiếng Việt)",
      textEn: "Nội dung (tiếng Anh)",
      force: "Gửi ngay cả trong giờ yên tĩnh (21 giờ–7 giờ)",
      audience: (n) => `${n} người đăng ký sẽ nhận`,
      preview: "Xem trước",
      sendBroadcast: "Gửi",
      scheduled: (at) => `Đã xếp lịch gửi lúc ${at}.`,
      counts: (b) => `${b.recipients} người nhận · đã gửi ${b.sent} · lỗi ${b.failed} · đang chờ ${b.pending} · tự hủy đăng ký ${b.unsubscribed}`,
      suggestion: (question, score) => `Gần giống câu hỏi đã có câu trả lời: “${question}” (${score})`,
      addToAnswer: "Dùng câu trả lời đó",
      roles: { admin: "quản trị", editor: "biên tập", producer: "cơ sở sản xuất" },
      range: "Khoảng thời gian",
      days: (n) => `${n} ngày qua`,
      messages: "Tin nhắn",
      unknownShare: "Không biết trả lời",
      offTopicShare: "Ngoài phạm vi",
      latency: "Thời gian trả lời (p50 / p95)",
      perDay: "Tin nhắn mỗi ngày theo kênh",
      topIntents: "Ý định hay gặp",
      ordersByStatus: "Đơn hàng theo trạng thái",
      noData: "Chưa có dữ liệu trong khoảng này.",
      search: "Tìm",
      searchPlaceholder: "Từ khoá (có dấu hoặc không)",
      allChannels: "Mọi kênh",
      from: "Từ ngày",
      to: "Đến ngày",
      turns: (n) => `${n} lượt`,
      noConversations: "Không có hội thoại nào khớp.",
      back: "← Quay lại",
      intent: "Ý định",
      score: "điểm",
      sources: "Nguồn",
      status: "Trạng thái",
      allStatuses: "Mọi trạng thái",
      producer: "Cơ sở",
      allProducers: "Mọi cơ sở",
      noOrders: "Không có đơn nào.",
      statuses: { pending: "chờ xác nhận", confirmed: "đã xác nhận", shipping: "đang giao", completed: "hoàn thành", cancelled: "đã huỷ" },
      actions: { confirmed: "Xác nhận", shipping: "Đang giao", completed: "Hoàn thành", cancelled: "Huỷ đơn" },
      note: "Ghi chú cho người mua (không bắt buộc)",
      block: "Chặn người mua",
      unblock: "Bỏ chặn",
      blocked: "Đã chặn người mua này.",
      unblocked: "Đã bỏ chặn.",
      recipient: "Người nhận",
      total: "Tổng",
      sample: "(giá mẫu)",
      done: "Đã lưu.",
      name: "Tên",
      nameEn: "Tên tiếng Anh",
      unit: "Đơn vị",
      unitEn: "Đơn vị (tiếng Anh)",
      price: "Giá (đồng)",
      stars: "Sao OCOP",
      noStars: "—",
      available: "Đang bán",
      save: "Lưu",
      nothingChanged: "Chưa có gì thay đổi.",
      addProduct: "Thêm sản phẩm",
      group: "Nhóm",
      create: "Tạo",
      created: "Đã tạo.",
      when: "Lúc",
      who: "Ai",
      what: "Việc",
      target: "Đối tượng",
      change: "Trước → sau",
      addOperator: "Thêm hoặc cập nhật người vận hành",
      role: "Vai trò",
      lastSignIn: "Đăng nhập gần nhất",
      never: "chưa",
      disable: "Khoá",
      enable: "Mở khoá",
      disabled: "đã khoá",
      invalid: "Dữ liệu chưa đúng:",
      forbidden: "Vai trò của bạn không được làm việc này.",
      notFound: "Không tìm thấy.",
      failed: "Có lỗi, thử lại sau.",
    },
    en: {
      brand: "OCOP Bắc Ninh · Console",
      switchTo: "Tiếng Việt",
      loading: "Loading…",
      signInTitle: "Sign in",
      email: "Email",
      password: "Password",
      signIn: "Sign in",
      signOut: "Sign out",
      wrongPair: "Wrong email or password.",
      tooMany: (s) => `Too many failed attempts. Try again in ${Math.ceil(s / 60)} min.`,
      networkError: "Cannot reach the server. Try again later.",
      sessionEnded: "Your session has ended. Please sign in again.",
      nav: { dashboard: "Dashboard", handoffs: "Handoffs", broadcasts: "Broadcasts", flags: "Inbox", answers: "Curated answers", documents: "Documents", conversations: "Conversations", orders: "Orders", products: "Products", audit: "Audit log", operators: "Operators" },
      reasons: { unsure: "unsure", close_candidates: "two close readings", dont_know: "didn't know", off_topic_domain: "taken as off-topic", asked_again: "user asked again", thumbs_down: "👎" },
      noFlags: "Nothing to look at.",
      times: (n) => `${n}×`,
      writeAnswer: "Write an answer",
      questionsLabel: "Questions (one per line)",
      answerVi: "Answer (Vietnamese)",
      answerEn: "Answer (English)",
      sourceTitle: "Source (title)",
      sourceUrl: "Source (link, optional)",
      fileUnder: "Add as an example of",
      outOfScope: "Out of scope",
      dismiss: "Dismiss",
      active: "In use",
      remove: "Delete",
      noAnswers: "No curated answers yet.",
      origins: { shipped: "shipped", edited: "edited", console: "added" },
      indexing: { indexing: "indexing…", ready: "ready", failed: "indexing failed" },
      addDocument: "Add a document",
      markdown: "Content (Markdown, with front matter like the other documents)",
      history: "Earlier versions",
      revert: "Restore this version",
      deleteDocument: "Delete document",
      noHandoffs: "Nobody is waiting for a person.",
      handoffStates: { waiting: "waiting", held: "in conversation" },
      reply: "Reply",
      replyLabel: "Message to the user",
      send: "Send",
      sent: "Sent.",
      release: "Give back to the assistant",
      released: "Given back to the assistant.",
      topics: { festivals: "Festivals", policies: "Support policies", products: "OCOP products" },
      topic: "Topic",
      channelsLabel: "Channels",
      textVi: "Text (Vietnamese)",
      textEn: "Text (English)",
      force: "Send even in the quiet hours (21:00–07:00)",
      audience: (n) => `${n} subscribers will receive it`,
      preview: "Preview",
      sendBroadcast: "Send",
      scheduled: (at) => `Scheduled for ${at}.`,
      counts: (b) => `${b.recipients} recipients · sent ${b.sent} · failed ${b.failed} · waiting ${b.pending} · unsubscribed ${b.unsubscribed}`,
      suggestion: (question, score) => `Close to a question already answered: “${question}” (${score})`,
      addToAnswer: "Use that answer",
      roles: { admin: "admin", editor: "editor", producer: "producer" },
      range: "Period",
      days: (n) => `Last ${n} days`,
      messages: "Messages",
      unknownShare: "Didn't know",
      offTopicShare: "Off-topic",
      latency: "Answer time (p50 / p95)",
      perDay: "Messages per day by channel",
      topIntents: "Top intents",
      ordersByStatus: "Orders by status",
      noData: "No data in this period yet.",
      search: "Search",
      searchPlaceholder: "Words (with or without diacritics)",
      allChannels: "All channels",
      from: "From",
      to: "To",
      turns: (n) => `${n} turns`,
      noConversations: "No matching conversations.",
      back: "← Back",
      intent: "Intent",
      score: "score",
      sources: "Sources",
      status: "Status",
      allStatuses: "All statuses",
      producer: "Producer",
      allProducers: "All producers",
      noOrders: "No orders.",
      statuses: { pending: "pending", confirmed: "confirmed", shipping: "shipping", completed: "completed", cancelled: "cancelled" },
      actions: { confirmed: "Confirm", shipping: "Shipping", completed: "Complete", cancelled: "Cancel order" },
      note: "Note to the buyer (optional)",
      block: "Block buyer",
      unblock: "Unblock",
      blocked: "This buyer is blocked.",
      unblocked: "Unblocked.",
      recipient: "Recipient",
      total: "Total",
      sample: "(sample prices)",
      done: "Saved.",
      name: "Name",
      nameEn: "English name",
      unit: "Unit",
      unitEn: "Unit (English)",
      price: "Price (VND)",
      stars: "OCOP stars",
      noStars: "—",
      available: "On sale",
      save: "Save",
      nothingChanged: "Nothing changed yet.",
      addProduct: "Add a product",
      group: "Group",
      create: "Create",
      created: "Created.",
      when: "When",
      who: "Who",
      what: "What",
      target: "Target",
      change: "Before → after",
      addOperator: "Add or update an operator",
      role: "Role",
      lastSignIn: "Last sign-in",
      never: "never",
      disable: "Disable",
      enable: "Enable",
      disabled: "disabled",
      invalid: "Please check:",
      forbidden: "Your role may not do this.",
      notFound: "Not found.",
      failed: "Something went wrong; try again later.",
    },
  };
  /** The statuses an order may move to from each status (the order book's rules for producers). */
  const NEXT = { pending: ["confirmed", "shipping", "cancelled"], confirmed: ["shipping", "completed", "cancelled"], shipping: ["completed", "cancelled"], completed: [], cancelled: [] };
  const CHANNEL_COLOURS = { telegram: "#2a9fd6", zalo: "#0068ff", web: "#0b6e4f", cli: "#8a8f8c" };
  const PALETTE = ["#0b6e4f", "#e09b00", "#2a9fd6", "#b5446e", "#6b5ca5", "#8a8f8c", "#3f7d20", "#c4572a", "#1d3557", "#a07a4b"];

  let lang = localStorage.getItem("ocop-admin-lang") === "en" ? "en" : "vi";
  let session = null; // {csrfToken, operator}
  let charts = [];
  const app = document.getElementById("app");
  const t = () => TEXTS[lang];

  /** Builds an element: h("p", {class: "x"}, "text", child). Strings become text nodes, never HTML. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else if (key === "value") el.value = value;
      else if (key === "checked") el.checked = Boolean(value);
      else el.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) if (child !== undefined && child !== null && child !== false) el.append(child instanceof Node ? child : String(child));
    return el;
  }

  const money = (n) => `${new Intl.NumberFormat("vi-VN").format(n)} ₫`;
  const when = (iso) => new Date(iso).toLocaleString(lang === "vi" ? "vi-VN" : "en-GB", { timeZone: "Asia/Ho_Chi_Minh", dateStyle: "short", timeStyle: "short" });
  const percent = (share) => `${Math.round(share * 1000) / 10}%`;

  /** Calls the API; resolves {status, body}. A 401 on anything but signing in means the session ended. */
  async function api(method, path, body) {
    const headers = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (method !== "GET" && session) headers["x-csrf-token"] = session.csrfToken;
    let response;
    try {
      response = await fetch(`/admin/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
    } catch {
      return { status: 0, body: { error: t().networkError } };
    }
    const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
    if (response.status === 401 && path !== "/session") {
      session = null;
      renderSignIn(t().sessionEnded);
    }
    return { status: response.status, body: data };
  }

  /** A message for a failed call, naming the fields the server refused. */
  function problem(result) {
    if (result.status === 0) return t().networkError;
    if (result.status === 403) return t().forbidden;
    if (result.status === 404) return t().notFound;
    if (result.status === 400 && result.body.fields) return `${t().invalid} ${Object.entries(result.body.fields).map(([f, m]) => `${f}: ${m}`).join("; ")}`;
    return result.body.error || t().failed;
  }

  function notice(text, kind) {
    return h("p", { class: `notice ${kind || ""}`, role: kind === "error" ? "alert" : "status" }, text);
  }

  function clearCharts() {
    for (const chart of charts) chart.destroy();
    charts = [];
  }

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.querySelector("[data-t=brand]").textContent = t().brand;
    document.getElementById("lang").textContent = t().switchTo;
    document.title = `${t().brand}`;
  }

  // ---- sign-in ---------------------------------------------------------------------------------------

  function renderSignIn(message) {
    clearCharts();
    const error = h("div", { id: "sign-in-error" }, message ? notice(message, "error") : null);
    const form = h(
      "form",
      { class: "card sign-in", id: "sign-in" },
      h("h1", {}, t().signInTitle),
      h("label", {}, t().email, h("input", { name: "email", type: "email", autocomplete: "username", required: true })),
      h("label", {}, t().password, h("input", { name: "password", type: "password", autocomplete: "current-password", required: true })),
      error,
      h("button", { type: "submit", class: "primary" }, t().signIn),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const result = await api("POST", "/session", { email: data.get("email"), password: data.get("password") });
      if (result.status === 200) {
        session = result.body;
        location.hash = session.operator.role === "producer" ? "#/orders" : "#/dashboard";
        route();
        return;
      }
      error.replaceChildren(notice(result.status === 429 ? t().tooMany(result.body.retryAfter || 900) : result.status === 401 ? t().wrongPair : problem(result), "error"));
    });
    app.replaceChildren(form);
  }

  // ---- the shell ---------------------------------------------------------------------------------------

  const PAGES = {
    dashboard: { roles: ["admin", "editor"], render: renderDashboard },
    handoffs: { roles: ["admin", "editor"], render: renderHandoffs },
    broadcasts: { roles: ["admin", "editor"], render: renderBroadcasts },
    flags: { roles: ["admin", "editor"], render: renderFlags },
    answers: { roles: ["admin", "editor"], render: renderAnswers },
    documents: { roles: ["admin", "editor"], render: renderDocuments },
    conversations: { roles: ["admin", "editor"], render: renderConversations },
    orders: { roles: ["admin", "editor", "producer"], render: renderOrders },
    products: { roles: ["admin", "editor", "producer"], render: renderProducts },
    audit: { roles: ["admin"], render: renderAudit },
    operators: { roles: ["admin"], render: renderOperators },
  };

  function shell(current, content) {
    const role = session.operator.role;
    const nav = h(
      "nav",
      { class: "tabs", "aria-label": "Menu" },
      Object.entries(PAGES)
        .filter(([, page]) => page.roles.includes(role))
        .map(([name]) => h("a", { href: `#/${name}`, class: name === current ? "active" : "", "aria-current": name === current ? "page" : null }, t().nav[name])),
    );
    const who = h(
      "div",
      { class: "who" },
      h("span", {}, `${session.operator.email} · ${t().roles[role]}`),
      h("button", { type: "button", class: "link", id: "sign-out", onclick: signOut }, t().signOut),
    );
    app.replaceChildren(who, nav, content);
  }

  async function signOut() {
    await api("DELETE", "/session");
    session = null;
    location.hash = "";
    renderSignIn();
  }

  async function route() {
    applyLanguage();
    if (!session) {
      const result = await api("GET", "/session");
      if (result.status !== 200) return renderSignIn();
      session = result.body;
    }
    clearCharts();
    const [name, ...rest] = location.hash.replace(/^#\/?/, "").split("/");
    const allowed = Object.keys(PAGES).filter((page) => PAGES[page].roles.includes(session.operator.role));
    const page = allowed.includes(name) ? name : allowed[0];
    const content = h("section", { class: "page", id: `page-${page}` }, h("p", { class: "muted" }, t().loading));
    shell(page, content);
    await PAGES[page].render(content, rest.map(decodeURIComponent));
  }

  // ---- dashboard -----------------------------------------------------------------------------------------

  async function renderDashboard(root) {
    const days = Number(sessionStorage.getItem("ocop-admin-days") || 14);
    const from = new Date(Date.now() - days * 86_400_000).toISOString();
    const result = await api("GET", `/stats?from=${encodeURIComponent(from)}`);
    if (result.status !== 200) return root.replaceChildren(notice(problem(result), "error"));
    const stats = result.body;
    const select = h(
      "select",
      { id: "range", "aria-label": t().range, onchange: (event) => { sessionStorage.setItem("ocop-admin-days", event.target.value); route(); } },
      [7, 14, 30, 90].map((n) => h("option", { value: n, selected: n === days }, t().days(n))),
    );
    const figure = (label, value) => h("div", { class: "figure" }, h("span", { class: "value" }, value), h("span", { class: "label" }, label));
    const latency = stats.latencyMs.p50 === null ? "—" : `${stats.latencyMs.p50} / ${stats.latencyMs.p95} ms`;
    const canvases = { perDay: h("canvas", { id: "chart-per-day", role: "img", "aria-label": t().perDay }), intents: h("canvas", { id: "chart-intents", role: "img", "aria-label": t().topIntents }), orders: h("canvas", { id: "chart-orders", role: "img", "aria-label": t().ordersByStatus }) };
    const box = (title, canvas, empty) => h("figure", { class: "card chart" }, h("figcaption", {}, title), empty ? h("p", { class: "muted" }, t().noData) : h("div", { class: "canvas" }, canvas));
    root.replaceChildren(
      h("div", { class: "toolbar" }, select),
      h("div", { class: "figures" }, figure(t().messages, stats.turns), figure(t().unknownShare, percent(stats.unknownShare)), figure(t().offTopicShare, percent(stats.offTopicShare)), figure(t().latency, latency)),
      h("div", { class: "charts" }, box(t().perDay, canvases.perDay, stats.messagesPerDay.length === 0), box(t().topIntents, canvases.intents, stats.topIntents.length === 0), box(t().ordersByStatus, canvases.orders, stats.ordersByStatus.length === 0)),
    );
    if (!window.Chart) return;
    const dayLabels = [...new Set(stats.messagesPerDay.map((row) => row.day))];
    const channels = [...new Set(stats.messagesPerDay.map((row) => row.channel))];
    const common = { responsive: true, maintainAspectRatio: false, animation: false };
    if (dayLabels.length) {
      charts.push(new window.Chart(canvases.perDay, {
        type: "bar",
        data: { labels: dayLabels, datasets: channels.map((channel) => ({ label: channel, backgroundColor: CHANNEL_COLOURS[channel] || "#555", data: dayLabels.map((day) => stats.messagesPerDay.find((row) => row.day === day && row.channel === channel)?.messages || 0) })) },
        options: { ...common, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
      }));
    }
    if (stats.topIntents.length) {
      charts.push(new window.Chart(canvases.intents, {
        type: "bar",
        data: { labels: stats.topIntents.map((row) => row.intent), datasets: [{ label: t().messages, backgroundColor: "#0b6e4f", data: stats.topIntents.map((row) => row.turns) }] },
        options: { ...common, indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
      }));
    }
    if (stats.ordersByStatus.length) {
      charts.push(new window.Chart(canvases.orders, {
        type: "doughnut",
        data: { labels: stats.ordersByStatus.map((row) => t().statuses[row.status] || row.status), datasets: [{ backgroundColor: PALETTE, data: stats.ordersByStatus.map((row) => row.orders) }] },
        options: common,
      }));
    }
  }

  // ---- conversations ---------------------------------------------------------------------------------------

  async function renderConversations(root, [channel, userId]) {
    if (channel && userId) return renderTranscript(root, channel, userId);
    const saved = JSON.parse(sessionStorage.getItem("ocop-admin-conversation-filter") || "{}");
    const form = h(
      "form",
      { class: "toolbar filters", id: "conversation-filter" },
      h("input", { name: "q", type: "search", placeholder: t().searchPlaceholder, "aria-label": t().search, value: saved.q || "" }),
      h("select", { name: "channel", "aria-label": t().allChannels }, h("option", { value: "" }, t().allChannels), ["telegram", "zalo", "web", "cli"].map((c) => h("option", { value: c, selected: saved.channel === c }, c))),
      h("label", { class: "inline" }, t().from, h("input", { name: "from", type: "date", value: saved.from || "" })),
      h("label", { class: "inline" }, t().to, h("input", { name: "to", type: "date", value: saved.to || "" })),
      h("button", { type: "submit", class: "primary" }, t().search),
    );
    const list = h("div", { class: "list" });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const filter = Object.fromEntries([...new FormData(form)].filter(([, value]) => value));
      sessionStorage.setItem("ocop-admin-conversation-filter", JSON.stringify(filter));
      load(filter);
    });
    root.replaceChildren(form, list);
    async function load(filter) {
      const result = await api("GET", `/conversations?${new URLSearchParams(filter)}`);
      if (result.status !== 200) return list.replaceChildren(notice(problem(result), "error"));
      if (result.body.conversations.length === 0) return list.replaceChildren(h("p", { class: "muted" }, t().noConversations));
      list.replaceChildren(
        ...result.body.conversations.map((c) =>
          h(
            "a",
            { class: "card row conversation", href: `#/conversations/${encodeURIComponent(c.channel)}/${encodeURIComponent(c.userId)}` },
            h("div", { class: "meta" }, h("span", { class: `badge ${c.channel}` }, c.channel), h("span", {}, c.userId), h("span", { class: "muted" }, `${t().turns(c.turns)} · ${when(c.lastAt)}`)),
            h("p", { class: "excerpt" }, c.lastText),
          ),
        ),
      );
    }
    await load(saved);
  }

  async function renderTranscript(root, channel, userId) {
    const result = await api("GET", `/conversations/${encodeURIComponent(channel)}/${encodeURIComponent(userId)}`);
    const back = h("a", { href: "#/conversations", class: "link" }, t().back);
    if (result.status !== 200) return root.replaceChildren(back, notice(problem(result), "error"));
    root.replaceChildren(
      back,
      h("h2", {}, `${channel} · ${userId}`),
      h(
        "ol",
        { class: "transcript" },
        result.body.turns.map((turn) =>
          h(
            "li",
            { class: "turn" },
            h("p", { class: "user bubble" }, turn.text),
            turn.replies.map((reply) => h("p", { class: "bot bubble" }, reply.text, reply.buttons?.length ? h("span", { class: "buttons" }, reply.buttons.map((b) => h("span", { class: "chip" }, b))) : null)),
            h(
              "p",
              { class: "turn-meta" },
              `${when(turn.at)} · ${t().intent}: `,
              h("code", {}, turn.intent),
              turn.understanding ? ` (${turn.understanding.by}, ${t().score} ${Number(turn.understanding.score).toFixed(2)})` : "",
              ` · ${turn.latencyMs} ms`,
              turn.sources.length ? h("span", { class: "sources" }, ` · ${t().sources}: ${turn.sources.map((s) => s.title).join("; ")}`) : null,
            ),
          ),
        ),
      ),
    );
  }

  // ---- the improvement loop ------------------------------------------------------------------------------

  async function renderFlags(root) {
    const [flags, intents] = await Promise.all([api("GET", "/flags"), api("GET", "/intents")]);
    if (flags.status !== 200) return root.replaceChildren(notice(problem(flags), "error"));
    if (flags.body.groups.length === 0) return root.replaceChildren(h("p", { class: "muted" }, t().noFlags));
    root.replaceChildren(h("div", { class: "list", id: "flags" }, flags.body.groups.map((group) => flagCard(group, intents.body.intents || []))));
  }

  function flagCard(group, intents) {
    const message = h("div", { class: "message" });
    const turnIds = group.turns.map((turn) => turn.id);
    const done = async (result) => (result.status === 200 || result.status === 201 ? route() : message.replaceChildren(notice(problem(result), "error")));
    const resolve = (action, intent) => api("POST", "/flags/resolve", intent ? { turnIds, action, intent } : { turnIds, action }).then(done);
    const field = (label, input) => h("label", { class: "field wide" }, label, input);
    const inputs = {
      questions: h("textarea", { rows: 3 }),
      vi: h("textarea", { rows: 3, required: true }),
      en: h("textarea", { rows: 3, required: true }),
      title: h("input", { type: "text", required: true, maxlength: 200 }),
      url: h("input", { type: "url", maxlength: 500 }),
    };
    inputs.questions.value = [...new Set(group.turns.map((turn) => turn.text))].join("\n");
    const form = h(
      "form",
      { class: "grid answer-form" },
      field(t().questionsLabel, inputs.questions),
      field(t().answerVi, inputs.vi),
      field(t().answerEn, inputs.en),
      field(t().sourceTitle, inputs.title),
      field(t().sourceUrl, inputs.url),
      h("button", { type: "submit", class: "primary" }, t().save),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const questions = inputs.questions.value.split("\n").map((q) => q.trim()).filter(Boolean);
      const source = inputs.url.value.trim() ? { title: inputs.title.value.trim(), url: inputs.url.value.trim() } : { title: inputs.title.value.trim() };
      api("POST", "/answers", { questions, answer: { vi: inputs.vi.value.trim(), en: inputs.en.value.trim() }, sources: [source], flags: turnIds }).then(done);
    });
    const intentSelect = h("select", { "aria-label": t().fileUnder }, intents.map((intent) => h("option", { value: intent.name }, `${intent.label[lang]} (${intent.name})`)));
    return h(
      "article",
      { class: "card flag", "data-id": group.id },
      h("header", { class: "meta" }, h("strong", {}, group.question), h("span", { class: "badge" }, t().times(group.count)), group.reasons.map((reason) => h("span", { class: "badge status-pending" }, t().reasons[reason] || reason)), h("span", { class: "muted" }, when(group.lastAt))),
      h(
        "ol",
        { class: "transcript mini" },
        group.context.map((turn) => h("li", { class: "turn" }, h("p", { class: "user bubble" }, turn.text), turn.replies.map((reply) => h("p", { class: "bot bubble" }, reply.text)), h("p", { class: "turn-meta" }, h("code", {}, turn.intent)))),
      ),
      group.suggestion
        ? h(
            "div",
            { class: "actions suggestion" },
            h("span", {}, t().suggestion(group.suggestion.question, group.suggestion.score)),
            h("button", { type: "button", class: "primary", onclick: () => api("PATCH", `/answers/${group.suggestion.answerId}`, { flags: turnIds }).then(done) }, t().addToAnswer),
          )
        : null,
      h("details", {}, h("summary", {}, t().writeAnswer), form),
      h("div", { class: "actions" }, intentSelect, h("button", { type: "button", onclick: () => resolve("example", intentSelect.value) }, t().fileUnder), h("button", { type: "button", onclick: () => resolve("out_of_scope") }, t().outOfScope), h("button", { type: "button", class: "link", onclick: () => resolve("dismissed") }, t().dismiss)),
      message,
    );
  }

  async function renderAnswers(root) {
    const result = await api("GET", "/answers");
    if (result.status !== 200) return root.replaceChildren(notice(problem(result), "error"));
    if (result.body.answers.length === 0) return root.replaceChildren(h("p", { class: "muted" }, t().noAnswers));
    root.replaceChildren(
      h(
        "div",
        { class: "list", id: "answers" },
        result.body.answers.map((answer) => {
          const message = h("div", { class: "message" });
          const toggle = h("input", { type: "checkbox", checked: answer.active });
          toggle.addEventListener("change", async () => {
            const changed = await api("PATCH", `/answers/${answer.id}`, { active: toggle.checked });
            message.replaceChildren(changed.status === 200 ? notice(t().done) : notice(problem(changed), "error"));
          });
          const remove = async () => {
            const removed = await api("DELETE", `/answers/${answer.id}`);
            return removed.status === 204 ? route() : message.replaceChildren(notice(problem(removed), "error"));
          };
          return h(
            "article",
            { class: "card answer", "data-id": answer.id },
            h("ul", { class: "lines" }, answer.questions.map((question) => h("li", {}, question))),
            h("p", { class: "bot bubble" }, answer.answer[lang]),
            h("p", { class: "muted" }, `${t().sources}: ${answer.sources.map((s) => (s.url ? `${s.title} (${s.url})` : s.title)).join("; ")}`),
            h("div", { class: "actions" }, h("label", { class: "field check" }, toggle, t().active), h("button", { type: "button", class: "danger", onclick: remove }, t().remove)),
            message,
          );
        }),
      ),
    );
  }

  // ---- human handoff ---------------------------------------------------------------------------------------

  async function renderHandoffs(root, [channel, userId]) {
    if (channel && userId) return renderHandoff(root, channel, userId);
    const result = await api("GET", "/handoffs");
    if (result.status !== 200) return root.replaceChildren(notice(problem(result), "error"));
    if (result.body.handoffs.length === 0) return root.replaceChildren(h("p", { class: "muted" }, t().noHandoffs));
    root.replaceChildren(
      h(
        "div",
        { class: "list", id: "handoffs" },
        result.body.handoffs.map((item) =>
          h(
            "a",
            { class: "card row handoff", href: `#/handoffs/${encodeURIComponent(item.channel)}/${encodeURIComponent(item.userId)}` },
            h("div", { class: "meta" }, h("span", { class: `badge ${item.channel}` }, item.channel), h("strong", {}, item.userId), h("span", { class: `badge status-${item.state === "waiting" ? "pending" : "confirmed"}` }, t().handoffStates[item.state]), item.operator ? h("span", { class: "muted" }, item.operator) : null, h("span", { class: "muted" }, when(item.requestedAt))),
            h("p", { class: "excerpt" }, item.firstMessage),
          ),
        ),
      ),
    );
  }

  async function renderHandoff(root, channel, userId) {
    const path = `/conversations/${encodeURIComponent(channel)}/${encodeURIComponent(userId)}`;
    const back = h("a", { href: "#/handoffs", class: "link" }, t().back);
    const transcript = h("ol", { class: "transcript" });
    const message = h("div", { class: "message" });
    const load = async () => {
      const result = await api("GET", path);
      if (result.status !== 200) return message.replaceChildren(notice(problem(result), "error"));
      transcript.replaceChildren(
        ...result.body.turns.map((turn) => h("li", { class: "turn" }, h("p", { class: "user bubble" }, turn.text), turn.replies.map((reply) => h("p", { class: "bot bubble" }, reply.text)))),
      );
    };
    const text = h("textarea", { rows: 3, maxlength: 2000, "aria-label": t().replyLabel });
    const form = h("form", { class: "reply-form" }, h("label", { class: "field" }, t().replyLabel, text), h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t().send), h("button", { type: "button", class: "danger", id: "release", onclick: async () => {
      const released = await api("POST", `${path}/release`, {});
      message.replaceChildren(released.status === 200 ? notice(t().released) : notice(problem(released), "error"));
    } }, t().release)));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!text.value.trim()) return;
      const sent = await api("POST", `${path}/messages`, { text: text.value.trim() });
      if (sent.status !== 202) return message.replaceChildren(notice(problem(sent), "error"));
      message.replaceChildren(notice(t().sent));
      transcript.append(h("li", { class: "turn" }, h("p", { class: "bot bubble operator" }, text.value.trim())));
      text.value = "";
    });
    root.replaceChildren(back, h("h2", {}, `${channel} · ${userId}`), transcript, form, message);
    await load();
  }

  // ---- broadcasts ---------------------------------------------------------------------------------------

  async function renderBroadcasts(root) {
    const result = await api("GET", "/broadcasts");
    if (result.status !== 200) return root.replaceChildren(notice(problem(result), "error"));
    const message = h("div", { class: "message" });
    const audience = h("p", { class: "muted" });
    const preview = h("div", { class: "preview" });
    const topic = h("select", { name: "topic", "aria-label": t().topic }, Object.keys(t().topics).map((id) => h("option", { value: id }, t().topics[id])));
    const channelBoxes = ["telegram", "zalo", "messenger"].map((channel) => h("input", { type: "checkbox", value: channel, checked: true }));
    const vi = h("textarea", { rows: 3, maxlength: 2000, required: true });
    const en = h("textarea", { rows: 3, maxlength: 2000, required: true });
    const force = h("input", { type: "checkbox" });
    const countAudience = async () => {
      const counts = await api("GET", `/broadcasts/audience?topic=${topic.value}`);
      const chosen = channelBoxes.filter((box) => box.checked).map((box) => box.value);
      const total = counts.status === 200 ? chosen.reduce((sum, channel) => sum + (counts.body.audience[channel] || 0), 0) : 0;
      audience.textContent = t().audience(total);
    };
    topic.addEventListener("change", countAudience);
    for (const box of channelBoxes) box.addEventListener("change", countAudience);
    const form = h(
      "form",
      { class: "grid", id: "new-broadcast" },
      h("label", { class: "field" }, t().topic, topic),
      h("fieldset", { class: "field" }, h("legend", {}, t().channelsLabel), channelBoxes.map((box) => h("label", { class: "field check" }, box, box.value))),
      h("label", { class: "field wide" }, t().textVi, vi),
      h("label", { class: "field wide" }, t().textEn, en),
      session.operator.role === "admin" ? h("label", { class: "field check wide" }, force, t().force) : null,
      h("div", { class: "actions wide" }, h("button", { type: "button", onclick: () => preview.replaceChildren(h("p", { class: "bot bubble" }, vi.value), h("p", { class: "bot bubble" }, en.value)) }, t().preview), h("button", { type: "submit", class: "primary" }, t().sendBroadcast)),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const channels = channelBoxes.filter((box) => box.checked).map((box) => box.value);
      const sent = await api("POST", "/broadcasts", { topic: topic.value, text: { vi: vi.value.trim(), en: en.value.trim() }, channels, force: force.checked });
      if (sent.status !== 202) return message.replaceChildren(notice(problem(sent), "error"));
      message.replaceChildren(notice(t().scheduled(when(sent.body.sendAt))));
      setTimeout(route, 1500);
    });
    root.replaceChildren(
      h("div", { class: "card" }, form, audience, preview, message),
      h(
        "div",
        { class: "list", id: "broadcasts" },
        result.body.broadcasts.map((b) => h("article", { class: "card" }, h("div", { class: "meta" }, h("strong", {}, t().topics[b.topic]), h("span", { class: "muted" }, `${when(b.sendAt)} · ${b.createdBy}`), b.forced ? h("span", { class: "badge status-pending" }, "force") : null), h("p", {}, b.text[lang]), h("p", { class: "muted" }, t().counts(b)))),
      ),
    );
    await countAudience();
  }

  // ---- knowledge documents ---------------------------------------------------------------------------------

  const DOCUMENT_TEMPLATE = "---\nid: ten-tai-lieu\ntitle:\n  vi: Tiêu đề\n  en: Title\nsources:\n  - \"Nguồn\"\ndate: 2026-01-01\naliases: []\n---\n\n";

  async function renderDocuments(root, [id]) {
    if (id) return renderDocument(root, id);
    const result = await api("GET", "/documents");
    if (result.status !== 200) return root.replaceChildren(notice(problem(result), "error"));
    const message = h("div", { class: "message" });
    const editor = h("textarea", { rows: 14, "aria-label": t().markdown, class: "markdown" });
    editor.value = DOCUMENT_TEMPLATE;
    const form = h("form", {}, h("label", { class: "field" }, t().markdown, editor), h("button", { type: "submit", class: "primary" }, t().create));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const created = await api("POST", "/documents", { markdown: editor.value });
      if (created.status !== 201) return message.replaceChildren(notice(problem(created), "error"));
      location.hash = `#/documents/${encodeURIComponent(created.body.document.id)}`;
    });
    root.replaceChildren(
      h("details", { class: "card" }, h("summary", {}, t().addDocument), form, message),
      h(
        "div",
        { class: "list", id: "documents" },
        result.body.documents.map((d) =>
          h("a", { class: "card row", href: `#/documents/${encodeURIComponent(d.id)}` }, h("div", { class: "meta" }, h("strong", {}, d.title[lang]), h("span", { class: "badge" }, t().origins[d.origin]), h("span", { class: "muted" }, `${t().indexing[d.status]} · ${when(d.updatedAt)}`))),
        ),
      ),
    );
  }

  async function renderDocument(root, id) {
    const result = await api("GET", `/documents/${encodeURIComponent(id)}`);
    const back = h("a", { href: "#/documents", class: "link" }, t().back);
    if (result.status !== 200) return root.replaceChildren(back, notice(problem(result), "error"));
    const doc = result.body.document;
    const message = h("div", { class: "message" }, notice(t().indexing[doc.status]));
    const editor = h("textarea", { rows: 20, "aria-label": t().markdown, class: "markdown" });
    editor.value = doc.markdown;
    const after = async (saved) => {
      if (saved.status !== 200) return message.replaceChildren(notice(problem(saved), "error"));
      message.replaceChildren(notice(`${t().done} ${t().indexing[saved.body.document.status]}`));
      // Shows when the background re-indexing is done.
      for (let i = 0; i < 20; i++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const now = await api("GET", `/documents/${encodeURIComponent(id)}`);
        if (now.status !== 200 || now.body.document.status !== "indexing") {
          if (now.status === 200) message.replaceChildren(notice(`${t().done} ${t().indexing[now.body.document.status]}`));
          return;
        }
      }
    };
    const save = h("button", { type: "button", class: "primary", onclick: () => api("PUT", `/documents/${encodeURIComponent(id)}`, { markdown: editor.value }).then(after) }, t().save);
    const remove = h("button", { type: "button", class: "danger", onclick: async () => {
      const removed = await api("DELETE", `/documents/${encodeURIComponent(id)}`);
      if (removed.status === 204) location.hash = "#/documents";
      else message.replaceChildren(notice(problem(removed), "error"));
    } }, t().deleteDocument);
    root.replaceChildren(
      back,
      h("h2", {}, doc.title[lang]),
      h("p", { class: "muted" }, `${t().origins[doc.origin]} · ${doc.updatedBy} · ${when(doc.updatedAt)}`),
      editor,
      h("div", { class: "actions" }, save, remove),
      message,
      doc.history.length
        ? h(
            "details",
            { class: "card" },
            h("summary", {}, t().history),
            h("ol", { class: "list" }, doc.history.map((v) => h("li", { class: "row" }, `${when(v.savedAt)} · ${v.savedBy} `, h("button", { type: "button", class: "link", onclick: () => api("POST", `/documents/${encodeURIComponent(id)}/revert`, { version: v.version }).then(async (r) => { await after(r); route(); }) }, t().revert)))),
          )
        : null,
    );
  }

  // ---- orders ---------------------------------------------------------------------------------------

  async function renderOrders(root) {
    const saved = JSON.parse(sessionStorage.getItem("ocop-admin-order-filter") || "{}");
    const isProducer = session.operator.role === "producer";
    const producers = isProducer ? [] : ((await api("GET", "/products")).body.producers || []);
    const form = h(
      "form",
      { class: "toolbar filters", id: "order-filter" },
      h("select", { name: "status", "aria-label": t().status }, h("option", { value: "" }, t().allStatuses), Object.keys(NEXT).map((s) => h("option", { value: s, selected: saved.status === s }, t().statuses[s]))),
      isProducer ? null : h("select", { name: "producer", "aria-label": t().producer }, h("option", { value: "" }, t().allProducers), producers.map((p) => h("option", { value: p.id, selected: saved.producer === p.id }, p.name))),
    );
    const list = h("div", { class: "list", id: "orders" });
    form.addEventListener("change", () => {
      const filter = Object.fromEntries([...new FormData(form)].filter(([, value]) => value));
      sessionStorage.setItem("ocop-admin-order-filter", JSON.stringify(filter));
      load(filter);
    });
    root.replaceChildren(form, list);
    async function load(filter) {
      const result = await api("GET", `/orders?${new URLSearchParams(filter)}`);
      if (result.status !== 200) return list.replaceChildren(notice(problem(result), "error"));
      if (result.body.orders.length === 0) return list.replaceChildren(h("p", { class: "muted" }, t().noOrders));
      list.replaceChildren(...result.body.orders.map((order) => orderCard(order, () => load(filter))));
    }
    await load(saved);
  }

  function orderCard(order, reload) {
    const message = h("div", { class: "message" });
    const note = h("input", { type: "text", maxlength: 500, placeholder: t().note, "aria-label": t().note, class: "note" });
    const act = async (status) => {
      const result = await api("POST", `/orders/${encodeURIComponent(order.code)}/status`, note.value.trim() ? { status, note: note.value.trim() } : { status });
      if (result.status === 200) return reload();
      message.replaceChildren(notice(problem(result), "error"));
    };
    const block = async (blocked) => {
      const result = await api("POST", `/orders/${encodeURIComponent(order.code)}/block`, { blocked });
      message.replaceChildren(result.status === 200 ? notice(blocked ? t().blocked : t().unblocked) : notice(problem(result), "error"));
    };
    const next = NEXT[order.status] || [];
    return h(
      "article",
      { class: "card order", "data-code": order.code },
      h("header", { class: "meta" }, h("strong", {}, order.code), h("span", { class: `badge status-${order.status}` }, t().statuses[order.status]), h("span", { class: `badge ${order.channel}` }, order.channel), h("span", { class: "muted" }, when(order.createdAt))),
      h("p", {}, order.producerName),
      h("ul", { class: "lines" }, order.lines.map((line) => h("li", {}, `${line.quantity} ${line.unit} ${line.name} × ${money(line.unitPrice)} = ${money(line.lineTotal)}`))),
      h("p", {}, h("strong", {}, `${t().total}: ${money(order.total)}`), order.pricesAreSample ? ` ${t().sample}` : ""),
      h("p", { class: "muted" }, `${t().recipient}: ${order.recipientName} · ${order.phone} · ${order.address}`),
      next.length ? h("div", { class: "actions" }, note, next.map((status) => h("button", { type: "button", class: status === "cancelled" ? "danger" : "primary", "data-status": status, onclick: () => act(status) }, t().actions[status]))) : null,
      h("div", { class: "actions minor" }, h("button", { type: "button", class: "link", onclick: () => block(true) }, t().block), h("button", { type: "button", class: "link", onclick: () => block(false) }, t().unblock)),
      message,
    );
  }

  // ---- catalogue ---------------------------------------------------------------------------------------

  async function renderProducts(root) {
    const result = await api("GET", "/products");
    if (result.status !== 200) return root.replaceChildren(notice(problem(result), "error"));
    const { products, producers, groups } = result.body;
    root.replaceChildren(newProductForm(producers, groups), h("div", { class: "list", id: "products" }, products.map(productRow)));
  }

  function productRow(product) {
    const message = h("div", { class: "message" });
    const field = (label, name, input) => h("label", { class: `field ${name}` }, label, input);
    const inputs = {
      name: h("input", { type: "text", value: product.name, maxlength: 120 }),
      unit: h("input", { type: "text", value: product.unit, maxlength: 30 }),
      price: h("input", { type: "number", min: 0, step: 1000, value: product.price, inputmode: "numeric" }),
      stars: h("select", {}, h("option", { value: "" }, t().noStars), [1, 2, 3, 4, 5].map((n) => h("option", { value: n, selected: product.stars === n }, `${n}★`))),
      available: h("input", { type: "checkbox", checked: product.available }),
    };
    const save = async () => {
      const change = {};
      if (inputs.name.value.trim() !== product.name) change.name = inputs.name.value.trim();
      if (inputs.unit.value.trim() !== product.unit) change.unit = inputs.unit.value.trim();
      if (Number(inputs.price.value) !== product.price) change.price = Number(inputs.price.value);
      const stars = inputs.stars.value === "" ? null : Number(inputs.stars.value);
      if (stars !== product.stars) change.stars = stars;
      if (inputs.available.checked !== product.available) change.available = inputs.available.checked;
      if (Object.keys(change).length === 0) return message.replaceChildren(notice(t().nothingChanged));
      const result = await api("PATCH", `/products/${encodeURIComponent(product.id)}`, change);
      if (result.status !== 200) return message.replaceChildren(notice(problem(result), "error"));
      Object.assign(product, result.body.product);
      sample.textContent = product.priceIsSample ? t().sample : "";
      message.replaceChildren(notice(t().done));
    };
    const sample = h("span", { class: "muted" }, product.priceIsSample ? t().sample : "");
    return h(
      "article",
      { class: "card product", "data-id": product.id },
      h("header", { class: "meta" }, h("strong", {}, product.name), h("span", { class: "muted" }, product.producerName)),
      h("div", { class: "grid" }, field(t().name, "name", inputs.name), field(t().unit, "unit", inputs.unit), field(t().price, "price", inputs.price), field(t().stars, "stars", inputs.stars), h("label", { class: "field check" }, inputs.available, t().available)),
      h("div", { class: "actions" }, sample, h("button", { type: "button", class: "primary save", onclick: save }, t().save)),
      message,
    );
  }

  function newProductForm(producers, groups) {
    const message = h("div", { class: "message" });
    const form = h(
      "form",
      { class: "grid", id: "new-product" },
      h("label", { class: "field" }, t().producer, h("select", { name: "producerId", required: true }, producers.map((p) => h("option", { value: p.id }, p.name)))),
      h("label", { class: "field" }, t().group, h("select", { name: "group", required: true }, groups.map((g) => h("option", { value: g.id }, g[lang])))),
      h("label", { class: "field" }, t().name, h("input", { name: "name", required: true, maxlength: 120 })),
      h("label", { class: "field" }, t().nameEn, h("input", { name: "nameEn", required: true, maxlength: 120 })),
      h("label", { class: "field" }, t().unit, h("input", { name: "unit", required: true, maxlength: 30 })),
      h("label", { class: "field" }, t().unitEn, h("input", { name: "unitEn", required: true, maxlength: 30 })),
      h("label", { class: "field" }, t().price, h("input", { name: "price", type: "number", min: 0, step: 1000, required: true, inputmode: "numeric" })),
      h("button", { type: "submit", class: "primary" }, t().create),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = Object.fromEntries(new FormData(form));
      const result = await api("POST", "/products", { ...data, price: Number(data.price) });
      if (result.status !== 201) return message.replaceChildren(notice(problem(result), "error"));
      message.replaceChildren(notice(t().created));
      route();
    });
    return h("details", { class: "card" }, h("summary", {}, t().addProduct), form, message);
  }

  // ---- audit log and operators (admins) ---------------------------------------------------------------------

  async function renderAudit(root) {
    const result = await api("GET", "/audit");
    if (result.status !== 200) return root.replaceChildren(notice(problem(result), "error"));
    const show = (value) => (value === null || value === undefined ? "—" : JSON.stringify(value));
    root.replaceChildren(
      h(
        "ol",
        { class: "list audit" },
        result.body.entries.map((entry) =>
          h("li", { class: "card" }, h("div", { class: "meta" }, h("span", { class: "muted" }, when(entry.at)), h("strong", {}, entry.operator), h("code", {}, entry.action), h("span", {}, entry.target)), h("p", { class: "change" }, `${show(entry.before)} → ${show(entry.after)}`)),
        ),
      ),
    );
  }

  async function renderOperators(root) {
    const [list, products] = await Promise.all([api("GET", "/operators"), api("GET", "/products")]);
    if (list.status !== 200) return root.replaceChildren(notice(problem(list), "error"));
    const message = h("div", { class: "message" });
    const form = h(
      "form",
      { class: "grid", id: "new-operator" },
      h("label", { class: "field" }, t().email, h("input", { name: "email", type: "email", required: true, autocomplete: "off" })),
      h("label", { class: "field" }, t().password, h("input", { name: "password", type: "password", required: true, minlength: 10, autocomplete: "new-password" })),
      h("label", { class: "field" }, t().role, h("select", { name: "role" }, ["editor", "producer", "admin"].map((role) => h("option", { value: role }, t().roles[role])))),
      h("label", { class: "field" }, t().producer, h("select", { name: "producerId" }, h("option", { value: "" }, "—"), (products.body.producers || []).map((p) => h("option", { value: p.id }, p.name)))),
      h("button", { type: "submit", class: "primary" }, t().save),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = Object.fromEntries([...new FormData(form)].filter(([, value]) => value));
      const result = await api("POST", "/operators", data);
      if (result.status !== 200 && result.status !== 201) return message.replaceChildren(notice(problem(result), "error"));
      route();
    });
    const toggle = async (operator) => {
      const result = await api("PATCH", `/operators/${operator.id}`, { disabled: !operator.disabled });
      if (result.status !== 200) return message.replaceChildren(notice(problem(result), "error"));
      route();
    };
    root.replaceChildren(
      h("details", { class: "card" }, h("summary", {}, t().addOperator), form),
      message,
      h(
        "div",
        { class: "list" },
        list.body.operators.map((operator) =>
          h(
            "article",
            { class: "card row" },
            h("div", { class: "meta" }, h("strong", {}, operator.email), h("span", { class: "badge" }, t().roles[operator.role]), operator.producerId ? h("span", { class: "muted" }, operator.producerId) : null, operator.disabled ? h("span", { class: "badge status-cancelled" }, t().disabled) : null),
            h("p", { class: "muted" }, `${t().lastSignIn}: ${operator.lastSignInAt ? when(operator.lastSignInAt) : t().never}`),
            operator.email === session.operator.email ? null : h("button", { type: "button", class: operator.disabled ? "primary" : "danger", onclick: () => toggle(operator) }, operator.disabled ? t().enable : t().disable),
          ),
        ),
      ),
    );
  }

  document.getElementById("lang").addEventListener("click", () => {
    lang = lang === "vi" ? "en" : "vi";
    localStorage.setItem("ocop-admin-lang", lang);
    if (session) route();
    else {
      applyLanguage();
      renderSignIn();
    }
  });
  window.addEventListener("hashchange", () => session && route());
  route();
})();
