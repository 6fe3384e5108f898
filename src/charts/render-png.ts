// SVG → PNG with resvg (a Rust renderer shipped as prebuilt npm binaries: no
// browser, no canvas build). Fonts come from the repository, not the system,
// so text renders the same in a slim container with no fonts installed.
import { fileURLToPath } from 'node:url';
import { renderAsync } from '@resvg/resvg-js';

/** DejaVu Sans (Bitstream Vera licence, see assets/fonts/DejaVu-LICENSE.txt); the same path from src/ and dist/. */
export const CHART_FONT_FILE = fileURLToPath(new URL('../../assets/fonts/DejaVuSans.ttf', import.meta.url));

/**
 * 1.5× the SVG's size: sharp enough on dense screens, while the PNG encoding
 * (done on the event loop) stays a few milliseconds; at 2× it took as long as
 * the whole render.
 */
export const CHART_SCALE = 1.5;

export interface Png {
  data: Buffer;
  width: number;
  height: number;
}

/** Rasterises on libuv's thread pool, so other requests are served meanwhile. */
export async function renderPng(svg: string, scale = CHART_SCALE): Promise<Png> {
  const image = await renderAsync(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { fontFiles: [CHART_FONT_FILE], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
  });
  return { data: image.asPng(), width: image.width, height: image.height };
}
