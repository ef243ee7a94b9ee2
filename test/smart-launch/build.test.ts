/**
 * The built side app works under `script-src 'self'; style-src 'self'` with no exceptions: nothing
 * inline, nothing third-party, nothing that needs 'unsafe-eval' — checked on this run's build.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testAppDir } from './harness.js';

const dir = testAppDir();
const pages = readdirSync(dir).filter((f) => f.endsWith('.html'));
const assets = readdirSync(join(dir, 'assets'));
const read = (...p: string[]): string => readFileSync(join(dir, ...p), 'utf8');

describe('the built side app', () => {
  it('has both pages', () => {
    expect(pages.sort()).toEqual(['index.html', 'launch.html', 'monitoring.html']);
  });

  it.each(pages)(
    '%s: no inline script, style or handler; scripts and styles only from /smart-launch/assets/',
    (page) => {
      const html = read(page);
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attrs = '', body = ''] of scripts) {
        expect(body.trim()).toBe('');
        expect(attrs).toMatch(/\bsrc="\/smart-launch\/assets\/[\w.-]+\.js"/);
      }
      expect(html).not.toMatch(/<style\b/i);
      expect(html).not.toMatch(/\sstyle=/i);
      expect(html).not.toMatch(/\son[a-z]+=/i);
      expect(html).not.toMatch(/javascript:/i);
      for (const [, href = ''] of html.matchAll(/<link\b[^>]*\bhref="([^"]*)"/gi))
        expect(href === 'data:,' || href.startsWith('/smart-launch/assets/')).toBe(true);
    },
  );

  it('ships no module-preload polyfill and nothing that needs unsafe-eval', () => {
    const js = assets.filter((a) => a.endsWith('.js')).map((a) => read('assets', a));
    expect(js.length).toBeGreaterThan(0);
    for (const code of js) {
      expect(code).not.toMatch(/supports\("modulepreload"\)/); // Vite's modulepreload polyfill
      expect(code).not.toMatch(/\beval\(|new Function\(/);
    }
  });

  it('inlines no assets into CSS and loads nothing from elsewhere', () => {
    for (const css of assets.filter((a) => a.endsWith('.css')).map((a) => read('assets', a))) {
      expect(css).not.toMatch(/url\(\s*['"]?data:/i);
      expect(css).not.toMatch(/@import|url\(\s*['"]?https?:/i);
    }
  });
});
