// Emoji shortcodes the app and people use, as Slack shows them. Unknown codes
// stay as written (:like_this:), which is also what Slack does for a custom
// emoji it cannot find.
export const EMOJI = {
  '+1': '👍', '-1': '👎', '100': '💯', thumbsup: '👍', thumbsdown: '👎', ok_hand: '👌', clap: '👏', raised_hands: '🙌', wave: '👋', muscle: '💪', pray: '🙏',
  eyes: '👀', white_check_mark: '✅', heavy_check_mark: '✔️', ballot_box_with_check: '☑️', x: '❌', no_entry: '⛔', no_entry_sign: '🚫', warning: '⚠️',
  rotating_light: '🚨', sos: '🆘', bell: '🔔', tada: '🎉', sparkles: '✨', star: '⭐', fire: '🔥', rocket: '🚀', zap: '⚡', bulb: '💡',
  red_circle: '🔴', large_orange_circle: '🟠', large_yellow_circle: '🟡', large_green_circle: '🟢', large_blue_circle: '🔵', white_circle: '⚪', black_circle: '⚫',
  red_square: '🟥', orange_square: '🟧', yellow_square: '🟨', green_square: '🟩',
  hourglass: '⌛', hourglass_flowing_sand: '⏳', stopwatch: '⏱️', alarm_clock: '⏰', calendar: '📆', date: '📅', spiral_calendar_pad: '🗓️',
  chart_with_upwards_trend: '📈', chart_with_downwards_trend: '📉', bar_chart: '📊', arrow_up: '⬆️', arrow_down: '⬇️', arrow_right: '➡️', arrow_left: '⬅️',
  arrow_upper_right: '↗️', arrow_lower_right: '↘️', small_red_triangle: '🔺', small_red_triangle_down: '🔻', heavy_minus_sign: '➖', heavy_plus_sign: '➕',
  twisted_rightwards_arrows: '🔀', arrows_counterclockwise: '🔄', repeat: '🔁', new: '🆕', information_source: 'ℹ️', question: '❓', exclamation: '❗',
  memo: '📝', pencil: '📝', pencil2: '✏️', clipboard: '📋', pushpin: '📌', round_pushpin: '📍', link: '🔗', mag: '🔍', lock: '🔒', key: '🔑', gear: '⚙️',
  hammer_and_wrench: '🛠️', wrench: '🔧', construction: '🚧', inbox_tray: '📥', outbox_tray: '📤', email: '📧', envelope: '✉️', speech_balloon: '💬', telephone_receiver: '📞',
  moneybag: '💰', money_with_wings: '💸', dollar: '💵', credit_card: '💳', bust_in_silhouette: '👤', busts_in_silhouette: '👥', handshake: '🤝', point_right: '👉', point_up: '☝️',
  smile: '😄', slightly_smiling_face: '🙂', grinning: '😀', thinking_face: '🤔', neutral_face: '😐', disappointed: '😞', cry: '😢', rage: '😡', scream: '😱',
  heart: '❤️', broken_heart: '💔', snail: '🐌', turtle: '🐢', skull: '💀', ghost: '👻', robot_face: '🤖', trophy: '🏆', medal: '🏅', crown: '👑',
  package: '📦', shopping_trolley: '🛒', books: '📚', book: '📖', file_folder: '📁', open_file_folder: '📂', card_index_dividers: '🗂️', scales: '⚖️',
};

export function emojiFor(name) {
  return Object.prototype.hasOwnProperty.call(EMOJI, name) ? EMOJI[name] : null;
}
