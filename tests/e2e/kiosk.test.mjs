// The public view as a kiosk (www/outreach.js, style.css): at 1920×1080, 1280×720 and a portrait
// tablet (810×1080) the page never scrolls and its controls are inside the screen; it advances by
// itself (here every second, `?advance=1`) with a progress indicator (slide k of n and a timer bar)
// that follows, holds while the pointer is on the slide; the map slide names the countries in the
// chosen language and has a scale bar and a legend; the waterbird slides of the SIMULATED Tumen
// survey come after the camera-trap slides and say what the complex regularly holds. No request
// leaves the page and there is no console error. Screenshots (look at them):
// out/kiosk-<lang>-<width>x<height>-<slide>.png for English and Chinese.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { paths, startServer, launch, openPage, assertSameOrigin } from './harness.mjs';
import outreachStrings from '../../www/i18n/outreach.js';

const { out } = paths;
const SIZES = [[1920, 1080], [1280, 720], [810, 1080]];
// Country names of the demo's map (the catalogue's general.country.* in each language).
const COUNTRIES = { en: ['China', 'Russia'], zh: ['中国', '俄罗斯'] };
// The demo's three species that qualify only as one transboundary site (crate/src/waterbirds/demo.rs),
// as the waterbird slide names them.
const BIRDS = { en: ['Black-faced Spoonbill', 'White-naped Crane', 'Swan Goose'], zh: ['黑脸琵鹭', '白枕鹤', '鸿雁'] };
// The scale bar: a round number of kilometres, the unit as the catalogue writes it (render.map.km).
const SCALE = { en: /^\d[\d,]* km$/, zh: /^\d[\d,]* 公里$/ };

