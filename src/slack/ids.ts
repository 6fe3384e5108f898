// action_id / callback_id / block_id constants shared by views and listeners.
// Add new ids here (one line each); never inline an id string elsewhere.
export const ACTION_IDS = {
  shareInChannel: 'health_share_in_channel',
  chooseAccount: 'health_choose_account',
  claimFromHealth: 'health_claim_follow_up',
  claimAlert: 'alert_claim',
  resolveAlert: 'alert_resolve',
  tuningPickModel: 'tuning_pick_model',
  tuningPreview: 'tuning_preview',
  tuningHistory: 'tuning_history',
  tuningRestore: 'tuning_restore',
  tuningSuggest: 'tuning_suggest',
  suggestApply: 'suggest_apply',
  suggestShadow: 'suggest_shadow',
  suggestDismiss: 'suggest_dismiss',
} as const;

/**
 * Block ids of the button rows on messages the app replaces (a /health reply gains its chart, an
 * alert is updated in place). Fixed, not left to Slack: a click on the version just replaced then
 * still names a block the new version has.
 */
export const MESSAGE_BLOCK_IDS = {
  healthActions: 'health_actions',
  chooser: 'health_choose',
  alertActions: 'alert_actions',
} as const;

export const CALLBACK_IDS = {
  adminModel: 'admin_model',
  adminHistory: 'admin_history',
  adminSuggest: 'admin_suggest',
} as const;

export type MeasureField = 'weight' | 'good' | 'poor';
export type CutoffField = 'healthyMin' | 'watchMin' | 'atRiskMin';

/** The action_id of every input in the admin modal (its block_id says which field it is). */
export const TUNING_INPUT_ACTION_ID = 'value';

/** Block ids of the admin modal's inputs: the view renders them, the form reader reads them. */
export const TUNING_BLOCK_IDS = {
  measure: (metricKey: string, field: MeasureField) => `m:${metricKey}:${field}`,
  cutoff: (field: CutoffField) => `cut:${field}`,
  minCompleteness: 'min_completeness',
  remove: 'remove_measures',
  add: 'add_measures',
  regroupMeasures: 'regroup_measures',
  regroupTo: 'regroup_to',
  note: 'note',
  pickModel: 'pick_model',
  previewActions: 'preview_actions',
} as const;
