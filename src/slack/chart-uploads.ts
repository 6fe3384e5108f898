// Charts reach Slack as files: rendered to PNG, uploaded with Slack's external
// upload (files.getUploadURLExternal → upload → files.completeUploadExternal,
// which the client's filesUploadV2 performs) and shown in an `image` block by
// its file id. A chart is best-effort: any failure leaves the text sparkline,
// and a workspace that never granted `files:write` is not asked again for a while.
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { renderPng } from '../charts/render-png.js';
import type { ChartPlan } from '../charts/report-chart.js';
import { renderScoreChart } from '../charts/score-chart.js';
import type { Logger } from '../logger.js';
import { slackPlatformError } from './slack-errors.js';

export interface ChartImage {
  fileId: string;
  altText: string;
}

/** Errors that will not go away by retrying the next /health: the app lacks the scope or the token is unusable. */
const SCOPE_ERRORS = new Set(['missing_scope', 'not_allowed_token_type', 'no_permission', 'invalid_auth', 'not_authed', 'token_revoked', 'account_inactive']);
const PAUSE_AFTER_SCOPE_ERROR_MS = 10 * 60_000;
const MAX_CACHED = 2_000;

// filesUploadV2 answers { files: [completeUploadExternal response, …] }, each with its own `files`.
const uploadResultSchema = z.object({ files: z.array(z.object({ files: z.array(z.object({ id: z.string().min(1) })).min(1) })).min(1) });

export interface ChartTimings {
  renderMs: number;
  uploadMs: number;
}

export class ChartUploads {
  private readonly cache = new Map<string, ChartImage>();
  private readonly inFlight = new Map<string, Promise<ChartImage | null>>();
  private pausedUntil = 0;
  /** The last chart's timings, for the bench. */
  lastTimings: ChartTimings | null = null;

  constructor(private readonly client: WebClient, private readonly logger: Logger) {}

  /** The uploaded chart for this plan when one is already there. */
  cached(plan: ChartPlan): ChartImage | undefined {
    return this.cache.get(plan.key);
  }

  /** Renders and uploads (once per key, even when asked concurrently); null when it could not. */
  async chartFor(plan: ChartPlan): Promise<ChartImage | null> {
    const hit = this.cache.get(plan.key);
    if (hit) return hit;
    if (Date.now() < this.pausedUntil) return null;
    const running = this.inFlight.get(plan.key);
    if (running) return running;
    const job = this.renderAndUpload(plan).finally(() => this.inFlight.delete(plan.key));
    this.inFlight.set(plan.key, job);
    return job;
  }

  private async renderAndUpload(plan: ChartPlan): Promise<ChartImage | null> {
    try {
      const started = performance.now();
      const png = await renderPng(renderScoreChart(plan.input).svg);
      const rendered = performance.now();
      const result = await this.client.filesUploadV2({ file: png.data, filename: plan.filename, title: plan.input.title, alt_text: plan.altText });
      const parsed = uploadResultSchema.safeParse(result);
      if (!parsed.success) {
        this.logger.warn('chart upload: Slack answered without a file id; showing the text trend', { key: plan.key });
        return null;
      }
      this.lastTimings = { renderMs: rendered - started, uploadMs: performance.now() - rendered };
      const image = { fileId: parsed.data.files[0]?.files[0]?.id ?? '', altText: plan.altText };
      this.remember(plan.key, image);
      return image;
    } catch (error) {
      const slackError = slackPlatformError(error);
      if (slackError && SCOPE_ERRORS.has(slackError)) {
        this.pausedUntil = Date.now() + PAUSE_AFTER_SCOPE_ERROR_MS;
        this.logger.warn(`chart upload refused (${slackError}): add the files:write scope to the app; charts paused for 10 minutes, text trends shown`, { key: plan.key });
      } else {
        this.logger.warn('chart upload failed; showing the text trend', { error, key: plan.key });
      }
      return null;
    }
  }

  private remember(key: string, image: ChartImage): void {
    if (this.cache.size >= MAX_CACHED) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, image);
  }
}

/** One cache per Web API client (per workspace token), so every listener shares uploads. */
const uploadsByClient = new WeakMap<WebClient, ChartUploads>();
export function chartUploadsFor(client: WebClient, logger: Logger): ChartUploads {
  let uploads = uploadsByClient.get(client);
  if (!uploads) {
    uploads = new ChartUploads(client, logger);
    uploadsByClient.set(client, uploads);
  }
  return uploads;
}
