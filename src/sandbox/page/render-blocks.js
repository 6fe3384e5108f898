// Block Kit to HTML, pure: header, section (text, fields, accessory),
// context, divider, actions (buttons, selects, overflow), input (text,
// number, selects, checkboxes), image and rich text. Interactive elements
// carry data-block-id / data-action-id so the page can report a click or a
// pick as Slack would; inputs are named "block_id/action_id" so a submission
// can be turned into view.state.values. Every string from the app is escaped.
import { escapeHtml, mrkdwnToHtml, plainTextToHtml } from './mrkdwn.js';

/** A text object (plain_text or mrkdwn). */
export function textToHtml(text, ctx = {}) {
  if (!text || typeof text !== 'object') return '';
  if (text.type === 'mrkdwn') return mrkdwnToHtml(text.text, ctx.names);
  return plainTextToHtml(text.text, text.emoji !== false);
}

const attr = (name, value) => (value === undefined || value === null ? '' : ` ${name}="${escapeHtml(value)}"`);
const SAFE_IMAGE = /^(https?:|data:image\/(png|jpeg|gif|webp);|\/files\/F[A-Z0-9]+$)/i;

function imageToHtml(url, alt, cls) {
  if (typeof url !== 'string' || !SAFE_IMAGE.test(url)) return `<span class="${cls} missing">${escapeHtml(alt ?? 'image')}</span>`;
  return `<img class="${cls}" src="${escapeHtml(url)}" alt="${escapeHtml(alt ?? '')}" loading="lazy">`;
}

/** image_url, or a file uploaded to this workspace (slack_file by id or by its url). */
export function imageSource(block) {
  if (typeof block.image_url === 'string') return block.image_url;
  const file = block.slack_file;
  if (file && typeof file.id === 'string' && /^F[A-Z0-9]+$/.test(file.id)) return `/files/${file.id}`;
  if (file && typeof file.url === 'string') {
    const local = /\/files\/(F[A-Z0-9]+)$/.exec(file.url);
    return local ? `/files/${local[1]}` : file.url;
  }
  return undefined;
}

function optionLabel(option) {
  return option?.text ? escapeHtml(option.text.text ?? '') : '';
}

function options(element) {
  const flat = Array.isArray(element.options) ? element.options : [];
  const groups = Array.isArray(element.option_groups) ? element.option_groups.flatMap((g) => g.options ?? []) : [];
  return [...flat, ...groups];
}

function controlAttrs(blockId, element) {
  return `${attr('data-block-id', blockId)}${attr('data-action-id', element.action_id)}`;
}

/** An element that acts at once (buttons, selects outside inputs, overflow menus). */
export function elementToHtml(element, blockId, ctx = {}) {
  if (!element || typeof element !== 'object') return '';
  switch (element.type) {
    case 'button': {
      const style = element.style === 'primary' || element.style === 'danger' ? ` ${element.style}` : '';
      if (typeof element.url === 'string' && /^https?:/i.test(element.url)) {
        return `<a class="bk-button${style}" href="${escapeHtml(element.url)}" target="_blank" rel="noopener noreferrer">${textToHtml(element.text, ctx)}</a>`;
      }
      return `<button type="button" class="bk-button${style}" data-kind="button"${controlAttrs(blockId, element)}>${textToHtml(element.text, ctx)}</button>`;
    }
    case 'static_select':
    case 'overflow': {
      const initial = element.initial_option?.value;
      const placeholder = element.type === 'overflow' ? '⋯' : (element.placeholder?.text ?? 'Select an option');
      const opts = options(element).map((o) => `<option${attr('value', o.value)}${o.value === initial ? ' selected' : ''}>${optionLabel(o)}</option>`);
      return `<select class="bk-select" data-kind="select"${controlAttrs(blockId, element)}><option value=""${initial === undefined ? ' selected' : ''} disabled>${escapeHtml(placeholder)}</option>${opts.join('')}</select>`;
    }
    case 'image':
      return imageToHtml(element.image_url, element.alt_text, 'bk-accessory-image');
    case 'datepicker':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select':
      return `<span class="bk-unsupported">[${escapeHtml(element.type)}]</span>`;
    default:
      return `<span class="bk-unsupported">[unsupported element: ${escapeHtml(String(element.type))}]</span>`;
  }
}

/** The control inside an input block, named for the form. */
function inputElementToHtml(element, blockId) {
  const name = `${blockId}/${element.action_id}`;
  const base = `${attr('name', name)}${attr('data-block-id', blockId)}${attr('data-action-id', element.action_id)}`;
  switch (element.type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input': {
      const common = `${base}${attr('placeholder', element.placeholder?.text)}${attr('maxlength', element.max_length)}`;
      if (element.multiline) return `<textarea class="bk-input"${common}>${escapeHtml(element.initial_value ?? '')}</textarea>`;
      return `<input class="bk-input" type="text"${common}${attr('value', element.initial_value ?? '')}>`;
    }
    case 'number_input':
      return `<input class="bk-input" type="text" inputmode="decimal"${base}${attr('value', element.initial_value ?? '')}>`;
    case 'static_select': {
      const initial = element.initial_option?.value;
      const opts = options(element).map((o) => `<option${attr('value', o.value)}${o.value === initial ? ' selected' : ''}>${optionLabel(o)}</option>`);
      return `<select class="bk-select"${base}><option value=""${initial === undefined ? ' selected' : ''}>${escapeHtml(element.placeholder?.text ?? 'Select an option')}</option>${opts.join('')}</select>`;
    }
    case 'multi_static_select': {
      const initial = new Set((element.initial_options ?? []).map((o) => o.value));
      const opts = options(element).map((o) => `<option${attr('value', o.value)}${initial.has(o.value) ? ' selected' : ''}>${optionLabel(o)}</option>`);
      return `<select class="bk-select multi" multiple size="${Math.min(5, Math.max(2, opts.length))}"${base}${attr('aria-label', element.placeholder?.text)}>${opts.join('')}</select>`;
    }
    case 'checkboxes': {
      const initial = new Set((element.initial_options ?? []).map((o) => o.value));
      return `<div class="bk-checkboxes">${options(element).map((o) => `<label><input type="checkbox"${base}${attr('value', o.value)}${initial.has(o.value) ? ' checked' : ''}> ${optionLabel(o)}</label>`).join('')}</div>`;
    }
    default:
      return `<span class="bk-unsupported">[unsupported input: ${escapeHtml(String(element.type))}]</span>`;
  }
}

