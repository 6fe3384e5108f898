// The sandbox page: draws the workspace as one person sees it and reports
// what they do to the sandbox, which passes it to the app as Slack would.
// It waits on /sandbox/wait and redraws whenever the workspace changes.
import { emojiFor } from './emoji.js';
import { escapeHtml } from './mrkdwn.js';
import { blocksToHtml, messageBodyToHtml, strayErrors, textToHtml } from './render-blocks.js';

const $ = (id) => document.getElementById(id);
const QUICK_REACTIONS = ['eyes', 'white_check_mark'];

const page = {
  me: localStorage.getItem('sandbox.user') || 'U0DEMOCSM01',
  view: 'channel',
  channel: localStorage.getItem('sandbox.channel') || 'C0GENERAL1',
  filter: '',
  data: null,
  version: 0,
  drawn: { users: '', sidebar: '', messages: '', home: '', modal: '' },
};

async function post(path, body) {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
  if (answer.ok === false) showNotice(answer.error, true);
  await refresh();
  return answer;
}

async function refresh() {
  const channel = page.view === 'channel' ? page.channel : '';
  const response = await fetch(`/sandbox/state?user=${encodeURIComponent(page.me)}&channel=${encodeURIComponent(channel)}`);
  if (!response.ok) return;
  page.data = await response.json();
  page.version = page.data.version;
  // A channel this person cannot see (another person's DM, a past session's channel): back to #general.
  if (page.view === 'channel' && !page.data.selected && page.channel !== 'C0GENERAL1') {
    page.channel = 'C0GENERAL1';
    return refresh();
  }
  draw();
}

