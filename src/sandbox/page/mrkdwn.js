// Slack's mrkdwn to safe HTML, pure. Slack text arrives entity-escaped
// (&amp; &lt; &gt;) with <…> tokens for links and mentions; everything is
// decoded, then HTML-escaped again, so no text from the app or a person can
// become markup. Formatting follows Slack: *bold*, _italic_, ~strike~,
// `code`, ```preformatted```, > quotes, <url|label>, <@U…>, <#C…>, <!here>,
// and :emoji: shortcodes.
import { emojiFor } from './emoji.js';

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Slack's own three entities back to characters. */
export function decodeSlackEntities(text) {
  return String(text).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function emojify(escapedHtml) {
  return escapedHtml.replace(/:([a-z0-9_+-]{1,60}):/g, (whole, name) => {
    const emoji = emojiFor(name);
    return emoji ? `<span class="emoji" title=":${name}:">${emoji}</span>` : whole;
  });
}

/** plain_text objects: escaped, with emoji shortcodes when `emoji` is not false. */
export function plainTextToHtml(text, emoji = true) {
  const html = escapeHtml(text ?? '');
  return emoji ? emojify(html) : html;
}

const SAFE_URL = /^(https?:|mailto:)/i;

/** One <…> token: a mention, a channel, a special mention or a link. */
function tokenToHtml(inner, names) {
  const [target, label] = splitOnce(inner, '|');
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = names?.users?.[id] ?? (label ? decodeSlackEntities(label) : id);
    return `<span class="mention" data-user="${escapeHtml(id)}">@${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const name = names?.channels?.[id] ?? (label ? decodeSlackEntities(label) : id);
    return `<span class="mention channel" data-channel="${escapeHtml(id)}">#${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('!')) {
    if (label) return `<span class="mention">${escapeHtml(decodeSlackEntities(label))}</span>`;
    const [special] = target.slice(1).split('^');
    return `<span class="mention">@${escapeHtml(special)}</span>`;
  }
  const url = decodeSlackEntities(target);
  const text = label ? decodeSlackEntities(label) : url;
  if (!SAFE_URL.test(url)) return escapeHtml(text);
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(text)}</a>`;
}

function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

// Slack's emphasis: the marker touches a word on its inner side and stands
// apart from words on its outer side (so snake_case_names stay as they are).
// Matched on the decoded text; the tags are stand-in characters until the text
// is escaped, so only these tags ever become markup.
const TAGS = { b: ['\uE000', '\uE003'], i: ['\uE001', '\uE004'], s: ['\uE002', '\uE005'] };
const BEFORE = '(^|[\\s(\\[{"\'\\u201c\\u2018\\u0000\\uE000-\\uE005])';
const AFTER = '(?=$|[\\s)\\]}.,;:!?"\'\\u201d\\u2019\\u0000\\uE000-\\uE005])';
const emphasis = (marker, tag) => [new RegExp(`${BEFORE}\\${marker}([^\\s${marker}](?:[^${marker}\\n]*?[^\\s${marker}])?)\\${marker}${AFTER}`, 'g'), tag];
const EMPHASIS = [emphasis('*', 'b'), emphasis('_', 'i'), emphasis('~', 's')];
const STAND_INS = /[\uE000-\uE005]/g;
const STAND_IN_TAG = { '\uE000': '<b>', '\uE001': '<i>', '\uE002': '<s>', '\uE003': '</b>', '\uE004': '</i>', '\uE005': '</s>' };

/** Inline formatting of one run of text (no code inside). */
function inlineToHtml(raw, names) {
  const placeholders = [];
  const hold = (html) => `\u0000${placeholders.push(html) - 1}\u0000`;
  // Tokens first: their insides are never formatted.
  let text = decodeSlackEntities(raw.replace(STAND_INS, '').replace(/<([^<>\n]+)>/g, (_, inner) => hold(tokenToHtml(inner, names))));
  for (const [pattern, tag] of EMPHASIS) text = text.replace(pattern, (_, before, inner) => `${before}${TAGS[tag][0]}${inner}${TAGS[tag][1]}`);
  text = emojify(escapeHtml(text)).replace(STAND_INS, (c) => STAND_IN_TAG[c]);
  return text.replace(/\u0000(\d+)\u0000/g, (_, i) => placeholders[Number(i)]);
}

/** Text outside code spans: quotes per line, then inline formatting; newlines become <br>. */
function proseToHtml(raw, names) {
  const lines = raw.split('\n');
  const out = [];
  let quote = [];
  const flushQuote = () => {
    if (quote.length > 0) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  for (const line of lines) {
    const quoted = /^(&gt;|>)\s?(.*)$/.exec(line);
    if (quoted) quote.push(inlineToHtml(quoted[2], names));
    else {
      flushQuote();
      out.push(inlineToHtml(line, names));
    }
  }
  flushQuote();
  return out.join('<br>').replace(/<br><blockquote>/g, '<blockquote>').replace(/<\/blockquote><br>/g, '</blockquote>');
}

export function mrkdwnToHtml(text, names) {
  const source = String(text ?? '');
  const parts = [];
  // ```preformatted``` and `code` are taken out first: nothing inside them is formatted.
  const pattern = /```([\s\S]*?)```|`([^`\n]+)`/g;
  let last = 0;
  for (let m = pattern.exec(source); m !== null; m = pattern.exec(source)) {
    if (m.index > last) parts.push(proseToHtml(source.slice(last, m.index), names));
    if (m[1] !== undefined) parts.push(`<pre>${escapeHtml(decodeSlackEntities(m[1].replace(/^\n/, '')))}</pre>`);
    else parts.push(`<code>${escapeHtml(decodeSlackEntities(m[2]))}</code>`);
    last = m.index + m[0].length;
  }
  if (last < source.length) parts.push(proseToHtml(source.slice(last), names));
  return parts.join('');
}
