// What a person does on the page, turned into what Slack would send the app:
// a slash command, a block action (from a message, a modal or App Home), a
// view submission or closure, reaction_added/removed, app_home_opened. The
// app's answer is applied as Slack applies it (a modal's response_action, a
// command's immediate reply, an error when the app fails to answer).
import type { AppAnswer, AppLink } from './app-link.js';
import { actionPayload, stateValues, viewWithBlockIds } from './block-elements.js';
import type { ResponseUrls } from './response-urls.js';
import type { TriggerIds } from './trigger-ids.js';
import { apiMessage, apiView, messageContent } from './slack-shapes.js';
import { BOT_USER_ID, dmIdOf, type OpenView, type SandboxUser, type Workspace } from './workspace.js';

/** The outcome shown to the person: null when all went well, else what Slack would say. */
export type ActionOutcome = { ok: true } | { ok: false; error: string };

export type FormValues = Record<string, string | string[]>;

const OK: ActionOutcome = { ok: true };
const fail = (error: string): ActionOutcome => ({ ok: false, error });

export class UserActions {
  constructor(
    private readonly ws: Workspace,
    private readonly app: AppLink,
    private readonly triggers: TriggerIds,
    private readonly responses: ResponseUrls,
  ) {}

  async command(userId: string, channelId: string, commandLine: string): Promise<ActionOutcome> {
    const user = this.ws.users.get(userId);
    const channel = this.ws.channels.get(channelId);
    if (!user || !channel) return fail('unknown person or channel');
    const match = /^(\/\S+)\s*([\s\S]*)$/.exec(commandLine.trim());
    if (match?.[1] === '/invite') return this.invite(user, channel.id, match[2] ?? '');
    if (!match?.[1] || match[1] !== '/health') return fail(`${match?.[1] ?? commandLine} is not a valid command. In the sandbox, only /health and /invite @account-health work.`);
    const answer = await this.app.command({
      channel_id: channel.id,
      channel_name: channel.kind === 'dm' ? 'directmessage' : channel.name,
      user_id: user.id,
      user_name: handleOf(user),
      command: match[1],
      text: match[2] ?? '',
      response_url: this.responses.issue(channel.id, user.id, null),
      trigger_id: this.triggers.issue(user.id),
    });
    if (answer.status !== 200) return failed(match[1], answer);
    // An ack may carry the reply itself (text or a message object).
    const immediate = parseJson(answer.body) ?? (answer.body.trim() !== '' ? { text: answer.body } : null);
    const content = immediate ? messageContent(immediate) : null;
    if (content) this.ws.post({ channel: channel.id, user: BOT_USER_ID, ...content, ...(immediate?.response_type === 'in_channel' ? {} : { ephemeralFor: user.id }) });
    return OK;
  }

  /** Slack's own /invite: the app's "invite me" advice can be followed in the sandbox too. */
  private invite(user: SandboxUser, channelId: string, who: string): ActionOutcome {
    const channel = this.ws.channels.get(channelId);
    if (!channel || channel.kind !== 'channel') return fail('/invite works in channels.');
    if (!/^@?account-health$/i.test(who.trim())) return fail('In the sandbox, only the app can be invited: /invite @account-health');
    if (channel.botMember) return fail('account-health is already in this channel.');
    channel.botMember = true;
    this.ws.post({ channel: channel.id, user: 'USLACKBOT', text: `<@${user.id}> added <@${BOT_USER_ID}> to this channel.` });
    return OK;
  }

  async messageAction(userId: string, channelId: string, ts: string, blockId: string, actionId: string, selected?: string): Promise<ActionOutcome> {
    const user = this.ws.users.get(userId);
    const channel = this.ws.channels.get(channelId);
    const message = this.ws.find(channelId, ts);
    if (!user || !channel || !message || (message.ephemeralFor !== undefined && message.ephemeralFor !== userId)) return fail('That message is no longer there.');
    const action = actionPayload(message.blocks, blockId, actionId, selected, this.ws.nextTs());
    if (!action) return fail('That button is no longer on the message.');
    const ephemeral = message.ephemeralFor !== undefined;
    const answer = await this.app.interaction({
      type: 'block_actions',
      user: userPayload(user),
      container: { type: 'message', message_ts: message.ts, channel_id: channel.id, is_ephemeral: ephemeral },
      trigger_id: this.triggers.issue(user.id),
      channel: { id: channel.id, name: channel.kind === 'dm' ? 'directmessage' : channel.name },
      ...(ephemeral ? {} : { message: apiMessage(message) }),
      state: { values: {} },
      response_url: this.responses.issue(channel.id, user.id, message.ts),
      actions: [action],
    });
    return answer.status === 200 ? OK : failed('That action', answer);
  }

  async viewAction(userId: string, viewId: string, blockId: string, actionId: string, selected: string | undefined, form: FormValues): Promise<ActionOutcome> {
    const user = this.ws.users.get(userId);
    if (!user) return fail('unknown person');
    const home = this.ws.homes.get(userId);
    const open = viewId === homeViewId(userId) && home ? null : this.ws.findView(viewId);
    if (open === undefined || (open && open.user !== userId)) return fail('That view is no longer open.');
    const view = open ? open.view : (home as Record<string, unknown>);
    const action = actionPayload(view.blocks, blockId, actionId, selected, this.ws.nextTs());
    if (!action) return fail('That control is no longer in the view.');
    const payloadView = open ? apiView(open, this.root(userId), stateValues(open.view.blocks, form)) : { ...view, id: homeViewId(userId), type: 'home', state: { values: {} } };
    const answer = await this.app.interaction({
      type: 'block_actions',
      user: userPayload(user),
      container: { type: 'view', view_id: payloadView.id },
      trigger_id: this.triggers.issue(user.id),
      view: payloadView,
      actions: [action],
    });
    return answer.status === 200 ? OK : failed('That action', answer);
  }

