// The /health breakdown for a terminal (`account-health score`, `demo`).
import { BAND_LABEL, formatChange, formatDate, formatScore, formatValue } from './format.js';
import type { HealthReport } from './build-health-report.js';
import { isNotInUse, provenanceNote } from './load-provenance.js';
import type { PortfolioEntry } from './list-portfolio.js';


export function renderHealthText(report: HealthReport, maxMeasures = 6): string {
  const { account, snapshot } = report;
  const lines = [`${account.name}  (${account.externalId}${account.segment ? `, ${account.segment}` : ''})`];
  if (!snapshot) {
    lines.push('  not scored yet: import metrics, then run `account-health recompute`.');
    return lines.join('\n');
  }
  const scoredBy = `(${snapshot.modelName} model v${snapshot.modelVersion}, as of ${formatDate(snapshot.asOf)})`;
  const completeness = `${Math.round(snapshot.completeness * 100)}% of the model's weight has fresh data`;
  if (snapshot.score === null) {
    // No score, so no points lost: what is missing is the story.
    lines.push(`  Score      ${BAND_LABEL.insufficient_data}: only ${completeness}   ${scoredBy}`);
  } else {
    lines.push(`  Score      ${formatScore(snapshot.score)}  ${BAND_LABEL[snapshot.band]}   ${scoredBy}`);
  }
  if (report.trend) {
    lines.push(`  Trend      ${formatChange(report.trend.change7d, 7)}, ${formatChange(report.trend.change30d, 30)}   [${report.trend.sparkline}]`);
  }
  if (snapshot.score !== null) lines.push(`  Data       ${completeness}${report.newestObservation ? `; newest ${formatDate(report.newestObservation)}` : ''}`);
  if (report.daysToRenewal !== null) lines.push(`  Renewal    in ${report.daysToRenewal} days`);
  const groups = report.groups ?? [];
  if (groups.length > 0) {
    lines.push('  By group:');
    for (const g of groups) {
      const score = g.score === null ? ' no fresh data'.padEnd(17) : `${formatScore(g.score).padStart(7)}  ${BAND_LABEL[g.band].padEnd(8)}`;
      const change = g.score === null ? '' : `  ${formatChange(g.change30d, 30)}`;
      lines.push(`    ${g.label.padEnd(13)} ${score}${change}  (${g.measureCount} measure${g.measureCount === 1 ? '' : 's'}, ${Math.round(g.completeness * 100)}% fresh)`);
    }
  }
  const losing = snapshot.score === null ? [] : report.components.filter((c) => c.points !== null && c.pointsLost > 0).slice(0, maxMeasures);
  if (losing.length > 0) {
    lines.push('  What drags the score down:');
    for (const c of losing) {
      lines.push(`    -${c.pointsLost.toFixed(1).padStart(5)} pts  ${c.label}: ${formatValue(c.value, c.unit)}${provenanceNote(c.provenance)} (good ${c.good}, poor ${c.poor}, weight ${c.weight})`);
    }
  }
  if (snapshot.score === null) {
    const fresh = report.components.filter((c) => c.points !== null);
    if (fresh.length > 0) lines.push(`  Fresh data: ${fresh.map((c) => `${c.label} ${formatValue(c.value, c.unit)}`).join(', ')}`);
  }
  const unscored = report.components.filter((c) => c.points === null && !isNotInUse(c));
  if (unscored.length > 0) lines.push(`  ${snapshot.score === null ? 'Missing' : 'Not scored'}: ${unscored.map((c) => `${c.label} (${c.stale ? 'stale' : 'no data'})`).join(', ')}`);
  const unused = report.components.filter(isNotInUse);
  if (unused.length > 0) lines.push(`  Not scored: no source for ${unused.map((c) => c.label).join(', ')}`);
  if (report.sentiment) {
    const s = report.sentiment;
    lines.push(`  CSM view   ${s.value}/5${s.note ? ` "${s.note}"` : ''}${s.author ? ` by ${s.author}` : ''} on ${formatDate(s.observedAt)}${s.expired ? ' (expired)' : ''}`);
  }
  if (report.openAlert) {
    lines.push(`  Follow-up  open alert #${report.openAlert.id}${report.openAlert.claimedBy ? `, claimed by ${report.openAlert.claimedBy}` : ', unclaimed'}`);
  }
  if (report.actions.length > 0) {
    lines.push('  Suggested actions:');
    for (const action of report.actions) lines.push(`    • ${action.title} — ${action.why}`);
  }
  return lines.join('\n');
}

export function renderPortfolioText(entries: readonly PortfolioEntry[], total: number): string {
  if (entries.length === 0) return '  (none)';
  const lines = entries.map((e) => {
    const weakest = e.weakestGroup ? `  weakest: ${e.weakestGroup.label.toLowerCase()} ${Math.floor(e.weakestGroup.score + 1e-9)}` : '';
    return `  ${(e.score === null ? '—' : formatScore(e.score)).padStart(7)}  ${BAND_LABEL[e.band].padEnd(9)}  ${e.name} (${e.externalId})${weakest}`;
  });
  if (total > entries.length) lines.push(`  … and ${total - entries.length} more`);
  return lines.join('\n');
}
