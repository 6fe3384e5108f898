// Slack mrkdwn as the sandbox page draws it: formatting, tokens, emoji, and
// escaping that never lets text become markup.
import { describe, expect, it } from 'vitest';
import { mrkdwnToHtml, plainTextToHtml } from '../../../src/sandbox/page/mrkdwn.js';

const names = { users: { U0DEMOCSM01: 'Priya Raman' }, channels: { C0GENERAL1: 'general' } };

describe('mrkdwnToHtml', () => {
  it('renders bold, italic, strike and nesting', () => {
    expect(mrkdwnToHtml('*bold* _italic_ ~gone~ *_both_*')).toBe('<b>bold</b> <i>italic</i> <s>gone</s> <b><i>both</i></b>');
  });

  it('leaves markers inside words alone, as Slack does', () => {
    expect(mrkdwnToHtml('snake_case_name 2*3*4 file_a_b')).toBe('snake_case_name 2*3*4 file_a_b');
  });

  it('formats next to punctuation and brackets', () => {
    expect(mrkdwnToHtml('(*x*), _y_.')).toBe('(<b>x</b>), <i>y</i>.');
  });

  it('keeps code and preformatted text unformatted', () => {
    expect(mrkdwnToHtml('run `/health *acme*` now')).toBe('run <code>/health *acme*</code> now');
    expect(mrkdwnToHtml('```\n*x* <@U0DEMOCSM01>```', names)).toBe('<pre>*x* &lt;@U0DEMOCSM01&gt;</pre>');
  });

  it('renders user and channel mentions by name, and special mentions', () => {
    expect(mrkdwnToHtml('<@U0DEMOCSM01> in <#C0GENERAL1> <!here>', names)).toBe(
      '<span class="mention" data-user="U0DEMOCSM01">@Priya Raman</span> in <span class="mention channel" data-channel="C0GENERAL1">#general</span> <span class="mention">@here</span>',
    );
    expect(mrkdwnToHtml('<@U0UNKNOWN|casey>')).toContain('@casey');
  });

  it('renders links with labels; unsafe schemes become plain text', () => {
    expect(mrkdwnToHtml('<https://example.com/a?x=1&amp;y=2|the *docs*>')).toBe('<a href="https://example.com/a?x=1&amp;y=2" target="_blank" rel="noopener noreferrer">the *docs*</a>');
    expect(mrkdwnToHtml('<javascript:alert(1)|click me>')).toBe('click me');
  });

  it('turns known emoji shortcodes into emoji and keeps unknown ones', () => {
    expect(mrkdwnToHtml(':eyes: :no_such_emoji:')).toBe('<span class="emoji" title=":eyes:">👀</span> :no_such_emoji:');
  });

  it('decodes Slack entities once and escapes everything for HTML', () => {
    expect(mrkdwnToHtml('a &lt;b&gt;x&lt;/b&gt; &amp;amp; "q" \'s\'')).toBe('a &lt;b&gt;x&lt;/b&gt; &amp;amp; &quot;q&quot; &#39;s&#39;');
    expect(mrkdwnToHtml('<img src=x onerror=alert(1)>')).not.toContain('<img');
    expect(mrkdwnToHtml('<@U1|<script>>', {})).not.toContain('<script');
  });

  it('renders quotes and line breaks', () => {
    expect(mrkdwnToHtml('&gt; quoted *b*\nnext')).toBe('<blockquote>quoted <b>b</b></blockquote>next');
    expect(mrkdwnToHtml('one\ntwo')).toBe('one<br>two');
  });

  it('ignores stand-in characters smuggled into text', () => {
    expect(mrkdwnToHtml('\uE003 x')).toBe(' x');
  });
});

describe('plainTextToHtml', () => {
  it('escapes and adds emoji unless told not to', () => {
    expect(plainTextToHtml('<b> :tada:')).toBe('&lt;b&gt; <span class="emoji" title=":tada:">🎉</span>');
    expect(plainTextToHtml(':tada:', false)).toBe(':tada:');
  });
});
