// Drives the admin modal as Slack does: /health admin, block actions on the
// open view, and view submissions whose state is the inputs' values.
import { expect } from 'vitest';
import { ACTION_IDS } from '../../src/slack/ids.js';
import { sendInteraction, sendSlashCommand, type SignedResponse } from './slack-requests.js';
import type { TestServer } from './test-server.js';

export interface ModalBlock {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: { text?: { text: string } | string; action_id?: string }[];
  element?: { type?: string; initial_value?: string; options?: { value: string }[] };
}

export interface ModalView {
  callback_id: string;
  private_metadata: string;
  blocks: ModalBlock[];
  submit?: unknown;
}

type StateValue = { type: string; value?: string; selected_options?: { value: string }[] };

export class AdminModalDriver {
  private n = 0;
  constructor(private readonly t: () => TestServer) {}

  /** Sends /health TEXT; returns the response_url id its reply goes to. */
  async command(text: string, user: string): Promise<{ id: string; res: SignedResponse; trigger: string }> {
    this.n += 1;
    const id = `adm${this.n}-${Math.random().toString(36).slice(2, 6)}`;
    const trigger = `trigger-${id}`;
    const res = await sendSlashCommand(this.t().eventsUrl, { text, user_id: user, response_url: this.t().fake.responseUrl(id), trigger_id: trigger });
    expect(res.status).toBe(200);
    return { id, res, trigger };
  }

  async reply(id: string): Promise<Record<string, unknown>> {
    return (await this.t().fake.waitFor(() => this.t().fake.responses.find((r) => r.id === id))).body;
  }

  /** Opens the modal; returns the view first opened (before any figures arrive). */
  async open(user: string): Promise<ModalView> {
    const { trigger } = await this.command('admin', user);
    const call = await this.t().fake.waitFor(() => this.t().fake.callsTo('views.open').find((c) => c.args.trigger_id === trigger));
    return call.args.view as ModalView;
  }

  /** The latest views.update of `viewId` whose view text matches `pattern`. */
  async updateOf(viewId: string, pattern: RegExp, from = 0): Promise<ModalView> {
    const call = await this.t().fake.waitFor(() =>
      this.t().fake.callsTo('views.update').slice(from).reverse().find((c) => c.args.view_id === viewId && pattern.test(JSON.stringify(c.args.view))),
    );
    return call.args.view as ModalView;
  }

  /** The values a person would submit: every input at its initial value, with `changes` and multi-select `selections` applied. */
  stateOf(view: ModalView, changes: Record<string, string> = {}, selections: Record<string, string[]> = {}): Record<string, Record<string, StateValue>> {
    const values: Record<string, Record<string, StateValue>> = {};
    for (const block of view.blocks) {
      if (block.type !== 'input' || !block.block_id) continue;
      if (block.element?.type === 'multi_static_select') {
        values[block.block_id] = { value: { type: 'multi_static_select', selected_options: (selections[block.block_id] ?? []).map((value) => ({ value })) } };
      } else {
        values[block.block_id] = { value: { type: 'plain_text_input', value: changes[block.block_id] ?? block.element?.initial_value ?? '' } };
      }
    }
    return values;
  }

  submit(view: ModalView, user: string, changes: Record<string, string> = {}, selections: Record<string, string[]> = {}): Promise<SignedResponse> {
    return sendInteraction(this.t().eventsUrl, {
      type: 'view_submission',
      user: { id: user },
      team: { id: 'T0FAKE0001' },
      trigger_id: nextTriggerId('tv'),
      view: { id: 'V0MODAL001', callback_id: view.callback_id, private_metadata: view.private_metadata, hash: 'h', state: { values: this.stateOf(view, changes, selections) }, type: 'modal' },
    });
  }

  /** Presses "Preview the effect" in view `viewId` holding `view` with the given edits. */
  preview(view: ModalView, viewId: string, user: string, changes: Record<string, string> = {}, selections: Record<string, string[]> = {}): Promise<SignedResponse> {
    return this.press(view, viewId, user, ACTION_IDS.tuningPreview, 'default', changes, selections);
  }

  press(view: ModalView, viewId: string, user: string, actionId: string, value: string, changes: Record<string, string> = {}, selections: Record<string, string[]> = {}): Promise<SignedResponse> {
    return sendInteraction(this.t().eventsUrl, {
      type: 'block_actions',
      user: { id: user },
      team: { id: 'T0FAKE0001' },
      trigger_id: nextTriggerId(`ta-${viewId}`),
      view: { id: viewId, hash: `hash-${viewId}`, private_metadata: view.private_metadata, callback_id: view.callback_id, state: { values: this.stateOf(view, changes, selections) }, type: 'modal' },
      actions: [{ type: 'button', action_id: actionId, value, block_id: 'b', action_ts: String(Date.now() / 1000) }],
    });
  }
}

let triggers = 0;
/** Slack gives every interaction its own trigger_id: two presses are never the same request (the app serves a repeated one once). */
function nextTriggerId(prefix: string): string {
  triggers += 1;
  return `${prefix}-${triggers}`;
}

export const viewText = (view: ModalView): string => JSON.stringify(view.blocks);