  async submitView(userId: string, viewId: string, form: FormValues): Promise<ActionOutcome> {
    const user = this.ws.users.get(userId);
    const stack = this.ws.modals.get(userId) ?? [];
    const open = stack.at(-1);
    if (!user || !open || open.id !== viewId) return fail('That form is no longer open.');
    const missing = missingRequired(open, form);
    if (Object.keys(missing).length > 0) {
      open.errors = missing;
      this.ws.touch();
      return OK;
    }
    const answer = await this.app.interaction({
      type: 'view_submission',
      user: userPayload(user),
      trigger_id: this.triggers.issue(user.id),
      view: apiView(open, stack[0], stateValues(open.view.blocks, form)),
      response_urls: [],
    });
    if (answer.status !== 200) return failed('The form', answer);
    this.applyResponseAction(userId, open, parseJson(answer.body));
    return OK;
  }

  async closeView(userId: string, viewId: string): Promise<ActionOutcome> {
    const user = this.ws.users.get(userId);
    const stack = this.ws.modals.get(userId) ?? [];
    const open = stack.at(-1);
    if (!user || !open || open.id !== viewId) return OK;
    this.ws.modals.set(userId, stack.slice(0, -1));
    this.ws.touch();
    if (open.view.notify_on_close === true) {
      await this.app.interaction({ type: 'view_closed', user: userPayload(user), view: apiView(open, stack[0]), is_cleared: false });
    }
    return OK;
  }

  async react(userId: string, channelId: string, ts: string, reaction: string, add: boolean): Promise<ActionOutcome> {
    const message = this.ws.find(channelId, ts);
    if (!this.ws.users.has(userId) || !message || message.ephemeralFor !== undefined) return fail('That message cannot take reactions.');
    if (!this.ws.react(message, userId, reaction, add)) return OK;
    const answer = await this.app.event({
      type: add ? 'reaction_added' : 'reaction_removed',
      user: userId,
      reaction,
      item: { type: 'message', channel: channelId, ts },
      item_user: message.user,
      event_ts: this.ws.nextTs(),
    });
    return answer.status === 200 ? OK : failed('The reaction', answer);
  }

  async openHome(userId: string): Promise<ActionOutcome> {
    if (!this.ws.users.has(userId)) return fail('unknown person');
    const answer = await this.app.event({ type: 'app_home_opened', user: userId, channel: dmIdOf(userId), tab: 'home', event_ts: this.ws.nextTs() });
    return answer.status === 200 ? OK : failed('App Home', answer);
  }

  private root(userId: string): OpenView | undefined {
    return this.ws.modals.get(userId)?.[0];
  }

  /** A view_submission's answer: errors, update, push, clear, or (empty) close the submitted view. */
  private applyResponseAction(userId: string, open: OpenView, answer: Record<string, unknown> | null): void {
    const stack = this.ws.modals.get(userId) ?? [];
    const action = answer?.response_action;
    if (action === 'errors' && typeof answer?.errors === 'object' && answer.errors !== null) {
      open.errors = Object.fromEntries(Object.entries(answer.errors).map(([k, v]) => [k, String(v)]));
    } else if ((action === 'update' || action === 'push') && typeof answer?.view === 'object' && answer.view !== null) {
      const view = viewWithBlockIds(answer.view as Record<string, unknown>);
      if (action === 'update') Object.assign(open, { view, errors: {}, hash: this.ws.newViewId().hash });
      else this.ws.modals.set(userId, [...stack, { ...this.ws.newViewId(), user: userId, view, errors: {} }]);
    } else if (action === 'clear') {
      this.ws.modals.set(userId, []);
    } else {
      this.ws.modals.set(userId, stack.filter((v) => v !== open));
    }
    this.ws.touch();
  }
}

export function homeViewId(userId: string): string {
  return `VHOME${userId}`;
}

function userPayload(user: SandboxUser): Record<string, unknown> {
  return { id: user.id, username: handleOf(user), name: handleOf(user), team_id: 'T0SANDBOX1' };
}

function handleOf(user: SandboxUser): string {
  return user.name.toLowerCase().replace(/[^a-z0-9]+/g, '.');
}

/** Slack's own words when an app does not answer properly. */
function failed(what: string, answer: AppAnswer): ActionOutcome {
  if (answer.status === 0) return fail(`${what} failed: the app did not answer in time (operation_timeout).`);
  if (answer.status === 404) return fail(`${what} failed with the error "dispatch_failed" (the app has no handler for it).`);
  return fail(`${what} failed with the error "http_service_error" (the app answered HTTP ${answer.status}).`);
}

/** Inline "This field is required" errors for empty required inputs, as Slack shows them without asking the app. */
function missingRequired(open: OpenView, form: FormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  const blocks = Array.isArray(open.view.blocks) ? open.view.blocks : [];
  for (const block of blocks as Record<string, unknown>[]) {
    if (block.type !== 'input' || block.optional === true || typeof block.element !== 'object' || block.element === null) continue;
    const actionId = (block.element as Record<string, unknown>).action_id;
    const raw = form[`${String(block.block_id)}/${String(actionId)}`];
    if (raw === undefined || raw === '' || (Array.isArray(raw) && raw.length === 0)) errors[String(block.block_id)] = 'Please complete this required field.';
  }
  return errors;
}

function parseJson(body: string): Record<string, unknown> | null {
  if (body.trim() === '') return null;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