let server, base, browser;
before(async () => {
  ({ server, base } = await startServer());
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

// Where the page and its controls are, and how far it could scroll.
function layout(page) {
  return page.evaluate(() => {
    const d = document.documentElement;
    const box = (id) => { const r = document.getElementById(id).getBoundingClientRect(); return { top: r.top, left: r.left, bottom: r.bottom, right: r.right, w: r.width, h: r.height }; };
    const slide = document.querySelector('#outreach-slides > .slide.current svg').getBoundingClientRect();
    return {
      scrollW: d.scrollWidth, scrollH: d.scrollHeight, bodyH: document.body.scrollHeight, vw: innerWidth, vh: innerHeight,
      controls: Object.fromEntries(['outreach-prev', 'outreach-next', 'outreach-play', 'outreach-lang', 'outreach-counter', 'outreach-progress'].map((id) => [id, box(id)])),
      slide: { w: slide.width, h: slide.height, top: slide.top, bottom: slide.bottom },
    };
  });
}

const slideKey = (page) => page.getAttribute('#outreach-slides > .slide.current', 'data-key');
const texts = (page, sel) => page.$$eval(sel, (xs) => xs.map((x) => x.textContent));

async function goTo(page, key) {
  const keys = await page.$$eval('#outreach-slides > .slide', (s) => s.map((x) => x.dataset.key));
  const i = keys.findIndex((k) => k.startsWith(key));
  assert.ok(i >= 0, `a slide ${key} among ${keys}`);
  while (await page.getAttribute('#outreach', 'data-slide') !== String(i)) await page.keyboard.press('ArrowRight');
}

for (const code of ['en', 'zh']) {
  for (const [width, height] of SIZES) {
    test(`kiosk ${code} ${width}×${height}: no scrolling, controls on screen, auto-advance, progress, map and waterbird slides`, async () => {
      const requests = [];
      const { ctx, page, errors } = await openPage(browser, `${base}?mode=outreach&lang=${code}&advance=1`,
        { context: { locale: code === 'zh' ? 'zh-CN' : 'en-US', viewport: { width, height } }, requests });
      await page.waitForSelector('#outreach[data-ready="1"]', { timeout: 60000 });
      // Park the pointer off the slide (the countdown holds while it is on the slide).
      await page.mouse.move(1, 1);
      const n = await page.locator('#outreach-slides > .slide').count();
      const keys = await page.$$eval('#outreach-slides > .slide', (s) => s.map((x) => x.dataset.key));
      assert.ok(keys.some((k) => k.startsWith('map:')), `a map slide among ${keys}`);
      assert.ok(keys.some((k) => k.startsWith('waterbirds:')), `a waterbird slide among ${keys}`);
      assert.ok(keys.some((k) => k.startsWith('waterbirds-joint:')), `a count-together slide among ${keys}`);

      // No scrolling; every control inside the viewport; the slide takes most of the screen.
      const L = await layout(page);
      assert.ok(L.scrollW <= L.vw && L.scrollH <= L.vh, `document ${L.scrollW}×${L.scrollH} within ${L.vw}×${L.vh}`);
      for (const [id, r] of Object.entries(L.controls)) {
        assert.ok(r.w > 0 && r.h > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= L.vh && r.right <= L.vw, `${id} on screen: ${JSON.stringify(r)}`);
      }
      assert.ok(L.slide.w >= 0.9 * width || L.slide.h >= 0.55 * height, `slide ${L.slide.w}×${L.slide.h} fills the screen`);
      // Large type scaled to the screen: the Next button's text grows with the viewport.
      const font = await page.$eval('#outreach-next', (b) => parseFloat(getComputedStyle(b).fontSize));
      assert.ok(font >= 14.4 && font <= 27.2, `button text ${font}px`);
      if (width === 1920) assert.ok(font > 20, `button text ${font}px at 1920×1080`);

      // Auto-advance: the next slide within the interval (1 s) plus slack, and the indicator follows.
      const s0 = Number(await page.getAttribute('#outreach', 'data-slide'));
      assert.equal(await page.getAttribute('#outreach', 'data-timer'), 'running');
      await page.waitForFunction((s) => document.getElementById('outreach').dataset.slide === String((s + 1) % document.querySelectorAll('#outreach-slides > .slide').length), s0, { timeout: 5000 });
      const s1 = Number(await page.getAttribute('#outreach', 'data-slide'));
      assert.equal(s1, (s0 + 1) % n);
      const slideOf = outreachStrings[code]['outreach.slide_of'];
      assert.equal(await page.textContent('#outreach-counter'), slideOf.replace('{i}', String(s1 + 1)).replace('{n}', String(n)));
      assert.equal(await page.getAttribute('#outreach-progress', 'aria-valuenow'), String(s1 + 1));
      assert.equal(await page.getAttribute('#outreach-progress', 'aria-valuemax'), String(n));
      const bar = await page.$eval('#outreach-timer', (b) => [getComputedStyle(b).animationName, getComputedStyle(b).animationDuration]);
      assert.deepEqual(bar, ['outreach-timer', '1s']);

      // Pause (the button): nothing moves for twice the interval; Play resumes.
      await page.click('#outreach-play');
      assert.equal(await page.getAttribute('#outreach-play', 'aria-pressed'), 'false');
      const stopped = await page.getAttribute('#outreach', 'data-slide');
      await page.waitForTimeout(2200);
      assert.equal(await page.getAttribute('#outreach', 'data-slide'), stopped, 'paused');
      // The pointer on the slide holds the countdown too (after Play), and leaving it resumes.
      await page.click('#outreach-play');
      assert.equal(await page.getAttribute('#outreach-play', 'aria-pressed'), 'true');
      const sb = await (await page.$('#outreach-slides')).boundingBox();
      await page.mouse.move(sb.x + sb.width / 2, sb.y + sb.height / 2);
      const held = await page.getAttribute('#outreach', 'data-slide');
      await page.waitForTimeout(2200);
      assert.equal(await page.getAttribute('#outreach', 'data-timer'), 'held');
      assert.equal(await page.getAttribute('#outreach', 'data-slide'), held, 'held while the pointer is on the slide');
      await page.mouse.move(1, 1);
      await page.waitForFunction((h) => document.getElementById('outreach').dataset.slide !== h, held, { timeout: 5000 });
      // Space pauses again for the checks below.
      await page.keyboard.press('Space');
      assert.equal(await page.getAttribute('#outreach-play', 'aria-pressed'), 'false');

      // The map slide: country names in the language, a scale bar with a round number of km, a legend.
      await goTo(page, 'map:');
      const map = '#outreach-slides > .slide.current';
      const countries = await texts(page, `${map} .slide-country`);
      for (const c of COUNTRIES[code]) assert.ok(countries.includes(c), `${c} among ${countries}`);
      const scale = (await texts(page, `${map} .slide-scale text`)).map((s) => s.replace(/\s/g, ' '));
      assert.equal(scale.length, 1);
      assert.match(scale[0], SCALE[code]);
      assert.equal(await page.locator(`${map} .slide-legend rect`).count(), 1);
      assert.ok((await texts(page, `${map} .slide-legend text`)).every((s) => s.trim().length > 0));
      await page.screenshot({ path: join(out, `kiosk-${code}-${width}x${height}-map.png`), animations: 'disabled' });

      // The waterbird slides: statements for the three species of the demo, SIMULATED on each.
      await goTo(page, 'waterbirds:');
      const wb = '#outreach-slides > .slide.current';
      const statements = (await texts(page, `${wb} .slide-finding`)).join(' ');
      for (const b of BIRDS[code]) assert.ok(statements.includes(b), `${b} in ${statements}`);
      assert.ok((await texts(page, `${wb} .slide-stamp`)).length === 1, 'SIMULATED on the slide');
      await page.screenshot({ path: join(out, `kiosk-${code}-${width}x${height}-waterbirds.png`), animations: 'disabled' });
      await goTo(page, 'waterbirds-joint:');
      assert.equal(await page.locator('#outreach-slides > .slide.current .slide-stamp').count(), 1);
      assert.ok(await page.locator('#outreach-slides > .slide.current .slide-bar-value').count() >= 2);
      await page.screenshot({ path: join(out, `kiosk-${code}-${width}x${height}-joint.png`), animations: 'disabled' });
      await goTo(page, 'numbers');
      await page.screenshot({ path: join(out, `kiosk-${code}-${width}x${height}-numbers.png`), animations: 'disabled' });
      // Still no scrolling after every slide has been shown.
      const L2 = await layout(page);
      assert.ok(L2.scrollW <= L2.vw && L2.scrollH <= L2.vh, `document ${L2.scrollW}×${L2.scrollH} within ${L2.vw}×${L2.vh}`);

      assert.deepEqual(errors, []);
      assertSameOrigin(requests, base);
      await ctx.close();
    });
  }
}

test('?kiosk starts the slideshow even where reduced motion is asked for, and hides the expert way out', async () => {
  const { ctx, page, errors } = await openPage(browser, `${base}?kiosk&lang=en&advance=1`,
    { context: { locale: 'en-US', viewport: { width: 1280, height: 720 }, reducedMotion: 'reduce' } });
  await page.waitForSelector('#outreach[data-ready="1"]', { timeout: 60000 });
  await page.mouse.move(1, 1);
  assert.equal(await page.getAttribute('#outreach-play', 'aria-pressed'), 'true');
  const s0 = await page.getAttribute('#outreach', 'data-slide');
  await page.waitForFunction((s) => document.getElementById('outreach').dataset.slide !== s, s0, { timeout: 5000 });
  assert.equal(await page.isVisible('#outreach-leave'), false);
  assert.deepEqual(errors, []);
  await ctx.close();
});
