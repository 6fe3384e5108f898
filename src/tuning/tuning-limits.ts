// How big a model the admin modal can edit. Slack renders at most 100 blocks
// in a modal; each measure takes three inputs (weight, good, poor) and the
// rest of the modal (model picker, summary, add/remove, cut-offs, note,
// preview) takes at most 20, so 25 measures fit with room to spare. Larger
// models (the file format allows 40) are edited with `model export|import`.
export const MAX_TUNABLE_MEASURES = 25;

/** Weight given to a measure added in the modal; the admin edits it before saving. */
export const NEW_MEASURE_WEIGHT = 5;