async function follow() {
  for (;;) {
    try {
      const response = await fetch(`/sandbox/wait?after=${page.version}`);
      const { version } = await response.json();
      if (version !== page.version) await refresh();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

function showNotice(text, isError = false) {
  const notice = $('notice');
  notice.hidden = !text;
  notice.className = `notice${isError ? ' error' : ''}`;
  notice.innerHTML = text ? `<span>${escapeHtml(text)}</span><button type="button" class="notice-close" aria-label="Dismiss">×</button>` : '';
}

// Drawing ------------------------------------------------------------------

function draw() {
  const data = page.data;
  if (!data) return;
  drawOnce('users', JSON.stringify([data.users, data.me]), () => {
    $('user-switcher').innerHTML = data.users.map((u) => `<option value="${escapeHtml(u.id)}"${u.id === data.me ? ' selected' : ''}>${escapeHtml(u.name)} (${escapeHtml(u.role)})</option>`).join('');
  });
  const day = new Date(data.clock);
  $('clock').textContent = `App clock: ${day.toUTCString().replace(/:\d\d GMT$/, ' UTC')}`;
  drawSidebar(data);
  const home = page.view === 'home';
  $('messages').hidden = home;
  $('composer').hidden = home;
  $('home').hidden = !home;
  if (home) {
    $('main-title').textContent = 'account-health — Home';
    drawOnce('home', JSON.stringify(data.home), () => {
      $('home').innerHTML = data.home ? blocksToHtml(data.home.blocks, { names: data.names }) : '<p class="loading">Opening App Home…</p>';
    });
  } else {
    const selected = data.selected;
    $('main-title').innerHTML = selected ? (selected.kind === 'dm' ? `${escapeHtml(selected.name)} <span class="app-tag">APP</span>` : `# ${escapeHtml(selected.name)}`) : '';
    drawOnce('messages', JSON.stringify([selected, data.names.users]), () => drawMessages(selected, data));
  }
  drawModal(data);
  document.documentElement.dataset.me = data.me;
  document.documentElement.dataset.ready = 'true';
  if (window.sandboxFirstDrawMs === undefined) window.sandboxFirstDrawMs = performance.now();
}

function drawOnce(part, key, fn) {
  if (page.drawn[part] === key) return;
  page.drawn[part] = key;
  fn();
}

function drawSidebar(data) {
  const navItem = (c, label) => `<button type="button" class="nav-item${page.view === 'channel' && c.id === page.channel ? ' active' : ''}${c.unread > 0 ? ' unread' : ''}" data-channel="${escapeHtml(c.id)}">${label}${c.unread > 0 ? `<span class="badge">${c.unread}</span>` : ''}</button>`;
  const filter = page.filter.toLowerCase();
  const channels = data.channels.filter((c) => c.kind === 'channel' && (filter === '' || c.name.includes(filter)));
  const dms = data.channels.filter((c) => c.kind === 'dm');
  drawOnce('sidebar', JSON.stringify([channels, dms, page.view, page.channel]), () => {
    $('dm-list').innerHTML = dms.map((c) => navItem(c, `${escapeHtml(c.name)} <span class="app-tag">APP</span>`)).join('');
    $('channel-list').innerHTML = channels.map((c) => navItem(c, `# ${escapeHtml(c.name)}`)).join('');
    $('nav-home').classList.toggle('active', page.view === 'home');
  });
}

function messageHtml(m, data, inThread) {
  const time = new Date(Number(m.ts.split('.')[0]) * 1000).toISOString().slice(11, 16);
  const reactions = m.ephemeral || inThread ? '' : `<div class="reactions">${m.reactions.map((r) => `<button type="button" class="reaction${r.mine ? ' mine' : ''}" data-reaction="${escapeHtml(r.name)}" title="${escapeHtml(r.names.join(', '))} reacted with :${escapeHtml(r.name)}:">${emojiFor(r.name) ?? `:${escapeHtml(r.name)}:`} <span class="count">${r.count}</span></button>`).join('')}${QUICK_REACTIONS.filter((q) => !m.reactions.some((r) => r.name === q && r.mine)).map((q) => `<button type="button" class="add-reaction" data-reaction="${q}" title="React with :${q}:">+${emojiFor(q)}</button>`).join('')}</div>`;
  const thread = m.replies.length > 0 ? `<details class="thread"><summary>${m.replies.length} ${m.replies.length === 1 ? 'reply' : 'replies'}</summary>${m.replies.map((r) => messageHtml(r, data, true)).join('')}</details>` : '';
  return `<article class="msg${m.ephemeral ? ' ephemeral' : ''}" data-ts="${escapeHtml(m.ts)}">
    <div class="msg-head"><span class="author">${escapeHtml(m.authorName)}</span>${m.isBot ? ' <span class="app-tag">APP</span>' : ''} <span class="time">${time}</span>${m.edited ? ' <span class="edited">(edited)</span>' : ''}</div>
    ${m.ephemeral ? '<div class="only-you">Only visible to you</div>' : ''}
    <div class="msg-body">${m.text === '' && !m.blocks ? '' : messageBodyToHtml(m, { names: data.names })}${filesHtml(m.files)}</div>${reactions}${thread}</article>`;
}

function filesHtml(files) {
  return (files ?? []).map((f) => (f.isImage
    ? `<figure class="file"><img src="${escapeHtml(f.url)}" alt="${escapeHtml(f.title)}"><figcaption>${escapeHtml(f.title)}</figcaption></figure>`
    : `<a class="file" href="${escapeHtml(f.url)}">${escapeHtml(f.title)}</a>`)).join('');
}

function drawMessages(selected, data) {
  const list = $('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.innerHTML = selected ? selected.messages.map((m) => messageHtml(m, data, false)).join('') || '<p class="empty">No messages yet.</p>' : '';
  if (atBottom || list.dataset.channel !== selected?.id) list.scrollTop = list.scrollHeight;
  list.dataset.channel = selected?.id ?? '';
}

function collectForm(form) {
  const values = {};
  for (const el of form.querySelectorAll('[name]')) {
    if (el.type === 'checkbox') {
      values[el.name] = [...(values[el.name] ?? []), ...(el.checked ? [el.value] : [])];
    } else if (el.multiple) {
      values[el.name] = [...el.selectedOptions].map((o) => o.value);
    } else {
      values[el.name] = el.value;
    }
  }
  return values;
}

/** What the person changed from the view's initial values (Slack keeps entries across views.update). */
function changedEntries(form) {
  const all = collectForm(form);
  const changed = {};
  for (const el of form.querySelectorAll('[name]')) {
    const touched = el.type === 'checkbox' ? el.checked !== el.defaultChecked : el.tagName === 'SELECT' ? [...el.options].some((o) => o.selected !== o.defaultSelected) : el.value !== el.defaultValue;
    if (touched) changed[el.name] = all[el.name];
  }
  return changed;
}

function restoreForm(form, values) {
  for (const el of form.querySelectorAll('[name]')) {
    const value = values[el.name];
    if (value === undefined) continue;
    if (el.type === 'checkbox') el.checked = value.includes(el.value);
    else if (el.multiple) for (const o of el.options) o.selected = value.includes(o.value);
    else el.value = value;
  }
}

function drawModal(data) {
  const layer = $('modal-layer');
  const top = data.modals.at(-1);
  drawOnce('modal', JSON.stringify(top ?? null), () => {
    if (!top) {
      layer.hidden = true;
      layer.innerHTML = '';
      return;
    }
    const old = layer.querySelector('form.modal-body');
    const keep = old && old.dataset.viewId === top.id ? changedEntries(old) : null;
    const view = top.view;
    const stray = strayErrors(view, top.errors).map((e) => `<div class="bk-error" role="alert">${escapeHtml(e)}</div>`).join('');
    layer.hidden = false;
    layer.innerHTML = `<div class="modal" role="dialog" aria-modal="true" aria-label="${escapeHtml(view.title?.text ?? 'Modal')}" data-view-id="${escapeHtml(top.id)}">
      <div class="modal-head"><span class="modal-title">${textToHtml(view.title)}</span>${data.modals.length > 1 ? `<span class="stack">${data.modals.length} views</span>` : ''}<button type="button" class="modal-x" aria-label="Close">×</button></div>
      <form class="modal-body" data-view-id="${escapeHtml(top.id)}">${stray}${blocksToHtml(view.blocks, { names: data.names, errors: top.errors })}</form>
      <div class="modal-foot"><button type="button" class="modal-close">${view.close ? textToHtml(view.close) : 'Cancel'}</button>${view.submit ? `<button type="button" class="modal-submit primary">${textToHtml(view.submit)}</button>` : ''}</div>
    </div>`;
    if (keep) restoreForm(layer.querySelector('form.modal-body'), keep);
  });
}

// Acting -------------------------------------------------------------------

function actionTarget(el) {
  const msg = el.closest('.msg');
  if (msg) return { kind: 'message', ts: msg.dataset.ts };
  const modal = el.closest('.modal');
  if (modal) return { kind: 'view', viewId: modal.dataset.viewId, form: collectForm(modal.querySelector('form.modal-body')) };
  if (el.closest('#home')) return { kind: 'view', viewId: `VHOME${page.me}`, form: {} };
  return null;
}

function act(el, selected) {
  const target = actionTarget(el);
  if (!target) return;
  const common = { user: page.me, blockId: el.dataset.blockId, actionId: el.dataset.actionId, ...(selected !== undefined ? { selected } : {}) };
  if (target.kind === 'message') return post('/sandbox/message-action', { ...common, channel: page.channel, ts: target.ts });
  return post('/sandbox/view-action', { ...common, viewId: target.viewId, form: target.form });
}

async function timeControl(button, path) {
  button.disabled = true;
  try {
    const answer = await post(path, {});
    if (answer.ok) showNotice(answer.summary);
  } finally {
    button.disabled = false;
  }
}

function select(view, channel) {
  page.view = view;
  if (channel) {
    page.channel = channel;
    localStorage.setItem('sandbox.channel', channel);
  }
  showNotice('');
  if (view === 'home') {
    page.drawn.home = '';
    return post('/sandbox/home', { user: page.me });
  }
  return refresh();
}

document.addEventListener('click', (event) => {
  const el = event.target.closest('button, summary');
  if (!el) return;
  if (el.dataset.kind === 'button') return void act(el);
  if (el.dataset.channel) return void select('channel', el.dataset.channel);
  if (el.id === 'nav-home') return void select('home');
  if (el.classList.contains('reaction') || el.classList.contains('add-reaction')) {
    const ts = el.closest('.msg').dataset.ts;
    return void post('/sandbox/react', { user: page.me, channel: page.channel, ts, reaction: el.dataset.reaction, add: !el.classList.contains('mine') });
  }
  if (el.classList.contains('modal-submit')) {
    const modal = el.closest('.modal');
    return void post('/sandbox/view-submit', { user: page.me, viewId: modal.dataset.viewId, form: collectForm(modal.querySelector('form.modal-body')) });
  }
  if (el.classList.contains('modal-close') || el.classList.contains('modal-x')) return void post('/sandbox/view-close', { user: page.me, viewId: el.closest('.modal').dataset.viewId });
  if (el.classList.contains('notice-close')) return void showNotice('');
  if (el.id === 'recompute') return void timeControl(el, '/sandbox/recompute');
  if (el.id === 'advance-day') return void timeControl(el, '/sandbox/advance-day');
  if (el.id === 'rate-limit') {
    return void post('/sandbox/simulate', { rateLimitedPosts: 3 }).then((a) => a.ok && showNotice('The next 3 chat.postMessage calls will answer 429 ratelimited (Retry-After: 1).'));
  }
});

document.addEventListener('change', (event) => {
  const el = event.target;
  if (el.dataset?.kind === 'select' && el.value !== '') act(el, el.value);
  if (el.id === 'user-switcher') {
    page.me = el.value;
    localStorage.setItem('sandbox.user', page.me);
    page.drawn = { users: '', sidebar: '', messages: '', home: '', modal: '' };
    void select(page.view, page.view === 'channel' ? page.channel : undefined);
  }
});

$('channel-filter').addEventListener('input', (event) => {
  page.filter = event.target.value.trim();
  draw();
});

$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('composer-input');
  const text = input.value.trim();
  if (text === '') return;
  if (!text.startsWith('/')) return showNotice('The sandbox runs slash commands only: try /health help.', true);
  input.value = '';
  void post('/sandbox/command', { user: page.me, channel: page.channel, text });
});

void refresh().then(follow);
