// SVG → PNG with resvg (a Rust renderer shipped as prebuilt npm binaries: no
// browser, no canvas build). Fonts come from the repository, not the system,
// so text renders the same in a slim container with no fonts installed.
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

/** DejaVu Sans (Bitstream Vera licence, see assets/fonts/DejaVu-LICENSE.txt); the same path from src/ and dist/. */
export const CHART_FONT_FILE = fileURLToPath(new URL('../../assets/fonts/DejaVuSans.ttf', import.meta.url));

export interface Png {
  data: Buffer;
  width: number;
  height: number;
}

/** Renders at `scale` (2 = sharp on high-density screens). */
export function renderPng(svg: string, scale = 2): Png {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { fontFiles: [CHART_FONT_FILE], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
  });
  const image = resvg.render();
  return { data: image.asPng(), width: image.width, height: image.height };
}
