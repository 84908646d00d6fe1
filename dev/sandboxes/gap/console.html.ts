// The Gap sandbox's web chat console: one self-contained page (no external assets) where a developer
// plays the citizen. It polls /_sandbox/conversation every second and delivers through /_sandbox/deliver.
// Kept as String.raw so the page's own escapes survive; the page must contain no backtick and no "${".
export const GAP_CONSOLE_HTML = String.raw`<!doctype html>
<html lang="fa" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>پیشخوان · کنسول گپ</title>
<style>
  :root { --bg: #e9edf2; --panel: #f7f8fa; --citizen: #d7f3e3; --bot: #fff; --accent: #17744a; --muted: #687385;
    --border: #d9dee5; --text: #1d2733; --danger: #b42318; }
  * { box-sizing: border-box; }
  html, body { height: 100%; margin: 0; }
  body { font-family: Vazirmatn, Vazir, Tahoma, "Segoe UI", sans-serif; background: var(--bg); color: var(--text);
    display: flex; justify-content: center; }
  .app { display: flex; flex-direction: column; width: 100%; max-width: 720px; height: 100vh; height: 100dvh;
    background: var(--panel); border-inline: 1px solid var(--border); }
  header { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; padding: .6rem .8rem; background: var(--accent); color: #fff; }
  header h1 { flex: 1; margin: 0; font-size: 1rem; font-weight: 600; white-space: nowrap; }
  header label { display: flex; align-items: center; gap: .35rem; font-size: .85rem; }
  header input { width: 8rem; padding: .3rem .45rem; border: 0; border-radius: 6px; font: inherit; direction: ltr; text-align: center; }
  header button { padding: .3rem .6rem; border: 1px solid rgba(255,255,255,.6); border-radius: 6px; background: transparent;
    color: #fff; font: inherit; font-size: .8rem; cursor: pointer; }
  #status { display: none; padding: .35rem .8rem; background: #fff4e0; color: #7a4d00; font-size: .8rem; }
  #status.show { display: block; }
  #log { flex: 1; overflow-y: auto; padding: .8rem; display: flex; flex-direction: column; gap: .45rem; }
  .empty { margin: auto; color: var(--muted); font-size: .9rem; text-align: center; line-height: 2; }
  .msg { max-width: 85%; padding: .5rem .75rem; border-radius: 14px; line-height: 1.8; box-shadow: 0 1px 1px rgba(0,0,0,.07); }
  .msg .body { white-space: pre-wrap; overflow-wrap: anywhere; }
  .citizen { align-self: flex-start; background: var(--citizen); border-start-start-radius: 4px; }
  .bot { align-self: flex-end; background: var(--bot); border-start-end-radius: 4px; }
  .meta { margin-top: .15rem; font-size: .7rem; color: var(--muted); text-align: end; }
  .meta.err { color: var(--danger); }
  .notice { align-self: center; max-width: 90%; padding: .25rem .7rem; border-radius: 10px; background: #dde3ea; color: #3d4a5c; font-size: .8rem; }
  .buttons { display: flex; flex-direction: column; gap: .3rem; }
  .buttons .row { display: flex; gap: .3rem; }
  .buttons button { flex: 1; min-height: 2.4rem; padding: .4rem .5rem; border: 1px solid var(--border); border-radius: 10px;
    background: #fff; color: var(--accent); font: inherit; font-size: .9rem; cursor: pointer; }
  .buttons button:hover { background: #eef8f2; }
  .buttons button:disabled { color: var(--muted); cursor: default; }
  .msg .buttons { margin-top: .5rem; }
  #keyboard { display: none; padding: .45rem; background: #e4e8ee; border-top: 1px solid var(--border); max-height: 40vh; overflow-y: auto; }
  #keyboard.show { display: flex; }
  form { display: flex; align-items: flex-end; gap: .45rem; padding: .5rem; background: #fff; border-top: 1px solid var(--border); }
  textarea { flex: 1; min-height: 2.6rem; max-height: 8rem; padding: .5rem .7rem; border: 1px solid var(--border); border-radius: 12px;
    resize: none; font: inherit; line-height: 1.6; }
  form button { min-height: 2.6rem; padding: 0 1.1rem; border: 0; border-radius: 12px; background: var(--accent); color: #fff;
    font: inherit; cursor: pointer; }
  @media (max-width: 480px) { header h1 { font-size: .9rem; } .msg { max-width: 92%; } }
</style>
</head>
<body>
<div class="app">
  <header>
    <h1>پیشخوان · کنسول گپ (سندباکس)</h1>
    <label>شناسه گفتگو <input id="chat" inputmode="numeric" autocomplete="off"></label>
    <button id="clear" type="button" title="همه پیام‌های سندباکس پاک می‌شود">پاک کردن</button>
  </header>
  <div id="status" role="status"></div>
  <main id="log" aria-live="polite"></main>
  <div id="keyboard" class="buttons"></div>
  <form id="composer">
    <textarea id="text" rows="1" placeholder="پیام خود را بنویسید…"></textarea>
    <button type="submit">ارسال</button>
  </form>
</div>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const logBox = $("log"), keyboardBox = $("keyboard"), chatInput = $("chat"), statusBar = $("status"), textBox = $("text");
let chatId = localStorage.getItem("gap-sandbox-chat") || "1001";
let lastId = 0, keyboard = null, keyboardUsed = false, polling = false;
const botMessages = new Map(), deliveries = new Map();
chatInput.value = chatId;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text; // never innerHTML: the text comes from the bot
  return e;
}
function showStatus(text) { statusBar.textContent = text || ""; statusBar.classList.toggle("show", !!text); }
function clock(iso) { return new Date(iso).toLocaleTimeString("fa-IR", { hour: "2-digit", minute: "2-digit" }); }
function parse(text) { try { return JSON.parse(text); } catch (e) { return null; } }

function citizenText(e) {
  if (e.type === "text") return e.data || "";
  if (e.type === "triggerButton") {
    const d = parse(e.data) || {};
    const m = botMessages.get(d.message_id);
    const b = m && (m.inline_keyboard || []).flat().find((x) => x.cb_data === d.data);
    return "🔘 " + (b ? b.text : String(d.data));
  }
  if (e.type === "contact") return "📇 شماره همراه فرستاده شد";
  if (e.type === "location") return "📍 موقعیت فرستاده شد";
  if (e.type === "join") return "به ربات پیوست";
  return "[" + e.type + "] " + (e.data || "");
}

function buttonRows(rows, onPress) {
  const box = el("div", "buttons");
  for (const row of rows) {
    const r = el("div", "row");
    for (const b of row) {
      const btn = el("button", "", b.label);
      btn.type = "button";
      if (b.press) btn.onclick = () => onPress(b); else btn.disabled = true;
      r.append(btn);
    }
    box.append(r);
  }
  return box;
}

function inlineButtons(m) {
  const rows = m.inline_keyboard.map((row) => row.map((b) => ({
    label: b.text + (b.url ? " ↗" : ""),
    press: b.cb_data !== undefined || !!b.url,
    button: b,
  })));
  return buttonRows(rows, ({ button }) => {
    if (button.cb_data !== undefined) deliver({ type: "triggerButton", data: { data: button.cb_data, message_id: m.id } });
    else window.open(button.url, "_blank", "noopener");
  });
}

function renderKeyboard() {
  keyboardBox.replaceChildren();
  const show = !!keyboard && !keyboardUsed;
  keyboardBox.classList.toggle("show", show);
  if (!show) return;
  const rows = keyboard.keyboard.map((row) => row.map((b) => {
    const [value, label] = Object.entries(b)[0];
    return { label, value, press: true };
  }));
  keyboardBox.append(...buttonRows(rows, pressKey).childNodes);
}

function pressKey({ value }) {
  if (keyboard && keyboard.once !== false) { keyboardUsed = true; renderKeyboard(); }
  if (value === "$contact") {
    const phone = prompt("شماره همراه آزمایشی:", "+989120000000");
    if (phone) deliver({ type: "contact", data: { name: "شهروند آزمایشی", phone } });
  } else if (value === "$location") {
    deliver({ type: "location", data: { lat: "35.6997", long: "51.3380", desc: "" } });
  } else {
    deliver({ type: "text", data: value });
  }
}

function updateMeta(id) {
  const meta = $("meta-" + id), d = deliveries.get(id);
  if (!meta || !d) return;
  const ok = d.status >= 200 && d.status < 300;
  meta.textContent = meta.dataset.time + (ok ? " · ✓ " + d.ms + "ms" : " · ✗ " + (d.status || "") + " " + (d.error || ""));
  meta.classList.toggle("err", !ok);
}

function render(e) {
  logBox.querySelector(".empty")?.remove();
  if (e.side === "callback") {
    logBox.append(el("div", "notice", (e.show_alert ? "⚠️ " : "ℹ️ ") + (e.text || "پاسخ دکمه دریافت شد")));
    return;
  }
  const bubble = el("div", "msg " + e.side);
  if (e.side === "bot") {
    botMessages.set(e.id, e);
    bubble.append(el("div", "body", e.type === "text" ? e.data : "[" + e.type + "] " + e.data));
    if (e.inline_keyboard) bubble.append(inlineButtons(e));
    if (e.reply_keyboard) { keyboard = e.reply_keyboard; keyboardUsed = false; renderKeyboard(); }
  } else {
    bubble.append(el("div", "body", citizenText(e)));
  }
  const meta = el("div", "meta", clock(e.time));
  meta.id = "meta-" + e.id;
  meta.dataset.time = meta.textContent;
  bubble.append(meta);
  logBox.append(bubble);
  updateMeta(e.id);
}

function resetView() {
  lastId = 0; keyboard = null; keyboardUsed = false; botMessages.clear();
  logBox.replaceChildren(el("div", "empty", "گفتگو خالی است.\nبرای شروع /start بفرستید."));
  logBox.firstChild.style.whiteSpace = "pre-line";
  renderKeyboard();
}

async function poll() {
  if (polling) return;
  polling = true;
  const forChat = chatId;
  try {
    const res = await fetch("/_sandbox/conversation?chat_id=" + encodeURIComponent(forChat) + "&after=" + lastId);
    if (!res.ok) throw new Error(String(res.status));
    const { entries } = await res.json();
    if (forChat !== chatId) return; // the chat changed while we waited
    for (const e of entries) if (e.id > lastId) { render(e); lastId = e.id; }
    if (entries.length) logBox.scrollTop = logBox.scrollHeight;
    if (statusBar.dataset.kind === "offline") { showStatus(""); statusBar.dataset.kind = ""; }
  } catch (err) {
    showStatus("اتصال به سندباکس برقرار نیست.");
    statusBar.dataset.kind = "offline";
  } finally {
    polling = false;
  }
}

async function deliver(message) {
  try {
    const res = await fetch("/_sandbox/deliver", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(Object.assign({ chat_id: chatId }, message)),
    });
    const body = await res.json().catch(() => ({}));
    if (body.id) deliveries.set(body.id, body);
    if (res.status === 409) showStatus("نشانی وب‌هوک ربات تنظیم نشده است (POST /_sandbox/webhook).");
    else if (!(body.status >= 200 && body.status < 300)) showStatus("ربات پاسخ نداد: " + (body.error || body.status));
    else showStatus("");
  } catch (err) {
    showStatus("اتصال به سندباکس برقرار نیست.");
  }
  await poll();
  for (const id of deliveries.keys()) updateMeta(id);
}

$("composer").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const text = textBox.value;
  if (!text.trim()) return;
  textBox.value = "";
  deliver({ type: "text", data: text });
});
textBox.addEventListener("keydown", (ev) => {
  if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); $("composer").requestSubmit(); }
});
chatInput.addEventListener("change", () => {
  chatId = chatInput.value.trim() || "1001";
  chatInput.value = chatId;
  localStorage.setItem("gap-sandbox-chat", chatId);
  resetView();
  poll();
});
$("clear").addEventListener("click", async () => {
  if (!confirm("همه پیام‌های سندباکس (همه گفتگوها) پاک شود؟")) return;
  await fetch("/_sandbox/messages", { method: "DELETE" });
  resetView();
});

fetch("/_sandbox/webhook").then((r) => r.json()).then((w) => {
  if (!w.url) showStatus("نشانی وب‌هوک ربات تنظیم نشده است (POST /_sandbox/webhook).");
}).catch(() => {});
resetView();
poll();
setInterval(poll, 1000);
</script>
</body>
</html>
`;
