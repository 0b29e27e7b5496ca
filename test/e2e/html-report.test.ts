/**
 * The HTML report in a real browser (Debian's chromium driven by playwright-core): it loads nothing from
 * the network, logs no error, runs no injected script, filters, and looks right (screenshots in
 * test-results/, and the Vietnamese report of the real Ninh Bình plan under its test's temp dir). Skips
 * only when chromium is missing outside CI; in CI a missing browser fails.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {chromium, type Browser, type Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {renderHtml} from '../../src/plan/render/index.js'
import type {SignedPlan} from '../../src/plan/types.js'
import {readPlanFile, writePlanFile} from '../../src/plan/file.js'
import {runCli} from '../helpers/cli.js'
import {HOSTILE, hostilePlan, nationalPlan, samplePlan} from '../helpers/plan-fixtures.js'
import {ninhBinhScenario} from '../helpers/scenario.js'

const CHROMIUM = '/usr/bin/chromium'
const hasChromium = fs.existsSync(CHROMIUM)
const inCi = Boolean(process.env.CI)
const OUT = path.resolve(import.meta.dirname, '../../test-results')
if (!hasChromium && !inCi)
  console.warn(
    `html-report: SKIPPED — ${CHROMIUM} not found (apt-get install -y chromium). In CI this test fails instead.`,
  )

describe.skipIf(!hasChromium && !inCi)('HTML report in headless Chromium', () => {
  let browser: Browser

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`CI is set but ${CHROMIUM} is missing: apt-get install -y chromium`)
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    fs.mkdirSync(OUT, {recursive: true})
  })
  afterAll(async () => {
    await browser?.close()
  })

  /** Open a report; collect console errors, page errors, dialogs and every request that is not data:/about:. */
  async function open(
    plan: SignedPlan,
    viewport = {width: 1280, height: 900},
    html = renderHtml(plan, {file: 'plan.json', lang: 'en'}),
  ) {
    const page = await browser.newPage({viewport})
    const problems: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`)
    })
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`)
      void d.dismiss()
    })
    page.on('request', (r) => {
      if (!/^(data|about):/.test(r.url())) problems.push(`request: ${r.url()}`)
    })
    await page.route('**/*', (route) => {
      const url = route.request().url()
      if (/^(data|about):/.test(url)) return route.continue()
      problems.push(`network: ${url}`)
      return route.abort()
    })
    const started = Date.now()
    await page.setContent(html, {waitUntil: 'load'})
    return {page, problems, html, loadMs: Date.now() - started}
  }

  const rows = (page: Page) => page.locator('#ops tbody tr').count()
  async function typeFilter(page: Page, text: string) {
    await page.fill('#filter', text)
    // The filter runs 120 ms after the last keystroke.
    expect(await page.inputValue('#filter')).toBe(text)
    await page.waitForTimeout(300)
  }

  it('shows the summary, the unit picture and filterable changes, with no network and no errors', async () => {
    const plan = samplePlan()
    const {page, problems} = await open(plan)
    expect(await page.title()).toBe('sapxep plan: 1674/NQ-UBTVQH15 · Tỉnh Ninh Bình')
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    expect(await page.locator('meta[charset]').getAttribute('charset')).toBe('utf-8')

    // Summary: the totals a reviewer checks first.
    const summary = await page.locator('#summary').innerText()
    expect(summary).toContain('46')
    expect(summary).toContain('account.reassign')
    expect(summary).toMatch(/dvc[\s\S]*25/)

    // Picture: each new unit with its old units; 13636 is divided between two new units.
    const cards = page.locator('#units .unit')
    expect(await cards.count()).toBe(2)
    const namDinh = cards.filter({hasText: 'Phường Nam Định'})
    expect(await namDinh.locator('.chip.whole').count()).toBe(2)
    expect(await namDinh.locator('.chip.part').innerText()).toContain('Phường Trần Tế Xương')
    expect(await namDinh.locator('.chip.part .badge.split').innerText()).toContain('13684')
    expect(await namDinh.locator('.chip.part .badge').first().innerText()).toBe('default')

    // Changes: all 46 listed, then the filter narrows them.
    expect(await rows(page)).toBe(46)
    await typeFilter(page, 'halong')
    const halong = await rows(page)
    expect(halong).toBeGreaterThan(0)
    expect(halong).toBeLessThan(46)
    expect(await page.locator('#status').innerText()).toContain(`${halong} matching`)

    // Without diacritics: "thien truong" finds Phường Thiên Trường's 5 changes.
    await typeFilter(page, 'thien truong')
    expect(await rows(page)).toBe(5)
    expect(await page.locator('#units .unit:not([hidden])').count()).toBe(1)

    await typeFilter(page, '')
    await page.selectOption('#kind', {label: 'Account moved (27)'})
    expect(await rows(page)).toBe(27)
    await page.selectOption('#system', 'qlvb')
    expect(await rows(page)).toBe(2)
    await page.click('#clear')
    expect(await rows(page)).toBe(46)

    // A unit's "changes" button shows that unit's operations.
    await page.locator('#units .unit', {hasText: 'Thiên Trường'}).locator('button[data-show]').click()
    expect(await page.inputValue('#filter')).toBe('unit:13684')
    expect(await rows(page)).toBe(5)
    await page.click('#clear')

    await page.evaluate('window.scrollTo(0, 0)') // else the sticky filter bar lands mid-page in the full-page shot
    const shot = path.join(OUT, 'html-report.png')
    await page.screenshot({path: shot, fullPage: true})
    const png = fs.readFileSync(shot)
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
    expect(png.length).toBeGreaterThan(30_000)
    expect(problems).toEqual([])
    await page.close()
  })

  it('shows the real Ninh Bình plan to a leader in Vietnamese: words, raw values on click, a real screenshot', async () => {
    // The screenshot stays in the scenario's temp dir (its path is logged) for a reviewer to look at.
    const {target, dir, planFile} = await ninhBinhScenario()
    {
      const out = path.join(dir, 'nb.html')
      const r = runCli(['show', planFile, '--format', 'html', '--out', out], target.env)
      expect(r.status, r.stderr).toBe(0)
      const html = fs.readFileSync(out, 'utf8')
      const plan = await readPlanFile(planFile)
      const {page, problems, loadMs} = await open(plan, undefined, html)
      console.log(
        `Ninh Bình report (vi): ${plan.operations.length.toLocaleString('en-US')} operations, ${(Buffer.byteLength(html) / 1e6).toFixed(1)} MB, loaded in ${loadMs} ms`,
      )
      expect(await page.locator('html').getAttribute('lang')).toBe('vi')
      expect(await page.title()).toBe('Kế hoạch sapxep: 1674/NQ-UBTVQH15 · Tỉnh Ninh Bình')
      // Vietnamese labels, numbers as Vietnamese write them, kinds in words.
      const vi = (n: number) => n.toLocaleString('en-US').replace(/,/g, '.')
      await expect.poll(() => page.getByRole('heading', {name: 'Tổng hợp'}).isVisible()).toBe(true)
      const summary = await page.locator('#summary').innerText()
      expect(summary).toContain(`${vi(plan.operations.length)}\nthao tác`)
      expect(summary).toContain('Chuyển tài khoản')
      expect(summary).toContain('Tài khoản theo hệ thống')
      expect(await page.locator('#changes h2').innerText()).toBe('Các thay đổi')

      // One kind: every row is a sentence a leader reads; the raw values are one click away.
      const moved = plan.summary.byKind['account.reassign'] ?? 0
      await page.selectOption('#kind', {label: `Chuyển tài khoản (${vi(moved)})`})
      expect(await page.locator('#status').innerText()).toBe(
        `Đang hiện 500 trên ${vi(moved)} thay đổi khớp bộ lọc.`,
      )
      const first = page.locator('#ops tbody tr').first()
      const details = first.locator('details')
      const words = await details.locator('summary').innerText()
      expect(words).toMatch(
        /^Tài khoản Cổng dịch vụ công \(dvc\) \S+ chuyển từ Ủy ban nhân dân .+ sang Ủy ban nhân dân .+\.$/,
      )
      expect(await details.getAttribute('open')).toBeNull()
      expect(await first.locator('dl').isVisible()).toBe(false)
      await details.locator('summary').click()
      expect(await details.getAttribute('open')).not.toBeNull()
      const raw = await first.locator('dl').innerText()
      expect(raw).toMatch(/Dòng\s+account\.reassign dvc\/\S+/)
      expect(raw).toMatch(/Trước → sau\s+agency_id: \S+ → \S+/)

      // The picture and the change in words also find a unit by a name typed without diacritics.
      await typeFilter(page, 'phu ly')
      expect(await rows(page)).toBeGreaterThan(0)
      expect(await page.locator('#ops tbody tr').first().innerText()).toContain('Phủ Lý')

      await page.evaluate('window.scrollTo(0, 0)')
      const shot = path.join(dir, 'ninh-binh-vi.png')
      await page.screenshot({path: shot, fullPage: false})
      const png = fs.readFileSync(shot)
      console.log(`screenshot: ${shot} (${png.length.toLocaleString('en-US')} bytes)`)
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
      // Not blank: drawn back in a canvas, the picture has many colours (a blank page has one).
      const check = await browser.newPage()
      // (A string: the tests compile without the DOM's types.)
      const colours = (await check.evaluate(`(async () => {
        const img = new Image()
        img.src = 'data:image/png;base64,${png.toString('base64')}'
        await img.decode()
        const c = document.createElement('canvas')
        c.width = img.width
        c.height = img.height
        const ctx = c.getContext('2d')
        ctx.drawImage(img, 0, 0)
        const px = ctx.getImageData(0, 0, c.width, c.height).data
        const seen = new Set()
        for (let i = 0; i < px.length; i += 4 * 97) seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2])
        return seen.size
      })()`)) as number
      await check.close()
      expect(colours).toBeGreaterThan(20)
      expect(problems).toEqual([])
      await page.close()
    }
  }, 180_000)

  it('is what `sapxep show PLAN --format html --out FILE` writes', async () => {
    const plan = samplePlan()
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-show-'))
    const file = path.join(dir, 'plan.json')
    await writePlanFile(file, plan)
    const r = runCli(['show', file, '--format', 'html', '--out', path.join(dir, 'plan.html'), '--json'])
    expect(r.status, r.stderr).toBe(0)
    expect(r.json).toMatchObject({
      path: file,
      digest: plan.digest,
      format: 'html',
      out: path.join(dir, 'plan.html'),
    })
    const html = fs.readFileSync(path.join(dir, 'plan.html'), 'utf8')
    // The command renders the plan as read back (canonical JSON: columns in sorted order).
    expect(html).toBe(renderHtml(await readPlanFile(file), {file}))
    const {page, problems} = await open(plan, undefined, html)
    expect(await rows(page)).toBe(46)
    expect(problems).toEqual([])
    await page.close()
    fs.rmSync(dir, {recursive: true, force: true})
  })

  it('shows hostile names as text and runs none of them', async () => {
    const {page, problems, html} = await open(hostilePlan())
    expect(html).not.toContain('<script>alert')
    expect(html).not.toContain('<img')
    expect(await page.locator('#units .unit .name').innerText()).toContain(HOSTILE.unitName)
    expect(await page.locator('img').count()).toBe(0)
    expect(await page.locator('script').count()).toBe(2) // the data and the page's own script
    expect(await page.locator('#ops tbody').innerText()).toContain('</script><img src=x onerror=alert(1)>')
    expect(await page.locator('.warnings li').innerText()).toBe('<script>alert("warning")</script>')
    expect(problems).toEqual([])
    await page.close()
  })

  it('stays loadable with a national plan of 1,000,000 operations and says what it left out', async () => {
    const plan = nationalPlan({sign: false})
    const {page, problems, html, loadMs} = await open(plan)
    console.log(`national report: ${(Buffer.byteLength(html) / 1e6).toFixed(1)} MB, loaded in ${loadMs} ms`)
    expect(Buffer.byteLength(html)).toBeLessThan(12_000_000)
    expect(await page.locator('#summary').innerText()).toContain('1,000,000')
    const omitted = await page.locator('#omitted').innerText()
    expect(omitted).toMatch(/embeds 50,000 of 1,000,000 operations/)
    expect(omitted).toContain('950,000 are left out')
    expect(await page.locator('#units .unit').count()).toBe(3321)
    expect(await rows(page)).toBe(500) // first page of the matches
    expect(await page.locator('#status').innerText()).toContain('of 50,000 matching')
    await typeFilter(page, 'unit:10003')
    const one = await rows(page)
    expect(one).toBeGreaterThan(0)
    expect(one).toBeLessThan(500)
    await page.click('#clear')
    await page.evaluate('window.scrollTo(0, 0)')
    await page.screenshot({path: path.join(OUT, 'html-report-national.png')})
    expect(problems).toEqual([])
    await page.close()
  })
})
