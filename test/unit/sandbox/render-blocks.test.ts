// Block Kit as the sandbox page draws it: each block type the app uses, the
// data attributes the page acts on, input names for view.state, and escaping.
import { describe, expect, it } from 'vitest';
import { blockToHtml, blocksToHtml, messageBodyToHtml, strayErrors } from '../../../src/sandbox/page/render-blocks.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const md = (text: string) => ({ type: 'mrkdwn', text });

describe('blockToHtml', () => {
  it('renders a header and a divider', () => {
    expect(blockToHtml({ type: 'header', block_id: 'h', text: plain('Acme · 42/100') })).toBe('<div class="bk bk-header" data-block="h">Acme · 42/100</div>');
    expect(blockToHtml({ type: 'divider' })).toBe('<hr class="bk bk-divider">');
  });

  it('renders a section with mrkdwn text, fields and a button accessory', () => {
    const html = blockToHtml({ type: 'section', block_id: 's1', text: md('*Score* 42'), fields: [md('*Band*\nat risk'), plain('ARR')], accessory: { type: 'button', action_id: 'go', text: plain('Open'), value: '7', style: 'primary' } });
    expect(html).toContain('<div class="bk-text"><b>Score</b> 42</div>');
    expect(html).toContain('<div class="bk-fields"><div class="bk-field"><b>Band</b><br>at risk</div><div class="bk-field">ARR</div></div>');
    expect(html).toContain('<button type="button" class="bk-button primary" data-kind="button" data-block-id="s1" data-action-id="go">Open</button>');
  });

  it('renders context with text and images', () => {
    const html = blockToHtml({ type: 'context', block_id: 'c', elements: [md('_stale_'), { type: 'image', image_url: 'https://x.test/a.png', alt_text: 'logo' }] });
    expect(html).toContain('<span><i>stale</i></span>');
    expect(html).toContain('<img class="bk-context-image" src="https://x.test/a.png" alt="logo" loading="lazy">');
  });

  it('renders actions with buttons, a select with its initial option, and link buttons', () => {
    const html = blockToHtml({
      type: 'actions',
      block_id: 'a',
      elements: [
        { type: 'button', action_id: 'claim', text: plain('Claim'), value: '3', style: 'danger' },
        { type: 'static_select', action_id: 'pick', placeholder: plain('Model'), options: [{ text: plain('Default'), value: 'default' }, { text: plain('SMB'), value: 'smb' }], initial_option: { text: plain('SMB'), value: 'smb' } },
        { type: 'button', action_id: 'docs', text: plain('Docs'), url: 'https://example.com' },
      ],
    });
    expect(html).toContain('class="bk-button danger" data-kind="button" data-block-id="a" data-action-id="claim">Claim</button>');
    expect(html).toContain('<select class="bk-select" data-kind="select" data-block-id="a" data-action-id="pick"><option value="" disabled>Model</option><option value="default">Default</option><option value="smb" selected>SMB</option></select>');
    expect(html).toContain('<a class="bk-button" href="https://example.com" target="_blank" rel="noopener noreferrer">Docs</a>');
  });

  it('renders input blocks named block_id/action_id, with optional, hint and inline error', () => {
    const html = blockToHtml(
      { type: 'input', block_id: 'm:nps:weight', optional: true, label: plain('NPS weight'), hint: plain('0–100'), element: { type: 'plain_text_input', action_id: 'value', initial_value: '10' } },
      { errors: { 'm:nps:weight': 'Weight must be a number from 0 to 100' } },
    );
    expect(html).toContain('bk-input-block has-error');
    expect(html).toContain('<label class="bk-label">NPS weight <span class="bk-optional">(optional)</span></label>');
    expect(html).toContain('<input class="bk-input" type="text" name="m:nps:weight/value" data-block-id="m:nps:weight" data-action-id="value" value="10">');
    expect(html).toContain('<div class="bk-hint">0–100</div>');
    expect(html).toContain('<div class="bk-error" role="alert">Weight must be a number from 0 to 100</div>');
  });

  it('renders multi-selects, checkboxes and multiline inputs in input blocks', () => {
    const options = [{ text: plain('NPS'), value: 'nps' }, { text: plain('CSAT'), value: 'csat' }];
    expect(blockToHtml({ type: 'input', block_id: 'r', label: plain('Remove'), element: { type: 'multi_static_select', action_id: 'value', options, initial_options: [options[1]] } })).toContain('<select class="bk-select multi" multiple size="2" name="r/value" data-block-id="r" data-action-id="value"><option value="nps">NPS</option><option value="csat" selected>CSAT</option></select>');
    expect(blockToHtml({ type: 'input', block_id: 'k', label: plain('Pick'), element: { type: 'checkboxes', action_id: 'v', options } })).toContain('<input type="checkbox" name="k/v" data-block-id="k" data-action-id="v" value="nps">');
    expect(blockToHtml({ type: 'input', block_id: 'n', label: plain('Note'), element: { type: 'plain_text_input', action_id: 'v', multiline: true, initial_value: '<hi>' } })).toContain('<textarea class="bk-input" name="n/v" data-block-id="n" data-action-id="v">&lt;hi&gt;</textarea>');
  });

  it('renders images with a title and refuses unsafe image URLs', () => {
    expect(blockToHtml({ type: 'image', block_id: 'i', image_url: 'https://files.test/chart.png', alt_text: 'Score, 90 days', title: plain('Trend') })).toBe(
      '<div class="bk bk-image" data-block="i"><div class="bk-image-title">Trend</div><img class="bk-image-img" src="https://files.test/chart.png" alt="Score, 90 days" loading="lazy"></div>',
    );
    expect(blockToHtml({ type: 'image', block_id: 'i', image_url: 'javascript:alert(1)', alt_text: 'x' })).not.toContain('<img');
    expect(blockToHtml({ type: 'image', block_id: 'i', slack_file: { id: 'F0ABC123' }, alt_text: 'chart' })).toContain('src="/files/F0ABC123"');
    expect(blockToHtml({ type: 'image', block_id: 'i', slack_file: { url: 'http://127.0.0.1:9/files/F0ABC123' }, alt_text: 'chart' })).toContain('src="/files/F0ABC123"');
  });

  it('escapes every string from the app', () => {
    const html = blocksToHtml([
      { type: 'header', block_id: '"><script>', text: plain('<script>alert(1)</script>') },
      { type: 'actions', block_id: 'b', elements: [{ type: 'button', action_id: '" onclick="x', text: plain('<b>'), value: 'v' }] },
    ]);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('" onclick="x"');
    expect(html).toContain('data-action-id="&quot; onclick=&quot;x"');
  });

  it('says which blocks it cannot draw instead of dropping them', () => {
    expect(blockToHtml({ type: 'video', block_id: 'v' })).toContain('[unsupported block: video]');
  });
});

describe('messageBodyToHtml and strayErrors', () => {
  it('falls back to the text as mrkdwn when a message has no blocks', () => {
    expect(messageBodyToHtml({ text: 'Saved *Default* v2.', blocks: null })).toBe('<div class="bk-text">Saved <b>Default</b> v2.</div>');
  });

  it('lists errors naming no block of the view', () => {
    expect(strayErrors({ blocks: [{ block_id: 'a' }] }, { a: 'x', note: 'Only admins' })).toEqual(['note: Only admins']);
  });
});
