// Block Kit as stored by the sandbox: every block gets a block_id (Slack
// assigns one when the app leaves it out), and an action on the page is
// resolved against the stored blocks, so the payload the app receives carries
// the element's own value, never one the page made up.
import { randomBytes } from 'node:crypto';

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

export function withBlockIds(blocks: unknown[]): unknown[] {
  return blocks.map((block) => (isObj(block) && typeof block.block_id !== 'string' ? { ...block, block_id: randomBytes(3).toString('base64url') } : block));
}

/** A view's blocks with block ids filled in. */
export function viewWithBlockIds(view: Obj): Obj {
  return Array.isArray(view.blocks) ? { ...view, blocks: withBlockIds(view.blocks) } : view;
}

/** The interactive elements of a block (an actions block's elements, a section's accessory, an input's element). */
function elementsOf(block: Obj): Obj[] {
  if (Array.isArray(block.elements) && block.type === 'actions') return block.elements.filter(isObj);
  if (isObj(block.accessory)) return [block.accessory];
  if (isObj(block.element)) return [block.element];
  return [];
}

export function findElement(blocks: unknown, blockId: string, actionId: string): Obj | null {
  if (!Array.isArray(blocks)) return null;
  const block = blocks.find((b): b is Obj => isObj(b) && b.block_id === blockId);
  return block ? (elementsOf(block).find((e) => e.action_id === actionId) ?? null) : null;
}

/** The options an element offers (flat, or inside option groups). */
export function optionsOf(element: Obj): Obj[] {
  const flat = Array.isArray(element.options) ? element.options.filter(isObj) : [];
  const grouped = Array.isArray(element.option_groups) ? element.option_groups.filter(isObj).flatMap((g) => (Array.isArray(g.options) ? g.options.filter(isObj) : [])) : [];
  return [...flat, ...grouped];
}

/**
 * The `actions[0]` of a block_actions payload for a click or a pick: null when
 * the element is not there (the page showed an outdated message) or the picked
 * option is not one the element offers.
 */
export function actionPayload(blocks: unknown, blockId: string, actionId: string, selected: string | undefined, actionTs: string): Obj | null {
  const element = findElement(blocks, blockId, actionId);
  if (!element) return null;
  const base = { action_id: actionId, block_id: blockId, type: element.type, action_ts: actionTs };
  if (element.type === 'button') return { ...base, text: element.text, ...(typeof element.value === 'string' ? { value: element.value } : {}) };
  if (element.type === 'static_select' || element.type === 'overflow') {
    const option = optionsOf(element).find((o) => o.value === selected);
    if (!option) return null;
    return { ...base, selected_option: { text: option.text, value: option.value } };
  }
  return null;
}

export type InputValue = { type: string; value?: string | null; selected_option?: Obj | null; selected_options?: Obj[] };

/**
 * `view.state.values` from what the page's inputs hold: keyed by block_id and
 * action_id as Slack keys them; select values must be options of the element.
 */
export function stateValues(blocks: unknown, raw: Record<string, string | string[]>): Record<string, Record<string, InputValue>> {
  const values: Record<string, Record<string, InputValue>> = {};
  if (!Array.isArray(blocks)) return values;
  for (const block of blocks) {
    if (!isObj(block) || typeof block.block_id !== 'string') continue;
    for (const element of elementsOf(block)) {
      if (typeof element.action_id !== 'string') continue;
      const value = input(element, raw[`${block.block_id}/${element.action_id}`]);
      if (value) (values[block.block_id] ??= {})[element.action_id] = value;
    }
  }
  return values;
}

function input(element: Obj, raw: string | string[] | undefined): InputValue | null {
  const type = String(element.type);
  const options = optionsOf(element);
  const pick = (v: string) => options.find((o) => o.value === v);
  switch (type) {
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input':
      return { type, value: typeof raw === 'string' && raw !== '' ? raw : null };
    case 'static_select': {
      const option = typeof raw === 'string' ? pick(raw) : undefined;
      return { type, selected_option: option ? { text: option.text, value: option.value } : null };
    }
    case 'multi_static_select':
    case 'checkboxes': {
      const picked = (Array.isArray(raw) ? raw : typeof raw === 'string' && raw !== '' ? [raw] : []).map(pick).filter((o): o is Obj => o !== undefined);
      return { type, selected_options: picked.map((o) => ({ text: o.text, value: o.value })) };
    }
    default:
      return null;
  }
}
