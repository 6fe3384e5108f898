// The page's static files: plain HTML, CSS and ES modules, no build step.
// Only these names are served (no path from the URL reaches the file system).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface PageFile {
  path: string;
  type: string;
}

const FILES: Record<string, string> = {
  '/': 'index.html',
  '/sandbox.css': 'sandbox.css',
  '/page.js': 'page.js',
  '/render-blocks.js': 'render-blocks.js',
  '/mrkdwn.js': 'mrkdwn.js',
  '/emoji.js': 'emoji.js',
};

const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' };

/** src/sandbox/page, whether running from src (tsx) or from dist (built). */
function pageDir(): string {
  const beside = fileURLToPath(new URL('./page/', import.meta.url));
  return existsSync(beside) ? beside : fileURLToPath(new URL('../../src/sandbox/page/', import.meta.url));
}

const dir = pageDir();

export function pageFile(urlPath: string): PageFile | null {
  const name = FILES[urlPath];
  if (!name) return null;
  return { path: `${dir}${name}`, type: TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream' };
}
