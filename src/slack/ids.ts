// action_id / callback_id / block_id constants shared by views and listeners.
// Add new ids here (one line each); never inline an id string elsewhere.
export const ACTION_IDS = {
  shareInChannel: 'health_share_in_channel',
  chooseAccount: 'health_choose_account',
  claimAlert: 'alert_claim',
  resolveAlert: 'alert_resolve',
  tuningPickModel: 'tuning_pick_model',
  tuningPreview: 'tuning_preview',
  tuningHistory: 'tuning_history',
  tuningRestore: 'tuning_restore',
} as const;

export const CALLBACK_IDS = {
  adminModel: 'admin_model',
  adminHistory: 'admin_history',
} as const;
