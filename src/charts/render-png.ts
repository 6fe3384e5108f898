// SVG → PNG with resvg (a Rust renderer shipped as prebuilt npm binaries: no
// browser, no canvas build). Fonts come from the repository, not the system,
// so text renders the same in a slim container with no fonts installed.
//
// Rendering runs in a worker thread: rasterising and PNG-encoding a chart
// takes tens of milliseconds of CPU, which on the event loop delayed the acks
// of every other Slack request arriving meanwhile.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** DejaVu Sans (Bitstream Vera licence, see assets/fonts/DejaVu-LICENSE.txt); the same path from src/ and dist/. */
export const CHART_FONT_FILE = fileURLToPath(new URL('../../assets/fonts/DejaVuSans.ttf', import.meta.url));

/**
 * The SVG's own size (720 px wide, about what Slack shows of an image block).
 * 1.5× was sharper on dense screens but took ~2× the time to rasterise and
 * encode (78 ms p50 against a 50 ms budget on the bench box).
 */
export const CHART_SCALE = 1;

export interface Png {
  data: Buffer;
  width: number;
  height: number;
}

// Plain CommonJS so the same worker runs from src/ (tests, tsx) and dist/; resvg is found by absolute path.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Resvg } = require(workerData.resvgPath);
parentPort.on('message', ({ id, svg, scale }) => {
  try {
    const image = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: { fontFiles: [workerData.fontFile], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' } }).render();
    const data = image.asPng();
    parentPort.postMessage({ id, data, width: image.width, height: image.height }, [data.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});`;

interface Reply {
  id: number;
  data?: Uint8Array;
  width?: number;
  height?: number;
  error?: string;
}

class PngWorkers {
  private readonly workers: (Worker | undefined)[] = [];
  private readonly waiting = new Map<number, { resolve: (png: Png) => void; reject: (error: Error) => void }>();
  private nextId = 0;

  constructor(private readonly size: number) {}

  render(svg: string, scale: number): Promise<Png> {
    const id = (this.nextId += 1);
    const worker = this.worker(id % this.size);
    return new Promise<Png>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // A worker with work in hand keeps the process alive until it answers; an idle one does not.
      if (this.waiting.size === 1) for (const w of this.workers) w?.ref();
      worker.postMessage({ id, svg, scale });
    });
  }

  private worker(index: number): Worker {
    const existing = this.workers[index];
    if (existing) return existing;
    const resvgPath = createRequire(import.meta.url).resolve('@resvg/resvg-js');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { resvgPath, fontFile: CHART_FONT_FILE } });
    worker.unref();
    worker.on('message', (reply: Reply) => this.settle(reply));
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      // The next render starts a fresh one in this slot.
      if (this.workers[index] === worker) this.workers[index] = undefined;
      this.failAll(new Error('the chart renderer stopped'));
    });
    this.workers[index] = worker;
    return worker;
  }

  private settle(reply: Reply): void {
    const job = this.waiting.get(reply.id);
    if (!job) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) for (const w of this.workers) w?.unref();
    if (reply.error !== undefined || !reply.data) job.reject(new Error(`chart rendering failed: ${reply.error ?? 'no image'}`));
    else job.resolve({ data: Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.byteLength), width: reply.width ?? 0, height: reply.height ?? 0 });
  }

  private failAll(error: Error): void {
    for (const job of this.waiting.values()) job.reject(error);
    this.waiting.clear();
  }
}

// One thread on a 2-core box leaves the other to the event loop; more cores, more renderers (at most 4).
const workers = new PngWorkers(Math.max(1, Math.min(4, availableParallelism() - 1)));

export function renderPng(svg: string, scale = CHART_SCALE): Promise<Png> {
  return workers.render(svg, scale);
}