function richTextToHtml(block, ctx) {
  const inline = (el) => {
    if (el.type === 'text') {
      let html = escapeHtml(el.text ?? '');
      if (el.style?.code) html = `<code>${html}</code>`;
      if (el.style?.bold) html = `<b>${html}</b>`;
      if (el.style?.italic) html = `<i>${html}</i>`;
      if (el.style?.strike) html = `<s>${html}</s>`;
      return html;
    }
    if (el.type === 'link') return mrkdwnToHtml(`<${el.url}|${el.text ?? el.url}>`, ctx.names);
    if (el.type === 'user') return mrkdwnToHtml(`<@${el.user_id}>`, ctx.names);
    if (el.type === 'channel') return mrkdwnToHtml(`<#${el.channel_id}>`, ctx.names);
    if (el.type === 'emoji') return mrkdwnToHtml(`:${el.name}:`, ctx.names);
    return '';
  };
  const section = (s) => (s.elements ?? []).map(inline).join('');
  return (block.elements ?? []).map((s) => {
    if (s.type === 'rich_text_preformatted') return `<pre>${section(s)}</pre>`;
    if (s.type === 'rich_text_quote') return `<blockquote>${section(s)}</blockquote>`;
    if (s.type === 'rich_text_list') return `<ul>${(s.elements ?? []).map((i) => `<li>${section(i)}</li>`).join('')}</ul>`;
    return `<div>${section(s).replace(/\n/g, '<br>')}</div>`;
  }).join('');
}

/** One block; `ctx.errors` holds inline errors by block_id (modals). */
export function blockToHtml(block, ctx = {}) {
  if (!block || typeof block !== 'object') return '';
  const id = block.block_id;
  const wrap = (cls, inner) => `<div class="bk ${cls}"${attr('data-block', id)}>${inner}</div>`;
  switch (block.type) {
    case 'header':
      return wrap('bk-header', textToHtml(block.text, ctx));
    case 'divider':
      return '<hr class="bk bk-divider">';
    case 'section': {
      const text = block.text ? `<div class="bk-text">${textToHtml(block.text, ctx)}</div>` : '';
      const fields = Array.isArray(block.fields) && block.fields.length > 0 ? `<div class="bk-fields">${block.fields.map((f) => `<div class="bk-field">${textToHtml(f, ctx)}</div>`).join('')}</div>` : '';
      const accessory = block.accessory ? `<div class="bk-accessory">${elementToHtml(block.accessory, id, ctx)}</div>` : '';
      return wrap('bk-section', `<div class="bk-body">${text}${fields}</div>${accessory}`);
    }
    case 'context':
      return wrap('bk-context', (block.elements ?? []).map((e) => (e.type === 'image' ? imageToHtml(e.image_url, e.alt_text, 'bk-context-image') : `<span>${textToHtml(e, ctx)}</span>`)).join(''));
    case 'actions':
      return wrap('bk-actions', (block.elements ?? []).map((e) => elementToHtml(e, id, ctx)).join(''));
    case 'image': {
      const title = block.title ? `<div class="bk-image-title">${textToHtml(block.title, ctx)}</div>` : '';
      return wrap('bk-image', `${title}${imageToHtml(imageSource(block), block.alt_text, 'bk-image-img')}`);
    }
    case 'input': {
      const error = ctx.errors?.[id];
      const optional = block.optional ? ' <span class="bk-optional">(optional)</span>' : '';
      const hint = block.hint ? `<div class="bk-hint">${textToHtml(block.hint, ctx)}</div>` : '';
      const message = error ? `<div class="bk-error" role="alert">${escapeHtml(error)}</div>` : '';
      return wrap(`bk-input-block${error ? ' has-error' : ''}`, `<label class="bk-label">${textToHtml(block.label, ctx)}${optional}</label>${block.element ? inputElementToHtml(block.element, id) : ''}${hint}${message}`);
    }
    case 'rich_text':
      return wrap('bk-rich-text', richTextToHtml(block, ctx));
    default:
      return wrap('bk-unsupported', `[unsupported block: ${escapeHtml(String(block.type))}]`);
  }
}

export function blocksToHtml(blocks, ctx = {}) {
  return Array.isArray(blocks) ? blocks.map((b) => blockToHtml(b, ctx)).join('') : '';
}

/** A message body: its blocks, else its text as mrkdwn (Slack's fallback). */
export function messageBodyToHtml(message, ctx = {}) {
  if (Array.isArray(message.blocks) && message.blocks.length > 0) return blocksToHtml(message.blocks, ctx);
  return `<div class="bk-text">${mrkdwnToHtml(message.text ?? '', ctx.names)}</div>`;
}

/** Block-level errors that name no block of the view, shown at the top (Slack ignores them; showing them helps). */
export function strayErrors(view, errors) {
  const ids = new Set((view?.blocks ?? []).map((b) => b.block_id));
  return Object.entries(errors ?? {}).filter(([id]) => !ids.has(id)).map(([id, message]) => `${id}: ${message}`);
}
